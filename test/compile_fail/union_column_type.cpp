// test/compile_fail/union_column_type.cpp — the parts of a set operation must agree column by
// column; the error names the first column that differs.
#include "models.hpp"
int main() {
  [[maybe_unused]] auto ok = orm::union_(orm::select(c<&User::id>, c<&User::name>), orm::select(c<&Post::user_id>, c<&User::name>));
#ifdef ATHANOR_COMPILE_FAIL
  [[maybe_unused]] auto bad = orm::union_(orm::select(c<&User::id>, c<&User::name>), orm::select(c<&Post::id>, c<&Post::user_id>));
#endif
}
