// athanor/migrate/detail/version_table.hpp — running a Program against a connection, the
// version table (reading, checking checksums, creating it) and the migration lock.
// The migration lock (two upgrades at once apply each revision once), without a session-level
// lock, so that it holds behind a transaction pooler (PgBouncer's transaction mode hands each
// transaction to any server session, and a session lock would stay on one the pooler reuses):
// PostgreSQL takes pg_advisory_xact_lock as the first statement of each revision's
// transaction and reads the version table again under it (a revision another upgrade applied
// meanwhile is skipped); SQLite takes its database write lock the same way, with a write as
// the transaction's first statement. MariaDB's DDL commits implicitly, which would release any
// transaction's row lock at the first ALTER, and GET_LOCK is held by a session: there a lock
// row in the version table, INSERTed (autocommit: one upgrade wins on the primary key) before
// anything is read and DELETEd at the end, holds for the whole run; a row whose connection is
// gone (SHOW PROCESSLIST, the same user sees its own connections) is stale and taken over.
#pragma once

#include <chrono>  // std::chrono::steady_clock
#include <functional>  // std::function
#include <random>  // std::random_device
#include <set>     // std::set
#include <string>  // std::string
#include <thread>  // std::this_thread::sleep_for
#include <vector>  // std::vector

#include <athanor/migrate/detail/program.hpp>
#include <athanor/migrate/run_options.hpp>

