// test/engine/backend_separate.cpp — each backend's own create_engine (<athanor/backend/…>), run on
// every backend with separate compilation (as every test of this suite is built): declared by its
// header, defined once in the library's unit (<athanor/src.hpp>), and the same Engine as
// athanor::create_engine makes for the URL (test/engine/backend_headers.cpp: header-only, SQLite).
#include "support/backend.hpp"

#include <athanor/backend/sqlite.hpp>
#if ATHANOR_WITH_POSTGRESQL
#  include <athanor/backend/postgresql.hpp>
#endif
#if ATHANOR_WITH_MYSQL
#  include <athanor/backend/mysql.hpp>
#endif

namespace {
/// The create_engine of the backend under test's own header.
athanor::Engine own_engine(const std::string& url, athanor::EngineOptions options = {}) {
#if ATHANOR_WITH_POSTGRESQL
  if (test::backend() == "postgresql") return athanor::postgresql::create_engine(url, std::move(options));
#endif
#if ATHANOR_WITH_MYSQL
  if (test::backend() == "mysql") return athanor::mysql::create_engine(url, std::move(options));
#endif
  return athanor::sqlite::create_engine(url, std::move(options));
}
}  // namespace

TEST_CASE("a backend's own create_engine makes the Engine athanor::create_engine makes") {
  auto engine = own_engine(test::url(), {.isolation_level = athanor::IsolationLevel::serializable});
  CHECK(&engine.dialect() == &test::engine().dialect());  // the one dialect object of its type
  CHECK(engine.url().render(false) == athanor::URL::parse(test::url()).render(false));
  auto conn = engine.connect();
  CHECK(*conn.execute(athanor::text("SELECT 40 + 2")).scalar<int>() == 42);
}

TEST_CASE("a backend's own create_engine refuses another backend's URL") {
  std::string other = test::backend() == "postgresql" ? "mysql://u@h/db" : "postgresql://u@h/db";
  CHECK_THROWS_AS(own_engine(other), athanor::ArgumentError);
}
