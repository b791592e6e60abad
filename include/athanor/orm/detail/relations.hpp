// athanor/orm/detail/relations.hpp — relationships at run time: resolving the linking
// columns from the foreign keys, lazy, selectin and joined loading through the identity map,
// keeping foreign keys in step at flush, and the save-update / delete / delete-orphan cascades.
#pragma once

#include <set>            // std::set
#include <unordered_map>  // std::unordered_map
#include <unordered_set>  // std::unordered_set

#include <athanor/config.hpp>
#include <athanor/core/detail/json_array.hpp>
#include <athanor/orm/detail/session_core.hpp>
#include <athanor/orm/relationship.hpp>

namespace athanor::orm::detail {

#if ATHANOR_DEFINITIONS
ATHANOR_DECL void RelInfo::resolve() const {
  std::call_once(once, [this] {
    const auto& o = owner().table();
    const auto& t = target().table();
    std::string what = o.name + "." + name;
    auto index = [&](const athanor::detail::TableData& tab, const std::string& col) {
      for (std::size_t i = 0; i < tab.columns.size(); ++i)
        if (tab.columns[i].name == col) return i;
      throw ArgumentError("[athanor.orm.relationship] " + what + ": no column " + tab.name + "." + col);
    };
    auto matches = [&](const athanor::detail::ResolvedForeignKey& fk) {
      return foreign_key.empty() || (fk.columns.size() == 1 && fk.columns[0] == foreign_key);
    };
    struct Candidate {
      RelKind kind;
      const athanor::detail::ResolvedForeignKey* fk;
    };
    std::vector<Candidate> found;
    if (secondary) {  // many-to-many: one foreign key of the association table to each side
      const auto& a = secondary().table();
      const athanor::detail::ResolvedForeignKey *to_owner = nullptr, *to_target = nullptr;
      for (auto& fk : a.foreign_keys) {
        if (fk.ref_table == o.name && !to_owner) {
          to_owner = &fk;
        } else if (fk.ref_table == t.name && !to_target) {
          to_target = &fk;
        }
      }
      if (!to_owner || !to_target) {
        throw ArgumentError("[athanor.orm.relationship] " + what + ": the association table " + a.name +
                            " needs a foreign key to " + o.name + " and one to " + t.name);
      }
      kind = RelKind::many_to_many;
      for (std::size_t k = 0; k < to_owner->columns.size(); ++k)
        local.push_back(index(o, to_owner->ref_columns[k])), secondary_local.push_back(index(a, to_owner->columns[k]));
      for (std::size_t k = 0; k < to_target->columns.size(); ++k)
        remote.push_back(index(t, to_target->ref_columns[k])), secondary_remote.push_back(index(a, to_target->columns[k]));
    }
    if (!many && !secondary)
      for (auto& fk : o.foreign_keys)
        if (fk.ref_table == t.name && matches(fk)) found.push_back({RelKind::many_to_one, &fk});
    if (!secondary && (many || found.empty()))
      for (auto& fk : t.foreign_keys)
        if (fk.ref_table == o.name && matches(fk)) found.push_back({many ? RelKind::one_to_many : RelKind::one_to_one, &fk});
    if (found.empty() && !secondary) {
      throw ArgumentError("[athanor.orm.relationship] " + what + ": no foreign key links tables " + o.name + " and " + t.name +
                          "; declare one with m.column<…>().foreign_key(\"table.column\")");
    }
    if (found.size() > 1) {
      throw ArgumentError("[athanor.orm.relationship] " + what + ": more than one foreign key links tables " + o.name + " and " +
                          t.name + "; name the column with .foreign_key(\"column\")");
    }
    for (std::size_t k = 0; !secondary && k < found[0].fk->columns.size(); ++k) {
      kind = found[0].kind;
      const auto& fk = *found[0].fk;
      if (kind == RelKind::many_to_one) {
        local.push_back(index(o, fk.columns[k])), remote.push_back(index(t, fk.ref_columns[k]));
      } else {
        local.push_back(index(o, fk.ref_columns[k])), remote.push_back(index(t, fk.columns[k]));
      }
    }
    // back_populates, declared on either side (declaring it once is SQLAlchemy's backref).
    for (auto& r : target().info->relations) {
      bool named_here = !back_populates.empty() && r->name == back_populates;
      bool named_there = back_populates.empty() && r->back_populates == name && &r->target() == &owner();
      if (named_here || named_there) back = r.get();
    }
    if (!back_populates.empty() && !back) {
      throw ArgumentError("[athanor.orm.relationship] " + what + ": back_populates names '" + back_populates +
                          "', which is not a relationship of " + t.name);
    }
  });
}

/// Clears the columns of a foreign key; a NOT NULL one cannot be cleared: say what to do instead.
ATHANOR_DECL void clear_key(const RelInfo& info, InstanceBase& holder, const std::vector<std::size_t>& cols) {
  for (auto c : cols) {
    const auto& col = holder.ops->table().columns[c];
    if (!col.nullable) {
      throw ArgumentError("[athanor.orm.relationship] " + info.owner().table().name + "." + info.name + ": unlinking would set " +
                          holder.ops->table().name + "." + col.name +
                          " (NOT NULL) to NULL; delete the object instead, or use cascade(\"all, delete-orphan\")");
    }
    holder.ops->assign(holder, c, Value());
  }
  if (!holder.touched) touch(holder);
}

/// `left.left_cols[k] = right.right_cols[k]` for every k, ANDed: the ON of one join.
ATHANOR_DECL Expr join_on(const FromClause& left, const ModelOps& l, const std::vector<std::size_t>& left_cols, const FromClause& right,
                          const ModelOps& r, const std::vector<std::size_t>& right_cols) {
  Expr on;
  for (std::size_t k = 0; k < left_cols.size(); ++k) {
    Expr e = left.unchecked_c(l.table().columns[left_cols[k]].name) == right.unchecked_c(r.table().columns[right_cols[k]].name);
    on = on ? (on && e) : e;
  }
  return on;
}

/// target JOIN association ON target.key = association.target_key
ATHANOR_DECL Expr m2m_join(const RelInfo& info) {
  return join_on(info.target().info->table, info.target(), info.remote, info.secondary().info->table, info.secondary(),
                 info.secondary_remote);
}

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

/// The identity key of the row at `first` in `st`: as key_of(InstanceBase), but read before
/// any object is made, and for the usual single integer primary key straight from the driver
/// (no Value, no vector, no text). That key's cell is left in `cell` (got int64) when it is
/// the model's first column, for load() not to read it again.
ATHANOR_DECL IdentityKey row_key(const ModelOps& ops, driver::Statement& st, int first, driver::Cell& cell) {
  const auto& pk = ops.info->primary_key;
  cell.got = driver::Cell::Got::other;
  if (pk.size() == 1 && ops.table().columns[pk[0]].type.is_integer()) {
    // The key's cell alone: a row whose object is held (and not expired) reads nothing more.
    static constexpr driver::Want want[] = {driver::Want::int64};
    driver::Cell c;
    st.read_row(first + static_cast<int>(pk[0]), want, &c);
    if (c.got == driver::Cell::Got::int64) {
      if (pk[0] == 0) cell = c;
      return IdentityKey(c.i);
    }
  }
  std::vector<Value> values;
  values.reserve(pk.size());
  for (auto k : pk) values.push_back(st.value(first + static_cast<int>(k)));
  return key_of(values);
}

ATHANOR_DECL std::shared_ptr<InstanceBase> SessionCore::load_instance(const ModelOps& ops, driver::Statement& st, int first) {
  return load_instance(identity[&ops], ops, st, first);
}

ATHANOR_DECL std::shared_ptr<InstanceBase> SessionCore::load_instance(IdentityMap& map, const ModelOps& ops, driver::Statement& st,
                                                                      int first) {
  // One hash lookup, on the key read first: the slot is made now and filled below (or removed
  // if loading fails); a row already held makes no object.
  driver::Cell key_cell;
  auto [it, inserted] = map.try_emplace(row_key(ops, st, first, key_cell));
  const driver::Cell* first_cell = key_cell.got == driver::Cell::Got::int64 ? &key_cell : nullptr;
  if (!inserted && it->second) {
    auto& found = it->second;
    if (found->expired) ops.load(*found, st, first, first_cell), found->expired = false;
    return found;
  }
  try {
    auto inst = ops.create(arena);
    ops.bind(*inst);
    ops.load(*inst, st, first, first_cell);
    inst->key = it->first, inst->state = State::persistent, inst->session = this;
    it->second = inst;
    return inst;
  } catch (...) {
    map.erase(it);
    throw;
  }
}

ATHANOR_DECL std::vector<std::shared_ptr<InstanceBase>> RelInfo::items(const RelationBase& r) const {
  std::vector<std::shared_ptr<InstanceBase>> out;
  visit(r, [](InstanceBase& i, void* o) { static_cast<std::vector<std::shared_ptr<InstanceBase>>*>(o)->push_back(i.shared_from_this()); },
        &out);
  return out;
}

ATHANOR_DECL std::string relation_name(const RelationBase& r) { return r.info->owner().table().name + "." + r.info->name; }

ATHANOR_DECL void SessionCore::load_relation(RelationBase& r) {
  const RelInfo& info = *r.info;
  info.resolve();
  if (r.raise || info.lazy == Lazy::raise || options.raiseload) {
    throw Error("[athanor.orm.raiseload] " + relation_name(r) +
                " is not loaded and lazy loading is off (raiseload); load it with selectinload()");
  }
  check_usable();
  InstanceBase& owner = *r.owner;
  if (owner.state == State::pending || owner.state == State::transient) {
    info.set(r, {});  // no rows can point at an object not yet in the database
    return;
  }
  std::vector<Value> key;
  key.reserve(info.local.size());
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
  // Found by the relationship's address: naming the statement ("L" + table.member) and hashing
  // that text was ~1 % of each lazy load (ORM W6a, callgrind).
  auto& cached = lazy_statements[&info];
  if (!cached) cached = statement_ptr("L" + relation_name(r), [&] {
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
      return Compiler(engine.dialect()).compile(stmt.node());
    }
    for (auto c : info.remote) {
      Expr e = target.info->table.unchecked_c(t.columns[c].name, t.columns[c].type) == b.bind(Value());
      cond = cond ? (cond && e) : e;
    }
    auto stmt = athanor::select(target.info->table).where(cond);
    if (!sorts_in_memory(target))
      for (auto k : target.info->primary_key) stmt = stmt.order_by(target.info->table.unchecked_c(t.columns[k].name));
    return Compiler(engine.dialect()).compile(stmt.node());
  });
  const Compiled& sql = *cached;
  std::vector<std::shared_ptr<InstanceBase>> out;
  auto& map = identity[&target];
  read_impl().execute_typed(sql, key, [&](driver::Statement& st) { out.push_back(load_instance(map, target, st)); });
  if (sorts_in_memory(target)) key_order(out);
  info.set(r, std::move(out));
}

