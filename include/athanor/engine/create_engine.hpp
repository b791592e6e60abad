// athanor/engine/create_engine.hpp — `create_engine(url, options)`: an Engine for a URL of any
// backend built in, with its dialect and driver. The one engine header that includes every driver
// and the SQL compiler (header-only: their code is compiled where create_engine is called);
// <athanor/engine.hpp> and <athanor/athanor.hpp> include it, <athanor/orm.hpp> does not (issue 17).
// A program on one backend can call that backend's own create_engine instead
// (<athanor/backend/sqlite.hpp>…), which compiles no other driver.
#pragma once

#include <string_view>  // std::string_view

#include <athanor/config.hpp>
#include <athanor/engine/detail/connect.hpp>
#include <athanor/engine/detail/make_engine.hpp>
#include <athanor/engine/engine.hpp>

namespace athanor {

/// Creates an Engine from a URL (see URL). No connection is opened until one is needed,
/// except for in-memory SQLite.
ATHANOR_DECL Engine create_engine(std::string_view url, EngineOptions options = {});

// Defined once with ATHANOR_SEPARATE_COMPILATION (issue 17): the URL parsing, the pool and its
// factory's std::function were compiled in every file that made an Engine.
#if ATHANOR_DEFINITIONS
ATHANOR_DECL Engine create_engine(std::string_view url, EngineOptions options) {
  auto u = URL::parse(url);
  const Dialect& dialect = detail::dialect_for(u);
  return detail::make_engine(std::move(u), dialect, &detail::connect, std::move(options));
}
#endif  // ATHANOR_DEFINITIONS

}  // namespace athanor
