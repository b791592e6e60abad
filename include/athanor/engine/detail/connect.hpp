// athanor/engine/detail/connect.hpp — from a URL to a dialect and a driver connection.
// The one place where the engine picks a backend; backends not built in give a clear error.
#pragma once

#include <memory>    // std::unique_ptr

#include <athanor/config.hpp>
#include <athanor/dialect/dialect.hpp>
#include <athanor/driver/driver.hpp>
#include <athanor/driver/url.hpp>
#include <athanor/engine/detail/make_engine.hpp>

namespace athanor::detail {

/// The process-wide dialect of the URL's backend.
ATHANOR_DECL const Dialect& dialect_for(const URL& url);
/// A new driver connection to the URL's database.
ATHANOR_DECL std::unique_ptr<driver::Connection> connect(const URL& url);

}  // namespace athanor::detail

#if ATHANOR_DEFINITIONS
#include <athanor/dialect/sqlite.hpp>
#if ATHANOR_WITH_SQLITE
#  include <athanor/driver/sqlite.hpp>
#endif
#if ATHANOR_WITH_POSTGRESQL
#  include <athanor/dialect/postgresql.hpp>
#  include <athanor/driver/postgresql.hpp>
#endif
#if ATHANOR_WITH_MYSQL
#  include <athanor/dialect/mysql.hpp>
#  include <athanor/driver/mysql.hpp>
#endif

namespace athanor::detail {

[[noreturn]] inline void not_built(const std::string& backend, const char* package) {
  throw ArgumentError("[athanor.argument.backend] athanor was built without " + backend + " support (install " + package +
                      " and reconfigure)");
}

ATHANOR_DECL const Dialect& dialect_for(const URL& url) {
  if (url.backend == "sqlite") {
    return dialect_instance<SqliteDialect>();
  }
#if ATHANOR_WITH_POSTGRESQL
  if (url.backend == "postgresql") {
    return dialect_instance<PostgresqlDialect>();
  }
#endif
#if ATHANOR_WITH_MYSQL
  if (url.backend == "mysql") {
    return dialect_instance<MysqlDialect>();
  }
#endif
  not_built(url.backend, url.backend == "postgresql" ? "libpqxx-dev" : "libmariadb-dev");
}

ATHANOR_DECL std::unique_ptr<driver::Connection> connect(const URL& url) {
#if ATHANOR_WITH_SQLITE
  if (url.backend == "sqlite") return sqlite_connect(url);
#endif
#if ATHANOR_WITH_POSTGRESQL
  if (url.backend == "postgresql") return postgresql_connect(url);
#endif
#if ATHANOR_WITH_MYSQL
  if (url.backend == "mysql") return mysql_connect(url);
#endif
  not_built(url.backend, url.backend == "sqlite" ? "libsqlite3-dev" : url.backend == "postgresql" ? "libpqxx-dev" : "libmariadb-dev");
}

}  // namespace athanor::detail
#endif  // ATHANOR_DEFINITIONS
