// athanor/dialect/compiler_select.hpp — the Compiler's SELECT: FROM items inferred from the
// expressions and correlated to enclosing selects (SQLAlchemy's rules), label references in
// GROUP BY / ORDER BY, literal values, compounds. Window functions are in compiler_window.hpp,
// CTEs and the WITH clause in compiler_cte.hpp (both included at the end).
#pragma once

#include <algorithm>  // std::find, std::any_of, std::none_of
#include <cctype>     // std::tolower
#include <cmath>      // std::isfinite
#include <string>     // std::string

#include <athanor/config.hpp>
#include <athanor/dialect/compiler.hpp>

namespace athanor {

#if ATHANOR_DEFINITIONS
ATHANOR_DECL void Compiler::gather_froms(const Expr& e, FromList& out) const {
  const auto& n = e.node();
  if (n.kind == detail::ExprKind::column && n.from && !n.from->name.empty()) {
    if (std::find(out.begin(), out.end(), n.from.get()) == out.end()) out.push_back(n.from.get());
  }
  for (auto& a : n.args) gather_froms(a, out);
}

ATHANOR_DECL void Compiler::from_item(const detail::FromNode& f) {
  using K = detail::FromNode::Kind;
  switch (f.kind) {
    case K::table: ident(f.name); break;
    case K::alias: ident(f.table->name), out() += " AS ", ident(f.name); break;
    case K::cte: ident(f.name); break;
    case K::subquery: out() += '(', select(*f.select, false), out() += ") AS ", ident(f.name); break;
    case K::join:
      if (f.join_flags == 2 && !d_.capabilities().full_outer_join) d_.unsupported("FULL OUTER JOIN", "use a LEFT JOIN UNION a RIGHT JOIN");
      if (f.join_flags && d_.capabilities().null_side_derived_switch && !wrote_null_side_derived_) {
        FromList null_side;
        leaves(*f.right, null_side);
        if (f.join_flags == 2) leaves(*f.left, null_side);
        wrote_null_side_derived_ = std::any_of(null_side.begin(), null_side.end(), [](const detail::FromNode* x) {
          return x->kind == detail::FromNode::Kind::subquery || x->kind == detail::FromNode::Kind::cte;
        });
      }
      from_item(*f.left);
      out() += f.join_flags == 1 ? " LEFT OUTER JOIN " : f.join_flags == 2 ? " FULL OUTER JOIN " : " JOIN ";
      from_item(*f.right);
      out() += " ON ", expr(f.on);
      break;
  }
}

ATHANOR_DECL Compiler::FromList Compiler::correlated_froms(const detail::SelectNode& s, const FromList& inferred, bool correlate) const {
  auto outside = [&](const detail::FromNode* f) {
    for (auto& scope : scopes_)
      if (std::find(scope.begin(), scope.end(), f) != scope.end()) return true;
    return false;
  };
  // SQLAlchemy's rule (Select._get_display_froms): explicit correlate(…) takes exactly the
  // items it names from outside; automatic correlation applies only to a select of more than
  // one FROM item, so that `(SELECT avg(t.x) FROM t)` keeps its only FROM inside a select of t.
  FromList froms;
  bool automatic = correlate && !s.explicit_correlate && s.froms.size() + inferred.size() > 1;
  for (auto* f : inferred) {
    bool named = correlate && s.explicit_correlate &&
                 std::any_of(s.correlate.begin(), s.correlate.end(), [&](auto& c) { return c.get() == f; });
    if (!((automatic || named) && outside(f))) froms.push_back(f);
  }
  if (froms.empty() && s.froms.empty() && !inferred.empty()) {
    std::string names;
    for (auto* f : inferred) names += (names.empty() ? "" : ", ") + f->name;
    throw ArgumentError("[athanor.argument.correlate] a subquery would read no table: every FROM item it names (" + names +
                        ") is correlated to the enclosing statement; correlate() only the outside ones, or alias the inner ones");
  }
  return froms;
}

ATHANOR_DECL void Compiler::label_reference(const Expr& e) {
  const auto& n = e.node();
  const auto& cols = label_refs_->columns;
  if (std::none_of(cols.begin(), cols.end(), [&](const Expr& c) { return c.ptr() == e.ptr(); })) {
    auto refs = label_refs_;
    label_refs_ = nullptr;  // not a select-list label: the expression itself, without AS
    operand(n.args[0]);
    label_refs_ = refs;
    return;
  }
  if (grouping_froms_) {
    auto same = [&](std::string_view a) {
      return a.size() == n.text.size() && std::equal(a.begin(), a.end(), n.text.begin(), [](char x, char y) {
               return std::tolower(static_cast<unsigned char>(x)) == std::tolower(static_cast<unsigned char>(y));
             });
    };
    for (auto* f : *grouping_froms_) {
      bool clash = false;
      if (f->table) {
        for (auto& c : f->table->columns) clash = clash || same(c.name);
      } else {
        for (auto& c : f->columns) clash = clash || same(c.first);
      }
      if (clash) {
        throw ArgumentError("[athanor.argument.label] group_by(): the label '" + n.text + "' is also a column of " + f->name +
                            ", which GROUP BY would read instead; give the label another name");
      }
    }
  }
  ident(n.text);
}

ATHANOR_DECL void Compiler::inline_literal(const Value& v) {
  // Only values whose SQL text is unambiguous: numbers, booleans, NULL and UTF-8 text through
  // the dialect's quoting (Dialect::literal). A NUL byte would end the text in C APIs, and a
  // byte sequence that is not UTF-8 could be read differently by the server's lexer.
  if (auto* d = std::get_if<double>(&v.variant()); d && !std::isfinite(*d)) {
    throw ArgumentError("[athanor.argument.literal] inline_literal(): a non-finite number has no SQL literal; bind it");
  }
  if (auto* str = std::get_if<std::string>(&v.variant())) {
    if (str->find('\0') != std::string::npos) {
      throw ArgumentError("[athanor.argument.literal] inline_literal(): the string contains a NUL byte; bind it");
    }
    if (!detail::is_utf8(*str)) {
      throw ArgumentError("[athanor.argument.literal] inline_literal(): the string is not well-formed UTF-8; bind it");
    }
  } else if (!(v.is_null() || v.holds<bool>() || v.holds<std::int64_t>() || v.holds<double>())) {
    throw ArgumentError("[athanor.argument.literal] inline_literal() takes a number, a boolean, a string or null; bind other values");
  }
  // A negative number in parentheses: after a unary minus, `--5` would start a comment.
  if (auto* d = std::get_if<double>(&v.variant())) {
    // Scientific notation, shortest round trip: `5e+00`, never `5`, which SQL reads as an integer.
    char buf[32];
    auto r = std::to_chars(buf, buf + sizeof buf, *d, std::chars_format::scientific);
    bool negative = buf[0] == '-';
    out() += negative ? "(" : "", out().append(buf, r.ptr), out() += negative ? ")" : "";
    return;
  }
  auto* i = std::get_if<std::int64_t>(&v.variant());
  bool negative = i && *i < 0;
  out() += negative ? "(" : "";
  d_.literal(out(), v);
  out() += negative ? ")" : "";
}

ATHANOR_DECL void Compiler::select(const detail::SelectNode& s, bool correlate) {
  auto* refs = label_refs_;
  auto* grouping = grouping_froms_;
  bool having = having_without_group_by_;
  label_refs_ = nullptr, grouping_froms_ = nullptr;  // a nested select names its own labels
  having_without_group_by_ = false;  // and has its own HAVING
  if (ctes_in_subqueries_) {
    // An UPDATE/DELETE where the dialect takes no WITH in front (Capabilities::cte_before_dml):
    // each subquery of the statement opens with the CTEs it reads, its nested ones included.
    ctes_in_subqueries_ = false;
    auto outer = std::move(ctes_);
    ctes_.clear();
    collect_ctes(s);
    with_clause();
    select_(s, correlate);
    ctes_ = std::move(outer);
    ctes_in_subqueries_ = true;
  } else {
    select_(s, correlate);
  }
  label_refs_ = refs, grouping_froms_ = grouping, having_without_group_by_ = having;
}

ATHANOR_DECL void Compiler::select_(const detail::SelectNode& s, bool correlate) {
  if (s.distinct && static_cast<bool>(s.offset) && s.compound.empty() && s.windows.empty() && !d_.capabilities().distinct_constants_offset &&
      std::all_of(s.columns.begin(), s.columns.end(), [](const Expr& c) { return constant_value(c); })) {
    // Capabilities::distinct_constants_offset: the select in a derived table, its OFFSET outside;
    // at most one distinct row, so no ORDER BY is needed.
    detail::SelectNode inner = s;
    inner.order_by.clear(), inner.limit = Expr(), inner.offset = Expr(), inner.for_update = false;
    out() += "SELECT * FROM (";
    name_group_columns_ = true;  // unique column names, as a derived table needs
    select_(inner, correlate);
    out() += ") AS ", ident("athanor_distinct");
    d_.limit_offset(*this, s.limit, s.offset);
    if (s.for_update) out() += " FOR UPDATE";
    return;
  }
  if (!s.compound.empty()) {
    // Method calls apply left to right: `a.union_(b).intersect(c)` is (A UNION B) INTERSECT C,
    // and its parts list is flat. Where INTERSECT binds tighter than a UNION or EXCEPT before
    // it, the server would read A UNION (B INTERSECT C): the parts so far are grouped. A part
    // that is itself a compound (or has its own ORDER BY / LIMIT) is grouped too, as
    // SQLAlchemy's CompoundSelect.self_group does. Grouping is `(…)`, or `SELECT * FROM (…)`
    // where the server takes no parentheses around a member (Capabilities).
    const auto& caps = d_.capabilities();
    auto open = [&] {
      out() += caps.parenthesised_compound_members ? "(" : "SELECT * FROM (";
      name_group_columns_ = caps.compound_group_unique_names;  // the group's first select names its columns
    };
    std::vector<bool> close_before(s.compound.size());
    if (caps.intersect_binds_tighter) {
      bool looser = false;  // a UNION or EXCEPT since the start or the last group
      for (std::size_t i = 1; i < s.compound.size(); ++i) {
        if (s.compound[i].first.rfind("INTERSECT", 0) != 0) {  // INTERSECT [ALL]
          looser = true;
        } else if (looser) {
          close_before[i] = true, looser = false;
          open();  // the groups all open before the first part
        }
      }
    }
    for (std::size_t i = 0; i < s.compound.size(); ++i) {
      auto& [op, part] = s.compound[i];
      if (close_before[i]) out() += ')';
      if (!op.empty()) {
        if ((op.rfind("INTERSECT", 0) == 0 || op.rfind("EXCEPT", 0) == 0) && !caps.intersect_except) d_.unsupported(op, "rewrite with EXISTS");
        if ((op == "INTERSECT ALL" || op == "EXCEPT ALL") && !caps.intersect_except_all)
          d_.unsupported(op, "use " + op.substr(0, op.size() - 4) + " (distinct rows), or count the rows per value with GROUP BY");
        out() += ' ', out() += op, out() += ' ';
      }
      bool group = !part->compound.empty() || !part->order_by.empty() || static_cast<bool>(part->limit);
      if (group) open();
      select(*part, correlate);
      if (group) out() += ')';
    }
  } else {
    out() += s.distinct ? "SELECT DISTINCT " : "SELECT ";
    // FROM: explicit items first, then every table the expressions mention that no join or
    // explicit item provides, less those taken from an enclosing select (correlation).
    FromList covered, inferred, mentioned;
    for (auto& f : s.froms) leaves(*f, covered);
    for (auto* v : {&s.columns, &s.where, &s.group_by, &s.having, &s.order_by})
      for (auto& e : *v) gather_froms(e, mentioned);
    for (auto& w : s.windows) gather_froms(w.second, mentioned);
    for (auto* f : mentioned)
      if (std::find(covered.begin(), covered.end(), f) == covered.end()) inferred.push_back(f);
    FromList froms = correlated_froms(s, inferred, correlate);
    if (s.columns.empty()) throw ArgumentError("[athanor.argument.select] select() has no columns");
    // The scope is open before the columns: a scalar subquery there correlates too.
    FromList scope = covered;
    scope.insert(scope.end(), froms.begin(), froms.end());
    scopes_.push_back(scope);
    bool name_columns = name_group_columns_;
    name_group_columns_ = false;
    // A label keeps its name; a column its own unless taken; anything else a made-up one.
    auto lower = [](std::string x) {
      for (auto& ch : x) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
      return x;
    };
    std::vector<std::string> names;  // lower case: MariaDB compares column names without case
    if (name_columns)
      for (auto& c : s.columns)
        if (c.node().kind == detail::ExprKind::label) names.push_back(lower(c.node().text));
    for (std::size_t i = 0; i < s.columns.size(); ++i) {
      if (i) out() += ", ";
      if (i == 0 && cast_first_column_ == &s) {
        // Capabilities::index_lookup_keeps_fractions: compared as the fraction's type, not rounded to the column's.
        cast_first_column_ = nullptr;
        out() += "CAST(", expr(s.columns[0]), out() += " AS ", d_.cast_type_name(out(), cast_first_column_type_), out() += ')';
      } else {
        select_column(s.columns[i]);
      }
      const auto& n = s.columns[i].node();
      if (!name_columns || n.kind == detail::ExprKind::label) continue;
      auto taken = [&](const std::string& x) { return std::find(names.begin(), names.end(), lower(x)) != names.end(); };
      std::string name = n.kind == detail::ExprKind::column ? n.text : "";
      if (name.empty() || taken(name)) name = "c" + std::to_string(i + 1);
      while (taken(name)) name += '_';
      names.push_back(lower(name));
      out() += " AS ", ident(name);
    }
    if (!s.froms.empty() || !froms.empty()) {
      out() += " FROM ";
      bool first = true;
      for (auto& f : s.froms) out() += first ? "" : ", ", first = false, from_item(*f);
      for (auto* f : froms) out() += first ? "" : ", ", first = false, from_item(*f);
    } else if (!s.where.empty() && !d_.capabilities().where_without_from) {
      out() += " FROM (SELECT 1) AS ", ident("athanor_one");  // Capabilities::where_without_from
    }
    where(" WHERE ", s.where);
    if (!s.group_by.empty()) {
      out() += " GROUP BY ";
      label_refs_ = &s, grouping_froms_ = &scope;
      keys(s.group_by);
      label_refs_ = nullptr, grouping_froms_ = nullptr;
    }
    having_without_group_by_ = s.group_by.empty() && !d_.capabilities().having_min_max_of_column;
    where(" HAVING ", s.having);
    having_without_group_by_ = false;
    for (std::size_t i = 0; i < s.windows.size(); ++i) {
      out() += i ? ", " : " WINDOW ", ident(s.windows[i].first), out() += " AS ", window(s.windows[i].second.node(), true);
    }
  }
  if (!s.order_by.empty()) {
    // A compound's ORDER BY sees only its result columns: names, not table.column
    // (PostgreSQL rejects the qualified form; https://www.postgresql.org/docs/current/queries-union.html).
    bool q = qualify;
    qualify = qualify && s.compound.empty();
    out() += " ORDER BY ";
    label_refs_ = s.compound.empty() ? &s : s.compound.front().second.get();
    keys(s.order_by);
    label_refs_ = nullptr;
    qualify = q;
  }
  // The scope closes after ORDER BY: a correlated subquery there reads the outer row too.
  if (s.compound.empty()) scopes_.pop_back();
  if (static_cast<bool>(s.limit) || static_cast<bool>(s.offset)) d_.limit_offset(*this, s.limit, s.offset);
  if (s.for_update) {
    if (!d_.capabilities().for_update) d_.unsupported("SELECT … FOR UPDATE", "remove with_for_update(); writers lock the whole database");
    out() += " FOR UPDATE";
  }
}

#endif  // ATHANOR_DEFINITIONS

}  // namespace athanor

#include <athanor/dialect/compiler_window.hpp>
#include <athanor/dialect/compiler_cte.hpp>
