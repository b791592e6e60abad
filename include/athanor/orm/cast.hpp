// athanor/orm/cast.hpp — `cast<T>(expr)`: CAST to the SQL type of C++ type T, typed T; and
// `literal(v)`: a bound value as a typed column (`select(orm::literal("Canada"), …)`).
#pragma once

#include <optional>     // std::optional
#include <string>       // std::string

#include <athanor/orm/case.hpp>  // detail::literal_t

namespace athanor::orm {

namespace detail {
/// Whether C++ type T has a SQL type: a type Value holds, an enum, or a column_traits<T> of
/// the user's (the primary template, which only knows Value's types, says athanor_primary).
template <class T>
inline constexpr bool has_sql_type = [] {
  using U = strip_optional_t<T>;
  if constexpr (requires { typename column_traits<U>::athanor_primary; })
    return std::is_arithmetic_v<U> || std::is_same_v<U, std::string> || std::is_same_v<U, Bytes> || std::is_same_v<U, Decimal> ||
           std::is_same_v<U, Date> || std::is_same_v<U, DateTime> || std::is_same_v<U, Time> || std::is_same_v<U, Json> ||
           std::is_same_v<U, Uuid>;
  else
    return true;
}();
}  // namespace detail

namespace op {
/// CAST to T's SQL type. A Decimal is cast to an unconstrained NUMERIC (precision 0: the
/// dialect writes NUMERIC, or the widest DECIMAL on MariaDB), so that no digit is cut, where
/// Numeric{}'s NUMERIC(18, 0) would round to an integer.
template <class T>
struct cast_to {
  static Expr build(std::vector<Expr> a) {
    if constexpr (std::is_same_v<T, Decimal>) return athanor::cast(a[0], Numeric{0, 0});
    else return athanor::cast(a[0], column_traits<T>::sql_type());
  }
};
}  // namespace op

/// `CAST(e AS <T's SQL type>)`, typed T (std::optional<T> when e is optional). The SQL type is
/// the dialect's CAST target for it (MariaDB: SIGNED, DOUBLE, CHAR, DECIMAL(65,30)…; SQLite:
/// the type whose affinity holds the value, dates and times as TEXT).
/// **Example**: `select(orm::cast<double>(c<&Post::votes>) / orm::cast<double>(count()))`
template <class T, class E>
auto cast(const E& e) {
  constexpr bool expr = TypedExpr<E>;
  static_assert(expr, "athanor: cast<T>(e) casts a typed expression (orm::cast<double>(c<&M::n>)); a value is orm::literal(v)");
  constexpr bool mapped = detail::has_sql_type<T>;
  static_assert(!expr || mapped, "athanor: cast<T>() needs a C++ type with a SQL type (int, double, std::string, Decimal, "
                                 "Date…, or one given a column_traits<T>)");
  if constexpr (expr && mapped) {
    using U = detail::strip_optional_t<T>;
    using R = std::conditional_t<is_nullable_v<typename E::value_type> || is_nullable_v<T>, std::optional<U>, U>;
    return Node<op::cast_to<U>, R, E>{{}, {e}};
  }
}

/// A value as a typed column: bound, of its own C++ type (string literals are std::string).
/// In a select list it reads back as that type on every backend (PostgreSQL: CAST).
/// **Example**: `select(orm::literal("Canada"), c<&Customer::name>)` (to tag the halves of a UNION)
template <class V>
auto literal(V&& v) {
  using T = detail::literal_t<V>;
  constexpr bool ok = !TypedExpr<std::remove_cvref_t<V>> && !is_nullable_v<T> && detail::has_sql_type<T>;
  static_assert(ok, "athanor: literal(v) takes a value of a type with a SQL type (a number, a string, a Decimal, a Date…)");
  if constexpr (ok) return Val<T>(T(std::forward<V>(v)));
}

}  // namespace athanor::orm
