// athanor/orm/expr_methods.hpp — what typed expressions can do: comparison, logic and
// arithmetic operators, like/in_/between/is_null/ordering, and aggregate functions.
// Each user-facing entry point checks its preconditions with a named constexpr bool and a
// static_assert that says what is wrong and how to fix it (STYLE.md rule 8).
#pragma once

#include <athanor/orm/expr.hpp>

namespace athanor::orm {

namespace detail {
template <class T>
using value_t = typename std::remove_cvref_t<T>::value_type;
/// The C++ type an operand has: its value_type for expressions, itself for values.
template <class V>
struct operand_type { using type = std::decay_t<V>; };
template <TypedExpr V>
struct operand_type<V> { using type = typename V::value_type; };
template <class V>
using operand_t = typename operand_type<std::remove_cvref_t<V>>::type;

template <class L, class R>
inline constexpr bool can_compare = comparable_with<operand_t<L>, operand_t<R>>;
template <class T>
inline constexpr bool is_text = std::is_convertible_v<strip_optional_t<T>, std::string_view> ||
                                std::is_same_v<strip_optional_t<T>, std::string>;
template <class T>
inline constexpr bool is_number = std::is_arithmetic_v<strip_optional_t<T>> && !std::is_same_v<strip_optional_t<T>, bool>;
template <class T>
inline constexpr bool is_bool = std::is_same_v<strip_optional_t<T>, bool>;
template <class R, class T>
inline constexpr bool one_column_of = false;
template <class X, class T>
inline constexpr bool one_column_of<std::tuple<X>, T> = comparable_with<T, X>;
template <class A, class B, bool Text>
struct arith_result { using type = std::string; };
template <class A, class B>
struct arith_result<A, B, false> { using type = decltype(strip_optional_t<A>{} + strip_optional_t<B>{}); };
}  // namespace detail

/// The methods every typed expression has.
template <class D, class T>
struct Methods : detail::typed_tag {
  /// `LIKE pattern [ESCAPE e]` on a text expression.
  auto like(std::string pattern) const { return like_<0>(std::move(pattern)); }
  auto not_like(std::string pattern) const { return like_<4>(std::move(pattern)); }
  /// Case-insensitive LIKE.
  auto ilike(std::string pattern) const { return like_<2>(std::move(pattern)); }
  /// `IN (…)` over a list bound as one parameter, whatever its length; an empty list matches nothing.
  template <class U>
  auto in_(std::vector<U> values) const { return in_<false>(std::move(values)); }
  template <class U>
  auto not_in(std::vector<U> values) const { return in_<true>(std::move(values)); }
  /// `IN (SELECT …)` over a typed select of one column: `c<&User::id>.in_(select(c<&Post::user_id>))`.
  template <class R, class C, class F, class... K>
  auto in_(const TypedSelect<R, C, F, K...>& sub) const { return in_select_<false>(sub); }
  template <class R, class C, class F, class... K>
  auto not_in(const TypedSelect<R, C, F, K...>& sub) const { return in_select_<true>(sub); }
  auto is_null() const { return Node<op::is_null<false>, bool, D>(self()); }
  auto is_not_null() const { return Node<op::is_null<true>, bool, D>(self()); }
  template <class A, class B>
  auto between(A&& low, B&& high) const {
    constexpr bool ok = detail::can_compare<T, A> && detail::can_compare<T, B>;
    static_assert(ok, "athanor: between() bounds must have the column's type (c<&M::age>.between(18, 30))");
    if constexpr (ok) {
      return Node<op::between, bool, D, decltype(operand<T>(std::forward<A>(low))), decltype(operand<T>(std::forward<B>(high)))>(
          self(), operand<T>(std::forward<A>(low)), operand<T>(std::forward<B>(high)));
    }
  }
  auto asc() const { return Node<op::order<0>, T, D>(self()); }
  auto desc() const { return Node<op::order<1>, T, D>(self()); }
  auto asc_nulls_first() const { return Node<op::order<2>, T, D>(self()); }
  auto asc_nulls_last() const { return Node<op::order<4>, T, D>(self()); }
  auto desc_nulls_first() const { return Node<op::order<3>, T, D>(self()); }
  auto desc_nulls_last() const { return Node<op::order<5>, T, D>(self()); }
  /// `… OVER (…)` of an aggregate (orm/window.hpp): `sum(c<&Sale::amount>).over(orm::order_by(c<&Sale::day>))`.
  template <class... W>
  auto over(W... w) const;

