// athanor/engine/connection.hpp — `Connection`, one pooled database connection: executes
// Core statements (compiled once per dialect, prepared once per connection), runs
// transactions and savepoints, and goes back to the pool (rolled back) when destroyed.
#pragma once

#include <initializer_list>  // std::initializer_list
#include <memory>    // std::unique_ptr
#include <optional>  // std::optional
#include <string>    // std::string
#include <vector>    // std::vector

#include <athanor/config.hpp>
#include <athanor/core/dml.hpp>
#include <athanor/core/metadata.hpp>
#include <athanor/core/text.hpp>
#include <athanor/engine/detail/connection_impl.hpp>
#include <athanor/engine/result.hpp>
#include <athanor/engine/transaction.hpp>

namespace athanor {

/// A statement `Connection::execute` takes: select, insert, update, delete_, text, DDL.
template <class S>
concept Executable = requires(const S& s) {
  { s.node() } -> std::convertible_to<const detail::StatementNode&>;
};

/// A connection from an Engine's pool.
/// **Example**:
/// ```
/// auto conn = engine.connect();
/// auto tx = conn.begin();
/// conn.execute(insert(users).values({{"name", "ann"}}));
/// tx.commit();
/// ```
class Connection {
 public:
  /// A connection over `impl` (Engine::connect() and begin() make it).
  explicit Connection(std::unique_ptr<detail::ConnectionImpl> impl) : impl_(std::move(impl)) {}

  /// Executes a statement; `params` give values to `bindparam`/`text` names.
  template <Executable S>
  Result execute(const S& stmt, const Params& params = {}) {
    return impl_->run(*impl_->compiled(stmt.node()), params);
  }
  /// The same with the parameters written in the call, `conn.execute(stmt, {{"name", u.name},
  /// {"age", u.age}})`: the names, and texts given as std::string, std::string_view or C
  /// strings, are read from the caller's objects while the call runs, not copied into a Params.
  template <Executable S>
  Result execute(const S& stmt, std::initializer_list<detail::ParamRef> params) {
    return impl_->run(*impl_->compiled(stmt.node()), std::span<const detail::ParamRef>(params.begin(), params.size()));
  }
  /// Executes a typed ORM statement (`orm::select(…)`, `orm::update<M>()…`): rows come back
  /// as its C++ result type, e.g. `std::vector<std::tuple<std::string, std::int64_t>>`.
  template <class S>
    requires requires(const S& s, detail::ConnectionImpl& c) { s.run(c); }
  auto execute(const S& stmt) {
    return stmt.run(*impl_);
  }
  /// Prepares a typed ORM select holding `orm::param<T>()` placeholders: compiled once, then
  /// run with the values of its placeholders, in order: `auto q = conn.prepare(stmt); q(42);`
  /// (orm/prepared.hpp). The handle is usable while this connection is open.
  template <class S>
    requires requires(const S& s, detail::ConnectionImpl& c) { prepare_statement(s, c); }
  auto prepare(const S& stmt) {
    return prepare_statement(stmt, *impl_);
  }
  /// Streams a typed ORM statement's rows one at a time (see Stream): `for (auto&& row : conn.stream(stmt))`.
  template <class S>
    requires requires(const S& s, detail::ConnectionImpl& c) { s.stream(c); }
  auto stream(const S& stmt) {
    return stmt.stream(*impl_);
  }
  /// Executes a statement once per parameter set (executemany), all sets as one batch (one
  /// pipeline on PostgreSQL, bulk executions on MariaDB). Outside a transaction the sets run
  /// in one of their own: all of them are stored, or none. An INSERT without values takes
  /// its columns from the first set: `conn.execute(insert(t), {{{"a", 1}}, {{"a", 2}}})`.
  Result execute_many(const Insert& stmt, const std::vector<Params>& many);
  /// Executes a text statement once per parameter set.
  Result execute_many(const TextClause& stmt, const std::vector<Params>& many) { return run_many(*impl_->compiled(stmt.node()), many); }
  /// Runs SQL text as is, without parameters.
  Result exec_driver_sql(const std::string& sql) {
    Compiled c;
    c.kind = Compiled::Kind::text, c.sql = sql;
    return impl_->run(c, Params{});
  }

  /// Begins a transaction (ArgumentError if one is open: use `begin_nested`).
  /// `level`: its isolation level instead of the engine's (`conn.begin(IsolationLevel::serializable)`).
  [[nodiscard]] Transaction begin(std::optional<IsolationLevel> level = {}) {
    if (impl_->in_tx) throw ArgumentError("[athanor.argument.transaction] a transaction is already open; use begin_nested() for a savepoint");
    impl_->begin_transaction(level);
    return Transaction(impl_.get(), 0, impl_->generation);
  }
  /// A savepoint inside the current transaction (one is begun first if there is none).
  [[nodiscard]] Transaction begin_nested();
  /// Commits / rolls back the current transaction (with its savepoints).
  ///@{
  void commit();
  void rollback();
  ///@}
  bool in_transaction() const { return impl_->in_tx; }  ///< Whether a transaction is open.
  /// Gives the connection back to the pool now (rolling back what is not committed).
  void close() { impl_->release(); }
  bool closed() const { return !impl_->lease.conn; }  ///< Whether close() gave the connection back.

  const Dialect& dialect() const { return *impl_->engine->dialect; }  ///< How SQL is written for its backend.
  /// The driver connection, for what athanor does not wrap.
  driver::Connection& driver_connection() { return impl_->drv(); }
  bool has_table(const std::string& name);  ///< Whether the table exists in the database.
  void create_all(const MetaData& md, bool checkfirst = true);  ///< As Engine::create_all, on this connection.
  void drop_all(const MetaData& md, bool checkfirst = true);  ///< As Engine::drop_all, on this connection.
  detail::ConnectionImpl& impl() { return *impl_; }  ///< The implementation, for the ORM's typed statements and the Session.

 private:
  ATHANOR_DECL Result run_many(const Compiled& c, const std::vector<Params>& many);
  std::unique_ptr<detail::ConnectionImpl> impl_;
};

}  // namespace athanor

#if ATHANOR_DEFINITIONS
#include <athanor/engine/impl/connection.ipp>
#endif
