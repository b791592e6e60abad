// athanor/migrate/ops.hpp — `migrate::Ops`: what a revision's `up` and `down` call
// (`op.add_column("users", Column{…})`, `op.execute(sql)`, `op.data(fn)`), Alembic's `op`
// object. Each schema call changes a model of the schema kept in memory (the tables as the
// revisions before made them) and is turned into SQL by the schema diff of that one table
// (migrate::compare) and its renderer (migrate::render), so it is written per dialect, SQLite's
// table rebuild included, and without a connection. Used by revision.hpp and upgrade.hpp.
#pragma once

#include <functional>  // std::function
#include <map>         // std::map
#include <memory>      // std::shared_ptr
#include <string>      // std::string
#include <utility>     // std::forward
#include <vector>      // std::vector

#include <athanor/core/table.hpp>
#include <athanor/migrate/compare.hpp>
#include <athanor/migrate/rename_table.hpp>
#include <athanor/migrate/render.hpp>

namespace athanor::migrate {

/// The schema as a sequence of revisions leaves it: its tables, in creation order.
using SchemaState = std::vector<std::shared_ptr<const athanor::detail::TableData>>;

/// One step of a revision for one dialect: SQL statements (with what runs outside the
/// transaction, as SQLite's PRAGMA foreign_keys), or a C++ data callback.
struct Step {
  std::vector<std::string> before, body, after;
  std::vector<std::string> checks;             ///< statements of body that must return no row
  std::function<void(Connection&)> data;       ///< a data step (body empty)
  std::string label;                           ///< a data step's name (offline SQL shows it)
  /// PostgreSQL's CREATE/DROP INDEX CONCURRENTLY: refused inside a transaction block, so
  /// upgrade() runs it outside the revision's transaction (upgrade.hpp). Its index: `index`.
  bool concurrent = false;
  std::string index;
};

/// `op.create_index(table, index, migrate::concurrently)` / `op.drop_index(…, concurrently)`:
/// on PostgreSQL CREATE/DROP INDEX CONCURRENTLY (no lock blocking writes while the index
/// builds), run outside the revision's transaction; elsewhere the plain statement (MariaDB
/// builds indexes online already; SQLite has no such option). On PostgreSQL the concurrent
/// steps run after the revision's other steps (up) or before them (down), whatever their place
/// in the revision: keep a table or column they use alive through the whole revision.
struct Concurrently {};
inline constexpr Concurrently concurrently{};

/// The operations a revision calls. Table/column/constraint names are SQL names; a name of
/// a constraint declared without one is the naming convention's (`uq_users_email`).
/// **Example**:
/// ```
/// .up = [](migrate::Ops& op) {
///   op.add_column("users", Column{"email", String{80}});
///   op.execute("UPDATE users SET email = name || '@example.org'");
///   op.alter_column("users", Column{"email", String{80}, nullable(false)});
/// },
/// ```
class Ops {
 public:
  Ops(SchemaState& state, const Dialect& dialect, std::vector<Step>& out) : state_(state), d_(dialect), out_(out) {}

  const Dialect& dialect() const { return d_; }  ///< The dialect the SQL is written for.

