// test/support/empty_database.hpp — drops every table of a test database, whatever made it
// (migration tests build schemas by DDL that no MetaData of theirs describes).
#pragma once

#include <athanor/athanor.hpp>
#include <athanor/migrate/inspect.hpp>

namespace test {

/// Drops every table the database holds, children first (reflected, then drop_all).
inline void empty_database(athanor::Engine& engine) {
  athanor::MetaData md;
  athanor::reflect(md, engine);
  md.drop_all(engine);
}

}  // namespace test
