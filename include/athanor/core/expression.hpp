// athanor/core/expression.hpp — `Expr`, a SQL expression: a column, a bound value, an
// operator, a function call… Values are always bound parameters, never SQL text.
// Used by Core statements and, under its typed façade, by the ORM.
#pragma once

#include <initializer_list>  // std::initializer_list
#include <memory>            // std::shared_ptr, std::make_shared
#include <string>            // std::string
#include <type_traits>       // std::is_convertible_v
#include <utility>           // std::move
#include <vector>            // std::vector

#include <athanor/config.hpp>
#include <athanor/core/detail/nodes.hpp>

namespace athanor {

class Select;

/// Anything that converts to a bound value: numbers, strings, dates, `std::optional`, `null`.
template <class T>
concept BindableValue = std::is_convertible_v<T, Value> && !std::is_base_of_v<Expr, std::decay_t<T>>;

/// A SQL expression. Cheap to copy (a shared, immutable node).
/// **Example**: `users.c("name") == "ann" && users.c("id") > 3`
class Expr {
 public:
  /// No expression (false as a bool; an unset LIMIT, an absent ELSE).
  Expr() = default;
  /// The expression of node `node`.
  explicit Expr(std::shared_ptr<const detail::ExprNode> node) : node_(std::move(node)) {}
  /// A value becomes a bound parameter (`null` becomes the NULL literal).
  template <BindableValue V>
  Expr(V&& v) : Expr(make_bind(Value(std::forward<V>(v)))) {}

  const detail::ExprNode& node() const { return *node_; }  ///< The tree, for the compiler.
  const std::shared_ptr<const detail::ExprNode>& ptr() const { return node_; }  ///< The same, shared.
  explicit operator bool() const { return node_ != nullptr; }  ///< Whether there is an expression.
  const SqlType& type() const { return node_->type; }  ///< Its SQL type (how values are bound and read).

  /// `[NOT] LIKE pattern [ESCAPE 'c']`: `%` matches any text, `_` one character.
  ///@{
  Expr like(Expr pattern, std::optional<char> escape = {}) const { return like_(std::move(pattern), escape, 0); }
  Expr not_like(Expr pattern, std::optional<char> escape = {}) const { return like_(std::move(pattern), escape, 4); }
  ///@}
  /// Case-insensitive LIKE (ILIKE on PostgreSQL, lower() LIKE lower() elsewhere).
  Expr ilike(Expr pattern, std::optional<char> escape = {}) const { return like_(std::move(pattern), escape, 2); }
  /// `[NOT] IN (…)` over a list, or a subquery; an empty list matches nothing (NOT IN: everything).
  ///@{
  Expr in_(std::vector<Expr> values) const { return in_list(std::move(values), 0); }
  Expr not_in(std::vector<Expr> values) const { return in_list(std::move(values), 1); }
  // Braced lists (`in_({1, 2})`, `in_({})`) bind here: without these, `{}` is ambiguous
  // between the vector and the Select overloads.
  Expr in_(std::initializer_list<Expr> values) const { return in_list(std::vector<Expr>(values), 0); }
  Expr not_in(std::initializer_list<Expr> values) const { return in_list(std::vector<Expr>(values), 1); }
  Expr in_(const Select& subquery) const;
  Expr not_in(const Select& subquery) const;
  ///@}
  /// `BETWEEN low AND high`, both included.
  Expr between(Expr low, Expr high) const { return make(detail::ExprKind::between, boolean(), "", {*this, std::move(low), std::move(high)}); }
  /// `IS [NOT] NULL`: `c.is_(null)` (`c == null` writes the same).
  ///@{
  Expr is_(Null) const { return make(detail::ExprKind::postfix, boolean(), "IS NULL", {*this}); }
  Expr is_not(Null) const { return make(detail::ExprKind::postfix, boolean(), "IS NOT NULL", {*this}); }
  ///@}
  /// ORDER BY terms: ascending, descending.
  ///@{
  Expr asc() const { return ordering(0); }
  Expr desc() const { return ordering(1); }
  ///@}
  /// NULLS FIRST / NULLS LAST (emulated where the dialect lacks them).
  ///@{
  Expr nulls_first() const { return reorder(2); }
  Expr nulls_last() const { return reorder(4); }
  ///@}
  /// `expr AS name` in a select list.
  Expr label(std::string name) const { return make(detail::ExprKind::label, type(), std::move(name), {*this}); }
  /// The name this expression has in a result (label or column name), or "".
  const std::string& name() const {
    static const std::string none;
    auto k = node_->kind;
    return (k == detail::ExprKind::label || k == detail::ExprKind::column) ? node_->text : none;
  }

