// athanor/dialect/alter_mysql.hpp — MariaDB's ALTER TABLE: a column is changed by restating it
// whole (MODIFY COLUMN: type, NULL and DEFAULT together), and indexes, UNIQUE constraints and
// foreign keys are dropped by their own words. MariaDB's DDL is not transactional (each
// statement commits), so the migration runs one statement at a time.
// https://mariadb.com/kb/en/alter-table/
#pragma once

#include <athanor/dialect/alter.hpp>

namespace athanor::detail {

class MysqlAlterRenderer : public AlterRenderer {
 public:
  void operation(std::vector<std::string>& out, const Op& op, const Dialect& d) const override {
    AlterRenderer::operation(out, op, d);
    // InnoDB adds an index named as the foreign key where no index led by its columns existed,
    // and DROP FOREIGN KEY leaves it behind: reflected, it would be an undeclared index (a diff
    // that never empties). Dropped with IF EXISTS, since it is there only when InnoDB added it.
    if (op.kind != Op::Kind::drop_foreign_key || !op.target) return;
    for (auto& ix : indexes_of(*op.target))
      if (op.target->index_name(ix) == op.name) return;  // an index the models declare under that name
    out.push_back("DROP INDEX IF EXISTS " + q(d, op.name) + " ON " + q(d, op.table));
  }

 protected:
  // RENAME TABLE: InnoDB repoints the foreign keys of other tables (https://mariadb.com/kb/en/rename-table/).
  void rename_table(std::vector<std::string>& out, const Op& op, const Dialect& d) const override {
    out.push_back("RENAME TABLE " + q(d, op.old_table) + " TO " + q(d, op.table));
  }
  // An index (a UNIQUE constraint is one) has RENAME INDEX (10.5.2+); a foreign key or a CHECK
  // cannot be renamed: dropped and added again under the new name (the FK checks the rows again).
  void rename_constraint(std::vector<std::string>& out, const Op& op, const Dialect& d) const override {
    const std::string& k = op.constraint_kind;
    if (k == "index" || k == "unique index" || k == "unique") {
      out.push_back(alter(d, op) + "RENAME INDEX " + q(d, op.name) + " TO " + q(d, op.new_name));
      return;
    }
    Op drop = op, add = op;
    drop.kind = k == "foreign key" ? Op::Kind::drop_foreign_key : Op::Kind::drop_check;
    add.kind = k == "foreign key" ? Op::Kind::add_foreign_key : Op::Kind::add_check, add.name = op.new_name;
    operation(out, drop, d);
    operation(out, add, d);
  }
  void alter_column(std::vector<std::string>& out, const Op& op, const Dialect& d) const override {
    out.push_back(alter(d, op) + "MODIFY COLUMN " + column_ddl(d, *op.target, op.column));
  }
  // DROP INDEX needs its table (https://mariadb.com/kb/en/drop-index/).
  std::string drop_index(const Dialect& d, const Op& op) const override { return "DROP INDEX " + q(d, op.name) + " ON " + q(d, op.table); }
  // A UNIQUE constraint is an index there; a foreign key has DROP FOREIGN KEY (DROP CONSTRAINT
  // takes CHECKs only before 10.11's general form).
  std::string drop_constraint(const Dialect& d, const Op& op, const char* what) const override {
    std::string w = what;
    if (w == "UNIQUE") return alter(d, op) + "DROP INDEX " + q(d, op.name);
    if (w == "FOREIGN KEY") return alter(d, op) + "DROP FOREIGN KEY " + q(d, op.name);
    return alter(d, op) + "DROP CONSTRAINT " + q(d, op.name);
  }
};

}  // namespace athanor::detail
