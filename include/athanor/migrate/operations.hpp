// athanor/migrate/operations.hpp — `Operation`: one step of a schema change (create/drop/rename
// table, add/drop/alter/rename column, create/drop index, add/drop UNIQUE, FOREIGN KEY, CHECK), as the
// schema diff computes it and the renderer writes it per dialect. Plain data: no connection.
#pragma once

#include <memory>  // std::shared_ptr
#include <string>  // std::string
#include <vector>  // std::vector

#include <athanor/core/table.hpp>

namespace athanor::migrate {

/// One schema change. `table` is the table it changes; the other members hold what the kind needs.
/// **Example**: `for (auto& op : d.operations) std::cout << op.describe() << '\n';`
struct Operation {
  enum class Kind : unsigned char {
    create_table, drop_table, add_column, drop_column, alter_column, rename_column,
    create_index, drop_index, add_unique, drop_unique, add_foreign_key, drop_foreign_key, add_check, drop_check,
    rename_table,      ///< `old_table` becomes `table` (rows, keys, indexes, references from other tables kept)
    rename_constraint  ///< an index/constraint `name` of `table` becomes `new_name` (a table rename's convention names)
  };
  Kind kind{};
  std::string table;
  /// The table as the models declare it (create_table; every change of an existing table: its
  /// target shape, which SQLite's table rebuild creates and other kinds take column DDL from).
  std::shared_ptr<const athanor::detail::TableData> target;
  /// The table as the database has it (every kind but create_table).
  std::shared_ptr<const athanor::detail::TableData> current;
  std::string column;      ///< add/drop/alter column: its name; rename: the new name
  std::string old_column;  ///< rename_column: the name it had; alter_column: its name in `current` when renamed too
  bool type_changed = false, nullable_changed = false, default_changed = false;  ///< alter_column
  std::string name;        ///< index/constraint name (as created, or as the database has it)
  Index index;             ///< create/drop index
  UniqueConstraint unique; ///< add/drop unique (name resolved)
  athanor::detail::ResolvedForeignKey foreign_key;  ///< add/drop foreign key (name resolved)
  CheckConstraint check;   ///< add/drop check (name resolved)
  std::string from, to;    ///< what changed, as canonical() prints it (alter_column; for messages)
  std::string old_table;   ///< rename_table: the name it had (`current` has it)
  std::string new_name;    ///< rename_constraint: the name it gets (`index`/`unique`/`foreign_key`/`check` hold it)
  /// rename_constraint: what it is, as CanonicalConstraint::kind says ("index", "unique index",
  /// "unique", "foreign key", "check").
  std::string constraint_kind;

  /// One line: `add column users.email`, `alter column users.age: type integer -> big_integer`.
  std::string describe() const {
    static constexpr const char* words[] = {"create table", "drop table", "add column", "drop column", "alter column",
                                            "rename column", "create index", "drop index", "add unique", "drop unique",
                                            "add foreign key", "drop foreign key", "add check", "drop check",
                                            "rename table", "rename"};
    std::string s = words[static_cast<int>(kind)];
    s += ' ';
    switch (kind) {
      case Kind::create_table: case Kind::drop_table: return s + table;
      case Kind::add_column: case Kind::drop_column: return s + table + "." + column;
      case Kind::rename_column: return s + table + "." + old_column + " -> " + column;
      case Kind::rename_table: return s + old_table + " -> " + table;
      case Kind::rename_constraint: return s + constraint_kind + " " + table + "." + name + " -> " + new_name;
      case Kind::alter_column: return s + table + "." + column + ": " + from + " -> " + to;
      default: return s + table + "." + name;
    }
  }
  /// Whether it drops a table or a column (data lost): the diff lists it as refused unless allowed.
  bool destructive() const { return kind == Kind::drop_table || kind == Kind::drop_column; }
};

/// A proposed rename: a column dropped and one added on the same table with the same type;
/// or (`whole_table`) a table dropped and one added with the same columns (names and types).
/// Passed back in DiffOptions::renames, the diff writes the rename instead of the drop and add.
struct RenameProposal {
  std::string table, from, to;  ///< a table rename: `table` empty, `from`/`to` the table names
  bool whole_table = false;
  /// The rename of table `from` to `to`: `RenameProposal::of_table("users", "accounts")`.
  static RenameProposal of_table(std::string from, std::string to) { return {{}, std::move(from), std::move(to), true}; }
  std::string describe() const {
    return whole_table ? "rename table " + from + " -> " + to + "?" : "rename column " + table + "." + from + " -> " + to + "?";
  }
  bool operator==(const RenameProposal&) const = default;
};

/// What the diff found: the operations to run, in an order that runs (foreign keys dropped
/// first and added last, tables created parents first and dropped children first), the drops
/// it refused (no `allow_drop`), and the renames it guesses.
struct Diff {
  std::vector<Operation> operations;
  std::vector<Operation> refused;       ///< drops of tables/columns not allowed: not in `operations`
  std::vector<RenameProposal> proposed_renames;  ///< pass back in DiffOptions::renames to accept
  /// No operation to run and nothing refused: the database matches the models.
  bool empty() const { return operations.empty() && refused.empty(); }
  /// One line per operation, then `refused: …` and `proposed: …` lines.
  std::vector<std::string> describe() const {
    std::vector<std::string> out;
    for (auto& op : operations) out.push_back(op.describe());
    for (auto& op : refused) out.push_back("refused: " + op.describe());
    for (auto& r : proposed_renames) out.push_back("proposed: " + r.describe());
    return out;
  }
};

}  // namespace athanor::migrate

namespace athanor::migrate {

/// The SQL of a Diff for one dialect, written without a connection (offline `--sql`).
/// `before` and `after` run outside the transaction (SQLite's PRAGMA foreign_keys); `body` runs
/// in one transaction where the dialect's DDL is transactional, else one statement at a time.
struct Script {
  std::vector<std::string> before, body, after;
  bool transactional = true;  ///< body between BEGIN and COMMIT
  /// Statements of `body` that must return no row (SQLite's PRAGMA foreign_key_check after a rebuild).
  std::vector<std::string> checks;
  /// The whole script as text, one statement a line, each ending in ';'.
  std::string text() const {
    std::string s;
    for (auto& x : before) s += x + ";\n";
    if (transactional && !body.empty()) s += "BEGIN;\n";
    for (auto& x : body) s += x + ";\n";
    if (transactional && !body.empty()) s += "COMMIT;\n";
    for (auto& x : after) s += x + ";\n";
    return s;
  }
  bool empty() const { return body.empty(); }  ///< Nothing to run.
};

}  // namespace athanor::migrate
