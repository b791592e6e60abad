// test/compile_fail/subquery_needs_correlate.cpp — a subquery names a model of the enclosing
// statement only after correlate<M>() says so.
#include "models.hpp"
int main() {
  [[maybe_unused]] auto ok = orm::select<User>().where(
      orm::exists(orm::select(c<&Post::id>).correlate<User>().where(c<&Post::user_id> == c<&User::id>)));
#ifdef ATHANOR_COMPILE_FAIL
  [[maybe_unused]] auto bad = orm::select<User>().where(orm::exists(orm::select(c<&Post::id>).where(c<&Post::user_id> == c<&User::id>)));
#endif
}
