// athanor/orm/relationship.hpp — relationship members: `One<T>` (many-to-one, one-to-one)
// and `Many<T>` (one-to-many). They load lazily through the owner's Session on first access
// (or eagerly with selectinload), keep both sides in step in memory (back_populates), and
// tell the unit of work which rows to insert, relink or delete (cascades).
#pragma once

#include <algorithm>  // std::find
#include <cstdint>    // std::uintptr_t
#include <memory>     // std::shared_ptr
#include <string>     // std::string
#include <vector>     // std::vector

#include <athanor/orm/ptr.hpp>

namespace athanor::orm {

/// How a relationship loads when first touched.
enum class Lazy : unsigned char {
  select,    ///< one SELECT on first access (SQLAlchemy's default "select")
  raise,     ///< throw instead of loading: finds N+1 patterns in tests
  selectin,  ///< loaded with the query that loads its owners (one extra IN query)
};

namespace detail {
struct RelInfo;

/// What One and Many share: which relationship they are (once the owner is tracked), who owns
/// them and whether they hold the database's answer. One word in every object (issue 14): the
/// RelInfo's address with the two flags in its low bits (a RelInfo is 8-byte aligned), the owner
/// found from the member's place in it (RelInfo::member_offset). Owner and info pointers and two
/// bools made it 24 bytes: Many<T> was 48 and One<T> 40 in every loaded object.
struct RelationBase {
  RelationBase() = default;
  explicit RelationBase(bool is_loaded) : bits_(is_loaded ? loaded_bit : 0) {}
  /// The relationship's description, set when the owner is tracked by a Session (else null).
  const RelInfo* info() const { return reinterpret_cast<const RelInfo*>(bits_ & ~flag_bits); }
  /// The object this is a member of, once info() is set (else null).
  InstanceBase* owner() const;
  /// Whether it holds the database's answer (or, for a new object, all there is).
  bool loaded() const { return (bits_ & loaded_bit) != 0; }
  void set_loaded_flag(bool on) { bits_ = on ? (bits_ | loaded_bit) : (bits_ & ~loaded_bit); }
  /// raiseload: loading this throws.
  bool raises() const { return (bits_ & raise_bit) != 0; }
  void set_raises() { bits_ |= raise_bit; }
  /// Makes it `info`'s member of a tracked owner (ModelOps::bind), the flags kept.
  void bind(const RelInfo* info) { bits_ = reinterpret_cast<std::uintptr_t>(info) | (bits_ & flag_bits); }

 private:
  static constexpr std::uintptr_t loaded_bit = 1, raise_bit = 2, flag_bits = 3;
  std::uintptr_t bits_ = 0;
};

/// Loads `r` through its owner's session (defined with the Session).
void load_relation(RelationBase& r);
/// Cascades for a new related object: `child` joins the owner's Session when there is one.
void relate(RelationBase& r, const std::shared_ptr<InstanceBase>& child);
void unrelate(RelationBase& r, const std::shared_ptr<InstanceBase>& child, bool clear_key = true);
/// Raises, before anything changes, when `child` (or its cascade) cannot join the owner's
/// Session: it belongs to another open Session, or was deleted (orm/detail/attach.hpp).
void check_relate(const RelationBase& r, const std::shared_ptr<InstanceBase>& child);
}  // namespace detail

/// A reference to one related object: many-to-one (`Post::author`) or one-to-one.
/// **Example**: `post->author = ann;` `std::string n = post->author->name;`
template <class T>
class One : public detail::RelationBase {
 public:
  One() = default;
  /// A copy is a new, untracked object's relationship: same target, no owner.
  One(const One& o) : RelationBase(o.loaded()), target_(o.target_) {}
  /// Sets o's target, if it has one, as this one's (an assignment, with its cascades).
  One& operator=(const One& o) { return o.target_ ? (*this = o.target_) : *this; }
  /// A move is a new, untracked object's relationship too: the target moves, no owner.
  One(One&& o) noexcept : RelationBase(o.loaded()), target_(std::move(o.target_)) {}

  /// Sets the related object (`nullptr`-like `Ptr<T>{}` clears it).
  One& operator=(const Ptr<T>& target) {
    if (target) detail::check_relate(*this, target.instance());
    if (!loaded() && info()) detail::load_relation(*this);
    if (target_) detail::unrelate(*this, target_.instance(), !target);  // a new target sets the key at flush
    target_ = target, set_loaded_flag(true);
    if (target_) detail::relate(*this, target_.instance());
    return *this;
  }
  /// The related object (an empty Ptr for none), loaded on first access when not loaded yet
  /// (raiseload: an error instead).
  const Ptr<T>& get() const {
    ensure();
    return target_;
  }
  /// The related object, loaded as get() does.
  ///@{
  T* operator->() const { return get().operator->(); }
  T& operator*() const { return *get(); }
  ///@}
  /// <Whether there is a related object (loads it as get() does).
  explicit operator bool() const { return static_cast<bool>(get()); }
  /// Used by loaders: sets the target without cascades.
  void set_loaded(Ptr<T> t) { target_ = std::move(t), set_loaded_flag(true); }
  const Ptr<T>& peek() const { return target_; }  ///< The target as it is, never loading (for the Session and the loaders).
  /// Used by the cycle collector: drops the target, unloaded again.
  void release() { target_ = Ptr<T>(), set_loaded_flag(false); }

