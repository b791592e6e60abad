// test/compile_fail/arithmetic_on_text.cpp — arithmetic needs numbers.
#include "models.hpp"
int main() {
  [[maybe_unused]] auto ok = c<&User::id> * 2;
#ifdef ATHANOR_COMPILE_FAIL
  [[maybe_unused]] auto bad = c<&User::name> * 2;
#endif
}
