// athanor/orm/detail/flush_updates.hpp — the flush's UPDATEs: the changed columns of each
// touched object by primary key (and version), consecutive ones of one shape as one batch.
#pragma once

#include <athanor/config.hpp>
#include <athanor/orm/detail/flush_statements.hpp>

namespace athanor::orm::detail {

#if ATHANOR_DEFINITIONS
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

#endif  // ATHANOR_DEFINITIONS

}  // namespace athanor::orm::detail
