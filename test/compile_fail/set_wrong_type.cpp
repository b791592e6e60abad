// test/compile_fail/set_wrong_type.cpp — update().set() takes a value of the column's type.
#include "models.hpp"
int main() {
  [[maybe_unused]] auto ok = orm::update<User>().set(c<&User::id>, 4);
#ifdef ATHANOR_COMPILE_FAIL
  [[maybe_unused]] auto bad = orm::update<User>().set(c<&User::id>, "four");
#endif
}
