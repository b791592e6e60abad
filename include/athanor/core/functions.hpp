// athanor/core/functions.hpp — SQL functions (`count`, `sum`, `lower`, `now`…), `case_`
// and `cast`. Dialects may rename a function (e.g. `length` is CHAR_LENGTH on MySQL).
#pragma once

#include <utility>  // std::pair
#include <vector>   // std::vector

#include <athanor/core/expression.hpp>

namespace athanor {

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
inline Expr count(const Expr& e) { return typed_func("count", BigInteger{}, {e}); }
inline Expr count_distinct(const Expr& e) {
  return typed_func("count", BigInteger{}, {Expr::make(detail::ExprKind::unary, e.type(), "DISTINCT ", {e})});
}
/// SUM of integers is a BIGINT (64-bit on every server).
inline Expr sum(const Expr& e) { return typed_func("sum", e.type().is_integer() ? SqlType{BigInteger{}} : e.type(), {e}); }
inline Expr avg(const Expr& e) { return typed_func("avg", Double{}, {e}); }
inline Expr min(const Expr& e) { return typed_func("min", e.type(), {e}); }
inline Expr max(const Expr& e) { return typed_func("max", e.type(), {e}); }
inline Expr lower(const Expr& e) { return typed_func("lower", e.type(), {e}); }
inline Expr upper(const Expr& e) { return typed_func("upper", e.type(), {e}); }
/// Length in characters (CHAR_LENGTH on MySQL, whose LENGTH counts bytes).
inline Expr length(const Expr& e) { return typed_func("length", Integer{}, {e}); }
/// The current timestamp of the database (UTC on SQLite).
inline Expr now() { return typed_func("now", DateTimeType{true}, {}); }
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
