// test/compile_fail/prepared_wrong_args.cpp — a prepared statement's call takes the values of
// its orm::param<T>() placeholders, in order: a string for an int placeholder is rejected
// (so are too few or too many arguments).
#include "models.hpp"
int main() {
  auto engine = orm::create_engine("sqlite://");
  auto conn = engine.connect();
  auto q = conn.prepare(orm::select<User>().where(c<&User::id> == orm::param<int>() && c<&User::name> == orm::param<std::string>()));
  (void)q(1, "ann");
#ifdef ATHANOR_COMPILE_FAIL
  (void)q("ann", 1);
#endif
}
