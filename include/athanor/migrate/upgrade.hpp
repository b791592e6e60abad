// athanor/migrate/upgrade.hpp — running revisions: `migrate::upgrade(engine, revisions,
// target)`, `downgrade`, `current`, `applied`, and `upgrade_sql` (the same statements as
// text, without a connection). The database records what ran in the version table
// `athanor_version`: one row per applied revision with the checksum of its SQL (an applied
// revision edited since is refused) and, where DDL is not transactional, how far it got.
// Per dialect: PostgreSQL and SQLite run each revision and its version row in one
// transaction (SQLite's rebuild pragmas around it); MariaDB commits each DDL by itself, so a
// revision runs one statement at a time and its row counts the steps done: a failed revision
// stays half applied, is reported, and the next upgrade() resumes after its last step done.
#pragma once

#include <set>     // std::set
#include <string>  // std::string
#include <vector>  // std::vector

#include <athanor/migrate/diff.hpp>
#include <athanor/migrate/revision.hpp>

namespace athanor::migrate {

/// A row of the version table.
struct AppliedRevision {
  std::string id, checksum;
  std::int64_t steps_done = 0;  ///< MariaDB: the steps of a half-applied revision that ran
  bool complete = true;         ///< false: it failed part way (MariaDB); upgrade() resumes it
};

namespace detail {

/// One statement or data step of a revision's run, and what it records.
struct Unit {
  std::string sql;                         ///< empty for a data step
  std::function<void(Connection&)> data;
  std::string label;
  bool check = false;                      ///< must return no row
};
struct Program {
  std::vector<std::string> before, after;  ///< outside the transaction (SQLite's pragmas)
  std::vector<Unit> units;
  bool transactional = true;
};

inline std::string lit(const Dialect& d, const std::string& s) {
  std::string out;
  d.literal(out, Value(s));
  return out;
}
inline std::string vt(const Dialect& d) {
  std::string out;
  d.quote(out, version_table);
  return out;
}

/// CREATE TABLE athanor_version, as the renderer writes a table.
inline std::string version_table_ddl(const Dialect& d) {
  MetaData md;
  Table t{version_table, md, Column{"revision", String{64}, primary_key}, Column{"checksum", String{16}, nullable(false)},
          Column{"steps_done", Integer{}, nullable(false)}, Column{"complete", Integer{}, nullable(false)}};
  Diff diff;
  Operation op;
  op.kind = Operation::Kind::create_table, op.table = version_table, op.target = md.table_data(version_table);
  diff.operations.push_back(op);
  return render(diff, d).body.at(0);
}

/// The run of one direction of revision `id`: its steps, and the version row written in the
/// same transaction; where DDL is not transactional, a row first and its step count after each
/// step, from `resume` steps done on.
inline Program program(const Revisions& revs, const std::string& id, bool up, const Dialect& d, std::int64_t resume = -1) {
  Program p;
  p.transactional = d.capabilities().transactional_ddl;
  auto plan = revs.plan(id, up, d);
  std::string where = " WHERE revision = " + lit(d, id);
  std::string sum = revs.checksum(id, d);
  std::vector<Unit> steps;
  for (auto& s : plan.steps) {
    for (auto& x : s.before)
      if (std::find(p.before.begin(), p.before.end(), x) == p.before.end()) p.before.push_back(x);
    for (auto& x : s.after)
      if (std::find(p.after.begin(), p.after.end(), x) == p.after.end()) p.after.push_back(x);
    if (s.data) steps.push_back(Unit{{}, s.data, s.label, false});
    for (auto& x : s.body) steps.push_back(Unit{x, {}, {}, std::find(s.checks.begin(), s.checks.end(), x) != s.checks.end()});
  }
  if (p.transactional || !up) {
    p.units = std::move(steps);
    p.units.push_back(Unit{up ? "INSERT INTO " + vt(d) + " (revision, checksum, steps_done, complete) VALUES (" + lit(d, id) + ", " +
                                    lit(d, sum) + ", " + std::to_string(p.units.size()) + ", 1)"
                              : "DELETE FROM " + vt(d) + where,
                           {}, {}, false});
    return p;
  }
  if (resume < 0)
    p.units.push_back(Unit{"INSERT INTO " + vt(d) + " (revision, checksum, steps_done, complete) VALUES (" + lit(d, id) + ", " +
                           lit(d, sum) + ", 0, 0)", {}, {}, false});
  for (std::size_t i = resume < 0 ? 0 : static_cast<std::size_t>(resume); i < steps.size(); ++i) {
    p.units.push_back(steps[i]);
    p.units.push_back(Unit{"UPDATE " + vt(d) + " SET steps_done = " + std::to_string(i + 1) + where, {}, {}, false});
  }
  p.units.push_back(Unit{"UPDATE " + vt(d) + " SET complete = 1" + where, {}, {}, false});
  return p;
}

inline std::string text(const Program& p) {
  std::string s;
  for (auto& x : p.before) s += x + ";\n";
  if (p.transactional) s += "BEGIN;\n";
  for (auto& u : p.units) s += u.data ? "-- data step: " + u.label + " (a C++ callback: run by migrate::upgrade only)\n" : u.sql + ";\n";
  if (p.transactional) s += "COMMIT;\n";
  for (auto& x : p.after) s += x + ";\n";
  return s;
}

inline void run(Connection& conn, const Program& p) {
  for (auto& x : p.before) conn.exec_driver_sql(x);
  auto one = [&](const Unit& u) {
    if (u.data) return u.data(conn);
    auto result = conn.exec_driver_sql(u.sql);
    if (u.check && !result.all().empty())
      throw ArgumentError("[athanor.argument.migration_check] " + u.sql + " returned rows: the migrated data breaks a constraint");
  };
  try {
    if (p.transactional) {
      auto tx = conn.begin();
      for (auto& u : p.units) one(u);
      tx.commit();
    } else {
      for (auto& u : p.units) one(u);
    }
  } catch (...) {
    for (auto& x : p.after) conn.exec_driver_sql(x);
    throw;
  }
  for (auto& x : p.after) conn.exec_driver_sql(x);
}

inline std::vector<AppliedRevision> read_versions(Connection& conn) {
  std::vector<AppliedRevision> out;
  if (!conn.has_table(version_table)) return out;
  auto r = conn.exec_driver_sql("SELECT revision, checksum, steps_done, complete FROM " + vt(conn.dialect()) + " ORDER BY revision");
  for (auto& row : r.all())
    out.push_back({row.get<std::string>(0), row.get<std::string>(1), row.get<std::int64_t>(2), row.get<std::int64_t>(3) != 0});
  return out;
}

/// Every applied revision must be registered and unchanged.
inline void verify(const Revisions& revs, const std::vector<AppliedRevision>& applied, const Dialect& d) {
  for (auto& a : applied) {
    if (!revs.find(a.id)) {
      RevisionError e("[athanor.revision.unknown_applied] the database has revision " + a.id +
                      " applied, which this program does not register (a newer program migrated it, or the revision was removed)");
      e.revisions = {a.id};
      throw e;
    }
    auto now = revs.checksum(a.id, d);
    if (now != a.checksum) {
      RevisionError e("[athanor.revision.checksum] revision " + a.id + " was applied with checksum " + a.checksum + " but its " +
                      std::string(d.display_name()) + " SQL now has checksum " + now +
                      ": an applied revision was edited; undo the edit and write a new revision instead");
      e.revisions = {a.id};
      throw e;
    }
  }
}

/// The revisions to run to reach `target` ("head", "heads" or an id) from `applied`, parents first.
inline std::vector<std::string> path_up(const Revisions& revs, const std::string& target, const std::set<std::string>& applied) {
  std::vector<std::string> targets = target == "heads" ? revs.heads() : std::vector<std::string>{target == "head" ? revs.head() : target};
  std::set<std::string> want;
  for (auto& t : targets)
    for (auto* r : revs.lineage(t)) want.insert(r->id);
  std::vector<std::string> out;
  for (auto* r : revs.ordered())
    if (want.count(r->id) && !applied.count(r->id)) out.push_back(r->id);
  return out;
}

}  // namespace detail

/// The version table's rows (none before the first upgrade).
inline std::vector<AppliedRevision> applied(Engine& engine) {
  auto conn = engine.connect();
  return detail::read_versions(conn);
}

/// The applied revisions no other applied one descends from (one id, or several on
/// branches); empty: nothing applied ("base").
inline std::vector<std::string> current(Engine& engine, const Revisions& revs) {
  std::set<std::string> done;
  for (auto& a : applied(engine))
    if (a.complete) done.insert(a.id);
  std::vector<std::string> out;
  for (auto& id : done) {
    bool below = false;
    for (auto& other : done)
      if (other != id)
        for (auto* r : revs.lineage(other)) below |= r->id == id;
    if (!below) out.push_back(id);
  }
  return out;
}

/// Runs the revisions that lead to `target` ("head": the one head, RevisionError when there
/// are several; "heads"; or a revision id) and are not applied yet, parents first, each with
/// its version row. A revision half applied (MariaDB) resumes after its last step done.
/// **Example**: `migrate::upgrade(engine, revisions);`
inline void upgrade(Engine& engine, const Revisions& revs, const std::string& target = "head") {
  auto conn = engine.connect();
  const Dialect& d = conn.dialect();
  if (!conn.has_table(version_table)) conn.exec_driver_sql(detail::version_table_ddl(d));
  auto rows = detail::read_versions(conn);
  detail::verify(revs, rows, d);
  std::set<std::string> done;
  std::map<std::string, std::int64_t> partial;
  for (auto& a : rows) {
    if (a.complete) done.insert(a.id);
    else partial[a.id] = a.steps_done;
  }
  for (auto& id : detail::path_up(revs, target, done)) {
    auto it = partial.find(id);
    detail::run(conn, detail::program(revs, id, true, d, it == partial.end() ? -1 : it->second));
  }
}

/// Runs the `down` of the applied revisions that `target` does not descend from, children
/// first ("base": all of them). A half-applied revision is refused: upgrade() finishes it first.
/// **Example**: `migrate::downgrade(engine, revisions, "base");`
inline void downgrade(Engine& engine, const Revisions& revs, const std::string& target) {
  auto conn = engine.connect();
  const Dialect& d = conn.dialect();
  auto rows = detail::read_versions(conn);
  detail::verify(revs, rows, d);
  std::set<std::string> keep, done;
  if (target != "base")
    for (auto* r : revs.lineage(target)) keep.insert(r->id);
  for (auto& a : rows) {
    if (a.complete) {
      done.insert(a.id);
    } else if (!keep.count(a.id)) {
      RevisionError e("[athanor.revision.partial] revision " + a.id + " is half applied (" + std::to_string(a.steps_done) +
                      " steps done): run upgrade to finish it before downgrading");
      e.revisions = {a.id};
      throw e;
    }
  }
  auto order = revs.ordered();
  for (auto it = order.rbegin(); it != order.rend(); ++it)
    if (done.count((*it)->id) && !keep.count((*it)->id)) detail::run(conn, detail::program(revs, (*it)->id, false, d));
}

/// The SQL upgrade() would run from `from` ("base" or an applied revision id) to `to`, for
/// `dialect`, without a connection: the version table's DDL (from "base"), then per revision
/// its statements and version-table rows, data steps as comments. For a DBA, or review.
/// **Example**: `std::cout << migrate::upgrade_sql(PostgresqlDialect{}, revisions);`
inline std::string upgrade_sql(const Dialect& d, const Revisions& revs, const std::string& from = "base",
                               const std::string& to = "head") {
  std::set<std::string> done;
  std::string out;
  if (from == "base") out += detail::version_table_ddl(d) + ";\n";
  else
    for (auto* r : revs.lineage(from)) done.insert(r->id);
  for (auto& id : detail::path_up(revs, to, done)) {
    out += "\n-- revision " + id + ": " + revs.at(id).message + "\n";
    out += detail::text(detail::program(revs, id, true, d));
  }
  return out;
}

}  // namespace athanor::migrate
