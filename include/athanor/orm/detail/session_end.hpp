// athanor/orm/detail/session_end.hpp — how a Session's transaction ends: commit (flush, then
// COMMIT), rollback and a failed flush's abandon (objects back to their state before it),
// close and the detaching of every object; refresh of an expired object.
#pragma once

#include <athanor/config.hpp>
#include <athanor/orm/detail/flush_statements.hpp>
#include <athanor/orm/detail/relations.hpp>

namespace athanor::orm::detail {

#if ATHANOR_DEFINITIONS
ATHANOR_DECL const Compiled& SessionCore::refresh_statement(const ModelOps& m) {
  auto* ops = &m;
  // get() runs this once per object: the last model's SQL is kept at hand, so that a run of
  // lookups does not build and hash the statement's name each time.
  if (refresh_sql.first != ops) {
    refresh_sql = {ops, flush_slot(*this, *ops, "R" + ops->table().name, [&] {
                     Builder b;
                     return engine.dialect().compile(athanor::select(ops->info->table).where(pk_condition(*ops, b)).node());
                   })};
  }
  return *refresh_sql.second;
}

ATHANOR_DECL void SessionCore::refresh(InstanceBase& i) {
  check_usable();
  auto* ops = i.ops;
  const Compiled& sql = refresh_statement(*ops);
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
  // The touched list goes without a walk of its own: each object leaves below, where its flag
  // is cleared with its state (one word). A walk here visited every touched object once more
  // before the walk that lets it go: past the cache (N = 200 000) a miss per object (issue 14).
  // A flag left set on an object out of every Session would be harmless anyway: touch() sets
  // it on detached objects too, and add_pending() lists an object whatever its flag.
  touched.clear();
  // What the session held, others still hold, and holds others: the cycle collector's suspects.
  std::vector<std::weak_ptr<InstanceBase>> left;
  auto leave = [&](const std::shared_ptr<InstanceBase>& i, State s) {
    i->state = s, i->touched = false, i->session = nullptr;
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
  // Each slot is freed as it is passed, so the map's array goes back to the thread's cache
  // without a second walk (orm/detail/memory_cache.hpp).
  for (const ModelOps* ops : parents_first(std::move(models))) {
    identity[ops].drain([&](const std::shared_ptr<InstanceBase>& i) {
      if (i->session == this) leave(i, State::detached);  // not those inserted above
    });
  }
  identity.clear();
  arena.retire();  // its blocks go with the last of their objects
  session_memory_closed();  // the thread's cache keeps what the next Session is likely to take
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
