// athanor/engine/engine.hpp — `Engine`, the starting point, as in SQLAlchemy. An Engine holds
// the URL, the dialect and the connection pool; it is cheap to copy (copies share everything)
// and safe to use from many threads. create_engine() is in engine/create_engine.hpp (with
// <athanor/engine.hpp> and <athanor/athanor.hpp>): a file that only uses an Engine made
// elsewhere (the ORM's Session) parses no driver and no dialect (issue 17).
#pragma once

#include <memory>  // std::shared_ptr
#include <optional>  // std::optional
#include <string>  // std::string

#include <athanor/config.hpp>
#include <athanor/engine/connection.hpp>

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

}  // namespace athanor
