// test/compile_fail/cast_unmapped.cpp — cast<T>() needs a type with a SQL type.
#include "models.hpp"
struct Point {
  int x, y;
};
int main() {
  [[maybe_unused]] auto ok = orm::cast<double>(c<&User::id>);
#ifdef ATHANOR_COMPILE_FAIL
  [[maybe_unused]] auto bad = orm::cast<Point>(c<&User::id>);
#endif
}
