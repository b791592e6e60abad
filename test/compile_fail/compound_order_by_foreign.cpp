// test/compile_fail/compound_order_by_foreign.cpp — a compound's ORDER BY names its result
// columns (cmp.c<I>()), not a column of a model of its selects.
#include "models.hpp"
int main() {
  auto u = orm::select(c<&User::id>).union_all(orm::select(c<&Post::user_id>));
  [[maybe_unused]] auto ok = u.order_by(u.c<0>().desc());
#ifdef ATHANOR_COMPILE_FAIL
  [[maybe_unused]] auto bad = u.order_by(c<&User::id>);
#endif
}
