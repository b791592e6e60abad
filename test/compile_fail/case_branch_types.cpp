// test/compile_fail/case_branch_types.cpp — case_() branches must agree on a type.
#include "models.hpp"
int main() {
  [[maybe_unused]] auto ok = orm::case_(orm::when(c<&User::id> > 1, "many"), orm::else_("one"));
#ifdef ATHANOR_COMPILE_FAIL
  [[maybe_unused]] auto bad = orm::case_(orm::when(c<&User::id> > 1, "many"), orm::else_(1));
#endif
}
