// athanor/orm/detail/memory_cache.hpp — a thread's cache of the memory its Sessions' loads take
// (arena blocks, identity map slot arrays), so that the next Session on the thread does not
// fault the same pages in again. Used by orm/detail/arena.hpp and identity_map.hpp; the bound
// is set by orm/session_memory.hpp.
#pragma once

#include <algorithm>  // std::min, std::max
#include <atomic>     // std::atomic
#include <bit>        // std::bit_width
#include <cstddef>    // std::size_t
#include <new>        // ::operator new, ::operator delete
#include <utility>    // std::exchange

#include <athanor/config.hpp>

// Memory kept here is poisoned under AddressSanitizer (but for the link at its start), so that
// a read through a pointer to a freed object or slot is reported as before (g++:
// __SANITIZE_ADDRESS__, clang: __has_feature).
#if defined(__SANITIZE_ADDRESS__)
#define ATHANOR_ARENA_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define ATHANOR_ARENA_ASAN 1
#endif
#endif
#ifdef ATHANOR_ARENA_ASAN
#include <sanitizer/asan_interface.h>  // ASAN_POISON_MEMORY_REGION
#endif

namespace athanor::orm::detail {

/// The most a thread keeps (set_session_memory_cache); 0: nothing is kept.
inline constexpr std::size_t default_session_memory_cache = std::size_t{64} << 20;
inline std::atomic<std::size_t> session_memory_cap{default_session_memory_cache};

/// Why (issue 14): a Session's load takes tens of MB (W6b at N = 10 000: ~15 MB of arena
/// blocks, ~17 MB of slot arrays), and its close gave them back to malloc, which gave most to
/// the kernel (heap top trimmed, large arrays unmapped); the next Session faulted them in again:
/// page faults, brk and munmap were ~27 % of the ORM's CPU samples in W6b, 4 % in the
/// hand-written code. malloc_consolidate, run when freed 16 KiB blocks coalesce, was 11 % of
/// W2's at N = 200 000.
///
/// What is kept: memory freed on this thread, by size, in lists (arena blocks in list 0, slot
/// arrays by their size's log2), each piece's first bytes holding the link.
/// The bound: the most taken between two Session closes on this thread (every piece taken
/// counts, kept or fresh) over its last 16 to 32 closes; nothing when that is over the
/// process-wide cap (64 MiB unless set). So a thread keeps at most what its largest recent
/// Session took: a server thread whose large Session comes between smaller ones keeps that
/// Session's memory for it, and gives it back 16 to 32 closes after the last such Session. A
/// thread that runs no Session keeps nothing (objects let go there go back to malloc);
/// everything goes at thread exit.
struct MemoryCache {
  struct Link {
    Link* next;
    std::size_t bytes;
  };
  static constexpr unsigned lists = 64;
  Link* list[lists]{};  ///< list 0: arena blocks; list k > 0: slot arrays of 2^k bytes
  std::size_t cached = 0;  ///< bytes in the lists
  std::size_t taken = 0;   ///< bytes taken since this thread's last Session close
  /// The most `taken` reached in this window of closes and in the one before it.
  std::size_t peak = 0, previous_peak = 0;
  unsigned closes = 0;  ///< in this window
  static constexpr unsigned window = 16;
  /// The largest recent Session's bytes.
  std::size_t bound() const { return std::max(peak, previous_peak); }
  /// What may be kept: the bound, or nothing when it is over the cap. Part of such a Session's
  /// memory would save part of its faults and park the rest away from every other allocation
  /// of the program: W2 at N = 200 000 (~80 MB a Session, the cap 64 MiB) faulted 4 times as
  /// many pages a repetition, its W1 no longer finding free memory in malloc's heap.
  std::size_t limit() const {
    std::size_t b = bound();
    return b <= session_memory_cap.load(std::memory_order_relaxed) ? b : 0;
  }
  /// 0: nothing kept yet, 1: kept (the owner below frees it at thread exit), 2: thread exiting.
  unsigned char state = 0;
};
/// constinit and trivially destructible: read with no thread-local initialisation check, and
/// still readable while other thread-local or static objects free theirs at exit.
inline constinit thread_local MemoryCache memory_cache;

inline void trim_memory_cache(std::size_t keep) noexcept {
  MemoryCache& c = memory_cache;
  for (unsigned l = MemoryCache::lists; l-- > 0 && c.cached > keep;) {
    while (c.list[l] && c.cached > keep) {
      MemoryCache::Link* m = c.list[l];
#ifdef ATHANOR_ARENA_ASAN
      ASAN_UNPOISON_MEMORY_REGION(m, m->bytes);
#endif
      c.list[l] = m->next, c.cached -= m->bytes;
      // A slot array's slots are empty: their destructors would do nothing, so none runs.
      ::operator delete(static_cast<void*>(m));
    }
  }
}

/// Gives the thread's memory back at its exit (registered by the first piece kept).
struct MemoryCacheOwner {
  ~MemoryCacheOwner() {
    trim_memory_cache(0);
    memory_cache.state = 2;  // what is freed later on this thread goes straight to malloc
  }
};
/// Makes the thread's MemoryCacheOwner, so that its destructor runs at the thread's exit. A
/// function-local thread_local, defined with the library's definitions: a thread_local with a
/// destructor at namespace scope made every file that includes the umbrella header emit its
/// initialisation and destructor (bench/compile_time.sh --check).
ATHANOR_DECL void own_memory_cache() noexcept;

/// `bytes` from list `which`, or null when none is kept (then the caller allocates them).
inline void* take_cached(unsigned which, std::size_t bytes) noexcept {
  MemoryCache& c = memory_cache;
  c.taken += bytes;
  c.peak = std::max(c.peak, c.taken);
  MemoryCache::Link* m = c.list[which];
  if (!m) return nullptr;
#ifdef ATHANOR_ARENA_ASAN
  ASAN_UNPOISON_MEMORY_REGION(m, bytes);
#endif
  c.list[which] = m->next, c.cached -= bytes;
  return m;
}

/// Keeps `p` (`bytes` from ::operator new) in list `which` when the bound allows; false: the
/// caller frees it.
inline bool give_cached(unsigned which, void* p, std::size_t bytes) noexcept {
  MemoryCache& c = memory_cache;
  if (c.cached + bytes > c.limit() || c.state == 2) return false;
  if (c.state == 0) own_memory_cache(), c.state = 1;
  c.list[which] = ::new (p) MemoryCache::Link{c.list[which], bytes};
  c.cached += bytes;
#ifdef ATHANOR_ARENA_ASAN
  ASAN_POISON_MEMORY_REGION(static_cast<char*>(p) + sizeof(MemoryCache::Link), bytes - sizeof(MemoryCache::Link));
#endif
  return true;
}

/// A Session on this thread has closed and given back what it held; every `window` closes, the
/// bound drops the peak of the window before. What is kept beyond the bound (or a lowered cap)
/// goes.
inline void session_memory_closed() noexcept {
  MemoryCache& c = memory_cache;
  c.taken = 0;
  if (++c.closes == MemoryCache::window) c.closes = 0, c.previous_peak = std::exchange(c.peak, 0);
  if (std::size_t keep = c.limit(); c.cached > keep) trim_memory_cache(keep);
}

/// The list of a slot array of `bytes` (a power of two): its log2. List 0 is the arena's blocks.
inline unsigned slot_array_list(std::size_t bytes) { return static_cast<unsigned>(std::bit_width(bytes) - 1); }

#if ATHANOR_DEFINITIONS
ATHANOR_DECL void own_memory_cache() noexcept {
  [[maybe_unused]] thread_local MemoryCacheOwner owner;  // made here once a thread, destroyed at its exit
}
#endif

}  // namespace athanor::orm::detail
