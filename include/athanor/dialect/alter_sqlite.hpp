// athanor/dialect/alter_sqlite.hpp — SQLite's schema changes. ALTER TABLE there can only
// rename a table or a column, add a plain column and drop one; every other change (a column's
// type, NULL or DEFAULT, a constraint added, dropped or renamed) rebuilds the table, the procedure of
// https://www.sqlite.org/lang_altertable.html#otheralter (Alembic's "batch" mode): foreign keys
// off outside the transaction, CREATE the new table under a temporary name, copy the rows,
// DROP the old one, RENAME the new one (so other tables' REFERENCES, which name the table,
// point at it), recreate its indexes, PRAGMA foreign_key_check, foreign keys on again.
#pragma once

#include <athanor/dialect/alter.hpp>

namespace athanor::detail {

class SqliteAlterRenderer : public AlterRenderer {
 public:
  bool rebuilds(const Op& op) const override {
    using K = Op::Kind;
    switch (op.kind) {
      case K::create_table: case K::drop_table: case K::rename_column: case K::create_index: case K::drop_index:
      case K::rename_table: return false;
      // An index is renamed by DROP INDEX and CREATE INDEX; a constraint's name lives in the
      // CREATE TABLE text: the table is rebuilt.
      case K::rename_constraint: return op.constraint_kind != "index" && op.constraint_kind != "unique index";
      case K::add_column: {
        // ADD COLUMN takes no PRIMARY KEY or UNIQUE, NOT NULL only with a non-NULL default, and
        // only a constant default.
        const ColumnDef& c = *op.target->find(op.column);
        bool literal = c.server_default && c.server_default->node().kind == ExprKind::bind;
        // An Enum's CHECK is a table constraint here: rebuilt as well.
        return c.primary_key || c.unique || (c.server_default && !literal) || (!c.nullable && !literal) ||
               c.type.kind == TypeKind::enum_;
      }
      default: return true;
    }
  }

  /// ALTER TABLE … RENAME TO rewrites the REFERENCES of other tables (3.26+, unless
  /// legacy_alter_table is on: https://www.sqlite.org/lang_altertable.html#alter_table_rename),
  /// so it is set off first (its default) in case the application turned it on.
  void rename_table(std::vector<std::string>& out, const Op& op, const Dialect& d) const override {
    out.push_back("PRAGMA legacy_alter_table=OFF");
    out.push_back("ALTER TABLE " + q(d, op.old_table) + " RENAME TO " + q(d, op.table));
  }
  void rename_constraint(std::vector<std::string>& out, const Op& op, const Dialect& d) const override {
    out.push_back("DROP INDEX " + q(d, op.name));
    out.push_back(create_index(d, *op.target, op.index));
  }

  void rebuild(migrate::Script& s, const Op& op, const std::vector<std::pair<std::string, std::string>>& renamed,
               const std::vector<std::string>& kept, const Dialect& d) const override {
    const TableData& target = *op.target;
    const TableData& current = *op.current;
    std::string tmp = "_athanor_new_" + target.name;
    // The new table: the target's shape under the temporary name, with the undeclared columns
    // whose drop was refused, and its generated names computed from the real table's name.
    TableData nt = target;
    nt.name = tmp;
    auto nc = std::make_shared<NamingConvention>(target.convention());
    for (std::string* tmpl : {&nc->fk, &nc->uq, &nc->ix, &nc->ck}) {
      for (const char* tok : {"%(table)s", "%(table_name)s"}) {
        for (std::size_t at; (at = tmpl->find(tok)) != std::string::npos;) tmpl->replace(at, std::string_view(tok).size(), target.name);
      }
    }
    nt.naming = nc;
    for (auto& k : kept)
      if (auto* c = current.find(k)) nt.columns.push_back(*c);
    create_table(s.body, nt, d, tmp);
    std::string into, from;
    for (auto& c : nt.columns) {
      std::string source = c.name;
      for (auto& [to, old] : renamed)
        if (to == c.name) source = old;
      if (!current.find(source)) continue;  // a new column: its default
      into += (into.empty() ? "" : ", ") + q(d, c.name);
      from += (from.empty() ? "" : ", ") + q(d, source);
    }
    if (!into.empty()) s.body.push_back("INSERT INTO " + q(d, tmp) + " (" + into + ") SELECT " + from + " FROM " + q(d, target.name));
    s.body.push_back("DROP TABLE " + q(d, target.name));
    s.body.push_back("ALTER TABLE " + q(d, tmp) + " RENAME TO " + q(d, target.name));
    for (auto& ix : indexes_of(target)) s.body.push_back(create_index(d, target, ix));
    std::string check = "PRAGMA foreign_key_check(" + q(d, target.name) + ")";
    s.body.push_back(check);
    s.checks.push_back(check);
    // PRAGMA foreign_keys is a no-op inside a transaction: it goes before BEGIN and after COMMIT.
    if (s.before.empty()) s.before.push_back("PRAGMA foreign_keys=OFF"), s.after.push_back("PRAGMA foreign_keys=ON");
  }
};

}  // namespace athanor::detail
