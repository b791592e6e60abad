// test/compile_fail/like_on_number.cpp — like() applies to text only.
#include "models.hpp"
int main() {
  [[maybe_unused]] auto ok = c<&User::name>.like("a%");
#ifdef ATHANOR_COMPILE_FAIL
  [[maybe_unused]] auto bad = c<&User::id>.like("1%");
#endif
}