 private:
  void ensure() const {
    if (!loaded()) detail::load_relation(const_cast<One&>(*this));
  }
  Ptr<T> target_;
};

/// A collection of related objects (one-to-many).
/// **Example**: `for (auto& post : user->posts) …`, `user->posts.push_back(Post{.title = "hi"});`
template <class T>
class Many : public detail::RelationBase {
 public:
  Many() = default;
  /// A copy is a new, untracked object's collection: same items, no owner.
  Many(const Many& o) : RelationBase(o.loaded()), items_(o.items_) {}
  /// Adds o's items to this collection (push_back(), with its cascades).
  Many& operator=(const Many& o) {
    for (auto& p : o.items_) push_back(p);
    return *this;
  }
  /// A move is a new, untracked object's collection too: the items move, no owner.
  Many(Many&& o) noexcept : RelationBase(o.loaded()), items_(std::move(o.items_)) {}

  /// The items, loaded on first access when not loaded yet (raiseload: an error instead).
  ///@{
  auto begin() const { return items().begin(); }
  auto end() const { return items().end(); }
  std::size_t size() const { return items().size(); }
  bool empty() const { return items().empty(); }
  const Ptr<T>& operator[](std::size_t i) const { return items()[i]; }
  const Ptr<T>& at(std::size_t i) const { return items().at(i); }
///@}

  /// Adds a new object to the collection (and to the owner's Session: cascade save-update).
  Ptr<T> push_back(T obj) {
    auto inst = std::make_shared<detail::Instance<T>>(std::move(obj));
    inst->ops = &detail::ops_for<T>();
    return push_back(Ptr<T>(std::move(inst)));
  }
  /// Adds an existing object.
  Ptr<T> push_back(const Ptr<T>& p) {
    detail::check_relate(*this, p.instance());
    ensure();
    if (std::find(items_.begin(), items_.end(), p) == items_.end()) items_.push_back(p);
    detail::relate(*this, p.instance());
    return p;
  }
  /// Removes an object: its foreign key is cleared at flush, or with delete-orphan it is deleted.
  void remove(const Ptr<T>& p) {
    ensure();
    auto it = std::find(items_.begin(), items_.end(), p);
    if (it == items_.end()) return;
    items_.erase(it);
    detail::unrelate(*this, p.instance());
  }
  /// A query over this collection's rows, run in SQL (the collection is not loaded):
  /// `user->posts.query().where(c<&Post::id> > 10).order_by(c<&Post::id>).all()`.
  auto query() const;
  /// Used by loaders.
  void set_loaded(std::vector<Ptr<T>> v) { items_ = std::move(v), set_loaded_flag(true); }
  /// In-memory side of back_populates: add/remove without cascades.
  ///@{
  void link(const Ptr<T>& p) {
    if (loaded() && std::find(items_.begin(), items_.end(), p) == items_.end()) items_.push_back(p);
  }
  void unlink(const Ptr<T>& p) {
    if (loaded()) std::erase(items_, p);
  }
  ///@}
  const std::vector<Ptr<T>>& peek() const { return items_; }  ///< The items as they are, never loading (for the Session and the loaders).
  /// Used by the cycle collector: drops the items, unloaded again.
  void release() { items_.clear(), set_loaded_flag(false); }

 private:
  const std::vector<Ptr<T>>& items() const {
    ensure();
    return items_;
  }
  void ensure() const {
    if (!loaded()) {
      if (info()) {
        detail::load_relation(const_cast<Many&>(*this));
      } else {
        const_cast<Many&>(*this).set_loaded_flag(true);  // a new object has no rows yet
      }
    }
  }
  std::vector<Ptr<T>> items_;
};

/// A one-to-many collection that never loads in full (SQLAlchemy's "write only"), for very
/// large collections: add and remove objects, and read through `query()` in SQL.
/// **Example**: `user->events.add(Event{…}); user->events.query().order_by(…).limit(50).all();`
template <class T>
class WriteOnly : public detail::RelationBase {
 public:
  WriteOnly() : RelationBase(true) {}  // "loaded" with only what was added here: nothing is ever read
  /// Copies and moves are a new, untracked object's: the added objects, no owner. An assignment
  /// add()s o's objects.
  ///@{
  WriteOnly(const WriteOnly& o) : RelationBase(true), added_(o.added_) {}
  WriteOnly(WriteOnly&& o) noexcept : RelationBase(true), added_(std::move(o.added_)) {}
  WriteOnly& operator=(const WriteOnly& o) {
    for (auto& p : o.added_) add(p);
    return *this;
  }
///@}

