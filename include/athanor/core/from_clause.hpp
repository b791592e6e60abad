// athanor/core/from_clause.hpp — `FromClause`, the handle of anything a SELECT reads
// from: a table, an alias, a join, a subquery or a CTE. `c("name")` gives its columns.
#pragma once

#include <memory>  // std::shared_ptr
#include <string>  // std::string

#include <athanor/core/detail/from_node.hpp>
#include <athanor/core/error.hpp>

namespace athanor {

/// Something to select from. Joins: `users.join(posts, users.c("id") == posts.c("user_id"))`.
class FromClause {
 public:
  FromClause() = default;
  /// The FROM item of node `node`.
  explicit FromClause(std::shared_ptr<const detail::FromNode> node) : node_(std::move(node)) {}

  /// A column of this FROM item; throws ArgumentError when it has no such column.
  Expr c(std::string_view column) const {
    SqlType type;
    if (!column_type(column, type)) {
      throw ArgumentError("[athanor.argument.unknown_column] " + describe() + " has no column '" +
                          std::string(column) + "'");
    }
    auto n = std::make_shared<detail::ExprNode>();
    n->kind = detail::ExprKind::column, n->type = type, n->text = std::string(column), n->from = node_;
    return Expr(std::move(n));
  }
  /// `c` for a column whose existence cannot be checked here (subquery of text SQL…).
  Expr unchecked_c(std::string_view column, SqlType type = {}) const {
    auto n = std::make_shared<detail::ExprNode>();
    n->kind = detail::ExprKind::column, n->type = std::move(type), n->text = std::string(column), n->from = node_;
    return Expr(std::move(n));
  }

  /// This item JOIN / LEFT OUTER JOIN / FULL OUTER JOIN `right` ON `on`, as a new FROM item
  /// (FULL: an ArgumentError where the server has none).
  ///@{
  FromClause join(const FromClause& right, Expr on) const { return make_join(right, std::move(on), 0); }
  FromClause outerjoin(const FromClause& right, Expr on) const { return make_join(right, std::move(on), 1); }
  FromClause full_outerjoin(const FromClause& right, Expr on) const { return make_join(right, std::move(on), 2); }
  ///@}

  const std::shared_ptr<const detail::FromNode>& node() const { return node_; }  ///< The tree, for the compiler.
  const std::string& name() const { return node_->name; }  ///< The table, alias or subquery name ("" for a join).

 protected:
  /// "table users", "alias m of table employees"…: for error messages.
  std::string describe() const {
    using K = detail::FromNode::Kind;
    switch (node_->kind) {
      case K::table: return "table " + node_->name;
      case K::alias: return "alias " + node_->name + " of table " + node_->table->name;
      case K::join: return "join";
      default: return "subquery " + node_->name;
    }
  }
  /// Whether the item (or node `n`) has `column`; its type then goes into `type`.
  ///@{
  bool column_type(std::string_view column, SqlType& type) const { return column_type(*node_, column, type); }
  static bool column_type(const detail::FromNode& n, std::string_view column, SqlType& type) {
    using K = detail::FromNode::Kind;
    if (n.kind == K::table || n.kind == K::alias) {
      auto* c = n.table->find(column);
      if (c) type = c->type;
      return c != nullptr;
    }
    if (n.kind == K::join) return column_type(*n.left, column, type) || column_type(*n.right, column, type);
    for (auto& [name, t] : n.columns) {
      if (name == column) return type = t, true;
    }
    return false;
  }
  ///@}

  std::shared_ptr<const detail::FromNode> node_;  ///< the FROM item's tree

 private:
  FromClause make_join(const FromClause& right, Expr on, int flags) const {
    auto n = std::make_shared<detail::FromNode>();
    n->kind = detail::FromNode::Kind::join, n->left = node_, n->right = right.node_, n->on = std::move(on);
    n->join_flags = flags;
    return FromClause(std::move(n));
  }
};

}  // namespace athanor
