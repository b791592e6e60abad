// athanor/dialect/detail/expr_shape.hpp — `ExprShape`: what the compiler asks about the form of
// an expression before writing it (does it hold an aggregate, a scalar subquery, a constant…),
// questions with no SQL text of their own. Compiler derives from it, so its members and the
// dialects call them as Compiler::holds_aggregate(…) as before.
#pragma once

#include <algorithm>         // std::any_of, std::all_of, std::equal
#include <cctype>            // std::tolower
#include <initializer_list>  // std::initializer_list
#include <string_view>       // std::string_view

#include <athanor/core/functions.hpp>  // detail::portable_function (the flag)
#include <athanor/core/select.hpp>
#include <athanor/core/window.hpp>  // detail::WindowLayout

namespace athanor::detail {

/// Questions about an expression's form (static: no compiler state).
struct ExprShape {
  /// The select that names a compound's columns (its first part, however nested), or `s`.
  static const detail::SelectNode* first_select(const detail::SelectNode& s) {
    const detail::SelectNode* first = &s;
    while (!first->compound.empty()) first = first->compound.front().second.get();
    return first;
  }
  /// Whether `e` holds a scalar subquery at this query level.
  static bool holds_scalar_select(const Expr& e) {
    const auto& n = e.node();
    return n.kind == detail::ExprKind::scalar_select ||
           std::any_of(n.args.begin(), n.args.end(), [](const Expr& a) { return holds_scalar_select(a); });
  }
  /// Whether the left side of `IN (SELECT …)` may hold an integer beyond the range of the
  /// subquery's column, an integer narrower than BIGINT (Capabilities::wide_left_of_in_select).
  /// The server types an integer expression or a bound integer BIGINT, so only a plain column
  /// counts as narrow on the left; any integer-typed subquery value counts as narrow on the right.
  static bool wider_than_column(const Expr& left, const detail::SelectNode& s) {
    auto rank = [](const Expr& e, bool plain_only) {
      using T = TypeKind;
      auto k = e.type().kind;
      int r = k == T::boolean ? 1 : k == T::small_integer ? 2 : k == T::integer ? 3 : k == T::big_integer ? 4 : 0;
      if (plain_only && e.node().kind != detail::ExprKind::column && (r || k == T::null)) return 4;
      return r;
    };
    const detail::SelectNode* first = first_select(s);
    if (first->columns.size() != 1) return false;
    int right = rank(first->columns[0], false);
    return right > 0 && right < 4 && rank(left, true) > right;
  }
  /// Whether `e` calls one of the functions `names` (lower case; matched without case) at this
  /// query level: not inside a subquery, and inside windows (`f(x) OVER …`) only when
  /// `through_windows`.
  static bool calls(const Expr& e, std::initializer_list<std::string_view> names, bool through_windows) {
    const auto& n = e.node();
    if (n.kind == detail::ExprKind::over && !through_windows) return false;
    if (n.kind == detail::ExprKind::function) {
      auto same = [&](std::string_view name) {
        return n.text.size() == name.size() && std::equal(name.begin(), name.end(), n.text.begin(), [](char x, char y) {
                 return x == std::tolower(static_cast<unsigned char>(y));
               });
      };
      for (auto name : names)
        if (same(name)) return true;
    }
    for (const Expr& a : n.args)
      if (calls(a, names, through_windows)) return true;
    return false;
  }
  /// Whether `e` calls an aggregate function of this query level (not over a window).
  static bool holds_aggregate(const Expr& e) {
    return calls(e, {"count", "sum", "avg", "min", "max", "group_concat", "string_agg", "every", "bool_and", "bool_or", "total",
                     "std", "stddev", "variance"},
                 false);
  }
  /// Whether `f` is a call of min() or max() (matched without case).
  static bool is_min_max(const detail::ExprNode& f) {
    if (f.kind != detail::ExprKind::function || f.text.size() != 3) return false;
    auto lower = [&](std::size_t i) { return static_cast<char>(std::tolower(static_cast<unsigned char>(f.text[i]))); };
    return lower(0) == 'm' && ((lower(1) == 'i' && lower(2) == 'n') || (lower(1) == 'a' && lower(2) == 'x'));
  }
  /// Replaces `a`, when it is a bare column of a derived table or CTE (of any FROM item when
  /// `any_column`), or DISTINCT of one, by `coalesce(a)`, which MariaDB evaluates per row
  /// (Capabilities::derived_column_as_aggregate_argument, having_min_max_of_column).
  static bool coalesce_derived_column(Expr& a, bool any_column = false) {
    using K = detail::ExprKind;
    const auto& n = a.node();
    if (n.kind == K::unary && n.text == "DISTINCT " && n.args.size() == 1) {
      Expr inner = n.args[0];
      if (!coalesce_derived_column(inner, any_column)) return false;
      a = Expr::make(K::unary, n.type, n.text, {inner}, n.flags);
      return true;
    }
    using F = detail::FromNode::Kind;
    if (n.kind != K::column || !n.from || (!any_column && n.from->kind != F::subquery && n.from->kind != F::cte)) return false;
    a = Expr::make(K::function, n.type, "coalesce", {a});
    return true;
  }
  /// Whether `e` is the same value on every row of a statement, as far as its form shows:
  /// values, operators and the portable (deterministic) functions of values, and a derived
  /// table's or CTE's column whose expression is one (Capabilities::distinct_constants_offset).
  /// No to anything else (columns, aggregates, subqueries, raw SQL, other functions).
  static bool constant_value(const Expr& e) {
    using K = detail::ExprKind;
    const auto& n = e.node();
    switch (n.kind) {
      case K::bind:
      case K::null:
      case K::literal: return true;
      case K::column: {
        using F = detail::FromNode::Kind;
        if (!n.from || (n.from->kind != F::subquery && n.from->kind != F::cte) || !n.from->select) return false;
        const auto& body = *n.from->select;
        if (!body.compound.empty() || !body.group_by.empty() || body.distinct) return false;
        for (const Expr& c : body.columns) {
          const auto& cn = c.node();
          if ((cn.kind == K::label || cn.kind == K::column) && cn.text == n.text) return cn.kind == K::label ? constant_value(cn.args[0]) : false;
        }
        return false;
      }
      case K::function:
        if (!(n.flags & detail::portable_function) && n.text != "coalesce" && n.text != "nullif" && n.text != "lower" &&
            n.text != "upper" && n.text != "length")
          return false;
        [[fallthrough]];
      case K::unary:
      case K::postfix:
      case K::binary:
      case K::concat:
      case K::logical:
      case K::case_:
      case K::cast:
      case K::label:
      case K::like:
      case K::between:
      case K::in_list:
        return !n.args.empty() && std::all_of(n.args.begin(), n.args.end(), [](const Expr& a) { return constant_value(a); });
      default: return false;
    }
  }
  /// Whether every ORDER BY key of the inline window `w` is a constant (Capabilities::window_constant_keys).
  static bool constant_orders(const detail::ExprNode& w) {
    auto l = detail::WindowLayout::of(w.flags);
    if (!w.text.empty() || l.orders == 0) return false;
    for (int i = 0; i < l.orders; ++i) {
      const auto& n = w.args[static_cast<std::size_t>(l.partitions + i)].node();
      if (!constant_value(n.kind == detail::ExprKind::ordering ? n.args[0] : w.args[static_cast<std::size_t>(l.partitions + i)])) return false;
    }
    return true;
  }
};

}  // namespace athanor::detail
