// athanor/orm/detail/model_ops.hpp — the per-model operations the Session needs without
// knowing the model's type: instances, identity keys, changed columns, loading rows.
#pragma once

#include <charconv>    // std::from_chars, std::to_chars
#include <cstdint>     // std::int64_t
#include <functional>  // std::hash
#include <memory>      // std::shared_ptr, std::weak_ptr
#include <string>      // std::string
#include <unordered_map>  // std::unordered_map
#include <vector>      // std::vector

#include <athanor/driver/driver.hpp>
#include <athanor/orm/detail/clauses.hpp>
#include <athanor/orm/detail/members.hpp>
#include <athanor/orm/mapper.hpp>

namespace athanor::orm::detail {

enum class State : unsigned char { transient, pending, persistent, deleted, detached };

struct SessionCore;
struct ModelOps;

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
class IdentityKey {
 public:
  IdentityKey() = default;
  explicit IdentityKey(std::int64_t n) : n_(n), int_(true) {}
  /// From the key's text (values joined as described above); an integer's text becomes it.
  explicit IdentityKey(std::string text) {
    std::int64_t n;
    if (integer_text(text, n)) {
      n_ = n, int_ = true;
    } else {
      text_ = std::move(text);
    }
  }

  /// No identity (transient or pending object).
  bool empty() const { return !int_ && text_.empty(); }
  void clear() { int_ = false, n_ = 0, text_.clear(); }
  /// The key as text, each value then '\x1f' (messages, keys across models).
  std::string str() const {
    if (!int_) return text_;
    char buf[24];
    auto r = std::to_chars(buf, buf + 20, n_);
    *r.ptr++ = '\x1f';
    return std::string(buf, r.ptr);
  }
  /// Whether it is held as an integer, and that integer.
  ///@{
  bool is_integer() const { return int_; }
  std::int64_t integer() const { return n_; }
  ///@}
  std::size_t hash() const { return int_ ? std::hash<std::int64_t>{}(n_) : std::hash<std::string>{}(text_); }
  friend bool operator==(const IdentityKey& a, const IdentityKey& b) {
    return a.int_ == b.int_ && (a.int_ ? a.n_ == b.n_ : a.text_ == b.text_);
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

  std::string text_;
  std::int64_t n_ = 0;
  bool int_ = false;
};
struct IdentityKeyHash {
  std::size_t operator()(const IdentityKey& k) const { return k.hash(); }
};
/// One model's objects by key.
using IdentityMap = std::unordered_map<IdentityKey, std::shared_ptr<InstanceBase>, IdentityKeyHash>;

/// What the Session tracks of one object; the object itself is in Instance<M>.
struct InstanceBase : std::enable_shared_from_this<InstanceBase> {
  virtual ~InstanceBase() = default;
  const ModelOps* ops = nullptr;
  State state = State::transient;
  bool expired = false;
  std::weak_ptr<SessionCore> session;
  IdentityKey key;  ///< identity: the primary key values (empty while it has none)
  bool touched = false;  ///< reached through a Ptr since the last flush (an autoflush candidate)
  bool suspected = false;  ///< listed for the cycle collector (orm/detail/cycles.hpp)
  /// The cycle collector's index of this object in the graph it examines; valid only while
  /// that graph's node list holds this object at it (checked there, so never reset).
  std::size_t gc_slot = 0;
  /// Its row's DELETE was committed (or it was expunged after the DELETE was flushed): a
  /// Session refuses it, as SQLAlchemy refuses a deleted-detached object.
  bool was_deleted = false;
  /// Outside any open Session (new or detached): no Session will look at it again.
  bool untracked() const { return state == State::transient || state == State::detached || session.expired(); }
};

/// Records that an object may have changed: the next autoflush looks at it.
void touch(InstanceBase& i);

template <class M>
struct Instance final : InstanceBase {
  Instance() = default;
  // Moved in whole, not assigned: Mapped's assignment is change tracking, which would drop
  // a value given equal to the member's default (0, "", -0.0 == 0.0) and then a server
  // default would replace it.
  explicit Instance(M o) : obj(std::move(o)) {}
  M obj;
};

/// Operations on instances of one model, built once per model: the model's member slots
/// plus the few things that need its type (creating an instance, binding its relationships).
struct ModelOps {
  const ModelInfo* info;
  const std::vector<MemberSlot>* slots;
  /// Where Instance<M>::obj is, from the InstanceBase.
  std::ptrdiff_t object_offset;
  /// A new, empty instance of the model.
  std::shared_ptr<InstanceBase> (*create)();
  /// Points the instance's relationship members at it (owner) and their RelInfo.
  void (*bind)(InstanceBase&);

