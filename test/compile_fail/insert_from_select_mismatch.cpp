// test/compile_fail/insert_from_select_mismatch.cpp — from_select's row type must fit the named columns.
#include "models.hpp"
int main() {
  [[maybe_unused]] auto ok = orm::insert<Post>().from_select<&Post::id, &Post::user_id>(orm::select(c<&User::id>, c<&User::id>));
#ifdef ATHANOR_COMPILE_FAIL
  [[maybe_unused]] auto bad = orm::insert<User>().from_select<&User::id, &User::name>(orm::select(c<&Post::id>, c<&Post::user_id>));
#endif
}
