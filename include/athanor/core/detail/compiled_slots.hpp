// athanor/core/detail/compiled_slots.hpp — `CompiledSlots`, a statement's compiled SQL kept per
// dialect and read without a lock: the cache of a Core statement's node (the engine fills it)
// and of a typed statement type (orm/detail/compile_cache.hpp). Users never touch it.
#pragma once

#include <array>   // std::array
#include <atomic>  // std::atomic
#include <memory>  // std::shared_ptr
#include <mutex>   // std::mutex, std::lock_guard

#include <athanor/core/compiled.hpp>

namespace athanor {
class Dialect;

namespace detail {

/// The compiled SQL of one statement, per dialect. Dialects are process-wide singletons, so a
/// few slots suffice; past them a statement is compiled for each execution.
/// A slot is filled once under the mutex (its Compiled first, then its dialect, published with
/// release order) and never changes after: executions read it without locking. The lock it
/// replaced (and the reference count of the shared_ptr handed out) cost ~80 instructions an
/// execution of a Core INSERT on SQLite, ~1 % of the row.
class CompiledSlots {
 public:
  constexpr CompiledSlots() = default;
  /// A copy is a new statement (a builder's copy of a node, changed next): it compiles anew.
  CompiledSlots(const CompiledSlots&) {}
  CompiledSlots& operator=(const CompiledSlots&) { return *this; }

  /// The Compiled for `d`: a slot's, without locking once one holds it; else `make()`, run under
  /// the lock and kept in a free slot (none free: made for this call alone). `forever`: the
  /// slots are a typed statement type's and live as long as the process, so a kept Compiled is
  /// marked Compiled::cached, and one whose text holds this execution's values
  /// (Compiled::values_in_text) is not kept (a Core node's values are its own: kept). A slot's
  /// Compiled is handed out without a reference count: it lives as long as these slots.
  template <class Make>
  std::shared_ptr<const Compiled> get(const Dialect& d, Make&& make, bool forever) {
    if (const Compiled* c = find(d)) return unowned(c);
    return fill(d, make, forever);
  }

  /// The Compiled kept for `d`, or null: get()'s usual case, read without a lock. Small, so that
  /// it inlines where the statement runs, apart from fill().
  const Compiled* find(const Dialect& d) const {
    for (auto& slot : slots_) {
      const Dialect* filled = slot.dialect.load(std::memory_order_acquire);
      if (filled == &d) return slot.compiled.get();
      if (!filled) break;
    }
    return nullptr;
  }

 private:
  /// A pointer to a slot's Compiled that owns nothing (the aliasing constructor over an empty
  /// owner): a slot is never emptied while its owner lives, so copies need no reference count.
  static std::shared_ptr<const Compiled> unowned(const Compiled* kept) {
    return std::shared_ptr<const Compiled>(std::shared_ptr<const void>(), kept);
  }
  /// The first use for `d`: filled under the lock (cold: once per statement and dialect).
  template <class Make>
  [[gnu::cold]] std::shared_ptr<const Compiled> fill(const Dialect& d, Make& make, bool forever) {
    std::lock_guard lock(mutex_);
    for (auto& slot : slots_) {
      const Dialect* filled = slot.dialect.load(std::memory_order_relaxed);  // written under this lock only
      if (filled == &d) return unowned(slot.compiled.get());
      if (!filled) {
        Compiled made = make();
        if (forever && made.values_in_text) return std::make_shared<const Compiled>(std::move(made));
        made.cached = forever;
        slot.compiled = std::make_shared<const Compiled>(std::move(made));
        slot.dialect.store(&d, std::memory_order_release);
        return unowned(slot.compiled.get());
      }
    }
    return std::make_shared<const Compiled>(make());
  }
  struct Slot {
    std::atomic<const Dialect*> dialect{nullptr};
    std::shared_ptr<const Compiled> compiled;  ///< set before `dialect`, never after
  };
  std::mutex mutex_;  ///< serialises the fills
  std::array<Slot, 4> slots_;
};

}  // namespace detail
}  // namespace athanor
