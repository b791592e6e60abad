// test/compile_fail/extract_unknown_field.cpp — extract<"field">() knows the portable fields only.
#include "models.hpp"
int main() {
  [[maybe_unused]] auto ok = orm::select(orm::extract<"quarter">(orm::now()));
#ifdef ATHANOR_COMPILE_FAIL
  [[maybe_unused]] auto bad = orm::select(orm::extract<"century">(orm::now()));
#endif
}
