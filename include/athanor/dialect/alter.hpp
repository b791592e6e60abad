// athanor/dialect/alter.hpp — `detail::AlterRenderer`: writes one schema-change Operation as
// SQL for a dialect, without a connection (the migration renderer's per-backend part, as
// Alembic's DefaultImpl and its per-dialect subclasses). The defaults are standard SQL as
// PostgreSQL takes it; alter_mysql.hpp and alter_sqlite.hpp override what differs.
// Used by migrate/render.hpp only.
#pragma once

#include <string>  // std::string
#include <vector>  // std::vector

#include <athanor/dialect/compiler.hpp>
#include <athanor/dialect/dialect.hpp>
#include <athanor/migrate/operations.hpp>

namespace athanor::detail {

class AlterRenderer {
 public:
  using Op = migrate::Operation;
  virtual ~AlterRenderer() = default;

  /// Whether `op` on an existing table is written as a rebuild of the whole table (SQLite).
  virtual bool rebuilds(const Op& op) const { (void)op; return false; }
  /// The rebuild of one table to `op.target`'s shape (only where rebuilds() says so); `renamed`
  /// maps new column names to old ones, `kept` are current columns kept although undeclared
  /// (their drop was refused).
  virtual void rebuild(migrate::Script& s, const Op& op, const std::vector<std::pair<std::string, std::string>>& renamed,
                       const std::vector<std::string>& kept, const Dialect& d) const {
    (void)s, (void)op, (void)renamed, (void)kept;
    d.unsupported("table rebuild", "alter the table in place");
  }

  /// Appends the statements of `op` to `out`.
  virtual void operation(std::vector<std::string>& out, const Op& op, const Dialect& d) const {
    using K = Op::Kind;
    switch (op.kind) {
      case K::create_table: create_table(out, *op.target, d); break;
      case K::drop_table: out.push_back("DROP TABLE " + q(d, op.table)); break;
      case K::add_column:
        out.push_back(alter(d, op) + "ADD COLUMN " + column_ddl(d, *op.target, op.column));
        add_enum_check(out, op, d);
        break;
      case K::drop_column: out.push_back(alter(d, op) + "DROP COLUMN " + q(d, op.column)); break;
      case K::rename_column: out.push_back(alter(d, op) + "RENAME COLUMN " + q(d, op.old_column) + " TO " + q(d, op.column)); break;
      case K::alter_column:
        // An Enum is a string column plus its CHECK (create_all's ck_<table>_<column>_enum):
        // a change of members or to/from Enum replaces the CHECK around the type change.
        if (op.type_changed) drop_enum_check(out, op, d);
        alter_column(out, op, d);
        if (op.type_changed) add_enum_check(out, op, d);
        break;
      case K::create_index: out.push_back(create_index(d, *op.target, op.index)); break;
      case K::drop_index: out.push_back(drop_index(d, op)); break;
      case K::add_unique:
        out.push_back(alter(d, op) + "ADD CONSTRAINT " + q(d, op.name) + " UNIQUE " + list(d, op.unique.columns));
        break;
      case K::add_foreign_key: out.push_back(alter(d, op) + "ADD " + foreign_key(d, op.name, op.foreign_key)); break;
      case K::add_check: out.push_back(alter(d, op) + "ADD CONSTRAINT " + q(d, op.name) + " CHECK (" + op.check.sqltext + ")"); break;
      case K::drop_unique: out.push_back(drop_constraint(d, op, "UNIQUE")); break;
      case K::drop_foreign_key: out.push_back(drop_constraint(d, op, "FOREIGN KEY")); break;
      case K::drop_check: out.push_back(drop_constraint(d, op, "CHECK")); break;
      case K::rename_table: rename_table(out, op, d); break;
      case K::rename_constraint: rename_constraint(out, op, d); break;
    }
  }

