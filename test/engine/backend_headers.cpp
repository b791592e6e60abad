// test/engine/backend_headers.cpp — the lean path (issue 17): a header-only program whose files
// include <athanor/orm.hpp> and <athanor/backend/sqlite.hpp> only. It makes SQLite engines, its
// registry holds SQLite alone, and a URL of a backend it does not include gives a typed error
// that names the header. Built on its own (test/meson.build): not with the separately compiled
// library nor the tests' precompiled header, which register or parse every backend; and linked
// without libpqxx, libpq or libmariadb, which a file with no driver of theirs must not need.
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

// backend_headers_other.cpp, which includes <athanor/backend/sqlite.hpp> too.
athanor::Engine other_file_engine();

TEST_CASE("a program that includes only the SQLite backend makes SQLite engines") {
  for (auto engine : {orm::create_engine("sqlite://"), other_file_engine()}) {
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

TEST_CASE("its registry holds SQLite once, from two files that include its header") {
  auto& r = athanor::detail::backend_registry();
  REQUIRE(r.entries.size() == 1);
  CHECK(std::string(r.entries[0].name) == "sqlite");
  CHECK((r.entries[0].connect == &athanor::detail::sqlite_connect));
  // Registering again keeps one entry.
  CHECK(athanor::detail::register_backend(r.entries[0]));
  CHECK(r.entries.size() == 1);
}

TEST_CASE("a backend built in but not included: the error names its header") {
#if ATHANOR_WITH_POSTGRESQL
  CHECK_THROWS_WITH_AS(orm::create_engine("postgresql://u@localhost/db"),
                       "[athanor.argument.backend] this program does not include the postgresql backend: #include "
                       "<athanor/backend/postgresql.hpp> in the file that calls create_engine (<athanor/athanor.hpp> "
                       "includes every backend)",
                       athanor::ArgumentError);
#else
  CHECK_THROWS_WITH_AS(orm::create_engine("postgresql://u@localhost/db"),
                       "[athanor.argument.backend] athanor was built without postgresql support (install libpqxx-dev and reconfigure)",
                       athanor::ArgumentError);
#endif
#if ATHANOR_WITH_MYSQL
  CHECK_THROWS_WITH_AS(orm::create_engine("mariadb://u@localhost/db"),
                       "[athanor.argument.backend] this program does not include the mysql backend: #include "
                       "<athanor/backend/mysql.hpp> in the file that calls create_engine (<athanor/athanor.hpp> "
                       "includes every backend)",
                       athanor::ArgumentError);
#endif
}
