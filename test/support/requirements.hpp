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
