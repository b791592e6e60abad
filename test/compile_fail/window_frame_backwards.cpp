// test/compile_fail/window_frame_backwards.cpp — a frame runs from its start to its end.
#include "models.hpp"
int main() {
  [[maybe_unused]] auto ok = orm::rows_between(orm::unbounded_preceding, orm::current_row);
#ifdef ATHANOR_COMPILE_FAIL
  [[maybe_unused]] auto bad = orm::rows_between(orm::current_row, orm::unbounded_preceding);
#endif
}
