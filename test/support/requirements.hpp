// test/support/requirements.hpp — named capability checks for test bodies (STYLE.md rule 10):
// a body asks "does this dialect have X?", never "is this backend Y?".
#pragma once

#include "support/backend.hpp"
#include "support/printing.hpp"

namespace test {

/// The capabilities of the dialect under test.
inline const athanor::Capabilities& caps() {
  static const athanor::Engine e = engine();
  return e.dialect().capabilities();
}

/// True when the backend keeps only one connection (in-memory SQLite shares it): tests
/// that need two independent sessions say so with a MESSAGE and skip that part.
inline bool shared_single_connection() {
  static const athanor::Engine e = engine();
  return e.url().is_memory();
}

/// Runs `f` and returns the message of the athanor::Error it throws ("" when none).
template <class F>
std::string error_message(F&& f) {
  try {
    f();
  } catch (const athanor::Error& e) {
    return e.what();
  }
  return {};
}

}  // namespace test

namespace test {

/// A URL of the backend under test that cannot be connected to (a database that does not
/// exist, a file in a directory that does not exist), keeping the real credentials.
inline std::string unreachable_url() {
  auto u = athanor::URL::parse(url());
  u.database = u.backend == "sqlite" ? "/nonexistent-athanor-dir/none.db" : "athanor_no_such_database";
  return u.render(false);
}

}  // namespace test

namespace test {

// Requirements no Capabilities flag covers, named and defined per backend here (SQLAlchemy's
// requirements.py), so that test bodies ask what the database does, not which one it is.

/// The backend is a server that logs users in with a password (PostgreSQL, MySQL/MariaDB).
inline bool has_login() { return backend() == "postgresql" || backend() == "mysql"; }
/// The URL option that names the server's unix socket (its directory, for PostgreSQL).
inline std::string socket_option() { return backend() == "postgresql" ? "host" : "unix_socket"; }
/// SQL giving the server's largest client message in bytes where a setting holds it (MariaDB's
/// max_allowed_packet); "" where the bound is fixed (PostgreSQL's 1 GB) or there is none (SQLite).
inline std::string max_message_sql() { return backend() == "mysql" ? "SELECT @@max_allowed_packet" : ""; }
/// A text column holds a NUL byte (PostgreSQL's text types cannot).
inline bool text_holds_nul() { return backend() != "postgresql"; }
/// LIKE sees a NUL byte as a character; SQLite's reads pattern and text only up to the first
/// NUL (https://sqlite.org/nulinstr.html).
inline bool like_sees_nul() { return backend() == "postgresql" || backend() == "mysql"; }
/// A text column checks that what it is given is valid UTF-8 (SQLite stores any bytes).
inline bool text_checks_utf8() { return backend() == "postgresql" || backend() == "mysql"; }
/// A double -0.0 reads back with its sign (SQLite and MariaDB store it as 0).
inline bool keeps_negative_zero() { return backend() == "postgresql"; }
/// Significant digits a Numeric keeps exactly (SQLite's NUMERIC affinity keeps 15).
inline int exact_numeric_digits() { return backend() == "postgresql" || backend() == "mysql" ? 38 : 15; }
/// The longest LIKE pattern the backend takes, in bytes (SQLITE_MAX_LIKE_PATTERN_LENGTH).
inline std::size_t max_like_pattern() {
  return backend() == "postgresql" || backend() == "mysql" ? ~std::size_t{0} : 50000;
}

}  // namespace test
