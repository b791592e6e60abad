// athanor/core/table.hpp — `Table`, a named set of columns and constraints registered
// in a `MetaData`. A cheap handle: copies refer to the same table.
#pragma once

#include <memory>   // std::shared_ptr
#include <string>   // std::string
#include <utility>  // std::forward

#include <athanor/core/from_clause.hpp>
#include <athanor/core/metadata.hpp>

namespace athanor {

/// A table of the schema.
/// **Example**:
/// ```
/// Table users{"users", metadata, Column{"id", Integer{}, primary_key},
///             Column{"name", String{50}, nullable(false), unique}};
/// ```
class Table : public FromClause {
 public:
  /// Table `name` of Columns and constraints, added to `metadata` (ArgumentError when the
  /// name is taken there, or a key or constraint names a column it lacks).
  template <class... Items>
  Table(std::string name, MetaData& metadata, Items&&... items) {
    auto data = std::make_shared<detail::TableData>();
    data->name = std::move(name);
    (add(*data, std::forward<Items>(items)), ...);
    finish(*data);
    data->from.kind = detail::FromNode::Kind::table, data->from.name = data->name, data->from.table = data.get();
    node_ = std::shared_ptr<const detail::FromNode>(data, &data->from);
    data_ = data;
    metadata.add(data_);
  }
  /// The table of `name` in `metadata` (ArgumentError when there is none).
  Table(const MetaData& metadata, std::string_view name) : Table(metadata.table_data(name)) {}
  /// A handle on table data built elsewhere (the ORM builds tables from models).
  static Table from_data(std::shared_ptr<detail::TableData> data) {
    data->from.kind = detail::FromNode::Kind::table, data->from.name = data->name, data->from.table = data.get();
    return Table(std::move(data));
  }
  /// Checks and completes a table's data: primary key, foreign keys, constraint columns.
  static void finish(detail::TableData& t) {
    if (t.columns.empty()) throw ArgumentError("[athanor.argument.table] table " + t.name + " has no columns");
    for (auto& c : t.columns) {
      if (c.primary_key && t.primary_key.end() == std::find(t.primary_key.begin(), t.primary_key.end(), c.name))
        t.primary_key.push_back(c.name);
      for (auto& fk : c.foreign_keys) {
        auto [table, column] = split_target(t, fk.target);
        t.foreign_keys.push_back({{c.name}, table, {column}, fk.options});
      }
    }
    check_columns(t, t.primary_key, "primary key");
    for (auto& name : t.primary_key) const_cast<ColumnDef*>(t.find(name))->nullable = false;
    for (auto& u : t.uniques) check_columns(t, u.columns, "unique constraint");
    for (auto& i : t.indexes) check_columns(t, i.columns, "index");
    for (auto& fk : t.foreign_keys) check_columns(t, fk.columns, "foreign key");
  }

  const detail::TableData& data() const { return *data_; }  ///< Everything declared, checked.
  const std::vector<ColumnDef>& columns() const { return data_->columns; }  ///< Its columns, in order.
  /// `users.alias("u")`: the same table under another name (self-joins).
  FromClause alias(std::string name) const {
    auto n = std::make_shared<detail::FromNode>();
    n->kind = detail::FromNode::Kind::alias, n->name = std::move(name), n->table = data_.get(), n->keep = data_;
    return FromClause(std::move(n));
  }

 private:
  explicit Table(std::shared_ptr<detail::TableData> data)
      : FromClause(std::shared_ptr<const detail::FromNode>(data, &data->from)), data_(std::move(data)) {}

  static void add(detail::TableData& t, Column c) { t.columns.push_back(std::move(c.def())); }
  static void add(detail::TableData& t, PrimaryKeyConstraint pk) { t.primary_key = std::move(pk.columns); }
  static void add(detail::TableData& t, UniqueConstraint u) { t.uniques.push_back(std::move(u)); }
  static void add(detail::TableData& t, CheckConstraint c) { t.checks.push_back(std::move(c)); }
  static void add(detail::TableData& t, Index i) { t.indexes.push_back(std::move(i)); }
  // `renamed_from("old")` among a table's items: the table was called `old` before (migrations).
  static void add(detail::TableData& t, detail::RenamedFromOpt r) { t.renamed_from = std::move(r.name); }
  static void add(detail::TableData& t, ForeignKeyConstraint fk) {
    if (fk.columns.size() != fk.targets.size()) {
      throw ArgumentError("[athanor.argument.foreign_key] table " + t.name + ": a foreign key has " +
                          std::to_string(fk.columns.size()) + " columns and " + std::to_string(fk.targets.size()) + " targets");
    }
    detail::ResolvedForeignKey r{std::move(fk.columns), {}, {}, std::move(fk.options)};
    for (auto& target : fk.targets) {
      auto [table, column] = split_target(t, target);
      if (!r.ref_table.empty() && r.ref_table != table) {
        throw ArgumentError("[athanor.argument.foreign_key] table " + t.name + ": the targets of a foreign key name two tables (" +
                            r.ref_table + ", " + table + ")");
      }
      r.ref_table = table, r.ref_columns.push_back(column);
    }
    t.foreign_keys.push_back(std::move(r));
  }
  static std::pair<std::string, std::string> split_target(const detail::TableData& t, const std::string& target) {
    auto dot = target.rfind('.');
    if (dot == std::string::npos || dot == 0 || dot + 1 == target.size()) {
      throw ArgumentError("[athanor.argument.foreign_key] table " + t.name + ": foreign key target '" + target +
                          "' is not of the form table.column");
    }
    return {target.substr(0, dot), target.substr(dot + 1)};
  }
  static void check_columns(const detail::TableData& t, const std::vector<std::string>& cols, const char* what) {
    for (auto& c : cols) {
      if (!t.find(c)) {
        throw ArgumentError("[athanor.argument.unknown_column] table " + t.name + " has no column '" + c + "' (" +
                            what + ")");
      }
    }
  }
  std::shared_ptr<detail::TableData> data_;
};

}  // namespace athanor