/// Copies keys across loaded relationships: a many-to-one takes its target's key; a
/// one-to-many / one-to-one gives the owner's key to its targets. Only keys that exist.
/// Each autoflush runs this on every touched object: the related objects are visited in place
/// (no list of shared_ptrs, whose copies were half of an autoflush in ORM W6a, callgrind), and
/// assign() writes nothing when the key is already there.
ATHANOR_DECL void SessionCore::sync(InstanceBase& i) {
  struct Ctx {
    const RelInfo& info;
    InstanceBase& self;
  };
  for (auto& info : i.ops->info->relations) {
    RelationBase& r = info->member(i);
    if (!r.loaded) continue;
    info->resolve();
    if (info->kind == RelKind::many_to_many) continue;  // keys live in the association rows
    Ctx ctx{*info, i};
    if (info->kind == RelKind::many_to_one) {
      info->visit(
          r,
          [](InstanceBase& other, void* p) {
            auto& [info, self] = *static_cast<Ctx*>(p);
            if (other.state != State::persistent) return;
            for (std::size_t k = 0; k < info.local.size(); ++k)
              self.ops->assign_from(self, info.local[k], *other.ops, other, info.remote[k]);
            if (!self.touched) touch(self);
          },
          &ctx);
    } else if (i.state == State::persistent) {
      info->visit(
          r,
          [](InstanceBase& other, void* p) {
            auto& [info, self] = *static_cast<Ctx*>(p);
            for (std::size_t k = 0; k < info.local.size(); ++k)
              other.ops->assign_from(other, info.remote[k], *self.ops, self, info.local[k]);
            if (!other.touched) touch(other);
          },
          &ctx);
    }
  }
}

