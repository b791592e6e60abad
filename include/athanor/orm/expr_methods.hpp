// athanor/orm/expr_methods.hpp — what a typed expression can do as a member (`Methods`):
// like/contains/in_/between/is_null/ordering. Its operators are in operators.hpp, the
// aggregate functions in aggregates.hpp, Core fragments in core_expr.hpp (included at its
// end). Decimal (NUMERIC) is a number beside the arithmetic types, kept exact.
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
  auto is_null() const { return Node<op::is_null<false>, bool, D>{{}, {self()}}; }
  /// `IS NOT NULL`.
  auto is_not_null() const { return Node<op::is_null<true>, bool, D>{{}, {self()}}; }
  /// `BETWEEN low AND high` (both included); the bounds have the expression's type.
  template <class A, class B>
  auto between(A&& low, B&& high) const {
    constexpr bool ok = detail::can_compare<T, A> && detail::can_compare<T, B>;
    static_assert(ok, "athanor: between() bounds must have the column's type (c<&M::age>.between(18, 30))");
    if constexpr (ok) {
      return Node<op::between, bool, D, decltype(operand<T>(std::forward<A>(low))), decltype(operand<T>(std::forward<B>(high)))>{{}, {{
          {self()}, {operand<T>(std::forward<A>(low))}, {operand<T>(std::forward<B>(high))}}}};
    }
  }
  /// Ascending, as an ORDER BY term: `order_by(c<&User::name>.asc())`.
  auto asc() const { return Node<op::order<0>, T, D>{{}, {self()}}; }
  auto desc() const { return Node<op::order<1>, T, D>{{}, {self()}}; }  ///< Descending.
  /// Ascending, NULLs first (emulated where the server has no NULLS FIRST: MariaDB).
  auto asc_nulls_first() const { return Node<op::order<2>, T, D>{{}, {self()}}; }
  auto asc_nulls_last() const { return Node<op::order<4>, T, D>{{}, {self()}}; }  ///< Ascending, NULLs last.
  auto desc_nulls_first() const { return Node<op::order<3>, T, D>{{}, {self()}}; }  ///< Descending, NULLs first.
  auto desc_nulls_last() const { return Node<op::order<5>, T, D>{{}, {self()}}; }  ///< Descending, NULLs last.
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
        return Node<op::like<Flags | 8>, bool, D, decltype(p)>{{}, {{{self()}, {std::move(p)}}}};
      } else {
        return Node<op::like<Flags>, bool, D, decltype(p), Val<std::string>>{{}, {{{self()}, {std::move(p)},
                                                                           {Val<std::string>(std::string(1, escape...))}}}};
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
      return Node<op::like_escaped<Flags>, bool, D, Val<std::string>>{{}, {{{self()}, {Val<std::string>(std::move(p))}}}};
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
    return Node<op::in_array<Not>, bool, D, ValList<E>>{{}, {{{self()}, {std::move(list)}}}};
  }
};

}  // namespace athanor::orm

// After Methods: what the operators, aggregates and Core fragments build on.
#include <athanor/orm/operators.hpp>
#include <athanor/orm/aggregates.hpp>
#include <athanor/orm/core_expr.hpp>