 protected:
  /// ALTER TABLE … RENAME TO, and what PostgreSQL named after the table itself: the primary
  /// key (`users_pkey`, renamed through its index) and the sequences of SERIAL keys
  /// (`users_id_seq`). IF EXISTS: a key or sequence named otherwise keeps its name. Reflection
  /// does not compare these names, but a table created later under the old name would get a
  /// `users_pkey1` beside the renamed table's `users_pkey`.
  virtual void rename_table(std::vector<std::string>& out, const Op& op, const Dialect& d) const {
    out.push_back("ALTER TABLE " + q(d, op.old_table) + " RENAME TO " + q(d, op.table));
    const std::size_t max = d.capabilities().max_identifier_length;
    auto rename = [&](const char* what, const std::string& from, const std::string& to) {
      if (max && (from.size() > max || to.size() > max)) return;  // PostgreSQL cut them its own way
      out.push_back(std::string("ALTER ") + what + " IF EXISTS " + q(d, from) + " RENAME TO " + q(d, to));
    };
    if (!op.current->primary_key.empty()) rename("INDEX", op.old_table + "_pkey", op.table + "_pkey");
    for (auto& c : op.current->columns)
      if (Compiler::is_autoincrement(*op.current, c)) rename("SEQUENCE", op.old_table + "_" + c.name + "_seq", op.table + "_" + c.name + "_seq");
  }
  /// ALTER INDEX … RENAME TO for an index, ALTER TABLE … RENAME CONSTRAINT for a constraint (a
  /// UNIQUE constraint's index follows its name).
  virtual void rename_constraint(std::vector<std::string>& out, const Op& op, const Dialect& d) const {
    if (op.constraint_kind == "index" || op.constraint_kind == "unique index")
      out.push_back("ALTER INDEX " + q(d, op.name) + " RENAME TO " + q(d, op.new_name));
    else
      out.push_back(alter(d, op) + "RENAME CONSTRAINT " + q(d, op.name) + " TO " + q(d, op.new_name));
  }
  /// ALTER COLUMN … TYPE / SET|DROP NOT NULL / SET|DROP DEFAULT, one statement each
  /// (PostgreSQL: https://www.postgresql.org/docs/current/sql-altertable.html). A type change
  /// says USING so that a conversion the server does not do implicitly still runs.
  virtual void alter_column(std::vector<std::string>& out, const Op& op, const Dialect& d) const {
    const ColumnDef& c = *op.target->find(op.column);
    std::string head = alter(d, op) + "ALTER COLUMN " + q(d, c.name) + " ";
    if (op.type_changed) {
      std::string ty;
      d.type_name(ty, c.type);
      out.push_back(head + "TYPE " + ty + " USING " + q(d, c.name) + "::" + ty);
    }
    if (op.nullable_changed) out.push_back(head + (c.nullable ? "DROP NOT NULL" : "SET NOT NULL"));
    if (op.default_changed) out.push_back(head + (c.server_default ? "SET DEFAULT " + default_sql(d, c) : std::string("DROP DEFAULT")));
  }
  virtual std::string drop_index(const Dialect& d, const Op& op) const { return "DROP INDEX " + q(d, op.name); }
  virtual std::string drop_constraint(const Dialect& d, const Op& op, const char* what) const {
    (void)what;
    return alter(d, op) + "DROP CONSTRAINT " + q(d, op.name);
  }

  static bool is_enum(const ColumnDef* c) { return c && c->type.kind == TypeKind::enum_ && c->type.enum_values; }
  static void add_enum_check(std::vector<std::string>& out, const Op& op, const Dialect& d) {
    const ColumnDef* c = op.target->find(op.column);
    if (!is_enum(c) || !d.capabilities().check_constraints) return;
    std::string s = alter(d, op) + "ADD CONSTRAINT " +
                    q(d, fit_identifier(op.target->enum_check_name(c->name), d.capabilities().max_identifier_length)) + " CHECK (" +
                    q(d, c->name) + " IN (";
    for (std::size_t i = 0; i < c->type.enum_values->size(); ++i) s += i ? ", " : "", d.literal(s, (*c->type.enum_values)[i]);
    out.push_back(s + "))");
  }
  void drop_enum_check(std::vector<std::string>& out, const Op& op, const Dialect& d) const {
    const std::string& name = op.old_column.empty() ? op.column : op.old_column;
    if (!op.current || !is_enum(op.current->find(name)) || !d.capabilities().check_constraints) return;
    Op drop = op;
    drop.name = fit_identifier(op.current->enum_check_name(name), d.capabilities().max_identifier_length);
    out.push_back(drop_constraint(d, drop, "CHECK"));
  }

