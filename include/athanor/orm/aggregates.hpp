// athanor/orm/aggregates.hpp — the aggregate and basic SQL functions of typed expressions:
// count, count_distinct, sum, avg, min, max, lower, upper, length, coalesce (the others in
// functions.hpp). Included by expr.hpp.
#pragma once

#include <athanor/orm/expr_methods.hpp>

namespace athanor::orm {

namespace fn {
template <const char* Name, int Kind = 0>  // Kind 1: count(*), 2: count(DISTINCT …)
struct call {
  static Expr build(std::vector<Expr> a) {
    if constexpr (Kind == 1) return athanor::count();
    else if constexpr (Kind == 2) return athanor::count_distinct(a[0]);
    else {
      SqlType t = a.empty() ? SqlType{} : a[0].type();
      return typed_func(Name, std::move(t), std::move(a));
    }
  }
};
inline constexpr char count[] = "count", sum[] = "sum", avg[] = "avg", min[] = "min", max[] = "max",
                      lower[] = "lower", upper[] = "upper", length[] = "length", coalesce[] = "coalesce";
}  // namespace fn

/// `count(*)`, typed std::int64_t.
inline auto count() { return Node<fn::call<fn::count, 1>, std::int64_t>{}; }
/// `count(expr)`.
template <TypedExpr E>
auto count(const E& e) { return Node<fn::call<fn::count>, std::int64_t, E>{{}, {e}}; }
/// `count(DISTINCT expr)`.
template <TypedExpr E>
auto count_distinct(const E& e) { return Node<fn::call<fn::count, 2>, std::int64_t, E>{{}, {e}}; }
/// Aggregates are NULL over no rows, so they read as std::optional.
/// sum() of a Decimal is a Decimal, exact on PostgreSQL and MariaDB (SQLite adds doubles: 15 digits).
template <TypedExpr E>
auto sum(const E& e) {
  constexpr bool ok = detail::is_numeric<detail::value_t<E>>;
  static_assert(ok, "athanor: sum() adds numbers (integers, doubles or Decimals)");
  // SUM of integers is 64-bit on every server (bigint, DECIMAL on MariaDB): a sum of an int
  // column past 2^31 must still be readable.
  using T = detail::strip_optional_t<detail::value_t<E>>;
  using R = std::conditional_t<std::is_integral_v<T>, std::int64_t, T>;
  if constexpr (ok) return Node<fn::call<fn::sum>, std::optional<R>, E>{{}, {e}};
}
/// avg() is a double, or a Decimal for a Decimal (NUMERIC on PostgreSQL and MariaDB; SQLite
/// averages doubles, read back through 15 significant digits).
template <TypedExpr E>
auto avg(const E& e) {
  constexpr bool ok = detail::is_numeric<detail::value_t<E>>;
  static_assert(ok, "athanor: avg() averages numbers (integers, doubles or Decimals)");
  using R = std::conditional_t<detail::is_decimal<detail::value_t<E>>, Decimal, double>;
  if constexpr (ok) return Node<fn::call<fn::avg>, std::optional<R>, E>{{}, {e}};
}
/// `min(expr)`: std::optional, NULL over no rows.
template <TypedExpr E>
auto min(const E& e) { return Node<fn::call<fn::min>, std::optional<detail::strip_optional_t<detail::value_t<E>>>, E>{{}, {e}}; }
/// `max(expr)`: std::optional, NULL over no rows.
template <TypedExpr E>
auto max(const E& e) { return Node<fn::call<fn::max>, std::optional<detail::strip_optional_t<detail::value_t<E>>>, E>{{}, {e}}; }
/// `lower(text)`.
template <TypedExpr E>
auto lower(const E& e) {
  static_assert(detail::is_text<detail::value_t<E>>, "athanor: lower() applies to text");
  return Node<fn::call<fn::lower>, detail::value_t<E>, E>{{}, {e}};
}
/// `upper(text)`.
template <TypedExpr E>
auto upper(const E& e) {
  static_assert(detail::is_text<detail::value_t<E>>, "athanor: upper() applies to text");
  return Node<fn::call<fn::upper>, detail::value_t<E>, E>{{}, {e}};
}
/// `length(text)`: characters, on every backend (CHAR_LENGTH on MariaDB), as std::int64_t.
template <TypedExpr E>
auto length(const E& e) {
  static_assert(detail::is_text<detail::value_t<E>>, "athanor: length() applies to text");
  return Node<fn::call<fn::length>, std::int64_t, E>{{}, {e}};
}
/// `coalesce(e, fallback)`: never NULL, so it reads as the plain type.
template <TypedExpr E, class V>
auto coalesce(const E& e, V&& fallback) {
  using T = detail::strip_optional_t<detail::value_t<E>>;
  static_assert(detail::can_compare<E, V>, "athanor: coalesce() fallback must have the expression's type");
  auto f = operand<T>(std::forward<V>(fallback));
  return Node<fn::call<fn::coalesce>, T, E, decltype(f)>{{}, {{{e}, {std::move(f)}}}};
}

}  // namespace athanor::orm
