// athanor/orm/detail/cycles.hpp — frees objects that only keep each other alive.
//
// Relationships hold their objects strongly in both directions (`post->author` and
// `author->posts`), as in SQLAlchemy, so that a detached object graph stays navigable. Two
// loaded sides of a back_populates pair are therefore a reference cycle, which shared_ptr
// alone would never free. The Session's identity map holds its objects while it is open;
// when it closes, and whenever a Ptr to a detached or new object is dropped while others
// still point at it, the object becomes a *suspect*. At safe points (Session construction
// and close, `orm::collect_cycles()`, thread exit) the suspects are examined by trial
// deletion, the synchronous algorithm of Bacon & Rajan (2001) that CPython's gc also uses:
//
//   1. the suspects and every object reachable from them through relationships form a
//      graph; each node starts with its shared_ptr use count;
//   2. every edge inside the graph subtracts one from its target: what is left counts the
//      references from outside (a Ptr in user code, a Session, a container);
//   3. the nodes with outside references, and all they reach, are alive;
//   4. the rest is garbage held only by itself: its relationships are released, which
//      frees it.
//
// The count is conservative: an unknown reference keeps an object alive, never the reverse.
#pragma once

#include <cstddef>  // std::size_t
#include <memory>   // std::shared_ptr, std::weak_ptr
#include <vector>   // std::vector

#include <athanor/config.hpp>

namespace athanor::orm {
namespace detail {

struct InstanceBase;

/// Notes that `i` lost a reference and may now be held only by a cycle. Cheap: a flag test
/// and, the first time, one push onto this thread's list. An object whose relationships
/// hold nothing is in no cycle and is not listed.
ATHANOR_DECL void suspect(const std::shared_ptr<InstanceBase>& i);
/// Whether `i`'s relationships hold any object now (only such an object can be in a cycle).
ATHANOR_DECL bool holds_related(InstanceBase& i);
/// Examines this thread's suspects and `more`; returns the number of objects freed. `more` is
/// taken, not copied: a copy of a closing Session's list (every object it held that others
/// hold) was one more visit of each object's control block, and its release another.
ATHANOR_DECL std::size_t collect_cycles(std::vector<std::weak_ptr<InstanceBase>> more);
/// A safe point: collects when enough suspects have gathered since the last collection.
ATHANOR_DECL void maybe_collect_cycles();

}  // namespace detail

/// Frees the ORM objects of this thread that are no longer reachable from the program but
/// keep each other alive through relationships. Sessions run it on construction and close;
/// call it yourself after dropping a large detached object graph outside any Session work.
inline std::size_t collect_cycles() { return detail::collect_cycles({}); }

}  // namespace athanor::orm

#if ATHANOR_DEFINITIONS
#  include <algorithm>      // std::max
#  include <iterator>       // std::make_move_iterator

#  include <athanor/orm/detail/model_ops.hpp>
#  include <athanor/orm/detail/rel_info.hpp>

