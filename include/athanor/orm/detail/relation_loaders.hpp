// athanor/orm/detail/relation_loaders.hpp — loading relationships: lazily on first access (one
// SELECT per relationship, or none for a many-to-one already in the identity map) and
// selectinload (one IN query per 10 000 owners), collections in key order.
#pragma once

#include <athanor/config.hpp>
#include <athanor/core/detail/json_array.hpp>
#include <athanor/orm/detail/relation_keys.hpp>

namespace athanor::orm::detail {

#if ATHANOR_DEFINITIONS
/// Whether collections of `target` are put in key order in memory rather than by an ORDER BY,
/// which makes the database sort the whole result (SQLite: a temporary B-tree over every row
/// of a selectinload). Only for a single integer key, whose order is the integers' on every
/// backend; text keys sort by the database's collation, so those keep the ORDER BY.
ATHANOR_DECL bool sorts_in_memory(const ModelOps& target) {
  const auto& pk = target.info->primary_key;
  return pk.size() == 1 && target.table().columns[pk[0]].type.is_integer();
}

/// Puts the loaded objects of one collection in primary key order (see sorts_in_memory): their
/// keys are integers. Rows usually come in that order already (an index on the foreign key
/// lists a key's rows by primary key), so this is mostly a check.
ATHANOR_DECL void key_order(std::vector<std::shared_ptr<InstanceBase>>& v) {
  auto less = [](const std::shared_ptr<InstanceBase>& a, const std::shared_ptr<InstanceBase>& b) {
    return a->key.integer() < b->key.integer();
  };
  if (!std::is_sorted(v.begin(), v.end(), less)) std::sort(v.begin(), v.end(), less);
}

/// An order of identity keys (integers first, by value; then texts): to group rows by key.
ATHANOR_DECL bool key_less(const IdentityKey& a, const IdentityKey& b) {
  if (a.is_integer() != b.is_integer()) return a.is_integer();
  if (a.is_integer()) return a.integer() < b.integer();
  return a.str() < b.str();
}

ATHANOR_DECL void SessionCore::load_relation(RelationBase& r) {
  const RelInfo& info = *r.info();
  info.resolve();
  if (r.raises() || info.lazy == Lazy::raise || options.raiseload) {
    throw Error("[athanor.orm.raiseload] " + relation_name(r) +
                " is not loaded and lazy loading is off (raiseload); load it with selectinload()");
  }
  check_usable();
  InstanceBase& owner = *r.owner();
  if (owner.state == State::pending || owner.state == State::transient) {
    info.set(r, {});  // no rows can point at an object not yet in the database
    return;
  }
  // The key and the loaded objects go in vectors the Session keeps: no malloc for them, nor
  // for the growth of the list row by row, per lazy load (issue 14).
  Spare<Value> key_spare(spare_values);
  Spare<std::shared_ptr<InstanceBase>> out_spare(spare_objects);
  std::vector<Value>& key = *key_spare;
  for (auto c : info.local) key.push_back(owner.ops->get(owner, c));
  if (std::any_of(key.begin(), key.end(), [](const Value& v) { return v.is_null(); })) {
    info.set(r, {});
    return;
  }
  const ModelOps& target = info.target();
  if (info.kind == RelKind::many_to_one && info.remote == target.info->primary_key) {
    if (auto found = find(&target, key_of(key))) {  // in the identity map: no query
      if (found->expired) refresh(*found);
      info.set(r, {found});
      return;
    }
  }
  if (options.autoflush) flush(false);
  // Kept by the relationship's description (RelInfo::lazy_sql), for every Session: naming the
  // statement ("L" + table.member) and hashing that text was ~1 % of each lazy load (ORM W6a).
  auto make = [&] {
    Builder b;
    Expr cond;
    const auto& t = target.table();
    if (info.kind == RelKind::many_to_many) {
      const auto& a = info.secondary();
      for (auto c : info.secondary_local) {
        Expr e = a.info->table.unchecked_c(a.table().columns[c].name) == b.bind(Value());
        cond = cond ? (cond && e) : e;
      }
      auto stmt = athanor::select(target.info->table).join(a.info->table, m2m_join(info)).where(cond);
      if (!sorts_in_memory(target))
        for (auto k : target.info->primary_key) stmt = stmt.order_by(target.info->table.unchecked_c(t.columns[k].name));
      return engine.dialect().compile(stmt.node());
    }
    for (auto c : info.remote) {
      Expr e = target.info->table.unchecked_c(t.columns[c].name, t.columns[c].type) == b.bind(Value());
      cond = cond ? (cond && e) : e;
    }
    auto stmt = athanor::select(target.info->table).where(cond);
    if (!sorts_in_memory(target))
      for (auto k : target.info->primary_key) stmt = stmt.order_by(target.info->table.unchecked_c(t.columns[k].name));
    return engine.dialect().compile(stmt.node());
  };
  std::shared_ptr<const Compiled> kept = info.lazy_sql.get(engine.dialect(), make, true);
  const Compiled& sql = *kept;
  std::vector<std::shared_ptr<InstanceBase>>& out = *out_spare;
  auto& map = identity[&target];
  read_impl().execute_typed(sql, key, [&](driver::Statement& st) { out.push_back(load_instance(map, target, st)); });
  if (sorts_in_memory(target)) key_order(out);
  info.set(r, std::move(out));
}

ATHANOR_DECL void load_relation(RelationBase& r) {
  InstanceBase* owner = r.owner();
  SessionCore* s = owner ? owner->session : nullptr;
  if (!s) {
    throw DetachedInstanceError("[athanor.orm.detached] " + relation_name(r) +
                                " is not loaded and its object is not bound to a Session");
  }
  s->load_relation(r);
}

ATHANOR_DECL std::vector<std::shared_ptr<InstanceBase>> SessionCore::selectin(const std::vector<std::shared_ptr<InstanceBase>>& owners,
                                                                        const RelInfo& info, bool want_children) {
  info.resolve();
  std::vector<std::shared_ptr<InstanceBase>> children;
  auto collect = [&](RelationBase& r) {
    if (want_children)
      for (auto& c : info.items(r)) children.push_back(c);
  };
  if (info.local.size() != 1) {  // composite keys: load one by one
    for (auto& o : owners) {
      auto& r = info.member(*o);
      if (!r.loaded()) load_relation(r);
      collect(r);
    }
    return children;
  }
  const ModelOps& target = info.target();
  // The owners still to load, with the key their collection is found by. Grouped by sorting,
  // as the rows below: no hash map node and no vector per owner (issue 14).
  struct Waiting {
    IdentityKey key;
    InstanceBase* owner;
    Value value;
  };
  std::vector<Waiting> waiting;
  for (auto& o : owners) {
    auto& r = info.member(*o);
    if (r.loaded()) {
      collect(r);
      continue;
    }
    Value v = o->ops->get(*o, info.local[0]);
    if (v.is_null()) {
      info.set(r, {});
      continue;
    }
    if (info.kind == RelKind::many_to_one && info.remote == target.info->primary_key) {
      if (auto found = find(&target, key_of({v})); found && !found->expired) {
        info.set(r, {found});
        collect(r);
        continue;
      }
    }
    waiting.push_back({key_of(&v, 1), o.get(), std::move(v)});
  }
  if (waiting.empty()) return children;
  // key_less, integers compared in place: the checks below compare every row's key (is_sorted
  // of 100 000 rows in ORM W6b), and the call was most of each comparison.
  auto less = [](const IdentityKey& a, const IdentityKey& b) {
    return a.is_integer() && b.is_integer() ? a.integer() < b.integer() : key_less(a, b);
  };
  auto by_key = [&](const auto& a, const auto& b) { return less(a.key, b.key); };
  if (!std::is_sorted(waiting.begin(), waiting.end(), by_key)) std::stable_sort(waiting.begin(), waiting.end(), by_key);
  std::vector<Value> keys;  // each key once (moved: below, the owners are found by their IdentityKey)
  keys.reserve(waiting.size());
  for (std::size_t w = 0; w < waiting.size(); ++w)
    if (w == 0 || !(waiting[w].key == waiting[w - 1].key)) keys.push_back(std::move(waiting[w].value));
  const auto& t = target.table();
  bool m2m = info.kind == RelKind::many_to_many;
  const Compiled& sql = statement("S" + info.owner().table().name + "." + info.name, [&] {
    Builder b;
    auto col = target.info->table.unchecked_c(t.columns[info.remote[0]].name, t.columns[info.remote[0]].type);
    if (m2m) {  // the association's owner key, read after the target's columns
      const auto& a = info.secondary();
      col = a.info->table.unchecked_c(a.table().columns[info.secondary_local[0]].name, a.table().columns[info.secondary_local[0]].type);
    }
    auto in = Expr::make(athanor::detail::ExprKind::in_array, Expr::boolean(), "", {col, b.bind(Value())});
    auto stmt = athanor::select(target.info->table);
    if (m2m) stmt = stmt.add_columns(col).join(info.secondary().info->table, m2m_join(info));
    stmt = stmt.where(in);
    if (!sorts_in_memory(target))
      for (auto k : target.info->primary_key) stmt = stmt.order_by(target.info->table.unchecked_c(t.columns[k].name));
    return engine.dialect().compile(stmt.node());
  });
  struct Found {
    IdentityKey key;  ///< the owner's key the row names
    std::shared_ptr<InstanceBase> object;
  };
  std::vector<Found> found;  // one per row, then sorted by key (stable: each key's rows keep their order)
  auto& map = identity[&target];
  map.reserve(map.size() + keys.size());  // at least one row per key, usually
  // One JSON array parameter carries the keys (no bound-parameter limit applies): chunks only
  // bound the size of that parameter.
  constexpr std::size_t chunk = 10000;
  for (std::size_t start = 0; start < keys.size(); start += chunk) {
    std::vector<Value> part;  // a copy of this chunk's keys only when there is more than one chunk
    if (keys.size() > chunk)
      part.assign(keys.begin() + static_cast<std::ptrdiff_t>(start),
                  keys.begin() + static_cast<std::ptrdiff_t>(std::min(keys.size(), start + chunk)));
    read_impl().execute_typed(sql, {Value(athanor::detail::json_array(keys.size() > chunk ? part : keys))}, [&](driver::Statement& st) {
      auto inst = load_instance(map, target, st);
      // The key the object's member holds (an integer read in place: no Value per row), or for
      // many-to-many the association's column.
      if (std::int64_t n; !m2m && target.integer(*inst, info.remote[0], n)) return found.push_back({IdentityKey(n), std::move(inst)});
      Value k = m2m ? st.value(static_cast<int>(target.columns())) : target.get(*inst, info.remote[0]);
      found.push_back({key_of(&k, 1), std::move(inst)});
    });
    // Room for the other chunks' rows at the rows per key seen so far: the map then grows in
    // one or two steps instead of doubling through every size (each rehash writes a whole new
    // table and moves every object's slot: 16 % of W6b's D1 read misses and 31 % of its writes
    // at N = 20 000, note-mem). At most 8 times the rows read so far, so that a first chunk of
    // many rows per key cannot reserve for rows that never come.
    if (std::size_t done = std::min(keys.size(), start + chunk); done < keys.size()) {
      std::size_t left = keys.size() - done;
      map.reserve(map.size() + std::min((found.size() / done + 1) * left, 8 * found.size()));
    }
  }
  // Rows usually come grouped by the owner's key already (an index on the foreign key lists
  // them so): the sort is then a check.
  if (!std::is_sorted(found.begin(), found.end(), by_key)) std::stable_sort(found.begin(), found.end(), by_key);
  bool sort = sorts_in_memory(target);
  std::size_t f = 0;
  std::vector<std::shared_ptr<InstanceBase>> got;  // one key's objects; set() leaves it empty with its storage
  for (std::size_t w = 0; w < waiting.size();) {
    const IdentityKey& key = waiting[w].key;
    std::size_t w_end = w + 1;
    while (w_end < waiting.size() && waiting[w_end].key == key) ++w_end;
    while (f < found.size() && less(found[f].key, key)) ++f;  // a row no owner waits for
    std::size_t f_end = f;
    while (f_end < found.size() && found[f_end].key == key) ++f_end;
    got.clear();
    got.reserve(f_end - f);
    for (; f < f_end; ++f) got.push_back(std::move(found[f].object));
    if (sort) key_order(got);
    if (want_children) children.insert(children.end(), got.begin(), got.end());
    for (; w + 1 < w_end; ++w) info.set(info.member(*waiting[w].owner), std::vector<std::shared_ptr<InstanceBase>>(got));
    info.set(info.member(*waiting[w].owner), std::move(got));  // the last owner of the key takes the list
    w = w_end;
  }
  return children;
}

#endif  // ATHANOR_DEFINITIONS

}  // namespace athanor::orm::detail
