// test/compile_fail/concat_of_number.cpp — concat() joins texts.
#include "models.hpp"
int main() {
  [[maybe_unused]] auto ok = orm::select(orm::concat(c<&User::name>, "-", c<&User::name>));
#ifdef ATHANOR_COMPILE_FAIL
  [[maybe_unused]] auto bad = orm::select(orm::concat(c<&User::name>, c<&User::id>));
#endif
}
