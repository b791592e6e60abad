// athanor/core/isolation.hpp — `IsolationLevel`, the SQL standard's transaction isolation
// levels. Dialects write them (dialect/*.hpp), the engine takes them per engine and per
// transaction (EngineOptions::isolation_level, Connection::begin, Session::begin).
#pragma once

#include <optional>     // std::optional
#include <string>       // std::string
#include <string_view>  // std::string_view

#include <athanor/core/error.hpp>

namespace athanor {

/// An isolation level of a transaction (https://www.postgresql.org/docs/current/transaction-iso.html).
/// **Example**: `auto tx = conn.begin(IsolationLevel::serializable);`
enum class IsolationLevel { read_uncommitted, read_committed, repeatable_read, serializable };

/// "READ COMMITTED" and so on, as SQL writes it.
inline std::string_view sql_name(IsolationLevel l) {
  switch (l) {
    case IsolationLevel::read_uncommitted:
      return "READ UNCOMMITTED";
    case IsolationLevel::read_committed:
      return "READ COMMITTED";
    case IsolationLevel::repeatable_read:
      return "REPEATABLE READ";
    case IsolationLevel::serializable:
      return "SERIALIZABLE";
  }
  return "SERIALIZABLE";
}

/// The level named `text`: "serializable", "repeatable_read", "REPEATABLE READ", "read-committed"…
/// (case, spaces, '-' and '_' alike, as SQLAlchemy's `isolation_level=` takes them); ArgumentError otherwise.
inline IsolationLevel parse_isolation_level(std::string_view text) {
  std::string k;
  for (char c : text)
    k += (c == ' ' || c == '-') ? '_' : static_cast<char>(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c);
  if (k == "read_uncommitted")
    return IsolationLevel::read_uncommitted;
  if (k == "read_committed")
    return IsolationLevel::read_committed;
  if (k == "repeatable_read")
    return IsolationLevel::repeatable_read;
  if (k == "serializable")
    return IsolationLevel::serializable;
  throw ArgumentError("[athanor.argument.isolation_level] unknown isolation level '" + std::string(text.substr(0, 40)) +
                      "' (use read_uncommitted, read_committed, repeatable_read or serializable)");
}

}  // namespace athanor
