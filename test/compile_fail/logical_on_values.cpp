// test/compile_fail/logical_on_values.cpp — && joins conditions, not columns.
#include "models.hpp"
int main() {
  [[maybe_unused]] auto ok = (c<&User::id> > 1) && (c<&User::id> < 9);
#ifdef ATHANOR_COMPILE_FAIL
  [[maybe_unused]] auto bad = c<&User::id> && c<&User::name>;
#endif
}
