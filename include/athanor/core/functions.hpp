// athanor/core/functions.hpp — SQL functions (`count`, `sum`, `lower`, `now`, `round`,
// `substr`, `extract`…), `case_` and `cast`. Dialects may rename a function (e.g. `length` is
// CHAR_LENGTH on MySQL); the portable ones (round, ceil, floor, mod, greatest, least, substr,
// extract, current_date) are spelt by each dialect so that all backends give one answer.
#pragma once

#include <string_view>  // std::string_view
#include <utility>      // std::pair
#include <vector>       // std::vector

#include <athanor/core/error.hpp>
#include <athanor/core/expression.hpp>

namespace athanor {

namespace detail {
/// Flag of a function node that the dialect spells itself (Dialect::portable_function), so that
/// the same call gives the same answer on every backend. `func("round", …)` stays a plain call.
inline constexpr int portable_function = 1 << 16;
inline Expr portable(std::string name, SqlType type, std::vector<Expr> args) {
  return Expr::make(ExprKind::function, std::move(type), std::move(name), std::move(args), portable_function);
}
/// The fields extract() spells alike on every backend (see Dialect::portable_function).
inline constexpr std::string_view extract_fields[] = {"year", "month", "day", "hour", "minute", "second",
                                                      "dow", "doy", "quarter", "week"};
constexpr bool is_extract_field(std::string_view f) {
  for (auto x : extract_fields)
    if (x == f) return true;
  return false;
}
}  // namespace detail

/// Any SQL function by name: `func("julianday", col)`. The name is written as given.
template <class... A>
Expr func(std::string name, A&&... args) {
  return Expr::make(detail::ExprKind::function, SqlType{}, std::move(name), {Expr(std::forward<A>(args))...});
}
/// Like `func`, with the result type given (so rows decode it).
inline Expr typed_func(std::string name, SqlType type, std::vector<Expr> args) {
  return Expr::make(detail::ExprKind::function, std::move(type), std::move(name), std::move(args));
}

/// `count(*)`.
inline Expr count() {
  return typed_func("count", BigInteger{}, {Expr::make(detail::ExprKind::star, SqlType{}, "", {})});
}
/// `count(expr)`; `count_distinct(expr)` is `count(DISTINCT expr)`.
///@{
inline Expr count(const Expr& e) { return typed_func("count", BigInteger{}, {e}); }
inline Expr count_distinct(const Expr& e) {
  return typed_func("count", BigInteger{}, {Expr::make(detail::ExprKind::unary, e.type(), "DISTINCT ", {e})});
}
///@}
/// SUM of integers is a BIGINT (64-bit on every server).
inline Expr sum(const Expr& e) { return typed_func("sum", e.type().is_integer() ? SqlType{BigInteger{}} : e.type(), {e}); }
inline Expr avg(const Expr& e) { return typed_func("avg", Double{}, {e}); }  ///< `avg(expr)`, read as a double.
inline Expr min(const Expr& e) { return typed_func("min", e.type(), {e}); }  ///< `min(expr)`.
inline Expr max(const Expr& e) { return typed_func("max", e.type(), {e}); }  ///< `max(expr)`.
inline Expr lower(const Expr& e) { return typed_func("lower", e.type(), {e}); }  ///< `lower(text)`.
inline Expr upper(const Expr& e) { return typed_func("upper", e.type(), {e}); }  ///< `upper(text)`.
/// Length in characters (CHAR_LENGTH on MySQL, whose LENGTH counts bytes).
inline Expr length(const Expr& e) { return typed_func("length", Integer{}, {e}); }
/// The current timestamp of the database (UTC on SQLite).
inline Expr now() { return typed_func("now", DateTimeType{true}, {}); }
/// The current date of the database, in UTC.
inline Expr current_date() { return detail::portable("current_date", DateType{}, {}); }
/// The same as now().
inline Expr current_timestamp() { return now(); }

// --- numbers: the argument's type is kept; of an integer, round/ceil/floor are the integer ---

/// Rounds half away from zero, on the decimal value of a double (as written with 15 significant
/// digits; PostgreSQL and MariaDB round a double half to even, so they round it as NUMERIC /
/// DECIMAL). `digits` ≥ 0 (SQLite reads a negative count as 0).
/// **Example**: `round(items.c("price"), 2)`
///@{
inline Expr round(const Expr& e) { return detail::portable("round", e.type(), {e}); }
inline Expr round(const Expr& e, int digits) {
  if (digits < 0) {
    // SQLite would round to 0 digits, the others to tens, hundreds…: refused.
    throw ArgumentError("[athanor.argument.function] round() takes digits 0 or more, not " + std::to_string(digits));
  }
  return detail::portable("round", e.type(), {e, Expr(digits)});
}
///@}
inline Expr abs(const Expr& e) { return typed_func("abs", e.type(), {e}); }  ///< `abs(e)`, typed as e.
/// The smallest whole number ≥ e (a double stays a double).
inline Expr ceil(const Expr& e) { return detail::portable("ceil", e.type(), {e}); }
/// The largest whole number ≤ e.
inline Expr floor(const Expr& e) { return detail::portable("floor", e.type(), {e}); }
/// The remainder of integer division, with the sign of `a` (C++'s %); NULL when `b` is 0.
inline Expr mod(const Expr& a, const Expr& b) { return detail::portable("mod", a.type(), {a, b}); }
/// NULL when a = b, else a.
inline Expr nullif(const Expr& a, const Expr& b) { return typed_func("nullif", a.type(), {a, b}); }
/// The largest / smallest argument, NULL when any is NULL (on every backend: PostgreSQL's own
/// GREATEST would skip NULLs). Text compares by each server's collation: use numbers or dates.
///@{
template <class... A>
Expr greatest(const Expr& a, const Expr& b, A&&... rest) {
  return detail::portable("greatest", a.type(), {a, b, Expr(std::forward<A>(rest))...});
}
template <class... A>
Expr least(const Expr& a, const Expr& b, A&&... rest) {
  return detail::portable("least", a.type(), {a, b, Expr(std::forward<A>(rest))...});
}
///@}

// --- text ---

/// The characters from `start` (1-based) to the end, or `length` of them. `start` ≥ 1 and
/// `length` ≥ 0: before the first character the servers disagree.
/// **Example**: `substr(users.c("name"), 1, 3)`
///@{
inline Expr substr(const Expr& s, const Expr& start) { return detail::portable("substr", SqlType{TypeKind::string}, {s, start}); }
inline Expr substr(const Expr& s, const Expr& start, const Expr& length) {
  return detail::portable("substr", SqlType{TypeKind::string}, {s, start, length});
}
///@}
/// Without leading and trailing spaces (spaces only, not tabs or newlines).
inline Expr trim(const Expr& s) { return typed_func("trim", SqlType{TypeKind::string}, {s}); }
inline Expr ltrim(const Expr& s) { return typed_func("ltrim", SqlType{TypeKind::string}, {s}); }  ///< Without leading spaces.
inline Expr rtrim(const Expr& s) { return typed_func("rtrim", SqlType{TypeKind::string}, {s}); }  ///< Without trailing spaces.
/// Every occurrence of `from` replaced by `to` (case-sensitive on every backend).
inline Expr replace(const Expr& s, const Expr& from, const Expr& to) {
  return typed_func("replace", SqlType{TypeKind::string}, {s, from, to});
}
/// `concat(a, b, c…)`: the texts joined; NULL when any is NULL (`||`, CONCAT() on MySQL).
template <class... A>
Expr concat(const Expr& a, const Expr& b, const Expr& c, A&&... rest) {
  Expr out = concat(concat(a, b), c);
  ((out = concat(out, Expr(std::forward<A>(rest)))), ...);
  return out;
}

// --- dates ---

/// A field of a Date, DateTime or Time as an integer, the same on every backend: year, month,
/// day, hour, minute, second (whole seconds), dow (0 = Sunday … 6), doy (1 … 366), quarter
/// (1 … 4), week (ISO 8601, 1 … 53). DateTimes are read in UTC.
/// **Example**: `extract("year", orders.c("placed_at"))`
inline Expr extract(std::string_view field, const Expr& e) {
  if (!detail::is_extract_field(field)) {
    throw ArgumentError("[athanor.argument.function] extract() has no field '" + std::string(field) +
                        "'; use year, month, day, hour, minute, second, dow, doy, quarter or week");
  }
  return detail::portable("extract", BigInteger{}, {Expr::make(detail::ExprKind::raw, SqlType{}, std::string(field), {}), e});
}
/// The same as extract().
inline Expr date_part(std::string_view field, const Expr& e) { return extract(field, e); }

/// The first non-NULL argument.
template <class... A>
Expr coalesce(const Expr& first, A&&... rest) {
  return typed_func("coalesce", first.type(), {first, Expr(std::forward<A>(rest))...});
}

/// `CASE WHEN c1 THEN v1 … ELSE e END`.
/// **Example**: `case_({{users.c("id") < 10, "low"}}, "high")`
inline Expr case_(std::vector<std::pair<Expr, Expr>> whens, Expr else_ = {}) {
  std::vector<Expr> args;
  SqlType type = whens.empty() ? SqlType{} : whens.front().second.type();
  for (auto& [w, t] : whens) args.push_back(std::move(w)), args.push_back(std::move(t));
  bool has_else = static_cast<bool>(else_);
  if (has_else) args.push_back(std::move(else_));
  return Expr::make(detail::ExprKind::case_, std::move(type), "", std::move(args), has_else ? 1 : 0);
}

/// `CAST(expr AS type)`.  **Example**: `cast(users.c("age"), String{10})`
inline Expr cast(const Expr& e, SqlType type) { return Expr::make(detail::ExprKind::cast, std::move(type), "", {e}); }

}  // namespace athanor
