// athanor/orm/expr_methods.hpp — what typed expressions can do: comparison, logic and
// arithmetic operators, like/contains/in_/between/is_null/ordering/label, and aggregate
// functions. Decimal (NUMERIC) is a number beside the arithmetic types, kept exact.
// Each user-facing entry point checks its preconditions with a named constexpr bool and a
// static_assert that says what is wrong and how to fix it (STYLE.md rule 8).
#pragma once

#include <athanor/orm/expr.hpp>

namespace athanor::orm {

template <class E, detail::fixed_string Name>
struct Labelled;

namespace detail {
template <class T>
inline constexpr bool always_false = false;
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
/// The type of `a OP b`: 0 numbers (C++'s own promotion), 1 texts joined, 2 with a Decimal.
template <class A, class B, int Kind>
struct arith_result { using type = decltype(strip_optional_t<A>{} + strip_optional_t<B>{}); };
template <class A, class B>
struct arith_result<A, B, 1> { using type = std::string; };
template <class A, class B>
struct arith_result<A, B, 2> { using type = Decimal; };
/// Builds the escaped pattern of contains()/startswith()/endswith(): `s` as literal text, its
/// `%`, `_` and the escape character itself preceded by the escape character.
inline std::string escaped_pattern(std::string_view s, bool lead, bool trail) {
  std::string p = lead ? "%" : "";
  for (char ch : s) {
    if (ch == '%' || ch == '_' || ch == '/') p += '/';
    p += ch;
  }
  if (trail) p += '%';
  return p;
}
}  // namespace detail

/// The methods every typed expression has.
template <class D, class T>
struct Methods : detail::typed_tag {
  /// `LIKE pattern`: `%` matches any text, `_` one character. Without an escape character,
  /// `\` escapes `%`, `_` and itself on every backend (PostgreSQL's and MariaDB's default;
  /// SQLite is given `ESCAPE '\'`); with one (`like("100!%", '!')`) that character does,
  /// and `\` is an ordinary one. The pattern is a text value (bound) or a text expression.
  /// For user input matched as text, use contains()/startswith()/endswith().
  /// **Example**: `c<&Item::code>.like("A!_%", '!')` (codes starting with "A_")
  template <class P, class... Esc>
  auto like(P&& pattern, Esc... escape) const { return like_<0>(std::forward<P>(pattern), escape...); }
  /// NOT LIKE: the negation of like().
  template <class P, class... Esc>
  auto not_like(P&& pattern, Esc... escape) const { return like_<4>(std::forward<P>(pattern), escape...); }
  /// Case-insensitive LIKE (ILIKE on PostgreSQL, lower() LIKE lower() elsewhere).
  template <class P, class... Esc>
  auto ilike(P&& pattern, Esc... escape) const { return like_<2>(std::forward<P>(pattern), escape...); }
  /// NOT ILIKE: the negation of ilike().
  template <class P, class... Esc>
  auto not_ilike(P&& pattern, Esc... escape) const { return like_<6>(std::forward<P>(pattern), escape...); }
  /// Whether the text contains `s`, matched as literal text: its `%` and `_` match
  /// themselves (SQLAlchemy's `autoescape=True`, here always on: user input must not turn
  /// into a pattern). Written `LIKE '%' … '%' ESCAPE '/'` with `s` escaped and bound.
  /// **Example**: `c<&Item::name>.contains(user_input)`
  template <class S>
  auto contains(S&& s) const { return match_<0, true, true>(std::forward<S>(s)); }
  /// Whether the text starts with `s`, matched as literal text as in contains().
  template <class S>
  auto startswith(S&& s) const { return match_<0, false, true>(std::forward<S>(s)); }
  /// Whether the text ends with `s`, matched as literal text as in contains().
  template <class S>
  auto endswith(S&& s) const { return match_<0, true, false>(std::forward<S>(s)); }
  /// Case-insensitive contains()/startswith()/endswith().
  template <class S>
  auto icontains(S&& s) const { return match_<2, true, true>(std::forward<S>(s)); }
  /// Case-insensitive startswith().
  template <class S>
  auto istartswith(S&& s) const { return match_<2, false, true>(std::forward<S>(s)); }
  /// Case-insensitive endswith().
  template <class S>
  auto iendswith(S&& s) const { return match_<2, true, false>(std::forward<S>(s)); }
  /// This expression under a name: `AS name` in the select list; ORDER BY / GROUP BY name it.
  /// **Example**: `auto n = count().label<"n">(); select(c<&Post::user_id>, n).group_by(c<&Post::user_id>).order_by(n.desc())`
  template <detail::fixed_string Name>
  auto label() const {
    constexpr bool named = !Name.view().empty();
    static_assert(named, "athanor: label<\"name\">() needs a non-empty name");
    if constexpr (named) return Labelled<D, Name>(self());
  }
  /// `.label("n")`, SQLAlchemy's spelling: the name must be part of the type here.
  template <class S>
  void label(S&&) const {
    static_assert(detail::always_false<S>,
                  "athanor: a label's name is a template argument: expr.label<\"n\">(), not expr.label(\"n\")");
  }
  /// `IN (…)` over a list bound as one parameter, whatever its length; an empty list matches nothing.
  template <class U>
  auto in_(std::vector<U> values) const { return in_<false>(std::move(values)); }
  /// `NOT IN (…)`: the negation of in_() over a list.
  template <class U>
  auto not_in(std::vector<U> values) const { return in_<true>(std::move(values)); }
  /// `IN (SELECT …)` over a typed select of one column: `c<&User::id>.in_(select(c<&Post::user_id>))`.
  template <class R, class C, class F, class... K>
  auto in_(const TypedSelect<R, C, F, K...>& sub) const { return in_select_<false>(sub); }
  /// `NOT IN (SELECT …)` over a typed select of one column.
  template <class R, class C, class F, class... K>
  auto not_in(const TypedSelect<R, C, F, K...>& sub) const { return in_select_<true>(sub); }
  /// `IN (SELECT … UNION …)` over a typed compound of one column (compound.hpp).
  template <class S>
    requires requires { typename S::compound_tag; }
  auto in_(const S& sub) const { return in_select_<false>(sub); }
  /// `NOT IN (SELECT … UNION …)` over a typed compound of one column.
  template <class S>
    requires requires { typename S::compound_tag; }
  auto not_in(const S& sub) const { return in_select_<true>(sub); }
  /// `IS NULL`.
  auto is_null() const { return Node<op::is_null<false>, bool, D>(self()); }
  /// `IS NOT NULL`.
  auto is_not_null() const { return Node<op::is_null<true>, bool, D>(self()); }
  /// `BETWEEN low AND high` (both included); the bounds have the expression's type.
  template <class A, class B>
  auto between(A&& low, B&& high) const {
    constexpr bool ok = detail::can_compare<T, A> && detail::can_compare<T, B>;
    static_assert(ok, "athanor: between() bounds must have the column's type (c<&M::age>.between(18, 30))");
    if constexpr (ok) {
      return Node<op::between, bool, D, decltype(operand<T>(std::forward<A>(low))), decltype(operand<T>(std::forward<B>(high)))>(
          self(), operand<T>(std::forward<A>(low)), operand<T>(std::forward<B>(high)));
    }
  }
  /// Ascending, as an ORDER BY term: `order_by(c<&User::name>.asc())`.
  auto asc() const { return Node<op::order<0>, T, D>(self()); }
  auto desc() const { return Node<op::order<1>, T, D>(self()); }  ///< Descending.
  /// Ascending, NULLs first (emulated where the server has no NULLS FIRST: MariaDB).
  auto asc_nulls_first() const { return Node<op::order<2>, T, D>(self()); }
  auto asc_nulls_last() const { return Node<op::order<4>, T, D>(self()); }  ///< Ascending, NULLs last.
  auto desc_nulls_first() const { return Node<op::order<3>, T, D>(self()); }  ///< Descending, NULLs first.
  auto desc_nulls_last() const { return Node<op::order<5>, T, D>(self()); }  ///< Descending, NULLs last.
  /// `… OVER (…)` of an aggregate (orm/window.hpp): `sum(c<&Sale::amount>).over(orm::order_by(c<&Sale::day>))`.
  template <class... W>
  auto over(W... w) const;

