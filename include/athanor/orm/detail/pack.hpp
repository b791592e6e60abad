// athanor/orm/detail/pack.hpp — `Pack<T...>`, the ORM's storage for the parts of a typed
// statement and the operands of an expression: a plain aggregate of its members with one
// `apply`. std::tuple would do, but its constructors' constraints, std::apply and tuple_cat
// are much of what the compiler instantiates for each typed statement (measured on
// bench/stress: ~1 500 std::__and_/__or_ instances for 50 statements).
#pragma once

#include <cstddef>  // std::size_t
#include <utility>  // std::index_sequence, std::move

namespace athanor::orm::detail {

template <std::size_t I, class T>
struct PackItem {
  T value;
};
template <class Seq, class... T>
struct PackBase;
template <std::size_t... I, class... T>
struct PackBase<std::index_sequence<I...>, T...> : PackItem<I, T>... {
  PackBase() = default;
  PackBase(T... v)  // not explicit: `List{{a, b}}`
    requires(sizeof...(T) > 0)
      : PackItem<I, T>{std::move(v)}... {}
  /// `f(members...)`.
  template <class F>
  decltype(auto) apply(F&& f) const {
    return f(static_cast<const PackItem<I, T>&>(*this).value...);
  }
};

/// The members T... in order.
template <class... T>
struct Pack : PackBase<std::index_sequence_for<T...>, T...> {
  using PackBase<std::index_sequence_for<T...>, T...>::PackBase;
  /// This pack with `x` appended.
  template <class X>
  Pack<T..., X> append(X x) const {
    return this->apply([&](const T&... v) { return Pack<T..., X>(v..., std::move(x)); });
  }
};

}  // namespace athanor::orm::detail
