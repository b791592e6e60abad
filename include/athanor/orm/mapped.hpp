// athanor/orm/mapped.hpp — `Mapped<T>`, a model member that maps to a column and notices
// every change: assignment of a different value, and any mutable access. It costs one
// flag beside T (padded: +8 bytes for an int, +8 for a std::string on x86-64).
#pragma once

#include <concepts>     // std::equality_comparable_with
#include <type_traits>  // std::is_convertible_v
#include <utility>      // std::move

namespace athanor::orm {

template <class T>
class Mapped;
namespace detail {
template <class T>
struct MemberAccess;
}  // namespace detail
/// Whether T is a `Mapped<…>` (a column member rather than a relationship).
///@{
template <class T>
inline constexpr bool is_mapped_v = false;
template <class T>
inline constexpr bool is_mapped_v<Mapped<T>> = true;
///@}

/// A mapped column of a model.
/// **Example**: `struct User { Mapped<int> id; Mapped<std::string> name; };`
/// `user->name = "bob";` (tracked), `user->name.mut().append("!")` (tracked), `std::string s = user->name;`
template <class T>
class Mapped {
 public:
  using value_type = T;  ///< the member's C++ type

  Mapped() = default;
  /// A member initialised with a value (`User{.name = "ann"}`): a value to write, marked changed.
  template <class U>
    requires std::is_constructible_v<T, U&&> && (!std::is_same_v<std::decay_t<U>, Mapped>)
  Mapped(U&& v) : value_(std::forward<U>(v)), modified_(true) {}  // a value given is a value to write

  /// Assigns; a value equal to the current one changes nothing (and writes nothing on flush).
  template <class U>
    requires std::is_assignable_v<T&, U&&> && (!std::is_same_v<std::decay_t<U>, Mapped>)
  Mapped& operator=(U&& v) {
    if constexpr (requires(const T& t, const std::decay_t<U>& u) { bool(t == u); }) {
      if (value_ == v) return *this;
    }
    value_ = std::forward<U>(v);
    modified_ = true;
    return *this;
  }
  /// Copies and moves keep the changed flag of the source; assignments are assignments of the
  /// value, so they mark this member changed only when the value differs (for a T with ==).
  ///@{
  Mapped(const Mapped&) = default;
  // Declared so that moves do not fall back to copies (a user-declared copy assignment
  // suppresses the implicit move constructor): std::vector<User> growth and returning
  // rows by value then copy every string.
  Mapped(Mapped&&) noexcept(std::is_nothrow_move_constructible_v<T>) = default;
  Mapped& operator=(const Mapped& o) { return *this = o.value_; }
  Mapped& operator=(Mapped&& o) { return *this = std::move(o.value_); }
  ///@}

  /// Read access to the value (never marks it changed).
  ///@{
  const T& get() const { return value_; }
  const T& operator*() const { return value_; }
  const T* operator->() const { return &value_; }
  operator const T&() const { return value_; }
  ///@}
  /// Mutable access for in-place changes (`append`, JSON edits…): marks the member changed.
  T& mut() {
    modified_ = true;
    return value_;
  }

  /// Whether the member changed since it was loaded or last flushed.
  bool modified() const { return modified_; }
  /// Used by the Session: loading and flushing reset the flag.
  void set_clean() { modified_ = false; }
  /// Sets the value without marking it changed (loading from the database).
  void load(T v) { value_ = std::move(v), modified_ = false; }

  /// Compares the value: `user->name == "ann"`.
  friend bool operator==(const Mapped& a, const T& b)
    requires requires(const T& x) { x == x; }
  {
    return a.value_ == b;
  }
  /// Two members compare their values: `post->user_id == user->id`. Without it, C++20 finds
  /// the one above both ways round (each side converted to T), which clang's -Wall reports as
  /// ambiguous (-Wambiguous-reversed-operator). A template, so that only a Mapped<T> itself
  /// matches it: anything converted to one (`name == "ann"`) takes the one above.
  template <class M>
    requires std::same_as<M, Mapped> && requires(const T& x) { x == x; }
  friend bool operator==(const Mapped& a, const M& b) {
    return a.value_ == b.value_;
  }

 private:
  friend struct detail::MemberAccess<T>;  // the Session's tables read and clear modified_ in place
  T value_{};
  bool modified_ = false;
};

template <class T>
struct is_mapped : std::false_type {};
template <class T>
struct is_mapped<Mapped<T>> : std::true_type {};

}  // namespace athanor::orm