/// save-update: objects related to a new object join the Session with it.
ATHANOR_DECL void SessionCore::cascade_add(const std::shared_ptr<InstanceBase>& i) {
  for (auto& info : i->ops->info->relations) {
    RelationBase& r = info->member(*i);
    for (auto& other : info->items(r)) {
      other->ops->bind(*other);
      info->resolve();
      if (info->back) info->back->link(info->back->member(*other), i);
      if (info->kind == RelKind::many_to_many) record_link(*info, i, other, true);
      add_pending(other);
    }
  }
}

ATHANOR_DECL void SessionCore::delete_instance(const std::shared_ptr<InstanceBase>& i) {
  if (i->state == State::deleted) return;
  if (auto it = std::find(pending.begin(), pending.end(), i); it != pending.end()) {
    pending.erase(it), i->state = State::transient, forget(*i);  // out of the Session: add() takes it again
    return;
  }
  if (i->state != State::persistent) return;
  cascade_delete(i);
}

/// delete: `head` and every object its delete cascades reach are marked deleted; the children
/// it does not cascade to (one-to-many, one-to-one) are loaded so that the flush can clear their
/// foreign key (clear_keys_to_deleted); passive_deletes leaves what is not loaded to ON DELETE in
/// the database. All of it is found BEFORE anything is marked: loading autoflushes, and a flush
/// that already saw `head` deleted would send its DELETE before its children were known
/// (SQLAlchemy's Session.delete takes the cascades first for the same reason).
ATHANOR_DECL void SessionCore::cascade_delete(const std::shared_ptr<InstanceBase>& head) {
  std::vector<std::shared_ptr<InstanceBase>> doomed{head};
  std::unordered_set<const InstanceBase*> seen{head.get()};
  for (std::size_t k = 0; k < doomed.size(); ++k) {  // breadth first; `doomed` grows
    auto i = doomed[k];
    if (i->state != State::persistent) continue;  // pending: leaves the session, nothing below it is stored
    for (auto& info : i->ops->info->relations) {
      info->resolve();
      bool children = info->kind == RelKind::one_to_many || info->kind == RelKind::one_to_one;
      // Association rows need nothing loaded: flush_deletes removes them by the object's key.
      if (!info->cascade_delete && !children) continue;
      RelationBase& r = info->member(*i);
      if (!r.loaded) {
        if (info->passive_deletes) continue;
        load_relation(r);
      }
      if (!info->cascade_delete) continue;
      for (auto& other : info->items(r)) {
        if ((other->state == State::persistent || other->state == State::pending) && seen.insert(other.get()).second) doomed.push_back(other);
      }
    }
  }
  for (auto& i : doomed) {
    if (i->state == State::pending) {
      std::erase(pending, i), i->state = State::transient;
    } else if (i->state == State::persistent) {
      i->state = State::deleted, deleted.push_back(i);
    }
  }
}

