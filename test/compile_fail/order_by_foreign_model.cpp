// test/compile_fail/order_by_foreign_model.cpp — ordering by a model not in the statement is rejected.
#include "models.hpp"
int main() {
  [[maybe_unused]] auto ok = orm::select<User>().order_by(c<&User::name>);
#ifdef ATHANOR_COMPILE_FAIL
  [[maybe_unused]] auto bad = orm::select<User>().order_by(c<&Post::id>);
#endif
}
