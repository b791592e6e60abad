// athanor/migrate/detail/program.hpp — one direction of one revision compiled for a dialect:
// its statements and data steps in order with the version-table writes that record them
// (Program), the version table's DDL, and the same as SQL text for upgrade_sql().
#pragma once

#include <cstdint>  // std::int64_t
#include <string>   // std::string
#include <vector>   // std::vector

#include <athanor/migrate/diff.hpp>
#include <athanor/migrate/revision.hpp>

namespace athanor::migrate::detail {

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
}  // namespace athanor::migrate::detail