  /// CREATE TABLE with its indexes: items as Table's constructor takes them.
  template <class... Items>
  void create_table(std::string name, Items&&... items) {
    MetaData scratch;
    Table t{std::move(name), scratch, std::forward<Items>(items)...};
    auto data = std::make_shared<athanor::detail::TableData>(t.data());
    for (auto& c : data->columns) c.foreign_keys.clear();  // finish() copied them to the table's
    auto next = state_;
    next.push_back(data);
    change(data->name, next, {});
  }
  /// DROP TABLE.
  void drop_table(const std::string& name) {
    find(name);
    SchemaState next;
    for (auto& t : state_)
      if (t->name != name) next.push_back(t);
    change(name, next, {});
  }
  /// Renames table `from` to `to`, its rows, keys and indexes kept, and other tables' foreign
  /// keys following it. The names the naming convention derived from the old name become the
  /// new name's (`ix_users_email` → `ix_accounts_email`, and another table's
  /// `fk_posts_user_id_users` → `fk_posts_user_id_accounts`), so the database has the names
  /// create_all gives the renamed models; explicit names stay (migrate/rename_table.hpp).
  /// PostgreSQL: ALTER TABLE … RENAME TO, ALTER INDEX / RENAME CONSTRAINT, and the SERIAL
  /// key's sequence; MariaDB: RENAME TABLE, RENAME INDEX, a foreign key or CHECK dropped and
  /// added; SQLite: ALTER TABLE … RENAME TO (references rewritten), an index dropped and
  /// created, a table whose constraint names change rebuilt. Undone by `rename_table(to, from)`.
  void rename_table(const std::string& from, const std::string& to) {
    find(from);
    for (auto& t : state_)
      if (t->name == to) throw ArgumentError("[athanor.revision.table_exists] table " + to + " exists already in the schema the revisions before made");
    std::vector<Operation> ignored;  // the diff computes the same names again
    SchemaState next;
    std::vector<std::string> touched{from, to};
    for (auto& t : state_) {
      if (t->name == from) next.push_back(detail::table_renamed(*t, to, from, to, d_, ignored));
      else if (detail::refers_to(*t, from)) next.push_back(detail::table_renamed(*t, t->name, from, to, d_, ignored)), touched.push_back(t->name);
      else next.push_back(t);
    }
    change(touched, next, {RenameProposal::of_table(from, to)});
  }
  /// ADD COLUMN (a ForeignKey on it adds the constraint).
  void add_column(const std::string& table, Column column) {
    edit(table, [&](athanor::detail::TableData& t) {
      ColumnDef c = column.def();
      for (auto& fk : c.foreign_keys) {
        auto dot = fk.target.rfind('.');
        t.foreign_keys.push_back({{c.name}, fk.target.substr(0, dot), {fk.target.substr(dot + 1)}, fk.options});
      }
      c.foreign_keys.clear();
      if (c.primary_key) t.primary_key.push_back(c.name);
      t.columns.push_back(std::move(c));
    });
  }
  /// DROP COLUMN (and the indexes and constraints on it).
  void drop_column(const std::string& table, const std::string& column) {
    edit(table, [&](athanor::detail::TableData& t) {
      column_of(t, column);
      std::erase_if(t.columns, [&](auto& c) { return c.name == column; });
      auto has = [&](const std::vector<std::string>& v) { return std::find(v.begin(), v.end(), column) != v.end(); };
      std::erase_if(t.indexes, [&](auto& x) { return has(x.columns); });
      std::erase_if(t.uniques, [&](auto& x) { return has(x.columns); });
      std::erase_if(t.foreign_keys, [&](auto& x) { return has(x.columns); });
    });
  }
  /// RENAME COLUMN: the values stay; indexes and constraints keep the names they have.
  void rename_column(const std::string& table, const std::string& from, const std::string& to) {
    edit(table, [&](athanor::detail::TableData& t) {
      detail::freeze_names(t);
      column_of(t, from).name = to;
      auto ren = [&](std::vector<std::string>& v) { std::replace(v.begin(), v.end(), from, to); };
      ren(t.primary_key);
      for (auto& x : t.indexes) ren(x.columns);
      for (auto& x : t.uniques) ren(x.columns);
      for (auto& x : t.foreign_keys) ren(x.columns);
    }, {RenameProposal{table, from, to}});
    // Other tables' foreign keys follow the column (every backend renames references along).
    for (auto& other : state_) {
      bool refers = false;
      for (auto& fk : other->foreign_keys) refers |= fk.ref_table == table;
      if (!refers) continue;
      auto copy = std::make_shared<athanor::detail::TableData>(*other);
      for (auto& fk : copy->foreign_keys)
        if (fk.ref_table == table) std::replace(fk.ref_columns.begin(), fk.ref_columns.end(), from, to);
      other = copy;
    }
  }
  /// A column's new definition (type, NULL, server default): `column` names the column.
  void alter_column(const std::string& table, Column column) {
    edit(table, [&](athanor::detail::TableData& t) {
      ColumnDef& c = column_of(t, column.def().name);
      ColumnDef n = column.def();
      n.primary_key = c.primary_key, n.foreign_keys.clear();
      if (n.primary_key) n.nullable = false;
      c = std::move(n);
    });
  }
  /// CREATE INDEX (`Index{"", {"email"}}` takes the convention's name).
  void create_index(const std::string& table, Index index) {
    edit(table, [&](athanor::detail::TableData& t) { t.indexes.push_back(std::move(index)); });
  }
  /// CREATE INDEX CONCURRENTLY on PostgreSQL (see Concurrently), CREATE INDEX elsewhere.
  void create_index(const std::string& table, Index index, Concurrently) {
    std::string name = index.name;
    edit(table, [&](athanor::detail::TableData& t) {
      name = t.index_name(index);
      t.indexes.push_back(std::move(index));
    });
    mark_concurrent(name, "INDEX ", "INDEX CONCURRENTLY ");
  }
  /// DROP INDEX CONCURRENTLY IF EXISTS on PostgreSQL (IF EXISTS: a retry after a failure is
  /// harmless), DROP INDEX elsewhere.
  void drop_index(const std::string& table, const std::string& name, Concurrently) {
    drop_index(table, name);
    mark_concurrent(name, "DROP INDEX ", "DROP INDEX CONCURRENTLY IF EXISTS ");
  }
  /// DROP INDEX by the name the database has (a generated one: `ix_users_email`).
  void drop_index(const std::string& table, const std::string& name) {
    edit(table, [&](athanor::detail::TableData& t) {
      detail::freeze_names(t);
      gone(t, name, std::erase_if(t.indexes, [&](auto& x) { return x.name == name; }));
    });
  }
  /// ADD CONSTRAINT … UNIQUE (`UniqueConstraint{{"email"}, ""}` takes the convention's name).
  void add_unique(const std::string& table, UniqueConstraint unique) {
    edit(table, [&](athanor::detail::TableData& t) { t.uniques.push_back(std::move(unique)); });
  }
  /// Drops a UNIQUE constraint by name.
  void drop_unique(const std::string& table, const std::string& name) {
    edit(table, [&](athanor::detail::TableData& t) {
      detail::freeze_names(t);
      gone(t, name, std::erase_if(t.uniques, [&](auto& x) { return x.name == name; }));
    });
  }
  /// `op.add_foreign_key("posts", ForeignKeyConstraint{{"user_id"}, {"users.id"}})`.
  void add_foreign_key(const std::string& table, ForeignKeyConstraint fk) {
    edit(table, [&](athanor::detail::TableData& t) {
      athanor::detail::ResolvedForeignKey r{fk.columns, {}, {}, fk.options};
      for (auto& target : fk.targets) {
        auto dot = target.rfind('.');
        r.ref_table = target.substr(0, dot), r.ref_columns.push_back(target.substr(dot + 1));
      }
      t.foreign_keys.push_back(std::move(r));
    });
  }
  /// Drops a FOREIGN KEY by name (`fk_posts_user_id_users`).
  void drop_foreign_key(const std::string& table, const std::string& name) {
    edit(table, [&](athanor::detail::TableData& t) {
      detail::freeze_names(t);
      gone(t, name, std::erase_if(t.foreign_keys, [&](auto& x) { return x.options.name == name; }));
    });
  }
  /// ADD CONSTRAINT … CHECK (SQL text, as CheckConstraint takes it).
  void add_check(const std::string& table, CheckConstraint check) {
    edit(table, [&](athanor::detail::TableData& t) { t.checks.push_back(std::move(check)); });
  }
  /// Drops a CHECK by name.
  void drop_check(const std::string& table, const std::string& name) {
    edit(table, [&](athanor::detail::TableData& t) {
      detail::freeze_names(t);
      gone(t, name, std::erase_if(t.checks, [&](auto& x) { return x.name == name; }));
    });
  }

