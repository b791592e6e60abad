// athanor/orm/detail/attach.hpp — which objects a Session takes (add, delete_, the save-update
// cascade, relationship assignment) and gives back (expunge). As in SQLAlchemy: a new object
// becomes pending; a detached one, which has a row and an identity, becomes persistent again
// and its changes are UPDATEs; an object of another open Session, a deleted one, or a second
// object for a key the Session holds is refused with ArgumentError before anything changes.
#pragma once

#include <unordered_set>  // std::unordered_set

#include <athanor/config.hpp>
#include <athanor/core/detail/convert.hpp>
#include <athanor/orm/detail/session_core.hpp>
#include <athanor/orm/detail/rel_info.hpp>
#include <athanor/orm/relationship.hpp>

namespace athanor::orm::detail {

#if ATHANOR_DEFINITIONS
/// "this users object (id=7)", from its identity key; "(not yet inserted)" without one.
ATHANOR_DECL std::string describe(const InstanceBase& i) {
  std::string out = "this " + i.ops->table().name + " object (";
  if (i.key.empty() || i.state == State::transient || i.state == State::pending) return out + "not yet inserted)";
  const auto& pk = i.ops->info->primary_key;
  std::size_t at = 0;
  std::string key = i.key.str();
  for (std::size_t n = 0; n < pk.size(); ++n) {  // key_of(): each value's text, then '\x1f'
    auto end = key.find('\x1f', at);
    if (n) out += ", ";
    out += i.ops->table().columns[pk[n]].name + "=" + key.substr(at, end - at);
    at = end + 1;
  }
  return out + ")";
}

/// A detached object: it has a row and an identity, and no open Session holds it.
ATHANOR_DECL bool has_identity(const InstanceBase& i) {
  return !i.key.empty() && (i.state == State::persistent || i.state == State::deleted || i.state == State::detached);
}

ATHANOR_DECL void refuse_other_session(const char* op, const InstanceBase& i) {
  throw ArgumentError(std::string("[athanor.orm.other_session] ") + op + ": " + describe(i) +
                      " is attached to another open Session; expunge() it there first, or merge() it into this one");
}
ATHANOR_DECL void refuse_deleted(const char* op, const InstanceBase& i) {
  throw ArgumentError(std::string("[athanor.orm.deleted] ") + op + ": " + describe(i) +
                      " was deleted; add a new object to insert its row again");
}
ATHANOR_DECL void refuse_conflict(const char* op, const InstanceBase& i) {
  std::string d = describe(i);
  throw ArgumentError(std::string("[athanor.orm.identity_conflict] ") + op + ": this Session already holds another " +
                      i.ops->table().name + " object with the key " + d.substr(d.find('(')) +
                      "; merge() the detached one into it instead");
}

ATHANOR_DECL void SessionCore::check_here(const InstanceBase& i, const char* op) const {
  if (i.session != this) {
    throw ArgumentError(std::string("[athanor.orm.not_in_session] ") + op + ": " + describe(i) + " is not in this Session");
  }
}

/// Whether `i`'s DELETE was flushed in this Session's transaction.
ATHANOR_DECL bool flushed_delete(const SessionCore& s, const InstanceBase& i) {
  return i.state == State::deleted &&
         std::any_of(s.deleted_in_tx.begin(), s.deleted_in_tx.end(), [&](auto& d) { return d.get() == &i; });
}

/// Whether this Session holds another object with `i`'s key: in its identity map, or deleted
/// in its transaction (the rollback brings that one back).
ATHANOR_DECL bool key_held(const SessionCore& s, const InstanceBase& i) {
  auto m = s.identity.find(i.ops);
  if (m != s.identity.end()) {
    auto it = m->second.find(i.key);
    if (it != m->second.end() && it->second.get() != &i) return true;
  }
  return std::any_of(s.deleted_in_tx.begin(), s.deleted_in_tx.end(),
                     [&](auto& d) { return d.get() != &i && d->ops == i.ops && d->key == i.key; });
}

ATHANOR_DECL void SessionCore::check_add(const std::shared_ptr<InstanceBase>& head, const char* op) {
  // The usual case, a new object that holds no others: nothing to walk, nothing allocated.
  if (!head->session && !head->was_deleted && !has_identity(*head) && !holds_related(*head)) return;
  std::vector<InstanceBase*> todo{head.get()};
  std::unordered_set<InstanceBase*> seen;
  std::unordered_map<std::string, InstanceBase*> detached;  // model and key → object of this cascade
  while (!todo.empty()) {
    InstanceBase* i = todo.back();
    todo.pop_back();
    if (!seen.insert(i).second) continue;
    SessionCore* owner = i->session;
    if (owner == this) {
      if (flushed_delete(*this, *i)) refuse_deleted(op, *i);
      continue;  // the cascade stops at objects already here, as add_pending does
    }
    if (owner) refuse_other_session(op, *i);
    if (i->was_deleted) refuse_deleted(op, *i);
    if (has_identity(*i)) {
      auto& same = detached[i->ops->table().name + '\x1e' + i->key.str()];
      if (key_held(*this, *i) || (same && same != i)) refuse_conflict(op, *i);
      same = i;
    }
    for (auto& info : i->ops->info->relations) {
      info->visit(info->member(*i), [](InstanceBase& o, void* t) { static_cast<std::vector<InstanceBase*>*>(t)->push_back(&o); },
                  &todo);
    }
  }
}

ATHANOR_DECL void SessionCore::add_pending(const std::shared_ptr<InstanceBase>& i, const char* op) {
  SessionCore* owner = i->session;
  if (owner == this) {
    if (flushed_delete(*this, *i)) refuse_deleted(op, *i);
    return;  // pending, persistent, or marked for deletion here
  }
  if (owner) refuse_other_session(op, *i);
  if (i->was_deleted) refuse_deleted(op, *i);
  i->ops->bind(*i);
  relinked = true;  // its relationships may hold keys to copy (SessionCore::flush)
  if (!has_identity(*i)) {
    i->state = State::pending, i->session = this, i->key.clear();
    pending.push_back(i);
    // Reached through a Ptr before (while transient), it would not be listed again: list it now,
    // or changes made after its INSERT would escape the autoflush.
    i->touched = true, touched.push_back(i.get());
    cascade_add(i);
    return;
  }
  // Detached: persistent here again. Its changed columns are UPDATEd at the next flush; an
  // expired one reloads from this Session on first access.
  if (key_held(*this, *i)) refuse_conflict(op, *i);
  i->state = State::persistent;
  attach(i);
  i->touched = true, touched.push_back(i.get());
  // Its related objects come along; their association rows exist already (a new object's
  // cascade, cascade_add, records them as new links).
  for (auto& info : i->ops->info->relations) {
    for (auto& other : info->items(info->member(*i))) add_pending(other, op);
  }
}

ATHANOR_DECL void SessionCore::add_object(const std::shared_ptr<InstanceBase>& i, const char* op) {
  on_writer = true;  // read replicas: a Session that is about to write reads what the writer holds
  if (i->state == State::deleted && i->session == this) {
    if (auto it = std::find(deleted.begin(), deleted.end(), i); it != deleted.end()) {
      deleted.erase(it), i->state = State::persistent;  // marked, not flushed: kept after all
      return;
    }
  }
  check_add(i, op);
  add_pending(i, op);
}

ATHANOR_DECL void SessionCore::delete_object(const std::shared_ptr<InstanceBase>& i) {
  on_writer = true;  // its cascade must see every child the writer holds, not a replica's
  SessionCore* owner = i->session;
  if (owner && owner != this) refuse_other_session("delete_()", *i);
  if (!owner) {
    if (!has_identity(*i) && !i->was_deleted) {
      throw ArgumentError("[athanor.orm.not_persistent] delete_(): " + describe(*i) + " has no row to delete");
    }
    add_object(i, "delete_()");
  }
  delete_instance(i);  // with cascade delete along its relationships
}

ATHANOR_DECL void SessionCore::expunge_object(const std::shared_ptr<InstanceBase>& i) {
  check_here(*i, "expunge()");
  if (i->state == State::pending) {
    std::erase(pending, i);
    i->state = State::transient, i->key.clear();
  } else {
    if (auto it = std::find(deleted_in_tx.begin(), deleted_in_tx.end(), i); it != deleted_in_tx.end()) {
      deleted_in_tx.erase(it), i->was_deleted = true;  // its DELETE was flushed (SQLAlchemy: deleted-detached)
    }
    std::erase(deleted, i);
    if (auto held = find(i->ops, i->key); held == i) identity[i->ops].erase(i->key);
    i->state = State::detached;
  }
  forget(*i);
  std::erase(orphans, i);
  suspect(i);
}
ATHANOR_DECL void SessionCore::evict_stale(const std::shared_ptr<InstanceBase>& old) {
  std::vector<std::size_t> changed;
  if (old->state == State::persistent && !old->expired) old->ops->changed(*old, changed);
  if (!changed.empty()) {
    throw StaleDataError("[athanor.orm.stale] " + describe(*old) +
                         " was deleted since it was loaded (a new row took its key); its changes cannot be saved");
  }
  std::erase(deleted, old);  // its DELETE would remove the new row
  identity[old->ops].erase(old->key);
  old->state = State::detached, old->was_deleted = true;
  forget(*old);
  evicted.push_back(old);  // flush() may still list it (SessionCore::evicted)
}

ATHANOR_DECL void check_relate(const RelationBase& r, const std::shared_ptr<InstanceBase>& child) {
  const RelInfo* info = r.info();
  if (!info) return;  // the owner is not tracked yet: Session::add checks its cascade
  if (auto* s = r.owner()->session) s->check_add(child, (info->owner().table().name + "." + info->name).c_str());
}
#endif  // ATHANOR_DEFINITIONS

}  // namespace athanor::orm::detail
