// test/engine/backend_headers.cpp — the lean path (issue 17): a header-only program whose files
// include <athanor/orm.hpp> and <athanor/backend/sqlite.hpp> only. athanor::sqlite::create_engine
// makes SQLite engines, and another backend's URL gives a typed error that names the function
// and header that take it. Built on its own (test/meson.build): not with the separately compiled
// library nor the tests' precompiled header, which bring every driver; and linked without
// libpqxx, libpq or libmariadb, which a file with no driver of theirs must not need.
#define DOCTEST_CONFIG_IMPLEMENT_WITH_MAIN
#include <doctest/doctest.h>

#include <athanor/backend/sqlite.hpp>
#include <athanor/orm.hpp>

#include <optional>
#include <string>

#if defined(LIBPQ_FE_H) || defined(_mysql_h)
#  error "<athanor/backend/sqlite.hpp> and <athanor/orm.hpp> parsed another backend's client library"
#endif

namespace orm = athanor::orm;

namespace lean {
struct Note {
  orm::Mapped<int> id;
  orm::Mapped<std::string> text;
  static void configure(orm::Mapper<Note>& m) {
    m.column<&Note::id>().primary_key();
    m.column<&Note::text>().length(40);
  }
};
ATHANOR_MODEL(Note, "notes", id, text)
}  // namespace lean

// backend_headers_other.cpp, which includes <athanor/backend/sqlite.hpp> too (one definition of
// its header-only create_engine in the program).
athanor::Engine other_file_engine();

TEST_CASE("athanor::sqlite::create_engine makes SQLite engines") {
  for (auto engine : {athanor::sqlite::create_engine("sqlite://"), other_file_engine()}) {
    orm::Registry registry;
    registry.map<lean::Note>();
    registry.metadata().create_all(engine);
    orm::sessionmaker Session{engine};
    auto session = Session();
    session.add(lean::Note{.text = "lean"});
    session.commit();
    auto rows = session.execute(orm::select(orm::c<&lean::Note::text>).where(orm::c<&lean::Note::id> == 1));
    REQUIRE(rows.size() == 1);
    CHECK(std::get<0>(rows[0]) == "lean");
  }
}

TEST_CASE("athanor::sqlite::create_engine: another backend's URL names the function and header that take it") {
  CHECK_THROWS_WITH_AS(athanor::sqlite::create_engine("postgresql://u@localhost/db"),
                       "[athanor.argument.backend] athanor::sqlite::create_engine (<athanor/backend/sqlite.hpp>) takes sqlite:// "
                       "URLs, not postgresql://: use athanor::postgresql::create_engine (<athanor/backend/postgresql.hpp>), or "
                       "athanor::create_engine (<athanor/engine.hpp>) for every backend built in",
                       athanor::ArgumentError);
  CHECK_THROWS_WITH_AS(athanor::sqlite::create_engine("mariadb://u@localhost/db"),
                       "[athanor.argument.backend] athanor::sqlite::create_engine (<athanor/backend/sqlite.hpp>) takes sqlite:// "
                       "URLs, not mysql://: use athanor::mysql::create_engine (<athanor/backend/mysql.hpp>), or "
                       "athanor::create_engine (<athanor/engine.hpp>) for every backend built in",
                       athanor::ArgumentError);
  // The URL's own errors come first, as athanor::create_engine gives them.
  CHECK_THROWS_WITH_AS(athanor::sqlite::create_engine("oracle://h/db"),
                       "[athanor.argument.url] malformed database URL: unknown backend 'oracle' (use sqlite, postgresql or mysql)",
                       athanor::ArgumentError);
}
