// test/compile_fail/round_of_text.cpp — round() takes a number.
#include "models.hpp"
int main() {
  [[maybe_unused]] auto ok = orm::select(orm::round(c<&User::id>), orm::round(c<&User::id>, 2));
#ifdef ATHANOR_COMPILE_FAIL
  [[maybe_unused]] auto bad = orm::select(orm::round(c<&User::name>, 2));
#endif
}
