// athanor/orm/detail/flush_deletes.hpp — the flush's DELETEs: tables children first, the
// rows of a self-referential table leaves first, association rows before their objects.
#pragma once

#include <athanor/config.hpp>
#include <athanor/orm/detail/flush_statements.hpp>
#include <athanor/orm/detail/relations.hpp>

namespace athanor::orm::detail {

#if ATHANOR_DEFINITIONS
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
  auto models = models_of(deleted);
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

#endif  // ATHANOR_DEFINITIONS

}  // namespace athanor::orm::detail
