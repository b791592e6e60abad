// athanor/orm/session_memory.hpp — set_session_memory_cache(): how much of the memory its
// Sessions' loads took a thread keeps for its next Session. Included by <athanor/orm.hpp>;
// the cache itself is orm/detail/memory_cache.hpp.
#pragma once

#include <atomic>   // std::memory_order_relaxed
#include <cstddef>  // std::size_t

#include <athanor/orm/detail/memory_cache.hpp>

namespace athanor::orm {

/// The most each thread keeps of the memory its Sessions' loads took (objects' blocks, identity
/// map arrays) once they are given back, so that its next Session does not take them from
/// malloc and fault their pages in again; returns the previous setting. Default 64 MiB; 0 keeps
/// nothing. A thread keeps no more than its largest Session of its last 16 to 32 closes took,
/// nothing while that is more than this setting (malloc serves such large loads better), nothing
/// until it has run a Session, and frees what it keeps at its exit. The calling thread
/// gives back what is over the new setting at once, other threads at their next Session close.
/// **Example**: `athanor::orm::set_session_memory_cache(0);  // every block back to malloc`
inline std::size_t set_session_memory_cache(std::size_t bytes) {
  std::size_t previous = detail::session_memory_cap.exchange(bytes, std::memory_order_relaxed);
  detail::trim_memory_cache(detail::memory_cache.limit());
  return previous;
}

}  // namespace athanor::orm
