// athanor/migrate/detail/codegen_plan.hpp — what migrate::codegen (migrate/codegen.hpp) maps:
// which tables become models and under which struct names, and the One/Many relationships
// inferred from their foreign keys, each named. The header is written from this plan by
// migrate/impl/codegen.ipp, the one file that includes this one.
#pragma once

#include <algorithm>  // std::sort, std::stable_sort, std::all_of, std::is_permutation
#include <cstddef>    // std::size_t
#include <map>        // std::map
#include <set>        // std::set
#include <string>     // std::string
#include <tuple>      // std::tie
#include <utility>    // std::pair, std::move
#include <vector>     // std::vector

#include <athanor/dialect/reflection.hpp>
#include <athanor/migrate/detail/codegen_names.hpp>

namespace athanor::migrate::detail {

/// A table as a model: the columns named as C++ members, the key, the foreign keys over them.
struct CodegenModel {
  const ReflectedTable* t;
  std::string type;                       // the struct's name
  std::vector<const ReflectedColumn*> columns;
  std::vector<std::string> left_out;      // columns that cannot be members
  std::vector<std::string> key;           // the model's primary key (all columns when the table has none)
  bool association = false;
  std::vector<const ReflectedForeignKey*> fks;  // those over mapped columns, sorted
};

/// One side of a relationship; a pair of sides mirror each other (`mirror`, `back`).
struct CodegenRel {
  std::string name;
  std::string target;      // struct
  bool many = false;
  std::string secondary;   // struct of the association table
  std::string foreign_key; // .foreign_key("col") when several keys link the two tables
  std::string back;        // index into the target's rels, resolved to a name after naming
  std::string comment;
  // for naming: the preferred name and the key of the relation it mirrors
  int mirror = -1;         // global index of the other side
  std::size_t owner = 0;
};

/// The models of a set of reflected tables and their relationships, named.
struct CodegenPlan {
  std::vector<ReflectedTable> tables;  ///< sorted by name; the models point into it
  std::vector<CodegenModel> models;
  std::vector<std::string> skipped;    ///< "table: why"
  std::vector<CodegenRel> rels;
};

/// The plan for `tables`: tables whose primary key has a column that cannot be a member are
/// skipped; with `relationships`, the foreign keys' relationships as sqlacodegen infers them.
inline CodegenPlan codegen_plan(std::vector<ReflectedTable> tables_in, bool relationships) {
  using namespace codegen_names;
  using Model = CodegenModel;
  using Rel = CodegenRel;
  CodegenPlan plan;
  plan.tables = std::move(tables_in);
  auto& tables = plan.tables;
  auto& models = plan.models;
  auto& skipped = plan.skipped;
  auto& rels = plan.rels;
  std::sort(tables.begin(), tables.end(), [](auto& a, auto& b) { return a.name < b.name; });

  // --- what can be mapped: columns named as C++ members; tables with a primary key of those ---
auto fk_less = [](const ReflectedForeignKey* a, const ReflectedForeignKey* b) {
  return std::tie(a->columns, a->ref_table, a->ref_columns, a->name) < std::tie(b->columns, b->ref_table, b->ref_columns, b->name);
};
for (auto& t : tables) {
  Model m{&t, {}, {}, {}, {}, false, {}};
  for (auto& c : t.columns) {
    if (cpp_identifier(c.name) && c.name != "configure") m.columns.push_back(&c);
    else m.left_out.push_back(c.name);
  }
  auto mapped = [&](const std::string& col) {
    for (auto* c : m.columns)
      if (c->name == col) return true;
    return false;
  };
  m.key = t.primary_key.columns;
  if (m.key.empty())
    for (auto* c : m.columns) m.key.push_back(c->name);
  bool key_ok = !m.key.empty() && std::all_of(m.key.begin(), m.key.end(), mapped);
  if (!key_ok) {
    skipped.push_back(t.name + ": its primary key needs a column whose name is not a C++ identifier");
    continue;
  }
  for (auto& fk : t.foreign_keys)
    if (std::all_of(fk.columns.begin(), fk.columns.end(), mapped)) m.fks.push_back(&fk);
  std::sort(m.fks.begin(), m.fks.end(), fk_less);
  // sqlacodegen's association table: exactly two foreign keys, together all of its columns.
  if (t.foreign_keys.size() == 2 && m.left_out.empty() && m.fks.size() == 2) {
    std::set<std::string> covered;
    for (auto* fk : m.fks) covered.insert(fk->columns.begin(), fk->columns.end());
    m.association = covered.size() == t.columns.size();
  }
  models.push_back(std::move(m));
}

// --- struct names: PascalCase, unique, and none of the names the header itself uses ---
std::set<std::string> taken = {"orm",  "Mapped", "One",  "Many", "Mapper",    "Registry", "Bytes",   "Date",
                               "DateTime", "Decimal", "Json", "Time", "Uuid", "map_all", "all_models", "athanor", "std"};
std::map<std::string, std::size_t> by_table;
for (std::size_t i = 0; i < models.size(); ++i) {
  auto& m = models[i];
  std::string base = valid(pascal(m.t->name), "T"), name = base;
  auto clashes = [&](const std::string& n) {
    if (taken.count(n)) return true;
    for (auto* c : m.columns)
      if (c->name == n) return true;  // a member may not have its class's name
    return false;
  };
  for (int k = 2; clashes(name); ++k) name = base + (k == 2 ? std::string("_") : "_" + std::to_string(k));
  taken.insert(name), m.type = name, by_table[m.t->name] = i;
}


  // --- relationships ---
  auto add_pair = [&](Rel a, Rel b) {
  int ia = static_cast<int>(rels.size());
  a.mirror = ia + 1, b.mirror = ia;
  rels.push_back(std::move(a)), rels.push_back(std::move(b));
};
if (relationships) {
  // How many foreign keys link each pair of tables (either direction): with more than one the
  // ORM needs to be told which column (`.foreign_key("col")`), which it can for one column only.
  std::map<std::pair<std::string, std::string>, int> links;
  auto pair_of = [](const std::string& a, const std::string& b) { return a < b ? std::pair{a, b} : std::pair{b, a}; };
  for (auto& m : models)
    if (!m.association)
      for (auto* fk : m.fks)
        if (by_table.count(fk->ref_table)) ++links[pair_of(m.t->name, fk->ref_table)];
  for (std::size_t i = 0; i < models.size(); ++i) {
    auto& m = models[i];
    if (m.association) {
      auto *a = m.fks[0], *b = m.fks[1];
      if (!by_table.count(a->ref_table) || !by_table.count(b->ref_table)) continue;
      std::size_t ia = by_table[a->ref_table], ib = by_table[b->ref_table];
      Rel ra{plural(snake(b->ref_table)), models[ib].type, true, m.type, {}, {}, "many-to-many through " + m.t->name, -1, ia};
      if (ia == ib) {  // self-referential: one side says it all (the ORM takes the first key as the owner's)
        ra.name = plural(snake(strip_id(b->columns[0]).empty() ? b->ref_table : strip_id(b->columns[0])));
        rels.push_back(std::move(ra));
        continue;
      }
      Rel rb{plural(snake(a->ref_table)), models[ia].type, true, m.type, {}, {}, "many-to-many through " + m.t->name, -1, ib};
      add_pair(std::move(ra), std::move(rb));
      continue;
    }
    for (auto* fk : m.fks) {
      if (!by_table.count(fk->ref_table)) continue;
      std::size_t ir = by_table[fk->ref_table];
      auto& r = models[ir];
      bool self = ir == i;
      bool several = links[pair_of(m.t->name, fk->ref_table)] > 1;
      if (several && fk->columns.size() > 1) continue;  // the ORM cannot be told which composite key
      bool unique = fk->columns.size() == m.t->primary_key.columns.size() &&
                    std::is_permutation(fk->columns.begin(), fk->columns.end(), m.t->primary_key.columns.begin());
      for (auto& u : m.t->uniques)
        unique = unique || (u.columns.size() == fk->columns.size() && std::is_permutation(u.columns.begin(), u.columns.end(), fk->columns.begin()));
      for (auto& ix : m.t->indexes)
        unique = unique || (ix.unique && ix.columns.size() == fk->columns.size() &&
                            std::is_permutation(ix.columns.begin(), ix.columns.end(), fk->columns.begin()));
      if (self && unique) unique = false;  // a self one-to-one's reverse One cannot be told from the forward one
      std::string cols = join(fk->columns, ", ", [](auto& s) { return s; });
      std::string stripped = fk->columns.size() == 1 ? strip_id(fk->columns[0]) : std::string();
      std::string fwd = snake(stripped.empty() ? fk->ref_table : stripped);
      if (self && stripped.empty()) fwd = "parent_" + fwd;
      Rel a{fwd, r.type, false, {}, several ? fk->columns[0] : std::string(), {},
            (unique ? "one-to-one: " : "many-to-one: ") + cols + " → " + fk->ref_table, -1, i};
      std::string rev = snake(m.t->name);
      if (self) rev = fwd + "_reverse";
      else if (several) rev = (stripped.empty() ? snake(fk->columns[0]) : snake(stripped)) + "_" + rev;
      if (!unique && !self) rev = plural(rev);
      Rel b{rev, m.type, !unique, {}, a.foreign_key, {}, (unique ? "one-to-one: " : "one-to-many: ") + m.t->name + "." + cols, -1, ir};
      add_pair(std::move(a), std::move(b));
    }
  }
  // Names: valid, and unique in their struct (after its columns and the struct names it uses).
  std::map<std::size_t, std::set<std::string>> used;
  for (std::size_t i = 0; i < models.size(); ++i) {
    used[i] = {"configure", models[i].type};
    for (auto* c : models[i].columns) used[i].insert(c->name);
  }
  std::vector<std::size_t> order(rels.size());
  for (std::size_t k = 0; k < order.size(); ++k) order[k] = k;
  // Name in a stable order: by owner, then preferred name, then target (all deterministic).
  std::stable_sort(order.begin(), order.end(), [&](auto x, auto y) {
    return std::tie(rels[x].owner, rels[x].name, rels[x].target) < std::tie(rels[y].owner, rels[y].name, rels[y].target);
  });
  for (auto k : order) {
    auto& r = rels[k];
    std::string base = valid(r.name, "r"), name = base;
    auto clash = [&](const std::string& n) { return used[r.owner].count(n) || taken.count(n); };
    if (clash(name)) name = base + "_", base = name;  // sqlacodegen's rule for a column's name
    for (int n = 2; clash(name); ++n) name = base + std::to_string(n);
    used[r.owner].insert(name), r.name = name;
  }
  for (auto& r : rels)
    if (r.mirror >= 0) r.back = rels[static_cast<std::size_t>(r.mirror)].name;
}
  return plan;
}

}  // namespace athanor::migrate::detail
