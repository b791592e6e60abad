// athanor/engine/detail/connection_impl.hpp — `ConnectionImpl`, what a Connection holds: the
// pooled driver connection, its transaction state, the statement being streamed, and the
// execution paths (Core statements, typed statements, batches) the Connection and the ORM use.
#pragma once

#include <algorithm>  // std::find
#include <cstdint>  // std::int64_t
#include <memory>   // std::shared_ptr
#include <mutex>    // std::unique_lock, std::recursive_mutex
#include <optional> // std::optional
#include <span>     // std::span
#include <string>   // std::string
#include <vector>   // std::vector

#include <athanor/config.hpp>
#include <athanor/core/ddl.hpp>
#include <athanor/core/detail/param_ref.hpp>
#include <athanor/core/text.hpp>
#include <athanor/dialect/dialect.hpp>
#include <athanor/engine/detail/coerce.hpp>
#include <athanor/engine/detail/engine_state.hpp>
#include <athanor/engine/result.hpp>

namespace athanor {

namespace detail {

class ConnectionImpl;
/// A typed statement whose rows are being read one by one (Stream): the connection keeps
/// it until its last row is read or the Stream goes, and refuses other statements meanwhile.
struct OpenStream {
  ConnectionImpl* conn = nullptr;  ///< null once the stream has ended
  driver::Statement* st = nullptr;
  std::vector<Value> values;  ///< the bound values: the driver may point into them until reset
  bool finished = false;      ///< the last row was read (as opposed to cut off by commit/rollback/close)
  /// Moves to the next row; false after the last one (the connection is then free again).
  ATHANOR_DECL bool next();
};

class ConnectionImpl {
 public:
  ConnectionImpl(std::shared_ptr<EngineState> e, Pool::Lease lease) : engine(std::move(e)), lease(std::move(lease)) {}
  ATHANOR_DECL ~ConnectionImpl();  ///< release()s

  /// Gives the driver connection back to the pool (rolled back first if a transaction is open).
  ATHANOR_DECL void release() noexcept;
  driver::Connection& drv() {
    if (!lease.conn) throw ArgumentError("[athanor.argument.closed] the connection is closed");
    return *lease.conn;
  }
  /// Runs a driver call; an OperationalError marks the connection broken for the pool, and
  /// a dead link invalidates the pool's other connections to that server.
  template <class F>
  decltype(auto) guard(F&& f) {
    std::unique_lock<std::recursive_mutex> lock;
    if (lease.shared_mutex) lock = std::unique_lock(*lease.shared_mutex);
    try {
      return f();
    } catch (const OperationalError&) {
      if (!broken && !drv().ping()) broken = true, engine->pool->invalidate();
      throw;
    }
  }
  void exec(std::string_view sql) {
    check_idle();
    engine->echo(sql, 0);
    guard([&] { drv().exec(sql); });
  }
  /// BEGIN. On a connection the pool shares (in-memory SQLite) only one holder at a time
  /// may have a transaction: a second one gets a clear error instead of the server's.
  /// `level`: the transaction's isolation level; unset: the engine's (written into the BEGIN
  /// where the dialect does not set it once per connection).
  ATHANOR_DECL void begin_transaction(std::optional<IsolationLevel> level = {});
  /// Marks the transaction ended (after COMMIT or ROLLBACK).
  void end_transaction() {
    in_tx = false, savepoints = 0, ++generation;
    if (lease.shared_mutex && engine->pool->shared_owner() == this) engine->pool->set_shared_owner(nullptr);
  }

  /// `n` compiled for this engine's dialect: kept in the node (CompiledSlots), valid while it lives.
  std::shared_ptr<const Compiled> compiled(const StatementNode& n) {
    const Dialect& d = *engine->dialect;
    return n.cache.get(d, [&] { return d.compile(n); }, false);
  }

