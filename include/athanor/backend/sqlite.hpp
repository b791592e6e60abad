// athanor/backend/sqlite.hpp — `athanor::sqlite::create_engine(url, options)`: an Engine for a
// SQLite URL that compiles the SQLite driver only (issue 17). athanor::create_engine
// (<athanor/engine.hpp>, <athanor/athanor.hpp>) takes a URL of every backend built in and so
// compiles every driver where it is called; a program on SQLite alone can include
// <athanor/orm.hpp> and this header instead, and links no other backend's client library.
// **Example**: `#include <athanor/orm.hpp>` `#include <athanor/backend/sqlite.hpp>` then
// `auto engine = athanor::sqlite::create_engine("sqlite:///app.db");`
#pragma once

#include <string_view>  // std::string_view

#include <athanor/config.hpp>
#include <athanor/engine/detail/make_engine.hpp>
#include <athanor/engine/engine.hpp>

#if !ATHANOR_WITH_SQLITE
#  error "athanor: <athanor/backend/sqlite.hpp> needs the SQLite backend (ATHANOR_WITH_SQLITE=1; see athanor/config.hpp)"
#endif

namespace athanor::sqlite {

/// An Engine for a SQLite URL (see URL), as athanor::create_engine makes it; another backend's
/// URL is an ArgumentError naming the function and header that take it.
ATHANOR_DECL Engine create_engine(std::string_view url, EngineOptions options = {});

}  // namespace athanor::sqlite

// Defined once with ATHANOR_SEPARATE_COMPILATION (<athanor/src.hpp> includes this header).
#if ATHANOR_DEFINITIONS
#  include <athanor/dialect/sqlite.hpp>
#  include <athanor/driver/sqlite.hpp>

namespace athanor::sqlite {

ATHANOR_DECL Engine create_engine(std::string_view url, EngineOptions options) {
  return detail::make_backend_engine("sqlite", url, detail::dialect_instance<SqliteDialect>(), &detail::sqlite_connect, std::move(options));
}

}  // namespace athanor::sqlite
#endif  // ATHANOR_DEFINITIONS
