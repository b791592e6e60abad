// test/consumers/cmake/notes.cpp — the model and its Session work in a file of their own that
// includes <athanor/orm.hpp> only: no driver and no SQL compiler parsed there (issue 17), the
// Engine made in main.cpp. Linking it checks that such a file needs nothing that only
// create_engine's header (engine/create_engine.hpp) defines, header-only and compiled alike.
#include <athanor/orm.hpp>

#include <string>

#include "notes.hpp"

namespace orm = athanor::orm;

struct Note {
  orm::Mapped<int> id;
  orm::Mapped<std::string> text;
  static void configure(orm::Mapper<Note>& m) { m.column<&Note::id>().primary_key(); }
};
ATHANOR_MODEL(Note, "notes", id, text)

std::string store_and_read(const athanor::Engine& engine, const std::string& text) {
  orm::Registry registry;
  registry.map<Note>();
  registry.metadata().create_all(engine);
  orm::sessionmaker Session{engine};
  auto session = Session();
  session.add(Note{.text = text});
  session.commit();
  auto rows = session.execute(orm::select(orm::c<&Note::text>).where(orm::c<&Note::id> == 1));
  return rows.size() == 1 ? std::get<0>(rows[0]) : std::string("wrong result");
}
