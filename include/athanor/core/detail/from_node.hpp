// athanor/core/detail/from_node.hpp — what may stand in a FROM clause (table, alias,
// join, subquery, CTE), and the data a Table holds.
#pragma once

#include <memory>  // std::shared_ptr
#include <string>  // std::string
#include <vector>  // std::vector

#include <athanor/core/column.hpp>
#include <athanor/core/constraints.hpp>
#include <athanor/core/expression.hpp>
#include <athanor/core/naming.hpp>

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
  /// The naming convention of the MetaData it was added to (null: the default one).
  std::shared_ptr<const NamingConvention> naming;
  /// The name the table had before (a model's `m.renamed_from("old")`): the schema diff
  /// renames that table instead of creating this one and dropping it.
  std::string renamed_from;

  const ColumnDef* find(std::string_view column) const {
    for (auto& c : columns)
      if (c.name == column) return &c;
    return nullptr;
  }
  const NamingConvention& convention() const { return naming ? *naming : default_naming(); }
  // The names create_all gives what was declared without one (before fit_identifier).
  std::string unique_name(const UniqueConstraint& u) const {
    return u.name.empty() ? convention_name(convention().uq, name, u.columns) : u.name;
  }
  std::string foreign_key_name(const ResolvedForeignKey& fk) const {
    return fk.options.name.empty() ? convention_name(convention().fk, name, fk.columns, fk.ref_table) : fk.options.name;
  }
  std::string index_name(const Index& ix) const {
    return ix.name.empty() ? convention_name(convention().ix, name, ix.columns) : ix.name;
  }
  /// `ordinal`: 1 for the first unnamed CHECK, 2 for the next…
  std::string check_name(const CheckConstraint& ck, int ordinal) const {
    return ck.name.empty() ? convention_name(convention().ck, name, {}, {}, std::to_string(ordinal)) : ck.name;
  }
  std::string enum_check_name(const std::string& column) const {
    return convention_name(convention().ck, name, {column}, {}, column + "_enum");
  }
};

}  // namespace athanor::detail
