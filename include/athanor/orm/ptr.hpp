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
  explicit Ptr(std::shared_ptr<detail::Instance<M>> p) : p_(std::move(p)) {}
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

  M* operator->() const { return &loaded().obj; }
  M& operator*() const { return loaded().obj; }
  M* get() const { return p_ ? &loaded().obj : nullptr; }
  explicit operator bool() const { return p_ != nullptr; }
  friend bool operator==(const Ptr& a, const Ptr& b) { return a.p_ == b.p_; }

  /// Tracking state, for tests and tools.
  bool is_transient() const { return p_ && p_->state == detail::State::transient; }
  bool is_persistent() const { return p_ && p_->state == detail::State::persistent; }
  bool is_pending() const { return p_ && p_->state == detail::State::pending; }
  bool is_detached() const {
    return p_ && p_->state != detail::State::transient && (p_->state == detail::State::detached || p_->session.expired());
  }
  /// Its row's deletion was committed: no Session takes it again (SQLAlchemy's was_deleted).
  bool was_deleted() const { return p_ && p_->was_deleted; }
  bool is_expired() const { return p_ && p_->expired; }
  const std::shared_ptr<detail::Instance<M>>& instance() const { return p_; }

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
