// test/compile_fail/recursive_step_row_type.cpp — the step of a recursive CTE gives rows of the
// anchor's type; the error names the first column that differs.
#include "models.hpp"
int main() {
  auto t = orm::select(c<&User::id>).cte<"t">(orm::recursive);
  [[maybe_unused]] auto ok = t.union_all(orm::select(c<&Post::user_id>).join(t, c<&Post::id> == t.c<0>()));
#ifdef ATHANOR_COMPILE_FAIL
  [[maybe_unused]] auto bad = t.union_all(orm::select(c<&User::name>).join(t, c<&User::id> == t.c<0>()));
#endif
}