  /// SQL run as is, on every dialect. Changes the schema model does not know of (DDL here)
  /// are invisible to later operations: keep schema changes in the calls above.
  void execute(std::string sql) { out_.push_back(Step{{}, {std::move(sql)}, {}, {}, {}, {}, false, {}}); }
  /// SQL per dialect name ("sqlite", "postgresql", "mysql"; "*" for the others). A dialect
  /// with neither is an ArgumentError: a step silently skipped would leave its data wrong.
  void execute(const std::map<std::string, std::string>& per_dialect) {
    auto it = per_dialect.find(std::string(d_.name()));
    if (it == per_dialect.end()) it = per_dialect.find("*");
    if (it == per_dialect.end())
      throw ArgumentError("[athanor.revision.no_sql] an execute() step has no SQL for " + std::string(d_.display_name()) +
                          ": give one for \"" + std::string(d_.name()) + "\" or \"*\"");
    execute(it->second);
  }
  /// A data step: a C++ callback given the migration's connection (inside its transaction
  /// where the dialect's DDL is transactional). Offline SQL shows only its label.
  void data(std::string label, std::function<void(Connection&)> fn) {
    out_.push_back(Step{{}, {}, {}, {}, std::move(fn), std::move(label), false, {}});
  }

 private:
  const athanor::detail::TableData& find(const std::string& name) const {
    for (auto& t : state_)
      if (t->name == name) return *t;
    throw ArgumentError("[athanor.revision.unknown_table] no table " + name + " in the schema the revisions before made");
  }
  static ColumnDef& column_of(athanor::detail::TableData& t, const std::string& name) {
    for (auto& c : t.columns)
      if (c.name == name) return c;
    throw ArgumentError("[athanor.revision.unknown_column] table " + t.name + " has no column " + name +
                        " in the schema the revisions before made");
  }
  static void gone(const athanor::detail::TableData& t, const std::string& name, std::size_t erased) {
    if (!erased) throw ArgumentError("[athanor.revision.unknown_constraint] table " + t.name + " has no index or constraint " + name);
  }
  /// Makes the step just written concurrent on PostgreSQL: its one statement gets the keyword.
  void mark_concurrent(const std::string& index, const std::string& from, const std::string& to) {
    if (d_.name() != "postgresql" || out_.empty()) return;
    Step& s = out_.back();
    if (s.body.size() != 1 || !s.before.empty() || !s.after.empty())
      throw ArgumentError("[athanor.revision.concurrently] index " + index + " did not render as one statement: " +
                          std::to_string(s.body.size()) + " statements");
    auto at = s.body[0].find(from);
    if (at == std::string::npos) throw ArgumentError("[athanor.revision.concurrently] unexpected index SQL: " + s.body[0]);
    s.body[0].replace(at, from.size(), to);
    s.concurrent = true, s.index = index;
  }
  template <class F>
  void edit(const std::string& table, F&& f, std::vector<RenameProposal> renames = {}) {
    auto copy = std::make_shared<athanor::detail::TableData>(find(table));
    f(*copy);
    Table::finish(*copy);  // checks the columns named (column FKs were moved to the table's)
    auto next = state_;
    for (auto& t : next)
      if (t->name == table) t = copy;
    change(table, next, std::move(renames));
  }
  static MetaData metadata(const SchemaState& s) {
    MetaData md;
    for (auto& t : s) {
      auto copy = std::make_shared<athanor::detail::TableData>(*t);
      Table::from_data(copy);  // its FROM node points at the copy
      md.add(copy);
    }
    return md;
  }
  /// The SQL of going from state_ to `next` for `table`: the diff of that one table, rendered.
  void change(const std::string& table, SchemaState next, std::vector<RenameProposal> renames) {
    change(std::vector<std::string>{table}, std::move(next), std::move(renames));
  }
  /// The same for the tables named (a table rename: both its names and the tables referring to it).
  void change(const std::vector<std::string>& tables, SchemaState next, std::vector<RenameProposal> renames) {
    DiffOptions o;
    o.allow_drop = true, o.renames = std::move(renames);
    o.include_table = [&](const std::string& n) { return std::find(tables.begin(), tables.end(), n) != tables.end(); };
    auto target = metadata(next), current = metadata(state_);
    Script s = render(compare(target, current, d_, o), d_);
    state_ = std::move(next);
    if (!s.empty()) out_.push_back(Step{std::move(s.before), std::move(s.body), std::move(s.after), std::move(s.checks), {}, {}, false, {}});
  }

  SchemaState& state_;
  const Dialect& d_;
  std::vector<Step>& out_;
};

}  // namespace athanor::migrate
