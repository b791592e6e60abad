// test/compile_fail/into_member_count.cpp — into<S>() with another number of members than
// the select has columns is rejected.
#include "models.hpp"
struct Ok {
  std::string name;
  int id;
};
struct Three {
  std::string name;
  int id;
  int extra;
};
int main() {
  orm::Session session{orm::create_engine("sqlite://")};
  auto stmt = orm::select(c<&User::name>, c<&User::id>);
  std::vector<Ok> ok = session.execute(stmt.into<Ok>());
#ifdef ATHANOR_COMPILE_FAIL
  auto bad = session.execute(stmt.into<Three>());
#endif
}
