// test/engine/backend_separate.cpp — a backend's own create_engine with separate compilation (as
// every test of this suite is built): declared by <athanor/backend/sqlite.hpp>, defined once in the
// library's unit (<athanor/src.hpp>), and the same Engine as athanor::create_engine makes.
#include <doctest/doctest.h>

#include <athanor/backend/sqlite.hpp>
#include <athanor/core/text.hpp>
#include <athanor/engine/connection.hpp>
#include <athanor/engine/result.hpp>

TEST_CASE("athanor::sqlite::create_engine, separately compiled, connects and keeps the URL's options") {
  auto engine = athanor::sqlite::create_engine("sqlite://?isolation_level=serializable");
  CHECK(engine.dialect().name() == "sqlite");
  auto conn = engine.connect();
  CHECK(*conn.execute(athanor::text("SELECT 40 + 2")).scalar<int>() == 42);
  // A level SQLite cannot give fails at create_engine, as with athanor::create_engine.
  CHECK_THROWS_AS(athanor::sqlite::create_engine("sqlite://?isolation_level=read_committed"), athanor::ArgumentError);
}
