// athanor/dialect/compiler.hpp — `Compiler`: turns a statement tree into SQL text and the
// list of values bound to its placeholders, asking the Dialect at every point where
// flavours differ. One compiler for all dialects (expressions here; SELECT in
// compiler_select.hpp; DML and DDL in compiler_dml.hpp).
#pragma once

#include <algorithm>  // std::all_of
#include <memory>     // std::shared_ptr
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
#include <athanor/dialect/detail/autoincrement.hpp>
#include <athanor/dialect/detail/expr_shape.hpp>
#include <athanor/dialect/dialect.hpp>

namespace athanor {

/// Turns one statement node into SQL text and its bound values (Compiled) for one Dialect;
/// the dialect's hooks write through it. One Compiler per statement: compile() hands over what it built.
class Compiler : public detail::ExprShape {
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
  /// Whether `c` is `t`'s generated key (detail::is_autoincrement).
  static bool is_autoincrement(const detail::TableData& t, const ColumnDef& c) { return detail::is_autoincrement(t, c); }

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

}  // namespace athanor

#if ATHANOR_DEFINITIONS
#include <athanor/dialect/impl/compiler.ipp>  // expressions
#endif
#include <athanor/dialect/compiler_select.hpp>
#include <athanor/dialect/compiler_dml.hpp>
#include <athanor/dialect/ansi.hpp>  // the Dialect hooks' default bodies
