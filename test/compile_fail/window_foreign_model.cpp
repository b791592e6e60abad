// test/compile_fail/window_foreign_model.cpp — a named window may only name models of the statement.
#include "models.hpp"
int main() {
  auto w = orm::window<"w">(orm::partition_by(c<&User::name>), orm::order_by(c<&User::id>));
  [[maybe_unused]] auto ok = orm::select(c<&User::id>, orm::rank().over(w)).window(w);
#ifdef ATHANOR_COMPILE_FAIL
  auto foreign = orm::window<"w">(orm::partition_by(c<&Post::user_id>));
  [[maybe_unused]] auto bad = orm::select(c<&User::id>, orm::rank().over(foreign)).window(foreign);
#endif
}
