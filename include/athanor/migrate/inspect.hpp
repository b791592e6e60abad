// athanor/migrate/inspect.hpp — reflection: `inspect(engine)` reads the schema of a live
// database (SQLAlchemy's Inspector), `reflect(metadata, engine)` builds Tables from it, and
// `canonical(table, dialect)` prints a table the same way whether it was declared or reflected,
// after the backend's normalisation, so that "create_all then reflect gives back the schema" is
// a comparison of two texts.
//
// Not included by <athanor/athanor.hpp>: reflection runs catalog queries through an Engine or a
// Connection and picks each backend's reader, so it sits above both, beside the ORM (it needs
// no models). Include it where you reflect.
#pragma once

#include <algorithm>  // std::sort
#include <map>        // std::map
#include <memory>     // std::unique_ptr
#include <string>     // std::string
#include <vector>     // std::vector

#include <athanor/config.hpp>
#include <athanor/core/table.hpp>
#include <athanor/core/text.hpp>
#include <athanor/dialect/compiler.hpp>
#include <athanor/dialect/reflectors.hpp>
#include <athanor/engine/engine.hpp>

namespace athanor {

/// Reads the schema of the database behind a Connection; each table is read once and kept
/// (clear() forgets them, after DDL).
/// **Example**: `auto insp = inspect(engine); for (auto& name : insp.table_names()) insp.columns(name);`
class Inspector {
 public:
  /// Reads through `conn`, which must outlive the Inspector (inside its transaction, if one is open).
  explicit Inspector(Connection& conn) : conn_(&conn), reflector_(&detail::reflector_for(conn.dialect())) {}
  /// Reads through a connection of its own from `engine`'s pool.
  explicit Inspector(const Engine& engine)
      : owned_(std::make_unique<Connection>(engine.connect())), conn_(owned_.get()), reflector_(&detail::reflector_for(conn_->dialect())) {}

  /// The base tables of the connection's schema (PostgreSQL: current_schema(); MariaDB: DATABASE()), sorted.
  std::vector<std::string> table_names() const { return reflector_->table_names(query()); }
  /// The views of the connection's schema, sorted (their columns are not read yet).
  std::vector<std::string> view_names() const { return reflector_->view_names(query()); }
  /// Whether the schema has table `name`.
  bool has_table(const std::string& name) {
    return tables_.count(name) || find(name) != nullptr;
  }
  /// All of table `name` (NoSuchTableError when there is none).
  const ReflectedTable& table(const std::string& name) {
    if (auto* t = find(name)) return *t;
    throw NoSuchTableError("[athanor.argument.no_such_table] no table '" + name + "' in the " +
                           std::string(conn_->dialect().display_name()) + " database");
  }
  /// Its columns, in order.
  const std::vector<ReflectedColumn>& columns(const std::string& name) { return table(name).columns; }
  /// Its primary key (columns empty: none).
  const ReflectedPrimaryKey& primary_key(const std::string& name) { return table(name).primary_key; }
  /// Its foreign keys, with ON DELETE / ON UPDATE.
  const std::vector<ReflectedForeignKey>& foreign_keys(const std::string& name) { return table(name).foreign_keys; }
  /// Its indexes (not those backing a key or UNIQUE constraint).
  const std::vector<Index>& indexes(const std::string& name) { return table(name).indexes; }
  /// Its UNIQUE constraints.
  const std::vector<UniqueConstraint>& unique_constraints(const std::string& name) { return table(name).uniques; }
  /// Its CHECK constraints (an Enum's and MariaDB's JSON check are folded into the column's type).
  const std::vector<CheckConstraint>& check_constraints(const std::string& name) { return table(name).checks; }
  /// Forgets what was read (the schema changed).
  void clear() { tables_.clear(); }
  /// The backend's reader, for its normalisation rules.
  const detail::Reflector& reflector() const { return *reflector_; }
  /// The connection's dialect.
  const Dialect& dialect() const { return conn_->dialect(); }

