// test/compile_fail/like_escape_not_char.cpp — like()'s escape is one character.
#include "models.hpp"
int main() {
  [[maybe_unused]] auto ok = c<&User::name>.like("100!%", '!');
#ifdef ATHANOR_COMPILE_FAIL
  [[maybe_unused]] auto bad = c<&User::name>.like("100!%", "!");
#endif
}
