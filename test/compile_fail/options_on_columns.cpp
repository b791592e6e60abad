// test/compile_fail/options_on_columns.cpp — options() sets how loaded objects' relationships
// load: a select of columns loads no objects (its statements hold no loader options).
#include "models.hpp"
int main() {
  [[maybe_unused]] auto ok = orm::select<User>().options(orm::LoadOption{});
#ifdef ATHANOR_COMPILE_FAIL
  [[maybe_unused]] auto bad = orm::select(c<&User::name>).options(orm::LoadOption{});
#endif
}
