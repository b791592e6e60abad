// athanor/dialect/reflection.hpp — what reflection reads from a live database (ReflectedTable
// and its parts), and the interface each backend's catalog reader implements (detail::Reflector:
// its catalog queries and the normalisation of declared types to what the backend reads back).
// The readers are dialect/reflect_*.hpp; the public entry point is <athanor/migrate/inspect.hpp>.
#pragma once

#include <algorithm>   // std::find
#include <cctype>      // std::tolower
#include <functional>  // std::function
#include <optional>    // std::optional
#include <string>      // std::string
#include <vector>      // std::vector

#include <athanor/core/constraints.hpp>
#include <athanor/core/error.hpp>
#include <athanor/core/text.hpp>
#include <athanor/core/types.hpp>
#include <athanor/core/value.hpp>

namespace athanor {

/// A table asked of the database that it does not have.
class NoSuchTableError : public ArgumentError {
 public:
  using ArgumentError::ArgumentError;
};

/// One column as the database describes it.
struct ReflectedColumn {
  std::string name;       ///< its name
  SqlType type;           ///< its type mapped back to athanor's (TypeKind::null: no athanor type fits)
  std::string type_text;  ///< the type as the database spells it ("character varying(50)", "tinyint(1)")
  bool nullable = true;   ///< NULL allowed
  /// The DEFAULT as the database shows it (unset: none; MariaDB's text "NULL" is none).
  std::optional<std::string> default_sql;
  /// The DEFAULT as a value when it is a literal (quotes and casts removed, converted to the column's type).
  std::optional<Value> default_value;
  bool autoincrement = false;  ///< the database generates it (SERIAL/IDENTITY, AUTO_INCREMENT, a SQLite rowid key)
  std::string generated;       ///< a generated (computed) column's expression; empty for a stored column
  std::string comment;         ///< COMMENT ON COLUMN / COMMENT '…' ("" where none, and always on SQLite)
};

/// The primary key.
struct ReflectedPrimaryKey {
  std::string name;                  ///< the constraint's name ("" where the backend keeps none)
  std::vector<std::string> columns;  ///< its columns, in key order
};

/// A foreign key with its actions (ON DELETE / ON UPDATE as the catalog gives them).
struct ReflectedForeignKey {
  std::string name;                      ///< the constraint's name ("" when unnamed on SQLite)
  std::vector<std::string> columns;      ///< referring columns of this table
  std::string ref_table;                 ///< the referred table
  std::vector<std::string> ref_columns;  ///< its columns, in the same order
  Action on_delete = Action::no_action;  ///< ON DELETE
  Action on_update = Action::no_action;  ///< ON UPDATE
};

/// Everything reflection reads about one table.
struct ReflectedTable {
  std::string name;                              ///< the table's name
  std::string comment;                           ///< the table's comment ("" where none, and always on SQLite)
  std::vector<ReflectedColumn> columns;          ///< in the table's order
  ReflectedPrimaryKey primary_key;               ///< empty columns: none
  std::vector<ReflectedForeignKey> foreign_keys; ///< sorted by name
  std::vector<UniqueConstraint> uniques;         ///< UNIQUE constraints (sorted by name)
  std::vector<CheckConstraint> checks;           ///< CHECK constraints, text as the database renders it
  /// Indexes that are not the backing of a key or UNIQUE constraint; expression and partial
  /// indexes are left out (they have no column list to give).
  std::vector<Index> indexes;
  /// Find a column by name (nullptr when there is none).
  const ReflectedColumn* find(std::string_view column) const {
    for (auto& c : columns)
      if (c.name == column) return &c;
    return nullptr;
  }
};

namespace detail {

/// Runs one catalog query (`:name` parameters, bound) and gives its rows.
using CatalogQuery = std::function<std::vector<std::vector<Value>>(const std::string& sql, const Params& params)>;

/// One backend's catalog reader and normalisation rules (see dialect/reflect_*.hpp).
class Reflector {
 public:
  virtual ~Reflector() = default;
  /// The base tables of the connection's schema (database), sorted by name.
  virtual std::vector<std::string> table_names(const CatalogQuery& q) const = 0;
  /// The views of the connection's schema, sorted by name.
  virtual std::vector<std::string> view_names(const CatalogQuery& q) const = 0;
  /// Table `name`, or nothing when the schema has no such table.
  virtual std::optional<ReflectedTable> table(const CatalogQuery& q, const std::string& name) const = 0;

