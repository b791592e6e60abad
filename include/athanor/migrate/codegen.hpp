// athanor/migrate/codegen.hpp — code generation (sqlacodegen's job): `migrate::codegen(engine)`
// reflects a live database and returns a C++ header of ORM models as a user would write them:
// structs of `Mapped<T>` members, `configure` with keys, lengths, uniques, indexes, CHECKs and
// foreign keys (actions and names kept), ATHANOR_MODEL, and `One`/`Many` relationships inferred
// from the foreign keys as sqlacodegen infers them:
//   - a foreign key → many-to-one on its table (`One<Parent>`) and one-to-many on the referred
//     one (`Many<Child>`);
//   - a foreign key whose columns are the table's primary key or a UNIQUE constraint/index →
//     one-to-one (`One<>` on both sides);
//   - a table of exactly two foreign keys whose columns are all of its columns (an association
//     table) → many-to-many between the two referred tables, `secondary<Association>()`.
// Names are made C++: a struct is the table's name in PascalCase, a relationship the foreign
// key's column without its `_id`/`Id` (else the referred table) in snake_case, collections
// plural; keywords get a trailing `_`, a leading digit a prefix, and a relationship that meets
// a column's or another relationship's name a `_` or a number. A column is mapped by a member
// of its own name (athanor has no other column naming), so a column whose name is no C++
// identifier is left out, with a comment saying so (a table that needs it in its primary key is
// left out entirely). The output is deterministic: tables sorted by name, columns in table
// order, constraints and relationships sorted.
//
// Not included by <athanor/athanor.hpp>. The `athanor codegen URL` command calls codegen(Engine&).
#pragma once

#include <cctype>  // std::isdigit
#include <cstdio>  // std::snprintf
#include <map>     // std::map
#include <set>     // std::set
#include <string>  // std::string
#include <vector>  // std::vector

#include <athanor/config.hpp>
#include <athanor/migrate/detail/cpp_string.hpp>
#include <athanor/migrate/diff.hpp>  // version_table
#include <athanor/migrate/inspect.hpp>

namespace athanor::migrate {

/// What codegen() writes.
struct CodegenOptions {
  std::string namespace_ = "models";        ///< the namespace of the models (may be nested: "app::db")
  std::vector<std::string> tables{};        ///< only these tables (empty: all but athanor_version)
  std::vector<std::string> exclude_tables{};///< never these
  bool relationships = true;                ///< infer One/Many relationships from the foreign keys
  /// What the header comment says made it (the `athanor` command passes its command line, with
  /// the URL's password hidden). Empty: "athanor codegen <URL, password hidden>" from an Engine,
  /// "athanor::migrate::codegen()" from an Inspector.
  std::string command{};
};

/// The header of models for the tables `insp` reads (see the file comment).
ATHANOR_DECL std::string codegen(Inspector& insp, const CodegenOptions& options = {});

/// The header of models for the database behind `engine`.
/// **Example**: `std::ofstream("models.hpp") << migrate::codegen(engine, {.namespace_ = "shop"});`
inline std::string codegen(Engine& engine, const CodegenOptions& options = {}) {
  Inspector insp(engine);
  if (!options.command.empty()) return codegen(insp, options);
  CodegenOptions o = options;
  o.command = "athanor codegen " + engine.url().to_string();  // URL::to_string hides the password
  return codegen(insp, o);
}

namespace detail {
/// The header for these reflected tables (codegen()'s work, without a database).
ATHANOR_DECL std::string codegen_tables(std::vector<ReflectedTable> tables, const CodegenOptions& options);
/// Whether `s` can name a member or a struct: an identifier, not a keyword, not reserved (`__`, `_X`).
ATHANOR_DECL bool cpp_identifier(std::string_view s);
}  // namespace detail

#if ATHANOR_DEFINITIONS
namespace detail {

ATHANOR_DECL bool cpp_identifier(std::string_view s) {
  static const std::set<std::string_view> keywords = {
      "alignas", "alignof", "and", "and_eq", "asm", "auto", "bitand", "bitor", "bool", "break", "case", "catch", "char",
      "char8_t", "char16_t", "char32_t", "class", "compl", "concept", "const", "consteval", "constexpr", "constinit",
      "const_cast", "continue", "co_await", "co_return", "co_yield", "decltype", "default", "delete", "do", "double",
      "dynamic_cast", "else", "enum", "explicit", "export", "extern", "false", "float", "for", "friend", "goto", "if",
      "inline", "int", "long", "mutable", "namespace", "new", "noexcept", "not", "not_eq", "nullptr", "operator", "or",
      "or_eq", "private", "protected", "public", "register", "reinterpret_cast", "requires", "return", "short", "signed",
      "sizeof", "static", "static_assert", "static_cast", "struct", "switch", "template", "this", "thread_local", "throw",
      "true", "try", "typedef", "typeid", "typename", "union", "unsigned", "using", "virtual", "void", "volatile",
      "wchar_t", "while", "xor", "xor_eq"};
  if (s.empty() || std::isdigit(static_cast<unsigned char>(s[0]))) return false;
  for (char c : s)
    if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '_') || static_cast<unsigned char>(c) >= 0x80) return false;
  if (s.find("__") != std::string_view::npos || (s[0] == '_' && s.size() > 1 && std::isupper(static_cast<unsigned char>(s[1]))))
    return false;
  return !keywords.count(s);
}

