// athanor/backend/mysql.hpp — the MySQL/MariaDB backend: `create_engine("mysql://…")` (or
// `mariadb://`) in a program that includes this header. It registers the MySQL dialect and driver
// (MariaDB Connector/C; engine/detail/backend_registry.hpp) and declares create_engine.
// <athanor/backends.hpp> (and so <athanor/engine.hpp> and <athanor/athanor.hpp>) includes it; a
// program on MariaDB alone can include <athanor/orm.hpp> and this header instead, and compiles no
// other backend's driver (issue 17).
// **Example**: `#include <athanor/orm.hpp>` `#include <athanor/backend/mysql.hpp>` then
// `auto engine = athanor::create_engine("mysql://app@localhost/app");`
// Built without it (ATHANOR_WITH_MYSQL=0) it registers nothing, and create_engine says athanor was
// built without it. With ATHANOR_SEPARATE_COMPILATION it compiles nothing: the library's unit
// registers every backend.
#pragma once

#include <athanor/config.hpp>
#include <athanor/engine/create_engine.hpp>

#if ATHANOR_DEFINITIONS && ATHANOR_WITH_MYSQL
#  include <athanor/dialect/mysql.hpp>
#  include <athanor/driver/mysql.hpp>

namespace athanor::detail {
inline constexpr Backend mysql_backend{"mysql", &dialect_instance<MysqlDialect>, &mysql_connect};
inline const bool mysql_registered = register_backend(mysql_backend);
}  // namespace athanor::detail
#endif
