// athanor/migrate/upgrade.hpp — running revisions: `migrate::upgrade(engine, revisions,
// target)`, `downgrade`, `current`, `applied`, and `upgrade_sql` (the same statements as
// text, without a connection). The database records what ran in the version table
// `athanor_version`: one row per applied revision with the checksum of its SQL (an applied
// revision edited since is refused) and, where DDL is not transactional, how far it got.
// Per dialect: PostgreSQL and SQLite run each revision and its version row in one
// transaction (SQLite's rebuild pragmas around it); MariaDB commits each DDL by itself, so a
// revision runs one statement at a time and its row counts the steps done: a failed revision
// stays half applied, is reported, and the next upgrade() resumes after its last step done.
// PostgreSQL's CREATE/DROP INDEX CONCURRENTLY (op.create_index(…, concurrently)) cannot run
// in a transaction block: an up's transaction commits its other steps with the version row
// incomplete, then each concurrent statement runs in autocommit, claimed by that row the same
// MariaDB-like way (steps_done), then the row is completed; a down runs them before its
// transaction (DROP … IF EXISTS, so a retry is plain).
//
// The migration lock and the version table: detail/version_table.hpp.

#pragma once

#include <chrono>  // std::chrono::steady_clock
#include <set>     // std::set
#include <string>  // std::string
#include <vector>  // std::vector

#include <athanor/migrate/detail/program.hpp>
#include <athanor/migrate/detail/version_table.hpp>
#include <athanor/migrate/revision.hpp>
#include <athanor/migrate/run_options.hpp>