  // --- normalisation: what a declared schema reads back as on this backend ---
  /// The type a column declared as `t` reads back as (`autoincrement_key`: it is the table's generated key).
  virtual SqlType normal_type(const SqlType& t, bool autoincrement_key) const { (void)autoincrement_key; return t; }
  /// An action as the backend reports it (unspecified is NO ACTION everywhere).
  virtual Action normal_action(Action a) const { return a == Action::unspecified ? Action::no_action : a; }
  /// A unique index and a UNIQUE constraint are one thing here (MariaDB): both read back as constraints.
  virtual bool unique_index_is_constraint() const { return false; }
  /// A lone INTEGER primary key is the table's generated key whatever was declared (SQLite's rowid).
  virtual bool integer_key_autoincrements() const { return false; }
};

// --- helpers shared by the readers ---

inline std::string lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}
inline std::string text_of(const Value& v) {
  if (v.is_null()) return {};
  if (auto* s = std::get_if<std::string>(&v.variant())) return *s;
  if (auto* i = std::get_if<std::int64_t>(&v.variant())) return std::to_string(*i);
  if (auto* b = std::get_if<bool>(&v.variant())) return *b ? "1" : "0";
  if (auto* d = std::get_if<Decimal>(&v.variant())) return d->text;
  if (auto* b = std::get_if<Bytes>(&v.variant())) return std::string(reinterpret_cast<const char*>(b->data()), b->size());
  return {};
}
inline std::int64_t int_of(const Value& v) {
  if (auto* i = std::get_if<std::int64_t>(&v.variant())) return *i;
  if (auto* b = std::get_if<bool>(&v.variant())) return *b;
  auto s = text_of(v);
  if (s == "t" || s == "true" || s == "YES") return 1;
  try {
    return s.empty() ? 0 : std::stoll(s);
  } catch (...) {
    return 0;
  }
}
/// "(a, b)" → {a, b}: the integers of a type's arguments.
inline std::vector<int> type_args(std::string_view t) {
  std::vector<int> out;
  auto open = t.find('('), close = t.find(')', open == std::string_view::npos ? 0 : open);
  if (open == std::string_view::npos || close == std::string_view::npos) return out;
  std::string_view in = t.substr(open + 1, close - open - 1);
  int cur = 0;
  bool any = false;
  for (char c : in) {
    if (c >= '0' && c <= '9') cur = cur * 10 + (c - '0'), any = true;
    else if (c == ',') out.push_back(cur), cur = 0, any = false;
  }
  if (any) out.push_back(cur);
  return out;
}
/// The contents of every '…' literal in `s`, in order ('' inside one is a quote; with
/// `backslash_escapes`, as MariaDB writes them, so is \').
inline std::vector<std::string> quoted_literals(std::string_view s, bool backslash_escapes = false) {
  std::vector<std::string> out;
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (s[i] != '\'') continue;
    std::string cur;
    for (++i; i < s.size(); ++i) {
      if (s[i] == '\'' && i + 1 < s.size() && s[i + 1] == '\'') cur += '\'', ++i;
      else if (s[i] == '\'') break;
      else if (s[i] == '\\' && backslash_escapes && i + 1 < s.size()) cur += s[++i];
      else cur += s[i];
    }
    out.push_back(std::move(cur));
  }
  return out;
}
/// `s` without the parentheses that enclose all of it.
inline std::string_view strip_parens(std::string_view s) {
  auto trim = [](std::string_view x) {
    while (!x.empty() && std::isspace(static_cast<unsigned char>(x.front()))) x.remove_prefix(1);
    while (!x.empty() && std::isspace(static_cast<unsigned char>(x.back()))) x.remove_suffix(1);
    return x;
  };
  s = trim(s);
  while (s.size() >= 2 && s.front() == '(' && s.back() == ')') {
    int depth = 0;
    bool whole = true;
    for (std::size_t i = 0; i < s.size(); ++i) {
      depth += s[i] == '(' ? 1 : s[i] == ')' ? -1 : 0;
      if (depth == 0 && i + 1 < s.size()) whole = false;
    }
    if (!whole) break;
    s = trim(s.substr(1, s.size() - 2));
  }
  return s;
}

