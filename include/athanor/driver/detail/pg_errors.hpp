// athanor/driver/detail/pg_errors.hpp — PostgreSQL's errors to athanor's exceptions, for the
// PostgreSQL driver's out-of-line code (driver/impl/): SQLSTATEs and libpqxx's exceptions mapped,
// messages naming table, column and constraint but never a value the application bound.
#pragma once

#include <libpq-fe.h>
#include <pqxx/except>

#include <string>       // std::string
#include <string_view>  // std::string_view

#include <athanor/core/error.hpp>

namespace athanor::driver::postgresql::detail {

/// The fields of a server error that messages use. libpq's verbose error text carries them as
/// labelled lines (PQERRORS_VERBOSE: https://www.postgresql.org/docs/current/libpq-control.html);
/// libpqxx 6 keeps only that text and the SQLSTATE of the PGresult.
struct Diagnostics {
  std::string_view primary, detail, table, column, constraint;
};

inline Diagnostics diagnostics(std::string_view msg, std::string_view sqlstate) {
  Diagnostics d;
  bool first = true;
  while (!msg.empty()) {
    auto nl = msg.find('\n');
    std::string_view line = msg.substr(0, nl);
    msg = nl == std::string_view::npos ? std::string_view{} : msg.substr(nl + 1);
    if (first) {  // "ERROR:  23505: duplicate key value violates …"
      first = false;
      if (auto p = line.find(":  "); p != std::string_view::npos && p < 16) line.remove_prefix(p + 3);
      if (!sqlstate.empty() && line.starts_with(sqlstate) && line.substr(sqlstate.size()).starts_with(": ")) {
        line.remove_prefix(sqlstate.size() + 2);
      }
      d.primary = line;
      continue;
    }
    auto take = [&](std::string_view label, std::string_view& out) {
      if (!line.starts_with(label)) return false;
      out = line.substr(label.size());
      return true;
    };
    take("DETAIL:  ", d.detail) || take("TABLE NAME:  ", d.table) || take("COLUMN NAME:  ", d.column) ||
        take("CONSTRAINT NAME:  ", d.constraint);
  }
  return d;
}

/// The column list of a DETAIL "Key (a, b)=(…) …", without the values after it.
inline std::string_view key_columns(std::string_view detail) {
  if (!detail.starts_with("Key (")) return {};
  auto end = detail.find(")=(");
  return end == std::string_view::npos ? std::string_view{} : detail.substr(5, end - 5);
}

/// The name inside the first (or last) pair of double quotes of `s`.
inline std::string_view quoted(std::string_view s, bool last = false) {
  auto close = last ? s.rfind('"') : s.find('"', s.find('"') + 1);
  auto open = last ? s.rfind('"', close == 0 ? 0 : close - 1) : s.find('"');
  if (open == std::string_view::npos || close == std::string_view::npos || close <= open) return {};
  return s.substr(open + 1, close - open - 1);
}

/// "users.name", "users(a, b)", "users" or "" from what the server reported.
inline std::string where(std::string_view table, std::string_view columns) {
  std::string s(table);
  if (columns.empty()) return s;
  bool many = columns.find(',') != std::string_view::npos;
  if (s.empty()) return std::string(columns);
  return many ? s + "(" + std::string(columns) + ")" : s + "." + std::string(columns);
}

/// A data error's text without the value it quotes, which may be a secret the application
/// bound: `invalid input syntax for type integer: "abc"` → `invalid input syntax for type
/// integer`; `value "99999999999" is out of range for type integer` → `value is out of range
/// for type integer`.
inline std::string without_value(std::string msg) {
  if (msg.starts_with("value \"")) {
    auto close = msg.rfind("\" is out of range");
    if (close != std::string::npos && close > 6) msg.erase(5, close + 1 - 5);
  } else if (auto p = msg.find(": \""); p != std::string::npos && msg.ends_with('"')) {
    msg.resize(p);
  }
  return msg;
}

/// Throws the athanor exception for a server error, by SQLSTATE class
/// (https://www.postgresql.org/docs/current/errcodes-appendix.html). Integrity messages name
/// table, column and constraint, never the offending value (DETAIL has it: only its column
/// list is kept); data errors drop the value they quote.
[[noreturn]] inline void raise(std::string_view what, const std::string& state) {
  Diagnostics d = diagnostics(what, state);
  std::string msg(d.primary);
  std::string constraint = d.constraint.empty() ? "" : " (constraint " + std::string(d.constraint) + ")";
  auto cls = std::string_view(state).substr(0, 2);
  if (state == "23505") {
    std::string w = where(d.table, key_columns(d.detail));
    throw IntegrityError("[athanor.integrity.unique] " + (w.empty() ? "" : w + ": ") + "duplicate value" + constraint);
  }
  if (state == "23502") {
    std::string w = where(d.table, d.column);
    throw IntegrityError("[athanor.integrity.not_null] " + (w.empty() ? "" : w + ": ") + "NULL in a NOT NULL column");
  }
  if (state == "23503") {
    auto cols = key_columns(d.detail);
    if (d.detail.find("is still referenced from table") != std::string_view::npos) {
      // "update or delete on table "users" violates … on table "posts"": the key is the parent's.
      std::string w = where(quoted(d.primary), cols);
      throw IntegrityError("[athanor.integrity.foreign_key] " + (w.empty() ? "" : w + ": ") + "still referenced from " +
                           (d.table.empty() ? std::string("another table") : std::string(d.table)) + constraint);
    }
    // DETAIL "Key (user_id)=(…) is not present in table "users"." — the table is the last quoted name.
    std::string_view parent = d.detail.empty() ? std::string_view{} : quoted(d.detail, true);
    std::string w = where(d.table, cols);
    throw IntegrityError("[athanor.integrity.foreign_key] " + (w.empty() ? "" : w + ": ") + "no row of " +
                         (parent.empty() ? std::string("the referenced table") : std::string(parent)) + " matches" + constraint);
  }
  if (state == "23514") {
    throw IntegrityError("[athanor.integrity.check] " + (d.table.empty() ? "" : std::string(d.table) + ": ") + "check constraint " +
                         std::string(d.constraint) + " failed");
  }
  if (cls == "23") throw IntegrityError("[athanor.integrity] " + msg);
  if (state == "57014") {  // statement_timeout / cancel
    throw OperationalError("[athanor.operational.timeout] PostgreSQL cancelled the statement: " + msg);
  }
  if (state == "55P03") {  // lock_timeout, NOWAIT: a conflict, worth running again
    throw LockTimeout("[athanor.operational.timeout] PostgreSQL cancelled the statement: " + msg);
  }
  // Class 40, transaction rollback: the transaction is over and may succeed if run again
  // (https://www.postgresql.org/docs/current/mvcc-serialization-failure-handling.html).
  if (state == "40001") throw SerializationFailure("[athanor.operational.serialization] " + msg);
  if (state == "40P01") throw DeadlockDetected("[athanor.operational.deadlock] " + msg);
  if (state == "25P02") {
    throw DatabaseError(
        "[athanor.database.transaction_aborted] the transaction was aborted by an earlier error; roll it back (or "
        "back to a savepoint) before running more statements");
  }
  if (state == "25006") {
    // A write on a hot standby (or in a READ ONLY transaction): the server, not the SQL, is
    // the reason (a read replica, or a primary demoted by a failover); send it to the primary.
    throw OperationalError("[athanor.operational.read_only] the server accepts no writes here: " + msg);
  }
  if (state == "08P01" && msg.find("bind message supplies") != std::string::npos) {
    throw ArgumentError("[athanor.argument.params] " + msg);
  }
  if (cls == "08" || cls == "53" || cls == "57" || cls == "58" || cls == "40" || cls == "28" || cls == "55") {
    throw OperationalError("[athanor.operational] " + msg);
  }
  if (cls == "42" || cls == "0A" || cls == "3D" || cls == "3F" || cls == "26" || cls == "34") {
    throw ProgrammingError("[athanor.programming] " + msg);
  }
  if (cls == "22") throw DataError("[athanor.data] " + without_value(msg));
  throw DatabaseError("[athanor.database] " + msg);
}

/// Maps the exception in flight (call from a catch block) to athanor's; lets athanor's pass.
[[noreturn]] inline void rethrow() {
  try {
    throw;
  } catch (const pqxx::broken_connection&) {
    // libpqxx's text here is about its own next step ("Could not obtain client encoding"),
    // not the cause, which libpq no longer has either.
    throw OperationalError(
        "[athanor.operational.disconnected] the connection to PostgreSQL was lost (server restart or shutdown, "
        "session terminated, or network failure)");
  } catch (const pqxx::sql_error& e) {
    raise(e.what(), e.sqlstate());
  } catch (const pqxx::in_doubt_error& e) {
    throw OperationalError(std::string("[athanor.operational] ") + e.what());
  } catch (const pqxx::failure& e) {
    throw DatabaseError(std::string("[athanor.database] ") + e.what());
  } catch (const pqxx::pqxx_exception& e) {  // usage_error, argument_error…: a bug here, said plainly
    throw DatabaseError(std::string("[athanor.database] libpqxx: ") + e.base().what());
  }
}

/// Throws the athanor exception for a failed libpq call (`r` may be null when libpq ran out
/// of memory or lost the connection before a result came).
[[noreturn]] inline void raise_result(PGconn* conn, const PGresult* r) {
  if (PQstatus(conn) != CONNECTION_OK) {
    // As libpqxx did (pqxx::broken_connection): libpq's text is about its own next step.
    throw OperationalError(
        "[athanor.operational.disconnected] the connection to PostgreSQL was lost (server restart or shutdown, "
        "session terminated, or network failure)");
  }
  const char* state = r ? PQresultErrorField(r, PG_DIAG_SQLSTATE) : nullptr;
  raise(r ? PQresultErrorMessage(r) : PQerrorMessage(conn), state ? state : "");
}

}  // namespace athanor::driver::postgresql::detail
