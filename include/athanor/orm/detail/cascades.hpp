// athanor/orm/detail/cascades.hpp — what relating, unrelating and deleting objects do to the
// objects around them: save-update (relate, cascade_add), delete and delete-orphan
// (cascade_delete, unrelate), and the foreign keys cleared when a parent goes without its children.
#pragma once

#include <unordered_set>  // std::unordered_set

#include <athanor/config.hpp>
#include <athanor/orm/detail/association_rows.hpp>
#include <athanor/orm/detail/relation_keys.hpp>

namespace athanor::orm::detail {

#if ATHANOR_DEFINITIONS
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
      if (!r.loaded()) {
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
      if (!r.loaded()) continue;
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

/// The Sessions of both sides sync keys at their next autoflushes (SessionCore::relinked).
inline void mark_relinked(InstanceBase& owner, InstanceBase& child) {
  if (owner.session) owner.session->relinked = true;
  if (child.session) child.session->relinked = true;
}

ATHANOR_DECL void relate(RelationBase& r, const std::shared_ptr<InstanceBase>& child) {
  const RelInfo* info = r.info();
  if (!info) return;  // the owner is not tracked yet: Session::add cascades later
  child->ops->bind(*child);
  info->resolve();
  InstanceBase& self = *r.owner();
  mark_relinked(self, *child);
  auto owner = self.shared_from_this();
  if (info->back) info->back->link(info->back->member(*child), owner);
  if (auto* s = self.session) {
    if (info->kind == RelKind::many_to_many) s->record_link(*info, owner, child, true);
    s->add_pending(child);
    std::erase(s->orphans, child);
  }
}

ATHANOR_DECL void unrelate(RelationBase& r, const std::shared_ptr<InstanceBase>& child, bool clear) {
  const RelInfo* info = r.info();
  if (!info) return;
  info->resolve();
  InstanceBase& self = *r.owner();
  mark_relinked(self, *child);
  auto owner = self.shared_from_this();
  if (info->back) info->back->unlink(info->back->member(*child), owner);
  SessionCore* s = self.session;
  if (info->kind == RelKind::many_to_many) {
    if (s) s->record_link(*info, owner, child, false);
  } else if (info->delete_orphan) {
    if (s) s->orphans.push_back(child);
  } else if (!clear) {
    return;
  } else if (info->kind == RelKind::many_to_one) {
    clear_key(*info, self, info->local);
  } else {
    clear_key(*info, *child, info->remote);
  }
}

#endif  // ATHANOR_DEFINITIONS

}  // namespace athanor::orm::detail
