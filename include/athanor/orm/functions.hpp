// athanor/orm/functions.hpp — typed SQL functions of the ORM DSL: round, abs, ceil, floor, mod,
// nullif, greatest, least (numbers); substr, trim, ltrim, rtrim, replace, concat (text);
// extract and year…second, current_date, now (dates); func<R>(name, …) for any other
// function. Each gives the same answer on every backend (Core's functions.hpp and
// Dialect::portable_function spell them); a function of an optional argument is optional.
// (count, sum, avg, min, max, lower, upper, length and coalesce are in aggregates.hpp.)
#pragma once

#include <string>       // std::string
#include <string_view>  // std::string_view

#include <athanor/orm/expr.hpp>

namespace athanor::orm {

namespace detail {
/// T, or std::optional<T> when any argument may be NULL (a function of NULL is NULL).
template <class... As>
inline constexpr bool any_nullable = (is_nullable_v<std::remove_cvref_t<As>> || ...);
template <class T, class... As>
using maybe_optional = std::conditional_t<any_nullable<As...>, std::optional<T>, T>;
template <class T>
inline constexpr bool is_integer = std::is_integral_v<strip_optional_t<T>> && !is_bool<T>;
template <class T, class U>
inline constexpr bool is_same_stripped = std::is_same_v<strip_optional_t<T>, U>;
template <class T>
inline constexpr bool is_dated = is_same_stripped<T, Date> || is_same_stripped<T, DateTime>;
template <class T>
inline constexpr bool is_timed = is_same_stripped<T, DateTime> || is_same_stripped<T, Time>;
/// Arguments that are alike for greatest()/least(): numbers, or one date/time type.
template <class A, class B>
inline constexpr bool orderable_together =
    (is_number<A> && is_number<B>) || (std::is_same_v<strip_optional_t<A>, strip_optional_t<B>> &&
                                       (is_dated<A> || is_same_stripped<A, Time>));

/// A plain value is bound as T (text as std::string); a typed expression passes through.
template <class T, class V>
auto fn_operand(V&& v) {
  if constexpr (TypedExpr<std::remove_cvref_t<V>>) return std::forward<V>(v);
  else if constexpr (std::is_convertible_v<V, std::string_view>) return Val<std::string>(std::string(std::string_view(v)));
  else return operand<T>(std::forward<V>(v));
}

/// A whole-number argument given as a value, checked when bound (each execution): `Rule::check`
/// throws ArgumentError for values the servers would read differently (digits < 0, start < 1).
template <class Rule, class = void>
struct CheckedInt : typed_tag {
  using value_type = std::int64_t;
  using models = boost::mp11::mp_list<>;
  static constexpr bool cacheable = true;
  std::int64_t v;
  Expr to_core(Builder& b) const { return Rule::check(v), b.bind(Value(v)); }
  void collect(Collected& out) const { Rule::check(v), out.push_back(Value(v)); }
};
template <class Rule, class V>
auto checked(V&& v) {
  if constexpr (TypedExpr<std::remove_cvref_t<V>>) return std::forward<V>(v);
  else return CheckedInt<Rule>{{}, static_cast<std::int64_t>(v)};
}
template <const char* What, int Min>
struct at_least {
  static void check(std::int64_t v) {
    if (v < Min) throw ArgumentError(std::string("[athanor.argument.function] ") + What + " " + std::to_string(Min) + " or more, not " + std::to_string(v));
  }
};
inline constexpr char digits_rule[] = "round() takes digits", start_rule[] = "substr() starts at",
                      length_rule[] = "substr() takes a length of";
}  // namespace detail

namespace fn {
/// One of Core's portable functions (Dialect::portable_function), typed as its first argument.
template <const char* Name>
struct portable {
  static Expr build(std::vector<Expr> a) {
    SqlType t = a.empty() ? SqlType{} : a[0].type();
    return athanor::detail::portable(Name, std::move(t), std::move(a));
  }
};
template <const char* Name>
struct text_fn {
  static Expr build(std::vector<Expr> a) { return typed_func(Name, SqlType{TypeKind::string}, std::move(a)); }
};
struct substr {
  static Expr build(std::vector<Expr> a) { return athanor::detail::portable("substr", SqlType{TypeKind::string}, std::move(a)); }
};
struct concat {
  static Expr build(std::vector<Expr> a) {
    Expr out = a[0];
    for (std::size_t i = 1; i < a.size(); ++i) out = athanor::concat(out, a[i]);
    return out;
  }
};
template <detail::fixed_string Field>
struct extract {
  static Expr build(std::vector<Expr> a) { return athanor::extract(Field.view(), a[0]); }
};
template <detail::fixed_string Name>
struct named {
  static Expr build(std::vector<Expr> a) { return typed_func(std::string(Name.view()), SqlType{}, std::move(a)); }
};
inline constexpr char round[] = "round", abs[] = "abs", ceil[] = "ceil", floor[] = "floor", mod[] = "mod",
                      nullif[] = "nullif", greatest[] = "greatest", least[] = "least", trim[] = "trim",
                      ltrim[] = "ltrim", rtrim[] = "rtrim", replace[] = "replace", current_date[] = "current_date",
                      now[] = "now";
}  // namespace fn

// --- numbers ---

/// Rounds half away from zero (the decimal value of a double, as written with 15 significant
/// digits), on every backend; typed as its argument (of an integer: the integer; of a Decimal:
/// a Decimal, rounded exactly where NUMERIC is exact).
/// **Example**: `orm::round(c<&Item::price>, 2)`
template <class E, class... D>
auto round(const E& e, D... digits) {
  constexpr bool ok = TypedExpr<E> && detail::is_numeric<detail::value_t<E>> && sizeof...(D) <= 1 && (std::is_integral_v<D> && ...);
  static_assert(ok, "athanor: round() takes a number and whole digits >= 0 (orm::round(c<&Item::price>, 2))");
  if constexpr (ok) {
    using Rule = detail::at_least<detail::digits_rule, 0>;
    return Node<fn::portable<fn::round>, detail::value_t<E>, E, detail::CheckedInt<Rule, D>...>{{}, {{{e}, {detail::CheckedInt<Rule, D>{{}, digits}}...}}};
  }
}
/// |e|, typed as e.
template <class E>
auto abs(const E& e) {
  constexpr bool ok = TypedExpr<E> && detail::is_numeric<detail::value_t<E>>;
  static_assert(ok, "athanor: abs() takes a number (orm::abs(c<&Item::delta>))");
  if constexpr (ok) return Node<fn::call<fn::abs>, detail::value_t<E>, E>{{}, {e}};
}
/// The smallest / largest whole number ≥ / ≤ e, typed as e (a double stays a double).
///@{
template <class E>
auto ceil(const E& e) {
  constexpr bool ok = TypedExpr<E> && detail::is_numeric<detail::value_t<E>>;
  static_assert(ok, "athanor: ceil()/floor() take a number (orm::ceil(c<&Item::price>))");
  if constexpr (ok) return Node<fn::portable<fn::ceil>, detail::value_t<E>, E>{{}, {e}};
}
template <class E>
auto floor(const E& e) {
  constexpr bool ok = TypedExpr<E> && detail::is_numeric<detail::value_t<E>>;
  static_assert(ok, "athanor: ceil()/floor() take a number (orm::floor(c<&Item::price>))");
  if constexpr (ok) return Node<fn::portable<fn::floor>, detail::value_t<E>, E>{{}, {e}};
}
///@}
/// The remainder of a / b with the sign of a (C++'s %); NULL when b is 0, on every backend.
template <class A, class B>
auto mod(A&& a, B&& b) {
  using L = detail::operand_t<A>;
  using R = detail::operand_t<B>;
  constexpr bool ok = (TypedExpr<std::remove_cvref_t<A>> || TypedExpr<std::remove_cvref_t<B>>) && detail::is_integer<L> && detail::is_integer<R>;
  static_assert(ok, "athanor: mod() takes two integers (orm::mod(c<&Item::qty>, 3))");
  if constexpr (ok) {
    using T = detail::maybe_optional<decltype(detail::strip_optional_t<L>{} % detail::strip_optional_t<R>{}), L, R>;
    auto l = operand<L>(std::forward<A>(a));
    auto r = operand<R>(std::forward<B>(b));
    return Node<fn::portable<fn::mod>, T, decltype(l), decltype(r)>{{}, {{{std::move(l)}, {std::move(r)}}}};
  }
}
/// NULL when a = b, else a: always optional.
template <class E, class V>
auto nullif(const E& e, V&& v) {
  constexpr bool ok = TypedExpr<E> && detail::can_compare<E, V>;
  static_assert(ok, "athanor: nullif() compares an expression with a value of its type (orm::nullif(c<&Item::qty>, 0))");
  if constexpr (ok) {
    auto r = detail::fn_operand<detail::value_t<E>>(std::forward<V>(v));
    return Node<fn::call<fn::nullif>, std::optional<detail::strip_optional_t<detail::value_t<E>>>, E, decltype(r)>{{}, {{{e}, {std::move(r)}}}};
  }
}

namespace detail {
template <const char* Name, class E, class... V>
auto extreme(const E& e, V&&... v) {
  using T = value_t<E>;
  constexpr bool ok = TypedExpr<E> && (orderable_together<T, operand_t<V>> && ...);
  static_assert(ok, "athanor: greatest()/least() take numbers, or dates or times of one type; NULL if any is NULL "
                    "(orm::greatest(c<&Item::price>, 0.0))");
  if constexpr (ok) {
    using R = maybe_optional<std::common_type_t<strip_optional_t<T>, strip_optional_t<operand_t<V>>...>, T, operand_t<V>...>;
    return Node<fn::portable<Name>, R, E, decltype(operand<T>(std::forward<V>(v)))...>{{}, {{{e}, {operand<T>(std::forward<V>(v))}...}}};
  }
}
}  // namespace detail
/// The largest / smallest argument; NULL when any is NULL, on every backend.
///@{
template <class E, class V, class... W>
auto greatest(const E& e, V&& v, W&&... w) { return detail::extreme<fn::greatest>(e, std::forward<V>(v), std::forward<W>(w)...); }
template <class E, class V, class... W>
auto least(const E& e, V&& v, W&&... w) { return detail::extreme<fn::least>(e, std::forward<V>(v), std::forward<W>(w)...); }
///@}

// --- text ---

/// The characters (not bytes) from `start` (1-based, ≥ 1) to the end, or `length` (≥ 0) of them.
/// **Example**: `orm::substr(c<&User::name>, 1, 3)`
template <class E, class S, class... L>
auto substr(const E& e, S&& start, L&&... length) {
  constexpr bool ok = TypedExpr<E> && detail::is_text<detail::value_t<E>> && detail::is_integer<detail::operand_t<S>> &&
                      sizeof...(L) <= 1 && (detail::is_integer<detail::operand_t<L>> && ...);
  static_assert(ok, "athanor: substr() takes text, an integer start (1 is the first character) and an optional length "
                    "(orm::substr(c<&User::name>, 1, 3))");
  if constexpr (ok) {
    using T = detail::maybe_optional<std::string, detail::value_t<E>, detail::operand_t<S>, detail::operand_t<L>...>;
    auto s = detail::checked<detail::at_least<detail::start_rule, 1>>(std::forward<S>(start));
    return Node<fn::substr, T, E, decltype(s), decltype(detail::checked<detail::at_least<detail::length_rule, 0>>(std::forward<L>(length)))...>{{}, {{
        {e}, {std::move(s)}, {detail::checked<detail::at_least<detail::length_rule, 0>>(std::forward<L>(length))}...}}};
  }
}
namespace detail {
template <const char* Name, class E>
auto trimmed(const E& e) {
  constexpr bool ok = TypedExpr<E> && is_text<value_t<E>>;
  static_assert(ok, "athanor: trim()/ltrim()/rtrim() apply to text (orm::trim(c<&User::name>))");
  if constexpr (ok) return Node<fn::text_fn<Name>, maybe_optional<std::string, value_t<E>>, E>{{}, {e}};
}
}  // namespace detail
/// Without leading and trailing (ltrim: leading, rtrim: trailing) spaces; tabs and newlines stay.
///@{
template <class E>
auto trim(const E& e) { return detail::trimmed<fn::trim>(e); }
template <class E>
auto ltrim(const E& e) { return detail::trimmed<fn::ltrim>(e); }
template <class E>
auto rtrim(const E& e) { return detail::trimmed<fn::rtrim>(e); }
///@}
/// Every occurrence of `from` replaced by `to` (case-sensitive on every backend).
template <class E, class F, class T>
auto replace(const E& e, F&& from, T&& to) {
  constexpr bool ok = TypedExpr<E> && detail::is_text<detail::value_t<E>> && detail::is_text<detail::operand_t<F>> &&
                      detail::is_text<detail::operand_t<T>>;
  static_assert(ok, "athanor: replace() takes three texts (orm::replace(c<&User::name>, \"-\", \" \"))");
  if constexpr (ok) {
    auto f = detail::fn_operand<std::string>(std::forward<F>(from));
    auto t = detail::fn_operand<std::string>(std::forward<T>(to));
    using R = detail::maybe_optional<std::string, detail::value_t<E>, detail::operand_t<F>, detail::operand_t<T>>;
    return Node<fn::text_fn<fn::replace>, R, E, decltype(f), decltype(t)>{{}, {{{e}, {std::move(f)}, {std::move(t)}}}};
  }
}
/// The texts joined; NULL when any is NULL (SQL's ||, CONCAT on MySQL), on every backend.
/// **Example**: `orm::concat(c<&User::first>, " ", c<&User::last>)`
template <class A, class B, class... C>
auto concat(A&& a, B&& b, C&&... c) {
  constexpr bool ok = detail::is_text<detail::operand_t<A>> && detail::is_text<detail::operand_t<B>> && (detail::is_text<detail::operand_t<C>> && ...);
  static_assert(ok, "athanor: concat() joins texts (orm::concat(c<&User::first>, \" \", c<&User::last>))");
  if constexpr (ok) {
    using R = detail::maybe_optional<std::string, detail::operand_t<A>, detail::operand_t<B>, detail::operand_t<C>...>;
    return Node<fn::concat, R, decltype(detail::fn_operand<std::string>(std::forward<A>(a))), decltype(detail::fn_operand<std::string>(std::forward<B>(b))),
                decltype(detail::fn_operand<std::string>(std::forward<C>(c)))...>{{}, {{
        {detail::fn_operand<std::string>(std::forward<A>(a))}, {detail::fn_operand<std::string>(std::forward<B>(b))},
        {detail::fn_operand<std::string>(std::forward<C>(c))}...}}};
  }
}

// --- dates ---

/// A field of a Date / DateTime (year, month, day, dow: 0 = Sunday, doy, quarter, week: ISO
/// 8601) or of a DateTime / Time (hour, minute, second: whole), as std::int64_t, the same on
/// every backend; DateTimes are read in UTC.  **Example**: `orm::extract<"quarter">(c<&Order::placed>)`
template <detail::fixed_string Field, class E>
auto extract(const E& e) {
  constexpr std::string_view f = Field.view();
  constexpr bool known = athanor::detail::is_extract_field(f);
  static_assert(known, "athanor: extract<\"…\">() fields are year, month, day, hour, minute, second, dow, doy, quarter, week");
  constexpr bool timed = f == "hour" || f == "minute" || f == "second";
  constexpr bool ok = TypedExpr<E> && (timed ? detail::is_timed<detail::value_t<E>> : detail::is_dated<detail::value_t<E>>);
  static_assert(!known || ok, "athanor: extract() takes a Date or DateTime (year, month, day, dow, doy, quarter, week) "
                              "or a DateTime or Time (hour, minute, second) (orm::year(c<&Order::placed>))");
  if constexpr (known && ok) return Node<fn::extract<Field>, detail::maybe_optional<std::int64_t, detail::value_t<E>>, E>{{}, {e}};
}
/// extract<"year">(e) … extract<"second">(e): std::int64_t, std::optional for an optional e.
///@{
template <class E>
auto year(const E& e) { return extract<"year">(e); }
template <class E>
auto month(const E& e) { return extract<"month">(e); }
template <class E>
auto day(const E& e) { return extract<"day">(e); }
template <class E>
auto hour(const E& e) { return extract<"hour">(e); }
template <class E>
auto minute(const E& e) { return extract<"minute">(e); }
template <class E>
auto second(const E& e) { return extract<"second">(e); }
///@}

/// Today in UTC, typed Date.
inline auto current_date() { return Node<fn::portable<fn::current_date>, Date>{}; }
/// The current instant (UTC), typed DateTime; PostgreSQL: the transaction's start.
inline auto now() { return Node<fn::call<fn::now>, DateTime>{}; }
inline auto current_timestamp() { return now(); }  ///< now(), SQL's other name for it

// --- any other function ---

/// A SQL function by name, its result type R stated by the caller; arguments are typed
/// expressions or values (bound). The name is part of the type: compiled once.
/// **Example**: `orm::func<double, "julianday">(c<&Event::at>)`
template <class R, detail::fixed_string Name, class... A>
auto func(A&&... args) {
  return Node<fn::named<Name>, R, decltype(detail::fn_operand<std::decay_t<A>>(std::forward<A>(args)))...>{{}, {
      detail::fn_operand<std::decay_t<A>>(std::forward<A>(args))...}};
}

/// A function named at run time (see func<R>(name, …)).
template <class R, class... A>
struct NamedFunc : Methods<NamedFunc<R, A...>, R> {
  /// The TypedExpr protocol (`name`: the function name, `args`: the arguments).
  ///@{
  using value_type = R;
  using models = boost::mp11::mp_fold<boost::mp11::mp_list<typename A::models...>, boost::mp11::mp_list<>, detail::merge>;
  static constexpr bool cacheable = false;  // the name is not in the type
  std::string name;
  detail::Pack<A...> args;
  NamedFunc(std::string n, A... a) : name(std::move(n)), args{std::move(a)...} {}
  Expr to_core(detail::Builder& b) const {
    return args.apply([&](const auto&... a) { return typed_func(name, SqlType{}, {a.to_core(b)...}); });
  }
  void collect(detail::Collected& out) const {
    args.apply([&](const auto&... a) { (a.collect(out), ...); });
  }
  ///@}
};
namespace detail {
template <class R, class... A>
inline constexpr bool has_window<NamedFunc<R, A...>> = (has_window<A> || ...);
}  // namespace detail
/// The same with the name given at run time: `orm::func<double>("julianday", c<&Event::at>)`.
/// Its SQL is not in its type, so a statement holding it is compiled at each execution.
template <class R, class... A>
auto func(std::string name, A&&... args) {
  return NamedFunc<R, decltype(detail::fn_operand<std::decay_t<A>>(std::forward<A>(args)))...>(
      std::move(name), detail::fn_operand<std::decay_t<A>>(std::forward<A>(args))...);
}

}  // namespace athanor::orm
