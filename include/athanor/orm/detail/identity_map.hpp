// athanor/orm/detail/identity_map.hpp — the identity map: an object's identity key (its primary
// key values) and one model's table of objects by key. Used by the Session (orm/detail/
// model_ops.hpp, session_core.hpp); nothing outside orm/detail needs it.
#pragma once

#include <charconv>     // std::from_chars, std::to_chars
#include <cstddef>      // std::max_align_t, std::size_t
#include <cstdint>      // std::int64_t, std::uint64_t
#include <functional>   // std::hash
#include <memory>       // std::shared_ptr, std::uninitialized_value_construct_n
#include <new>          // ::operator new, ::operator delete
#include <string>       // std::string
#include <type_traits>  // std::is_const_v
#include <utility>      // std::exchange, std::pair

#include <athanor/core/error.hpp>
#include <athanor/orm/detail/memory_cache.hpp>

namespace athanor::orm::detail {

/// The identity of an object's row within its model (the identity map is one map per model):
/// its primary key values. A single integer key, the usual case, is held as the integer, with
/// no text to build or hash per row; any other key as the text the values had before this
/// type existed: each value's text (value_to_text) followed by '\x1f'.
///
/// Two keys are equal exactly when those texts are: a single value whose text is the
/// canonical decimal form of an int64 (an integer, or the text "7" of a text column, or the
/// double 7.0) is held as that integer, so session.get<M>(7) and session.get<M>("7") still find
/// the same object, as they did when every key was text. A composite key's text contains
/// '\x1f' between values, so it is never an integer's.
///
/// 16 bytes (it is in every object and in every identity map slot): the integer, and a pointer
/// that is null (no identity), the address of `integer_mark_` (an integer key) or the key's
/// text, owned.
class IdentityKey {
 public:
  IdentityKey() = default;
  explicit IdentityKey(std::int64_t n) : n_(n), text_(integer_mark()) {}
  /// From the key's text (values joined as described above); an integer's text becomes it.
  explicit IdentityKey(std::string text) {
    std::int64_t n;
    if (integer_text(text, n)) {
      n_ = n, text_ = integer_mark();
    } else if (!text.empty()) {
      text_ = new std::string(std::move(text));
    }
  }
  IdentityKey(const IdentityKey& o) : n_(o.n_), text_(o.owns() ? new std::string(*o.text_) : o.text_) {}
  /// A moved-from key is empty.
  IdentityKey(IdentityKey&& o) noexcept : n_(o.n_), text_(std::exchange(o.text_, nullptr)) {}
  IdentityKey& operator=(const IdentityKey& o) {
    if (this != &o) {
      const std::string* t = o.owns() ? new std::string(*o.text_) : o.text_;
      release(), n_ = o.n_, text_ = t;
    }
    return *this;
  }
  IdentityKey& operator=(IdentityKey&& o) noexcept {
    if (this != &o) release(), n_ = o.n_, text_ = std::exchange(o.text_, nullptr);
    return *this;
  }
  ~IdentityKey() { release(); }

  /// No identity (transient or pending object).
  bool empty() const { return text_ == nullptr; }
  void clear() { release(), n_ = 0; }
  /// The key as text, each value then '\x1f' (messages, keys across models).
  std::string str() const {
    if (!is_integer()) return text_ ? *text_ : std::string();
    char buf[24];
    auto r = std::to_chars(buf, buf + 20, n_);
    *r.ptr++ = '\x1f';
    return std::string(buf, r.ptr);
  }
  /// Whether it is held as an integer, and that integer.
  ///@{
  bool is_integer() const { return text_ == integer_mark(); }
  std::int64_t integer() const { return n_; }
  ///@}
  std::size_t hash() const noexcept {
    return is_integer() ? std::hash<std::int64_t>{}(n_) : text_ ? std::hash<std::string>{}(*text_) : 0;
  }
  friend bool operator==(const IdentityKey& a, const IdentityKey& b) {
    if (a.text_ == b.text_) return !a.is_integer() || a.n_ == b.n_;  // both empty, both integers, or one key
    return a.owns() && b.owns() && *a.text_ == *b.text_;
  }

 private:
  /// Whether `t` is "<canonical int64>\x1f", as value_to_text writes an integer (no '+', no
  /// leading zeros, no "-0"): only then were the two forms equal as text.
  static bool integer_text(const std::string& t, std::int64_t& n) {
    if (t.size() < 2 || t.size() > 21 || t.back() != '\x1f') return false;
    const char* end = t.data() + t.size() - 1;
    auto r = std::from_chars(t.data(), end, n);
    if (r.ec != std::errc() || r.ptr != end) return false;
    char buf[24];
    auto w = std::to_chars(buf, buf + 20, n);
    return static_cast<std::size_t>(w.ptr - buf) == t.size() - 1;  // same digits, so canonical
  }
  static const std::string* integer_mark() { return reinterpret_cast<const std::string*>(&integer_mark_); }
  bool owns() const { return text_ && !is_integer(); }
  // Kept apart so that release(), run on every move and slot of the identity map, stays a
  // compare the compiler inlines (integer keys own nothing).
  static void delete_text(const std::string* t) noexcept { delete t; }
  void release() noexcept {
    if (owns()) delete_text(text_);
    text_ = nullptr;
  }

