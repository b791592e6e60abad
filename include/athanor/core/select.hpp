// athanor/core/select.hpp — `select(...)`, the SELECT statement of the Core expression
// language: where, order_by, group_by, having, limit/offset, distinct, joins, subqueries,
// CTEs, exists, unions. Generative like SQLAlchemy's: each method returns a new Select.
#pragma once

#include <memory>   // std::shared_ptr
#include <string>   // std::string
#include <string_view>  // std::string_view
#include <utility>  // std::move
#include <vector>   // std::vector

#include <athanor/config.hpp>
#include <athanor/core/from_clause.hpp>
#include <athanor/core/window.hpp>

namespace athanor {

namespace detail {
struct SelectNode : StatementNode {
  SelectNode() : StatementNode(Kind::select) {}
  // Defined once (issue 17): a copy per generative call and the virtual destructor were
  // compiled in every file that builds a Select; out of line, the destructor is also the key
  // function, so the vtable lives in <athanor/src.hpp>'s unit with ATHANOR_SEPARATE_COMPILATION.
  ATHANOR_DECL SelectNode(const SelectNode&);
  ATHANOR_DECL ~SelectNode() override;
  std::vector<Expr> columns;
  std::vector<std::shared_ptr<const FromNode>> froms;  ///< select_from() and joins; the rest is inferred
  std::vector<Expr> where, group_by, having, order_by;
  /// WINDOW name AS (…): each name with its window node (ExprKind::window).
  std::vector<std::pair<std::string, Expr>> windows;
  Expr limit, offset;
  bool distinct = false, for_update = false;
  /// correlate(…) was called: only `correlate`'s FROM items correlate to an enclosing
  /// statement (none when empty); otherwise correlation is automatic (see Select::correlate).
  bool explicit_correlate = false;
  std::vector<std::shared_ptr<const FromNode>> correlate;
  /// A compound (UNION …): the parts with the operator before each ("" for the first);
  /// order_by/limit/offset above then apply to the whole.
  std::vector<std::pair<std::string, std::shared_ptr<const SelectNode>>> compound;
};
#if ATHANOR_DEFINITIONS
ATHANOR_DECL SelectNode::SelectNode(const SelectNode&) = default;
ATHANOR_DECL SelectNode::~SelectNode() = default;
#endif
}  // namespace detail

class Cte;

/// A SELECT statement.
/// **Example**: `select(users.c("name")).where(users.c("id") > 3).order_by(users.c("name").desc()).limit(10)`
class Select {
 public:
  /// An empty select (no column yet).
  Select() : node_(std::make_shared<detail::SelectNode>()) {}
  /// The select of node `n`.
  explicit Select(std::shared_ptr<detail::SelectNode> n) : node_(std::move(n)) {}

  /// WHERE (several calls are joined with AND). Each method returns a new Select.
  Select where(Expr e) const { return with([&](auto& n) { n.where.push_back(std::move(e)); }); }
  Select filter(Expr e) const { return where(std::move(e)); }  ///< Another spelling of where().
  /// ORDER BY, each term a column or expression, `.desc()`, `.nulls_first()`….
  template <class... E>
  Select order_by(E&&... e) const { return with([&](auto& n) { (n.order_by.push_back(Expr(e)), ...); }); }
  /// GROUP BY.
  template <class... E>
  Select group_by(E&&... e) const { return with([&](auto& n) { (n.group_by.push_back(Expr(e)), ...); }); }
  /// HAVING (several calls are joined with AND).
  Select having(Expr e) const { return with([&](auto& n) { n.having.push_back(std::move(e)); }); }
  /// `WINDOW name AS (…)` (after HAVING), named by functions `over(f, "name")`.
  /// **Example**: `select(over(rank(), "w"), over(sum(t.c("x")), "w")).window("w", Window{.order_by = {t.c("d")}})`
  Select window(std::string name, const Window& w) const { return window(std::move(name), detail::make_window(w)); }
  /// The same with the window node built already (the typed DSL's, whose offsets are numbered binds).
  Select window(std::string name, Expr window_node) const {
    return with([&](auto& n) { n.windows.emplace_back(std::move(name), std::move(window_node)); });
  }
  Select limit(Expr e) const { return with([&](auto& n) { n.limit = std::move(e); }); }  ///< LIMIT (a value is bound).
  Select offset(Expr e) const { return with([&](auto& n) { n.offset = std::move(e); }); }  ///< OFFSET (a value is bound).
  Select distinct() const { return with([](auto& n) { n.distinct = true; }); }  ///< SELECT DISTINCT.
  /// SELECT … FOR UPDATE (an ArgumentError on dialects without row locks).
  Select with_for_update() const { return with([](auto& n) { n.for_update = true; }); }
  Select select_from(const FromClause& f) const { return with([&](auto& n) { n.froms.push_back(f.node()); }); }  ///< FROM `f`, for selects whose columns name no table (`select(count()).select_from(users)`).
  /// Used inside another statement (a scalar subquery, exists, in_), take these FROM items
  /// from the enclosing statement instead of reading them afresh; `correlate()` with none
  /// correlates nothing. Without it, correlation is automatic, as in SQLAlchemy: a table the
  /// subquery reads that an enclosing statement also reads is taken from outside, but only
  /// when the subquery reads more than one FROM item: `(SELECT avg(t.x) FROM t)` inside a
  /// select of t keeps its FROM. Correlation that would leave a subquery with no FROM at all is
  /// an ArgumentError; name the outside tables with correlate(), or alias the inner ones.
  /// **Example**: `select(count()).select_from(posts).where(posts.c("user_id") == users.c("id")).correlate(users)`
  template <class... F>
    requires(std::is_base_of_v<FromClause, std::remove_cvref_t<F>> && ...)
  Select correlate(const F&... froms) const {
    return with([&](auto& n) { n.explicit_correlate = true, (n.correlate.push_back(froms.node()), ...); });
  }
  /// More columns (a FROM item: all of its columns).
  template <class... E>
  Select add_columns(E&&... e) const { return with([&](auto& n) { (add_column(n, e), ...); }); }
  /// INNER JOIN onto the leftmost FROM item.
  Select join(const FromClause& target, Expr on) const { return join_(target, std::move(on), 0); }
  /// LEFT OUTER JOIN onto the leftmost FROM item.
  Select outerjoin(const FromClause& target, Expr on) const { return join_(target, std::move(on), 1); }
  Select full_outerjoin(const FromClause& target, Expr on) const { return join_(target, std::move(on), 2); }  ///< FULL OUTER JOIN onto the leftmost FROM item (an ArgumentError where the server has none).

