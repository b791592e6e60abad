// athanor/orm/ptr.hpp — `Ptr<M>`, the shared handle through which a Session hands out
// objects: nothing dangles, and an expired object reloads itself on first access (or throws
// DetachedInstanceError when its Session is gone).
#pragma once

#include <memory>  // std::shared_ptr

#include <athanor/orm/detail/cycles.hpp>
#include <athanor/orm/detail/model_ops.hpp>

namespace athanor::orm {

namespace detail {
void refresh_expired(InstanceBase& i);
}

/// A handle on an object tracked by a Session.
/// **Example**: `Ptr<User> ann = session.add(User{.name = "ann"}); ann->name = "Ann";`
template <class M>
class Ptr {
 public:
  Ptr() = default;
  /// A handle on the tracked instance `p` (the Session makes these).
  explicit Ptr(std::shared_ptr<detail::Instance<M>> p) : p_(std::move(p)) {}
  /// Handles share the object. One let go while others still hold an object no Session tracks
  /// shows it to the cycle collector (it may be in a relationship cycle).
  ///@{
  Ptr(const Ptr&) = default;
  Ptr(Ptr&&) noexcept = default;
  Ptr& operator=(const Ptr& o) {
    auto keep = o.p_;  // o may be *this
    drop();
    p_ = std::move(keep);
    return *this;
  }
  Ptr& operator=(Ptr&& o) noexcept {
    if (this != &o) drop(), p_ = std::move(o.p_);
    return *this;
  }
  ~Ptr() { drop(); }
  ///@}

  /// The object, refreshed first when it was expired (one SELECT) and marked as possibly
  /// changed (an autoflush candidate). `get()`: nullptr for an empty handle.
  ///@{
  M* operator->() const { return &loaded().obj; }
  M& operator*() const { return loaded().obj; }
  M* get() const { return p_ ? &loaded().obj : nullptr; }
  ///@}
  explicit operator bool() const { return p_ != nullptr; }  ///< Whether the handle holds an object.
  friend bool operator==(const Ptr& a, const Ptr& b) { return a.p_ == b.p_; }  ///< The same object (identity, not column values).

  /// Tracking state, for tests and tools (SQLAlchemy's object states): never added to a Session…
  bool is_transient() const { return p_ && p_->state == detail::State::transient; }
  /// … in a Session with a row in the database…
  bool is_persistent() const { return p_ && p_->state == detail::State::persistent; }
  /// … added, its INSERT not flushed yet…
  bool is_pending() const { return p_ && p_->state == detail::State::pending; }
  /// … or out of its Session (expunged, or the Session closed or gone).
  bool is_detached() const {
    return p_ && p_->state != detail::State::transient && (p_->state == detail::State::detached || !p_->session);
  }
  /// Its row's deletion was committed: no Session takes it again (SQLAlchemy's was_deleted).
  bool was_deleted() const { return p_ && p_->was_deleted; }
  /// Its values were expired (commit, expire()): the next access reads the row again.
  bool is_expired() const { return p_ && p_->expired; }
  const std::shared_ptr<detail::Instance<M>>& instance() const { return p_; }  ///< The tracked instance (object, state, loaded values), for the Session and the ORM's own code.

 private:
  detail::Instance<M>& loaded() const {
    if (p_->expired) detail::refresh_expired(*p_);
    if (!p_->touched) detail::touch(*p_);  // any access may change it: an autoflush candidate
    return *p_;
  }
  /// Lets go of the object. Where others still hold it and no Session tracks it, it may be
  /// left in a relationship cycle: the cycle collector takes a look at its next safe point.
  void drop() noexcept {
    if (p_ && p_.use_count() > 1 && p_->untracked()) {
      try {
        detail::suspect(p_);
      } catch (...) {  // out of memory: the object is just not examined
      }
    }
    p_.reset();
  }
  std::shared_ptr<detail::Instance<M>> p_;
};

}  // namespace athanor::orm
