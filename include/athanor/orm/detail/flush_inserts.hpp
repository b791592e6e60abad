// athanor/orm/detail/flush_inserts.hpp — the flush's INSERTs: the pending objects of each
// table, parents first, rows of one shape as multi-row statements (on a server) or one
// prepared statement run row after row (SQLite), generated keys matched back in order.
#pragma once

#include <cstddef>  // std::size_t
#include <utility>  // std::pair
#include <vector>   // std::vector

#include <athanor/config.hpp>
#include <athanor/orm/detail/flush_statements.hpp>
#include <athanor/orm/detail/relations.hpp>

namespace athanor::orm::detail {

/// The most bytes of values one INSERT of a flush carries (driver::message_bytes): longer
/// statements save no round trip worth having (a 4 MB statement of short rows holds far more
/// rows than insert_rows_max), and a server takes a message this long (MariaDB's
/// max_allowed_packet is 16 MB by default, 4 MB on older MySQL; the driver's own bound, when
/// lower, wins).
inline constexpr std::size_t insert_bytes_max = std::size_t{4} << 20;

/// The rows whose values a flush holds at once. On an in-process backend (SQLite), where each
/// row is one execution of the run's prepared statement: enough that a run's statement lookup
/// and key bookkeeping are shared by many rows, few enough that their values stay in the cache.
inline constexpr std::size_t in_process_rows = 256;
/// On a server: eight statements of the longest length (insert_rows_max, 512 rows) to a driver
/// batch (one pipeline on PostgreSQL). A 100 000-row flush held every row's values at once
/// (~14 MB of Values and a copy of every text, in memory the allocator takes fresh from the
/// kernel each time): 15 % of the client's CPU time on PostgreSQL went to page faults.
inline constexpr std::size_t server_rows = 4096;

/// The rows of each INSERT of a run of `total` rows, as (first row, rows) in order: from each
/// row on, the longest power of two of rows up to `per` whose values (`ends[r]`: the bytes of
/// rows 0 … r-1) stay within `bound`; a row over the bound alone goes alone (the server then
/// says whether it takes it).
ATHANOR_DECL std::vector<std::pair<std::size_t, std::size_t>> insert_chunks(const std::vector<std::size_t>& ends, std::size_t per,
                                                                          std::size_t bound);

#if ATHANOR_DEFINITIONS
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
/// flush of any size uses a few statement texts, each prepared once), at most the dialect's
/// insert_rows_max, and under the server's limit of bound parameters.
ATHANOR_DECL std::size_t insert_rows_per_statement(std::size_t columns, const Capabilities& caps) {
  std::size_t most = columns ? std::min<std::size_t>(caps.insert_rows_max, caps.max_params / columns) : 1;
  std::size_t n = 1;
  while (n * 2 <= most) n *= 2;
  return n;
}

ATHANOR_DECL std::vector<std::pair<std::size_t, std::size_t>> insert_chunks(const std::vector<std::size_t>& ends, std::size_t per,
                                                                          std::size_t bound) {
  std::vector<std::pair<std::size_t, std::size_t>> chunks;
  std::size_t total = ends.size() - 1;
  for (std::size_t done = 0; done < total;) {
    std::size_t n = per;
    while (n > 1 && (n > total - done || ends[done + n] - ends[done] > bound)) n /= 2;
    chunks.emplace_back(done, n);
    done += n;
  }
  return chunks;
}

ATHANOR_DECL void SessionCore::flush_inserts() {
  if (pending.empty()) return;
  auto models = models_of(pending);
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
        // Each statement's rows: `per` at a time, fewer where their values would exceed the
        // byte bound (long texts) and for what is left at the end.
        std::size_t bound = insert_bytes_max;
        if (std::size_t most = c.guard([&] { return c.drv().max_message_bytes(); }); most) {
          bound = std::min(bound, most > 2048 ? most - 1024 : most / 2);  // room for the message's own framing
        }
        std::vector<std::size_t> ends(total + 1, 0);
        for (std::size_t r = 0; r < total; ++r) ends[r + 1] = ends[r] + driver::message_bytes(values.subspan(r * width, width));
        auto chunks = insert_chunks(ends, per, bound);
        for (std::size_t k = 0; k < chunks.size();) {
          auto [done, n] = chunks[k];
          // Two statements of the longest length or more in a row: one driver batch (one
          // pipeline on PostgreSQL: the server inserts a statement's rows while the next is
          // bound and sent, instead of one round trip each), the keys of each statement as it
          // returns them.
          std::size_t full = 0;
          while (k + full < chunks.size() && chunks[k + full].second == per) ++full;
          if (full >= 2) {
            std::vector<std::vector<Value>> keys(full);
            for (auto& k : keys) k.reserve(per);
            c.execute_batch_rows(sql_for(per, batch.fetch_key), values.subspan(done * width), per * width, full,
                                 [&](std::size_t e, driver::Statement& st) { keys[e].push_back(generated_key(st)); });
            for (std::size_t e = 0; e < full; ++e) settle(done + e * per, per, checked(keys[e], per));
            k += full;
            continue;
          }
          bool returning = batch.fetch_key && (n > 1 || !caps.cheap_last_insert_id);
          std::vector<Value> keys;
          c.execute_each(sql_for(n, returning), values.subspan(done * width, n * width), n * width, 1,
                         [&](std::size_t, driver::Statement& st) {
                           while (st.next()) keys.push_back(generated_key(st));
                           if (batch.fetch_key && !returning) keys.push_back(Value(c.drv().last_insert_id()));
                         });
          settle(done, n, checked(keys, n));
          ++k;
        }
      }
      batch.rows.clear(), batch.values.clear();
    };
    // Room for this model's rows at once: a growing vector of Values moved every string of
    // the flush again at each doubling (a tenth of a 10 000-row flush's CPU), and the identity
    // map rehashed each time it doubled. A long run goes a window of rows at a time
    // (in_process_rows, server_rows): the Values of a 200 000-row flush held every text of
    // every row a second time (~40 MB of copies written and read once, past the caches)
    // where a window's do the same work.
    std::size_t of_model = 0;
    for (auto& inst : pending) of_model += inst->ops == ops;
    const std::size_t window = caps.in_process ? in_process_rows : server_rows;
    batch.values.reserve(std::min(of_model, window) * ops->columns()), batch.rows.reserve(std::min(of_model, window));
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
      if (!together || batch.rows.size() == window) run();
    }
    if (!batch.rows.empty()) run();
  }
  pending.clear();
}

#endif  // ATHANOR_DEFINITIONS

}  // namespace athanor::orm::detail