/// At flush, before the UPDATEs: the children of a deleted object that its delete does not
/// cascade to lose their foreign key to it (SQLAlchemy nullifies them too), unless they were
/// deleted as well or moved to another parent meanwhile. A NOT NULL key cannot be cleared: an
/// IntegrityError before any SQL is sent (a server in a lax SQL mode would store 0 instead).
ATHANOR_DECL void clear_keys_to_deleted(SessionCore& s) {
  for (auto& parent : s.deleted) {
    for (auto& info : parent->ops->info->relations) {
      info->resolve();
      if (info->cascade_delete || info->passive_deletes) continue;
      if (info->kind != RelKind::one_to_many && info->kind != RelKind::one_to_one) continue;
      RelationBase& r = info->member(*parent);
      if (!r.loaded) continue;
      for (auto& child : info->items(r)) {
        if (child->state != State::persistent) continue;
        if (child->expired) {  // its key as stored, not as a rolled-back flush left it
          try {
            s.refresh(*child);
          } catch (const NoResultFound&) {
            continue;  // the row is gone already: nothing refers to the parent from there
          }
        }
        bool still_linked = true;
        for (std::size_t k = 0; k < info->local.size(); ++k)
          still_linked = still_linked && child->ops->get(*child, info->remote[k]) == parent->ops->get(*parent, info->local[k]);
        if (!still_linked) continue;
        const auto& ct = child->ops->table();
        for (auto c : info->remote) {
          if (!ct.columns[c].nullable) {
            const auto& pt = parent->ops->table().name;
            throw IntegrityError("[athanor.integrity.not_null] " + ct.name + "." + ct.columns[c].name + ": deleting its " + pt +
                                 " row would set this NOT NULL column to NULL (" + pt + "." + info->name +
                                 " has no delete cascade); delete those " + ct.name + " first, or cascade(\"all\")");
          }
          child->ops->assign(*child, c, Value());
        }
        if (info->back) info->back->unlink(info->back->member(*child), parent);
        if (!child->touched) touch(*child);
      }
    }
  }
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
      if (!r.loaded) load_relation(r);
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
    if (r.loaded) {
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
  auto by_key = [](const auto& a, const auto& b) { return key_less(a.key, b.key); };
  if (!std::is_sorted(waiting.begin(), waiting.end(), by_key)) std::stable_sort(waiting.begin(), waiting.end(), by_key);
  std::vector<Value> keys;  // each key once
  for (std::size_t w = 0; w < waiting.size(); ++w)
    if (w == 0 || !(waiting[w].key == waiting[w - 1].key)) keys.push_back(waiting[w].value);
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
    return Compiler(engine.dialect()).compile(stmt.node());
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
    std::vector<Value> part(keys.begin() + static_cast<std::ptrdiff_t>(start),
                            keys.begin() + static_cast<std::ptrdiff_t>(std::min(keys.size(), start + chunk)));
    read_impl().execute_typed(sql, {Value(athanor::detail::json_array(part))}, [&](driver::Statement& st) {
      auto inst = load_instance(map, target, st);
      Value k = m2m ? st.value(static_cast<int>(target.columns())) : target.get(*inst, info.remote[0]);
      found.push_back({key_of(&k, 1), std::move(inst)});
    });
  }
  // Rows usually come grouped by the owner's key already (an index on the foreign key lists
  // them so): the sort is then a check.
  if (!std::is_sorted(found.begin(), found.end(), by_key)) std::stable_sort(found.begin(), found.end(), by_key);
  bool sort = sorts_in_memory(target);
  std::size_t f = 0;
  for (std::size_t w = 0; w < waiting.size();) {
    const IdentityKey& key = waiting[w].key;
    std::size_t w_end = w + 1;
    while (w_end < waiting.size() && waiting[w_end].key == key) ++w_end;
    while (f < found.size() && key_less(found[f].key, key)) ++f;  // a row no owner waits for
    std::size_t f_end = f;
    while (f_end < found.size() && found[f_end].key == key) ++f_end;
    std::vector<std::shared_ptr<InstanceBase>> got;
    got.reserve(f_end - f);
    for (; f < f_end; ++f) got.push_back(std::move(found[f].object));
    if (sort) key_order(got);
    if (want_children) children.insert(children.end(), got.begin(), got.end());
    for (; w + 1 < w_end; ++w) info.set(info.member(*waiting[w].owner), got);
    info.set(info.member(*waiting[w].owner), std::move(got));  // the last owner of the key takes the list
    w = w_end;
  }
  return children;
}

