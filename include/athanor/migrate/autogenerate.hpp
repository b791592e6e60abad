// athanor/migrate/autogenerate.hpp — `migrate::autogenerate(models, engine, revisions,
// message)`: the C++ source of a new revision whose `up` makes the database's schema into the
// models' (a migrate::diff written as Ops calls) and whose `down` undoes it, its parent the
// current head. The user saves it, reviews it (data steps are theirs to add), registers it.
// Alembic's `revision --autogenerate`.
#pragma once

#include <chrono>  // std::chrono::system_clock
#include <random>  // std::random_device
#include <string>  // std::string

#include <athanor/dialect/compiler.hpp>
#include <athanor/migrate/detail/cpp_string.hpp>
#include <athanor/migrate/diff.hpp>
#include <athanor/migrate/revision.hpp>

namespace athanor::migrate {

/// A generated revision: its id and the C++ source text of a header defining it.
struct GeneratedRevision {
  std::string id;
  std::string source;
};

namespace detail {

inline std::string cpp_list(const std::vector<std::string>& v) {
  std::string s = "{";
  for (std::size_t i = 0; i < v.size(); ++i) s += (i ? ", " : "") + cpp_string(v[i]);
  return s + "}";
}
inline std::string cpp_type(const SqlType& t) {
  using K = TypeKind;
  switch (t.kind) {
    case K::integer: return "Integer{}";
    case K::big_integer: return "BigInteger{}";
    case K::small_integer: return "SmallInteger{}";
    case K::boolean: return "Boolean{}";
    case K::float_: return "Float{}";
    case K::double_: return "Double{}";
    case K::numeric: return "Numeric{" + std::to_string(t.precision) + ", " + std::to_string(t.scale) + "}";
    case K::string: return "String{" + std::to_string(t.length) + "}";
    case K::text: return "Text{}";
    case K::binary: return "LargeBinary{}";
    case K::date: return "DateType{}";
    case K::datetime: return t.timezone ? "DateTimeType{true}" : "DateTimeType{}";
    case K::time: return "TimeType{}";
    case K::json: return "JsonType{}";
    case K::uuid: return "UuidType{}";
    case K::enum_: return "Enum" + (t.enum_values ? cpp_list(*t.enum_values) : std::string("{}"));
    case K::null: break;
  }
  return "SqlType{}";
}
inline std::string cpp_column(const ColumnDef& c, const Dialect& d) {
  std::string s = "Column{" + cpp_string(c.name) + ", " + cpp_type(c.type);
  if (c.primary_key) s += ", primary_key";
  else if (!c.nullable) s += ", nullable(false)";
  if (c.unique) s += ", unique";
  if (c.index) s += ", athanor::index";  // qualified: POSIX <strings.h> has an index()
  if (c.server_default) {
    const Expr& e = *c.server_default;
    if (e.node().kind == athanor::detail::ExprKind::bind) {
      const Value& v = e.node().value;
      std::string lit;
      d.literal(lit, v);
      if (auto* b = std::get_if<bool>(&v.variant())) s += std::string(", server_default(") + (*b ? "true" : "false") + ")";
      else if (auto* i = std::get_if<std::int64_t>(&v.variant())) s += ", server_default(std::int64_t{" + std::to_string(*i) + "})";
      else if (auto* str = std::get_if<std::string>(&v.variant())) s += ", server_default(std::string(" + cpp_string(*str) + "))";
      else s += ", server_default(text(" + cpp_string(lit) + "))";
    } else {
      athanor::Compiler comp(d);
      comp.expr(e);
      s += ", server_default(text(" + cpp_string(comp.out()) + "))";
    }
  }
  return s + "}";
}
inline std::string cpp_fk(const athanor::detail::ResolvedForeignKey& fk, const std::string& name) {
  static constexpr const char* actions[] = {"unspecified", "no_action", "restrict", "cascade", "set_null", "set_default"};
  std::vector<std::string> targets;
  for (auto& c : fk.ref_columns) targets.push_back(fk.ref_table + "." + c);
  std::string s = "ForeignKeyConstraint{" + cpp_list(fk.columns) + ", " + cpp_list(targets) + ", {";
  if (fk.options.on_delete != Action::unspecified) s += std::string(".on_delete = Action::") + actions[static_cast<int>(fk.options.on_delete)] + ", ";
  if (fk.options.on_update != Action::unspecified) s += std::string(".on_update = Action::") + actions[static_cast<int>(fk.options.on_update)] + ", ";
  return s + ".name = " + cpp_string(name) + "}}";
}
inline std::string cpp_create_table(const athanor::detail::TableData& t, const Dialect& d) {
  std::string s = "op.create_table(" + cpp_string(t.name);
  for (auto& c : t.columns) s += ",\n        " + cpp_column(c, d);
  if (t.primary_key.size() > 1) s += ",\n        PrimaryKeyConstraint{" + cpp_list(t.primary_key) + "}";
  for (auto& u : t.uniques) s += ",\n        UniqueConstraint{" + cpp_list(u.columns) + ", " + cpp_string(t.unique_name(u)) + "}";
  int n = 0;
  for (auto& ck : t.checks) s += ",\n        CheckConstraint{" + cpp_string(ck.sqltext) + ", " + cpp_string(t.check_name(ck, ck.name.empty() ? ++n : 0)) + "}";
  for (auto& ix : t.indexes)
    s += ",\n        Index{" + cpp_string(t.index_name(ix)) + ", " + cpp_list(ix.columns) + (ix.unique ? ", true}" : "}");
  for (auto& fk : t.foreign_keys) s += ",\n        " + cpp_fk(fk, t.foreign_key_name(fk));
  return s + ");";
}

/// The Ops call of `op`, forwards (`up`) or undoing it.
inline std::string cpp_call(const Operation& op, bool up, const Dialect& d) {
  using K = Operation::Kind;
  std::string t = cpp_string(op.table);
  // A column's own index/unique flags are not written here: the diff has its own
  // create_index / add_unique operation for them (written next), and Ops would make it twice.
  auto col = [&](const athanor::detail::TableData& td, const std::string& name, const std::string& as) {
    ColumnDef c = *td.find(name);
    c.name = as;
    c.index = c.unique = false;
    return cpp_column(c, d);
  };
  switch (op.kind) {
    case K::create_table: return up ? cpp_create_table(*op.target, d) : "op.drop_table(" + t + ");";
    case K::drop_table: return up ? "op.drop_table(" + t + ");" : cpp_create_table(*op.current, d);
    case K::add_column:
      return up ? "op.add_column(" + t + ", " + col(*op.target, op.column, op.column) + ");"
                : "op.drop_column(" + t + ", " + cpp_string(op.column) + ");";
    case K::drop_column:
      return up ? "op.drop_column(" + t + ", " + cpp_string(op.column) + ");"
                : "op.add_column(" + t + ", " + col(*op.current, op.column, op.column) + ");";
    case K::rename_table:
      return "op.rename_table(" + cpp_string(up ? op.old_table : op.table) + ", " + cpp_string(up ? op.table : op.old_table) + ");";
    case K::rename_constraint: return {};  // op.rename_table renames the convention's names itself
    case K::rename_column:
      return "op.rename_column(" + t + ", " + cpp_string(up ? op.old_column : op.column) + ", " + cpp_string(up ? op.column : op.old_column) + ");";
    case K::alter_column:
      return "op.alter_column(" + t + ", " +
             (up ? col(*op.target, op.column, op.column) : col(*op.current, op.old_column.empty() ? op.column : op.old_column, op.column)) + ");";
    case K::create_index: case K::drop_index: {
      bool create = (op.kind == K::create_index) == up;
      return create ? "op.create_index(" + t + ", Index{" + cpp_string(op.name) + ", " + cpp_list(op.index.columns) + (op.index.unique ? ", true});" : "});")
                    : "op.drop_index(" + t + ", " + cpp_string(op.name) + ");";
    }
    case K::add_unique: case K::drop_unique: {
      bool add = (op.kind == K::add_unique) == up;
      return add ? "op.add_unique(" + t + ", UniqueConstraint{" + cpp_list(op.unique.columns) + ", " + cpp_string(op.name) + "});"
                 : "op.drop_unique(" + t + ", " + cpp_string(op.name) + ");";
    }
    case K::add_foreign_key: case K::drop_foreign_key: {
      bool add = (op.kind == K::add_foreign_key) == up;
      return add ? "op.add_foreign_key(" + t + ", " + cpp_fk(op.foreign_key, op.name) + ");"
                 : "op.drop_foreign_key(" + t + ", " + cpp_string(op.name) + ");";
    }
    case K::add_check: case K::drop_check: {
      bool add = (op.kind == K::add_check) == up;
      return add ? "op.add_check(" + t + ", CheckConstraint{" + cpp_string(op.check.sqltext) + ", " + cpp_string(op.name) + "});"
                 : "op.drop_check(" + t + ", " + cpp_string(op.name) + ");";
    }
  }
  return {};
}

/// The source of a revision doing `diff` with `parents` (a merge revision: several, and an empty diff).
inline GeneratedRevision write_revision(const Diff& diff, const std::vector<std::string>& parents, const std::string& message,
                                        const Dialect& d, std::string id) {
  if (id.empty()) {
    std::random_device rd;
    std::mt19937_64 gen(rd() ^ static_cast<std::uint64_t>(std::chrono::system_clock::now().time_since_epoch().count()));
    static constexpr char hex[] = "0123456789abcdef";
    for (int i = 0; i < 12; ++i) id += hex[gen() % 16];
  }
  std::string s = "// Revision " + id + ": " + message + "\n// Written by athanor::migrate::autogenerate: review it (add data steps where rows need them),\n"
                  "// then register it: revisions.add(revision_" + id + "());\n#pragma once\n\n#include <athanor/migrate/revision.hpp>\n\n"
                  "inline athanor::migrate::Revision revision_" + id + "() {\n  using namespace athanor;\n  return {\n"
                  "    .id = " + cpp_string(id) + ",\n    .parents = " + cpp_list(parents) + ",\n    .message = " + cpp_string(message) +
                  ",\n    .up = [](migrate::Ops& op) {\n";
  for (auto& op : diff.operations)
    if (auto call = cpp_call(op, true, d); !call.empty()) s += "      " + call + "\n";
  for (auto& op : diff.refused) s += "      // refused (pass allow_drop to write it): " + op.describe() + "\n";
  for (auto& r : diff.proposed_renames)
    s += "      // proposed: " + r.describe() + " (pass it in DiffOptions::renames" + (r.whole_table ? ", or declare m.renamed_from(\"" + r.from + "\") on the model)\n" : ")\n");
  s += "    },\n    .down = [](migrate::Ops& op) {\n";
  for (auto it = diff.operations.rbegin(); it != diff.operations.rend(); ++it)
    if (auto call = cpp_call(*it, false, d); !call.empty()) s += "      " + call + "\n";
  s += "    },\n  };\n}\n";
  return {id, s};
}

/// The same, its parent the current head of `revs` (none for a first revision).
inline GeneratedRevision write_revision(const Diff& diff, const Revisions& revs, const std::string& message, const Dialect& d,
                                        std::string id) {
  std::vector<std::string> parents;
  if (!revs.all().empty()) parents.push_back(revs.head());  // several heads: RevisionError, merge first
  return write_revision(diff, parents, message, d, std::move(id));
}

}  // namespace detail

/// A new revision (C++ source) bringing the database behind `bind` to `models`: the diff
/// (drops refused unless `options.allow_drop`) written as Ops calls; parent: the current head
/// of `revisions`. `id` empty: 12 random hex digits. Call it on a database at head.
/// **Example**:
/// ```
/// auto rev = migrate::autogenerate(registry.metadata(), engine, revisions, "add users.email");
/// std::ofstream("migrations/" + rev.id + ".hpp") << rev.source;
/// ```
template <class Bind>
GeneratedRevision autogenerate(const MetaData& models, Bind& bind, const Revisions& revisions, const std::string& message,
                               const DiffOptions& options = {}, std::string id = {}) {
  return detail::write_revision(diff(models, bind, options), revisions, message, bind.dialect(), std::move(id));
}

/// The same against the schema `revisions` make (at `from`, default the head), without a
/// database: deterministic, for review or a CI check.
inline GeneratedRevision autogenerate(const MetaData& models, const Revisions& revisions, const Dialect& d, const std::string& message,
                                      const DiffOptions& options = {}, std::string id = {}, std::string from = {});

/// The diff from the schema `revisions` make at `from` (default: the head; none registered:
/// an empty schema) to `models`, for dialect `d`, without a database. Empty: the revisions
/// are up to date with the models (the CI check, `athanor check`).
inline Diff compare_revisions(const MetaData& models, const Revisions& revisions, const Dialect& d, const DiffOptions& options = {},
                              const std::string& from = {}) {
  MetaData current;
  current.naming_convention(models.naming_convention());
  if (!revisions.all().empty())
    for (auto& t : revisions.state_after(from.empty() ? revisions.head() : from, d)) {
      auto copy = std::make_shared<athanor::detail::TableData>(*t);
      Table::from_data(copy);
      current.add(copy);
    }
  return compare(models, current, d, options);
}

inline GeneratedRevision autogenerate(const MetaData& models, const Revisions& revisions, const Dialect& d, const std::string& message,
                                      const DiffOptions& options, std::string id, std::string from) {
  return detail::write_revision(compare_revisions(models, revisions, d, options, from), revisions, message, d, std::move(id));
}

}  // namespace athanor::migrate
