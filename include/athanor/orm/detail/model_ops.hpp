// athanor/orm/detail/model_ops.hpp — the per-model operations the Session needs without
// knowing the model's type: instances, identity keys, changed columns, loading rows.
#pragma once

#include <memory>  // std::shared_ptr, std::weak_ptr
#include <string>  // std::string
#include <vector>  // std::vector

#include <athanor/driver/driver.hpp>
#include <athanor/orm/detail/clauses.hpp>
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
  State state = State::transient;
  bool expired = false;
  std::weak_ptr<SessionCore> session;
  std::string key;  ///< identity: the primary key values, joined
  bool touched = false;  ///< reached through a Ptr since the last flush (an autoflush candidate)
  bool suspected = false;  ///< listed for the cycle collector (orm/detail/cycles.hpp)
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

inline std::string key_of(const std::vector<Value>& pk) {
  std::string k;
  for (auto& v : pk) k += athanor::detail::value_to_text(v), k += '\x1f';
  return k;
}
inline std::string key_of(const InstanceBase& i) {
  std::vector<Value> pk;
  for (auto c : i.ops->info->primary_key) pk.push_back(i.ops->get(i, c));
  return key_of(pk);
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