namespace athanor::orm::detail {

namespace cycles {

/// This thread's suspects. `busy` (trivially destructible, so still readable while the
/// list is destroyed at thread exit) stops objects freed by a collection from being listed.
/// Suspects gathered before a safe point collects (and before the list drops the dead ones).
inline constexpr std::size_t collect_at = 1024;
struct Suspects {
  std::vector<std::weak_ptr<InstanceBase>> list;
  std::size_t limit = collect_at;
  ~Suspects();
};
inline thread_local bool busy = false;
ATHANOR_DECL Suspects& suspects() {
  thread_local Suspects s;
  return s;
}

/// Calls `f(InstanceBase&)` for each object that `i`'s relationships hold now (no loading).
template <class F>
void for_each_related(InstanceBase& i, F& f) {
  for (auto& r : i.ops->info->relations) {
    r->visit(r->member(i), [](InstanceBase& target, void* fn) { (*static_cast<F*>(fn))(target); }, &f);
  }
}

/// Empties `roots` (each weak reference is let go as soon as it is locked).
ATHANOR_DECL std::size_t trial_deletion(std::vector<std::weak_ptr<InstanceBase>>& roots) {
  // 1. The graph: the suspects and all they reach. Each node's index is kept in the object
  // (gc_slot) rather than in a hash map: a slot counts only where nodes[slot] is that object,
  // so a stale slot from an earlier collection is never taken for membership.
  // At a large Session's close every object it held may be a root, and each visit of all of
  // them a cache miss per object (issue 14): so each node's use count is taken as it is added
  // (nothing changes a count before step 4), a root's from the shared_ptr lock() gave; a root
  // is held from then on by that shared_ptr (step 4 takes it from there, not from
  // shared_from_this()), and its weak reference let go there and then, not in a pass of its own.
  std::vector<InstanceBase*> nodes;
  std::vector<long> outside;
  std::vector<std::shared_ptr<InstanceBase>> held;  // the roots, nodes[0 .. held.size())
  auto add = [&](InstanceBase& i) {
    if (i.gc_slot < nodes.size() && nodes[i.gc_slot] == &i) return false;
    i.gc_slot = static_cast<std::uint32_t>(nodes.size());
    nodes.push_back(&i);
    return true;
  };
  for (auto& w : roots) {
    auto p = w.lock();
    w.reset();
    if (!p) continue;
    p->suspected = false;
    if (add(*p)) {
      outside.push_back(p.use_count() - 1);  // the references besides this one
      held.push_back(std::move(p));
    }
  }
  roots.clear();
  auto reached = [&](InstanceBase& i) {
    if (add(i)) outside.push_back(i.weak_from_this().use_count());
  };
  for (std::size_t k = 0; k < nodes.size(); ++k) for_each_related(*nodes[k], reached);
  // 2. References from outside the graph: each edge inside it takes one from its target.
  auto inside = [&](InstanceBase& t) { --outside[t.gc_slot]; };  // every object reached is a node (step 1)
  for (auto* n : nodes) for_each_related(*n, inside);
  // 3. Alive: held from outside, or reachable from such an object.
  std::vector<char> alive(nodes.size(), 0);
  std::vector<std::size_t> todo;
  for (std::size_t k = 0; k < nodes.size(); ++k)
    if (outside[k] > 0) alive[k] = 1, todo.push_back(k);
  while (!todo.empty()) {
    auto k = todo.back();
    todo.pop_back();
    auto reach = [&](InstanceBase& t) {
      auto j = t.gc_slot;
      if (!alive[j]) alive[j] = 1, todo.push_back(j);
    };
    for_each_related(*nodes[k], reach);
  }
  // 4. The rest holds only itself: release its relationships, which frees it. Each is held
  // here until then: a root by `held`, the others by `garbage`.
  std::vector<std::shared_ptr<InstanceBase>> garbage;
  std::size_t freed = 0;
  for (std::size_t k = 0; k < nodes.size(); ++k) {
    if (alive[k]) continue;
    ++freed;
    if (k >= held.size()) garbage.push_back(nodes[k]->shared_from_this());
  }
  for (std::size_t k = 0; k < nodes.size(); ++k) {
    if (alive[k]) continue;
    for (auto& r : nodes[k]->ops->info->relations) r->release(r->member(*nodes[k]));
  }
  return freed;  // freed when `garbage` and `held` go
}

ATHANOR_DECL Suspects::~Suspects() {
  busy = true;  // for good: this thread is ending
  try {
    trial_deletion(list);
  } catch (...) {  // out of memory at thread exit: leave the cycles
  }
}

}  // namespace cycles

ATHANOR_DECL bool holds_related(InstanceBase& i) {
  bool any = false;
  auto found = [&](InstanceBase&) { any = true; };
  cycles::for_each_related(i, found);
  return any;
}

ATHANOR_DECL void suspect(const std::shared_ptr<InstanceBase>& i) {
  if (i->suspected || cycles::busy || !holds_related(*i)) return;
  auto& s = cycles::suspects();
  if (s.list.size() >= s.limit) {
    // Between safe points, forget the suspects that died anyway (a weak_ptr keeps the
    // memory of a make_shared object): the list stays within twice the live ones.
    std::erase_if(s.list, [](auto& w) { return w.expired(); });
    s.limit = std::max(cycles::collect_at, 2 * s.list.size());
  }
  s.list.push_back(i);
  i->suspected = true;
}

ATHANOR_DECL std::size_t collect_cycles(std::vector<std::weak_ptr<InstanceBase>> more) {
  if (cycles::busy) return 0;
  auto roots = std::move(more);
  auto& listed = cycles::suspects().list;
  roots.insert(roots.end(), std::make_move_iterator(listed.begin()), std::make_move_iterator(listed.end()));
  listed.clear();
  cycles::busy = true;
  struct Done {
    ~Done() { cycles::busy = false; }
  } done;
  return cycles::trial_deletion(roots);
}

ATHANOR_DECL void maybe_collect_cycles() {
  if (cycles::suspects().list.size() >= cycles::collect_at) collect_cycles({});
}

}  // namespace athanor::orm::detail
#endif  // ATHANOR_DEFINITIONS