  // --- shared pieces ---
  static std::string q(const Dialect& d, const std::string& ident) {
    std::string s;
    d.quote(s, ident);
    return s;
  }
  static std::string alter(const Dialect& d, const Op& op) { return "ALTER TABLE " + q(d, op.table) + " "; }
  static std::string list(const Dialect& d, const std::vector<std::string>& cols) {
    std::string s = "(";
    for (std::size_t i = 0; i < cols.size(); ++i) s += (i ? ", " : ""), s += q(d, cols[i]);
    return s + ")";
  }
  /// A column as CREATE TABLE writes it (type, NOT NULL, DEFAULT).
  static std::string column_ddl(const Dialect& d, const TableData& t, const std::string& column) {
    Compiler c(d);
    c.column_ddl(t, *t.find(column));
    return c.out();
  }
  static std::string default_sql(const Dialect& d, const ColumnDef& c) {
    Compiler comp(d);
    const Expr& e = *c.server_default;
    if (e.node().kind == ExprKind::bind) d.literal(comp.out(), e.node().value);
    else comp.out() += '(', comp.expr(e), comp.out() += ')';
    return comp.out();
  }
  static std::string foreign_key(const Dialect& d, const std::string& name, const ResolvedForeignKey& fk) {
    static constexpr const char* actions[] = {"", "NO ACTION", "RESTRICT", "CASCADE", "SET NULL", "SET DEFAULT"};
    std::string s = "CONSTRAINT " + q(d, name) + " FOREIGN KEY " + list(d, fk.columns) + " REFERENCES " + q(d, fk.ref_table) + " " +
                    list(d, fk.ref_columns);
    if (fk.options.on_delete != Action::unspecified) s += std::string(" ON DELETE ") + actions[static_cast<int>(fk.options.on_delete)];
    if (fk.options.on_update != Action::unspecified) s += std::string(" ON UPDATE ") + actions[static_cast<int>(fk.options.on_update)];
    return s;
  }
  static std::string create_index(const Dialect& d, const TableData& t, const Index& ix) {
    auto data = std::shared_ptr<const TableData>(std::shared_ptr<const TableData>(), &t);  // not owned: compiled at once
    Compiler c(d);
    return c.compile(*make_ddl(DdlNode::Op::create_index, data, false, ix)).sql;
  }
  /// CREATE TABLE and the table's indexes, as create_all writes them.
  static void create_table(std::vector<std::string>& out, const TableData& t, const Dialect& d, const std::string& as = {}) {
    std::shared_ptr<const TableData> data;
    TableData renamed;
    if (as.empty()) {
      data = std::shared_ptr<const TableData>(std::shared_ptr<const TableData>(), &t);
    } else {  // SQLite's rebuild creates the new table under a temporary name
      renamed = t, renamed.name = as;
      data = std::shared_ptr<const TableData>(std::shared_ptr<const TableData>(), &renamed);
    }
    {
      Compiler c(d);
      out.push_back(c.compile(*make_ddl(DdlNode::Op::create_table, data, false)).sql);
    }
    if (!as.empty()) return;  // indexes: after the rename
    for (auto& ix : indexes_of(t)) out.push_back(create_index(d, t, ix));
  }
  /// The table's indexes with create_all's implicit ones (column `index`).
  static std::vector<Index> indexes_of(const TableData& t) {
    std::vector<Index> out = t.indexes;
    for (auto& c : t.columns)
      if (c.index) out.push_back(Index{t.index_name({"", {c.name}, c.unique}), {c.name}, c.unique});
    return out;
  }
};

}  // namespace athanor::detail