/// A DEFAULT's text as a value of the column's type when it is a literal: a quoted string
/// (PostgreSQL's `'x'::type` cast dropped), a number, TRUE/FALSE. Nothing for an expression.
/// `backslash_escapes`: a backslash escapes the next character (MariaDB), else it is itself.
inline std::optional<Value> literal_default(std::string_view sql, const SqlType& type, bool backslash_escapes = false) {
  std::string_view s = strip_parens(sql);
  std::string body;
  bool quoted = false;
  if (!s.empty() && s.front() == '\'') {
    std::size_t i = 1;
    for (; i < s.size(); ++i) {
      if (s[i] == '\'' && i + 1 < s.size() && s[i + 1] == '\'') body += '\'', ++i;
      else if (s[i] == '\'') break;
      else if (s[i] == '\\' && backslash_escapes && i + 1 < s.size()) body += s[++i];
      else body += s[i];
    }
    if (i >= s.size()) return std::nullopt;
    std::string_view rest = s.substr(i + 1);
    if (!rest.empty() && rest.substr(0, 2) != "::") return std::nullopt;  // 'a' || 'b' and the like
    quoted = true;
  } else {
    std::string l = lower(s);
    if (l == "true" || l == "false") {
      if (type.kind == TypeKind::boolean) return Value(l == "true");
      return std::nullopt;
    }
    bool number = !s.empty();
    for (std::size_t i = 0; i < s.size(); ++i) {
      char c = s[i];
      if (!(std::isdigit(static_cast<unsigned char>(c)) || c == '.' || (i == 0 && (c == '-' || c == '+')) || c == 'e' || c == 'E')) number = false;
    }
    if (!number) return std::nullopt;
    body = std::string(s);
  }
  try {
    switch (type.kind) {
      case TypeKind::integer:
      case TypeKind::big_integer:
      case TypeKind::small_integer: return Value(static_cast<std::int64_t>(std::stoll(body)));
      case TypeKind::boolean: return Value(body == "1" || body == "t" || body == "true" || body == "TRUE");
      case TypeKind::float_:
      case TypeKind::double_: return Value(std::stod(body));
      case TypeKind::numeric: return Value(Decimal{body});
      default: break;
    }
  } catch (...) {
    return std::nullopt;
  }
  if (!quoted && type.is_string()) return std::nullopt;  // a bare number in a text column: keep it as written
  return Value(body);
}

/// Our Enum is VARCHAR plus a CHECK named ck_<table>_<column>_enum listing its names; such a
/// check turns the column back into an Enum (and leaves the list of checks). MariaDB's JSON is
/// LONGTEXT plus a CHECK json_valid(`column`): that check makes the column Json.
inline void fold_type_checks(ReflectedTable& t, bool backslash_escapes = false) {
  for (auto it = t.checks.begin(); it != t.checks.end();) {
    bool folded = false;
    for (auto& c : t.columns) {
      if (it->name == "ck_" + t.name + "_" + c.name + "_enum" && c.type.is_string()) {
        auto names = quoted_literals(it->sqltext, backslash_escapes);
        auto v = std::make_shared<std::vector<std::string>>(names);
        c.type.kind = TypeKind::enum_, c.type.enum_values = std::move(v);
        folded = true;
      } else if (c.type.kind == TypeKind::text && lower(it->sqltext).find("json_valid(") != std::string::npos &&
                 it->sqltext.find(c.name) != std::string::npos && it->name == c.name) {
        c.type = SqlType(TypeKind::json);
        folded = true;
      }
      if (folded) break;
    }
    it = folded ? t.checks.erase(it) : it + 1;
  }
}

/// Sorts what a table's keys and indexes list by name, so that every backend lists them alike.
inline void sort_parts(ReflectedTable& t) {
  auto by_name = [](auto& a, auto& b) { return a.name < b.name; };
  std::sort(t.foreign_keys.begin(), t.foreign_keys.end(), by_name);
  std::sort(t.uniques.begin(), t.uniques.end(), by_name);
  std::sort(t.checks.begin(), t.checks.end(), by_name);
  std::sort(t.indexes.begin(), t.indexes.end(), by_name);
}

}  // namespace detail
}  // namespace athanor
