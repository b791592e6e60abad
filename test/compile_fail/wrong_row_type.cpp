// test/compile_fail/wrong_row_type.cpp — typed rows read as another tuple type are rejected.
#include "models.hpp"
int main() {
  orm::Session session{orm::create_engine("sqlite://")};
  std::vector<std::tuple<std::string, int>> ok = session.execute(orm::select(c<&User::name>, c<&User::id>));
#ifdef ATHANOR_COMPILE_FAIL
  std::vector<std::tuple<int, std::string>> bad = session.execute(orm::select(c<&User::name>, c<&User::id>));
#endif
}
