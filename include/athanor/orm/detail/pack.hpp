// athanor/orm/detail/pack.hpp — `Pack<T...>`, the ORM's storage for the parts of a typed
// statement and the operands of an expression: a plain aggregate of its members. std::tuple
// would do, but its constructors' constraints, std::apply and tuple_cat are much of what the
// compiler instantiates for each typed statement (measured on bench/stress: ~1 500
// std::__and_/__or_ instances for 50 statements). No constructor of its own either (built with
// braces, `Pack<A, B>{{{a}, {b}}}`), and what the statements do with every member (collect its
// values, hand their addresses to a step table, append one) is one member function each, not
// `apply` and a lambda: each function body costs g++ its early optimisation passes, and a typed
// statement's chain made some 40 of them (bench/compile_reports.cpp, -fdump-ipa-cgraph).
#pragma once

#include <array>    // std::array
#include <cstddef>  // std::size_t
#include <utility>  // std::index_sequence, std::move

namespace athanor::orm::detail {

template <std::size_t I, class T>
struct PackItem {
  T value;
};
template <class... T>
struct Pack;
template <class Seq, class... T>
struct PackBase;
template <std::size_t... I, class... T>
struct PackBase<std::index_sequence<I...>, T...> : PackItem<I, T>... {
  /// `f(members...)`.
  template <class F>
  decltype(auto) apply(F&& f) const {
    return f(static_cast<const PackItem<I, T>&>(*this).value...);
  }
  /// `m.collect(out)` of each member, in order (their bound values).
  template <class Out>
  void collect(Out& out) const {
    (static_cast<const PackItem<I, T>&>(*this).value.collect(out), ...);
  }
  /// `first`, then the members' addresses, in order: what a table of steps reads.
  std::array<const void*, sizeof...(T) + 1> parts(const void* first) const {
    return {first, &static_cast<const PackItem<I, T>&>(*this).value...};
  }
  /// This pack with `x` appended.
  template <class X>
  Pack<T..., X> append(X x) const {
    return {{static_cast<const PackItem<I, T>&>(*this)..., PackItem<sizeof...(T), X>{static_cast<X&&>(x)}}};
  }
};

/// The members T... in order: `Pack<A, B>{{{a}, {b}}}` (the pack's base, then each item's braces:
/// `{a, b}` is valid too, but clang's -Wall warns on every such brace elision, in users' builds).
template <class... T>
struct Pack : PackBase<std::index_sequence_for<T...>, T...> {};

}  // namespace athanor::orm::detail
