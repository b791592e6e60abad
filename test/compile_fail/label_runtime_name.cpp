// test/compile_fail/label_runtime_name.cpp — a label's name is a template argument.
#include "models.hpp"
int main() {
  [[maybe_unused]] auto ok = orm::count().label<"n">();
#ifdef ATHANOR_COMPILE_FAIL
  orm::count().label("n");
#endif
}
