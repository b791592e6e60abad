// athanor/backends.hpp — every backend built in (ATHANOR_WITH_SQLITE, _POSTGRESQL, _MYSQL: see
// config.hpp), registered for create_engine: each URL works. <athanor/engine.hpp> and
// <athanor/athanor.hpp> include it. A program on fewer backends can include <athanor/orm.hpp> and
// the header of each backend it uses (athanor/backend/) instead, and compiles only those drivers.
// A backend not built in registers nothing (SQLite: its dialect only, for offline SQL).
#pragma once

#include <athanor/backend/mysql.hpp>
#include <athanor/backend/postgresql.hpp>
#include <athanor/backend/sqlite.hpp>

#if defined(ATHANOR_SEPARATE_COMPILATION) && ATHANOR_DEFINITIONS
namespace athanor::detail {
// The library's unit: the first look-up registers every backend built in, so that an Engine made
// by a global's initializer in another file finds them whatever the order of static initialization.
void register_built_in_backends() {
  register_backend(sqlite_backend);
#  if ATHANOR_WITH_POSTGRESQL
  register_backend(postgresql_backend);
#  endif
#  if ATHANOR_WITH_MYSQL
  register_backend(mysql_backend);
#  endif
}
}  // namespace athanor::detail
#endif