  /// Adds a new object (it joins the owner's Session; its foreign key is set at flush).
  Ptr<T> add(T obj) {
    auto inst = std::make_shared<detail::Instance<T>>(std::move(obj));
    inst->ops = &detail::ops_for<T>();
    return add(Ptr<T>(std::move(inst)));
  }
  /// Adds an existing object.
  Ptr<T> add(const Ptr<T>& p) {
    detail::check_relate(*this, p.instance());
    added_.push_back(p);
    detail::relate(*this, p.instance());
    return p;
  }
  /// Unlinks an object (deleted at flush with delete-orphan, else its foreign key is cleared).
  void remove(const Ptr<T>& p) {
    std::erase(added_, p);
    detail::unrelate(*this, p.instance());
  }
  /// A query over the collection's rows, in SQL.
  auto query() const;
  /// Objects added since the owner was loaded (what the next flush links).
  const std::vector<Ptr<T>>& peek() const { return added_; }
  /// What the loaders, back_populates and the cycle collector call on every relationship: nothing
  /// is loaded here; unlink() forgets an added object, release() all of them.
  ///@{
  void set_loaded(std::vector<Ptr<T>>) {}
  void link(const Ptr<T>&) {}
  void unlink(const Ptr<T>& p) { std::erase(added_, p); }
  void release() { added_.clear(); }
  ///@}

 private:
  std::vector<Ptr<T>> added_;
};

namespace detail {
template <class T>
struct is_relation_member<WriteOnly<T>> : std::true_type {};
template <class T>
struct is_relation_member<One<T>> : std::true_type {};
template <class T>
struct is_relation_member<Many<T>> : std::true_type {};

template <class T>
struct relation_target;
template <class T>
struct relation_target<WriteOnly<T>> { using type = T; static constexpr bool many = true; };
template <class T>
struct relation_target<One<T>> { using type = T; static constexpr bool many = false; };
template <class T>
struct relation_target<Many<T>> { using type = T; static constexpr bool many = true; };

inline InstanceBase* RelationBase::owner() const {
  const RelInfo* i = info();
  return i ? reinterpret_cast<InstanceBase*>(const_cast<char*>(reinterpret_cast<const char*>(this)) - i->member_offset) : nullptr;
}

template <class T>
Ptr<T> as_ptr(const std::shared_ptr<InstanceBase>& i) {
  return Ptr<T>(std::static_pointer_cast<Instance<T>>(i));
}

}  // namespace detail

template <class S>
RelationOptions& RelationOptions::secondary() {
  // S may still be incomplete here (configure() of a class declared before it): the
  // operations are instantiated at the end of the translation unit.
  r_.secondary = &detail::ops_for<S>;
  return *this;
}

namespace detail {
template <class M, class D>
std::shared_ptr<RelInfo> make_rel_info() {
  using R = std::remove_cvref_t<decltype(std::declval<M&>().*D::pointer)>;
  using T = typename relation_target<R>::type;
  auto r = std::make_shared<RelInfo>();
  r->name = D::name;
  r->many = relation_target<R>::many;
  r->owner = &ops_for<M>;
  r->target = &ops_for<T>;
  r->member = [](InstanceBase& b) -> RelationBase& { return static_cast<Instance<M>&>(b).obj.*D::pointer; };
  {
    Instance<M> probe;  // as ops_for<M>() finds the object in its Instance
    r->member_offset = reinterpret_cast<char*>(static_cast<RelationBase*>(&(probe.obj.*D::pointer))) -
                       reinterpret_cast<char*>(static_cast<InstanceBase*>(&probe));
  }
  // The items moved out (no reference count per item), the vector's storage left to the loader.
  r->set = [](RelationBase& b, std::vector<std::shared_ptr<InstanceBase>>&& v) {
    auto& rel = static_cast<R&>(b);
    if constexpr (relation_target<R>::many) {
      std::vector<Ptr<T>> items;
      items.reserve(v.size());
      for (auto& i : v) items.push_back(Ptr<T>(std::static_pointer_cast<Instance<T>>(std::move(i))));
      v.clear();
      rel.set_loaded(std::move(items));
    } else {
      rel.set_loaded(v.empty() ? Ptr<T>() : as_ptr<T>(v[0]));
      v.clear();
    }
  };
  r->link = [](RelationBase& b, const std::shared_ptr<InstanceBase>& i) {
    auto& rel = static_cast<R&>(b);
    if constexpr (relation_target<R>::many) {
      rel.link(as_ptr<T>(i));
    } else {
      rel.set_loaded(as_ptr<T>(i));
    }
  };
  r->unlink = [](RelationBase& b, const std::shared_ptr<InstanceBase>& i) {
    auto& rel = static_cast<R&>(b);
    if constexpr (relation_target<R>::many) {
      rel.unlink(as_ptr<T>(i));
    } else if (rel.peek().instance() == i) {
      rel.set_loaded(Ptr<T>());
    }
  };
  r->visit = [](const RelationBase& b, void (*fn)(InstanceBase&, void*), void* ctx) {
    auto& rel = static_cast<const R&>(b);
    if constexpr (relation_target<R>::many) {
      for (auto& p : rel.peek()) fn(*p.instance(), ctx);
    } else if (rel.peek()) {
      fn(*rel.peek().instance(), ctx);
    }
  };
  r->release = [](RelationBase& b) { static_cast<R&>(b).release(); };
  return r;
}
}  // namespace detail

}  // namespace athanor::orm
