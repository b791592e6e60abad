// athanor/dialect/alters.hpp — `detail::alter_renderer_for(dialect)`: the schema-change writer
// of a dialect (the migration renderer asks; chosen by name as reflectors.hpp does).
#pragma once

#include <athanor/dialect/alter_mysql.hpp>
#include <athanor/dialect/alter_sqlite.hpp>

namespace athanor::detail {

inline const AlterRenderer& alter_renderer_for(const Dialect& d) {
  static const AlterRenderer standard;  // PostgreSQL
  static const MysqlAlterRenderer mysql;
  static const SqliteAlterRenderer sqlite;
  if (d.name() == "sqlite") return sqlite;
  if (d.name() == "mysql") return mysql;
  return standard;
}

}  // namespace athanor::detail
