// test/engine/backend_registry.cpp — the backend registry with separate compilation (as every test
// of this suite is built): the library's unit registers every backend built in, whatever this file
// includes, even for an Engine that a global's initializer makes before the library's own
// registrations have run (this object is linked, and so initialized, before the library's).
#include <doctest/doctest.h>

#include <athanor/engine.hpp>

#include <string>

namespace {
// Made during static initialization: only the first look-up's registration of every backend
// built in (detail::backend_for) lets it find SQLite here.
const athanor::Engine early = athanor::create_engine("sqlite://");
}  // namespace

TEST_CASE("an Engine made by a global's initializer connects") {
  auto conn = early.connect();
  CHECK(*conn.execute(athanor::text("SELECT 40 + 2")).scalar<int>() == 42);
}

TEST_CASE("every backend built in has its dialect, by its URL's name") {
  using athanor::detail::dialect_for;
  CHECK(dialect_for(athanor::URL::parse("sqlite://")).name() == "sqlite");
#if ATHANOR_WITH_POSTGRESQL
  CHECK(dialect_for(athanor::URL::parse("postgres://h/db")).name() == "postgresql");
#endif
#if ATHANOR_WITH_MYSQL
  CHECK(dialect_for(athanor::URL::parse("mariadb://h/db")).name() == "mysql");
#endif
}
