// athanor/migrate/rename_table.hpp — what a table rename does to the names of indexes and
// constraints, shared by the schema diff (compare.hpp) and a revision's op.rename_table
// (ops.hpp), so that both write the same steps.
//
// The rule: a name the naming convention derived from the old table's name (`ix_users_email`,
// `uq_users_email`, `fk_users_org_id_orgs`, `ck_users_1`) becomes the convention's name for
// the new one (`ix_accounts_email`…), and so does the name of another table's foreign key that
// the convention derived from the table it refers to (`fk_posts_user_id_users` →
// `fk_posts_user_id_accounts`): after the rename the database has the names create_all would
// give the renamed models. A name the convention did not give (an explicit `idx_email`) stays.
#pragma once

#include <memory>  // std::shared_ptr
#include <string>  // std::string
#include <vector>  // std::vector

#include <athanor/core/table.hpp>
#include <athanor/migrate/inspect.hpp>
#include <athanor/migrate/operations.hpp>

namespace athanor::migrate::detail {

/// Gives every index and constraint its generated name explicitly (and turns a column's
/// `unique`/`index` flags into named ones), so it keeps the name the database has when a
/// column or its table is renamed, and can be found by it.
inline void freeze_names(athanor::detail::TableData& t) {
  for (auto& c : t.columns) {
    if (c.index) t.indexes.push_back(Index{t.index_name({"", {c.name}, c.unique}), {c.name}, c.unique}), c.index = false, c.unique = false;
    if (c.unique) t.uniques.push_back(UniqueConstraint{{c.name}, t.unique_name({{c.name}, ""})}), c.unique = false;
  }
  for (auto& x : t.indexes) x.name = t.index_name(x);
  for (auto& x : t.uniques) x.name = t.unique_name(x);
  for (auto& x : t.foreign_keys) x.options.name = t.foreign_key_name(x);
  int ordinal = 0;
  for (auto& x : t.checks) x.name = t.check_name(x, x.name.empty() ? ++ordinal : 0);
}

/// Whether one of `t`'s foreign keys refers to table `name` (a rename of that table renames them too).
inline bool refers_to(const athanor::detail::TableData& t, const std::string& name) {
  for (auto& fk : t.foreign_keys)
    if (fk.ref_table == name) return true;
  return false;
}

/// `before` as it is once table `ref_from` is called `ref_to` (`before` itself, or a table
/// referring to it), named `name` and with its names frozen; the convention's names that
/// change are appended to `out` as rename_constraint operations (their `current`: the table
/// after the rename with the old names; `target` left for the caller).
inline std::shared_ptr<athanor::detail::TableData> table_renamed(const athanor::detail::TableData& before_in, const std::string& name,
                                                                 const std::string& ref_from, const std::string& ref_to, const Dialect& d,
                                                                 std::vector<Operation>& out) {
  using athanor::detail::fit_identifier;
  const std::size_t max = d.capabilities().max_identifier_length;
  auto before = std::make_shared<athanor::detail::TableData>(before_in);
  freeze_names(*before);
  auto after = std::make_shared<athanor::detail::TableData>(*before);
  after->name = name, after->renamed_from.clear();
  for (auto& fk : after->foreign_keys)
    if (fk.ref_table == ref_from) fk.ref_table = ref_to;
  // The table under its new name with its old names: what the database has right after the
  // RENAME (the references follow the table on every backend).
  auto moved = std::make_shared<athanor::detail::TableData>(*after);
  auto same = [&](const std::string& a, const std::string& b) { return fit_identifier(a, max) == fit_identifier(b, max); };
  for (std::size_t i = 0; i < before->indexes.size(); ++i) {
    Index blank{"", before->indexes[i].columns, before->indexes[i].unique};
    if (same(before->indexes[i].name, before->index_name(blank))) after->indexes[i].name = after->index_name(blank);
  }
  for (std::size_t i = 0; i < before->uniques.size(); ++i) {
    UniqueConstraint blank{before->uniques[i].columns, ""};
    if (same(before->uniques[i].name, before->unique_name(blank))) after->uniques[i].name = after->unique_name(blank);
  }
  for (std::size_t i = 0; i < before->foreign_keys.size(); ++i) {
    auto blank_before = before->foreign_keys[i], blank_after = after->foreign_keys[i];
    blank_before.options.name.clear(), blank_after.options.name.clear();
    if (same(before->foreign_keys[i].options.name, before->foreign_key_name(blank_before)))
      after->foreign_keys[i].options.name = after->foreign_key_name(blank_after);
  }
  for (std::size_t i = 0; i < before->checks.size(); ++i) {
    CheckConstraint blank{before->checks[i].sqltext, ""};
    for (int k = 1; k <= static_cast<int>(before->checks.size()); ++k)
      if (same(before->checks[i].name, before->check_name(blank, k))) after->checks[i].name = after->check_name(blank, k);
  }
  // The names that changed, paired by position (canonical_constraints lists both alike).
  auto was = athanor::detail::canonical_constraints(*moved, d), will = athanor::detail::canonical_constraints(*after, d);
  for (std::size_t i = 0; i < was.size() && i < will.size(); ++i) {
    if (was[i].name == will[i].name) continue;
    Operation op;
    op.kind = Operation::Kind::rename_constraint, op.table = name, op.current = moved;
    op.constraint_kind = will[i].kind, op.name = was[i].name, op.new_name = will[i].name;
    op.index = {will[i].name, will[i].columns, will[i].kind == "unique index"};
    op.unique = {will[i].columns, will[i].name};
    op.foreign_key = will[i].fk;
    op.foreign_key.options.name = will[i].name;
    op.check = {will[i].sqltext, will[i].name};
    out.push_back(std::move(op));
  }
  // An Enum's CHECK (ck_<table>_<column>_enum): reflection knows an Enum by that name.
  if (d.capabilities().check_constraints && name != before->name) {
    for (auto& c : after->columns) {
      if (c.type.kind != TypeKind::enum_ || !c.type.enum_values) continue;
      Operation op;
      op.kind = Operation::Kind::rename_constraint, op.table = name, op.current = moved, op.constraint_kind = "check";
      op.name = fit_identifier(before->enum_check_name(c.name), max), op.new_name = fit_identifier(after->enum_check_name(c.name), max);
      std::string sql;
      d.quote(sql, c.name);
      sql += " IN (";
      for (std::size_t i = 0; i < c.type.enum_values->size(); ++i) sql += i ? ", " : "", d.literal(sql, (*c.type.enum_values)[i]);
      op.check = {sql + ")", op.new_name};
      out.push_back(std::move(op));
    }
  }
  return after;
}

}  // namespace athanor::migrate::detail
