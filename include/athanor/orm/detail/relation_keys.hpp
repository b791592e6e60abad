// athanor/orm/detail/relation_keys.hpp — which columns link the two sides of a relationship
// (resolved from the foreign keys of both tables), the join conditions they make, and keeping
// foreign keys in step with loaded relationships at flush (sync, clear_key).
#pragma once

#include <athanor/config.hpp>
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

ATHANOR_DECL std::vector<std::shared_ptr<InstanceBase>> RelInfo::items(const RelationBase& r) const {
  std::vector<std::shared_ptr<InstanceBase>> out;
  visit(r, [](InstanceBase& i, void* o) { static_cast<std::vector<std::shared_ptr<InstanceBase>>*>(o)->push_back(i.shared_from_this()); },
        &out);
  return out;
}

ATHANOR_DECL std::string relation_name(const RelationBase& r) { return r.info()->owner().table().name + "." + r.info()->name; }

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
    if (!r.loaded()) continue;
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

#endif  // ATHANOR_DEFINITIONS

}  // namespace athanor::orm::detail
