// athanor/engine/create_engine.hpp — `create_engine(url, options)`: an Engine for a URL, with the
// dialect and driver that the URL's backend registered (engine/detail/backend_registry.hpp). It
// includes no driver: a backend's header does (<athanor/backend/sqlite.hpp>…, all of them through
// <athanor/backends.hpp>, which <athanor/engine.hpp> and <athanor/athanor.hpp> include). Header-only,
// the pool's implementation is compiled where an Engine is created; <athanor/orm.hpp> does not
// include this header (issue 17).
#pragma once

#include <memory>       // std::make_shared, std::make_unique
#include <string>       // std::string
#include <string_view>  // std::string_view

#include <athanor/config.hpp>
#include <athanor/engine/detail/backend_registry.hpp>
#include <athanor/engine/engine.hpp>
#if ATHANOR_DEFINITIONS
#include <athanor/engine/detail/queue_pool.hpp>
#endif

namespace athanor {

/// Creates an Engine from a URL (see URL). No connection is opened until one is needed,
/// except for in-memory SQLite.
ATHANOR_DECL Engine create_engine(std::string_view url, EngineOptions options = {});

// Defined once with ATHANOR_SEPARATE_COMPILATION (issue 17): the URL parsing, the pool and its
// factory's std::function were compiled in every file that made an Engine.
#if ATHANOR_DEFINITIONS
ATHANOR_DECL Engine create_engine(std::string_view url, EngineOptions options) {
  auto s = std::make_shared<detail::EngineState>();
  s->url = URL::parse(url);
  s->dialect = &detail::dialect_for(s->url);
  s->options = std::move(options);
  if (auto level = s->url.option("isolation_level"); !level.empty()) {
    auto parsed = parse_isolation_level(level);
    if (s->options.isolation_level && *s->options.isolation_level != parsed) {
      throw ArgumentError("[athanor.argument.isolation_level] the URL's isolation_level and EngineOptions::isolation_level differ");
    }
    s->options.isolation_level = parsed;
  }
  std::string session_sql;  // the engine's level, set on each new connection where the dialect does it so
  if (auto level = s->options.isolation_level) {
    (void)s->dialect->begin_statements(level);  // a level the backend cannot give fails here, not at first use
    session_sql = s->dialect->connection_isolation_sql(*level);
  }
  bool shared = s->url.is_memory();
  s->pool = std::make_unique<detail::QueuePool>(
      [u = s->url, session_sql] {
        auto c = detail::connect(u);
        if (!session_sql.empty()) c->exec(session_sql);
        return c;
      },
      s->options.pool, shared);
  return Engine(std::move(s));
}
#endif  // ATHANOR_DEFINITIONS

}  // namespace athanor