 private:
  const D& self() const { return static_cast<const D&>(*this); }
  template <int Flags>
  auto like_(std::string pattern) const {
    static_assert(detail::is_text<T>, "athanor: like()/ilike() apply to text columns only");
    return Node<op::like<Flags>, bool, D, Val<std::string>>(self(), Val<std::string>(std::move(pattern)));
  }
  template <bool Not, class S>
  auto in_select_(const S& sub) const {
    constexpr bool ok = detail::one_column_of<typename S::result_type, T>;
    static_assert(ok, "athanor: in_(select) takes a select of one column of the compared column's type "
                      "(c<&User::id>.in_(select(c<&Post::user_id>)))");
    if constexpr (ok) return InSelect<D, S, Not>(self(), sub);
  }
  template <bool Not, class U>
  auto in_(std::vector<U> values) const {
    constexpr bool ok = comparable_with<T, U>;
    static_assert(ok, "athanor: in_() takes a std::vector of the column's type (c<&User::id>.in_(std::vector<int>{1, 2}))");
    using E = detail::strip_optional_t<T>;
    ValList<E> list;
    for (auto& v : values) list.v.push_back(E(std::move(v)));
    return Node<op::in_array<Not>, bool, D, ValList<E>>(self(), std::move(list));
  }
};

#define ATHANOR_ORM_COMPARE(OP, SQL)                                                                          \
  template <class L, class R>                                                                                 \
    requires(TypedExpr<std::remove_cvref_t<L>> || TypedExpr<std::remove_cvref_t<R>>)                         \
  auto operator OP(L&& l, R&& r) {                                                                            \
    constexpr bool ok = detail::can_compare<L, R>;                                                            \
    static_assert(ok,                                                                                         \
                  "athanor: cannot compare values of these two types (a column of int with a std::string?); " \
                  "compare a column with a value or column of its own type, or use is_null() for NULL");      \
    if constexpr (ok) {                                                                                       \
      if constexpr (TypedExpr<std::remove_cvref_t<L>>) {                                                      \
        using T = detail::value_t<L>;                                                                         \
        auto rr = operand<T>(std::forward<R>(r));                                                             \
        return Node<op::compare<SQL>, bool, std::remove_cvref_t<L>, decltype(rr)>(std::forward<L>(l), std::move(rr)); \
      } else {                                                                                                \
        using T = detail::value_t<R>;                                                                         \
        auto ll = operand<T>(std::forward<L>(l));                                                             \
        return Node<op::compare<SQL>, bool, decltype(ll), std::remove_cvref_t<R>>(std::move(ll), std::forward<R>(r)); \
      }                                                                                                       \
    }                                                                                                         \
  }
ATHANOR_ORM_COMPARE(==, op::eq)
ATHANOR_ORM_COMPARE(!=, op::ne)
ATHANOR_ORM_COMPARE(<, op::lt)
ATHANOR_ORM_COMPARE(<=, op::le)
ATHANOR_ORM_COMPARE(>, op::gt)
ATHANOR_ORM_COMPARE(>=, op::ge)
#undef ATHANOR_ORM_COMPARE

#define ATHANOR_ORM_LOGICAL(OP, SQL)                                                                          \
  template <class L, class R>                                                                                 \
    requires(TypedExpr<std::remove_cvref_t<L>> || TypedExpr<std::remove_cvref_t<R>>)                         \
  auto operator OP(L&& l, R&& r) {                                                                            \
    constexpr bool ok = detail::BoolExpr<std::remove_cvref_t<L>> && detail::BoolExpr<std::remove_cvref_t<R>>; \
    static_assert(ok, "athanor: && and || join conditions (comparisons, like, in_…), not values or columns"); \
    if constexpr (ok) {                                                                                       \
      return Node<op::logical<SQL>, bool, std::remove_cvref_t<L>, std::remove_cvref_t<R>>(std::forward<L>(l), std::forward<R>(r)); \
    }                                                                                                         \
  }
ATHANOR_ORM_LOGICAL(&&, op::and_)
ATHANOR_ORM_LOGICAL(||, op::or_)
#undef ATHANOR_ORM_LOGICAL

template <TypedExpr E>
auto operator!(const E& e) {
  static_assert(detail::BoolExpr<E>, "athanor: ! negates a condition, not a value or column");
  return Node<op::not_, bool, E>(e);
}

#define ATHANOR_ORM_ARITH(OP, SQL)                                                                            \
  template <class L, class R>                                                                                 \
    requires(TypedExpr<std::remove_cvref_t<L>> || TypedExpr<std::remove_cvref_t<R>>)                         \
  auto operator OP(L&& l, R&& r) {                                                                            \
    using A = detail::operand_t<L>;                                                                           \
    using B = detail::operand_t<R>;                                                                           \
    constexpr bool text = SQL[0] == '+' && detail::is_text<A> && detail::is_text<B>;                          \
    constexpr bool ok = text || (detail::is_number<A> && detail::is_number<B>);                               \
    static_assert(ok, "athanor: arithmetic needs numbers on both sides (+ also joins two texts)");            \
    if constexpr (ok) {                                                                                       \
      using T = typename detail::arith_result<A, B, text>::type;                                              \
      auto ll = operand<A>(std::forward<L>(l));                                                               \
      auto rr = operand<B>(std::forward<R>(r));                                                               \
      using K = std::conditional_t<text, op::concat, op::arith<SQL>>;                                         \
      return Node<K, T, decltype(ll), decltype(rr)>(std::move(ll), std::move(rr));                            \
    }                                                                                                         \
  }
ATHANOR_ORM_ARITH(+, op::plus)
ATHANOR_ORM_ARITH(-, op::minus)
ATHANOR_ORM_ARITH(*, op::times)
ATHANOR_ORM_ARITH(/, op::divide)
ATHANOR_ORM_ARITH(%, op::modulo)
#undef ATHANOR_ORM_ARITH

// --- functions ---
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
inline auto count() { return Node<fn::call<fn::count, 1>, std::int64_t>(); }
/// `count(expr)`.
template <TypedExpr E>
auto count(const E& e) { return Node<fn::call<fn::count>, std::int64_t, E>(e); }
template <TypedExpr E>
auto count_distinct(const E& e) { return Node<fn::call<fn::count, 2>, std::int64_t, E>(e); }
/// Aggregates are NULL over no rows, so they read as std::optional.
template <TypedExpr E>
auto sum(const E& e) {
  static_assert(detail::is_number<detail::value_t<E>>, "athanor: sum() adds numbers");
  return Node<fn::call<fn::sum>, std::optional<detail::strip_optional_t<detail::value_t<E>>>, E>(e);
}
template <TypedExpr E>
auto avg(const E& e) {
  static_assert(detail::is_number<detail::value_t<E>>, "athanor: avg() averages numbers");
  return Node<fn::call<fn::avg>, std::optional<double>, E>(e);
}
template <TypedExpr E>
auto min(const E& e) { return Node<fn::call<fn::min>, std::optional<detail::strip_optional_t<detail::value_t<E>>>, E>(e); }
template <TypedExpr E>
auto max(const E& e) { return Node<fn::call<fn::max>, std::optional<detail::strip_optional_t<detail::value_t<E>>>, E>(e); }
template <TypedExpr E>
auto lower(const E& e) {
  static_assert(detail::is_text<detail::value_t<E>>, "athanor: lower() applies to text");
  return Node<fn::call<fn::lower>, detail::value_t<E>, E>(e);
}
template <TypedExpr E>
auto upper(const E& e) {
  static_assert(detail::is_text<detail::value_t<E>>, "athanor: upper() applies to text");
  return Node<fn::call<fn::upper>, detail::value_t<E>, E>(e);
}
template <TypedExpr E>
auto length(const E& e) {
  static_assert(detail::is_text<detail::value_t<E>>, "athanor: length() applies to text");
  return Node<fn::call<fn::length>, std::int64_t, E>(e);
}
/// `coalesce(e, fallback)`: never NULL, so it reads as the plain type.
template <TypedExpr E, class V>
auto coalesce(const E& e, V&& fallback) {
  using T = detail::strip_optional_t<detail::value_t<E>>;
  static_assert(detail::can_compare<E, V>, "athanor: coalesce() fallback must have the expression's type");
  auto f = operand<T>(std::forward<V>(fallback));
  return Node<fn::call<fn::coalesce>, T, E, decltype(f)>(e, std::move(f));
}

/// An escape hatch: any Core expression, typed T by the caller. Statements holding one are
/// compiled per execution (its shape is not in its type).
template <class T>
struct CoreExpr : Methods<CoreExpr<T>, T> {
  using value_type = T;
  using models = boost::mp11::mp_list<>;
  static constexpr bool cacheable = false;
  Expr e;
  Expr to_core(detail::Builder&) const { return e; }
  void collect(detail::Collected&) const {}
};
template <class T>
CoreExpr<T> core_expr(Expr e) { return CoreExpr<T>{{}, std::move(e)}; }

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
