// athanor/engine/engine.hpp — `Engine` and `create_engine`: the starting point, as in
// SQLAlchemy. An Engine holds the URL, the dialect and the connection pool; it is cheap to
// copy (copies share everything) and safe to use from many threads.
#pragma once

#include <memory>  // std::shared_ptr
#include <string>  // std::string

#include <athanor/config.hpp>
#include <athanor/engine/connection.hpp>
#include <athanor/engine/detail/connect.hpp>

namespace athanor {

/// A database, reached through a pool of connections.
/// **Example**: `auto engine = create_engine("sqlite:///blog.db", {.echo = true});`
class Engine {
 public:
  /// The engine of state `s` (create_engine() makes it).
  explicit Engine(std::shared_ptr<detail::EngineState> s) : state_(std::move(s)) {}

  /// A connection in autocommit mode; use `begin()` on it for a transaction.
  Connection connect() const {
    return Connection(std::make_unique<detail::ConnectionImpl>(state_, state_->pool->checkout()));
  }
  /// A connection inside a transaction: `commit()` it, or it rolls back when destroyed.
  /// `level`: this transaction's isolation level instead of the engine's.
  Connection begin(std::optional<IsolationLevel> level = {}) const {
    auto c = connect();
    c.impl().begin_transaction(level);
    return c;
  }
  /// CREATE TABLE (and indexes) of every table of `md` in dependency order, in one transaction;
  /// `checkfirst`: skip the tables that exist.
  void create_all(const MetaData& md, bool checkfirst = true) const { in_transaction([&](Connection& c) { c.create_all(md, checkfirst); }); }
  /// DROP TABLE of every table of `md` in reverse dependency order, in one transaction;
  /// `checkfirst`: skip the tables that do not exist.
  void drop_all(const MetaData& md, bool checkfirst = true) const { in_transaction([&](Connection& c) { c.drop_all(md, checkfirst); }); }

  const URL& url() const { return state_->url; }  ///< The URL it connects to (to_string() hides the password).
  const Dialect& dialect() const { return *state_->dialect; }  ///< How SQL is written for its backend.
  Pool& pool() const { return *state_->pool; }  ///< Its connection pool.
  /// Closes the pool's idle connections (new ones open on demand).
  void dispose() const { state_->pool->dispose(); }
  /// "Engine(postgresql://ann:***@localhost/blog)": never the password.
  std::string to_string() const { return "Engine(" + state_->url.to_string() + ")"; }

 private:
  template <class F>
  void in_transaction(F&& f) const {
    auto c = begin();
    f(c);
    c.commit();
  }
  std::shared_ptr<detail::EngineState> state_;
};

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
  s->pool = std::make_unique<Pool>(
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