 private:
  detail::CatalogQuery query() const {
    return [c = conn_](const std::string& sql, const Params& params) {
      std::vector<std::vector<Value>> rows;
      for (auto& r : c->execute(text(sql), params)) rows.push_back(r.values());
      return rows;
    };
  }
  const ReflectedTable* find(const std::string& name) {
    if (auto it = tables_.find(name); it != tables_.end()) return &it->second;
    auto t = reflector_->table(query(), name);
    if (!t) return nullptr;
    return &tables_.emplace(name, std::move(*t)).first->second;
  }
  std::unique_ptr<Connection> owned_;
  Connection* conn_;
  const detail::Reflector* reflector_;
  std::map<std::string, ReflectedTable> tables_;
};

/// An Inspector of `bind`, an Engine or a Connection.
inline Inspector inspect(const Engine& engine) { return Inspector(engine); }
inline Inspector inspect(Connection& conn) { return Inspector(conn); }  ///< As inspect(engine), through `conn`.

/// The table data of a reflected table, as a Table would hold it: a literal default becomes a
/// value (`server_default("x")`), another one SQL text (`server_default(sql_fragment("now()"))`).
ATHANOR_DECL std::shared_ptr<detail::TableData> table_data(const ReflectedTable& r);


/// Adds the tables of the database behind `bind` (an Engine or a Connection) to `md`: all of
/// them, or those named in `only` (NoSuchTableError for a missing one). Tables `md` has already
/// are left as they are. Returns the tables added.
template <class Bind>
std::vector<Table> reflect(MetaData& md, Bind& bind, const std::vector<std::string>& only = {}) {
  Inspector insp(bind);
  std::vector<Table> out;
  for (auto& name : only.empty() ? insp.table_names() : only) {
    if (md.find(name)) continue;
    auto data = table_data(insp.table(name));
    md.add(data);
    out.push_back(Table::from_data(std::move(data)));
  }
  return out;
}

/// What canonical() leaves out.
struct CanonicalOptions {
  bool names = true;          ///< constraint and index names (false: compare the shapes only)
  bool autoincrement = true;  ///< which key the database generates
};

/// A table as text, one line per column, key, constraint and index, each section sorted, after
/// the normalisation of `dialect`'s backend: the same text for a declared table (what
/// create_all writes, implicit names and all) and for that table reflected back.
/// **Example**: `CHECK(canonical(users.data(), engine.dialect()) == canonical(*reflected, engine.dialect()))`
ATHANOR_DECL std::string canonical(const detail::TableData& t, const Dialect& dialect, CanonicalOptions options = {});

namespace detail {
/// One column as canonical() prints it, in parts (the schema diff compares them one by one).
struct CanonicalColumn {
  std::string type;      ///< normalised type: `string(20)`, `datetime with time zone`…
  bool not_null = false;
  std::string default_;  ///< normalised server default ("" for none, or for a generated key)
  bool autoincrement = false;
};
/// One constraint or index as canonical() prints it: `kind` ("foreign key", "unique",
/// "index", "unique index", "check"), its name (the convention's, cut to the backend's limit),
/// and the rest of its line (columns, target, actions, condition), which says what it is.
struct CanonicalConstraint {
  std::string kind;
  std::string name;
  std::string shape;
  // What it is made of, for the schema diff's ALTERs.
  std::vector<std::string> columns{};
  ResolvedForeignKey fk{};
  std::string sqltext{};
  std::string line(bool with_name) const { return "  " + kind + " " + (with_name ? name + " " : std::string()) + shape; }
};
ATHANOR_DECL CanonicalColumn canonical_column(const TableData& t, const ColumnDef& c, const Dialect& dialect);
/// Foreign keys, UNIQUE constraints, indexes and CHECKs of `t` (the implicit ones of column
/// `unique`/`index` included), MariaDB's unique indexes as UNIQUE constraints; unsorted.
ATHANOR_DECL std::vector<CanonicalConstraint> canonical_constraints(const TableData& t, const Dialect& dialect);
/// SQL text (a default, a CHECK condition) lower case, without spaces, identifier quotes,
/// PostgreSQL casts, and (when `drop_parens`) parentheses; literals kept as written.
ATHANOR_DECL std::string canonical_sql(std::string_view s, bool drop_parens);
}  // namespace detail

/// Every table of `md`, canonical(), sorted by name.
inline std::string canonical(const MetaData& md, const Dialect& dialect, CanonicalOptions options = {}) {
  auto tables = md.sorted_tables();
  std::sort(tables.begin(), tables.end(), [](auto* a, auto* b) { return a->name < b->name; });
  std::string out;
  for (auto* t : tables) out += canonical(*t, dialect, options);
  return out;
}


#if ATHANOR_DEFINITIONS
ATHANOR_DECL std::shared_ptr<detail::TableData> table_data(const ReflectedTable& r) {
  auto t = std::make_shared<detail::TableData>();
  t->name = r.name;
  for (auto& rc : r.columns) {
    ColumnDef c;
    c.name = rc.name, c.type = rc.type, c.nullable = rc.nullable;
    c.primary_key = std::find(r.primary_key.columns.begin(), r.primary_key.columns.end(), rc.name) != r.primary_key.columns.end();
    c.autoincrement = rc.autoincrement;
    if (rc.default_value) c.server_default = Expr(*rc.default_value);
    else if (rc.default_sql) c.server_default = sql_fragment(*rc.default_sql, rc.type);
    t->columns.push_back(std::move(c));
  }
  t->primary_key = r.primary_key.columns;
  for (auto& fk : r.foreign_keys) t->foreign_keys.push_back({fk.columns, fk.ref_table, fk.ref_columns, {fk.on_delete, fk.on_update, fk.name}});
  t->uniques = r.uniques, t->checks = r.checks, t->indexes = r.indexes;
  Table::finish(*t);
  return t;
}

namespace detail {
ATHANOR_DECL std::string canonical_sql(std::string_view s, bool drop_parens) {
  // Lower case outside quotes, without the parentheses around the whole, PostgreSQL's casts
  // (`::integer`), spaces, quotes of identifiers and parentheses: the databases re-render
  // defaults and CHECK conditions each in their own way.
  s = detail::strip_parens(s);
  std::string out;
  for (std::size_t i = 0; i < s.size(); ++i) {
    char c = s[i];
    if (c == '\'') {  // a literal: kept as is
      std::size_t j = i + 1;
      for (; j < s.size(); ++j) {
        if (s[j] == '\'' && j + 1 < s.size() && s[j + 1] == '\'') ++j;
        else if (s[j] == '\'') break;
      }
      out.append(s.substr(i, j + 1 - i)), i = j;
    } else if (c == ':' && i + 1 < s.size() && s[i + 1] == ':') {
      i += 2;
      while (i < s.size() && (std::isalnum(static_cast<unsigned char>(s[i])) || s[i] == '_' || s[i] == ' ' || s[i] == '[' || s[i] == ']')) {
        // "character varying" has a space; stop before an operator's word (" and ", " or ")
        if (s[i] == ' ' && (s.substr(i, 5) == " AND " || s.substr(i, 4) == " OR " || s.substr(i, 5) == " and " || s.substr(i, 4) == " or ")) break;
        ++i;
      }
      --i;
    } else if (std::isspace(static_cast<unsigned char>(c)) || c == '"' || c == '`' || ((c == '(' || c == ')') && drop_parens)) {
      continue;
    } else {
      out += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    }
  }
  return out;
}

ATHANOR_DECL CanonicalColumn canonical_column(const TableData& t, const ColumnDef& c, const Dialect& dialect) {
  const Reflector& norm = reflector_for(dialect);
  static constexpr const char* kinds[] = {"null",    "integer", "big_integer", "small_integer", "boolean", "float",
                                          "double",  "numeric", "string",      "text",          "binary",  "date",
                                          "datetime", "time",   "json",        "uuid",          "enum"};
  CanonicalColumn out;
  out.autoincrement = Compiler::is_autoincrement(t, c) ||
                      (norm.integer_key_autoincrements() && t.primary_key.size() == 1 && t.primary_key[0] == c.name &&
                       (c.type.kind == TypeKind::integer || (c.autoincrement && *c.autoincrement && c.type.is_integer())));
  SqlType ty = norm.normal_type(c.type, out.autoincrement);
  if (ty.kind == TypeKind::enum_ && !dialect.capabilities().check_constraints) ty.kind = TypeKind::string;
  out.type = kinds[static_cast<int>(ty.kind)];
  if (ty.kind == TypeKind::numeric) out.type += "(" + std::to_string(ty.precision) + "," + std::to_string(ty.scale) + ")";
  if (ty.kind == TypeKind::string || ty.kind == TypeKind::enum_) out.type += "(" + std::to_string(ty.length) + ")";
  if (ty.kind == TypeKind::enum_ && ty.enum_values) {
    out.type += "[";
    for (std::size_t i = 0; i < ty.enum_values->size(); ++i) out.type += i ? "," : "", out.type += (*ty.enum_values)[i];
    out.type += "]";
  }
  if (ty.timezone) out.type += " with time zone";
  out.not_null = !c.nullable;
  if (c.server_default && !out.autoincrement) {
    const Expr& e = *c.server_default;
    std::string sql;
    if (e.node().kind == ExprKind::bind) {
      dialect.literal(sql, e.node().value);
    } else {
      Compiler comp(dialect);
      comp.expr(e);
      sql = comp.out();
    }
    out.default_ = canonical_sql(sql, false);
  }
  return out;
}

ATHANOR_DECL std::vector<CanonicalConstraint> canonical_constraints(const TableData& t, const Dialect& dialect) {
  const Reflector& norm = reflector_for(dialect);
  const std::size_t max = dialect.capabilities().max_identifier_length;
  auto join = [](const std::vector<std::string>& v) {
    std::string s;
    for (std::size_t i = 0; i < v.size(); ++i) s += (i ? ", " : ""), s += v[i];
    return s;
  };
  std::vector<CanonicalConstraint> out;
  static constexpr const char* actions[] = {"no action", "no action", "restrict", "cascade", "set null", "set default"};
  for (auto& fk : t.foreign_keys) {
    out.push_back({"foreign key", fit_identifier(t.foreign_key_name(fk), max),
                   "(" + join(fk.columns) + ") references " + fk.ref_table + " (" + join(fk.ref_columns) + ") on delete " +
                       actions[static_cast<int>(norm.normal_action(fk.options.on_delete))] + " on update " +
                       actions[static_cast<int>(norm.normal_action(fk.options.on_update))],
                   fk.columns, fk});
  }
  // create_all's implicit constraints and indexes, named as it names them.
  std::vector<UniqueConstraint> uniques = t.uniques;
  std::vector<Index> indexes = t.indexes;
  for (auto& c : t.columns) {
    bool lone_key = t.primary_key.size() == 1 && t.primary_key[0] == c.name;
    if (c.unique && !c.index && !lone_key) uniques.push_back({{c.name}, t.unique_name({{c.name}, ""})});
    if (c.index) indexes.push_back({t.index_name({"", {c.name}, c.unique}), {c.name}, c.unique});
  }
  for (auto& ix : indexes) {
    if (ix.unique && norm.unique_index_is_constraint()) uniques.push_back({ix.columns, t.index_name(ix)});
    else out.push_back({ix.unique ? "unique index" : "index", fit_identifier(t.index_name(ix), max), "(" + join(ix.columns) + ")", ix.columns});
  }
  for (auto& u : uniques) out.push_back({"unique", fit_identifier(t.unique_name(u), max), "(" + join(u.columns) + ")", u.columns});
  if (dialect.capabilities().check_constraints) {
    int k = 0;
    for (auto& ck : t.checks)
      out.push_back({"check", fit_identifier(t.check_name(ck, ck.name.empty() ? ++k : 0), max), canonical_sql(ck.sqltext, true), {}, {}, ck.sqltext});
  }
  return out;
}
}  // namespace detail

ATHANOR_DECL std::string canonical(const detail::TableData& t, const Dialect& dialect, CanonicalOptions options) {
  std::string out = "table " + t.name + "\n";
  for (auto& c : t.columns) {
    auto cc = detail::canonical_column(t, c, dialect);
    out += "  column " + c.name + " " + cc.type;
    if (cc.not_null) out += " not null";
    if (!cc.default_.empty()) out += " default " + cc.default_;
    if (cc.autoincrement && options.autoincrement) out += " autoincrement";
    out += "\n";
  }
  if (!t.primary_key.empty()) {
    out += "  primary key (";
    for (std::size_t i = 0; i < t.primary_key.size(); ++i) out += (i ? ", " : ""), out += t.primary_key[i];
    out += ")\n";
  }
  std::vector<std::string> lines;
  for (auto& k : detail::canonical_constraints(t, dialect)) lines.push_back(k.line(options.names));
  std::sort(lines.begin(), lines.end());
  for (auto& l : lines) out += l + "\n";
  return out;
}
#endif  // ATHANOR_DEFINITIONS

}  // namespace athanor