ATHANOR_DECL void SessionCore::apply_loader(const std::vector<std::shared_ptr<InstanceBase>>& owners, const ModelOps& ops,
                                      const LoadOption& option, std::size_t depth) {
  if (depth >= option.path.size() || owners.empty()) return;
  const RelInfo* info = ops.info->relation(option.path[depth]);
  if (!info) throw ArgumentError("[athanor.orm.loader] " + ops.table().name + " has no relationship '" + option.path[depth] + "'");
  bool last = depth + 1 == option.path.size();
  // A joinedload that the query's own join did not cover (a second one) loads as selectinload:
  // another query, the same objects.
  if (last && option.strategy == LoadOption::Strategy::raise) {
    for (auto& o : owners) info->member(*o).raise = true;
    return;
  }
  auto children = selectin(owners, *info, !last);  // the children are needed to load the next level
  if (last) return;
  std::sort(children.begin(), children.end());
  children.erase(std::unique(children.begin(), children.end()), children.end());
  apply_loader(children, info->target(), option, depth + 1);
}

ATHANOR_DECL std::vector<std::shared_ptr<InstanceBase>> SessionCore::load_objects(const ModelOps& ops, const ObjectQuery& q) {
  const LoadOption* joined = nullptr;
  for (auto& l : q.loaders) {
    if (l.strategy == LoadOption::Strategy::joined) {
      joined = &l;
      break;
    }
  }
  std::vector<std::shared_ptr<InstanceBase>> out;
  if (joined) {
    out = load_joined(ops, q, *joined);
    if (joined->path.size() > 1) {  // the levels below the joined one load as selectinload
      const RelInfo& info = *ops.info->relation(joined->path[0]);
      std::vector<std::shared_ptr<InstanceBase>> children;
      for (auto& o : out)
        for (auto& c : info.items(info.member(*o))) children.push_back(c);
      std::sort(children.begin(), children.end());
      children.erase(std::unique(children.begin(), children.end()), children.end());
      apply_loader(children, info.target(), *joined, 1);
    }
  } else {
    Collected values;
    q.collect(q.stmt, values);
    auto& map = identity[&ops];
    read_impl(q.locks_rows).execute_typed(*q.compiled(q.stmt, engine.dialect()), values,
                         [&](driver::Statement& st) { out.push_back(load_instance(map, ops, st)); });
  }
  for (auto& l : q.loaders)
    if (&l != joined) apply_loader(out, ops, l, 0);
  return out;
}

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
    return Compiler(engine.dialect()).compile(joined_query(ops, q, *info, b).node());
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
    if (!r.loaded) info->set(r, std::move(children[k]));
  }
  return out;
}

