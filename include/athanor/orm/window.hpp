// athanor/orm/window.hpp — typed window functions: `row_number().over(partition_by(…),
// order_by(…), rows_between(…))`, aggregates over a window, frames, named windows
// (`window<"w">(…)`, `select(…).window(w)`). The window is part of the statement's type, so
// its SQL compiles once; frame offsets and ntile/lag counts are bound values. ORM layer;
// it builds core/window.hpp's nodes.
#pragma once

#include <cstdint>  // std::int64_t

#include <athanor/core/window.hpp>
#include <athanor/orm/select.hpp>

namespace athanor::orm {

namespace detail {
template <class L>
using models_of_list = boost::mp11::mp_fold<L, boost::mp11::mp_list<>, merge>;

/// PARTITION BY or ORDER BY items of a window.
template <bool Order, class... E>
struct WindowItems {
  using models = models_of_list<boost::mp11::mp_list<typename E::models...>>;
  static constexpr bool cacheable = (E::cacheable && ...);
  Pack<E...> e;
  std::vector<Expr> to_core(Builder& b) const {
    return e.apply([&](const auto&... x) { return detail::to_core_all(b, x...); });
  }
  void collect(Collected& out) const {
    e.apply([&](const auto&... x) { (x.collect(out), ...); });
  }
};

/// A frame bound without an offset (UNBOUNDED PRECEDING, CURRENT ROW, UNBOUNDED FOLLOWING).
template <FrameBound::Kind K>
struct FixedBound {
  static constexpr FrameBound::Kind kind = K;
  Expr to_core(Builder&) const { return {}; }
  void collect(Collected&) const {}
};
/// `n PRECEDING` / `n FOLLOWING`: n is a bound value (see Capabilities::window_frame_binds).
template <FrameBound::Kind K>
struct OffsetBound {
  static constexpr FrameBound::Kind kind = K;
  Val<std::int64_t> n;
  Expr to_core(Builder& b) const { return n.to_core(b); }
  void collect(Collected& out) const { n.collect(out); }
};
template <class B>
inline constexpr bool is_bound = false;
template <FrameBound::Kind K>
inline constexpr bool is_bound<FixedBound<K>> = true;
template <FrameBound::Kind K>
inline constexpr bool is_bound<OffsetBound<K>> = true;

template <int Unit, class S, class E>
struct FrameSpec {
  S start;
  E end;
};
struct NoFrame {};

/// A window's parts: PARTITION BY P, ORDER BY O, frame F (NoFrame: none).
template <class P = WindowItems<false>, class O = WindowItems<true>, class F = NoFrame>
struct WindowSpec {
  using models = merge<typename P::models, typename O::models>;
  static constexpr bool cacheable = P::cacheable && O::cacheable;
  P partition;
  O order;
  F frame;
  Expr to_core(Builder& b, std::string base = {}) const {
    auto p = partition.to_core(b);
    auto o = order.to_core(b);
    using athanor::detail::make_window;
    if constexpr (std::is_same_v<F, NoFrame>) {
      return make_window(std::move(base), std::move(p), std::move(o), 0, FrameBound::current_row, {}, FrameBound::current_row, {});
    } else {
      auto s = frame.start.to_core(b);
      auto e = frame.end.to_core(b);
      return make_window(std::move(base), std::move(p), std::move(o), unit_of(frame), decltype(frame.start)::kind, std::move(s),
                         decltype(frame.end)::kind, std::move(e));
    }
  }
  void collect(Collected& out) const {
    partition.collect(out), order.collect(out);
    if constexpr (!std::is_same_v<F, NoFrame>) frame.start.collect(out), frame.end.collect(out);
  }
  template <int U, class S, class E>
  static int unit_of(const FrameSpec<U, S, E>&) { return U; }
  // The spec with one part given (over()'s arguments, in any order, each once).
  template <class... E>
  auto with(WindowItems<false, E...> x) const { return WindowSpec<WindowItems<false, E...>, O, F>{std::move(x), order, frame}; }
  template <class... E>
  auto with(WindowItems<true, E...> x) const { return WindowSpec<P, WindowItems<true, E...>, F>{partition, std::move(x), frame}; }
  template <int U, class S, class E>
  auto with(FrameSpec<U, S, E> x) const { return WindowSpec<P, O, FrameSpec<U, S, E>>{partition, order, std::move(x)}; }
};

/// Which part an over() argument is: 0 PARTITION BY, 1 ORDER BY, 2 frame, -1 none.
template <class X>
inline constexpr int window_part = -1;
template <bool Order, class... E>
inline constexpr int window_part<WindowItems<Order, E...>> = Order ? 1 : 0;
template <int U, class S, class E>
inline constexpr int window_part<FrameSpec<U, S, E>> = 2;

/// The window named `Name` (WINDOW clause), with its spec; `.over(w)` refers to it by name.
template <fixed_string Name, class S>
struct NamedWindow {
  static constexpr auto name = Name;
  using models = typename S::models;
  static constexpr bool cacheable = S::cacheable;
  S spec;
};
template <class X>
inline constexpr bool is_named = false;
template <fixed_string Name, class S>
inline constexpr bool is_named<NamedWindow<Name, S>> = true;

/// `OVER name`.
template <fixed_string Name>
struct WindowRef {
  using models = boost::mp11::mp_list<>;
  static constexpr bool cacheable = true;
  Expr to_core(Builder& b) const { return WindowSpec<>{}.to_core(b, std::string(Name.view())); }
  void collect(Collected&) const {}
};

template <class S>
S fold_spec(S s) { return s; }
template <class S, class X, class... R>
auto fold_spec(S s, X x, R... r) { return fold_spec(s.with(std::move(x)), std::move(r)...); }

/// Whether over()'s arguments make a window: one named window, or parts each given once.
template <class... W>
inline constexpr bool over_args_ok = (sizeof...(W) == 1 && (is_named<W> && ...)) ||
    (((window_part<W> >= 0) && ...) &&
     boost::mp11::mp_is_set<boost::mp11::mp_list<std::integral_constant<int, window_part<W>>...>>::value);

/// The window of over()'s arguments (checked by over_args_ok).
template <class... W>
auto make_spec(W... w) {
  if constexpr (sizeof...(W) == 1 && (is_named<W> && ...)) return WindowRef<boost::mp11::mp_front<boost::mp11::mp_list<W...>>::name>{};
  else return fold_spec(WindowSpec<>{}, std::move(w)...);
}

template <class W>
struct WindowClause {
  static constexpr bool cacheable = W::cacheable;
  W w;
  athanor::Select apply(const athanor::Select& s, Builder& b) const { return s.window(std::string(W::name.view()), w.spec.to_core(b)); }
  void collect(Collected& out) const { w.spec.collect(out); }
};
}  // namespace detail

/// `f OVER (…)`: a window function or an aggregate over a window. Typed as `F` is.
template <class F, class S>
struct Over : Methods<Over<F, S>, typename F::value_type> {
  /// The TypedExpr protocol (`f`: the function, `spec`: the window).
  ///@{
  using value_type = typename F::value_type;
  using models = detail::merge<typename F::models, typename S::models>;
  static constexpr bool cacheable = F::cacheable && S::cacheable;
  F f;
  S spec;
  Over(F fn, S s) : f(std::move(fn)), spec(std::move(s)) {}
  Expr to_core(detail::Builder& b) const {
    auto fe = f.to_core(b);
    auto t = fe.type();
    return Expr::make(athanor::detail::ExprKind::over, std::move(t), "", {std::move(fe), spec.to_core(b)});
  }
  void collect(detail::Collected& out) const { f.collect(out), spec.collect(out); }
  ///@}
};

namespace detail {
template <class F, class... W>
auto make_over(const F& f, W... w) {
  constexpr bool ok = over_args_ok<W...>;
  static_assert(ok, "athanor: over() takes orm::partition_by(…), orm::order_by(…) and a frame (orm::rows_between(…)), "
                    "each at most once, or one named window (orm::window<\"w\">(…))");
  if constexpr (ok) {
    auto s = make_spec(std::move(w)...);
    return Over<F, decltype(s)>(f, std::move(s));
  }
}
}  // namespace detail

/// A window function: usable only with `.over(…)`.
template <class Kind, class T, class... A>
struct WindowFn : detail::typed_tag {
  /// The TypedExpr protocol (`needs_over`: refused by select() until .over(…), `args`: the arguments).
  ///@{
  using value_type = T;
  using models = detail::models_of_list<boost::mp11::mp_list<typename A::models...>>;
  static constexpr bool cacheable = (A::cacheable && ...);
  static constexpr bool needs_over = true;
  detail::Pack<A...> args;
  explicit WindowFn(A... a) : args{{{std::move(a)}...}} {}
  Expr to_core(detail::Builder& b) const {
    return args.apply([&](const auto&... a) { return Kind::build(detail::to_core_all(b, a...)); });
  }
  void collect(detail::Collected& out) const {
    args.apply([&](const auto&... a) { (a.collect(out), ...); });
  }
  ///@}
  /// `OVER (…)`: `row_number().over(orm::partition_by(c<&T::a>), orm::order_by(c<&T::b>.desc()))`.
  template <class... W>
  auto over(W... w) const { return detail::make_over(*this, std::move(w)...); }
};

namespace wfn {
#define ATHANOR_ORM_WINDOW_FN(NAME, CALL)                          \
  struct NAME {                                                    \
    static Expr build(std::vector<Expr> a) { return CALL; }        \
  };
ATHANOR_ORM_WINDOW_FN(row_number, ((void)a, athanor::row_number()))
ATHANOR_ORM_WINDOW_FN(rank, ((void)a, athanor::rank()))
ATHANOR_ORM_WINDOW_FN(dense_rank, ((void)a, athanor::dense_rank()))
ATHANOR_ORM_WINDOW_FN(percent_rank, ((void)a, athanor::percent_rank()))
ATHANOR_ORM_WINDOW_FN(cume_dist, ((void)a, athanor::cume_dist()))
ATHANOR_ORM_WINDOW_FN(ntile, athanor::ntile(a[0]))
ATHANOR_ORM_WINDOW_FN(lag, athanor::lag(a[0], a[1], a.size() > 2 ? a[2] : Expr{}))
ATHANOR_ORM_WINDOW_FN(lead, athanor::lead(a[0], a[1], a.size() > 2 ? a[2] : Expr{}))
ATHANOR_ORM_WINDOW_FN(first_value, athanor::first_value(a[0]))
ATHANOR_ORM_WINDOW_FN(last_value, athanor::last_value(a[0]))
ATHANOR_ORM_WINDOW_FN(nth_value, athanor::nth_value(a[0], a[1]))
#undef ATHANOR_ORM_WINDOW_FN
}  // namespace wfn

/// The row's number in its partition, from 1: std::int64_t.
inline auto row_number() { return WindowFn<wfn::row_number, std::int64_t>(); }
/// Rank with gaps after ties (1, 1, 3) / without (1, 1, 2): std::int64_t.
///@{
inline auto rank() { return WindowFn<wfn::rank, std::int64_t>(); }
inline auto dense_rank() { return WindowFn<wfn::dense_rank, std::int64_t>(); }
///@}
/// (rank - 1) / (partition rows - 1) and cumulative distribution: double.
///@{
inline auto percent_rank() { return WindowFn<wfn::percent_rank, double>(); }
inline auto cume_dist() { return WindowFn<wfn::cume_dist, double>(); }
///@}
/// The bucket 1..n of the row: std::int64_t.
inline auto ntile(std::int64_t n) { return WindowFn<wfn::ntile, std::int64_t, Val<std::int64_t>>(Val<std::int64_t>(n)); }

namespace detail {
template <class E>
using nullable_value_t = std::optional<strip_optional_t<value_t<E>>>;
template <class Kind, class E>
auto value_fn(const E& e, std::int64_t n) {
  static_assert(TypedExpr<E>, "athanor: lag/lead/nth_value take a typed expression (c<&Sale::amount>)");
  return WindowFn<Kind, nullable_value_t<E>, E, Val<std::int64_t>>(e, Val<std::int64_t>(n));
}
template <class Kind, class E, class V>
auto value_fn(const E& e, std::int64_t n, V&& fallback) {
  constexpr bool ok = TypedExpr<E> && can_compare<E, V>;
  static_assert(ok, "athanor: lag/lead's default must have the expression's type (lag(c<&Sale::amount>, 1, 0))");
  if constexpr (ok) {
    // A value where no row is that far: NULL only where the row found holds one.
    using T = std::conditional_t<is_nullable_v<value_t<E>>, nullable_value_t<E>, strip_optional_t<value_t<E>>>;
    auto d = operand<strip_optional_t<value_t<E>>>(std::forward<V>(fallback));
    return WindowFn<Kind, T, E, Val<std::int64_t>, decltype(d)>(e, Val<std::int64_t>(n), std::move(d));
  }
}
}  // namespace detail

/// The value `n` rows before (lag) / after (lead) the row in its partition: std::optional
/// (NULL where there is no such row); with a default, typed as the expression.
///@{
template <class E>
auto lag(const E& e, std::int64_t n = 1) { return detail::value_fn<wfn::lag>(e, n); }
template <class E, class V>
auto lag(const E& e, std::int64_t n, V&& fallback) { return detail::value_fn<wfn::lag>(e, n, std::forward<V>(fallback)); }
template <class E>
auto lead(const E& e, std::int64_t n = 1) { return detail::value_fn<wfn::lead>(e, n); }
template <class E, class V>
auto lead(const E& e, std::int64_t n, V&& fallback) { return detail::value_fn<wfn::lead>(e, n, std::forward<V>(fallback)); }
///@}
/// The value at the first / last / n-th row of the frame: std::optional. An ordered window's
/// default frame ends at the current row: last_value wants rows_between(…, unbounded_following).
///@{
template <TypedExpr E>
auto first_value(const E& e) { return WindowFn<wfn::first_value, detail::nullable_value_t<E>, E>(e); }
template <TypedExpr E>
auto last_value(const E& e) { return WindowFn<wfn::last_value, detail::nullable_value_t<E>, E>(e); }
template <TypedExpr E>
auto nth_value(const E& e, std::int64_t n) { return detail::value_fn<wfn::nth_value>(e, n); }
///@}

/// PARTITION BY items of a window: `partition_by(c<&Sale::region>)`.
template <TypedExpr... E>
auto partition_by(E... e) { return detail::WindowItems<false, E...>{{std::move(e)...}}; }
/// ORDER BY items of a window: `order_by(c<&Sale::day>.desc(), c<&Sale::id>)`.
template <TypedExpr... E>
auto order_by(E... e) { return detail::WindowItems<true, E...>{{{{std::move(e)}...}}}; }

/// Frame bounds: `unbounded_preceding`, `preceding(n)`, `current_row`, `following(n)`, `unbounded_following`.
///@{
inline constexpr detail::FixedBound<FrameBound::unbounded_preceding> unbounded_preceding{};
inline constexpr detail::FixedBound<FrameBound::current_row> current_row{};
inline constexpr detail::FixedBound<FrameBound::unbounded_following> unbounded_following{};
///@}
/// `n PRECEDING` / `n FOLLOWING` (n ≥ 0, else an ArgumentError), n a bound value.
///@{
inline detail::OffsetBound<FrameBound::preceding> preceding(std::int64_t n) {
  athanor::detail::frame_offset(athanor::preceding(n));  // checks n
  return {Val<std::int64_t>(n)};
}
inline detail::OffsetBound<FrameBound::following> following(std::int64_t n) {
  athanor::detail::frame_offset(athanor::following(n));
  return {Val<std::int64_t>(n)};
}
///@}

namespace detail {
template <int Unit, class S, class E>
auto frame(S s, E e) {
  constexpr bool bounds = is_bound<S> && is_bound<E>;
  static_assert(bounds, "athanor: a frame's bounds are orm::unbounded_preceding, orm::preceding(n), orm::current_row, "
                        "orm::following(n), orm::unbounded_following");
  if constexpr (bounds) {
    constexpr bool ordered = S::kind <= E::kind && S::kind != FrameBound::unbounded_following &&
                             E::kind != FrameBound::unbounded_preceding;
    static_assert(ordered, "athanor: a frame runs from its start to its end "
                           "(rows_between(orm::unbounded_preceding, orm::current_row), not the other way round)");
    if constexpr (ordered) return FrameSpec<Unit, S, E>{std::move(s), std::move(e)};
  }
}
}  // namespace detail
/// `ROWS BETWEEN start AND end`: `rows_between(orm::unbounded_preceding, orm::current_row)`.
template <class S, class E>
auto rows_between(S start, E end) { return detail::frame<Frame::rows>(std::move(start), std::move(end)); }
/// `RANGE BETWEEN start AND end`; with an offset, the window orders by one number key.
template <class S, class E>
auto range_between(S start, E end) { return detail::frame<Frame::range>(std::move(start), std::move(end)); }

/// A named window for the WINDOW clause: `auto w = orm::window<"w">(orm::partition_by(…), orm::order_by(…));`
/// then `….over(w)` in the columns and `select(…).window(w)`.
template <detail::fixed_string Name, class... W>
auto window(W... w) {
  constexpr bool ok = ((detail::window_part<W> >= 0) && ...) && detail::over_args_ok<W...>;
  static_assert(ok, "athanor: window<\"w\">() takes orm::partition_by(…), orm::order_by(…) and a frame, each at most once");
  if constexpr (ok) {
    auto s = detail::fold_spec(detail::WindowSpec<>{}, std::move(w)...);
    return detail::NamedWindow<Name, decltype(s)>{std::move(s)};
  }
}

namespace detail {
/// The expressions `.over()` applies to: the aggregates (not count(DISTINCT …), which no
/// server takes over a window).
/// (A trait by name, not `N == fn::count`: comparing the addresses of two arrays is not a
/// constant expression under -fsanitize=undefined.)
template <const char* N>
inline constexpr bool aggregate_name = false;
template <>
inline constexpr bool aggregate_name<fn::count> = true;
template <>
inline constexpr bool aggregate_name<fn::sum> = true;
template <>
inline constexpr bool aggregate_name<fn::avg> = true;
template <>
inline constexpr bool aggregate_name<fn::min> = true;
template <>
inline constexpr bool aggregate_name<fn::max> = true;
template <class D>
inline constexpr bool window_capable = false;
template <const char* N, int K, class T, class... A>
inline constexpr bool window_capable<Node<fn::call<N, K>, T, A...>> = K != 2 && aggregate_name<N>;
}  // namespace detail

template <class D, class T>
template <class... W>
auto Methods<D, T>::over(W... w) const {
  constexpr bool ok = detail::window_capable<D>;
  static_assert(ok, "athanor: .over() applies to a window function or an aggregate (row_number(), rank(), lag(e), sum(e), "
                    "count()…), not to a column or another expression");
  if constexpr (ok) return detail::make_over(static_cast<const D&>(*this), std::move(w)...);
}

namespace detail {
template <class F, class S>
inline constexpr bool has_window<Over<F, S>> = true;
template <class K, class T, class... A>
inline constexpr bool has_window<WindowFn<K, T, A...>> = true;
}  // namespace detail

}  // namespace athanor::orm
