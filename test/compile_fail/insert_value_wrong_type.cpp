// test/compile_fail/insert_value_wrong_type.cpp — insert<M>().values(c<&M::a> = v) takes a value of the column's type.
#include "models.hpp"
int main() {
  [[maybe_unused]] auto ok = orm::insert<User>().values(c<&User::id> = 4, c<&User::name> = "four");
#ifdef ATHANOR_COMPILE_FAIL
  [[maybe_unused]] auto bad = orm::insert<User>().values(c<&User::id> = "four");
#endif
}
