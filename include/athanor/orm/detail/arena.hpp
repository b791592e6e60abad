// athanor/orm/detail/arena.hpp — the memory a Session's loaded objects come from: blocks carved
// in order, each given back when the last object in it goes, whoever holds that object and
// whenever (to the freeing thread's cache, orm/detail/memory_cache.hpp, or to malloc).
#pragma once

#include <atomic>   // std::atomic
#include <cstddef>  // std::size_t, std::max_align_t
#include <limits>   // std::numeric_limits
#include <new>      // ::operator new, ::operator delete
#include <stdexcept>  // std::logic_error

#include <athanor/orm/detail/memory_cache.hpp>

namespace athanor::orm::detail {

/// Where the Session allocates the objects it loads (issue 14): one malloc per 16 KiB block
/// instead of one per object, and a free per block instead of one per object. Measured with
/// callgrind, the malloc and free of each object (its Instance and shared_ptr control block in
/// one allocation) were about a tenth of loading and dropping it.
///
/// Ownership does not change: an object is held by shared_ptrs (Ptr<M>) as before, and stays
/// valid after its Session closes or is destroyed. Each object's allocation starts with a
/// pointer to its block; the block counts its live objects (atomically: an object may be let go
/// on any thread) and is given back when none are left and the arena has moved on from it: kept
/// in the cache of the thread that lets the last object go (within its bound), so that the next
/// Session on that thread carves from pages already faulted in, or freed.
/// The cost: a block lives while any of its objects does, so an application that keeps one
/// object in a hundred from a large load past the Session keeps those blocks (at most 16 KiB
/// per kept object). Objects made by the application (`User{…}` given to Session::add) come
/// from here too; those made through a relationship outside a Session do not.
class ObjectArena {
 public:
  static constexpr std::size_t block_size = 16 * 1024;
  /// The largest allocation carved from a block (larger ones are plain operator new).
  static constexpr std::size_t max_object = block_size / 4;

  ObjectArena() = default;
  ObjectArena(const ObjectArena&) = delete;
  ObjectArena& operator=(const ObjectArena&) = delete;
  ~ObjectArena() { retire(); }

  /// Whether an object of this size and alignment is carved from a block.
  static constexpr bool carves(std::size_t size, std::size_t align) {
    return size + sizeof(Block*) <= max_object && align <= alignof(Block*);
  }

  /// `size` bytes (carves(size, align) must hold): the block pointer, then the object.
  void* allocate(std::size_t size) {
    std::size_t need = round(size + sizeof(Block*));
    if (!block_ || static_cast<std::size_t>(end_ - next_) < need) {
      retire();
      block_ = new_block();
      next_ = reinterpret_cast<char*>(block_) + round(sizeof(Block));
      end_ = reinterpret_cast<char*>(block_) + block_size;
    }
    char* p = next_;
    next_ += need, ++carved_;
    *reinterpret_cast<Block**>(p) = block_;
    return p + sizeof(Block*);
  }
  /// Gives back an allocation of allocate(): its block goes when it held the last one.
  static void deallocate(void* p) noexcept {
    Block* b = *reinterpret_cast<Block**>(static_cast<char*>(p) - sizeof(Block*));
    if (b->remaining.fetch_sub(1, std::memory_order_acq_rel) == 1) free_block(b);
  }
  /// Stops carving from the current block (close()): it goes as soon as its objects do.
  void retire() noexcept {
    if (!block_) return;
    std::size_t unused = bias - carved_;  // the part of the bias no object will give back
    if (block_->remaining.fetch_sub(unused, std::memory_order_acq_rel) == unused) free_block(block_);
    block_ = nullptr, next_ = end_ = nullptr, carved_ = 0;
  }

 private:
  /// A block's header. `remaining` starts at `bias`; each object freed takes one, and
  /// retire() takes what the arena did not carve, so it reaches zero exactly when the block is
  /// retired and all its objects are gone — with no atomic operation per allocation.
  struct Block {
    std::atomic<std::size_t> remaining{bias};
  };
  static constexpr std::size_t bias = std::numeric_limits<std::size_t>::max() / 2;
  static constexpr std::size_t round(std::size_t n) { return (n + alignof(Block*) - 1) & ~(alignof(Block*) - 1); }
  /// Blocks come from the thread's cache first (orm/detail/memory_cache.hpp), and go back to
  /// the cache of the thread that frees them, when its bound allows.
  static Block* new_block() {
    void* p = take_cached(block_list, block_size);
    return ::new (p ? p : ::operator new(block_size)) Block;
  }
  static void free_block(Block* b) noexcept {
    b->~Block();
    if (!give_cached(block_list, b, block_size)) ::operator delete(static_cast<void*>(b));
  }
  static constexpr unsigned block_list = 0;

  Block* block_ = nullptr;
  char* next_ = nullptr;
  char* end_ = nullptr;
  std::size_t carved_ = 0;
};

/// The arena ArenaAllocator carves from on this thread: set by ArenaScope around one
/// allocate_shared. constinit: read with no thread-local initialisation check.
inline constinit thread_local ObjectArena* current_arena = nullptr;

/// Makes `a` the arena ArenaAllocator carves from while it lives (one allocate_shared).
class ArenaScope {
 public:
  explicit ArenaScope(ObjectArena& a) : previous_(current_arena) { current_arena = &a; }
  ArenaScope(const ArenaScope&) = delete;
  ArenaScope& operator=(const ArenaScope&) = delete;
  ~ArenaScope() { current_arena = previous_; }

 private:
  ObjectArena* previous_;
};

/// The allocator allocate_shared gets: objects (with their control block) from the arena of the
/// enclosing ArenaScope. Stateless, so the control block, which keeps a copy of its allocator,
/// holds none (8 bytes of every loaded object while it held the arena's address; issue 14).
/// deallocate() needs no arena (the block is found from the pointer), so the arena may be gone.
template <class T>
struct ArenaAllocator {
  using value_type = T;
  ArenaAllocator() = default;
  template <class U>
  ArenaAllocator(const ArenaAllocator<U>&) {}
  T* allocate(std::size_t n) {
    if (n == 1 && ObjectArena::carves(sizeof(T), alignof(T))) {
      // deallocate() tells carved from not by the size alone, so a size carves() accepts
      // must be carved: there is no allocation here outside an ArenaScope.
      if (!current_arena) throw std::logic_error("[athanor.orm.internal] ArenaAllocator used outside an ArenaScope");
      return static_cast<T*>(current_arena->allocate(sizeof(T)));
    }
    return static_cast<T*>(::operator new(n * sizeof(T), std::align_val_t(alignof(T))));
  }
  void deallocate(T* p, std::size_t n) noexcept {
    if (n == 1 && ObjectArena::carves(sizeof(T), alignof(T))) {
#ifdef ATHANOR_ARENA_ASAN
      ASAN_POISON_MEMORY_REGION(p, sizeof(T));  // not carved again until its block is: any access meanwhile is a use after free
#endif
      return ObjectArena::deallocate(p);
    }
    ::operator delete(static_cast<void*>(p), std::align_val_t(alignof(T)));
  }
  template <class U>
  friend bool operator==(const ArenaAllocator&, const ArenaAllocator<U>&) {
    return true;
  }
};

}  // namespace athanor::orm::detail
