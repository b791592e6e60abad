// test/compile_fail/case_when_condition.cpp — when() takes a condition, not a column.
#include "models.hpp"
int main() {
  [[maybe_unused]] auto ok = orm::when(c<&User::id> > 1, 1);
#ifdef ATHANOR_COMPILE_FAIL
  [[maybe_unused]] auto bad = orm::when(c<&User::id>, 1);
#endif
}
