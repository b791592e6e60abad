// athanor/backend/mysql.hpp — `athanor::mysql::create_engine(url, options)`: an Engine for a
// MySQL/MariaDB URL that compiles the MySQL/MariaDB driver only (issue 17). athanor::create_engine
// (<athanor/engine.hpp>, <athanor/athanor.hpp>) takes a URL of every backend built in and so
// compiles every driver where it is called; a program on MySQL/MariaDB alone can include
// <athanor/orm.hpp> and this header instead, and links no other backend's client library.
// **Example**: `#include <athanor/orm.hpp>` `#include <athanor/backend/mysql.hpp>` then
// `auto engine = athanor::mysql::create_engine("mysql://app@localhost/app");`
#pragma once

#include <string_view>  // std::string_view

#include <athanor/config.hpp>
#include <athanor/engine/detail/make_engine.hpp>
#include <athanor/engine/engine.hpp>

#if !ATHANOR_WITH_MYSQL
#  error "athanor: <athanor/backend/mysql.hpp> needs the MySQL/MariaDB backend (ATHANOR_WITH_MYSQL=1; see athanor/config.hpp)"
#endif

namespace athanor::mysql {

/// An Engine for a MySQL/MariaDB URL (see URL), as athanor::create_engine makes it; another backend's
/// URL is an ArgumentError naming the function and header that take it.
ATHANOR_DECL Engine create_engine(std::string_view url, EngineOptions options = {});

}  // namespace athanor::mysql

// Defined once with ATHANOR_SEPARATE_COMPILATION (<athanor/src.hpp> includes this header).
#if ATHANOR_DEFINITIONS
#  include <athanor/dialect/mysql.hpp>
#  include <athanor/driver/mysql.hpp>

namespace athanor::mysql {

ATHANOR_DECL Engine create_engine(std::string_view url, EngineOptions options) {
  return detail::make_backend_engine("mysql", url, detail::dialect_instance<MysqlDialect>(), &detail::mysql_connect, std::move(options));
}

}  // namespace athanor::mysql
#endif  // ATHANOR_DEFINITIONS