namespace codegen_names {
// Words of a name: split at '_', spaces and other non-alphanumerics, and at case changes
// ("InvoiceLineId" → Invoice Line Id, "URLPath" → URL Path).
inline std::vector<std::string> words(std::string_view s) {
  std::vector<std::string> out;
  std::string cur;
  auto flush = [&] {
    if (!cur.empty()) out.push_back(cur), cur.clear();
  };
  for (std::size_t i = 0; i < s.size(); ++i) {
    unsigned char c = static_cast<unsigned char>(s[i]);
    if (!std::isalnum(c) || c >= 0x80) {
      flush();
      continue;
    }
    if (std::isupper(c) && !cur.empty()) {
      bool prev_lower = std::islower(static_cast<unsigned char>(cur.back())) || std::isdigit(static_cast<unsigned char>(cur.back()));
      bool next_lower = i + 1 < s.size() && std::islower(static_cast<unsigned char>(s[i + 1]));
      if (prev_lower || (next_lower && std::isupper(static_cast<unsigned char>(cur.back())))) flush();
    }
    cur += static_cast<char>(c);
  }
  flush();
  return out;
}
inline std::string snake(std::string_view s) {
  std::string out;
  for (auto& w : words(s)) {
    if (!out.empty()) out += '_';
    for (char c : w) out += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  }
  return out;
}
inline std::string pascal(std::string_view s) {
  std::string out;
  for (auto w : words(s)) {
    w[0] = static_cast<char>(std::toupper(static_cast<unsigned char>(w[0])));
    out += w;
  }
  return out;
}
/// An English plural good enough for member names.
inline std::string plural(const std::string& s) {
  auto ends = [&](std::string_view e) { return s.size() >= e.size() && s.compare(s.size() - e.size(), e.size(), e) == 0; };
  if (ends("s") && !ends("ss")) return s;  // plural already ("codes")
  if (ends("s") || ends("x") || ends("z") || ends("ch") || ends("sh")) return s + "es";
  if (ends("y") && s.size() > 1 && std::string_view("aeiou").find(s[s.size() - 2]) == std::string_view::npos)
    return s.substr(0, s.size() - 1) + "ies";
  return s + "s";
}
/// The column's name without a trailing `_id` / `Id` / `ID` ("" when it has none).
inline std::string strip_id(const std::string& c) {
  if (c.size() > 3 && (c.ends_with("_id") || c.ends_with("_ID") || c.ends_with("_Id"))) return c.substr(0, c.size() - 3);
  if (c.size() > 2 && (c.ends_with("Id") || c.ends_with("ID")) && std::islower(static_cast<unsigned char>(c[c.size() - 3])))
    return c.substr(0, c.size() - 2);
  return {};
}
/// `s` made a valid name: a leading digit gets `prefix`, a keyword or reserved name a trailing `_`.
inline std::string valid(std::string s, std::string_view prefix) {
  if (s.empty()) s = "x";
  if (std::isdigit(static_cast<unsigned char>(s[0]))) s = std::string(prefix) + s;
  while (s.find("__") != std::string::npos) s.erase(s.find("__"), 1);
  if (!cpp_identifier(s)) s += '_';
  if (!cpp_identifier(s)) s = std::string(prefix) + s;
  return s;
}
}  // namespace codegen_names

