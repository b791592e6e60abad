// test/support/backend.hpp — the one fixture every test takes its database from
// (STYLE.md rule 10): the backend comes from ATHANOR_TEST_BACKEND, the server URL from
// ATHANOR_TEST_POSTGRESQL_URL / ATHANOR_TEST_MYSQL_URL (ATHANOR_TEST_PGBOUNCER_URL for the
// "pgbouncer" run: PostgreSQL through PgBouncer in transaction pooling mode). Each test
// executable gets its own database on a server (named after ATHANOR_TEST_FEATURE), so
// executables run in parallel.
#pragma once

#include <doctest/doctest.h>

#include <athanor/athanor.hpp>

#include <cstdlib>
#include <filesystem>
#include <string>
#include <unistd.h>

namespace test {

inline std::string env(const char* name, std::string fallback = {}) {
  const char* v = std::getenv(name);
  return v && *v ? v : fallback;
}

/// ATHANOR_TEST_BACKEND as given: "sqlite" (in memory), "sqlite_file", "postgresql",
/// "pgbouncer" or "mysql".
inline std::string run_name() { return env("ATHANOR_TEST_BACKEND", "sqlite"); }

/// The database under test: "sqlite" (in memory), "sqlite_file", "postgresql" or "mysql". A
/// "pgbouncer" run is PostgreSQL (the same dialect and server), reached through the pooler.
inline std::string backend() {
  std::string b = run_name();
  return b == "pgbouncer" ? "postgresql" : b;
}

/// True when the connections go through a transaction pooler (PgBouncer, pool_mode =
/// transaction): consecutive transactions of one connection may run on different server
/// sessions, so session state (SET, LISTEN, advisory locks, temporary tables, pg_backend_pid())
/// does not carry over between them.
inline bool behind_pooler() { return run_name() == "pgbouncer"; }

/// The URL of a database of this executable's own on the backend under test, made afresh:
/// `suffix` names a second one beside url()'s (read-replica tests use one as a reader).
inline std::string fresh_url(const std::string& suffix) {
  std::string b = backend();
  std::string feature = env("ATHANOR_TEST_FEATURE", "tests") + suffix;
  if (b == "sqlite") return std::string("sqlite://");
  if (b == "sqlite_file") {
    auto path = std::filesystem::temp_directory_path() / ("athanor_" + feature + "_" + std::to_string(::getpid()) + ".db");
    std::filesystem::remove(path);
    return "sqlite:///" + path.string();
  }
  std::string var = b == "postgresql" ? "ATHANOR_TEST_POSTGRESQL_URL" : "ATHANOR_TEST_MYSQL_URL";
  std::string base = env(var.c_str());
  // Through the pooler: the database is made on the server itself, and reached by its name
  // through PgBouncer (its `*` entry passes any database name on).
  std::string pooler = behind_pooler() ? env("ATHANOR_TEST_PGBOUNCER_URL") : "";
  if (base.empty() || (behind_pooler() && pooler.empty())) {
    std::fprintf(stderr, "%s is not set: start the servers with ./dev test\n", base.empty() ? var.c_str() : "ATHANOR_TEST_PGBOUNCER_URL");
    std::exit(env("CI") == "true" ? 1 : 77);  // meson: 77 = skipped; CI never skips
  }
  // A database of its own for this executable: created from the server's default database.
  auto admin = athanor::create_engine(base);
  auto name = "athanor_" + feature;
  {
    auto c = admin.connect();
    // WITH (FORCE) (PostgreSQL 13+): PgBouncer may still hold idle server sessions on a
    // previous run's database.
    c.exec_driver_sql(b == "postgresql" ? "DROP DATABASE IF EXISTS \"" + name + "\"" + (behind_pooler() ? " WITH (FORCE)" : "")
                                        : "DROP DATABASE IF EXISTS `" + name + "`");
    c.exec_driver_sql(b == "postgresql" ? "CREATE DATABASE \"" + name + "\"" : "CREATE DATABASE `" + name + "` CHARACTER SET utf8mb4");
  }
  auto u = athanor::URL::parse(pooler.empty() ? base : pooler);
  u.database = name;
  return u.render(false);
}

/// The URL of this executable's own database on the backend under test.
inline std::string url() {
  static const std::string u = fresh_url("");
  return u;
}

inline athanor::Engine engine(athanor::EngineOptions options = {}) { return athanor::create_engine(url(), std::move(options)); }

/// A fresh schema for one test: tables are dropped before and after.
struct Schema {
  athanor::Engine engine = test::engine();
  athanor::MetaData md;
  void create() {
    md.drop_all(engine);
    md.create_all(engine);
  }
  ~Schema() {
    try {
      md.drop_all(engine);
    } catch (...) {
    }
  }
};

}  // namespace test