  /// UNION, UNION ALL, INTERSECT, EXCEPT with `other`, left to right: `a.union_(b).intersect(c)`
  /// is (a UNION b) INTERSECT c on every backend.
  ///@{
  Select union_(const Select& other) const { return compound("UNION", other); }
  Select union_all(const Select& other) const { return compound("UNION ALL", other); }
  Select intersect(const Select& other) const { return compound("INTERSECT", other); }
  Select except_(const Select& other) const { return compound("EXCEPT", other); }
  ///@}
  /// INTERSECT ALL / EXCEPT ALL: an ArgumentError on dialects without them (SQLite).
  ///@{
  Select intersect_all(const Select& other) const { return compound("INTERSECT ALL", other); }
  Select except_all(const Select& other) const { return compound("EXCEPT ALL", other); }
  ///@}

  /// This select as a named FROM item: `auto sq = s.subquery("sq"); select(sq.c("n"))`.
  FromClause subquery(std::string name) const { return FromClause(as_from(detail::FromNode::Kind::subquery, std::move(name), false)); }
  /// This select as a common table expression (WITH name AS (…)).
  Cte cte(std::string name, bool recursive = false) const;
  /// `(SELECT …)` used as a value.
  Expr scalar_subquery() const {
    auto e = Expr::make(detail::ExprKind::scalar_select, node_->columns.empty() ? SqlType{} : node_->columns[0].type(), "", {});
    const_cast<detail::ExprNode&>(e.node()).select = node_;
    return e;
  }

  const detail::SelectNode& node() const { return *node_; }  ///< The statement's tree, for the compiler.
  const std::shared_ptr<detail::SelectNode>& ptr() const { return node_; }  ///< The same, shared.

  /// Appends `e` (or every column of FROM item `f`) to `n`'s columns: what select() and
  /// add_columns() do with each argument.
  ///@{
  static void add_column(detail::SelectNode& n, const Expr& e) { n.columns.push_back(e); }
  static void add_column(detail::SelectNode& n, const FromClause& f) { expand(n.columns, f); }
  ///@}
  /// Appends every column of `f` (a table's, or a subquery's named columns) to `out`.
  static void expand(std::vector<Expr>& out, const FromClause& f) {
    auto& fn = *f.node();
    if (fn.table) {
      for (auto& c : fn.table->columns) out.push_back(f.unchecked_c(c.name, c.type));
    } else {
      for (auto& [name, type] : fn.columns) out.push_back(f.unchecked_c(name, type));
    }
  }

  /// This select as a FROM node of `kind` (subquery or CTE) named `name`, its columns named as
  /// the select's.
  std::shared_ptr<const detail::FromNode> as_from(detail::FromNode::Kind kind, std::string name, bool recursive) const {
    auto f = std::make_shared<detail::FromNode>();
    f->kind = kind, f->name = std::move(name), f->select = node_, f->recursive = recursive;
    const detail::SelectNode* first = node_.get();  // a compound's columns are its first select's
    while (!first->compound.empty()) first = first->compound.front().second.get();
    for (auto& c : first->columns)
      if (!c.name().empty()) f->columns.emplace_back(c.name(), c.type());
    return f;
  }

