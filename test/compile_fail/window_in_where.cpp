// test/compile_fail/window_in_where.cpp — WHERE filters rows before windows are computed: SQL forbids a window function there.
#include "models.hpp"
int main() {
  auto rn = orm::row_number().over(orm::order_by(c<&User::name>));
  [[maybe_unused]] auto ok = orm::select(c<&User::id>, rn).where(c<&User::id> > 2);
#ifdef ATHANOR_COMPILE_FAIL
  [[maybe_unused]] auto bad = orm::select(c<&User::id>).where(rn <= 2);
#endif
}
