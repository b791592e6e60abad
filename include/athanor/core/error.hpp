// athanor/core/error.hpp — the exception hierarchy shared by every layer.
// Each message starts with a stable id in brackets ("[athanor.integrity.unique] …") so that
// tests and callers can match it; messages name tables, columns and constraints, never secrets.
#pragma once

#include <stdexcept>  // std::runtime_error
#include <string>     // std::string

namespace athanor {

/// Base of every exception athanor throws.
/// **Example**: `try { … } catch (const athanor::Error& e) { log(e.what()); }`
class Error : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

/// Misuse detected before anything reaches the database: a malformed URL, an unknown
/// column, a feature the dialect lacks, a missing bound parameter.
class ArgumentError : public Error {
 public:
  using Error::Error;
};

/// An error reported by the database or its client library.
class DatabaseError : public Error {
 public:
  using Error::Error;
};
/// A constraint was violated (unique, not null, foreign key, check).
class IntegrityError : public DatabaseError {
 public:
  using DatabaseError::DatabaseError;
};
/// The connection or server failed: cannot connect, lost connection, timeout, busy.
class OperationalError : public DatabaseError {
 public:
  using DatabaseError::DatabaseError;
};
/// The server gave up on the transaction (or on its statement) because of a concurrent one:
/// rolled back and run again from its start, it may well succeed. `transaction(…, {.retries = n})`
/// does that for these errors and no others.
class TransactionConflict : public OperationalError {
 public:
  using OperationalError::OperationalError;
};
/// The transaction could not be serialized with concurrent ones: PostgreSQL SQLSTATE 40001
/// (serializable or repeatable read), SQLite SQLITE_BUSY_SNAPSHOT (a read snapshot too old to write).
class SerializationFailure : public TransactionConflict {
 public:
  using TransactionConflict::TransactionConflict;
};
/// The server broke a deadlock by rolling this transaction back: PostgreSQL 40P01, MariaDB 1213
/// (also Galera's certification failure).
class DeadlockDetected : public TransactionConflict {
 public:
  using TransactionConflict::TransactionConflict;
};
/// A lock was not granted in time: MariaDB 1205 (innodb_lock_wait_timeout; only the statement
/// is rolled back), PostgreSQL 55P03 (lock_timeout, NOWAIT), SQLite SQLITE_BUSY ("database is locked").
class LockTimeout : public TransactionConflict {
 public:
  using TransactionConflict::TransactionConflict;
};
/// The link to the server was lost while COMMIT was under way: the transaction may or may not
/// be stored, and only the data can tell. Never retried automatically.
class CommitResultUnknown : public OperationalError {
 public:
  using OperationalError::OperationalError;
};
/// The SQL is wrong for the schema: unknown table or column, syntax error.
class ProgrammingError : public DatabaseError {
 public:
  using DatabaseError::DatabaseError;
};
/// A value does not fit its column: out of range, invalid text for the type.
class DataError : public DatabaseError {
 public:
  using DatabaseError::DatabaseError;
};

/// `Result::one()` found no row.
class NoResultFound : public Error {
 public:
  NoResultFound() : Error("[athanor.result.no_row] one(): no row was found") {}
};
/// `Result::one()` / `one_or_none()` found more than one row.
class MultipleResultsFound : public Error {
 public:
  MultipleResultsFound() : Error("[athanor.result.multiple_rows] one(): more than one row was found") {}
};
/// An unloaded attribute was touched on an object whose Session is gone.
class DetachedInstanceError : public Error {
 public:
  using Error::Error;
};
/// An UPDATE or DELETE guarded by a version column matched no row.
class StaleDataError : public Error {
 public:
  using Error::Error;
};

}  // namespace athanor