 private:
  template <class F>
  Select with(F&& f) const {
    auto n = std::make_shared<detail::SelectNode>(*node_);
    f(*n);
    return Select(std::move(n));
  }
  Select join_(const FromClause& target, Expr on, int flags) const {
    return with([&](auto& n) {
      if (n.froms.empty()) {  // the first table the columns name, other than the one joined (self-joins of aliases)
        for (auto& c : n.columns) {
          if (auto from = first_from(c); from && from != target.node()) {
            n.froms.push_back(std::move(from));
            break;
          }
        }
      }
      if (n.froms.empty()) throw ArgumentError("[athanor.argument.join] join(): the select has no FROM item to join onto");
      auto j = std::make_shared<detail::FromNode>();
      j->kind = detail::FromNode::Kind::join, j->left = n.froms.front(), j->right = target.node(), j->on = std::move(on);
      j->join_flags = flags;
      n.froms.front() = std::move(j);
    });
  }
  static std::shared_ptr<const detail::FromNode> first_from(const Expr& e) {
    auto& n = e.node();
    if (n.kind == detail::ExprKind::column) return n.from;
    for (auto& a : n.args)
      if (auto r = first_from(a)) return r;
    return nullptr;
  }
  Select compound(const char* op, const Select& other) const {
    auto n = std::make_shared<detail::SelectNode>();
    if (node_->compound.empty() || !node_->order_by.empty() || static_cast<bool>(node_->limit)) {
      n->compound.emplace_back("", node_);
    } else {
      n->compound = node_->compound;
    }
    n->compound.emplace_back(op, other.node_);
    return Select(std::move(n));
  }

  std::shared_ptr<detail::SelectNode> node_;
};

/// A common table expression. For a recursive CTE, reference it inside the second part:
/// ```
/// auto t = select(literal(1).label("n")).cte("t", true);
/// t = t.union_all(select((t.c("n") + 1).label("n")).where(t.c("n") < 5));
/// ```
class Cte : public FromClause {
 public:
  /// The CTE of node `n` (Select::cte() makes it).
  Cte(std::shared_ptr<const detail::FromNode> n) : FromClause(std::move(n)) {}
  Cte union_all(const Select& more) const { return extend("UNION ALL", more); }  ///< The CTE with `more` after UNION ALL: the recursive step of a recursive CTE.
  Cte union_(const Select& more) const { return extend("UNION", more); }  ///< The same with UNION (duplicates removed).

 private:
  Cte extend(const char* op, const Select& more) const {
    Select body(std::const_pointer_cast<detail::SelectNode>(node_->select));
    auto whole = std::string_view(op) == "UNION ALL" ? body.union_all(more) : body.union_(more);
    auto n = std::make_shared<detail::FromNode>(*node_);
    n->select = whole.ptr();
    return Cte(std::move(n));
  }
};

inline Cte Select::cte(std::string name, bool recursive) const {
  return Cte(as_from(detail::FromNode::Kind::cte, std::move(name), recursive));
}

/// SELECT of columns, expressions and whole FROM items (a Table expands to its columns).
/// **Example**: `select(users)`, `select(users.c("id"), count())`
template <class... E>
  requires((std::is_convertible_v<E, Expr> || std::is_base_of_v<FromClause, std::remove_cvref_t<E>>) && ...)
Select select(E&&... columns) {
  auto n = std::make_shared<detail::SelectNode>();
  (Select::add_column(*n, columns), ...);
  return Select(std::move(n));
}
/// SELECT of a list of columns known at run time.
inline Select select(const std::vector<Expr>& columns) {
  auto n = std::make_shared<detail::SelectNode>();
  n->columns = columns;
  return Select(std::move(n));
}

/// `EXISTS (SELECT …)`.
inline Expr exists(const Select& s) {
  auto e = Expr::make(detail::ExprKind::exists, Expr::boolean(), "", {});
  const_cast<detail::ExprNode&>(e.node()).select = s.ptr();
  return e;
}
inline Select union_(const Select& a, const Select& b) { return a.union_(b); }  ///< a UNION b.
inline Select union_all(const Select& a, const Select& b) { return a.union_all(b); }  ///< a UNION ALL b.

inline Expr Expr::in_(const Select& s) const {
  auto e = make(detail::ExprKind::in_select, boolean(), "", {*this});
  const_cast<detail::ExprNode&>(e.node()).select = s.ptr();
  return e;
}
inline Expr Expr::not_in(const Select& s) const {
  auto e = make(detail::ExprKind::in_select, boolean(), "", {*this}, 1);
  const_cast<detail::ExprNode&>(e.node()).select = s.ptr();
  return e;
}

}  // namespace athanor
