// test/compile_fail/where_needs_condition.cpp — where() takes a condition, not a column.
#include "models.hpp"
int main() {
  [[maybe_unused]] auto ok = orm::select<User>().where(c<&User::id> == 1);
#ifdef ATHANOR_COMPILE_FAIL
  [[maybe_unused]] auto bad = orm::select<User>().where(c<&User::id>);
#endif
}