  /// The typed path: binds `slots` by the compiled slot numbers, runs, and hands each row
  /// to `on_row(driver::Statement&)` without building Rows. Returns the rows affected.
  template <class F>
  std::int64_t execute_typed(const Compiled& c, const std::vector<Value>& slots, F&& on_row) {
    // One copy of the loop below for all callers (each typed statement type has its own
    // row reader): the per-statement code stays a small thunk, which is most of what -O2
    // spends its time on in a file with many typed statements.
    using Fn = std::remove_reference_t<F>;
    return execute_rows(c, slots, [](void* f, driver::Statement& st) { (*static_cast<Fn*>(f))(st); },
                        const_cast<void*>(static_cast<const void*>(&on_row)));
  }
  static const std::string& sql_of(const std::string& sql) { return sql; }
  static const std::string& sql_of(const Compiled& c) { return c.sql; }
  /// Echoes `c` (SQL text or a Compiled), runs it with `values` on its prepared statement and returns `f(statement)`;
  /// driver errors are translated and the statement is reset afterwards, whatever happens.
  template <class Sql, class F>
  auto executed(const Sql& c, const std::vector<Value>& values, F&& f) {
    check_idle();
    engine->echo(sql_of(c), values);
    return prepared(c, [&](driver::Statement& st) {
      st.execute(values);
      return f(st);
    });
  }
  /// Returns `f(statement)` on `sql`'s (or `c`'s) prepared statement, driver errors translated
  /// and the statement reset afterwards, whatever happens (executed() and the batches echo first).
  template <class Sql, class F>
  auto prepared(const Sql& sql, F&& f) {
    return guard([&] {
      auto& st = statement(sql);
      struct Reset {
        driver::Statement& s;
        ~Reset() { s.reset(); }
      } reset{st};
      return f(st);
    });
  }
  /// The prepared statement for `sql`.
  driver::Statement& statement(const std::string& sql) { return drv().prepare(sql); }
  /// The prepared statement for `c`. One of the typed statements' cached Compileds
  /// (Compiled::cached: never freed, never changed, so its address names it) is remembered
  /// with the statement it last ran as, and taken again without the driver's lookup by SQL
  /// text (~75 instructions a primary-key lookup on SQLite) while the driver has finalized
  /// none of its statements since (driver::Connection::statements_dropped: an eviction from
  /// its bounded cache, perhaps by another holder of an in-memory database's one connection).
  driver::Statement& statement(const Compiled& c) {
    driver::Connection& d = drv();
    if (!c.cached) return d.prepare(c.sql);
    if (&c == last_.compiled && &d == last_.conn && last_.dropped >= 0 && d.statements_dropped() == last_.dropped)
      return *last_.statement;
    driver::Statement& st = d.prepare(c.sql);
    last_ = {&c, &d, &st, d.statements_dropped()};
    return st;
  }
  /// Runs `c` once for each of `rows` rows of slot values (`slots`: rows × slot count, row
  /// after row) as one driver batch (driver::Statement::execute_batch: a pipeline or bulk
  /// execution where the backend has one). Returns the rows affected in all; result rows are
  /// discarded.
  ATHANOR_DECL std::int64_t execute_batch(const Compiled& c, const std::vector<Value>& slots, std::size_t rows);
  /// The same, each result row (RETURNING) handed to `on_row(execution, statement)`, the
  /// execution counted from 0; `slots` may hold more values than the `rows` rows used (the
  /// first rows × width are). driver::Statement::execute_batch_rows: one pipeline on PostgreSQL.
  template <class F>
  std::int64_t execute_batch_rows(const Compiled& c, std::span<const Value> slots, std::size_t width, std::size_t rows,
                                  F&& on_row) {
    if (rows == 0) return 0;
    std::vector<Value> reordered;
    slots = slots.first(width * rows);
    if (!binds_in_slot_order(c, width)) reordered = placeholder_values(c, slots, rows), slots = reordered;
    check_idle();
    if (engine->options.echo) {  // echo_batch shows the first row's values
      std::size_t w = slots.size() / rows;
      engine->echo_batch(c.sql, std::vector<Value>(slots.begin(), slots.begin() + static_cast<std::ptrdiff_t>(w)), w, rows);
    }
    using Fn = std::remove_reference_t<F>;
    return prepared(c, [&](driver::Statement& st) {
      return st.execute_batch_rows(slots, rows, [](void* f, std::size_t e, driver::Statement& s) { (*static_cast<Fn*>(f))(e, s); },
                                   const_cast<void*>(static_cast<const void*>(&on_row)));
    });
  }
  /// Runs `c` once for each of `rows` rows of slot values (`slots`: rows × `width`, row after
  /// row) on its prepared statement, one execution after the other, each echoed as a statement
  /// of its own, and calls `after(execution, statement)` once each has run (its result rows,
  /// if any, still to read). The flush's one-row INSERTs on SQLite, where a statement costs no
  /// round trip: one prepare, one lock and one error guard for the run instead of one per row.
  template <class F>
  void execute_each(const Compiled& c, std::span<const Value> slots, std::size_t width, std::size_t rows, F&& after) {
    if (rows == 0) return;
    std::vector<Value> reordered;
    slots = slots.first(width * rows);
    if (!binds_in_slot_order(c, width)) reordered = placeholder_values(c, slots, rows), slots = reordered, width = c.params.size();
    check_idle();
    prepared(c, [&](driver::Statement& st) {
      for (std::size_t r = 0; r < rows; ++r) {
        auto row = slots.subspan(r * width, width);
        if (engine->options.echo) engine->echo(c.sql, std::vector<Value>(row.begin(), row.end()));
        st.execute(row);
        after(r, st);
        st.reset();
      }
    });
  }
  /// Whether `c`'s placeholders take a row of `width` slot values in order: the usual case,
  /// where the slots bind as they are, without copying each value (and each string).
  static bool binds_in_slot_order(const Compiled& c, std::size_t width) {
    bool in_order = c.params.size() == width;
    for (std::size_t i = 0; in_order && i < c.params.size(); ++i) in_order = c.params[i].slot == static_cast<int>(i);
    return in_order;
  }
  /// The values of `rows` rows of slot values (`slots`: row after row) in placeholder order.
  ATHANOR_DECL static std::vector<Value> placeholder_values(const Compiled& c, std::span<const Value> slots, std::size_t rows);
  /// Appends the values of `params` (names of bindparam/text parameters) in placeholder
  /// order, a parameter not named there taking its own value; a required one missing throws.
  ATHANOR_DECL static void append_params(const Compiled& c, const Params& params, std::vector<Value>& out);
  /// The value of placeholder `p`: its name's in `params` (the last one given), else its own;
  /// ArgumentError for a required one not given.
  ATHANOR_DECL static const Value& param_value(const CompiledParam& p, const Params& params);
  /// The same with the values in placeholder order already.
  ATHANOR_DECL std::int64_t execute_batch(const std::string& sql, const std::vector<Value>& values, std::size_t rows);
  /// Runs a typed statement and keeps it open for a Stream to read its rows one by one.
  ATHANOR_DECL std::shared_ptr<OpenStream> open_stream(const Compiled& c, std::vector<Value> slots);
  /// Ends the open stream, if any: frees its statement's rows (rolling back or closing the
  /// connection does this first, so a stream never reads from a statement reset under it).
  void end_stream() noexcept {
    if (!stream) return;
    auto s = std::move(stream);
    s->conn = nullptr;
    try {
      std::unique_lock<std::recursive_mutex> lock;
      if (lease.shared_mutex) lock = std::unique_lock(*lease.shared_mutex);
      s->st->reset();
    } catch (...) {  // a lost link: the pool discards the connection anyway
      broken = true;
    }
  }
  /// One statement at a time: while a stream reads from this connection's open statement,
  /// another statement would reset it (the same SQL shares one prepared statement), or on
  /// MariaDB run over its rows. SQLAlchemy's Session raises the same way for a busy cursor.
  void check_idle() const {
    if (stream) {
      throw ArgumentError(
          "[athanor.argument.stream_open] a stream is still reading rows on this connection; finish or leave its loop "
          "before running another statement (or read all rows first with execute())");
    }
  }
  /// execute_typed's loop, compiled once.
  ATHANOR_DECL std::int64_t execute_rows(const Compiled& c, const std::vector<Value>& slots,
                                         void (*on_row)(void*, driver::Statement&), void* ctx);

