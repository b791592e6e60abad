// test/compile_fail/insert_column_of_other_model.cpp — insert<User>().values() writes columns of User only.
#include "models.hpp"
int main() {
  [[maybe_unused]] auto ok = orm::insert<Post>().values(c<&Post::user_id> = 3);
#ifdef ATHANOR_COMPILE_FAIL
  [[maybe_unused]] auto bad = orm::insert<User>().values(c<&Post::user_id> = 3);
#endif
}