namespace athanor::migrate::detail {


/// Takes the migration lock as the first statement of a transaction: PostgreSQL's
/// transaction-scoped advisory lock (released by COMMIT/ROLLBACK, so safe behind a pooler);
/// SQLite's write lock, by a write before anything is read (a reader asking for the write
/// lock later could only fail: the busy timeout waits only for a connection holding no lock).
/// MariaDB: nothing here (its lock row is held around the whole run: LockRow).
inline void lock_in_transaction(Connection& conn) {
  const Dialect& d = conn.dialect();
  if (d.name() == "postgresql") conn.exec_driver_sql("SELECT pg_advisory_xact_lock(7022352486651359802)");  // "athanor:" as a number
  else if (d.name() == "sqlite") conn.exec_driver_sql("UPDATE " + vt(d) + " SET complete = complete WHERE 1 = 0");
}

/// Runs `p`; where DDL is transactional, under the lock, and only when `needed` (asked under
/// it) says the revision still has to run. Returns false when it was skipped.
inline bool run(Connection& conn, const Program& p, const std::function<bool(Connection&)>& needed = {}) {
  if (!p.up && !p.outside.empty() && (!needed || needed(conn)))
    for (auto& o : p.outside) conn.exec_driver_sql(o.sql);  // autocommit, before the transaction
  if (p.transactional && needed) {
    for (auto& x : p.before) conn.exec_driver_sql(x);
    bool ran = false;
    try {
      auto tx = conn.begin();
      lock_in_transaction(conn);
      if (needed(conn)) {
        ran = true;
        for (auto& u : p.units) {
          if (u.data) {
            u.data(conn);
            continue;
          }
          auto result = conn.exec_driver_sql(u.sql);
          if (u.check && !result.all().empty())
            throw ArgumentError("[athanor.argument.migration_check] " + u.sql + " returned rows: the migrated data breaks a constraint");
        }
      }
      tx.commit();
    } catch (...) {
      for (auto& x : p.after) conn.exec_driver_sql(x);
      throw;
    }
    for (auto& x : p.after) conn.exec_driver_sql(x);
    return ran;
  }
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
  return true;
}

/// Drops index `name` if a failed or interrupted CREATE INDEX CONCURRENTLY left it INVALID
/// (PostgreSQL keeps such an index, unused for reads but updated by every write).
inline void drop_invalid_index(Connection& conn, const std::string& name) {
  const Dialect& d = conn.dialect();
  auto r = conn.exec_driver_sql("SELECT 1 FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid WHERE c.relname = " + lit(d, name) +
                                " AND c.relnamespace = to_regnamespace(current_schema())::oid AND NOT i.indisvalid");
  if (!r.all().empty()) {
    std::string q;
    d.quote(q, name);
    conn.exec_driver_sql("DROP INDEX CONCURRENTLY IF EXISTS " + q);
  }
}

/// The concurrent steps of `p` (an up), outside any transaction, after its transaction
/// committed the version row incomplete. Each step is claimed by a conditional UPDATE of the
/// row (autocommit: one upgrade's matches), so two upgrades never both run it and no session
/// state is held (a pooler may run each statement on another server session). A step claimed
/// by an upgrade that is gone (no session runs its statement, pg_stat_activity, for 2 s) is taken back
/// and its INVALID index dropped; one still running is waited for until `wait`, then
/// `[athanor.revision.locked]`. A failure gives the claim back and drops the INVALID index, so
/// the next upgrade() retries the step. Returns whether it ran any step.
inline bool run_outside(Connection& conn, const Program& p, std::chrono::milliseconds wait) {
  const Dialect& d = conn.dialect();
  std::string row = "SELECT steps_done, complete FROM " + vt(d) + " WHERE revision = " + lit(d, p.id);
  bool ran = false;
  auto deadline = std::chrono::steady_clock::now() + wait;
  constexpr auto stale_after = std::chrono::seconds(2);
  // When the claim was first seen with no statement running; max(): not seen so (a plain
  // time_point: g++ 12 warns of std::optional<time_point> as maybe-uninitialized at -O2).
  constexpr auto not_idle = std::chrono::steady_clock::time_point::max();
  auto idle_since = not_idle;
  for (std::size_t j = 0; j < p.outside.size(); ++j) {
    const Outside& o = p.outside[j];
    auto k = p.outside_base + static_cast<std::int64_t>(j);
    for (auto pause = std::chrono::milliseconds(20);; pause = std::min(pause * 2, std::chrono::milliseconds(500))) {
      auto rows = conn.exec_driver_sql(row).all();
      if (rows.empty()) throw RevisionError("[athanor.revision.partial] revision " + p.id + "'s version row disappeared during its upgrade");
      auto done = rows[0].get<std::int64_t>(0);
      if (rows[0].get<std::int64_t>(1) != 0 || done >= k + 1) break;  // another upgrade did it
      if (done == k) {
        if (conn.exec_driver_sql(claim_sql(d, p.id, k)).rowcount() != 1) continue;  // another one claimed it first
        try {
          if (o.create) drop_invalid_index(conn, o.index);
          conn.exec_driver_sql(o.sql);
        } catch (...) {
          try {  // give the claim back: the next upgrade() retries the step
            if (o.create) drop_invalid_index(conn, o.index);
            conn.exec_driver_sql("UPDATE " + vt(d) + " SET steps_done = " + std::to_string(k) + " WHERE revision = " + lit(d, p.id) +
                                 " AND steps_done = " + std::to_string(-(k + 1)));
          } catch (...) {  // the connection is gone: the claim is stale, the next upgrade takes it back
          }
          throw;
        }
        conn.exec_driver_sql(step_done_sql(d, p.id, k));
        ran = true;
        break;
      }
      if (done != -(k + 1))
        throw RevisionError("[athanor.revision.partial] revision " + p.id + " records " + std::to_string(done) +
                            " steps done, which its concurrent steps cannot follow from (expected " + std::to_string(k) + ")");
      auto alive = conn.exec_driver_sql("SELECT count(*) FROM pg_stat_activity WHERE state = 'active' AND query = " + lit(d, o.sql) +
                                        " AND pid <> pg_backend_pid()");
      // Not running is not yet gone: the claimer sends its statement just after claiming, and
      // records it done just after; only a claim seen idle for `stale_after` is taken back.
      if (alive.all().at(0).get<std::int64_t>(0) != 0) idle_since = not_idle;
      else if (idle_since == not_idle) idle_since = std::chrono::steady_clock::now();
      if (idle_since != not_idle && std::chrono::steady_clock::now() - idle_since >= stale_after) {  // its upgrade is gone: take the step back
        idle_since = not_idle;
        if (o.create) drop_invalid_index(conn, o.index);
        conn.exec_driver_sql("UPDATE " + vt(d) + " SET steps_done = " + std::to_string(k) + " WHERE revision = " + lit(d, p.id) +
                             " AND steps_done = " + std::to_string(-(k + 1)));
        continue;
      }
      if (std::chrono::steady_clock::now() > deadline)
        throw RevisionError("[athanor.revision.locked] another upgrade runs revision " + p.id + "'s step " + o.sql);
      std::this_thread::sleep_for(pause);
    }
  }
  conn.exec_driver_sql(complete_sql(d, p.id));
  return ran;
}

inline std::vector<AppliedRevision> read_versions(Connection& conn) {
  std::vector<AppliedRevision> out;
  if (!conn.has_table(version_table)) return out;
  auto r = conn.exec_driver_sql("SELECT revision, checksum, steps_done, complete FROM " + vt(conn.dialect()) + " WHERE revision <> " +
                                lit(conn.dialect(), lock_row) + " ORDER BY revision");
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

/// Creates the version table unless it exists, safely against another upgrade doing the
/// same: PostgreSQL under the advisory lock (a concurrent CREATE TABLE IF NOT EXISTS can still
/// fail there on pg_type's unique index), elsewhere CREATE TABLE IF NOT EXISTS.
inline void ensure_version_table(Connection& conn) {
  const Dialect& d = conn.dialect();
  if (d.name() == "postgresql") {
    if (conn.has_table(version_table)) return;
    auto tx = conn.begin();
    lock_in_transaction(conn);
    if (!conn.has_table(version_table)) conn.exec_driver_sql(version_table_ddl(d));
    tx.commit();
    return;
  }
  conn.exec_driver_sql(version_table_ddl(d));
}

/// MariaDB's migration lock, held from construction to destruction: a row of the version table
/// (revision = lock_row, checksum = a random token, steps_done = the holder's CONNECTION_ID()),
/// INSERTed with autocommit, so that the primary key lets one upgrade in; the others wait,
/// and take over a row whose connection is no longer in the process list (a killed upgrade).
/// Nothing where DDL is transactional (lock_in_transaction, per revision, does it there).
class LockRow {
 public:
  LockRow(Connection& conn, std::chrono::milliseconds wait) : conn_(conn) {
    const Dialect& d = conn.dialect();
    if (d.capabilities().transactional_ddl) return;
    std::random_device rd;
    std::mt19937_64 gen(rd() ^ static_cast<std::uint64_t>(std::chrono::steady_clock::now().time_since_epoch().count()));
    static constexpr char hex[] = "0123456789abcdef";
    for (int i = 0; i < 16; ++i) token_ += hex[gen() % 16];
    auto row = " WHERE revision = " + lit(d, lock_row);
    auto deadline = std::chrono::steady_clock::now() + wait;
    for (auto pause = std::chrono::milliseconds(20);; pause = std::min(pause * 2, std::chrono::milliseconds(500))) {
      try {
        conn.exec_driver_sql("INSERT INTO " + vt(d) + " (revision, checksum, steps_done, complete) VALUES (" + lit(d, lock_row) + ", " +
                             lit(d, token_) + ", CONNECTION_ID(), 0)");
        held_ = true;
        return;
      } catch (const IntegrityError&) {
      }
      auto r = conn.exec_driver_sql("SELECT checksum, steps_done FROM " + vt(d) + row);
      auto rows = r.all();
      if (rows.empty()) continue;  // released meanwhile
      auto holder = rows[0].get<std::string>(0);
      auto id = rows[0].get<std::int64_t>(1);
      auto alive = conn.exec_driver_sql("SELECT count(*) FROM information_schema.PROCESSLIST WHERE ID = " + std::to_string(id));
      if (alive.all().at(0).get<std::int64_t>(0) == 0) {  // its connection is gone: take it over
        conn.exec_driver_sql("DELETE FROM " + vt(d) + row + " AND checksum = " + lit(d, holder));
        continue;
      }
      if (std::chrono::steady_clock::now() > deadline)
        throw RevisionError("[athanor.revision.locked] another upgrade (connection " + std::to_string(id) +
                            ") holds the migration lock; if none runs, remove it: DELETE FROM " + vt(d) + row);
      std::this_thread::sleep_for(pause);
    }
  }
  ~LockRow() {
    if (!held_) return;
    try {
      conn_.exec_driver_sql("DELETE FROM " + vt(conn_.dialect()) + " WHERE revision = " + lit(conn_.dialect(), lock_row) +
                            " AND checksum = " + lit(conn_.dialect(), token_));
    } catch (...) {  // the connection is gone: its row is stale, the next upgrade takes it over
    }
  }
  LockRow(const LockRow&) = delete;
  LockRow& operator=(const LockRow&) = delete;

 private:
  Connection& conn_;
  std::string token_;
  bool held_ = false;
};

/// Whether `id` is applied completely, read in the current transaction.
inline bool is_applied(Connection& conn, const std::string& id) {
  for (auto& a : read_versions(conn))
    if (a.id == id) return a.complete;
  return false;
}

/// Whether the version table has a row for `id`, complete or not.
inline bool has_row(Connection& conn, const std::string& id) {
  for (auto& a : read_versions(conn))
    if (a.id == id) return true;
  return false;
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
}  // namespace athanor::migrate::detail