  static constexpr std::max_align_t integer_mark_{};  // only its address is used
  std::int64_t n_ = 0;
  const std::string* text_ = nullptr;
};
struct IdentityKeyHash {
  std::size_t operator()(const IdentityKey& k) const noexcept { return k.hash(); }
};

struct InstanceBase;

/// One model's objects by key: an open-addressing table (linear probing, at most 3/4 full) of
/// {key, object} slots, 32 bytes each, in one array. It replaced an std::unordered_map, whose
/// node per object (a malloc at load, a free at close) and 48-byte key were a fifth of loading
/// an object (callgrind, note-obj). The subset of unordered_map's interface the Session uses;
/// unlike it, an insertion may move every slot (iterators and references to slots last until
/// the next insertion or erase). A slot whose key is empty is free: keys in the map never are,
/// and a free slot holds no object either, so a map of size 0 is all free slots.
///
/// Slot arrays come from the thread's cache (orm/detail/memory_cache.hpp) and go back to it
/// with every slot free: constructed once, they are neither destroyed nor value-initialised
/// again while the cache keeps them, and the next Session's maps do not fault them in again.
class IdentityMap {
 public:
  using value_type = std::pair<IdentityKey, std::shared_ptr<InstanceBase>>;
  template <class V>
  class basic_iterator {
   public:
    basic_iterator() = default;
    basic_iterator(V* p, V* end) : p_(p), end_(end) { skip(); }
    V& operator*() const { return *p_; }
    V* operator->() const { return p_; }
    basic_iterator& operator++() {
      ++p_, skip();
      return *this;
    }
    friend bool operator==(const basic_iterator& a, const basic_iterator& b) { return a.p_ == b.p_; }
    operator basic_iterator<const V>() const
      requires(!std::is_const_v<V>)
    {
      return {p_, end_};
    }

   private:
    friend class IdentityMap;
    void skip() {
      while (p_ != end_ && p_->first.empty()) ++p_;
    }
    V* p_ = nullptr;
    V* end_ = nullptr;
  };
  using iterator = basic_iterator<value_type>;
  using const_iterator = basic_iterator<const value_type>;

  IdentityMap() = default;
  IdentityMap(IdentityMap&& o) noexcept
      : slots_(std::exchange(o.slots_, nullptr)),
        cap_(std::exchange(o.cap_, 0)),
        size_(std::exchange(o.size_, 0)),
        shift_(std::exchange(o.shift_, 64)) {}
  IdentityMap& operator=(IdentityMap&& o) noexcept {
    if (this != &o) {
      clear();
      slots_ = std::exchange(o.slots_, nullptr), cap_ = std::exchange(o.cap_, 0);
      size_ = std::exchange(o.size_, 0), shift_ = std::exchange(o.shift_, 64);
    }
    return *this;
  }
  ~IdentityMap() { clear(); }

  iterator begin() { return {slots_, slots_ + cap_}; }
  iterator end() { return {slots_ + cap_, slots_ + cap_}; }
  const_iterator begin() const { return {slots_, slots_ + cap_}; }
  const_iterator end() const { return {slots_ + cap_, slots_ + cap_}; }
  std::size_t size() const { return size_; }
  bool empty() const { return size_ == 0; }

  iterator find(const IdentityKey& k) {
    if (size_ == 0) return end();
    for (std::size_t i = home(k);; i = (i + 1) & (cap_ - 1)) {
      auto& s = slots_[i];
      if (s.first.empty()) return end();
      if (s.first == k) return at(i);
    }
  }
  const_iterator find(const IdentityKey& k) const { return const_cast<IdentityMap*>(this)->find(k); }
  /// The slot of `k`, made (with no object) when absent; true when made.
  std::pair<iterator, bool> try_emplace(IdentityKey k) {
    if (k.empty()) throw Error("[athanor.orm.internal] an object without a primary key cannot enter the identity map");
    if ((size_ + 1) * 4 > cap_ * 3) rehash(cap_ ? cap_ * 2 : 16);
    for (std::size_t i = home(k);; i = (i + 1) & (cap_ - 1)) {
      auto& s = slots_[i];
      if (s.first.empty()) {
        s.first = std::move(k), ++size_;
        return {at(i), true};
      }
      if (s.first == k) return {at(i), false};
    }
  }
  std::shared_ptr<InstanceBase>& operator[](const IdentityKey& k) { return try_emplace(k).first->second; }
  std::size_t erase(const IdentityKey& k) {
    auto it = find(k);
    if (it == end()) return 0;
    erase(it);
    return 1;
  }
  /// Removes the slot; the object it held is let go after the table is consistent again (its
  /// destruction may run any code).
  void erase(iterator it) {
    std::size_t i = static_cast<std::size_t>(it.p_ - slots_);
    value_type gone = std::move(slots_[i]);
    // Backward shift: later slots of the same probe run move up into the hole, so that lookups
    // never need tombstones.
    for (std::size_t j = (i + 1) & (cap_ - 1); !slots_[j].first.empty(); j = (j + 1) & (cap_ - 1)) {
      std::size_t h = home(slots_[j].first);
      if (((j - h) & (cap_ - 1)) >= ((j - i) & (cap_ - 1))) slots_[i] = std::move(slots_[j]), i = j;
    }
    slots_[i] = value_type();
    --size_;
  }
  /// Room for `n` objects without another rehash.
  void reserve(std::size_t n) {
    std::size_t cap = cap_ ? cap_ : 16;
    while (n * 4 > cap * 3) cap *= 2;
    if (cap != cap_) rehash(cap);
  }
  /// Empties the map; it is empty already while its objects are let go (their destruction may
  /// run any code).
  void clear() {
    drain([](std::shared_ptr<InstanceBase>&) {});
  }
  /// Empties the map in one walk: `f(object)` for each slot's object, which is let go after it
  /// (the slot already freed). The array goes back with every slot free, so no second pass
  /// destroys them (Session close walks every slot anyway). Should `f` throw, the slots after
  /// are freed as the array goes back.
  template <class F>
  void drain(F f) {
    value_type* s = std::exchange(slots_, nullptr);
    std::size_t cap = std::exchange(cap_, 0), i = 0;
    size_ = 0, shift_ = 64;
    try {
      for (; i < cap; ++i) {
        auto& slot = s[i];
        if (slot.first.empty()) continue;
        std::shared_ptr<InstanceBase> object = std::move(slot.second);
        slot.first.clear();
        if (object) f(object);
      }
    } catch (...) {
      free_slots_from(s, i, cap);
      throw;
    }
    if (s) free_slots(s, cap);
  }

