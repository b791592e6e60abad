// athanor/orm/core_expr.hpp — typed and Core expressions together: a Core expression typed by
// the caller (core_expr<T>), a Core fragment over typed operands (core_expr<T>(f, e…)), a typed
// expression or select as Core (orm::core), and a value written into the SQL (inline_literal).
// Included by expr.hpp.
#pragma once

#include <athanor/orm/expr_methods.hpp>

namespace athanor::orm {

/// An escape hatch: any Core expression, typed T by the caller. Statements holding one are
/// compiled per execution (its shape is not in its type).
template <class T>
struct CoreExpr : Methods<CoreExpr<T>, T> {
  /// The TypedExpr protocol (`e`: the Core expression).
  ///@{
  using value_type = T;
  using models = boost::mp11::mp_list<>;
  static constexpr bool cacheable = false;
  Expr e;
  Expr to_core(detail::Builder&) const { return e; }
  void collect(detail::Collected&) const {}
  ///@}
};
/// A Core expression as a typed one of type T: `orm::core_expr<int>(athanor::literal_column("1"))`.
template <class T>
CoreExpr<T> core_expr(Expr e) { return CoreExpr<T>{{}, std::move(e)}; }

/// A Core fragment over typed operands: `f(Expr…)` gets the Core form of each typed
/// argument while the statement is built, so a subquery's column stays that subquery's
/// (its FROM item and values are the statement's own). Typed T by the caller. A
/// capture-less `f` keeps the statement compiled once per type; a capturing one makes it
/// compile per execution (what it captured may change).
template <class T, class F, class... A>
struct CoreFn : Methods<CoreFn<T, F, A...>, T> {
  /// The TypedExpr protocol (`f`: the fragment, `args`: its typed operands).
  ///@{
  using value_type = T;
  using models = boost::mp11::mp_fold<boost::mp11::mp_list<typename A::models...>, boost::mp11::mp_list<>, detail::merge>;
  static constexpr bool cacheable = std::is_empty_v<F> && (A::cacheable && ...);
  F f;
  detail::Pack<A...> args;
  CoreFn(F fn, A... a) : f(std::move(fn)), args{std::move(a)...} {}
  Expr to_core(detail::Builder& b) const {
    return args.apply([&](const auto&... a) { return Expr(f(a.to_core(b)...)); });
  }
  void collect(detail::Collected& out) const {
    args.apply([&](const auto&... a) { (a.collect(out), ...); });
  }
  ///@}
};
namespace detail {
template <class T, class F, class... A>
inline constexpr bool has_window<CoreFn<T, F, A...>> = (has_window<A> || ...);
}  // namespace detail
namespace detail {
template <class>
struct expr_for { using type = Expr; };
}  // namespace detail
/// **Example**: `orm::core_expr<std::int64_t>([](Expr n) { return n * 10; }, counts.c<1>())`
template <class T, class F, class... A>
  requires(sizeof...(A) > 0 && !std::is_convertible_v<F, Expr>)
auto core_expr(F f, A... a) {
  constexpr bool typed = (TypedExpr<A> && ...);
  static_assert(typed, "athanor: core_expr<T>(f, e…) takes typed expressions after f (c<&User::id>, sq.c<0>())");
  if constexpr (typed) {
    constexpr bool makes_expr = std::is_convertible_v<std::invoke_result_t<const F&, typename detail::expr_for<A>::type...>, Expr>;
    static_assert(makes_expr, "athanor: core_expr<T>(f, e…): f takes one athanor::Expr per typed expression and returns an athanor::Expr");
    if constexpr (makes_expr) return CoreFn<T, F, A...>(std::move(f), std::move(a)...);
  }
}

/// The other way: a typed expression (or a typed select) as Core, for a Core statement over
/// mapped tables; its values are bound in the Core tree.
/// **Example**: `athanor::select(orm::table_of<User>()).where(orm::core(c<&User::id> > 3))`
template <class E>
auto core(const E& e) {
  constexpr bool ok = TypedExpr<E> || requires(detail::Builder& b) { { e.to_core(b) } -> std::same_as<athanor::Select>; };
  static_assert(ok, "athanor: orm::core(e) takes a typed expression (c<&User::id> > 3) or a typed select");
  if constexpr (ok) {
    detail::Builder b;
    b.for_core = true;
    return e.to_core(b);
  }
}

/// A value written into the SQL text (athanor::inline_literal: numbers, booleans, strings
/// through the dialect's quoting), typed as the value. For an expression the server must see
/// as the same in the select list and GROUP BY (PostgreSQL, where bound values are `$1` there
/// and `$2` here). Statements holding one are compiled per execution, as the value is in the SQL.
/// **Example**: `select(c<&Post::score> * orm::inline_literal(2.0), count()).group_by(c<&Post::score> * orm::inline_literal(2.0))`
template <class V>
auto inline_literal(V v) {
  using T = std::conditional_t<std::is_convertible_v<V, std::string_view> && !std::is_same_v<V, std::nullptr_t>, std::string, V>;
  constexpr bool ok = std::is_arithmetic_v<T> || std::is_same_v<T, std::string>;
  static_assert(ok, "athanor: inline_literal() takes a number, a bool or a string (bind other values)");
  return CoreExpr<T>{{}, athanor::inline_literal(Value(T(std::move(v))))};
}

}  // namespace athanor::orm
