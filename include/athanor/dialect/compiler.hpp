// athanor/dialect/compiler.hpp — `Compiler`: turns a statement tree into SQL text and the
// list of values bound to its placeholders, asking the Dialect at every point where
// flavours differ. One compiler for all dialects (expressions here; SELECT in
// compiler_select.hpp; DML and DDL in compiler_dml.hpp).
#pragma once

#include <algorithm>  // std::find, std::all_of
#include <initializer_list>  // std::initializer_list
#include <memory>     // std::shared_ptr
#include <cctype>     // std::tolower
#include <charconv>   // std::to_chars
#include <cmath>      // std::isfinite
#include <string>     // std::string
#include <string_view>  // std::string_view
#include <vector>     // std::vector

#include <athanor/config.hpp>
#include <athanor/core/compiled.hpp>
#include <athanor/core/detail/json_array.hpp>
#include <athanor/core/detail/utf8.hpp>
#include <athanor/core/ddl.hpp>
#include <athanor/core/dml.hpp>
#include <athanor/core/functions.hpp>  // detail::portable_function (the flag)
#include <athanor/core/select.hpp>
#include <athanor/core/text.hpp>
#include <athanor/dialect/dialect.hpp>

namespace athanor {

/// Turns one statement node into SQL text and its bound values (Compiled) for one Dialect;
/// the dialect's hooks write through it. One Compiler per statement: compile() hands over what it built.
class Compiler {
 public:
  /// A compiler for `d`, which it refers to: `d` must outlive it.
  explicit Compiler(const Dialect& d) : d_(d) {}
  /// Defined once (issue 17): each file that compiled a typed statement compiled the
  /// destruction of every member below.
  ATHANOR_DECL ~Compiler();

  /// Compiles any statement node.
  Compiled compile(const detail::StatementNode& n);

