// athanor/orm/detail/joined_loader.hpp — joinedload: the owners' query with the relationship's
// table LEFT OUTER JOINed, one owner and one child per row, owners de-duplicated.
#pragma once

#include <set>            // std::set
#include <unordered_map>  // std::unordered_map

#include <athanor/config.hpp>
#include <athanor/orm/detail/relation_keys.hpp>

namespace athanor::orm::detail {

#if ATHANOR_DEFINITIONS
/// The ORDER BY term `e` (ASC/DESC, NULLS FIRST/LAST kept) with its expression replaced by `by`.
ATHANOR_DECL Expr reordered(const Expr& e, Expr by) {
  if (e.node().kind != athanor::detail::ExprKind::ordering) return by;
  int flags = e.node().flags;
  by = (flags & 1) ? by.desc() : by.asc();
  if (flags & 2) by = by.nulls_first();
  if (flags & 4) by = by.nulls_last();
  return by;
}

/// The owners' query with the relationship's table LEFT OUTER JOINed (through the association
/// table for a many-to-many), so that each row is an owner and one of its children (or NULLs).
/// Ordered by the query's own ORDER BY, then the owner's and the child's primary key: each
/// collection comes in the order lazy loading and selectinload give it. A query whose LIMIT,
/// OFFSET, DISTINCT or GROUP BY must count owners, not joined rows, becomes a subquery that the
/// join goes around, its ORDER BY carried out as extra columns (what SQLAlchemy does for a joined
/// collection).
ATHANOR_DECL athanor::Select joined_query(const ModelOps& ops, const ObjectQuery& q, const RelInfo& info, Builder& b) {
  athanor::Select s = q.to_core(q.stmt, b);
  const auto& n = s.node();
  const ModelOps& target = info.target();
  FromClause owner = q.source;
  std::vector<Expr> order = n.order_by;
  if (static_cast<bool>(n.limit) || static_cast<bool>(n.offset) || n.distinct || !n.group_by.empty()) {
    athanor::Select inner = s;
    for (std::size_t k = 0; k < order.size(); ++k) {
      const Expr& e = order[k];
      inner = inner.add_columns((e.node().kind == athanor::detail::ExprKind::ordering ? e.node().args[0] : e).label("athanor_order_" + std::to_string(k)));
    }
    owner = inner.subquery("athanor_owners");
    std::vector<Expr> cols;
    for (auto& c : ops.table().columns) cols.push_back(owner.unchecked_c(c.name, c.type));
    s = athanor::select(cols);
    for (std::size_t k = 0; k < order.size(); ++k) order[k] = reordered(order[k], owner.unchecked_c("athanor_order_" + std::to_string(k)));
  } else {
    s = athanor::Select(std::make_shared<athanor::detail::SelectNode>(n));
    s.ptr()->order_by.clear();
  }
  // Aliased: the owner's query may name the same tables (a self-referential relationship does).
  FromClause child = target.info->table.alias(target.table().name + "_1");
  if (info.kind == RelKind::many_to_many) {
    const ModelOps& a = info.secondary();
    FromClause link = a.info->table.alias(a.table().name + "_1");
    s = s.outerjoin(link, join_on(owner, ops, info.local, link, a, info.secondary_local))
            .outerjoin(child, join_on(link, a, info.secondary_remote, child, target, info.remote));
  } else {
    s = s.outerjoin(child, join_on(owner, ops, info.local, child, target, info.remote));
  }
  s = s.add_columns(child);
  for (auto& e : order) s = s.order_by(e);
  for (auto k : ops.info->primary_key) s = s.order_by(owner.unchecked_c(ops.table().columns[k].name));
  for (auto k : target.info->primary_key) s = s.order_by(child.unchecked_c(target.table().columns[k].name));
  return s;
}

ATHANOR_DECL std::vector<std::shared_ptr<InstanceBase>> SessionCore::load_joined(const ModelOps& ops, const ObjectQuery& q,
                                                                                 const LoadOption& joined) {
  const RelInfo* info = ops.info->relation(joined.path[0]);
  if (!info) throw ArgumentError("[athanor.orm.loader] " + ops.table().name + " has no relationship '" + joined.path[0] + "'");
  info->resolve();
  const ModelOps& target = info->target();
  const Compiled& sql = statement(std::string("J") + q.type.name() + "." + info->name, [&] {
    Builder b;
    return engine.dialect().compile(joined_query(ops, q, *info, b).node());
  });
  Collected values;
  q.collect(q.stmt, values);
  std::vector<std::shared_ptr<InstanceBase>> out;
  std::vector<std::vector<std::shared_ptr<InstanceBase>>> children;  // pairwise with out
  std::unordered_map<const InstanceBase*, std::size_t> index;         // owner -> its place in out
  std::set<std::pair<std::size_t, const InstanceBase*>> pairs;         // (owner, child) seen
  int first_target = static_cast<int>(ops.columns());
  int target_pk = first_target + static_cast<int>(target.info->primary_key[0]);
  auto& owners = identity[&ops];
  auto& targets = identity[&target];  // references to elements stay valid while others are added
  read_impl(q.locks_rows).execute_typed(sql, values, [&](driver::Statement& st) {
    auto owner = load_instance(owners, ops, st);
    std::size_t at = out.size();
    if (out.empty() || out.back() != owner) {  // rows come grouped by owner: the map is the rare path
      auto [it, added] = index.try_emplace(owner.get(), out.size());
      if (added) out.push_back(owner), children.emplace_back();
      at = it->second;
    } else {
      at = out.size() - 1;
    }
    if (st.is_null(target_pk)) return;  // no related row
    auto child = load_instance(targets, target, st, first_target);
    auto& list = children[at];
    // The same pair twice when the owners' query joins other tables; usually next to each other.
    if (!list.empty() && list.back() == child) return;
    if (pairs.emplace(at, child.get()).second) list.push_back(child);
  });
  for (std::size_t k = 0; k < out.size(); ++k) {
    auto& r = info->member(*out[k]);
    if (!r.loaded()) info->set(r, std::move(children[k]));
  }
  return out;
}

#endif  // ATHANOR_DEFINITIONS

}  // namespace athanor::orm::detail
