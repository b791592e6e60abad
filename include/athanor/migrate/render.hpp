// athanor/migrate/render.hpp — `migrate::render(diff, dialect)`: a Diff's operations as the SQL
// of one dialect, without a connection (offline `--sql`), identifiers quoted by the dialect;
// `migrate::apply(conn, script)` runs such a script. The per-backend spelling is in
// dialect/alter*.hpp; SQLite's changes that ALTER TABLE cannot make rebuild the table.
#pragma once

#include <string>  // std::string
#include <vector>  // std::vector

#include <athanor/dialect/alters.hpp>
#include <athanor/engine/engine.hpp>
#include <athanor/migrate/operations.hpp>

namespace athanor::migrate {

/// The script of `diff` for `dialect`: PostgreSQL and SQLite in one transaction (their DDL
/// rolls back), MariaDB one statement at a time (each DDL commits by itself).
/// **Example**: `std::cout << migrate::render(d, engine.dialect()).text();`
ATHANOR_DECL Script render(const Diff& diff, const Dialect& dialect);

/// Runs `script` on `conn` (outside any transaction of the caller's): `before`, then the body
/// (in one transaction where the script says so), then `after`, also after a failure. A check
/// statement that returns rows (SQLite's foreign_key_check after a rebuild) throws
/// ArgumentError `[athanor.argument.migration_check]` and the transaction rolls back.
ATHANOR_DECL void apply(Connection& conn, const Script& script);

#if ATHANOR_DEFINITIONS
ATHANOR_DECL Script render(const Diff& diff, const Dialect& d) {
  const auto& r = athanor::detail::alter_renderer_for(d);
  Script s;
  s.transactional = d.capabilities().transactional_ddl;
  // Tables whose changes need a rebuild: all their operations become that one rebuild, at the
  // place of the table's last operation (after tables it may now refer to are created).
  std::vector<std::string> rebuilt;
  auto whole = [](const Operation& op) {  // an operation on the whole table: never part of a rebuild
    return op.kind == Operation::Kind::create_table || op.kind == Operation::Kind::drop_table || op.kind == Operation::Kind::rename_table;
  };
  for (auto& op : diff.operations)
    if (!whole(op) && r.rebuilds(op) &&
        std::find(rebuilt.begin(), rebuilt.end(), op.table) == rebuilt.end())
      rebuilt.push_back(op.table);
  for (std::size_t i = 0; i < diff.operations.size(); ++i) {
    const Operation& op = diff.operations[i];
    bool in_rebuild = !whole(op) && std::find(rebuilt.begin(), rebuilt.end(), op.table) != rebuilt.end();
    if (!in_rebuild) {
      r.operation(s.body, op, d);
      continue;
    }
    bool last = true;
    for (std::size_t j = i + 1; j < diff.operations.size(); ++j)
      if (diff.operations[j].table == op.table && diff.operations[j].kind != Operation::Kind::drop_table) last = false;
    if (!last) continue;
    std::vector<std::pair<std::string, std::string>> renamed;
    for (auto& o : diff.operations)
      if (o.table == op.table && o.kind == Operation::Kind::rename_column) renamed.push_back({o.column, o.old_column});
    std::vector<std::string> kept;  // columns whose drop was refused stay
    for (auto& o : diff.refused)
      if (o.table == op.table && o.kind == Operation::Kind::drop_column) kept.push_back(o.column);
    r.rebuild(s, op, renamed, kept, d);
  }
  return s;
}

ATHANOR_DECL void apply(Connection& conn, const Script& s) {
  for (auto& x : s.before) conn.exec_driver_sql(x);
  try {
    auto run = [&](const std::string& x) {
      auto result = conn.exec_driver_sql(x);
      if (std::find(s.checks.begin(), s.checks.end(), x) != s.checks.end() && !result.all().empty())
        throw ArgumentError("[athanor.argument.migration_check] " + x + " returned rows: the migrated data breaks a constraint");
    };
    if (s.transactional && !s.body.empty()) {
      auto tx = conn.begin();
      for (auto& x : s.body) run(x);
      tx.commit();
    } else {
      for (auto& x : s.body) run(x);
    }
  } catch (...) {
    for (auto& x : s.after) conn.exec_driver_sql(x);
    throw;
  }
  for (auto& x : s.after) conn.exec_driver_sql(x);
}
#endif  // ATHANOR_DEFINITIONS

}  // namespace athanor::migrate
