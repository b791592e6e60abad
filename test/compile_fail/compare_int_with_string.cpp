// test/compile_fail/compare_int_with_string.cpp — comparing an int column with a string is rejected.
#include "models.hpp"
int main() {
  [[maybe_unused]] auto ok = c<&User::id> == 3;
#ifdef ATHANOR_COMPILE_FAIL
  [[maybe_unused]] auto bad = c<&User::id> == std::string("3");
#endif
}
