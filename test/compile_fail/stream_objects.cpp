// test/compile_fail/stream_objects.cpp — Session::stream() of select<Model>() is rejected:
// objects go through the identity map (scalars()), streams give rows.
#include "models.hpp"
int main() {
  orm::Session session{orm::create_engine("sqlite://")};
  for (auto&& row : session.stream(orm::select(c<&User::name>))) (void)row;
#ifdef ATHANOR_COMPILE_FAIL
  session.stream(orm::select<User>());
#endif
}
