// athanor/backend/postgresql.hpp — the PostgreSQL backend: `create_engine("postgresql://…")` in a
// program that includes this header. It registers the PostgreSQL dialect and driver (libpqxx and
// libpq; engine/detail/backend_registry.hpp) and declares create_engine. <athanor/backends.hpp> (and
// so <athanor/engine.hpp> and <athanor/athanor.hpp>) includes it; a program on PostgreSQL alone can
// include <athanor/orm.hpp> and this header instead, and compiles no other backend's driver (issue 17).
// **Example**: `#include <athanor/orm.hpp>` `#include <athanor/backend/postgresql.hpp>` then
// `auto engine = athanor::create_engine("postgresql://app@localhost/app");`
// Built without PostgreSQL (ATHANOR_WITH_POSTGRESQL=0) it registers nothing, and create_engine says
// athanor was built without it. With ATHANOR_SEPARATE_COMPILATION it compiles nothing: the library's
// unit registers every backend.
#pragma once

#include <athanor/config.hpp>
#include <athanor/engine/create_engine.hpp>

#if ATHANOR_DEFINITIONS && ATHANOR_WITH_POSTGRESQL
#  include <athanor/dialect/postgresql.hpp>
#  include <athanor/driver/postgresql.hpp>

namespace athanor::detail {
inline constexpr Backend postgresql_backend{"postgresql", &dialect_instance<PostgresqlDialect>, &postgresql_connect};
inline const bool postgresql_registered = register_backend(postgresql_backend);
}  // namespace athanor::detail
#endif