namespace athanor::migrate {

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

namespace detail {
/// Runs `step(id)` for each revision of `path` in order, telling RunOptions::progress before
/// and after each (with its time, and `skipped` when step says another run did it meanwhile);
/// returns the revisions step ran.
template <class Step>
std::vector<std::string> run_path(const Revisions& revs, const std::vector<std::string>& path, bool up,
                                  const RunOptions& options, Step step) {
  std::vector<std::string> ran;
  for (std::size_t i = 0; i < path.size(); ++i) {
    auto& id = path[i];
    Progress pr{id, revs.at(id).message, up, i, path.size()};
    if (options.progress) options.progress(pr);
    auto start = std::chrono::steady_clock::now();
    bool did = step(id);
    if (did) ran.push_back(id);
    pr.done = true, pr.skipped = !did;
    pr.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    if (options.progress) options.progress(pr);
  }
  return ran;
}
}  // namespace detail

/// Runs the revisions that lead to `target` ("head": the one head, RevisionError when there
/// are several; "heads"; or a revision id) and are not applied yet, parents first, each with
/// its version row. A revision half applied (MariaDB) resumes after its last step done. Under
/// the migration lock: another upgrade() at the same time applies each revision once between
/// them (a revision it applied meanwhile is skipped here, `Progress::skipped`).
/// Returns the revisions it ran.
/// **Example**: `migrate::upgrade(engine, revisions);`
inline std::vector<std::string> upgrade(Engine& engine, const Revisions& revs, const std::string& target = "head",
                                        const RunOptions& options = {}) {
  auto conn = engine.connect();
  const Dialect& d = conn.dialect();
  detail::ensure_version_table(conn);
  detail::LockRow lock(conn, options.lock_wait);
  auto rows = detail::read_versions(conn);
  detail::verify(revs, rows, d);
  std::set<std::string> done;
  std::map<std::string, std::int64_t> partial;
  for (auto& a : rows) {
    if (a.complete) done.insert(a.id);
    else partial[a.id] = a.steps_done;
  }
  auto path = detail::path_up(revs, target, done);
  return detail::run_path(revs, path, true, options, [&](const std::string& id) {
    auto it = partial.find(id);
    auto program = detail::program(revs, id, true, d, it == partial.end() ? -1 : it->second);
    // A row at all (not only a complete one): an incomplete row on PostgreSQL is a revision
    // whose transaction committed and whose concurrent steps follow (run_outside).
    bool did = detail::run(conn, program, [&](Connection& c) { return !detail::has_row(c, id); });
    if (!program.outside.empty()) did = detail::run_outside(conn, program, options.lock_wait) || did;
    return did;
  });
}

/// Runs the `down` of the applied revisions that `target` does not descend from, children
/// first ("base": all of them). A half-applied revision is refused: upgrade() finishes it first.
/// Under the migration lock, as upgrade(). Returns the revisions it undid.
/// **Example**: `migrate::downgrade(engine, revisions, "base");`
inline std::vector<std::string> downgrade(Engine& engine, const Revisions& revs, const std::string& target,
                                          const RunOptions& options = {}) {
  auto conn = engine.connect();
  const Dialect& d = conn.dialect();
  if (target != "base") revs.at(target);  // an unknown target is an error, not "undo everything"
  if (!conn.has_table(version_table)) return {};
  detail::LockRow lock(conn, options.lock_wait);
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
  std::vector<std::string> path;
  auto order = revs.ordered();
  for (auto it = order.rbegin(); it != order.rend(); ++it)
    if (done.count((*it)->id) && !keep.count((*it)->id)) path.push_back((*it)->id);
  return detail::run_path(revs, path, false, options, [&](const std::string& id) {
    return detail::run(conn, detail::program(revs, id, false, d), [&](Connection& c) { return detail::is_applied(c, id); });
  });
}

/// What stamp() changed in the version table.
struct StampResult {
  std::vector<std::string> added;     ///< rows inserted (recorded as applied)
  std::vector<std::string> removed;   ///< rows deleted (recorded as not applied)
  std::vector<std::string> accepted;  ///< rows whose checksum was re-accepted
};

/// Records `targets` (revision ids, "head", "heads"; {"base"}: none) and their ancestors as
/// applied without running anything, and forgets applied rows outside them: for a database
/// whose schema was made another way, or after fixing one by hand. A kept row whose checksum
/// differs (the revision was edited after it ran, or athanor now renders its SQL differently)
/// is refused unless `accept_checksum`, which records the current one. `targets` empty: only
/// that re-acceptance, for every applied row. Under the migration lock.
/// **Example**: `migrate::stamp(engine, revisions, {"head"});`
inline StampResult stamp(Engine& engine, const Revisions& revs, const std::vector<std::string>& targets, bool accept_checksum = false,
                         const RunOptions& options = {}) {
  auto conn = engine.connect();
  const Dialect& d = conn.dialect();
  std::set<std::string> want;
  for (auto& t : targets) {
    if (t == "base") continue;
    auto ids = t == "heads" ? revs.heads() : std::vector<std::string>{t == "head" ? revs.head() : t};
    for (auto& id : ids)
      for (auto* r : revs.lineage(id)) want.insert(r->id);
  }
  detail::ensure_version_table(conn);
  detail::LockRow lock(conn, options.lock_wait);
  StampResult out;
  std::function<void(Connection&)> change = [&](Connection& c) {
    out = {};
    auto rows = detail::read_versions(c);
    std::set<std::string> have;
    auto where = [&](const std::string& id) { return " WHERE revision = " + detail::lit(d, id); };
    for (auto& a : rows) {
      have.insert(a.id);
      if (!targets.empty() && !want.count(a.id)) {
        c.exec_driver_sql("DELETE FROM " + detail::vt(d) + where(a.id));
        out.removed.push_back(a.id);
        continue;
      }
      if (!revs.find(a.id)) detail::verify(revs, {a}, d);  // throws unknown_applied
      auto now = revs.checksum(a.id, d);
      if (now != a.checksum) {
        if (!accept_checksum) detail::verify(revs, {a}, d);  // throws the checksum error
        c.exec_driver_sql("UPDATE " + detail::vt(d) + " SET checksum = " + detail::lit(d, now) + where(a.id));
        out.accepted.push_back(a.id);
      }
      if (!a.complete)
        c.exec_driver_sql("UPDATE " + detail::vt(d) + " SET complete = 1, steps_done = " +
                          std::to_string(revs.plan(a.id, true, d).steps.size()) + where(a.id));
    }
    for (auto* r : revs.ordered())
      if (want.count(r->id) && !have.count(r->id)) {
        c.exec_driver_sql("INSERT INTO " + detail::vt(d) + " (revision, checksum, steps_done, complete) VALUES (" + detail::lit(d, r->id) +
                          ", " + detail::lit(d, revs.checksum(r->id, d)) + ", " + std::to_string(revs.plan(r->id, true, d).steps.size()) + ", 1)");
        out.added.push_back(r->id);
      }
  };
  auto tx = conn.begin();
  detail::lock_in_transaction(conn);
  change(conn);
  tx.commit();
  return out;
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
    out += detail::text(detail::program(revs, id, true, d), d);
  }
  return out;
}

/// The SQL downgrade() would run from `from` (an applied revision, default the head) down to
/// `to` ("base" or a revision id), for `dialect`, without a connection: each revision's `down`
/// and the removal of its version row, children first.
/// **Example**: `std::cout << migrate::downgrade_sql(PostgresqlDialect{}, revisions, "base");`
inline std::string downgrade_sql(const Dialect& d, const Revisions& revs, const std::string& to, const std::string& from = "head") {
  std::set<std::string> have, keep;
  for (auto* r : revs.lineage(from == "head" ? revs.head() : from)) have.insert(r->id);
  if (to != "base")
    for (auto* r : revs.lineage(to)) keep.insert(r->id);
  std::string out;
  auto order = revs.ordered();
  for (auto it = order.rbegin(); it != order.rend(); ++it) {
    const std::string& id = (*it)->id;
    if (!have.count(id) || keep.count(id)) continue;
    out += std::string(out.empty() ? "" : "\n") + "-- revision " + id + " (down): " + (*it)->message + "\n";
    out += detail::text(detail::program(revs, id, false, d), d);
  }
  return out;
}

}  // namespace athanor::migrate
