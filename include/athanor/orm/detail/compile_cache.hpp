// athanor/orm/detail/compile_cache.hpp — what every typed statement shares to run: the
// per-type cache of its compiled SQL, and the thread's vector of one execution's values.
#pragma once

#include <memory>  // std::shared_ptr

#include <athanor/config.hpp>
#include <athanor/core/detail/compiled_slots.hpp>
#include <athanor/core/select.hpp>
#include <athanor/dialect/dialect.hpp>
#include <athanor/orm/expr.hpp>  // Collected

namespace athanor::orm::detail {

/// The compiled SQL of one statement type, per dialect, read without locking (a typed
/// statement runs this lookup every time it executes): the slots Core statement nodes use.
using CompileCache = athanor::detail::CompiledSlots;
/// The cache of statement type S: a variable, constant-initialised (no function body and no
/// guard per statement type).
template <class S>
constinit inline CompileCache compile_cache{};
/// The same, as a function (for callers that name the cache by a key type).
template <class S>
CompileCache& compile_cache_of() {
  return compile_cache<S>;
}
/// The compiled SQL for `d` from `cache`, made by `make(stmt, d)` on first use and kept for the
/// process (Compiled::cached). Out of line and fed a function pointer: each statement type adds
/// only its `make`.
ATHANOR_DECL std::shared_ptr<const Compiled> cached_compile(CompileCache& cache, const Dialect& d,
                                                            Compiled (*make)(const void* stmt, const Dialect&), const void* stmt);
#if ATHANOR_DEFINITIONS
ATHANOR_DECL std::shared_ptr<const Compiled> cached_compile(CompileCache& cache, const Dialect& d,
                                                            Compiled (*make)(const void* stmt, const Dialect&), const void* stmt) {
  return cache.get(d, [&] { return make(stmt, d); }, true);
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
