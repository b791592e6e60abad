// test/consumers/cmake/main.cpp — a user's program built by CMake against an installed athanor
// (find_package(athanor), see CMakeLists.txt): a model, an insert, a typed select.
#include <athanor/athanor.hpp>

#include <cstdio>
#include <string>

namespace orm = athanor::orm;

struct Note {
  orm::Mapped<int> id;
  orm::Mapped<std::string> text;
  static void configure(orm::Mapper<Note>& m) { m.column<&Note::id>().primary_key(); }
};
ATHANOR_MODEL(Note, "notes", id, text)

int main() {
  auto engine = athanor::create_engine("sqlite://");
  orm::Registry registry;
  registry.map<Note>();
  registry.metadata().create_all(engine);
  orm::sessionmaker Session{engine};
  auto session = Session();
  session.add(Note{.text = "hello from CMake"});
  session.commit();
  auto rows = session.execute(orm::select(orm::c<&Note::text>).where(orm::c<&Note::id> == 1));
  if (rows.size() != 1 || std::get<0>(rows[0]) != "hello from CMake") return std::puts("wrong result"), 1;
  std::printf("%s\n", std::get<0>(rows[0]).c_str());
}
