// athanor/backend/postgresql.hpp — `athanor::postgresql::create_engine(url, options)`: an Engine for a
// PostgreSQL URL that compiles the PostgreSQL driver only (issue 17). athanor::create_engine
// (<athanor/engine.hpp>, <athanor/athanor.hpp>) takes a URL of every backend built in and so
// compiles every driver where it is called; a program on PostgreSQL alone can include
// <athanor/orm.hpp> and this header instead, and links no other backend's client library.
// **Example**: `#include <athanor/orm.hpp>` `#include <athanor/backend/postgresql.hpp>` then
// `auto engine = athanor::postgresql::create_engine("postgresql://app@localhost/app");`
#pragma once

#include <string_view>  // std::string_view

#include <athanor/config.hpp>
#include <athanor/engine/detail/make_engine.hpp>
#include <athanor/engine/engine.hpp>

#if !ATHANOR_WITH_POSTGRESQL
#  error "athanor: <athanor/backend/postgresql.hpp> needs the PostgreSQL backend (ATHANOR_WITH_POSTGRESQL=1; see athanor/config.hpp)"
#endif

namespace athanor::postgresql {

/// An Engine for a PostgreSQL URL (see URL), as athanor::create_engine makes it; another backend's
/// URL is an ArgumentError naming the function and header that take it.
ATHANOR_DECL Engine create_engine(std::string_view url, EngineOptions options = {});

}  // namespace athanor::postgresql

// Defined once with ATHANOR_SEPARATE_COMPILATION (<athanor/src.hpp> includes this header).
#if ATHANOR_DEFINITIONS
#  include <athanor/dialect/postgresql.hpp>
#  include <athanor/driver/postgresql.hpp>

namespace athanor::postgresql {

ATHANOR_DECL Engine create_engine(std::string_view url, EngineOptions options) {
  return detail::make_backend_engine("postgresql", url, detail::dialect_instance<PostgresqlDialect>(), &detail::postgresql_connect, std::move(options));
}

}  // namespace athanor::postgresql
#endif  // ATHANOR_DEFINITIONS