  /// Runs a Core statement with `params` (names of bindparam/text parameters): every row read
  /// into the Result, and a one-row INSERT's primary key.
  ATHANOR_DECL Result run(const Compiled& c, const Params& params);
  /// The same with the parameters of a braced list (Connection::execute), read in place.
  ATHANOR_DECL Result run(const Compiled& c, std::span<const ParamRef> params);

  /// The primary key of the row a one-row INSERT `c` created: bound, returned or generated.
  ATHANOR_DECL std::vector<Value> primary_key(const Compiled& c, const std::vector<Row>& returned, const std::vector<Value>& bound);

  /// What prepared statements (orm/prepared.hpp) watch to know this object still exists: made
  /// on the first prepare, gone with it (when its Connection is destroyed).
  std::weak_ptr<const void> anchor() {
    if (!anchor_) anchor_ = std::make_shared<const int>(0);
    return anchor_;
  }

  std::shared_ptr<EngineState> engine;
  Pool::Lease lease;
  std::shared_ptr<const void> anchor_;  ///< see anchor()
  std::shared_ptr<OpenStream> stream;  ///< the stream reading rows here, if any
  bool broken = false;
  bool in_tx = false;
  std::size_t savepoints = 0;  ///< open savepoints
  int generation = 0;          ///< bumped when the transaction ends
  int savepoint_counter = 0;

 private:
  /// statement()'s last typed statement and the driver statement it ran as.
  struct LastStatement {
    const Compiled* compiled = nullptr;
    driver::Connection* conn = nullptr;
    driver::Statement* statement = nullptr;
    std::int64_t dropped = -1;  ///< the driver's statements_dropped() then (-1: not counted, not kept)
  } last_;
  std::vector<Value> kept_values_;  ///< run()'s values, kept for the next run (see run())
  std::string kept_spare_;          ///< a text buffer a kept value gave up (ParamRef::assign_to)
  bool kept_busy_ = false;          ///< run() is using kept_values_
  class ValuesLease;  ///< run()'s hold on kept_values_ (connection.ipp)
  /// run()'s execution, its values in placeholder order.
  ATHANOR_DECL Result run_values(const Compiled& c, const std::vector<Value>& values);
};

}  // namespace detail

}  // namespace athanor