 private:
  iterator at(std::size_t i) { return {slots_ + i, slots_ + cap_}; }
  /// Fibonacci hashing (the top bits of h × 2^64/φ) of the hash without its low 3 bits, plus
  /// those bits: keys that differ only in high bits (multiples of 2^k) spread evenly, and eight
  /// consecutive integer keys take eight consecutive slots. Rows loaded in key order then fill
  /// the table, and close() releases their objects (allocated in load order), in runs of eight
  /// instead of each at a random place: past the cache (N = 200 000) each was a cache miss.
  /// Simulated at the largest load (3/4) with 196 000 keys: consecutive keys probe 0.4 slots
  /// on average (0.01 without the runs), random ones 1.5 (as before), two runs of consecutive
  /// keys 2.8 (0.2), a stride of 1 024 0.3 (1.1).
  std::size_t home(const IdentityKey& k) const {
    auto h = static_cast<std::uint64_t>(k.hash());
    return static_cast<std::size_t>((((h >> 3) * 0x9E3779B97F4A7C15ull) >> shift_) + (h & 7)) & (cap_ - 1);
  }
  // Out of line: it runs log2(n) times a load, and inlined into try_emplace it cost every
  // insertion ~3 instructions of its own (W4 +0.1 %, callgrind).
  [[gnu::noinline]] void rehash(std::size_t cap) {
    value_type* old = slots_;
    std::size_t old_cap = cap_;
    slots_ = new_slots(cap), cap_ = cap;
    shift_ = 64;
    for (std::size_t c = cap; c > 1; c >>= 1) --shift_;
    for (std::size_t o = 0; o < old_cap; ++o) {
      if (old[o].first.empty()) continue;
      std::size_t i = home(old[o].first);
      while (!slots_[i].first.empty()) i = (i + 1) & (cap_ - 1);
      slots_[i] = std::move(old[o]);
    }
    if (old) free_slots(old, old_cap);  // every slot moved from: free
  }
  /// `cap` free slots: a kept array, whose first slot held the cache's link, or a new one.
  static value_type* new_slots(std::size_t cap) {
    std::size_t bytes = cap * sizeof(value_type);
    if (void* p = take_cached(slot_array_list(bytes), bytes)) return ::new (p) value_type();
    auto* p = static_cast<value_type*>(::operator new(bytes));
    std::uninitialized_value_construct_n(p, cap);
    return p;
  }
  /// drain() when `f` throws: frees the slots from `i` on, then gives the array back.
  [[gnu::cold, gnu::noinline]] static void free_slots_from(value_type* s, std::size_t i, std::size_t cap) noexcept {
    for (; i < cap; ++i) s[i].second.reset(), s[i].first.clear();
    free_slots(s, cap);
  }
  /// Gives back an array whose slots are all free (their destructors would do nothing).
  static void free_slots(value_type* s, std::size_t cap) noexcept {
    std::size_t bytes = cap * sizeof(value_type);
    if (!give_cached(slot_array_list(bytes), s, bytes)) ::operator delete(static_cast<void*>(s));
  }
  static_assert(sizeof(value_type) >= sizeof(MemoryCache::Link) && (sizeof(value_type) & (sizeof(value_type) - 1)) == 0,
                "a slot holds the cache's link, and arrays of a power of two slots are a power of two bytes");

  value_type* slots_ = nullptr;
  std::size_t cap_ = 0;
  std::size_t size_ = 0;
  unsigned shift_ = 64;
};

}  // namespace athanor::orm::detail
