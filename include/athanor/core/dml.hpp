// athanor/core/dml.hpp — `insert`, `update` and `delete_`: the data-changing statements of
// the Core expression language, with RETURNING and client-side column defaults.
#pragma once

#include <memory>   // std::shared_ptr
#include <string>   // std::string
#include <utility>  // std::pair
#include <vector>   // std::vector

#include <athanor/core/select.hpp>
#include <athanor/core/table.hpp>

namespace athanor {

/// Column values of an INSERT or UPDATE: `{{"name", "ann"}, {"visits", users.c("visits") + 1}}`.
using Values = std::vector<std::pair<std::string, Expr>>;

namespace detail {
struct InsertNode : StatementNode {
  InsertNode() : StatementNode(Kind::insert) {}
  std::shared_ptr<const TableData> table;
  std::vector<std::string> columns;
  std::vector<std::vector<Expr>> rows;
  std::shared_ptr<const SelectNode> from_select;
  std::vector<Expr> returning;
  // Upsert: ON CONFLICT (conflict_columns) DO UPDATE SET … / DO NOTHING; ON DUPLICATE KEY UPDATE.
  bool upsert = false;
  std::vector<std::string> conflict_columns;
  Values upsert_set;
};
struct UpdateNode : StatementNode {
  UpdateNode() : StatementNode(Kind::update) {}
  std::shared_ptr<const TableData> table;
  Values values;
  std::vector<Expr> where;
  std::vector<Expr> returning;
};
struct DeleteNode : StatementNode {
  DeleteNode() : StatementNode(Kind::delete_) {}
  std::shared_ptr<const TableData> table;
  std::vector<Expr> where;
  std::vector<Expr> returning;
};

inline void check_column(const TableData& t, const std::string& name) {
  if (!t.find(name)) {
    throw ArgumentError("[athanor.argument.unknown_column] table " + t.name + " has no column '" + name + "'");
  }
}
}  // namespace detail

/// Generative statement base: each call returns a modified copy.
template <class Derived, class Node>
class DmlStatement {
 public:
  explicit DmlStatement(std::shared_ptr<Node> n) : node_(std::move(n)) {}  ///< The statement of node `n`.
  const Node& node() const { return *node_; }  ///< The statement's tree, for the compiler.
  const std::shared_ptr<Node>& ptr() const { return node_; }  ///< The same, shared.
  /// RETURNING the given columns (ArgumentError where the dialect cannot).
  template <class... E>
  Derived returning(E&&... cols) const {
    return with([&](Node& n) { (add_returning(n, cols), ...); });
  }

 protected:
  /// A copy of this statement changed by `f` (the node is copied, never shared-and-changed).
  template <class F>
  Derived with(F&& f) const {
    auto n = std::make_shared<Node>(*node_);
    f(*n);
    return Derived(std::move(n));
  }
  /// Adds `e` (or every column of `f`) to RETURNING.
  ///@{
  static void add_returning(Node& n, const Expr& e) { n.returning.push_back(e); }
  static void add_returning(Node& n, const FromClause& f) { Select::expand(n.returning, f); }
  ///@}
  std::shared_ptr<Node> node_;  ///< the statement's tree (immutable once shared)
};

/// INSERT.  **Example**: `insert(users).values({{"name", "ann"}}).returning(users.c("id"))`;
/// several rows: `insert(users).values_list({{{"name", "a"}}, {{"name", "b"}}})`;
/// executemany: `conn.execute_many(insert(users), {{{"name", "a"}}, {{"name", "b"}}})`.
class Insert : public DmlStatement<Insert, detail::InsertNode> {
 public:
  using DmlStatement::DmlStatement;  ///< The statement of a node (insert() makes it).
  /// One row: column name → value (a value is bound; an Expr is written as is). Columns not
  /// given take their client-side default, else the server's.
  Insert values(const Values& row) const { return values_list(std::vector<Values>{row}); }
  /// Several rows in one INSERT (every row gives the same columns).
  Insert values_list(const std::vector<Values>& rows) const {
    return with([&](detail::InsertNode& n) {
      if (rows.empty()) {
        throw ArgumentError("[athanor.argument.values] insert into " + n.table->name + ": no rows given");
      }
      n.columns.clear(), n.rows.clear();
      for (auto& [name, v] : rows[0]) detail::check_column(*n.table, name), n.columns.push_back(name);
      for (auto& c : n.table->columns) {  // client-side defaults of the columns not given
        if ((c.default_value || c.default_factory) && !contains(n.columns, c.name)) n.columns.push_back(c.name);
      }
      for (auto& row : rows) {
        if (row.size() != rows[0].size()) {
          throw ArgumentError("[athanor.argument.values] insert into " + n.table->name + ": every row must give the same columns");
        }
        std::vector<Expr> out;
        for (auto& col : n.columns) out.push_back(value_for(*n.table, row, col));
        n.rows.push_back(std::move(out));
      }
    });
  }
  /// INSERT INTO t (columns) SELECT …
  Insert from_select(std::vector<std::string> columns, const Select& s) const {
    return with([&](detail::InsertNode& n) {
      for (auto& c : columns) detail::check_column(*n.table, c);
      n.columns = std::move(columns), n.rows.clear(), n.from_select = s.ptr();
    });
  }
  /// Upsert: on a conflict over `conflict_columns` (unique or primary key) update `set`
  /// instead (nothing when `set` is empty). ON CONFLICT on SQLite and PostgreSQL,
  /// ON DUPLICATE KEY UPDATE on MySQL (which uses any unique key).
  Insert on_conflict_do_update(std::vector<std::string> conflict_columns, Values set) const {
    return with([&](detail::InsertNode& n) {
      for (auto& c : conflict_columns) detail::check_column(*n.table, c);
      for (auto& [c, v] : set) detail::check_column(*n.table, c);
      n.upsert = true, n.conflict_columns = std::move(conflict_columns), n.upsert_set = std::move(set);
    });
  }
  /// Upsert that keeps the existing row: on_conflict_do_update() with nothing to set.
  Insert on_conflict_do_nothing(std::vector<std::string> conflict_columns = {}) const {
    return on_conflict_do_update(std::move(conflict_columns), {});
  }