ATHANOR_DECL std::string codegen_tables(std::vector<ReflectedTable> tables, const CodegenOptions& options) {
  using namespace codegen_names;
  auto has = [](const auto& v, const auto& x) { return std::find(v.begin(), v.end(), x) != v.end(); };
  auto join = [](const std::vector<std::string>& v, std::string_view sep, auto&& f) {
    std::string s;
    for (std::size_t i = 0; i < v.size(); ++i) s += (i ? std::string(sep) : std::string()) + f(v[i]);
    return s;
  };
  auto quoted_list = [&](const std::vector<std::string>& v) { return "{" + join(v, ", ", cpp_string) + "}"; };
  std::sort(tables.begin(), tables.end(), [](auto& a, auto& b) { return a.name < b.name; });

  // --- what can be mapped: columns named as C++ members; tables with a primary key of those ---
  struct Model {
    const ReflectedTable* t;
    std::string type;                       // the struct's name
    std::vector<const ReflectedColumn*> columns;
    std::vector<std::string> left_out;      // columns that cannot be members
    std::vector<std::string> key;           // the model's primary key (all columns when the table has none)
    bool association = false;
    std::vector<const ReflectedForeignKey*> fks;  // those over mapped columns, sorted
  };
  std::vector<Model> models;
  std::vector<std::string> skipped;  // "table: why"
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
  struct Rel {
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
  std::vector<Rel> rels;
  auto add_pair = [&](Rel a, Rel b) {
    int ia = static_cast<int>(rels.size());
    a.mirror = ia + 1, b.mirror = ia;
    rels.push_back(std::move(a)), rels.push_back(std::move(b));
  };
  if (options.relationships) {
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

  // --- the header ---
  std::string out;
  out += "// Generated by `" + options.command + "`.\n";
  out += "// ORM models of " + std::to_string(models.size()) + " table" + (models.size() == 1 ? "" : "s") +
         " read from the database; edit at will (it is not regenerated by the build).\n";
  for (auto& s : skipped) out += "// Not mapped: " + s + ".\n";
  out += "#pragma once\n\n#include <athanor/athanor.hpp>\n\n";
  out += "namespace " + options.namespace_ + " {\n";
  out += "namespace orm = athanor::orm;\n";
  std::set<std::string> usings;
  static const std::map<TypeKind, std::pair<const char*, const char*>> cpp_types = {
      {TypeKind::integer, {"int", nullptr}},          {TypeKind::big_integer, {"std::int64_t", nullptr}},
      {TypeKind::small_integer, {"short", nullptr}},  {TypeKind::boolean, {"bool", nullptr}},
      {TypeKind::float_, {"float", nullptr}},         {TypeKind::double_, {"double", nullptr}},
      {TypeKind::numeric, {"Decimal", "Decimal"}},    {TypeKind::string, {"std::string", nullptr}},
      {TypeKind::text, {"std::string", nullptr}},     {TypeKind::binary, {"Bytes", "Bytes"}},
      {TypeKind::date, {"Date", "Date"}},             {TypeKind::datetime, {"DateTime", "DateTime"}},
      {TypeKind::time, {"Time", "Time"}},             {TypeKind::json, {"Json", "Json"}},
      {TypeKind::uuid, {"Uuid", "Uuid"}},             {TypeKind::enum_, {"std::string", nullptr}},
      {TypeKind::null, {"std::string", nullptr}}};
  for (auto& m : models)
    for (auto* c : m.columns)
      if (auto* u = cpp_types.at(c->type.kind).second) usings.insert(u);
  for (auto& u : usings) out += "using athanor::" + u + ";\n";
  out += "using orm::Mapped;\n\n";
  for (auto& m : models) out += "struct " + m.type + ";\n";

  static constexpr const char* actions[] = {"unspecified", "no_action", "restrict", "cascade", "set_null", "set_default"};
  auto fk_options = [&](const Model& m, const ReflectedForeignKey& fk) {
    std::vector<std::string> parts;
    if (fk.on_delete != Action::unspecified && fk.on_delete != Action::no_action)
      parts.push_back(std::string(".on_delete = athanor::Action::") + actions[static_cast<int>(fk.on_delete)]);
    if (fk.on_update != Action::unspecified && fk.on_update != Action::no_action)
      parts.push_back(std::string(".on_update = athanor::Action::") + actions[static_cast<int>(fk.on_update)]);
    athanor::detail::TableData td;
    td.name = m.t->name;
    if (!fk.name.empty() && fk.name != td.foreign_key_name({fk.columns, fk.ref_table, fk.ref_columns, {}}))
      parts.push_back(".name = " + cpp_string(fk.name));
    return parts.empty() ? std::string() : ", {" + join(parts, ", ", [](auto& s) { return s; }) + "}";
  };
  auto literal = [&](const Value& v) -> std::string {
    const auto& var = v.variant();
    if (auto* b = std::get_if<bool>(&var)) return *b ? "true" : "false";
    if (auto* i = std::get_if<std::int64_t>(&var)) return "std::int64_t{" + std::to_string(*i) + "}";
    if (auto* d = std::get_if<double>(&var)) {
      char buf[40];
      std::snprintf(buf, sizeof buf, "%.17g", *d);
      std::string s = buf;
      if (s.find_first_of(".eEn") == std::string::npos) s += ".0";
      return s;
    }
    if (auto* s = std::get_if<std::string>(&var)) return "std::string(" + cpp_string(*s) + ")";
    if (auto* d = std::get_if<Decimal>(&var)) return "Decimal{" + cpp_string(d->text) + "}";
    return {};
  };

  std::vector<std::string> model_lines;
  for (std::size_t i = 0; i < models.size(); ++i) {
    auto& m = models[i];
    const auto& t = *m.t;
    athanor::detail::TableData conv;  // for the names create_all would give
    conv.name = t.name;
    std::vector<const Rel*> mine;
    for (auto& r : rels)
      if (r.owner == i) mine.push_back(&r);
    std::sort(mine.begin(), mine.end(), [](auto* a, auto* b) { return a->name < b->name; });
    // A member with the name of a struct this one uses would change that name's meaning in the
    // class: such a type is written `struct X` (an elaborated name ignores members).
    std::set<std::string> members;
    for (auto* c : m.columns) members.insert(c->name);
    for (auto* r : mine) members.insert(r->name);
    auto type_ref = [&](const std::string& s) { return members.count(s) ? "struct " + s : s; };
    // The same for the short names of the types the members use (`Mapped`, `Decimal`…): a
    // member so named makes the struct spell them out in full (`orm::`, `std::` are looked up as
    // namespaces only, so a member `orm` is harmless).
    bool qualify = members.count("Mapped") > 0;
    for (auto* c : m.columns)
      if (auto* u = cpp_types.at(c->type.kind).second) qualify = qualify || members.count(u);

    out += "\n/// Table " + t.name + (m.association ? " (the association of a many-to-many relationship)" : "") + ".";
    if (!t.comment.empty()) out += " " + t.comment;
    if (t.primary_key.columns.empty()) out += " No primary key in the database: the model keys on all its columns.";
    out += "\nstruct " + m.type + " {\n";
    std::vector<std::string> config, member_names;
    for (auto* c : m.columns) {
      auto [cpp, using_name] = cpp_types.at(c->type.kind);
      std::string ty = (qualify && using_name ? "athanor::" : "") + std::string(cpp);
      if (c->nullable && !has(m.key, c->name)) ty = "std::optional<" + ty + ">";
      std::string line = "  " + std::string(qualify ? "athanor::orm::Mapped<" : "Mapped<") + ty + "> " + c->name + ";";
      std::vector<std::string> notes;
      if (c->type.kind == TypeKind::null) notes.push_back(c->type_text + ": no athanor type; read as text");
      if (!c->generated.empty()) notes.push_back("generated: " + c->generated);
      if (!c->comment.empty()) notes.push_back(c->comment);
      if (!notes.empty()) line += "  // " + join(notes, "; ", [](auto& s) { return s; });
      out += line + "\n";
      member_names.push_back(c->name);

      // configure(): the column's options
      std::string opts;
      bool lone_int_key = m.key.size() == 1 && m.key[0] == c->name && c->type.is_integer();
      if (has(m.key, c->name)) opts += ".primary_key()";
      if (lone_int_key && !c->autoincrement) opts += ".autoincrement(false)";
      else if (!lone_int_key && c->autoincrement) opts += ".autoincrement()";
      switch (c->type.kind) {
        case TypeKind::string:
          if (c->type.length) opts += ".length(" + std::to_string(c->type.length) + ")";
          break;
        case TypeKind::text: opts += ".type(athanor::Text{})"; break;
        case TypeKind::numeric:
          opts += ".type(athanor::Numeric{" + std::to_string(c->type.precision) + ", " + std::to_string(c->type.scale) + "})";
          break;
        case TypeKind::datetime:
          if (c->type.timezone) opts += ".type(athanor::DateTimeType{true})";
          break;
        case TypeKind::enum_:
          if (c->type.enum_values) opts += ".type(athanor::Enum" + quoted_list(*c->type.enum_values) + ")";
          break;
        default: break;
      }
      if (!c->autoincrement) {
        std::string lit = c->default_value ? literal(*c->default_value) : std::string();
        if (!lit.empty()) opts += ".server_default(" + lit + ")";
        else if (c->default_sql) opts += ".server_default(athanor::sql_fragment(" + cpp_string(*c->default_sql) + "))";
      }
      // A one-column UNIQUE under the conventional name is the column's unique().
      for (auto& u : t.uniques)
        if (u.columns == std::vector<std::string>{c->name} && (u.name.empty() || u.name == conv.unique_name({u.columns, ""})) &&
            !has(m.key, c->name) )
          opts += ".unique()";
      // A one-column foreign key is the column's; the ORM indexes such a column unless told
      // index(false), under the conventional name.
      for (auto* fk : m.fks) {
        if (fk->columns != std::vector<std::string>{c->name}) continue;
        bool conventional_index = false;
        for (auto& ix : t.indexes)
          conventional_index = conventional_index || (!ix.unique && ix.columns == fk->columns && ix.name == conv.index_name({"", ix.columns, false}));
        if (!conventional_index) opts += ".index(false)";
        opts += ".foreign_key(" + cpp_string(fk->ref_table + "." + fk->ref_columns[0]) + fk_options(m, *fk) + ")";
      }
      if (!opts.empty()) config.push_back("m.column<&" + m.type + "::" + c->name + ">()" + opts + ";");
    }
    for (auto& l : m.left_out) out += "  // column " + l + " left out: its name is not a C++ identifier\n";
    if (!mine.empty()) out += "\n";
    for (auto* r : mine) {
      std::string tmpl = r->many ? "Many" : "One";
      out += "  orm::" + tmpl + "<" + type_ref(r->target) + "> " + r->name + ";  // " + r->comment + "\n";
      member_names.push_back(r->name);
    }

    // Table-level: composite keys, constraints and indexes, each sorted.
    std::vector<std::string> table_config;
    for (auto* fk : m.fks)
      if (fk->columns.size() > 1) {
        std::vector<std::string> targets;
        for (auto& rc : fk->ref_columns) targets.push_back(fk->ref_table + "." + rc);
        table_config.push_back("m.foreign_key(" + quoted_list(fk->columns) + ", " + quoted_list(targets) + fk_options(m, *fk) + ");");
      }
    for (auto& u : t.uniques) {
      bool on_column = u.columns.size() == 1 && (u.name.empty() || u.name == conv.unique_name({u.columns, ""})) && !has(m.key, u.columns[0]);
      if (on_column || !std::all_of(u.columns.begin(), u.columns.end(), [&](auto& c) { return members.count(c); })) continue;
      table_config.push_back("m.unique(" + quoted_list(u.columns) + (u.name.empty() ? "" : ", " + cpp_string(u.name)) + ");");
    }
    for (auto& ix : t.indexes) {
      if (!std::all_of(ix.columns.begin(), ix.columns.end(), [&](auto& c) { return members.count(c); })) continue;
      bool fk_column = false;
      for (auto* fk : m.fks) fk_column = fk_column || (fk->columns.size() == 1 && fk->columns == ix.columns);
      if (fk_column && !ix.unique && ix.name == conv.index_name({"", ix.columns, false})) continue;  // the ORM's own
      table_config.push_back("m.index(" + cpp_string(ix.name) + ", " + quoted_list(ix.columns) + (ix.unique ? ", true" : "") + ");");
    }
    for (auto& ck : t.checks)
      table_config.push_back("m.check(" + cpp_string(ck.sqltext) + (ck.name.empty() ? "" : ", " + cpp_string(ck.name)) + ");");
    std::sort(table_config.begin(), table_config.end());
    config.insert(config.end(), table_config.begin(), table_config.end());
    for (auto* r : mine) {
      std::string opts;
      if (!r->secondary.empty()) opts += ".secondary<" + type_ref(r->secondary) + ">()";
      if (!r->foreign_key.empty()) opts += ".foreign_key(" + cpp_string(r->foreign_key) + ")";
      if (!r->back.empty()) opts += ".back_populates(" + cpp_string(r->back) + ")";
      if (!opts.empty()) config.push_back("m.relationship<&" + m.type + "::" + r->name + ">()" + opts + ";");
    }
    out += "  static void configure(orm::Mapper<" + m.type + ">& m) {\n";
    for (auto& l : config) out += "    " + l + "\n";
    out += "  }\n};\n";
    model_lines.push_back("ATHANOR_MODEL(" + m.type + ", " + cpp_string(t.name) + ", " + join(member_names, ", ", [](auto& s) { return s; }) + ")");
  }
  out += "\n";
  for (auto& l : model_lines) out += l + "\n";
  std::vector<std::string> types;
  for (auto& m : models) types.push_back(m.type);
  std::string list = join(types, ", ", [](auto& s) { return s; });
  out += "\n/// Every model above, for `std::apply` and the like.\nusing all_models = std::tuple<" + list + ">;\n";
  out += "\n/// Maps every model above on a registry.\ninline void map_all(orm::Registry& r) { r.map<" + list + ">(); }\n";
  out += "\n}  // namespace " + options.namespace_ + "\n";
  return out;
}

}  // namespace detail

ATHANOR_DECL std::string codegen(Inspector& insp, const CodegenOptions& options) {
  std::vector<ReflectedTable> tables;
  for (auto& name : options.tables.empty() ? insp.table_names() : options.tables) {
    if (name == version_table && options.tables.empty()) continue;
    if (std::find(options.exclude_tables.begin(), options.exclude_tables.end(), name) != options.exclude_tables.end()) continue;
    tables.push_back(insp.table(name));
    // An action the backend reports for "none given" is left out (MariaDB: RESTRICT, which is
    // what it does without one), so every backend writes the same header for the same schema.
    for (auto& fk : tables.back().foreign_keys)
      fk.on_delete = insp.reflector().normal_action(fk.on_delete), fk.on_update = insp.reflector().normal_action(fk.on_update);
  }
  CodegenOptions o = options;
  if (o.command.empty()) o.command = "athanor::migrate::codegen()";
  return detail::codegen_tables(std::move(tables), o);
}
#endif  // ATHANOR_DEFINITIONS

}  // namespace athanor::migrate