ATHANOR_DECL SessionCore::~SessionCore() {
  try {
    collect_cycles(detach_all());
  } catch (...) {  // out of memory listing suspects: cycles among them stay
  }
}

ATHANOR_DECL void SessionCore::record_link(const RelInfo& info, const std::shared_ptr<InstanceBase>& owner,
                                     const std::shared_ptr<InstanceBase>& target, bool add) {
  // One association row, whichever side it was made from (both sides may be declared).
  auto same = [&](const Link& l) {
    return (l.info == &info && l.owner == owner && l.target == target) ||
           (l.info == info.back && l.owner == target && l.target == owner);
  };
  auto& undo = add ? links_removed : links_added;
  if (auto it = std::find_if(undo.begin(), undo.end(), same); it != undo.end()) {
    undo.erase(it);  // added then removed (or the reverse) before a flush: nothing to write
    return;
  }
  auto& list = add ? links_added : links_removed;
  if (std::none_of(list.begin(), list.end(), same)) list.push_back({&info, owner, target});
}

/// Writes association rows: removed links first, then added ones (both sides have keys now).
ATHANOR_DECL void SessionCore::flush_links() {
  if (links_removed.empty() && links_added.empty()) return;  // every flush without many-to-many changes
  auto run = [&](const std::vector<Link>& links, bool add) {
    for (auto& l : links) {
      const RelInfo& info = *l.info;
      const ModelOps& a = info.secondary();
      const auto& at = a.table();
      const Compiled& sql = statement((add ? "LA" : "LD") + info.owner().table().name + "." + info.name, [&] {
        Builder b;
        if (add) {
          Values v;
          for (auto c : info.secondary_local) v.emplace_back(at.columns[c].name, b.bind(Value()));
          for (auto c : info.secondary_remote) v.emplace_back(at.columns[c].name, b.bind(Value()));
          return Compiler(engine.dialect()).compile(athanor::insert(a.info->table).values(v).node());
        }
        Expr cond;
        for (auto* cols : {&info.secondary_local, &info.secondary_remote}) {
          for (auto c : *cols) {
            Expr e = a.info->table.unchecked_c(at.columns[c].name) == b.bind(Value());
            cond = cond ? (cond && e) : e;
          }
        }
        return Compiler(engine.dialect()).compile(athanor::delete_(a.info->table).where(cond).node());
      });
      std::vector<Value> values;
      for (auto c : info.local) values.push_back(l.owner->ops->get(*l.owner, c));
      for (auto c : info.remote) values.push_back(l.target->ops->get(*l.target, c));
      impl().execute_typed(sql, values, [](driver::Statement&) {});
    }
  };
  auto removed = std::move(links_removed);
  auto added = std::move(links_added);
  links_removed.clear(), links_added.clear();
  run(removed, false);
  run(added, true);
}

