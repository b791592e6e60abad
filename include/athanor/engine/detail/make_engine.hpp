// athanor/engine/detail/make_engine.hpp — an Engine from a parsed URL, a dialect and a connect
// function: what create_engine (every backend built in) and each backend's own create_engine
// (<athanor/backend/sqlite.hpp>…, that backend only) share: the isolation level, the pool and its
// factory. Names no driver, so a backend's header compiles its own driver only (issue 17).
#pragma once

#include <memory>       // std::unique_ptr
#include <string_view>  // std::string_view

#include <athanor/config.hpp>
#include <athanor/driver/driver.hpp>
#include <athanor/driver/url.hpp>
#include <athanor/engine/engine.hpp>
#if ATHANOR_DEFINITIONS
#include <athanor/engine/detail/queue_pool.hpp>
#endif

namespace athanor::detail {

/// Opens a driver connection to a URL's database.
using ConnectFunction = std::unique_ptr<driver::Connection> (*)(const URL&);

/// The one dialect object of type D, made on first use and kept until the program ends
/// (statements and the flush's SQL cache keep a pointer to their dialect).
template <class D>
const Dialect& dialect_instance() {
  static const D d;
  return d;
}

/// The Engine of `url`, speaking `dialect` (which outlives it), whose pool opens connections
/// with `connect`.
ATHANOR_DECL Engine make_engine(URL url, const Dialect& dialect, ConnectFunction connect, EngineOptions options);

/// A backend's own create_engine (athanor::sqlite::create_engine…): the Engine of `url`, whose
/// backend must be `backend`, else ArgumentError naming the function and header that take it.
ATHANOR_DECL Engine make_backend_engine(std::string_view backend, std::string_view url, const Dialect& dialect,
                                        ConnectFunction connect, EngineOptions options);

}  // namespace athanor::detail

#if ATHANOR_DEFINITIONS
namespace athanor::detail {

ATHANOR_DECL Engine make_engine(URL url, const Dialect& dialect, ConnectFunction connect, EngineOptions options) {
  auto s = std::make_shared<EngineState>();
  s->url = std::move(url);
  s->dialect = &dialect;
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
  s->pool = std::make_unique<QueuePool>(
      [u = s->url, session_sql, connect] {
        auto c = connect(u);
        if (!session_sql.empty()) c->exec(session_sql);
        return c;
      },
      s->options.pool, shared);
  return Engine(std::move(s));
}

ATHANOR_DECL Engine make_backend_engine(std::string_view backend, std::string_view url, const Dialect& dialect,
                                        ConnectFunction connect, EngineOptions options) {
  auto u = URL::parse(url);
  if (u.backend != backend) {
    std::string b(backend);
    throw ArgumentError("[athanor.argument.backend] athanor::" + b + "::create_engine (<athanor/backend/" + b + ".hpp>) takes " + b +
                        ":// URLs, not " + u.backend + "://: use athanor::" + u.backend + "::create_engine (<athanor/backend/" +
                        u.backend + ".hpp>), or athanor::create_engine (<athanor/engine.hpp>) for every backend built in");
  }
  return make_engine(std::move(u), dialect, connect, std::move(options));
}

}  // namespace athanor::detail
#endif  // ATHANOR_DEFINITIONS
