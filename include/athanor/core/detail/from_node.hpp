// athanor/core/detail/from_node.hpp — what may stand in a FROM clause (table, alias,
// join, subquery, CTE), and the data a Table holds.
#pragma once

#include <memory>  // std::shared_ptr
#include <string>  // std::string
#include <vector>  // std::vector

#include <athanor/core/column.hpp>
#include <athanor/core/constraints.hpp>
#include <athanor/core/expression.hpp>

namespace athanor::detail {

struct FromNode {
  enum class Kind : unsigned char { table, alias, join, subquery, cte } kind{};
  std::string name;                          ///< table, alias, subquery or CTE name
  const TableData* table = nullptr;          ///< table and alias-of-table
  std::shared_ptr<const TableData> keep;     ///< keeps an aliased table alive
  std::shared_ptr<const SelectNode> select;  ///< subquery and CTE body
  std::shared_ptr<const FromNode> left, right;
  Expr on;
  int join_flags = 0;  ///< 1 = LEFT OUTER, 2 = FULL OUTER
  bool recursive = false;
  std::vector<std::pair<std::string, SqlType>> columns;  ///< subquery and CTE output columns
};

struct ResolvedForeignKey {
  std::vector<std::string> columns;
  std::string ref_table;
  std::vector<std::string> ref_columns;
  ForeignKey::Options options;
};

struct TableData {
  std::string name;
  std::vector<ColumnDef> columns;
  std::vector<std::string> primary_key;
  std::vector<ResolvedForeignKey> foreign_keys;
  std::vector<UniqueConstraint> uniques;
  std::vector<CheckConstraint> checks;
  std::vector<Index> indexes;
  FromNode from;  ///< this table as a FROM item; shared by aliasing, so no ownership cycle

  const ColumnDef* find(std::string_view column) const {
    for (auto& c : columns)
      if (c.name == column) return &c;
    return nullptr;
  }
};

}  // namespace athanor::detail
