// test/compile_fail/substr_of_number.cpp — substr() takes text and integer positions.
#include "models.hpp"
int main() {
  [[maybe_unused]] auto ok = orm::select(orm::substr(c<&User::name>, 1, 3), orm::concat(c<&User::name>, "!"));
#ifdef ATHANOR_COMPILE_FAIL
  [[maybe_unused]] auto bad = orm::select(orm::substr(c<&User::id>, 1, 3));
#endif
}
