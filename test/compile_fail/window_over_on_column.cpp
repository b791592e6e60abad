// test/compile_fail/window_over_on_column.cpp — .over() applies to window functions and aggregates only.
#include "models.hpp"
int main() {
  [[maybe_unused]] auto ok = orm::select(c<&User::id>, orm::max(c<&User::id>).over(orm::order_by(c<&User::name>)));
#ifdef ATHANOR_COMPILE_FAIL
  [[maybe_unused]] auto bad = orm::select(c<&User::id>, c<&User::name>.over(orm::order_by(c<&User::id>)));
#endif
}
