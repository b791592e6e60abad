// athanor/migrate/compare.hpp — `migrate::compare(target, current, dialect)`: the operations
// that turn the schema `current` (reflected from the database) into `target` (the models),
// compared after the dialect's normalisation (canonical_column / canonical_constraints of
// inspect.hpp), so a type the backend spells its own way (MariaDB's TINYINT(1) for Boolean,
// a re-quoted default) is no change. Alembic's autogenerate compare, for MetaData.
#pragma once

#include <algorithm>   // std::sort
#include <functional>  // std::function
#include <map>         // std::map
#include <string>      // std::string
#include <vector>      // std::vector

#include <athanor/migrate/inspect.hpp>
#include <athanor/migrate/operations.hpp>
#include <athanor/migrate/rename_table.hpp>

namespace athanor::migrate {

/// What the diff may do.
struct DiffOptions {
  /// DROP TABLE / DROP COLUMN go into Diff::operations; otherwise into Diff::refused (never run).
  bool allow_drop = false;
  /// Renames to write instead of a drop and an add (Diff::proposed_renames lists candidates);
  /// a column's `renamed_from("old")` says the same in the model, and a table's (a model's
  /// `m.renamed_from("old")`) for a table (RenameProposal::of_table).
  std::vector<RenameProposal> renames{};
  /// Which tables take part (null: all); e.g. to leave a version table alone.
  std::function<bool(const std::string&)> include_table{};
};

/// The operations that make `current` into `target`, for `dialect`'s backend.
/// **Example**: `auto d = migrate::compare(models, reflected, engine.dialect()); for (auto& l : d.describe()) std::cout << l;`
ATHANOR_DECL Diff compare(const MetaData& target, const MetaData& current, const Dialect& dialect, const DiffOptions& options = {});

#if ATHANOR_DEFINITIONS
namespace detail {

/// The order operations run in: tables renamed (with their convention names) before all
/// else, since the other operations name them by their new names; foreign keys dropped, then
/// other constraints; tables created; columns renamed, added, altered, dropped; constraints
/// added, foreign keys last; tables dropped at the end (Alembic orders the same way within a revision).
inline int phase(Operation::Kind k) {
  using K = Operation::Kind;
  switch (k) {
    case K::rename_table: case K::rename_constraint: return -1;
    case K::drop_foreign_key: return 0;
    case K::drop_index: case K::drop_unique: case K::drop_check: return 1;
    case K::create_table: return 2;
    case K::rename_column: return 3;
    case K::add_column: return 4;
    case K::alter_column: return 5;
    case K::drop_column: return 6;
    case K::create_index: case K::add_unique: case K::add_check: return 7;
    case K::add_foreign_key: return 8;
    case K::drop_table: return 9;
  }
  return 9;
}

inline void rename_in(std::vector<std::string>& cols, const std::string& from, const std::string& to) {
  for (auto& c : cols)
    if (c == from) c = to;
}

inline void compare_table(Diff& out, std::vector<Operation>& ops, const std::shared_ptr<const athanor::detail::TableData>& target,
                          const std::shared_ptr<const athanor::detail::TableData>& current, const Dialect& d, const DiffOptions& o) {
  using K = Operation::Kind;
  auto base = [&](K k) {
    Operation op;
    op.kind = k, op.table = target->name, op.target = target, op.current = current;
    return op;
  };
  // Renames first: the current table as it is after them (RENAME COLUMN carries a column's
  // constraints and indexes along on every backend), so the rest compares like with like.
  auto renamed = std::make_shared<athanor::detail::TableData>(*current);
  std::vector<std::pair<std::string, std::string>> pairs;  // new, old
  auto rename = [&](const std::string& from, const std::string& to) {
    if (!current->find(from) || current->find(to) || !target->find(to) || target->find(from)) return;
    for (auto& p : pairs)
      if (p.first == to || p.second == from) return;
    pairs.push_back({to, from});
    for (auto& c : renamed->columns)
      if (c.name == from) c.name = to;
    rename_in(renamed->primary_key, from, to);
    for (auto& fk : renamed->foreign_keys) rename_in(fk.columns, from, to);
    for (auto& u : renamed->uniques) rename_in(u.columns, from, to);
    for (auto& i : renamed->indexes) rename_in(i.columns, from, to);
    auto op = base(K::rename_column);
    op.old_column = from, op.column = to;
    ops.push_back(op);
  };
  for (auto& c : target->columns)
    if (!c.renamed_from.empty()) rename(c.renamed_from, c.name);
  for (auto& r : o.renames)
    if (!r.whole_table && r.table == target->name) rename(r.from, r.to);

  std::vector<const ColumnDef*> added, dropped;
  for (auto& c : target->columns)
    if (!renamed->find(c.name)) added.push_back(&c);
  for (auto& c : renamed->columns)
    if (!target->find(c.name)) dropped.push_back(&c);
  for (auto* c : added) {
    auto op = base(K::add_column);
    op.column = c->name;
    ops.push_back(op);
  }
  for (auto* c : dropped) {
    auto op = base(K::drop_column);
    op.column = c->name;
    (o.allow_drop ? ops : out.refused).push_back(op);
    // A dropped column and an added one of the same type may be one renamed: proposed only.
    auto ct = athanor::detail::canonical_column(*renamed, *c, d).type;
    for (auto* a : added) {
      bool taken = false;
      for (auto& p : out.proposed_renames) taken |= p.table == target->name && p.to == a->name;
      if (!taken && athanor::detail::canonical_column(*target, *a, d).type == ct) {
        out.proposed_renames.push_back({target->name, c->name, a->name});
        break;
      }
    }
  }
  for (auto& c : target->columns) {
    auto* cur = renamed->find(c.name);
    if (!cur) continue;
    auto want = athanor::detail::canonical_column(*target, c, d), have = athanor::detail::canonical_column(*renamed, *cur, d);
    auto op = base(K::alter_column);
    op.column = c.name;
    for (auto& [to, old] : pairs)
      if (to == c.name) op.old_column = old;  // its name in `current`
    op.type_changed = want.type != have.type;
    op.nullable_changed = want.not_null != have.not_null;
    op.default_changed = want.default_ != have.default_;
    if (!op.type_changed && !op.nullable_changed && !op.default_changed) continue;
    auto text = [](const athanor::detail::CanonicalColumn& x) {
      return x.type + (x.not_null ? " not null" : "") + (x.default_.empty() ? "" : " default " + x.default_);
    };
    op.from = text(have), op.to = text(want);
    ops.push_back(op);
  }

  // Constraints and indexes: the same name and shape is the same one; an unmatched one whose
  // shape matches an unmatched one of the other side is the same one under another name
  // (a SQLite constraint without a name, a name that kept a renamed column's old name).
  auto want = athanor::detail::canonical_constraints(*target, d), have = athanor::detail::canonical_constraints(*renamed, d);
  std::vector<bool> want_done(want.size()), have_done(have.size());
  for (std::size_t i = 0; i < want.size(); ++i)
    for (std::size_t j = 0; j < have.size() && !want_done[i]; ++j)
      if (!have_done[j] && want[i].kind == have[j].kind && want[i].name == have[j].name && want[i].shape == have[j].shape)
        want_done[i] = have_done[j] = true;
  for (std::size_t i = 0; i < want.size(); ++i)
    for (std::size_t j = 0; j < have.size() && !want_done[i]; ++j)
      if (!have_done[j] && want[i].kind == have[j].kind && want[i].shape == have[j].shape) want_done[i] = have_done[j] = true;
  auto constraint_op = [&](const athanor::detail::CanonicalConstraint& k, bool add) {
    K kind = k.kind == "foreign key" ? (add ? K::add_foreign_key : K::drop_foreign_key)
             : k.kind == "unique"    ? (add ? K::add_unique : K::drop_unique)
             : k.kind == "check"     ? (add ? K::add_check : K::drop_check)
                                     : (add ? K::create_index : K::drop_index);
    auto op = base(kind);
    op.name = k.name;
    op.index = {k.name, k.columns, k.kind == "unique index"};
    op.unique = {k.columns, k.name};
    op.foreign_key = k.fk;
    op.check = {k.sqltext, k.name};
    // A constraint on a column being dropped goes with the column.
    if (!add)
      for (auto* c : dropped)
        for (auto& col : k.columns)
          if (col == c->name && !o.allow_drop) return;
    ops.push_back(op);
  };
  for (std::size_t j = 0; j < have.size(); ++j)
    if (!have_done[j]) constraint_op(have[j], false);
  for (std::size_t i = 0; i < want.size(); ++i)
    if (!want_done[i]) constraint_op(want[i], true);
}

}  // namespace detail

ATHANOR_DECL Diff compare(const MetaData& target, const MetaData& current, const Dialect& d, const DiffOptions& o) {
  using TablePtr = std::shared_ptr<const athanor::detail::TableData>;
  Diff out;
  std::vector<Operation> ops;
  auto included = [&](const std::string& name) { return !o.include_table || o.include_table(name); };
  // The current tables by name, as they are once the renamed tables are renamed.
  std::map<std::string, TablePtr> have;
  for (auto* t : current.sorted_tables())
    if (included(t->name)) have[t->name] = current.table_data(t->name);
  for (auto* t : target.sorted_tables()) {
    const std::string& to = t->name;
    if (!included(to) || have.count(to)) continue;
    std::string from = t->renamed_from;
    for (auto& r : o.renames)
      if (r.whole_table && r.to == to) from = r.from;
    if (from.empty() || !have.count(from) || target.find(from)) continue;
    auto tp = target.table_data(to);
    Operation op;
    op.kind = Operation::Kind::rename_table, op.table = to, op.old_table = from, op.current = have[from], op.target = tp;
    ops.push_back(op);
    std::vector<Operation> names;
    auto moved = detail::table_renamed(*have[from], to, from, to, d, names);
    have.erase(from), have[to] = moved;
    for (auto& n : names) n.target = tp, ops.push_back(n);
    // Other tables' foreign keys follow the table; the names the convention derived from it change.
    for (auto& [name, other] : have) {
      if (!detail::refers_to(*other, from) || name == to) continue;
      names.clear();
      other = detail::table_renamed(*other, name, from, to, d, names);
      if (!target.find(name)) continue;  // dropped anyway
      for (auto& n : names) n.target = target.table_data(name), ops.push_back(n);
    }
  }
  std::vector<TablePtr> added;
  for (auto* t : target.sorted_tables()) {
    if (!included(t->name)) continue;
    auto tp = target.table_data(t->name);
    if (!have.count(t->name)) {
      Operation op;
      op.kind = Operation::Kind::create_table, op.table = t->name, op.target = tp;
      ops.push_back(op);
      added.push_back(tp);
    } else {
      detail::compare_table(out, ops, tp, have[t->name], d, o);
    }
  }
  // A table dropped and one added with the same columns (names and types) may be one renamed:
  // proposed only (the drop stays refused unless allowed).
  auto columns_of = [&](const athanor::detail::TableData& t) {
    std::vector<std::string> v;
    for (auto& c : t.columns) v.push_back(c.name + " " + athanor::detail::canonical_column(t, c, d).type);
    std::sort(v.begin(), v.end());
    return v;
  };
  auto current_order = current.sorted_tables();
  for (auto it = current_order.rbegin(); it != current_order.rend(); ++it) {
    const std::string& name = (*it)->name;
    if (!have.count(name) || target.find(name)) continue;
    Operation op;
    op.kind = Operation::Kind::drop_table, op.table = name, op.current = have[name];
    (o.allow_drop ? ops : out.refused).push_back(op);
    auto dropped_columns = columns_of(*have[name]);
    for (auto& a : added) {
      bool taken = false;
      for (auto& p : out.proposed_renames) taken |= p.whole_table && p.to == a->name;
      if (!taken && columns_of(*a) == dropped_columns) {
        out.proposed_renames.push_back(RenameProposal::of_table(name, a->name));
        break;
      }
    }
  }
  std::stable_sort(ops.begin(), ops.end(), [](const Operation& a, const Operation& b) { return detail::phase(a.kind) < detail::phase(b.kind); });
  out.operations = std::move(ops);
  return out;
}
#endif  // ATHANOR_DEFINITIONS

}  // namespace athanor::migrate
