// athanor/migrate/distribution.hpp — what a schema needs on a distributed engine, checked before
// it gets there: Citus (PostgreSQL sharded by a distribution column) and Galera (MariaDB's
// synchronous multi-primary cluster). athanor builds no distribution of its own; these checks
// name what the engine would refuse, or silently answer differently, in a MetaData.
#pragma once

#include <algorithm>  // std::ranges::find
#include <map>     // std::map
#include <set>     // std::set
#include <string>  // std::string
#include <vector>  // std::vector

#include <athanor/core/metadata.hpp>
#include <athanor/dialect/ansi.hpp>  // the hooks it calls (quote, type_name) with their bodies
#include <athanor/core/error.hpp>

namespace athanor {

/// How a schema's tables are placed on Citus: sharded by a column, or copied to every node.
/// Tables named in neither stay local to the coordinator.
/// **Example**: `Distribution{.distributed = {{"orders", "tenant_id"}, {"lines", "tenant_id"}}, .reference = {"countries"}}`
struct Distribution {
  std::map<std::string, std::string> distributed;  ///< table → its distribution column
  std::set<std::string> reference;                 ///< reference tables (a copy on each node)
};

namespace detail {
inline bool has_column(const std::vector<std::string>& cols, const std::string& c) {
  return std::ranges::find(cols, c) != cols.end();
}
inline std::string list(const std::vector<std::string>& cols) {
  std::string out;
  for (auto& c : cols) out += (out.empty() ? "" : ", ") + c;
  return out;
}
}  // namespace detail

/// What Citus would refuse in `md` distributed as `d`, one sentence each (empty: nothing).
/// Its rules (https://docs.citusdata.com/en/stable/develop/migration_mt_schema.html): a
/// distributed table's primary key and UNIQUE constraints include the distribution column,
/// which is never NULL; a foreign key between distributed tables joins their distribution
/// columns (co-located rows); a reference table refers to reference tables only; a local table
/// and a distributed one do not refer to each other.
inline std::vector<std::string> citus_problems(const MetaData& md, const Distribution& d) {
  std::vector<std::string> out;
  auto kind = [&](const std::string& t) {
    return d.distributed.count(t) ? 'd' : d.reference.count(t) ? 'r' : 'l';
  };
  for (auto& [t, col] : d.distributed)
    if (!md.find(t)) out.push_back("distributed table " + t + " is not in the MetaData");
  for (auto& t : d.reference)
    if (!md.find(t)) out.push_back("reference table " + t + " is not in the MetaData");
  for (const auto* t : md.sorted_tables()) {
    char k = kind(t->name);
    if (k == 'd') {
      const auto& dc = d.distributed.at(t->name);
      const auto* c = t->find(dc);
      if (!c) {
        out.push_back(t->name + ": no distribution column " + dc);
        continue;
      }
      if (!detail::has_column(t->primary_key, dc)) {
        out.push_back(t->name + ": the primary key (" + detail::list(t->primary_key) + ") does not include the distribution column " + dc);
        if (c->nullable) out.push_back(t->name + ": the distribution column " + dc + " may be NULL");
      }
      for (auto& u : t->uniques)
        if (!detail::has_column(u.columns, dc))
          out.push_back(t->name + ": UNIQUE (" + detail::list(u.columns) + ") does not include the distribution column " + dc);
      for (auto& ix : t->indexes)
        if (ix.unique && !detail::has_column(ix.columns, dc))
          out.push_back(t->name + ": unique index " + t->index_name(ix) + " does not include the distribution column " + dc);
      for (auto& col : t->columns)
        if (col.unique && col.name != dc)
          out.push_back(t->name + ": UNIQUE (" + col.name + ") does not include the distribution column " + dc);
    }
    for (auto& fk : t->foreign_keys) {
      char r = kind(fk.ref_table);
      std::string what = t->name + " → " + fk.ref_table + " (" + detail::list(fk.columns) + ")";
      if (k == 'd' && r == 'd') {
        // Co-located: the key pairs this table's distribution column with the other's.
        const auto& mine = d.distributed.at(t->name);
        const auto& theirs = d.distributed.at(fk.ref_table);
        bool paired = false;
        for (std::size_t i = 0; i < fk.columns.size(); ++i) paired = paired || (fk.columns[i] == mine && fk.ref_columns[i] == theirs);
        if (!paired) out.push_back("foreign key " + what + " does not join the distribution columns " + mine + " and " + theirs);
      } else if (k == 'r' && r != 'r') {
        out.push_back("foreign key " + what + ": a reference table may refer to reference tables only");
      } else if ((k == 'l' && r == 'd') || (k == 'd' && r == 'l')) {
        out.push_back("foreign key " + what + " joins a local table and a distributed one");
      }
    }
  }
  return out;
}

/// The statements that distribute `md` on Citus, to run after create_all: reference tables
/// first, then distributed tables in dependency order, each co-located with the first one
/// whose distribution column has its type (`colocate_with`: rows with one key value on one
/// node, which co-located joins and foreign keys need). ArgumentError when citus_problems()
/// finds anything.
inline std::vector<std::string> citus_ddl(const MetaData& md, const Distribution& d, const Dialect& dialect) {
  if (auto problems = citus_problems(md, d); !problems.empty())
    throw ArgumentError("[athanor.argument.citus] the schema cannot be distributed as given: " + problems.front());
  auto text = [](const std::string& s) {  // a string literal of an identifier we hold
    std::string out = "'";
    for (char ch : s) out += ch == '\'' ? std::string("''") : std::string(1, ch);
    return out + "'";
  };
  auto table = [&](const std::string& name) {
    std::string q;
    dialect.quote(q, name);
    return text(q);  // regclass text: the quoted name, so that case and spaces survive
  };
  std::vector<std::string> out;
  for (const auto* t : md.sorted_tables())
    if (d.reference.count(t->name)) out.push_back("SELECT create_reference_table(" + table(t->name) + ")");
  std::map<std::string, std::string> group;  // distribution column type → the first table of it
  for (const auto* t : md.sorted_tables()) {
    auto it = d.distributed.find(t->name);
    if (it == d.distributed.end()) continue;
    std::string type;
    dialect.type_name(type, t->find(it->second)->type);
    std::string sql = "SELECT create_distributed_table(" + table(t->name) + ", " + text(it->second);
    auto [first, added] = group.emplace(type, t->name);
    sql += added ? ")" : ", colocate_with => " + table(first->second) + ")";
    out.push_back(std::move(sql));
  }
  return out;
}

/// What Galera Cluster needs of `md`, one sentence each (empty: nothing): every table has a
/// primary key (rows are certified and applied on the other nodes by key; without one a
/// DELETE is applied in arbitrary order, and MariaDB's wsrep_certify_nonPK invents a hidden
/// key) (https://mariadb.com/kb/en/mariadb-galera-cluster-known-limitations/).
inline std::vector<std::string> galera_problems(const MetaData& md) {
  std::vector<std::string> out;
  for (const auto* t : md.sorted_tables())
    if (t->primary_key.empty()) out.push_back(t->name + ": no primary key");
  return out;
}

}  // namespace athanor
