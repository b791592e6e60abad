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
#include <optional>  // std::optional
#include <random>  // std::random_device
#include <set>     // std::set
#include <thread>  // std::this_thread::sleep_for
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

/// The version table's row that is the migration lock on MariaDB (never a revision's id).
inline constexpr const char* lock_row = "athanor:lock";

/// One revision's run, told to RunOptions::progress before (`done` false) and after it.
struct Progress {
  std::string id;                    ///< the revision
  std::string message;               ///< its message
  bool up = true;                    ///< upgrade (false: downgrade)
  std::size_t index = 0;             ///< this is revision index+1 of count
  std::size_t count = 0;             ///< the revisions this run has to go through
  bool done = false;                 ///< false: about to run; true: ran (or was skipped)
  bool skipped = false;              ///< done: another upgrade applied (or undid) it meanwhile
  double seconds = 0;                ///< done: how long it took
};

/// How upgrade() / downgrade() / stamp() run.
struct RunOptions {
  std::function<void(const Progress&)> progress{};  ///< called around each revision
  /// MariaDB: how long to wait for another upgrade's lock row before
  /// `[athanor.revision.locked]` (PostgreSQL and SQLite wait for the server's lock).
  std::chrono::milliseconds lock_wait{std::chrono::minutes(10)};
};

namespace detail {

/// One statement or data step of a revision's run, and what it records.
struct Unit {
  std::string sql;                         ///< empty for a data step
  std::function<void(Connection&)> data;
  std::string label;
  bool check = false;                      ///< must return no row
};
/// A concurrent index statement (PostgreSQL), run outside the revision's transaction.
struct Outside {
  std::string sql, index;
  bool create = false;
};
struct Program {
  std::vector<std::string> before, after;  ///< outside the transaction (SQLite's pragmas)
  std::vector<Unit> units;
  bool transactional = true;
  // Up: CREATE/DROP INDEX CONCURRENTLY after the transaction, which commits the version row
  // incomplete with `outside_base` steps done; each then runs claimed by its row (run_outside).
  // Down: before the transaction (only DROP … IF EXISTS / CREATE, so a retry is plain).
  std::vector<Outside> outside;
  std::int64_t outside_base = 0;
  bool up = true;
  std::string id;
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

/// CREATE TABLE athanor_version, as the renderer writes a table; IF NOT EXISTS except on
/// PostgreSQL (two upgrades may create it at once: ensure_version_table).
inline std::string version_table_ddl(const Dialect& d) {
  MetaData md;
  Table t{version_table, md, Column{"revision", String{64}, primary_key}, Column{"checksum", String{16}, nullable(false)},
          Column{"steps_done", Integer{}, nullable(false)}, Column{"complete", Integer{}, nullable(false)}};
  Diff diff;
  Operation op;
  op.kind = Operation::Kind::create_table, op.table = version_table, op.target = md.table_data(version_table);
  diff.operations.push_back(op);
  auto ddl = render(diff, d).body.at(0);
  if (d.name() != "postgresql" && ddl.rfind("CREATE TABLE ", 0) == 0) ddl.insert(13, "IF NOT EXISTS ");
  return ddl;
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
  p.up = up, p.id = id;
  for (auto& s : plan.steps) {
    if (s.concurrent) {
      p.outside.push_back(Outside{s.body.at(0), s.index, s.body[0].starts_with("CREATE")});
      continue;
    }
    for (auto& x : s.before)
      if (std::find(p.before.begin(), p.before.end(), x) == p.before.end()) p.before.push_back(x);
    for (auto& x : s.after)
      if (std::find(p.after.begin(), p.after.end(), x) == p.after.end()) p.after.push_back(x);
    if (s.data) steps.push_back(Unit{{}, s.data, s.label, false});
    for (auto& x : s.body) steps.push_back(Unit{x, {}, {}, std::find(s.checks.begin(), s.checks.end(), x) != s.checks.end()});
  }
  if (!p.outside.empty() && up) {  // PostgreSQL only: the row says how far it got, as MariaDB's
    p.outside_base = static_cast<std::int64_t>(steps.size());
    p.units = std::move(steps);
    p.units.push_back(Unit{"INSERT INTO " + vt(d) + " (revision, checksum, steps_done, complete) VALUES (" + lit(d, id) + ", " +
                               lit(d, sum) + ", " + std::to_string(p.outside_base) + ", 0)",
                           {}, {}, false});
    return p;
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

/// The statements around concurrent step `k` (0-based steps done before it): the claim
/// (one upgrade's UPDATE matches; steps_done = -(k+1) while it runs), and its completion.
inline std::string claim_sql(const Dialect& d, const std::string& id, std::int64_t k) {
  return "UPDATE " + vt(d) + " SET steps_done = " + std::to_string(-(k + 1)) + " WHERE revision = " + lit(d, id) +
         " AND steps_done = " + std::to_string(k);
}
inline std::string step_done_sql(const Dialect& d, const std::string& id, std::int64_t k) {
  return "UPDATE " + vt(d) + " SET steps_done = " + std::to_string(k + 1) + " WHERE revision = " + lit(d, id);
}
inline std::string complete_sql(const Dialect& d, const std::string& id) {
  return "UPDATE " + vt(d) + " SET complete = 1 WHERE revision = " + lit(d, id);
}

inline std::string text(const Program& p, const Dialect& d) {
  std::string s;
  if (!p.up)
    for (auto& o : p.outside) s += o.sql + ";\n";
  for (auto& x : p.before) s += x + ";\n";
  if (p.transactional) s += "BEGIN;\n";
  for (auto& u : p.units) s += u.data ? "-- data step: " + u.label + " (a C++ callback: run by migrate::upgrade only)\n" : u.sql + ";\n";
  if (p.transactional) s += "COMMIT;\n";
  for (auto& x : p.after) s += x + ";\n";
  if (p.up && !p.outside.empty()) {
    s += "-- outside the transaction (PostgreSQL refuses CONCURRENTLY inside one)\n";
    for (std::size_t j = 0; j < p.outside.size(); ++j) {
      auto k = p.outside_base + static_cast<std::int64_t>(j);
      s += claim_sql(d, p.id, k) + ";\n" + p.outside[j].sql + ";\n" + step_done_sql(d, p.id, k) + ";\n";
    }
    s += complete_sql(d, p.id) + ";\n";
  }
  return s;
}

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