  // --- building blocks (also used by functions.hpp and the ORM) ---
  /// A node of `kind` with its SQL type, text (operator, function name…), children and flags.
  // These builders are called by every expression of every statement: defined once, below
  // (in <athanor/src.hpp>'s unit with ATHANOR_SEPARATE_COMPILATION), a statement's code calls
  // them instead of compiling make_shared and the node's members again (issue 17).
  ATHANOR_DECL static Expr make(detail::ExprKind kind, SqlType type, std::string text, std::vector<Expr> args, int flags = 0);
  /// A bound value (named: a bindparam); an unnamed NULL is the NULL literal.
  ATHANOR_DECL static Expr make_bind(Value v, std::string name = {});
  static SqlType boolean() { return SqlType{TypeKind::boolean}; }  ///< The type of conditions.
  /// The SQL type of a value, as it is bound.
  static SqlType type_of(const Value& v) {
    static constexpr TypeKind kinds[] = {TypeKind::null, TypeKind::boolean, TypeKind::big_integer, TypeKind::double_,
                                         TypeKind::string, TypeKind::binary, TypeKind::numeric, TypeKind::date,
                                         TypeKind::datetime, TypeKind::time, TypeKind::json, TypeKind::uuid};
    return SqlType{kinds[v.variant().index()]};
  }

 private:
  ATHANOR_DECL Expr like_(Expr pattern, std::optional<char> escape, int flags) const;
  ATHANOR_DECL Expr in_list(std::vector<Expr> values, int flags) const;
  Expr ordering(int flags) const { return make(detail::ExprKind::ordering, type(), "", {*this}, flags); }
  Expr reorder(int nulls) const {
    if (node_->kind == detail::ExprKind::ordering) return make(detail::ExprKind::ordering, type(), "", node_->args, (node_->flags & 1) | nulls);
    return make(detail::ExprKind::ordering, type(), "", {*this}, nulls);
  }

  std::shared_ptr<const detail::ExprNode> node_;

  ATHANOR_DECL static Expr binary(const char* op, const Expr& a, const Expr& b, SqlType t);
  ATHANOR_DECL static Expr compare(const char* op, const Expr& a, const Expr& b);
  ATHANOR_DECL static Expr arith(const char* op, const Expr& a, const Expr& b);

 public:
  /// The type of `a op b` for numbers, as the servers promote: a double on either side makes
  /// a double, else a NUMERIC a NUMERIC, else the wider integer (`int_col * 2.5` is not an
  /// integer, and must not be divided as one: see Capabilities::integer_divide).
  static SqlType arith_type(const SqlType& a, const SqlType& b) {
    if (a.kind == TypeKind::null) return b;
    if (b.kind == TypeKind::null) return a;
    auto floating = [](const SqlType& t) { return t.kind == TypeKind::double_ || t.kind == TypeKind::float_; };
    if (floating(a) || floating(b)) return SqlType{TypeKind::double_};
    if (a.kind == TypeKind::numeric) return a;
    if (b.kind == TypeKind::numeric) return b;
    if (a.is_integer() && b.is_integer() && b.kind == TypeKind::big_integer) return b;
    return a;
  }

 private:
  ATHANOR_DECL static Expr logical(const char* op, const Expr& a, const Expr& b);

#define ATHANOR_EXPR_OPERATOR(OP, SQL, BUILD)                                                  \
  friend Expr operator OP(const Expr& a, const Expr& b) { return BUILD(SQL, a, b); }          \
  template <BindableValue V>                                                                \
  friend Expr operator OP(const Expr& a, V&& b) { return BUILD(SQL, a, Expr(std::forward<V>(b))); } \
  template <BindableValue V>                                                                \
  friend Expr operator OP(V&& a, const Expr& b) { return BUILD(SQL, Expr(std::forward<V>(a)), b); }

  ATHANOR_EXPR_OPERATOR(==, "=", compare)
  ATHANOR_EXPR_OPERATOR(!=, "<>", compare)
  ATHANOR_EXPR_OPERATOR(<, "<", compare)
  ATHANOR_EXPR_OPERATOR(<=, "<=", compare)
  ATHANOR_EXPR_OPERATOR(>, ">", compare)
  ATHANOR_EXPR_OPERATOR(>=, ">=", compare)
  ATHANOR_EXPR_OPERATOR(+, "+", arith)
  ATHANOR_EXPR_OPERATOR(-, "-", arith)
  ATHANOR_EXPR_OPERATOR(*, "*", arith)
  ATHANOR_EXPR_OPERATOR(/, "/", arith)
  ATHANOR_EXPR_OPERATOR(%, "%", arith)
  ATHANOR_EXPR_OPERATOR(&&, "AND", logical)
  ATHANOR_EXPR_OPERATOR(||, "OR", logical)
#undef ATHANOR_EXPR_OPERATOR

