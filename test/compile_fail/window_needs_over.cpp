// test/compile_fail/window_needs_over.cpp — a window function is a select column only with .over(…).
#include "models.hpp"
int main() {
  [[maybe_unused]] auto ok = orm::select(c<&User::id>, orm::row_number().over(orm::order_by(c<&User::name>)));
#ifdef ATHANOR_COMPILE_FAIL
  [[maybe_unused]] auto bad = orm::select(c<&User::id>, orm::row_number());
#endif
}
