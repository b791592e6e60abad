// athanor/dialect/impl/compiler.ipp — Compiler's expressions (expr, expr_), where
// ATHANOR_DEFINITIONS is set (dialect/compiler.hpp includes it; SELECT is in compiler_select.hpp,
// DML and DDL in compiler_dml.hpp).
#pragma once

#include <charconv>  // std::to_chars
#include <cmath>     // std::isfinite

namespace athanor {

ATHANOR_DECL Compiler::~Compiler() = default;

ATHANOR_DECL void Compiler::expr(const Expr& e) {
  // A label reference is a whole GROUP BY / ORDER BY item (under ASC/DESC at most): inside an
  // expression, PostgreSQL reads a bare name as an input column, so there the label is its
  // expression again.
  // Likewise `AS name` belongs to a whole select-list (or RETURNING) item only: inside an
  // expression a label is its expression (SQLAlchemy renders it so too).
  auto k = e.node().kind;
  bool whole = k == detail::ExprKind::label || (k == detail::ExprKind::ordering && !label_as_);
  if (whole || (!label_refs_ && !label_as_)) return expr_(e);
  auto* refs = label_refs_;
  bool as = label_as_;
  label_refs_ = nullptr, label_as_ = false;
  expr_(e);
  label_refs_ = refs, label_as_ = as;
}

ATHANOR_DECL void Compiler::expr_(const Expr& e) {
  using K = detail::ExprKind;
  const auto& n = e.node();
  if (&n == value_key_) {
    value_key_ = nullptr;
    out() += "CAST(", expr_(e), out() += " AS ", d_.cast_type_name(out(), n.type), out() += ')';
    value_key_ = &n;  // NULLS FIRST emulated on MySQL writes the key twice
    return;
  }
  switch (n.kind) {
    case K::column:
      if (qualify && n.from && !n.from->name.empty()) ident(n.from->name), out() += '.';
      ident(n.text);
      break;
    case K::bind:
      if (reuse_binds_ && n.text.empty() && n.flags == 0 && d_.capabilities().numbered_placeholders) {
        // The same value node met again: its placeholder again (Capabilities::numbered_placeholders).
        auto seen = std::find_if(bound_.begin(), bound_.end(), [&](auto& b) { return b.first.get() == &n; });
        if (seen != bound_.end()) {
          d_.placeholder(out(), seen->second);
          break;
        }
        bind(n.value, n.text);
        bound_.emplace_back(e.ptr(), c_.params.size());
        break;
      }
      bind(n.value, n.text);
      c_.params.back().slot = n.flags - 1;  // typed DSL binds carry their slot + 1
      break;
    case K::literal: inline_literal(n.value); break;
    case K::null: out() += "NULL"; break;
    case K::star: out() += '*'; break;
    case K::raw: out() += n.text; break;
    case K::unary: {
      out() += n.text;
      auto at = out().size();
      operand(n.args[0]);
      // `-` before an operand written with a leading `-` (a negation, a raw text) would be
      // `--`, which starts a comment: the operand goes in parentheses.
      if (!n.text.empty() && n.text.back() == '-' && out().size() > at && out()[at] == '-') out().insert(at, 1, '('), out() += ')';
      break;
    }
    case K::postfix:  // `$1 IS NULL` types nothing either: a bare bind is cast where the dialect asks
      is_bare_bind(n.args[0]) ? operand_or_cast(n.args[0]) : operand(n.args[0]), out() += ' ', out() += n.text;
      break;
    case K::binary:
      if (is_bare_bind(n.args[0]) && is_bare_bind(n.args[1])) {  // `$1 + $2`: neither side types the other
        operand_or_cast(n.args[0]), out() += ' ', out() += n.text, out() += ' ', operand_or_cast(n.args[1]);
        break;
      }
      {
        // Integers divide with truncation, as in C++: `/` on SQLite and PostgreSQL, DIV where `/`
        // gives an exact decimal (MariaDB: 7 / 2 is 3.5000). Both types known integers only.
        bool integers = n.text == "/" && n.args[0].type().is_integer() && n.args[1].type().is_integer();
        auto side = [&](const Expr& e, const Expr& other) {
          if (integers && d_.capabilities().sum_of_integers_is_numeric && calls(e, {"sum"}, true)) {
            out() += "CAST(", expr(e), out() += " AS BIGINT)";  // a NUMERIC sum would divide exactly
          } else if (n.text == "=" && rounded_by_index(e, other)) {
            cast_to_own_type(e);
          } else {
            operand(e);
          }
        };
        side(n.args[0], n.args[1]), out() += ' ';
        out() += integers && d_.capabilities().integer_divide ? d_.capabilities().integer_divide : n.text.c_str();
        out() += ' ', side(n.args[1], n.args[0]);
      }
      break;
    case K::concat: d_.concat(*this, n.args[0], n.args[1]); break;
    case K::logical:
      for (std::size_t i = 0; i < n.args.size(); ++i) {
        if (i) out() += ' ', out() += n.text, out() += ' ';
        operand(n.args[i]);
      }
      break;
    case K::function:
      if ((!d_.capabilities().derived_column_as_aggregate_argument && (window_function_ == &n || is_min_max(n))) ||
          (having_without_group_by_ && is_min_max(n))) {
        // Capabilities::derived_column_as_aggregate_argument, having_min_max_of_column: the
        // call with coalesce() around each bare derived-table column (any column in such a HAVING).
        detail::ExprNode call = n;
        bool changed = false;
        for (auto& a : call.args) changed = coalesce_derived_column(a, having_without_group_by_) || changed;
        if (changed) {
          d_.function(*this, call);
          break;
        }
      }
      d_.function(*this, n);
      break;
    case K::case_: {
      out() += "CASE";
      std::size_t pairs = (n.args.size() - (n.flags & 1)) / 2;
      // Results that are all bound values need no CAST on PostgreSQL: the driver declares each
      // parameter's type but a string's, and CASE resolves untyped ones as text (tested in
      // test/orm/expressions.cpp with numbers, Decimals, booleans and text).
      for (std::size_t i = 0; i < pairs; ++i) {
        out() += " WHEN ", expr(n.args[2 * i]), out() += " THEN ", expr(n.args[2 * i + 1]);
      }
      if (n.flags & 1) out() += " ELSE ", expr(n.args.back());
      out() += " END";
      break;
    }
    case K::cast: out() += "CAST(", expr(n.args[0]), out() += " AS ", d_.cast_type_name(out(), n.type), out() += ')'; break;
    case K::label:
      if (label_refs_) {
        label_reference(e);
      } else if (label_as_) {
        label_as_ = false, expr(n.args[0]), label_as_ = true;
        out() += " AS ", ident(n.text);
      } else {
        operand(n.args[0]);  // inside an expression (see expr())
      }
      break;
    case K::in_list:
      if (n.args.size() == 1) {  // an empty IN is false, an empty NOT IN true
        out() += (n.flags & 1) ? "1 = 1" : "1 = 0";
        break;
      }
      if (in_list_as_array(n)) break;
      operand(n.args[0]), out() += (n.flags & 1) ? " NOT IN (" : " IN (";
      for (std::size_t i = 1; i < n.args.size(); ++i) {
        if (i > 1) out() += ", ";
        rounded_by_index(n.args[i], n.args[0]) ? cast_to_own_type(n.args[i]) : expr(n.args[i]);  // `x IN (2.5)` is `x = 2.5`
      }
      out() += ')';
      break;
    case K::in_array: wrote_in_select_ = true, d_.in_array(*this, n); break;
    case K::in_select:
      wrote_in_select_ = true;
      if (const auto* first = first_select(*n.select); first->columns.size() == 1 && rounded_by_index(n.args[0], first->columns[0], false)) {
        // `2.5 IN (SELECT int_col …)`: both sides as the fraction's type. The left too: a
        // parameter inside it (CASE … THEN ? … END) was otherwise typed by the server so as to
        // compare wrongly with the cast column.
        cast_first_column_ = first, cast_first_column_type_ = n.args[0].type();
        out() += "CAST(", left_of_in_select(n.args[0]), out() += " AS ", d_.cast_type_name(out(), n.args[0].type()), out() += ')';
      } else {
        if (!d_.capabilities().wide_left_of_in_select && wider_than_column(n.args[0], *n.select)) {
          cast_first_column_ = first_select(*n.select), cast_first_column_type_ = BigInteger{};
        }
        left_of_in_select(n.args[0]);
      }
      out() += (n.flags & 1) ? " NOT IN (" : " IN (";
      select(*n.select, true), out() += ')';
      break;
    case K::exists: out() += "EXISTS (", select(*n.select, true), out() += ')'; break;
    case K::scalar_select: out() += '(', select(*n.select, true), out() += ')'; break;
    case K::between:
      operand(n.args[0]), out() += " BETWEEN ", operand(n.args[1]), out() += " AND ", operand(n.args[2]);
      break;
    case K::like: {
      bool ilike = n.flags & 2, negate = n.flags & 4;
      if (ilike && !d_.capabilities().native_ilike) {
        out() += "lower(", expr(n.args[0]), out() += negate ? ") NOT LIKE lower(" : ") LIKE lower(", expr(n.args[1]), out() += ')';
      } else {
        operand(n.args[0]);
        out() += negate ? " NOT " : " ", out() += ilike ? "ILIKE " : "LIKE ";
        operand(n.args[1]);
      }
      if (n.args.size() > 2) {
        out() += " ESCAPE ", expr(n.args[2]);
      } else if ((n.flags & 8) && !d_.capabilities().like_backslash_escape) {
        out() += " ESCAPE ", d_.literal(out(), Value(std::string("\\")));  // see Capabilities::like_backslash_escape
      }
      break;
    }
    case K::window: window(n, false); break;
    case K::over: wrote_window_ = true, over(n); break;
    case K::ordering: {
      bool desc = n.flags & 1;
      int nulls = n.flags & 6;
      if (nulls && !d_.capabilities().nulls_ordering) {  // emulate: sort on "is null" first
        // An expression: a label stands for its expression here, not for its name (see expr()).
        const auto& a = n.args[0].node();
        auto* refs = label_refs_;
        label_refs_ = nullptr;
        operand(a.kind == K::label ? a.args[0] : n.args[0]), out() += (nulls == 2) ? " IS NULL DESC, " : " IS NULL, ";
        label_refs_ = refs;
      }
      operand(n.args[0]);
      if (desc) out() += " DESC";
      if (nulls && d_.capabilities().nulls_ordering) out() += (nulls == 2) ? " NULLS FIRST" : " NULLS LAST";
      break;
    }
  }
}

}  // namespace athanor
