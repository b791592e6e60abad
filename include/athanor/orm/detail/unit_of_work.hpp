// athanor/orm/detail/unit_of_work.hpp — flush: the pending objects inserted parents first
// (rows of one table and shape through one prepared statement, the generated key fetched
// in the same round trip with RETURNING where the dialect has it), changed columns updated
// (nothing for a no-op assignment; version checked), deleted objects removed children first
// (tables in foreign key order, the rows of a self-referential table leaves first), after the
// children a deleted parent does not cascade to have had their foreign key cleared.
// Also commit, rollback, refresh and close. The statements of each kind are in flush_*.hpp, the
// end of a transaction in session_end.hpp; this file holds the flush's order of work.
#pragma once

#include <algorithm>      // std::any_of, std::min
#include <unordered_set>  // std::unordered_set

#include <athanor/config.hpp>
#include <athanor/orm/detail/flush_deletes.hpp>
#include <athanor/orm/detail/flush_inserts.hpp>
#include <athanor/orm/detail/flush_updates.hpp>
#include <athanor/orm/detail/relations.hpp>
#include <athanor/orm/detail/session_core.hpp>
#include <athanor/orm/detail/session_end.hpp>

namespace athanor::orm::detail {

#if ATHANOR_DEFINITIONS
ATHANOR_DECL void touch(InstanceBase& i) {
  i.touched = true;
  if (i.session) i.session->touched.push_back(&i);
}

/// Whether a full flush has anything to do for `i`, not touched since the last flush: a column
/// changed (through a reference kept across the flush), or a relationship holds an object whose
/// key sync() may copy. Otherwise sync() and flush_updates() would pass over it.
ATHANOR_DECL bool may_change(InstanceBase& i) {
  if (i.state != State::persistent || i.expired) return false;  // what sync() and flush_updates() skip
  if (i.ops->any_modified(i)) return true;
  for (auto& info : i.ops->info->relations) {
    RelationBase& r = info->member(i);
    if (!r.loaded()) continue;
    info->resolve();
    if (info->kind == RelKind::many_to_many) continue;
    bool holds = false;
    info->visit(r, [](InstanceBase&, void* p) { *static_cast<bool*>(p) = true; }, &holds);
    if (holds) return true;
  }
  return false;
}

ATHANOR_DECL void SessionCore::flush(bool everything) {
  check_usable();
  // An autoflush with nothing to write (no object touched since the last flush, nothing
  // added, deleted, orphaned or linked) returns at once: get() autoflushes before each
  // lookup it sends, and the full pass below cost ~5 % of a lookup (callgrind, SQLite).
  const bool only_touched = !everything && orphans.empty() && pending.empty() && deleted.empty() && links_added.empty() &&
                            links_removed.empty();
  if (only_touched && touched.empty()) return;
  auto changed = [](InstanceBase* i) { return i->state == State::persistent && !i->expired && i->ops->any_modified(*i); };
  // The same for an autoflush whose touched objects changed no column, with no relationship
  // changed in memory (relinked): the steps below would skip sync, find every list empty and
  // write nothing, then untouch the objects, as this does. Before each lazy load of ORM W6a
  // (the owner and its previous owner's collection touched) their list copy, guard and steps
  // were ~1 000 instructions.
  if (only_touched && !relinked && std::none_of(touched.begin(), touched.end(), changed)) {
    untouch_all();
    ++flushes;
    return;
  }
  // The objects whose changes this flush looks for.
  // The touched ones first, in the order they were reached (all of them this Session's: forget()
  // takes out those that leave), then, for a full flush, the others (changed through a
  // reference kept across a flush). Their UPDATEs go in that order: usually the order the rows
  // were loaded in, which is the primary key's. In the identity map's order (hash order) they
  // hit the table's B-tree at random: at N = 200 000 SQLite's page cache then spilled, and
  // ORM W5 cost 1.58x hand-written code instead of 1.43x at N = 10 000 (callgrind).
  // Of the others, a full flush touches only those the work below can concern (may_change):
  // commit() after a flush() of 10 000 new objects listed, synced and examined each of them
  // again (1.7 M instructions on PostgreSQL, callgrind); an object left out that sync() then
  // changes is touched there, and so taken below like any other.
  if (everything) {
    for (auto& entry : identity)
      for (auto& [key, i] : entry.second)
        if (!i->touched && may_change(*i)) i->touched = true, touched.push_back(i.get());
  }
  std::vector<InstanceBase*> candidates = touched;
  // No autoflush inside a flush (a delete-orphan cascade loads collections): SQLAlchemy's
  // no_autoflush while flushing. Restored however the flush ends.
  struct NoAutoflush {
    bool& flag;
    bool saved;
    ~NoAutoflush() { flag = saved; }
  } no_autoflush{options.autoflush, options.autoflush};
  options.autoflush = false;
  try {
    // delete-orphan: objects taken out of their collection (and not put in another) go.
    auto orphaned = std::move(orphans);
    orphans.clear();
    for (auto& o : orphaned) delete_instance(o);
    // Keys across relationships changed in memory since the last flush. An autoflush looks for
    // them only where they may differ (`relinked`): otherwise, when no touched object changed a
    // column, nothing below has anything to do for them (flush_updates would skip each).
    std::size_t listed = touched.size();  // an orphan that left above took itself out (forget())
    std::size_t gone = untouched;
    if (everything || relinked || std::any_of(candidates.begin(), candidates.end(), changed)) {
      for (std::size_t k = 0; k < candidates.size(); ++k) {  // sync may touch more: they are appended
        if (candidates[k]->state == State::persistent && !candidates[k]->expired) sync(*candidates[k]);
      }
    } else {
      candidates.clear();
    }
    clear_keys_to_deleted(*this);  // UPDATEs of children that outlive their deleted parent
    // Those sync and clear_keys_to_deleted appended (the list may also hold objects now in
    // another Session), then those the INSERTs' sync gave a new parent's key (a persistent child
    // in a new object's collection): each is touched once, so none is listed twice. A step may
    // also take objects out (forget(): flush_inserts evicts a stale object whose key a new row
    // reuses), which moves the appended ones down: `listed` could then point past the end (the
    // state machine found it). Then the range starts that much earlier, without those listed.
    auto take_appended = [&] {
      if (std::size_t out = untouched - gone; out == 0) {
        candidates.insert(candidates.end(), touched.begin() + static_cast<std::ptrdiff_t>(listed), touched.end());
      } else {
        std::unordered_set<InstanceBase*> have(candidates.begin(), candidates.end());
        std::size_t from = std::min(listed, touched.size());
        for (from = from > out ? from - out : 0; from < touched.size(); ++from)
          if (have.insert(touched[from]).second) candidates.push_back(touched[from]);
      }
      listed = touched.size(), gone = untouched;
    };
    take_appended();
    flush_inserts();
    take_appended();
    flush_updates(candidates);
    untouch_all();
    flush_links();
    flush_deletes();
    ++flushes;
    if (everything) relinked = false;  // every object that may hold a key to copy was synced
    evicted.clear();
  } catch (...) {
    // Nothing of a failed flush may stay: the whole transaction goes, as in SQLAlchemy.
    abandon_transaction();
    evicted.clear();
    throw;
  }
}

#endif  // ATHANOR_DEFINITIONS

}  // namespace athanor::orm::detail
