// athanor/dialect/reflectors.hpp — the catalog reader of each backend, picked by dialect name
// (the dialect layer may name backends; the Dialect class itself stays free of reflection code,
// so programs that never reflect compile none of it).
#pragma once

#include <athanor/config.hpp>
#include <athanor/dialect/dialect.hpp>
#include <athanor/dialect/reflection.hpp>

// The readers are compiled where the definitions are (the one source unit of a separately
// compiled build): a program that reflects compiles none of their code per translation unit.
#if ATHANOR_DEFINITIONS
#  include <athanor/dialect/reflect_mysql.hpp>
#  include <athanor/dialect/reflect_postgresql.hpp>
#  include <athanor/dialect/reflect_sqlite.hpp>
#endif

namespace athanor::detail {

/// The reader for `d`'s backend (ArgumentError `[athanor.argument.unsupported]` for another dialect).
ATHANOR_DECL const Reflector& reflector_for(const Dialect& d);

#if ATHANOR_DEFINITIONS
ATHANOR_DECL const Reflector& reflector_for(const Dialect& d) {
  static const SqliteReflector sqlite;
  static const PostgresqlReflector postgresql;
  static const MysqlReflector mysql;
  if (d.name() == "sqlite") return sqlite;
  if (d.name() == "postgresql") return postgresql;
  if (d.name() == "mysql") return mysql;
  d.unsupported("schema reflection", "reflection reads SQLite, PostgreSQL and MariaDB catalogs");
}
#endif

}  // namespace athanor::detail
