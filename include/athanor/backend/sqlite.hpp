// athanor/backend/sqlite.hpp — the SQLite backend: `create_engine("sqlite://…")` in a program that
// includes this header. It registers the SQLite dialect and driver (engine/detail/backend_registry.hpp)
// and declares create_engine. <athanor/backends.hpp> (and so <athanor/engine.hpp> and
// <athanor/athanor.hpp>) includes it; a program on SQLite alone can include <athanor/orm.hpp> and this
// header instead, and compiles no other backend's driver (issue 17).
// **Example**: `#include <athanor/orm.hpp>` `#include <athanor/backend/sqlite.hpp>` then
// `auto engine = athanor::create_engine("sqlite:///app.db");`
// Built without SQLite (ATHANOR_WITH_SQLITE=0), it registers the dialect alone (offline SQL, such as
// `athanor upgrade --sql --dialect sqlite`), and a connection says athanor was built without SQLite.
// With ATHANOR_SEPARATE_COMPILATION it compiles nothing: the library's unit registers every backend.
#pragma once

#include <athanor/config.hpp>
#include <athanor/engine/create_engine.hpp>

#if ATHANOR_DEFINITIONS
#  include <athanor/dialect/sqlite.hpp>
#  if ATHANOR_WITH_SQLITE
#    include <athanor/driver/sqlite.hpp>
#  endif

namespace athanor::detail {
#  if ATHANOR_WITH_SQLITE
inline constexpr Backend sqlite_backend{"sqlite", &dialect_instance<SqliteDialect>, &sqlite_connect};
#  else
inline constexpr Backend sqlite_backend{"sqlite", &dialect_instance<SqliteDialect>, nullptr};
#  endif
inline const bool sqlite_registered = register_backend(sqlite_backend);
}  // namespace athanor::detail
#endif  // ATHANOR_DEFINITIONS