  /// The number of mapped columns.
  std::size_t columns() const { return slots->size(); }
  Value get(const InstanceBase& b, std::size_t c) const { return slot(c).ops->get(member(b, c)); }
  void set(InstanceBase& b, std::size_t c, const Value& v) const { slot(c).ops->set(member(b, c), v); }
  /// Sets a column as a user change (marked modified when the value differs).
  void assign(InstanceBase& b, std::size_t c, const Value& v) const { slot(c).ops->assign(member(b, c), v); }
  bool modified(const InstanceBase& b, std::size_t c) const { return slot(c).ops->modified(member(b, c)); }
  /// The positions of the changed columns, in one pass.
  void changed(const InstanceBase& b, std::vector<std::size_t>& out) const {
    for (std::size_t c = 0; c < columns(); ++c)
      if (modified(b, c)) out.push_back(c);
  }
  void set_clean(InstanceBase& b) const {
    for (auto& s : *slots) s.ops->set_clean(member_at(object(b), s));
  }
  /// Loads a whole row (all columns, in order, from column `first`) and marks it clean.
  void load(InstanceBase& b, driver::Statement& st, int first) const {
    read_members(*slots, object(b), st, first, [this]() -> const athanor::detail::TableData& { return table(); });
  }
  void* object(InstanceBase& b) const { return reinterpret_cast<char*>(&b) + object_offset; }
  const void* object(const InstanceBase& b) const { return reinterpret_cast<const char*>(&b) + object_offset; }
  const athanor::detail::TableData& table() const { return info->table.data(); }

 private:
  const MemberSlot& slot(std::size_t c) const { return (*slots)[c]; }
  void* member(InstanceBase& b, std::size_t c) const { return member_at(object(b), slot(c)); }
  const void* member(const InstanceBase& b, std::size_t c) const { return member_at(object(b), slot(c)); }
};

/// The identity key of primary key values (or of any columns' values, to match them with one).
inline IdentityKey key_of(const Value* values, std::size_t count) {
  if (count == 1) {
    if (auto* n = std::get_if<std::int64_t>(&values[0].variant())) return IdentityKey(*n);
  }
  std::string k;
  for (std::size_t c = 0; c < count; ++c) k += athanor::detail::value_to_text(values[c]), k += '\x1f';
  return IdentityKey(std::move(k));
}
inline IdentityKey key_of(const std::vector<Value>& pk) { return key_of(pk.data(), pk.size()); }
inline IdentityKey key_of(const InstanceBase& i) {
  const auto& pk = i.ops->info->primary_key;
  if (pk.size() == 1) {
    Value v = i.ops->get(i, pk[0]);
    return key_of(&v, 1);
  }
  std::vector<Value> values;
  values.reserve(pk.size());
  for (auto c : pk) values.push_back(i.ops->get(i, c));
  return key_of(values);
}

template <class M>
const ModelOps& ops_for() {
  static const ModelOps ops = [] {
    ModelOps o{};
    o.info = &model_info<M>();
    o.slots = &member_slots<M>();
    {
      Instance<M> probe;
      o.object_offset = reinterpret_cast<char*>(&probe.obj) - reinterpret_cast<char*>(static_cast<InstanceBase*>(&probe));
    }
    o.create = []() -> std::shared_ptr<InstanceBase> {
      auto i = std::make_shared<Instance<M>>();
      i->ops = &ops_for<M>();
      return i;
    };
    o.bind = [](InstanceBase& b) {
      auto& rels = model_info<M>().relations;
      std::size_t k = 0;
      boost::mp11::mp_for_each<relations_of<M>>([&](auto D) {
        auto& r = static_cast<Instance<M>&>(b).obj.*D.pointer;
        r.owner = &b, r.info = rels[k++].get();
      });
    };
    return o;
  }();
  return ops;
}

}  // namespace athanor::orm::detail