ATHANOR_DECL void load_relation(RelationBase& r) {
  SessionCore* s = r.owner ? r.owner->session : nullptr;
  if (!s) {
    throw DetachedInstanceError("[athanor.orm.detached] " + relation_name(r) +
                                " is not loaded and its object is not bound to a Session");
  }
  s->load_relation(r);
}

ATHANOR_DECL void relate(RelationBase& r, const std::shared_ptr<InstanceBase>& child) {
  if (!r.info) return;  // the owner is not tracked yet: Session::add cascades later
  child->ops->bind(*child);
  r.info->resolve();
  auto owner = r.owner->shared_from_this();
  if (r.info->back) r.info->back->link(r.info->back->member(*child), owner);
  if (auto* s = r.owner->session) {
    if (r.info->kind == RelKind::many_to_many) s->record_link(*r.info, owner, child, true);
    s->add_pending(child);
    std::erase(s->orphans, child);
  }
}

ATHANOR_DECL void unrelate(RelationBase& r, const std::shared_ptr<InstanceBase>& child, bool clear) {
  if (!r.info) return;
  r.info->resolve();
  auto owner = r.owner->shared_from_this();
  if (r.info->back) r.info->back->unlink(r.info->back->member(*child), owner);
  SessionCore* s = r.owner->session;
  if (r.info->kind == RelKind::many_to_many) {
    if (s) s->record_link(*r.info, owner, child, false);
  } else if (r.info->delete_orphan) {
    if (s) s->orphans.push_back(child);
  } else if (!clear) {
    return;
  } else if (r.info->kind == RelKind::many_to_one) {
    clear_key(*r.info, *r.owner, r.info->local);
  } else {
    clear_key(*r.info, *child, r.info->remote);
  }
}

#endif  // ATHANOR_DEFINITIONS

}  // namespace athanor::orm::detail
