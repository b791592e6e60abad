// test/compile_fail/into_member_cannot_hold.cpp — into<S>() with a member that cannot hold its
// column (std::int64_t count() into int: a narrowing) is rejected, naming the member.
#include "models.hpp"
struct Ok {
  std::string name;
  std::int64_t posts;
};
struct Narrow {
  std::string name;
  int posts;
};
int main() {
  orm::Session session{orm::create_engine("sqlite://")};
  auto stmt = orm::select(c<&User::name>, orm::count()).group_by(c<&User::name>);
  std::vector<Ok> ok = session.execute(stmt.into<Ok>());
#ifdef ATHANOR_COMPILE_FAIL
  auto bad = session.execute(stmt.into<Narrow>());
#endif
}
