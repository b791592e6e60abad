// athanor/core/ddl.hpp — DDL statements (CREATE/DROP TABLE, CREATE/DROP INDEX) as nodes the
// dialect compiles. `MetaData::create_all` issues them; users may execute them directly.
#pragma once

#include <memory>  // std::shared_ptr

#include <athanor/core/table.hpp>

namespace athanor {
namespace detail {
struct DdlNode : StatementNode {
  enum class Op : unsigned char { create_table, drop_table, create_index, drop_index } op{};
  DdlNode() : StatementNode(Kind::ddl) {}
  std::shared_ptr<const TableData> table;
  Index index;        ///< create_index / drop_index
  bool guard = false; ///< IF NOT EXISTS / IF EXISTS
};
inline std::shared_ptr<DdlNode> make_ddl(DdlNode::Op op, std::shared_ptr<const TableData> t, bool guard, Index index = {}) {
  auto n = std::make_shared<DdlNode>();
  n->op = op, n->table = std::move(t), n->guard = guard, n->index = std::move(index);
  return n;
}
}  // namespace detail

/// A DDL statement for `Connection::execute`.
class Ddl {
 public:
  explicit Ddl(std::shared_ptr<detail::DdlNode> n) : node_(std::move(n)) {}  ///< The statement of node `n`.
  const detail::DdlNode& node() const { return *node_; }  ///< The statement's tree, for the compiler.
  const std::shared_ptr<detail::DdlNode>& ptr() const { return node_; }  ///< The same, shared.

 private:
  std::shared_ptr<detail::DdlNode> node_;
};

/// The table's data, shared with the Table (for DDL nodes).
inline std::shared_ptr<const detail::TableData> table_ptr(const Table& t) {
  return std::shared_ptr<const detail::TableData>(t.node(), t.node()->table);
}
/// CREATE TABLE [IF NOT EXISTS] (indexes are separate statements).
inline Ddl create_table(const Table& t, bool if_not_exists = false) {
  return Ddl(detail::make_ddl(detail::DdlNode::Op::create_table, table_ptr(t), if_not_exists));
}
/// DROP TABLE [IF EXISTS].
inline Ddl drop_table(const Table& t, bool if_exists = false) {
  return Ddl(detail::make_ddl(detail::DdlNode::Op::drop_table, table_ptr(t), if_exists));
}

}  // namespace athanor
