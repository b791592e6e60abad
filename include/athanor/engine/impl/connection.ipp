// athanor/engine/impl/connection.ipp — the out-of-line parts of Connection, ConnectionImpl and
// Transaction: transactions and savepoints, Core executions, executemany, create_all / drop_all; where
// ATHANOR_DEFINITIONS is set (engine/connection.hpp includes it).
#pragma once

#include <athanor/engine/connection.hpp>

namespace athanor {

ATHANOR_DECL detail::ConnectionImpl::~ConnectionImpl() { release(); }

ATHANOR_DECL void detail::ConnectionImpl::release() noexcept {
  end_stream();
  last_ = {};
  if (!lease.conn) return;
  bool broken_now = broken;
  if (in_tx && !broken_now) {
    try {
      exec("ROLLBACK");
    } catch (...) {
      broken_now = true;
    }
  }
  end_transaction();
  engine->pool->checkin(std::move(lease), broken_now);
  lease = {};
}

ATHANOR_DECL void detail::ConnectionImpl::begin_transaction(std::optional<IsolationLevel> level) {
  const Dialect& d = *engine->dialect;
  if (auto e = engine->options.isolation_level) {
    bool per_connection = !d.connection_isolation_sql(*e).empty();
    if (!level && !per_connection) level = e;         // written into each BEGIN
    if (level == e && per_connection) level.reset();  // the connection is at that level already
  }
  auto statements = d.begin_statements(level);  // an unsupported level throws here, before anything changes
  if (lease.shared_mutex) {
    if (engine->pool->shared_owner() && engine->pool->shared_owner() != this) {
      throw ArgumentError(
          "[athanor.argument.shared_connection] this in-memory database engine has a single connection and another "
          "Connection or Session holds a transaction on it; commit or close that one first, or use a file database");
    }
    engine->pool->set_shared_owner(this);
  }
  for (auto& sql : statements) exec(sql);
  in_tx = true;
}

ATHANOR_DECL std::int64_t detail::ConnectionImpl::execute_batch(const Compiled& c, const std::vector<Value>& slots, std::size_t rows) {
  if (rows == 0) return 0;
  if (binds_in_slot_order(c, slots.size() / rows)) return execute_batch(c.sql, slots, rows);
  return execute_batch(c.sql, placeholder_values(c, slots, rows), rows);
}

ATHANOR_DECL std::int64_t detail::ConnectionImpl::execute_batch(const std::string& sql, const std::vector<Value>& values,
                                                                 std::size_t rows) {
  check_idle();
  engine->echo_batch(sql, values, rows ? values.size() / rows : 0, rows);
  return prepared(sql, [&](driver::Statement& st) { return st.execute_batch(values, rows); });
}

ATHANOR_DECL std::vector<Value> detail::ConnectionImpl::placeholder_values(const Compiled& c, std::span<const Value> slots,
                                                                        std::size_t rows) {
  std::size_t width = rows ? slots.size() / rows : 0;
  std::vector<Value> out;
  out.reserve(c.params.size() * rows);
  for (std::size_t r = 0; r < rows; ++r)
    for (auto& p : c.params) out.push_back(p.slot >= 0 ? slots[r * width + static_cast<std::size_t>(p.slot)] : p.value);
  return out;
}

ATHANOR_DECL const Value& detail::ConnectionImpl::param_value(const CompiledParam& p, const Params& params) {
  const Value* v = &p.value;
  bool found = false;
  if (!p.name.empty()) {  // the last one given: searched from the end, to the first match
    for (auto it = params.rbegin(); it != params.rend() && !found; ++it)
      if (it->first == p.name) v = &it->second, found = true;
  }
  if (p.required && !found) {
    throw ArgumentError("[athanor.argument.missing_param] no value for the parameter :" + p.name);
  }
  return *v;
}

ATHANOR_DECL void detail::ConnectionImpl::append_params(const Compiled& c, const Params& params, std::vector<Value>& out) {
  for (auto& p : c.params) out.push_back(param_value(p, params));
}

/// The values of one run(): the connection's kept vector, assigned in place, so that a statement
/// run in a loop (an INSERT per row) allocates neither the vector nor its texts' buffers again (a
/// malloc and a free each); a nested run (none today) takes a vector of its own.
class detail::ConnectionImpl::ValuesLease {
 public:
  explicit ValuesLease(ConnectionImpl& conn)
      : conn_(conn), values(conn.kept_busy_ ? own_ : conn.kept_values_), spare(conn.kept_busy_ ? own_spare_ : conn.kept_spare_) {
    conn.kept_busy_ = true;
  }
  ~ValuesLease() {
    if (&values != &conn_.kept_values_) return;
    conn_.kept_busy_ = false;
    // Large values are not kept past their execution.
    if (values.size() > 64 || driver::message_bytes(values) > 16384) values.clear(), values.shrink_to_fit();
    if (spare.capacity() > 16384) spare = std::string();
  }
  ValuesLease(const ValuesLease&) = delete;
  ValuesLease& operator=(const ValuesLease&) = delete;

