// athanor/orm/detail/model_ops.hpp — the per-model operations the Session needs without
// knowing the model's type: instances, changed columns, loading rows (keys and the identity
// map: orm/detail/identity_map.hpp).
#pragma once

#include <cstddef>     // std::ptrdiff_t, std::size_t
#include <cstdint>     // std::int64_t, std::uint64_t
#include <memory>      // std::shared_ptr, std::weak_ptr
#include <string>      // std::string
#include <utility>     // std::pair
#include <vector>      // std::vector

#include <athanor/core/error.hpp>
#include <athanor/driver/driver.hpp>
#include <athanor/orm/detail/arena.hpp>
#include <athanor/orm/detail/clauses.hpp>
#include <athanor/orm/detail/identity_map.hpp>
#include <athanor/orm/detail/members.hpp>
#include <athanor/orm/mapper.hpp>

namespace athanor::orm::detail {

enum class State : unsigned char { transient, pending, persistent, deleted, detached };

struct SessionCore;
struct ModelOps;

/// What the Session tracks of one object; the object itself is in Instance<M>.
struct InstanceBase : std::enable_shared_from_this<InstanceBase> {
  virtual ~InstanceBase() = default;
  const ModelOps* ops = nullptr;
  // The flags and the collector's slot share one 8-byte word (every loaded object has them):
  // the three read on every load and access as bytes, the two rare ones as bits.
  State state = State::transient;
  bool expired = false;
  bool touched = false;  ///< reached through a Ptr since the last flush (an autoflush candidate)
  bool suspected : 1 = false;  ///< listed for the cycle collector (orm/detail/cycles.hpp)
  /// Its row's DELETE was committed (or it was expunged after the DELETE was flushed): a
  /// Session refuses it, as SQLAlchemy refuses a deleted-detached object.
  bool was_deleted : 1 = false;
  /// The cycle collector's index of this object in the graph it examines; valid only while
  /// that graph's node list holds this object at it (checked there, so never reset). 32 bits:
  /// a graph of 2^32 objects would take over 256 GiB.
  std::uint32_t gc_slot = 0;
  /// The Session that tracks it, or null. Not an owning or weak pointer: a Session clears it in
  /// every object it tracks when the object leaves (expunge, commit of its DELETE, rollback of
  /// its INSERT, close, the Session's end), so a non-null one always points at a live Session.
  /// Loading and closing then touch no reference count of the Session per object (issue 14: the
  /// weak_ptr's two atomic operations, and a lock() per touch(), were most of close()).
  SessionCore* session = nullptr;
  IdentityKey key;  ///< identity: the primary key values (empty while it has none)
  /// Outside any open Session (new or detached): no Session will look at it again.
  bool untracked() const { return state == State::transient || state == State::detached || !session; }
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
  /// Where each column's changed flag is in the object (member_flags).
  const std::vector<std::size_t>* flags;
  /// What read_row is asked for each column (member_reads).
  const MemberReads* reads;
  /// Where Instance<M>::obj is, from the InstanceBase.
  std::ptrdiff_t object_offset;
  /// The primary key's column when it is one integer column (the usual case: a loaded row's
  /// identity is then read straight from the driver), else -1. Found once, not per row.
  int integer_key = -1;
  /// A new, empty instance of the model, allocated from the Session's arena.
  std::shared_ptr<InstanceBase> (*create)(ObjectArena&);
  /// Points the instance's relationship members at it (owner) and their RelInfo.
  void (*bind)(InstanceBase&);

  /// The number of mapped columns.
  std::size_t columns() const { return slots->size(); }
  Value get(const InstanceBase& b, std::size_t c) const { return slot(c).ops->get(member(b, c)); }
  void set(InstanceBase& b, std::size_t c, const Value& v) const { slot(c).ops->set(member(b, c), v); }
  /// Sets `out` to column `c`'s integer when get(b, c) would be that int64 (see MemberOps::integer).
  bool integer(const InstanceBase& b, std::size_t c, std::int64_t& out) const { return slot(c).ops->integer(member(b, c), out); }
  /// Sets a column as a user change (marked modified when the value differs).
  void assign(InstanceBase& b, std::size_t c, const Value& v) const { slot(c).ops->assign(member(b, c), v); }
  bool modified(const InstanceBase& b, std::size_t c) const { return flag_at(object(b), (*flags)[c]); }
  /// Sets column `c` of `b` to column `sc` of `src` (of model `src_ops`) as assign() does, without
  /// a Value between them when both members have one type (the key copies of every autoflush).
  void assign_from(InstanceBase& b, std::size_t c, const ModelOps& src_ops, const InstanceBase& src, std::size_t sc) const {
    const MemberOps* to = slot(c).ops;
    const MemberOps* from = src_ops.slot(sc).ops;
    if (to == from) return to->copy(member(b, c), src_ops.member(src, sc));
    to->assign(member(b, c), from->get(src_ops.member(src, sc)));
  }
  /// Whether any column changed (an autoflush asks this of every object touched).
  bool any_modified(const InstanceBase& b) const {
    const void* o = object(b);
    for (auto f : *flags)
      if (flag_at(o, f)) return true;
    return false;
  }
  /// The positions of the changed columns, in one pass.
  void changed(const InstanceBase& b, std::vector<std::size_t>& out) const {
    for (std::size_t c = 0; c < columns(); ++c)
      if (modified(b, c)) out.push_back(c);
  }
  void set_clean(InstanceBase& b) const {
    void* o = object(b);
    for (auto f : *flags) flag_at(o, f) = false;
  }
  /// Loads a whole row (all columns, in order, from column `first`) and marks it clean.
  /// `first_cell`: column `first`'s cell when already read as Want::int64 (the identity key).
  void load(InstanceBase& b, driver::Statement& st, int first, const driver::Cell* first_cell = nullptr) const {
    if (first_cell && reads->want[0] != driver::Want::int64) first_cell = nullptr;
    read_members(*reads, object(b), st, first, [this]() -> const athanor::detail::TableData& { return table(); }, first_cell);
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

/// ModelOps::integer_key of a model.
inline int integer_key_of(const ModelInfo& info) {
  const auto& pk = info.primary_key;
  return pk.size() == 1 && info.table.data().columns[pk[0]].type.is_integer() ? static_cast<int>(pk[0]) : -1;
}

template <class M>
const ModelOps& ops_for() {
  static const ModelOps ops = [] {
    ModelOps o{};
    o.info = &model_info<M>();
    o.slots = &member_slots<M>();
    o.flags = &member_flags<M>();
    o.reads = &member_reads<M>();
    o.integer_key = integer_key_of(*o.info);
    {
      Instance<M> probe;
      o.object_offset = reinterpret_cast<char*>(&probe.obj) - reinterpret_cast<char*>(static_cast<InstanceBase*>(&probe));
    }
    o.create = [](ObjectArena& a) -> std::shared_ptr<InstanceBase> {
      ArenaScope scope(a);
      auto i = std::allocate_shared<Instance<M>>(ArenaAllocator<Instance<M>>());
      i->ops = &ops_for<M>();
      return i;
    };
    o.bind = [](InstanceBase& b) {
      auto& rels = model_info<M>().relations;
      std::size_t k = 0;
      boost::mp11::mp_for_each<relations_of<M>>([&](auto D) {
        auto& r = static_cast<Instance<M>&>(b).obj.*D.pointer;
        r.bind(rels[k++].get());
      });
    };
    return o;
  }();
  return ops;
}

}  // namespace athanor::orm::detail