 private:
  static bool contains(const std::vector<std::string>& v, const std::string& s) {
    return std::find(v.begin(), v.end(), s) != v.end();
  }
  static Expr value_for(const detail::TableData& t, const Values& row, const std::string& col) {
    for (auto& [name, v] : row)
      if (name == col) return v;
    auto* c = t.find(col);
    if (c->default_factory) return Expr(c->default_factory());
    if (c->default_value) return Expr(*c->default_value);
    throw ArgumentError("[athanor.argument.values] insert into " + t.name + ": a row lacks column '" + col + "'");
  }
};

/// UPDATE.  **Example**: `update(users).where(users.c("id") == 1).values({{"name", "bob"}})`
class Update : public DmlStatement<Update, detail::UpdateNode> {
 public:
  using DmlStatement::DmlStatement;  ///< The statement of a node (update() makes it).
  /// SET column = value, for each of `set` (a value is bound; an Expr is written as is).
  Update values(const Values& set) const {
    return with([&](detail::UpdateNode& n) {
      for (auto& [name, v] : set) detail::check_column(*n.table, name), n.values.emplace_back(name, v);
    });
  }
  /// WHERE (several calls are joined with AND); without one, every row.
  Update where(Expr e) const { return with([&](detail::UpdateNode& n) { n.where.push_back(std::move(e)); }); }
};

/// DELETE.  **Example**: `delete_(users).where(users.c("name") == "ann")`
class Delete : public DmlStatement<Delete, detail::DeleteNode> {
 public:
  using DmlStatement::DmlStatement;  ///< The statement of a node (delete_() makes it).
  /// WHERE (several calls are joined with AND); without one, every row.
  Delete where(Expr e) const { return with([&](detail::DeleteNode& n) { n.where.push_back(std::move(e)); }); }
};

/// INSERT INTO t.
inline Insert insert(const Table& t) {
  auto n = std::make_shared<detail::InsertNode>();
  n->table = std::shared_ptr<const detail::TableData>(t.node(), t.node()->table);
  return Insert(std::move(n));
}
/// UPDATE t.
inline Update update(const Table& t) {
  auto n = std::make_shared<detail::UpdateNode>();
  n->table = std::shared_ptr<const detail::TableData>(t.node(), t.node()->table);
  return Update(std::move(n));
}
/// DELETE FROM t.
inline Delete delete_(const Table& t) {
  auto n = std::make_shared<detail::DeleteNode>();
  n->table = std::shared_ptr<const detail::TableData>(t.node(), t.node()->table);
  return Delete(std::move(n));
}

}  // namespace athanor
