// athanor/orm/detail/unit_of_work.hpp — flush: the pending objects inserted parents first
// (rows of one table and shape through one prepared statement, the generated key fetched
// in the same round trip with RETURNING where the dialect has it), changed columns updated
// (nothing for a no-op assignment; version checked), deleted objects removed children first
// (tables in foreign key order, the rows of a self-referential table leaves first), after the
// children a deleted parent does not cascade to have had their foreign key cleared.
// Also commit, rollback, refresh and close.
#pragma once

#include <athanor/config.hpp>
#include <athanor/core/dml.hpp>
#include <athanor/orm/detail/flush_sql.hpp>
#include <athanor/orm/detail/relations.hpp>
#include <athanor/orm/detail/session_core.hpp>
#include <athanor/orm/expr.hpp>

namespace athanor::orm::detail {

#if ATHANOR_DEFINITIONS
ATHANOR_DECL void touch(InstanceBase& i) {
  i.touched = true;
  if (i.session) i.session->touched.push_back(&i);
}

ATHANOR_DECL void SessionCore::flush(bool everything) {
  check_usable();
  // An autoflush with nothing to write (no object touched since the last flush, nothing
  // added, deleted, orphaned or linked) returns at once: get() autoflushes before each
  // lookup it sends, and the full pass below cost ~5 % of a lookup (callgrind, SQLite).
  if (!everything && touched.empty() && orphans.empty() && pending.empty() && deleted.empty() && links_added.empty() &&
      links_removed.empty()) {
    return;
  }
  // The objects whose changes this flush looks for.
  // The touched ones first, in the order they were reached (all of them this Session's: forget()
  // takes out those that leave), then, for a full flush, the others (changed through a
  // reference kept across a flush). Their UPDATEs go in that order: usually the order the rows
  // were loaded in, which is the primary key's. In the identity map's order (hash order) they
  // hit the table's B-tree at random: at N = 200 000 SQLite's page cache then spilled, and
  // ORM W5 cost 1.58x hand-written code instead of 1.43x at N = 10 000 (callgrind).
  std::vector<InstanceBase*> candidates = touched;
  if (everything) {
    for (auto& entry : identity)
      for (auto& [key, i] : entry.second)
        if (!i->touched) candidates.push_back(i.get());
  }
  // No autoflush inside a flush (a delete-orphan cascade loads collections): SQLAlchemy's
  // no_autoflush while flushing. Restored however the flush ends.
  struct NoAutoflush {
    bool& flag;
    bool saved;
    ~NoAutoflush() { flag = saved; }
  } no_autoflush{options.autoflush, options.autoflush};
  options.autoflush = false;
  try {
    // delete-orphan: objects taken out of their collection (and not put in another) go.
    auto orphaned = std::move(orphans);
    orphans.clear();
    for (auto& o : orphaned) delete_instance(o);
    // Keys across relationships changed in memory since the last flush.
    std::size_t listed = touched.size();  // an orphan that left above took itself out (forget())
    for (std::size_t k = 0; k < candidates.size(); ++k) {  // sync may touch more: they are appended
      if (candidates[k]->state == State::persistent && !candidates[k]->expired) sync(*candidates[k]);
    }
    clear_keys_to_deleted(*this);  // UPDATEs of children that outlive their deleted parent
    if (!everything) {  // those sync and clear_keys_to_deleted appended (the list may also hold objects now in another Session)
      candidates.insert(candidates.end(), touched.begin() + static_cast<std::ptrdiff_t>(listed), touched.end());
    }
    flush_inserts();
    flush_updates(candidates);
    for (auto* i : touched) i->touched = false;
    touched.clear();
    flush_links();
    flush_deletes();
    ++flushes;
  } catch (...) {
    // Nothing of a failed flush may stay: the whole transaction goes, as in SQLAlchemy.
    abandon_transaction();
    throw;
  }
}

/// The flush's statement of `shape` for `ops`'s model: the one this Session used before, else
/// the process's (shared_flush_sql: a new Session does not compile it again), else `make()`'s.
/// The Session keeps what it used, so a run of one shape looks up no shared cache, takes no lock;
/// its key names the model too (two models may map tables of one name).
template <class F>
const std::shared_ptr<const Compiled>& flush_slot(SessionCore& s, const ModelOps& ops, const std::string& shape, F&& make) {
  auto& slot = s.statements[shape + '@' + std::to_string(reinterpret_cast<std::uintptr_t>(&ops))];
  if (!slot) {
    using Fn = std::remove_reference_t<F>;
    slot = shared_flush_sql(s.engine.dialect(), ops, shape, [](void* f) -> Compiled { return (*static_cast<Fn*>(f))(); },
                            const_cast<void*>(static_cast<const void*>(&make)));
  }
  return slot;
}
template <class F>
const Compiled& flush_sql(SessionCore& s, const ModelOps& ops, const std::string& shape, F&& make) {
  return *flush_slot(s, ops, shape, std::forward<F>(make));
}

/// `pk1 = ? AND pk2 = ?` with slot-numbered binds.
ATHANOR_DECL Expr pk_condition(const ModelOps& ops, Builder& b) {
  Expr cond;
  for (auto k : ops.info->primary_key) {
    auto& col = ops.table().columns[k];
    Expr e = ops.info->table.unchecked_c(col.name, col.type) == b.bind(Value());
    cond = cond ? (cond && e) : e;
  }
  return cond;
}

/// Whether `t` refers to itself: a row's new key must then reach the rows that refer to it (a
/// child takes its parent's key after the parent's INSERT) before their values are taken, so
/// each of its rows is inserted alone, as soon as its values are known.
ATHANOR_DECL bool refers_to_itself(const athanor::detail::TableData& t) {
  return std::any_of(t.foreign_keys.begin(), t.foreign_keys.end(), [&](auto& fk) { return fk.ref_table == t.name; });
}

/// The generated key in the first column of the statement's row (RETURNING): read as an
/// integer, without the driver's general conversion (a tenth of the client's work per row on
/// PostgreSQL went to value(0)'s decoding); NULL stays NULL.
ATHANOR_DECL Value generated_key(driver::Statement& st) {
  return st.is_null(0) ? Value() : Value(st.get_int64(0));
}

/// The most rows of `columns` values one INSERT of a flush carries: a power of two (so that a
/// flush of any size uses a few statement texts, each prepared once), at most 512 rows, and
/// under the server's limit of bound parameters.
ATHANOR_DECL std::size_t insert_rows_per_statement(std::size_t columns, const Capabilities& caps) {
  std::size_t most = columns ? std::min<std::size_t>(512, caps.max_params / columns) : 1;
  std::size_t n = 1;
  while (n * 2 <= most) n *= 2;
  return n;
}

ATHANOR_DECL void SessionCore::flush_inserts() {
  if (pending.empty()) return;
  std::vector<const ModelOps*> models;
  for (auto& i : pending)
    if (std::find(models.begin(), models.end(), i->ops) == models.end()) models.push_back(i->ops);
  auto& c = impl();
  const auto& caps = engine.dialect().capabilities();
  for (auto* ops : parents_first(models)) {
    const auto& t = ops->table();
    const auto& table = ops->info->table;
    const auto gen = ops->info->autoincrement;
    const bool together = !refers_to_itself(t);
    IdentityMap& map = identity[ops];  // the node stays where it is whatever else enters `identity`
    // Consecutive rows of one shape (the same columns sent) go as one run, in the order they
    // were added (rows of a table that refers to itself one by one).
    struct Run {
      std::vector<std::size_t> cols;
      bool fetch_key = false;
      std::vector<InstanceBase*> rows;
      std::vector<Value> values;  ///< rows × cols, row after row
    } batch;
    // The n rows from `done` were inserted, `keys` their generated keys (when fetched).
    auto settle = [&](std::size_t done, std::size_t n, const Value* keys) {
      for (std::size_t r = 0; r < n; ++r) {
        InstanceBase& inst = *batch.rows[done + r];
        if (batch.fetch_key) ops->set(inst, *gen, keys[r]);
        ops->set_clean(inst);
        inst.key = key_of(inst);
        inst.state = State::persistent;
        auto held = inst.shared_from_this();
        // Into the identity map with one probe (attach() looked the model's map up twice more).
        auto slot = map.try_emplace(inst.key);
        if (!slot.second && slot.first->second && slot.first->second != held) {  // a deleted row's key used again
          evict_stale(std::shared_ptr<InstanceBase>(slot.first->second));  // a copy: the slot goes
          slot = map.try_emplace(inst.key);
        }
        inst.session = this;
        slot.first->second = held;
        inserted_in_tx.push_back(std::move(held));
        sync(inst);  // one-to-many: the children, inserted later, take the new key
      }
    };
    // `keys`, what RETURNING gave for one statement of n rows, checked and put in the rows' order.
    auto checked = [&](std::vector<Value>& keys, std::size_t n) -> const Value* {
      if (!batch.fetch_key) return nullptr;
      if (keys.size() != n) {
        throw Error("[athanor.orm.flush] INSERT of " + std::to_string(n) + " rows into " + t.name + " returned " +
                    std::to_string(keys.size()) + " generated keys");
      }
      // Keys are drawn from the sequence / auto-increment counter as the rows are inserted, in
      // the order of the VALUES list, so in increasing order; the order in which RETURNING lists
      // them is not promised, so they are sorted (SQLAlchemy's insertmanyvalues sorts by such a
      // key too). The servers list them in order: checked in one pass, sorted only if not (the
      // sort was a tenth of the client's work in a 10 000-row flush on PostgreSQL, callgrind).
      auto less = [](const Value& a, const Value& b) {
        return athanor::detail::from_value<std::int64_t>(a) < athanor::detail::from_value<std::int64_t>(b);
      };
      if (n > 1 && !std::is_sorted(keys.begin(), keys.end(), less)) std::sort(keys.begin(), keys.end(), less);
      return keys.data();
    };
    auto run = [&] {
      const auto& cols = batch.cols;
      const std::size_t total = batch.rows.size(), width = cols.size();
      std::string shape = "I" + t.name;  // the statement caches' key: columns, rows, RETURNING
      for (auto k : cols) shape += ',' + std::to_string(k);
      auto sql_for = [&](std::size_t n, bool returning) -> const Compiled& {
        return flush_sql(*this, *ops, shape + '*' + std::to_string(n) + (returning ? "R" : ""), [&] {
          Builder b;
          std::vector<Values> rows(n);
          for (auto& row : rows)
            for (auto k : cols) row.emplace_back(t.columns[k].name, b.bind(Value()));
          auto stmt = athanor::insert(table).values_list(rows);
          if (returning) stmt = stmt.returning(table.unchecked_c(t.columns[*gen].name, t.columns[*gen].type));
          return engine.dialect().compile(stmt.node());
        });
      };
      std::span<const Value> values(batch.values);
      // Several rows to a statement where a statement is a round trip (a server), the keys back
      // through RETURNING; an INSERT without columns (DEFAULT VALUES) holds one row.
      bool several = together && !caps.in_process && width > 0 && (!batch.fetch_key || caps.returning_insert);
      std::size_t per = several ? insert_rows_per_statement(width, caps) : 1;
      if (per == 1) {
        // One prepared statement run row after row (SQLite: no round trip to save). RETURNING
        // where the driver cannot tell the key: SQLite's last_insert_rowid is cheaper than its
        // RETURNING (which buffers rows in a temporary b-tree per statement).
        bool returning = batch.fetch_key && caps.returning_insert && !caps.cheap_last_insert_id;
        std::vector<Value> keys;
        if (batch.fetch_key) keys.reserve(total);
        c.execute_each(sql_for(1, returning), values, width, total, [&](std::size_t, driver::Statement& st) {
          if (!batch.fetch_key) return;
          if (!returning) return keys.push_back(Value(c.drv().last_insert_id()));
          std::vector<Value> got;
          while (st.next()) got.push_back(generated_key(st));
          keys.push_back(std::move(checked(got, 1)[0]));
        });
        settle(0, total, keys.data());
      } else {
        std::size_t done = 0;
        // Two statements of the longest length or more: one driver batch (one pipeline on
        // PostgreSQL: the server inserts a statement's rows while the next is bound and sent,
        // instead of one round trip each), the keys of each statement as it returns them.
        if (std::size_t full = total / per; full >= 2) {
          std::vector<std::vector<Value>> keys(full);
          c.execute_batch_rows(sql_for(per, batch.fetch_key), values, per * width, full,
                               [&](std::size_t e, driver::Statement& st) { keys[e].push_back(generated_key(st)); });
          for (std::size_t k = 0; k < full; ++k) settle(k * per, per, checked(keys[k], per));
          done = full * per;
        }
        while (done < total) {
          std::size_t n = per;  // the largest power of two that fits what is left
          while (n > total - done) n /= 2;
          bool returning = batch.fetch_key && (n > 1 || !caps.cheap_last_insert_id);
          std::vector<Value> keys;
          c.execute_each(sql_for(n, returning), values.subspan(done * width, n * width), n * width, 1,
                         [&](std::size_t, driver::Statement& st) {
                           while (st.next()) keys.push_back(generated_key(st));
                           if (batch.fetch_key && !returning) keys.push_back(Value(c.drv().last_insert_id()));
                         });
          settle(done, n, checked(keys, n));
          done += n;
        }
      }
      batch.rows.clear(), batch.values.clear();
    };
    // Room for all of this model's rows at once: a growing vector of Values moved every
    // string of the flush again at each doubling (a tenth of a 10 000-row flush's CPU), and
    // the identity map rehashed each time it doubled.
    std::size_t of_model = 0;
    for (auto& inst : pending) of_model += inst->ops == ops;
    batch.values.reserve(of_model * ops->columns()), batch.rows.reserve(of_model);
    map.reserve(map.size() + of_model), inserted_in_tx.reserve(inserted_in_tx.size() + of_model);
    std::vector<std::size_t> cols;  // the columns of each object in turn
    for (auto& inst : pending) {
      if (inst->ops != ops) continue;
      sync(*inst);  // many-to-one: the parent was inserted before (parents first)
      // Columns sent: those given a value, and every column without a default of its own.
      cols.clear();
      for (std::size_t k = 0; k < ops->columns(); ++k) {
        const auto& def = t.columns[k];
        bool generated = gen == k;
        // A server default applies when the column is left out; a client default is sent.
        if (ops->modified(*inst, k) || (!generated && !def.server_default)) cols.push_back(k);
      }
      if (!batch.rows.empty() && (cols != batch.cols || !together)) run();
      if (batch.rows.empty()) {  // a new run
        batch.cols = cols;
        batch.fetch_key = gen && std::find(cols.begin(), cols.end(), *gen) == cols.end();
      }
      for (auto k : batch.cols) {
        const auto& def = t.columns[k];
        if ((def.default_value || def.default_factory) && !ops->modified(*inst, k)) {
          ops->set(*inst, k, def.default_factory ? def.default_factory() : *def.default_value);
        }
        batch.values.push_back(ops->get(*inst, k));
      }
      batch.rows.push_back(inst.get());
      if (!together) run();
    }
    if (!batch.rows.empty()) run();
  }
  pending.clear();
}

ATHANOR_DECL void SessionCore::flush_updates(const std::vector<InstanceBase*>& candidates) {
  auto& dialect = engine.dialect();
  // Consecutive objects whose UPDATE has one shape (table and changed columns) go as one
  // batch of that statement: one pipeline on PostgreSQL, bulk executions on MariaDB. Only
  // consecutive ones, so the rows change in the order they always did (SQLAlchemy groups
  // its UPDATEs the same way).
  struct Run {
    std::vector<std::size_t> cols;  ///< the changed columns (with `ops`, the shape)
    const Compiled* sql = nullptr;
    const ModelOps* ops = nullptr;
    std::size_t changed = 0;  ///< changed columns; the new version follows them in each row
    std::vector<InstanceBase*> objects;
    std::vector<Value> values;  ///< every object's row, one after the other
  } run;
  auto flush_run = [&] {
    if (run.objects.empty()) return;
    std::size_t n = run.objects.size();
    auto rows = impl().execute_batch(*run.sql, run.values, n);
    // A row that matched nothing was deleted (or, versioned, changed) since it was loaded,
    // by another Session: the change would be lost without a word, so the flush fails, as
    // in SQLAlchemy (versioned or not). Each UPDATE is by primary key and matches at most
    // one row, so the total says whether every one matched.
    if (rows != static_cast<std::int64_t>(n)) {
      throw StaleDataError("[athanor.orm.stale] UPDATE of table " + run.ops->table().name + " expected to match " +
                           std::to_string(n) + (n == 1 ? " row" : " rows") + ", matched " + std::to_string(rows) +
                           " (the row changed or was deleted since it was loaded)");
    }
    auto version = run.ops->info->version;
    std::size_t width = run.values.size() / n;
    for (std::size_t r = 0; r < n; ++r) {
      if (version) run.ops->set(*run.objects[r], *version, run.values[r * width + run.changed]);
      run.ops->set_clean(*run.objects[r]);
    }
    run.objects.clear(), run.values.clear();
  };
  std::vector<std::size_t> changed;
  for (InstanceBase* inst : candidates) {
    if (inst->state != State::persistent || inst->expired) continue;
    const ModelOps* ops = inst->ops;
    if (!ops->any_modified(*inst)) continue;  // most of an autoflush's objects: only read
    changed.clear();
    ops->changed(*inst, changed);
    std::erase_if(changed, [&](std::size_t k) { return ops->info->version == k; });
    if (changed.empty()) continue;
    const auto& t = ops->table();
    const auto& table = ops->info->table;
    auto version = ops->info->version;
    if (ops != run.ops || changed != run.cols) {  // a new shape: its text (the caches' key) built once per run
      flush_run();
      run.cols = changed;
      run.ops = ops;
      run.changed = changed.size();
      std::string shape = "U" + t.name;
      for (auto k : changed) shape += ',' + std::to_string(k);
      run.sql = &flush_sql(*this, *ops, shape, [&] {
        Builder b;
        Values v;
        for (auto k : changed) v.emplace_back(t.columns[k].name, b.bind(Value()));
        if (version) v.emplace_back(t.columns[*version].name, b.bind(Value()));
        Expr cond = pk_condition(*ops, b);
        if (version) cond = cond && (table.unchecked_c(t.columns[*version].name) == b.bind(Value()));
        return dialect.compile(athanor::update(table).values(v).where(cond).node());
      });
    }
    for (auto k : changed) run.values.push_back(ops->get(*inst, k));
    Value old_version;
    if (version) {
      old_version = ops->get(*inst, *version);
      run.values.push_back(Value(athanor::detail::from_value<std::int64_t>(old_version) + 1));
    }
    for (auto k : ops->info->primary_key) run.values.push_back(ops->get(*inst, k));
    if (version) run.values.push_back(std::move(old_version));
    run.objects.push_back(inst);
  }
  flush_run();
}

/// The deleted objects of one table in the order their rows can go: a row after every row that
/// refers to it through a foreign key of the table to itself (a tree: leaves first). Tables
/// without one keep the order of deletion.
ATHANOR_DECL std::vector<InstanceBase*> referrers_first(const ModelOps& ops, const std::vector<std::shared_ptr<InstanceBase>>& deleted) {
  std::vector<InstanceBase*> rows;
  for (auto& i : deleted)
    if (i->ops == &ops) rows.push_back(i.get());
  const auto& t = ops.table();
  auto column = [&](const std::string& name) {
    for (std::size_t c = 0; c < t.columns.size(); ++c)
      if (t.columns[c].name == name) return c;
    return t.columns.size();
  };
  std::vector<std::vector<std::size_t>> referrers(rows.size());  // row -> the rows that refer to it
  bool any = false;
  for (const auto& fk : t.foreign_keys) {
    if (fk.ref_table != t.name) continue;
    auto key = [&](InstanceBase& i, const std::vector<std::string>& cols) {  // as key_of; "" when a value is NULL
      std::vector<Value> values;
      for (auto& name : cols) {
        values.push_back(ops.get(i, column(name)));
        if (values.back().is_null()) return IdentityKey();
      }
      return key_of(values);
    };
    std::unordered_map<IdentityKey, std::size_t, IdentityKeyHash> by_key;
    for (std::size_t r = 0; r < rows.size(); ++r) by_key.emplace(key(*rows[r], fk.ref_columns), r);
    for (std::size_t r = 0; r < rows.size(); ++r) {
      auto k = key(*rows[r], fk.columns);
      if (auto it = by_key.find(k); !k.empty() && it != by_key.end() && it->second != r) referrers[it->second].push_back(r), any = true;
    }
  }
  if (!any) return rows;
  std::vector<InstanceBase*> out;
  std::vector<char> done(rows.size(), 0);
  auto visit = [&](auto& self, std::size_t r) -> void {
    if (done[r]) return;
    done[r] = 1;  // a cycle of rows is broken here; the database then says which constraint
    for (auto by : referrers[r]) self(self, by);
    out.push_back(rows[r]);
  };
  for (std::size_t r = 0; r < rows.size(); ++r) visit(visit, r);
  return out;
}

ATHANOR_DECL void SessionCore::flush_deletes() {
  if (deleted.empty()) return;
  std::vector<const ModelOps*> models;
  for (auto& i : deleted)
    if (std::find(models.begin(), models.end(), i->ops) == models.end()) models.push_back(i->ops);
  auto order = parents_first(models);
  for (auto it = order.rbegin(); it != order.rend(); ++it) {  // children first
    auto* ops = *it;
    const auto& t = ops->table();
    auto rows = referrers_first(*ops, deleted);
    // Each row's DELETE by key, the rows of a table as one batch (a pipeline on PostgreSQL,
    // a bulk execution on MariaDB): the statements run one after the other, in this order.
    // Not `WHERE pk IN (…)`: MariaDB 10.11 answers a DELETE with IN (SELECT … JSON_TABLE) by
    // a scan per key (minutes for 20 000 of 200 000 rows), where a batch takes milliseconds.
    std::vector<Value> values;
    // Many-to-many: the objects' association rows go first.
    for (auto& info : ops->info->relations) {
      info->resolve();
      if (info->kind != RelKind::many_to_many) continue;
      const ModelOps& a = info->secondary();
      const Compiled& unlink = flush_sql(*this, *ops, "DL" + t.name + "." + info->name, [&] {
        Builder b;
        Expr cond;
        for (auto c : info->secondary_local) {
          Expr e = a.info->table.unchecked_c(a.table().columns[c].name) == b.bind(Value());
          cond = cond ? (cond && e) : e;
        }
        return engine.dialect().compile(athanor::delete_(a.info->table).where(cond).node());
      });
      values.clear();
      for (InstanceBase* inst : rows)
        for (auto c : info->local) values.push_back(ops->get(*inst, c));
      impl().execute_batch(unlink, values, rows.size());
    }
    const Compiled& sql = flush_sql(*this, *ops, "D" + t.name, [&] {
      Builder b;
      return engine.dialect().compile(athanor::delete_(ops->info->table).where(pk_condition(*ops, b)).node());
    });
    values.clear();
    for (InstanceBase* inst : rows)
      for (auto k : ops->info->primary_key) values.push_back(ops->get(*inst, k));
    impl().execute_batch(sql, values, rows.size());
    for (InstanceBase* inst : rows) {
      identity[ops].erase(inst->key);
      deleted_in_tx.push_back(inst->shared_from_this());
    }
  }
  deleted.clear();
}

ATHANOR_DECL void SessionCore::refresh(InstanceBase& i) {
  check_usable();
  auto* ops = i.ops;
  // get() runs this once per object: the last model's SQL is kept at hand, so that a run of
  // lookups does not build and hash the statement's name each time.
  if (refresh_sql.first != ops) {
    refresh_sql = {ops, flush_slot(*this, *ops, "R" + ops->table().name, [&] {
                     Builder b;
                     return engine.dialect().compile(athanor::select(ops->info->table).where(pk_condition(*ops, b)).node());
                   })};
  }
  const Compiled& sql = *refresh_sql.second;
  std::vector<Value> values;
  values.reserve(ops->info->primary_key.size());
  for (auto k : ops->info->primary_key) values.push_back(ops->get(i, k));
  bool found = false;
  read_impl().execute_typed(sql, values, [&](driver::Statement& st) {
    ops->load(i, st, 0);
    found = true;
  });
  if (!found) {
    throw NoResultFound();
  }
  i.expired = false;
}

ATHANOR_DECL void SessionCore::commit() {
  flush();
  end_read();
  if (conn) {
    try {
      conn->commit();
    } catch (...) {
      // COMMIT failed (deferred constraint, serialization failure): the server has rolled back,
      // so the Session must not report the objects as stored, nor let a second commit() succeed.
      // A link lost during COMMIT (CommitResultUnknown) may have stored them: the Session cannot
      // tell either, and forgets them the same way; the caller, told so, looks at the data.
      abandon_transaction();
      throw;
    }
    conn.reset();  // back to the pool until the next use
  }
  for (auto& i : deleted_in_tx) i->state = State::detached, i->was_deleted = true, forget(*i), suspect(i);
  inserted_in_tx.clear(), deleted_in_tx.clear();
  if (options.expire_on_commit) expire_all();
}

ATHANOR_DECL void SessionCore::rollback() {
  abandon_transaction();
  needs_rollback = false;  // rolled back on request: the Session is usable again
}

ATHANOR_DECL void SessionCore::abandon_transaction() {
  end_read();
  if (conn) {
    try {
      conn->rollback();
    } catch (...) {  // a lost connection has rolled back by itself
    }
    conn.reset();
  }
  needs_rollback = true;
  restore_snapshot();
}

ATHANOR_DECL void SessionCore::restore_snapshot() {
  untouch_all();  // first: the objects below leave without a search of this list each
  // Objects inserted in the transaction leave the session; deleted ones come back.
  for (auto& i : inserted_in_tx) {
    if (auto held = find(i->ops, i->key); held == i) identity[i->ops].erase(i->key);
    if (i->session != this && i->session) continue;  // expunged, and another Session's now
    i->state = State::transient, i->key.clear(), forget(*i), suspect(i);
  }
  for (auto& i : pending) i->state = State::transient, forget(*i), suspect(i);
  // Deleted objects come back, except those inserted in this transaction too (transient above).
  for (auto& i : deleted_in_tx)
    if (i->session == this) i->state = State::persistent, identity[i->ops][i->key] = i;
  for (auto& i : deleted)
    if (i->session == this) i->state = State::persistent;
  inserted_in_tx.clear(), deleted_in_tx.clear(), pending.clear(), deleted.clear(), orphans.clear();
  links_added.clear(), links_removed.clear();
  expire_all();  // back to the last committed state on next access
}

ATHANOR_DECL void SessionCore::close() {
  // Roll back the transaction; objects keep the state they have (detached, not expired).
  end_read();
  if (conn) {
    try {
      conn->rollback();
    } catch (...) {
    }
    conn.reset();
  }
  needs_rollback = false;
  statements.clear();
  collect_cycles(detach_all());
}

ATHANOR_DECL std::vector<std::weak_ptr<InstanceBase>> SessionCore::detach_all() {
  untouch_all();
  // What the session held, others still hold, and holds others: the cycle collector's suspects.
  std::vector<std::weak_ptr<InstanceBase>> left;
  auto leave = [&](const std::shared_ptr<InstanceBase>& i, State s) {
    i->state = s, i->session = nullptr;
    if (i.use_count() > 1 && holds_related(*i)) left.push_back(i);
  };
  for (auto& i : pending) leave(i, State::transient);
  for (auto& i : inserted_in_tx) {
    if (i->session == this || !i->session) leave(i, State::transient), i->key.clear();
  }
  for (auto& i : deleted_in_tx)  // the DELETE is rolled back: the row stays (unless inserted above)
    if (i->session == this) leave(i, State::detached);
  inserted_in_tx.clear(), deleted_in_tx.clear(), pending.clear(), deleted.clear(), orphans.clear();
  links_added.clear(), links_removed.clear();
  // One walk over the identity map: each object leaves and its entry goes, and with it the
  // object when nothing else holds it (while it is still in the cache). The Session's pointer
  // in each object is a plain one: no atomic operation per object but the entry's release.
  // Referenced models first (users before their posts): a parent let go here lets go of its
  // collections, so that its children are held by the map alone when their turn comes and
  // leave without the cycle collector's look at their relationships.
  std::vector<const ModelOps*> models;
  models.reserve(identity.size());
  for (auto& entry : identity) models.push_back(entry.first);
  for (const ModelOps* ops : parents_first(std::move(models))) {
    auto& map = identity[ops];
    for (auto& [key, i] : map) {
      if (!i) continue;
      if (i->session == this) leave(i, State::detached);  // not those inserted above
      i.reset();
    }
    map.clear();
  }
  identity.clear();
  arena.retire();  // its blocks go with the last of their objects
  return left;
}

ATHANOR_DECL void refresh_expired(InstanceBase& i) {
  SessionCore* s = i.session;
  if (!s) {
    throw DetachedInstanceError("[athanor.orm.detached] this " + i.ops->table().name +
                                " object is expired and not bound to a Session; its attributes cannot be loaded");
  }
  s->refresh(i);
}

#endif  // ATHANOR_DEFINITIONS

}  // namespace athanor::orm::detail