  friend Expr operator!(const Expr& a) { return make(detail::ExprKind::unary, boolean(), "NOT ", {a}); }
  friend Expr operator-(const Expr& a) { return make(detail::ExprKind::unary, a.type(), "-", {a}); }
};

/// A named bound parameter whose value comes at execution: `bindparam("name")`.
inline Expr bindparam(std::string name, Value default_value = {}) {
  return Expr::make_bind(std::move(default_value), std::move(name));
}
/// A literal value as a bound parameter (for the left side of an operator).
inline Expr literal(Value v) { return Expr::make_bind(std::move(v)); }
/// A value written into the SQL text instead of bound: a number, a boolean, NULL, or a string
/// quoted by the dialect (quotes doubled, and backslashes on MySQL; a NUL byte or text that is
/// not well-formed UTF-8 is an ArgumentError). For expressions the server must see as one and
/// the same in two clauses: `GROUP BY CASE … 'short' …` matching the select list on PostgreSQL
/// (bound values are `$1` there and `$3` here). Each distinct value is its own SQL text, so
/// its own prepared statement: bind values that vary (`literal()`, or plain values).
/// **Example**: `case_({{t.c("len") < inline_literal(5), inline_literal("short")}}, inline_literal("long"))`
inline Expr inline_literal(Value v) {
  auto e = Expr::make(detail::ExprKind::literal, Expr::type_of(v), "", {});
  const_cast<detail::ExprNode&>(e.node()).value = std::move(v);
  return e;
}
/// Raw SQL text used as a column expression, written as given: `literal_column("1")`,
/// `literal_column("CURRENT_DATE", Date{})`. The text is the caller's, never a user's input
/// (that goes in bound values or inline_literal()).
inline Expr literal_column(std::string sql, SqlType type = {}) {
  return Expr::make(detail::ExprKind::raw, std::move(type), std::move(sql), {});
}
/// Explicit string concatenation: `concat(a, b)` (|| or CONCAT() by dialect).
inline Expr concat(const Expr& a, const Expr& b) {
  return Expr::make(detail::ExprKind::concat, SqlType{TypeKind::string}, "", {a, b});
}
inline Expr and_(const Expr& a, const Expr& b) { return a && b; }  ///< `a AND b`, as a && b.
inline Expr or_(const Expr& a, const Expr& b) { return a || b; }  ///< `a OR b`, as a || b.
inline Expr not_(const Expr& a) { return !a; }  ///< `NOT a`, as !a.

#if ATHANOR_DEFINITIONS
ATHANOR_DECL Expr Expr::make(detail::ExprKind kind, SqlType type, std::string text, std::vector<Expr> args, int flags) {
  auto n = std::make_shared<detail::ExprNode>();
  n->kind = kind, n->type = std::move(type), n->text = std::move(text), n->args = std::move(args), n->flags = flags;
  return Expr(std::move(n));
}
ATHANOR_DECL Expr Expr::make_bind(Value v, std::string name) {
  auto n = std::make_shared<detail::ExprNode>();
  if (v.is_null() && name.empty()) {
    n->kind = detail::ExprKind::null;
    return Expr(std::move(n));
  }
  n->kind = detail::ExprKind::bind, n->type = type_of(v), n->value = std::move(v), n->text = std::move(name);
  return Expr(std::move(n));
}
ATHANOR_DECL Expr Expr::like_(Expr pattern, std::optional<char> escape, int flags) const {
  std::vector<Expr> args{*this, std::move(pattern)};
  if (escape) args.push_back(Expr(std::string(1, *escape)));
  return make(detail::ExprKind::like, boolean(), "", std::move(args), flags);
}
ATHANOR_DECL Expr Expr::in_list(std::vector<Expr> values, int flags) const {
  values.insert(values.begin(), *this);
  return make(detail::ExprKind::in_list, boolean(), "", std::move(values), flags);
}
ATHANOR_DECL Expr Expr::binary(const char* op, const Expr& a, const Expr& b, SqlType t) {
  return make(detail::ExprKind::binary, std::move(t), op, {a, b});
}
ATHANOR_DECL Expr Expr::compare(const char* op, const Expr& a, const Expr& b) {
  // `x == null` means IS NULL, as in SQLAlchemy; `= NULL` is never true.
  bool eq = op[0] == '=', ne = op[0] == '<' && op[1] == '>';
  if ((eq || ne) && b.node_->kind == detail::ExprKind::null) return eq ? a.is_(null) : a.is_not(null);
  if ((eq || ne) && a.node_->kind == detail::ExprKind::null) return eq ? b.is_(null) : b.is_not(null);
  return binary(op, a, b, boolean());
}
ATHANOR_DECL Expr Expr::arith(const char* op, const Expr& a, const Expr& b) {
  if (op[0] == '+' && (a.type().is_string() || (a.type().kind == TypeKind::null && b.type().is_string())))
    return make(detail::ExprKind::concat, SqlType{TypeKind::string}, "", {a, b});
  return binary(op, a, b, arith_type(a.type(), b.type()));
}
ATHANOR_DECL Expr Expr::logical(const char* op, const Expr& a, const Expr& b) {
  std::vector<Expr> args;
  for (const Expr* e : {&a, &b}) {  // flatten a && b && c into one AND
    if (e->node_->kind == detail::ExprKind::logical && e->node_->text == op) {
      args.insert(args.end(), e->node_->args.begin(), e->node_->args.end());
    } else {
      args.push_back(*e);
    }
  }
  return make(detail::ExprKind::logical, boolean(), op, std::move(args));
}
#endif  // ATHANOR_DEFINITIONS

}  // namespace athanor