  // --- used by dialect hooks ---
  /// The SQL text written so far; hooks append to it.
  std::string& out() { return c_.sql; }
  /// The dialect this compiler writes for.
  const Dialect& dialect() const { return d_; }
  /// Writes `s` as a quoted identifier (Dialect::quote, which refuses a bad one).
  void ident(std::string_view s) { d_.quote(c_.sql, s); }
  /// Writes the next placeholder and binds `v` to it; `name` is a text() parameter's name.
  void bind(const Value& v, const std::string& name = {}) {
    c_.params.push_back({name, v});
    d_.placeholder(c_.sql, c_.params.size());
  }
  /// Writes an expression, its values as placeholders.
  void expr(const Expr& e);
  /// An operand: parenthesised when it is itself an operator expression.
  void operand(const Expr& e) {
    using K = detail::ExprKind;
    auto k = e.node().kind;
    bool paren = k == K::binary || k == K::logical || k == K::concat || k == K::between || k == K::like ||
                 k == K::in_list || k == K::in_select || k == K::in_array || k == K::postfix || (k == K::unary && e.node().text == "NOT ");
    if (paren) out() += '(';
    expr(e);
    if (paren) out() += ')';
  }
  /// The left side of `IN (SELECT …)` (also the JSON-array form of an IN list): an aggregate
  /// there goes through coalesce() where the server gets it wrong as it is
  /// (Capabilities::aggregate_left_of_in_select).
  void left_of_in_select(const Expr& e) {
    if (d_.capabilities().aggregate_left_of_in_select || !(holds_aggregate(e) || holds_scalar_select(e))) return operand(e);
    out() += "coalesce(", expr(e), out() += ')';
  }
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
  /// A function's arguments, comma-separated. When every one is a bare bound value
  /// (`count($1)`, `lower($1)`), nothing types them: each is cast to its own type where the
  /// dialect asks (Capabilities::cast_bare_binds), as both sides of `$1 + $2` are.
  void arguments(const std::vector<Expr>& args) {
    bool untyped = !args.empty() && std::all_of(args.begin(), args.end(), [&](const Expr& a) { return is_bare_bind(a); });
    for (std::size_t i = 0; i < args.size(); ++i) {
      if (i) out() += ", ";
      untyped ? operand_or_cast(args[i]) : expr(args[i]);
    }
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
  /// A column name without its table (INSERT/UPDATE column lists, upsert).
  void column_name(const std::string& name) { ident(name); }
  /// Whether column references carry their table name.
  bool qualify = true;

  /// Writes a SELECT or a compound (UNION…); `correlate`: it is a subquery, whose FROM items
  /// may be left to an enclosing select (SQLAlchemy's correlation rules).
  void select(const detail::SelectNode& s, bool correlate);
  /// Writes an INSERT (VALUES rows or a select), its upsert clause and RETURNING.
  void insert(const detail::InsertNode& n);
  /// Writes an UPDATE with its WITH, WHERE and RETURNING clauses.
  void update(const detail::UpdateNode& n);
  /// Writes a DELETE with its WITH, WHERE and RETURNING clauses.
  void delete_(const detail::DeleteNode& n);
  /// Writes a text() statement: its SQL as given, each `:name` a placeholder bound to the
  /// bindparams() value of that name (a required parameter when none was given).
  void text(const detail::TextNode& n);
  /// Writes CREATE/DROP TABLE or CREATE/DROP INDEX.
  void ddl(const detail::DdlNode& n);
  /// Writes CREATE TABLE (IF NOT EXISTS when `guard`): columns, keys and constraints.
  void create_table(const detail::TableData& t, bool guard);
  /// One column of CREATE TABLE: name, type (the autoincrement type for the key), NOT NULL, DEFAULT.
  void column_ddl(const detail::TableData& t, const ColumnDef& c);
  /// Whether `c` is `t`'s generated key: its sole primary-key column, of an integer type, and
  /// then autoincrement(b) if given, else only when it has no foreign key and no default.
  static bool is_autoincrement(const detail::TableData& t, const ColumnDef& c) {
    if (t.primary_key.size() != 1 || t.primary_key[0] != c.name || !c.type.is_integer()) return false;
    if (c.autoincrement) return *c.autoincrement;
    return c.foreign_keys.empty() && !c.server_default.has_value() && !c.default_value.has_value() && !c.default_factory;
  }

 private:
  using FromList = std::vector<const detail::FromNode*>;
  void expr_(const Expr& e);
  void select_(const detail::SelectNode& s, bool correlate);
  /// The inferred FROM items `s` writes, less those correlated to an enclosing select.
  FromList correlated_froms(const detail::SelectNode& s, const FromList& inferred, bool correlate) const;
  void from_item(const detail::FromNode& f);
  void gather_froms(const Expr& e, FromList& out) const;
  static void leaves(const detail::FromNode& f, FromList& out) {
    if (f.kind == detail::FromNode::Kind::join) return leaves(*f.left, out), leaves(*f.right, out);
    out.push_back(&f);
  }
  void collect_ctes(const detail::SelectNode& s);
  void collect_ctes(const Expr& e);
  void collect_ctes(const detail::FromNode& f);
  void with_clause();
  void list(const std::vector<Expr>& v, const char* sep = ", ") {
    for (std::size_t i = 0; i < v.size(); ++i) {
      if (i) out() += sep;
      expr(v[i]);
    }
  }
  /// GROUP BY / ORDER BY items. A value alone there is no constant to the server: an integer
  /// literal is a column position on every server, MariaDB substitutes a bound integer before
  /// parsing and reads it as a position too ("Unknown column '7'", or silently the first
  /// column for 1), and PostgreSQL refuses a non-integer literal ("non-integer constant in
  /// ORDER BY"). In SQLAlchemy a value is a value, and a position is asked for by text
  /// (literal_column("1")): so a value alone is written CAST(value AS its type), an expression,
  /// which every server reads as the constant it is.
  void keys(const std::vector<Expr>& v) {
    using K = detail::ExprKind;
    for (std::size_t i = 0; i < v.size(); ++i) {
      if (i) out() += ", ";
      const auto* n = &v[i].node();
      if (n->kind == K::ordering) n = &n->args[0].node();
      if (n->kind == K::label) n = &n->args[0].node();  // written as its expression unless a select-list label
      bool value = (n->kind == K::bind || n->kind == K::literal) && n->type.kind != TypeKind::null;
      value_key_ = value ? n : nullptr;
      expr(v[i]);
      value_key_ = nullptr;
    }
  }
  void where(const char* keyword, const std::vector<Expr>& v) {
    if (v.empty()) return;
    out() += keyword;
    for (std::size_t i = 0; i < v.size(); ++i) {
      if (i) out() += " AND ";
      v.size() > 1 ? operand(v[i]) : expr(v[i]);
    }
  }
  void returning(const std::vector<Expr>& r, bool supported, const char* stmt);
  /// `x IN (v1, v2, …)` of plain values becomes `x IN (elements of one bound JSON array)`:
  /// one SQL text, so one prepared statement, whatever the list's length.
  bool in_list_as_array(const detail::ExprNode& n) {
    auto lhs = n.args[0].type().kind;
    if (lhs == TypeKind::null || lhs == TypeKind::binary || lhs == TypeKind::json) return false;
    // An aggregate stays left of a plain list where it may not stand left of a subquery
    // (Capabilities::aggregate_left_of_in_select): MariaDB 10.11 answers `count(*) IN (SELECT
    // v FROM JSON_TABLE(…))` with 0 (NOT IN with 1) when it has found the WHERE empty before
    // execution (`WHERE id = 999`), whatever the list holds; a plain list it evaluates.
    if (!d_.capabilities().aggregate_left_of_in_select && holds_aggregate(n.args[0])) return false;
    // The elements are read as the left side's type: a fraction (double or Decimal) beside an
    // integer column would be cut (MariaDB: -2.25 read as -2) or refused (PostgreSQL), so such a
    // list stays a list of binds.
    bool integral = lhs == TypeKind::integer || lhs == TypeKind::big_integer || lhs == TypeKind::small_integer ||
                    lhs == TypeKind::boolean;
    std::vector<Value> values;
    for (std::size_t i = 1; i < n.args.size(); ++i) {
      const auto& a = n.args[i].node();
      if (a.kind != detail::ExprKind::bind || !a.text.empty() || a.flags != 0 || a.value.holds<Bytes>()) return false;
      if (integral && (a.value.holds<double>() || a.value.holds<Decimal>())) return false;
      values.push_back(a.value);
    }
    // One array node per IN list node: the same list met again (in the select list and in
    // ORDER BY under DISTINCT) is then the same parameter where placeholders are numbered.
    auto made = std::find_if(arrays_.begin(), arrays_.end(), [&](auto& a) { return a.first == &n; });
    if (made == arrays_.end()) arrays_.emplace_back(&n, Expr::make_bind(Value(detail::json_array(values)))), made = arrays_.end() - 1;
    detail::ExprNode array = n;
    array.kind = detail::ExprKind::in_array, array.flags = n.flags & 1;
    array.args = {n.args[0], made->second};
    wrote_in_select_ = true;
    d_.in_array(*this, array);
    return true;
  }
  /// A select-list item. `SELECT $1` has no context to type the parameter from (PostgreSQL
  /// makes it text), so where the dialect asks, a bare bind there is cast to its own type.
  void select_column(const Expr& e) {
    const auto& n = e.node();
    if (n.kind != detail::ExprKind::label || !is_bare_bind(n.args[0])) {
      label_as_ = true, operand_or_cast(e), label_as_ = false;
      return;
    }
    operand_or_cast(n.args[0]), out() += " AS ", ident(n.text);
  }
  /// Whether `constant` (a bound or literal value) is a fraction compared for equality with the
  /// integer column `other` where the server's index lookup would round it first
  /// (Capabilities::index_lookup_keeps_fractions): `int_col = 2.5` would find the row holding 2.
  /// Left of IN (SELECT int_col …) (`constant_only` false) any fractional value is: the server
  /// rounds it to look it up in the index or in the materialised subquery.
  bool rounded_by_index(const Expr& constant, const Expr& other, bool constant_only = true) const {
    using K = detail::ExprKind;
    if (d_.capabilities().index_lookup_keeps_fractions) return false;
    auto k = constant.node().kind;
    auto t = constant.type().kind;
    // A derived table's or CTE's constant column counts too: `EXISTS (SELECT … WHERE t.id = d.c)`
    // with d.c 2.5 (`(SELECT 2.5 AS c …) AS d`, merged) found the row holding 2 on MariaDB 10.11.
    if ((constant_only && k != K::bind && k != K::literal && !constant_value(constant)) ||
        (t != TypeKind::double_ && t != TypeKind::float_ && t != TypeKind::numeric))
      return false;
    const auto& o = other.node();
    return o.kind == K::column && (o.type.is_integer() || o.type.kind == TypeKind::boolean);
  }
  /// `e` as CAST(e AS its own type): the server then compares it exactly (see rounded_by_index).
  void cast_to_own_type(const Expr& e) {
    out() += "CAST(", expr(e), out() += " AS ", d_.cast_type_name(out(), e.node().type), out() += ')';
  }
  bool is_bare_bind(const Expr& e) const {
    return d_.capabilities().cast_bare_binds && e.node().kind == detail::ExprKind::bind && e.node().type.kind != TypeKind::null;
  }
  /// `e`, as CAST(e AS its type) when it is a bare bind (see Capabilities::cast_bare_binds).
  void operand_or_cast(const Expr& e) {
    if (!is_bare_bind(e)) return expr(e);
    out() += "CAST(", expr(e), out() += " AS ", d_.cast_type_name(out(), e.node().type), out() += ')';
  }

  /// A label in GROUP BY or ORDER BY: its name when it is one of the select list's own
  /// labels (SQLAlchemy's label reference), else the labelled expression. In GROUP BY, a name
  /// that is also a column of the FROM items would be read as that column (PostgreSQL and
  /// MySQL prefer input columns there): refused.
  void label_reference(const Expr& e);
  void inline_literal(const Value& v);
  /// A window (ExprKind::window): `(… PARTITION BY … ORDER BY … frame)`, or its name alone
  /// after OVER when it only names a window of the WINDOW clause (`definition`: always `(…)`).
  void window(const detail::ExprNode& w, bool definition);
  /// `f OVER window` (ExprKind::over): f's INTEGER arguments cast where binds are typed by
  /// context; lag/lead's default emulated where the server has none.
  void over(const detail::ExprNode& o);
  void window_call(const detail::ExprNode& f, std::size_t args);

  const Dialect& d_;
  Compiled c_;
  /// The select whose labels GROUP BY / ORDER BY may name (null elsewhere), and for GROUP BY
  /// the FROM items whose column names a label must not take.
  const detail::SelectNode* label_refs_ = nullptr;
  const FromList* grouping_froms_ = nullptr;
  /// Rendering a whole select-list or RETURNING item: a label there is `expr AS name`.
  bool label_as_ = false;
  /// The value that is a whole GROUP BY / ORDER BY item, written as a CAST (see keys()).
  const detail::ExprNode* value_key_ = nullptr;
  /// The next plain select opens a compound group: it names its columns (Capabilities::compound_group_unique_names).
  bool name_group_columns_ = false;
  /// Bound value nodes already given a placeholder, with its index (numbered placeholders, in
  /// SELECT statements: elsewhere a parameter's index may be read per column, as INSERT does).
  bool reuse_binds_ = false;
  /// The subquery of `fraction IN (SELECT int_col …)` whose column is written as
  /// CAST(int_col AS the fraction's type) (see rounded_by_index), with that type.
  const detail::SelectNode* cast_first_column_ = nullptr;
  SqlType cast_first_column_type_;
  /// What the statement holds anywhere, for Capabilities::window_with_semi_join_switch.
  bool wrote_window_ = false, wrote_in_select_ = false;
  /// … and for Capabilities::null_side_derived_switch.
  bool wrote_null_side_derived_ = false;
  /// The function called OVER a window being written (Capabilities::derived_column_as_aggregate_argument).
  const detail::ExprNode* window_function_ = nullptr;
  /// Writing the HAVING of a select without GROUP BY (Capabilities::having_min_max_of_column).
  bool having_without_group_by_ = false;
  /// The function over the window being written is an aggregate (Capabilities::window_constant_keys).
  bool window_aggregate_ = false;
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
  /// Held, not only pointed to: a node the compiler made itself (the JSON array of an IN list)
  /// is freed after use, and a later node at the same address would take its placeholder.
  std::vector<std::pair<std::shared_ptr<const detail::ExprNode>, std::size_t>> bound_;
  /// The JSON array made for each IN list of values (see in_list_as_array).
  std::vector<std::pair<const detail::ExprNode*, Expr>> arrays_;
  std::vector<FromList> scopes_;  ///< FROM items of the enclosing selects, for correlation
  std::vector<const detail::FromNode*> ctes_;
  /// The WITH clause goes into each subquery (an UPDATE/DELETE, Capabilities::cte_before_dml false).
  bool ctes_in_subqueries_ = false;
  /// The CTEs an UPDATE/DELETE reads: WITH in front, or in its subqueries (cte_before_dml).
  void dml_with(const std::vector<Expr>& exprs) {
    for (auto& e : exprs) collect_ctes(e);
    if (d_.capabilities().cte_before_dml) with_clause();
    else ctes_in_subqueries_ = !ctes_.empty();
    ctes_.clear();
  }
};

#if ATHANOR_DEFINITIONS
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

#endif  // ATHANOR_DEFINITIONS

}  // namespace athanor

#include <athanor/dialect/compiler_select.hpp>
#include <athanor/dialect/compiler_dml.hpp>
#include <athanor/dialect/ansi.hpp>  // the Dialect hooks' default bodies
