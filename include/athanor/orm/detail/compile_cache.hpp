// athanor/orm/detail/compile_cache.hpp — what every typed statement shares to run: the
// per-type cache of its compiled SQL, and the thread's vector of one execution's values.
#pragma once

#include <array>   // std::array
#include <atomic>  // std::atomic
#include <memory>  // std::shared_ptr
#include <mutex>   // std::mutex

#include <athanor/config.hpp>
#include <athanor/core/select.hpp>
#include <athanor/dialect/dialect.hpp>
#include <athanor/orm/expr.hpp>  // Collected

namespace athanor::orm::detail {

/// The compiled SQL of one statement type, per dialect. Dialects are process-wide
/// singletons, so a few slots per type suffice.
/// A slot is filled once under the mutex (its SQL first, then its dialect, published with
/// release order) and never changes after: executions read it without locking (a typed
/// statement runs this lookup every time it executes).
struct CompileCache {
  struct Slot {
    std::atomic<const Dialect*> dialect{nullptr};
    std::shared_ptr<const Compiled> compiled;  ///< set before `dialect`, never after
  };
  std::mutex mutex;  ///< serialises the fills
  std::array<Slot, 4> slots;
};
/// The cache of statement type S: a variable, constant-initialised (no function body and no
/// guard per statement type).
template <class S>
constinit inline CompileCache compile_cache{};
/// The same, as a function (for callers that name the cache by a key type).
template <class S>
CompileCache& compile_cache_of() {
  return compile_cache<S>;
}
/// A pointer to a slot's Compiled that owns nothing (the aliasing constructor over an empty
/// owner): a slot is never emptied, so its copies need no reference count, whose two atomic
/// read-modify-writes were most of compiled_sql's cost per execution.
inline std::shared_ptr<const Compiled> unowned(const std::shared_ptr<const Compiled>& kept) {
  return std::shared_ptr<const Compiled>(std::shared_ptr<const void>(), kept.get());
}
/// The compiled SQL for `d` from `cache`, made by `make(stmt, d)` on first use. Out of line
/// and fed a function pointer: each statement type adds only its `make`.
ATHANOR_DECL std::shared_ptr<const Compiled> cached_compile(CompileCache& cache, const Dialect& d,
                                                            Compiled (*make)(const void* stmt, const Dialect&), const void* stmt);
#if ATHANOR_DEFINITIONS
ATHANOR_DECL std::shared_ptr<const Compiled> cached_compile(CompileCache& cache, const Dialect& d,
                                                            Compiled (*make)(const void* stmt, const Dialect&), const void* stmt) {
  for (auto& slot : cache.slots) {  // the usual case: compiled before, no lock
    const Dialect* filled = slot.dialect.load(std::memory_order_acquire);
    if (filled == &d) return unowned(slot.compiled);
    if (!filled) break;
  }
  std::lock_guard lock(cache.mutex);
  for (auto& slot : cache.slots) {
    const Dialect* filled = slot.dialect.load(std::memory_order_relaxed);  // written under this lock only
    if (filled == &d) return unowned(slot.compiled);
    if (!filled) {
      Compiled made = make(stmt, d);
      // right for this execution's values only (Compiled::values_in_text)
      if (made.values_in_text) return std::make_shared<const Compiled>(std::move(made));
      made.cached = true;
      slot.compiled = std::make_shared<const Compiled>(std::move(made));
      slot.dialect.store(&d, std::memory_order_release);
      return unowned(slot.compiled);
    }
  }
  return std::make_shared<const Compiled>(make(stmt, d));
}
#endif
/// The compiled SQL of statement `s` (of a type whose `compile(d)` gives it): cached per
/// type when the type says its SQL never changes (`cacheable`).
/// `s.compile(d)` of a statement of type S given by address (a function, not a lambda: one
/// body per statement type instead of a closure's three).
template <class S>
Compiled compile_erased(const void* s, const Dialect& d) {
  return static_cast<const S*>(s)->compile(d);
}
/// How a statement of type S compiles, given by address: compile_erased<S>, or a function of
/// its own that does the work of both it and S::compile (a typed select: select.hpp).
using CompileFn = Compiled (*)(const void* stmt, const Dialect&);
template <class S>
inline constexpr CompileFn compile_of = &compile_erased<S>;
/// The compiled SQL of statement `s` when cacheable, else built anew, out of line.
ATHANOR_DECL std::shared_ptr<const Compiled> compiled_sql(bool cacheable, CompileCache& cache, const Dialect& d,
                                                          Compiled (*make)(const void* stmt, const Dialect&), const void* stmt);
#if ATHANOR_DEFINITIONS
ATHANOR_DECL std::shared_ptr<const Compiled> compiled_sql(bool cacheable, CompileCache& cache, const Dialect& d,
                                                          Compiled (*make)(const void* stmt, const Dialect&), const void* stmt) {
  if (cacheable) return cached_compile(cache, d, make, stmt);
  return std::make_shared<const Compiled>(make(stmt, d));
}
#endif
template <class S>
std::shared_ptr<const Compiled> compiled_sql(const S& s, const Dialect& d) {
  return compiled_sql(S::cacheable, compile_cache<S>, d, compile_of<S>, &s);
}

/// An empty Collected for one execution: the thread's kept one, whose capacity the next
/// execution reuses (a typed statement executed in a loop then allocates no value vector per
/// execution), or a fresh one when the kept one is in use further up the stack. The values are
/// dropped with the lease. Not a template: one thread's vector and one body for every statement
/// type (each statement's run() instantiated a function template and a closure before).
class CollectedLease {
 public:
  ATHANOR_DECL CollectedLease();
  ATHANOR_DECL ~CollectedLease();
  CollectedLease(const CollectedLease&) = delete;
  CollectedLease& operator=(const CollectedLease&) = delete;
  Collected& values() { return *values_; }

 private:
  struct Kept {
    Collected values;
    bool busy = false;
  };
  ATHANOR_DECL static Kept& kept();
  Collected* values_;
};
#if ATHANOR_DEFINITIONS
ATHANOR_DECL CollectedLease::Kept& CollectedLease::kept() {
  thread_local Kept k;
  return k;
}
ATHANOR_DECL CollectedLease::CollectedLease() {
  Kept& k = kept();
  if (k.busy) {
    values_ = new Collected;
  } else {
    k.busy = true;
    values_ = &k.values;
  }
}
ATHANOR_DECL CollectedLease::~CollectedLease() {
  Kept& k = kept();
  if (values_ != &k.values) {
    delete values_;
    return;
  }
  k.values.clear(), k.values.seen.clear();
  if (k.values.capacity() > 64) k.values.shrink_to_fit();
  k.busy = false;
}
#endif

}  // namespace athanor::orm::detail
