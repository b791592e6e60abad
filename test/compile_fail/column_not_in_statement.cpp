// test/compile_fail/column_not_in_statement.cpp — a condition on a model that is not in the statement is rejected.
#include "models.hpp"
int main() {
  [[maybe_unused]] auto ok = orm::select<User>().where(c<&User::id> > 3);
#ifdef ATHANOR_COMPILE_FAIL
  [[maybe_unused]] auto bad = orm::select<User>().where(c<&Post::id> > 3);
#endif
}