 private:
  const D& self() const { return static_cast<const D&>(*this); }
  template <int Flags, class P, class... Esc>
  auto like_(P&& pattern, Esc... escape) const {
    constexpr bool text = detail::is_text<T>;
    static_assert(text, "athanor: like()/ilike() apply to text columns only");
    constexpr bool ok = !text || (detail::is_text<detail::operand_t<P>> && sizeof...(Esc) <= 1 && (std::is_same_v<Esc, char> && ...));
    static_assert(ok, "athanor: like(pattern, escape) takes a text pattern and at most one escape character "
                      "(c<&M::name>.like(\"100!%\", '!'))");
    if constexpr (text && ok) {
      auto p = operand<std::string>(std::forward<P>(pattern));
      if constexpr (sizeof...(Esc) == 0) {
        return Node<op::like<Flags | 8>, bool, D, decltype(p)>(self(), std::move(p));
      } else {
        return Node<op::like<Flags>, bool, D, decltype(p), Val<std::string>>(self(), std::move(p),
                                                                           Val<std::string>(std::string(1, escape...)));
      }
    }
  }
  template <int Flags, bool Lead, bool Trail, class S>
  auto match_(S&& s) const {
    constexpr bool text = detail::is_text<T>;
    static_assert(text, "athanor: contains()/startswith()/endswith() apply to text columns only");
    constexpr bool ok = !text || (!TypedExpr<std::remove_cvref_t<S>> && detail::is_text<std::decay_t<S>>);
    static_assert(ok, "athanor: contains()/startswith()/endswith() take a text value, matched as literal text "
                      "(c<&M::name>.contains(user_input)); use like() for a pattern");
    if constexpr (text && ok) {
      auto p = detail::escaped_pattern(std::string_view(s), Lead, Trail);
      return Node<op::like_escaped<Flags>, bool, D, Val<std::string>>(self(), Val<std::string>(std::move(p)));
    }
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
    // A Decimal column keeps a list of integers as integers (no Decimal(int)), and the reverse.
    using E = std::conditional_t<detail::is_decimal<T> != detail::is_decimal<U>, detail::strip_optional_t<U>, detail::strip_optional_t<T>>;
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
    constexpr bool dec = detail::is_decimal<detail::operand_t<L>> || detail::is_decimal<detail::operand_t<R>>; \
    static_assert(ok || dec,                                                                                  \
                  "athanor: cannot compare values of these two types (a column of int with a std::string?); " \
                  "compare a column with a value or column of its own type, or use is_null() for NULL");      \
    static_assert(ok || !dec,                                                                                 \
                  "athanor: cannot compare a Decimal with this type; compare it with a Decimal "              \
                  "(c<&Item::price> > Decimal{\"9.99\"}) or an integer (a double is inexact, text no number)"); \
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

/// `NOT e` of a condition.
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
    constexpr bool ok = text || (detail::is_numeric<A> && detail::is_numeric<B>);                             \
    static_assert(ok, "athanor: arithmetic needs numbers on both sides (+ also joins two texts)");            \
    constexpr bool dec = !text && (detail::is_decimal<A> || detail::is_decimal<B>);                           \
    constexpr bool exact = !ok || !dec || (!std::is_floating_point_v<detail::strip_optional_t<A>> &&          \
                                           !std::is_floating_point_v<detail::strip_optional_t<B>> && SQL[0] != '%'); \
    static_assert(exact, "athanor: Decimal arithmetic (+ - * /) takes Decimals and integers "                 \
                         "(c<&Item::price> * 2, c<&Item::price> * Decimal{\"1.10\"}); a double would make it inexact"); \
    if constexpr (ok && exact) {                                                                              \
      using T = typename detail::arith_result<A, B, text ? 1 : dec ? 2 : 0>::type;                            \
      auto ll = operand<A>(std::forward<L>(l));                                                               \
      auto rr = operand<B>(std::forward<R>(r));                                                               \
      using K = std::conditional_t<text, op::concat, std::conditional_t<dec && SQL[0] == '/', op::decimal_divide, op::arith<SQL>>>; \
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
/// `count(DISTINCT expr)`.
template <TypedExpr E>
auto count_distinct(const E& e) { return Node<fn::call<fn::count, 2>, std::int64_t, E>(e); }
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
  if constexpr (ok) return Node<fn::call<fn::sum>, std::optional<R>, E>(e);
}
/// avg() is a double, or a Decimal for a Decimal (NUMERIC on PostgreSQL and MariaDB; SQLite
/// averages doubles, read back through 15 significant digits).
template <TypedExpr E>
auto avg(const E& e) {
  constexpr bool ok = detail::is_numeric<detail::value_t<E>>;
  static_assert(ok, "athanor: avg() averages numbers (integers, doubles or Decimals)");
  using R = std::conditional_t<detail::is_decimal<detail::value_t<E>>, Decimal, double>;
  if constexpr (ok) return Node<fn::call<fn::avg>, std::optional<R>, E>(e);
}
/// `min(expr)`: std::optional, NULL over no rows.
template <TypedExpr E>
auto min(const E& e) { return Node<fn::call<fn::min>, std::optional<detail::strip_optional_t<detail::value_t<E>>>, E>(e); }
/// `max(expr)`: std::optional, NULL over no rows.
template <TypedExpr E>
auto max(const E& e) { return Node<fn::call<fn::max>, std::optional<detail::strip_optional_t<detail::value_t<E>>>, E>(e); }
/// `lower(text)`.
template <TypedExpr E>
auto lower(const E& e) {
  static_assert(detail::is_text<detail::value_t<E>>, "athanor: lower() applies to text");
  return Node<fn::call<fn::lower>, detail::value_t<E>, E>(e);
}
/// `upper(text)`.
template <TypedExpr E>
auto upper(const E& e) {
  static_assert(detail::is_text<detail::value_t<E>>, "athanor: upper() applies to text");
  return Node<fn::call<fn::upper>, detail::value_t<E>, E>(e);
}
/// `length(text)`: characters, on every backend (CHAR_LENGTH on MariaDB), as std::int64_t.
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