 private:
  ConnectionImpl& conn_;
  std::vector<Value> own_;
  std::string own_spare_;

 public:
  std::vector<Value>& values;
  std::string& spare;  ///< ParamRef::assign_to's spare text buffer
};

ATHANOR_DECL Result detail::ConnectionImpl::run(const Compiled& c, const Params& params) {
  ValuesLease lease(*this);
  std::vector<Value>& values = lease.values;
  values.resize(c.params.size());
  for (std::size_t i = 0; i < c.params.size(); ++i) values[i] = param_value(c.params[i], params);
  return run_values(c, values);
}

ATHANOR_DECL Result detail::ConnectionImpl::run(const Compiled& c, std::span<const ParamRef> params) {
  ValuesLease lease(*this);
  std::vector<Value>& values = lease.values;
  values.resize(c.params.size());
  for (std::size_t i = 0; i < c.params.size(); ++i) {
    const CompiledParam& p = c.params[i];
    const ParamRef* given = nullptr;
    if (!p.name.empty()) {  // the last one given, as param_value
      for (auto it = params.rbegin(); it != params.rend() && !given; ++it)
        if (it->name == p.name) given = &*it;
    }
    if (given) given->assign_to(values[i], lease.spare);
    else values[i] = param_value(p, Params{});  // its own value, or the error of a required one
  }
  return run_values(c, values);
}

ATHANOR_DECL Result detail::ConnectionImpl::run_values(const Compiled& c, const std::vector<Value>& values) {
  return executed(c, values, [&](driver::Statement& st) {
    std::shared_ptr<const std::vector<std::string>> keys;
    std::vector<Row> rows;
    int n = st.column_count();
    if (n > 0) {
      auto k = std::make_shared<std::vector<std::string>>();
      for (int i = 0; i < n; ++i) k->push_back(st.column_name(i));
      keys = std::move(k);
      bool typed = static_cast<int>(c.columns.size()) == n;
      while (st.next()) {
        std::vector<Value> row;
        row.reserve(n);
        for (int i = 0; i < n; ++i) {
          row.push_back(st.value(i));
          if (typed) coerce(row.back(), c.columns[i].second);
        }
        rows.emplace_back(keys, std::move(row));
      }
    }
    Result r(c.implicit_returning ? nullptr : keys, c.implicit_returning ? std::vector<Row>{} : std::move(rows), st.rows_affected());
    if (c.kind == Compiled::Kind::insert && c.table && c.single_row) {
      r.set_inserted_primary_key(primary_key(c, rows, values));
    }
    return r;
  });
}

ATHANOR_DECL std::vector<Value> detail::ConnectionImpl::primary_key(const Compiled& c, const std::vector<Row>& returned,
                                                                  const std::vector<Value>& bound) {
  std::vector<Value> pk;
  pk.reserve(c.primary_key_from.size());
  for (int from : c.primary_key_from) {
    if (from >= 0) pk.push_back(bound[static_cast<std::size_t>(from)]);
    else if (from == Compiled::not_bound) pk.emplace_back();
    else if (c.implicit_returning && !returned.empty()) pk.push_back(returned[0][0]);
    else pk.emplace_back(drv().last_insert_id());
  }
  return pk;
}

ATHANOR_DECL std::int64_t detail::ConnectionImpl::execute_rows(const Compiled& c, const std::vector<Value>& slots,
                                                      void (*on_row)(void*, driver::Statement&), void* ctx) {
  bool in_order = binds_in_slot_order(c, slots.size());
  std::vector<Value> reordered;
  if (!in_order) reordered = placeholder_values(c, slots, 1);
  const std::vector<Value>& values = in_order ? slots : reordered;
  return executed(c, values, [&](driver::Statement& st) {
    // At most one row: reset after it, not stepped to the end (which on SQLite ran the VM to its
    // halt a second time, ~190 instructions a lookup).
    if (c.at_most_one_row) {
      if (st.next()) on_row(ctx, st);
      return st.rows_affected();
    }
    while (st.next()) on_row(ctx, st);
    return st.rows_affected();
  });
}

ATHANOR_DECL std::shared_ptr<detail::OpenStream> detail::ConnectionImpl::open_stream(const Compiled& c, std::vector<Value> slots) {
  check_idle();
  auto s = std::make_shared<OpenStream>();
  s->values = binds_in_slot_order(c, slots.size()) ? std::move(slots) : placeholder_values(c, slots, 1);
  engine->echo(c.sql, s->values);
  guard([&] {
    auto& st = statement(c);
    try {
      st.execute(s->values);
    } catch (...) {
      st.reset();
      throw;
    }
    s->st = &st;
  });
  s->conn = this;
  stream = s;
  return s;
}

ATHANOR_DECL bool detail::OpenStream::next() {
  if (!conn) {
    if (finished) return false;
    throw ArgumentError(
        "[athanor.argument.stream_closed] the stream's connection was committed, rolled back or closed before its "
        "last row was read");
  }
  bool more = false;
  try {
    more = conn->guard([&] { return st->next(); });
  } catch (...) {
    if (conn) conn->end_stream();
    throw;
  }
  if (!more) {
    finished = true;
    conn->end_stream();  // the connection is free for the next statement at once
  }
  return more;
}

ATHANOR_DECL bool Transaction::is_active() const {
  return c_ && c_->in_tx && c_->generation == generation_ && (level_ == 0 || c_->savepoints >= level_);
}

ATHANOR_DECL void Transaction::commit() {
  if (!is_active()) throw ArgumentError("[athanor.argument.transaction] this transaction is no longer active");
  if (level_ == 0) {
    try {
      c_->exec("COMMIT");
    } catch (const TransactionConflict&) {
      // The server answered: rolled back (a serialization check at COMMIT), a definite outcome.
      throw;
    } catch (const OperationalError& e) {
      // The link went while COMMIT was under way: the server may have committed before it went
      // (the answer was lost) or not. Only the data can tell; whoever retries must know.
      if (!c_->broken) throw;
      throw CommitResultUnknown(
          "[athanor.operational.commit_unknown] the connection was lost during COMMIT: the transaction may or may not "
          "have been stored (" + std::string(e.what()) + ")");
    }
    c_->end_transaction();
  } else {
    c_->exec("RELEASE SAVEPOINT athanor_sp_" + std::to_string(level_));
    c_->savepoints = level_ - 1;
  }
  c_ = nullptr;
}

ATHANOR_DECL void Transaction::rollback() {
  if (c_) c_->end_stream();  // a rollback cuts a stream short: its rows are the transaction's
  if (!is_active()) {
    c_ = nullptr;
    return;
  }
  auto* c = std::exchange(c_, nullptr);
  if (level_ == 0) {
    c->end_transaction();
  } else {
    c->savepoints = level_ - 1;
  }
  // A lost link took the transaction and its savepoints with it (the server rolls back what
  // a dead session left): nothing to send, and nothing to throw, as SQLAlchemy's rollback of
  // an invalidated connection. The pool discards the connection when it comes back.
  if (c->broken) return;
  try {
    c->exec(level_ == 0 ? std::string("ROLLBACK") : "ROLLBACK TO SAVEPOINT athanor_sp_" + std::to_string(level_));
  } catch (const OperationalError&) {
    if (!c->broken) throw;
  }
}

ATHANOR_DECL Transaction Connection::begin_nested() {
  if (!impl_->in_tx) {
    impl_->begin_transaction();
  }
  std::size_t level = ++impl_->savepoints;
  impl_->exec("SAVEPOINT athanor_sp_" + std::to_string(level));
  return Transaction(impl_.get(), level, impl_->generation);
}

ATHANOR_DECL void Connection::commit() {
  if (!impl_->in_tx) return;
  Transaction(impl_.get(), 0, impl_->generation).commit();
}

ATHANOR_DECL void Connection::rollback() {
  if (!impl_->in_tx) return;
  Transaction(impl_.get(), 0, impl_->generation).rollback();
}

ATHANOR_DECL Result Connection::execute_many(const Insert& stmt, const std::vector<Params>& many) {
  if (many.empty()) return Result(nullptr, {}, 0);
  if (!stmt.node().rows.empty() || stmt.node().from_select) return run_many(*impl_->compiled(stmt.node()), many);
  Values cols;
  for (auto& [name, v] : many[0]) cols.emplace_back(name, bindparam(name));
  // A default factory runs once per row (as in values_list), so its column becomes a
  // parameter too, filled in for each set below.
  std::vector<const ColumnDef*> factories;
  for (auto& c : stmt.node().table->columns) {
    bool given = std::any_of(many[0].begin(), many[0].end(), [&](auto& kv) { return kv.first == c.name; });
    if (c.default_factory && !given) factories.push_back(&c), cols.emplace_back(c.name, bindparam(c.name));
  }
  auto full = stmt.values(cols);
  // The SQL depends on the keys of the first set, so it is compiled here, not cached in `stmt`.
  Compiled c = impl_->engine->dialect->compile(full.node());
  for (auto& p : c.params) {
    if (!p.name.empty()) p.required = true;
  }
  if (factories.empty()) return run_many(c, many);
  std::vector<Params> filled = many;
  for (auto& p : filled)
    for (auto* f : factories) p.emplace_back(f->name, f->default_factory());
  return run_many(c, filled);
}

ATHANOR_DECL Result Connection::run_many(const Compiled& c, const std::vector<Params>& many) {
  if (many.size() == 1) return Result(nullptr, {}, impl_->run(c, many[0]).rowcount());
  // The values of every set, in placeholder order, one set after the other.
  std::vector<Value> values;
  values.reserve(c.params.size() * many.size());
  for (auto& params : many) impl_->append_params(c, params, values);
  // A batch is all or nothing: outside a transaction it runs in one of its own. (Not on an
  // in-memory database's shared connection while another holder has its transaction open.)
  bool own = !impl_->in_tx && !(impl_->lease.shared_mutex && impl_->engine->pool->shared_owner() &&
                                impl_->engine->pool->shared_owner() != impl_.get());
  if (!own) return Result(nullptr, {}, impl_->execute_batch(c.sql, values, many.size()));
  auto tx = begin();
  auto total = impl_->execute_batch(c.sql, values, many.size());
  tx.commit();
  return Result(nullptr, {}, total);
}

ATHANOR_DECL bool Connection::has_table(const std::string& name) {
  impl_->engine->dialect->check_identifier(name);  // a name the server cannot hold: the same error as create_all's
  Compiled c;
  c.kind = Compiled::Kind::text, c.sql = impl_->engine->dialect->has_table_sql();
  c.params.push_back({"", Value(name)});
  return !impl_->run(c, Params{}).empty();
}

ATHANOR_DECL void Connection::create_all(const MetaData& md, bool checkfirst) {
  // Foreign keys into this MetaData name real columns: checked before any DDL runs
  // (a table cannot check this itself, as its target may be declared after it).
  for (auto* t : md.sorted_tables()) {
    for (auto& fk : t->foreign_keys) {
      auto* target = md.find(fk.ref_table);
      for (auto& col : fk.ref_columns) {
        if (target && !target->find(col)) {
          throw ArgumentError("[athanor.argument.unknown_column] table " + target->name + " has no column '" + col +
                              "' (foreign key of table " + t->name + ")");
        }
      }
    }
  }
  for (auto* t : md.sorted_tables()) {
    if (checkfirst && has_table(t->name)) continue;
    auto data = md.table_data(t->name);
    execute(Ddl(detail::make_ddl(detail::DdlNode::Op::create_table, data, false)));
    std::vector<Index> indexes = t->indexes;
    for (auto& c : t->columns) {
      if (c.index) indexes.push_back(Index{t->index_name({"", {c.name}, c.unique}), {c.name}, c.unique});
    }
    for (auto& ix : indexes) execute(Ddl(detail::make_ddl(detail::DdlNode::Op::create_index, data, false, ix)));
  }
}

ATHANOR_DECL void Connection::drop_all(const MetaData& md, bool checkfirst) {
  auto tables = md.sorted_tables();
  for (auto it = tables.rbegin(); it != tables.rend(); ++it) {
    execute(Ddl(detail::make_ddl(detail::DdlNode::Op::drop_table, md.table_data((*it)->name), checkfirst)));
  }
}

}  // namespace athanor
