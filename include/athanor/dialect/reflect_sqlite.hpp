// athanor/dialect/reflect_sqlite.hpp — reflection on SQLite: the pragmas as table-valued
// functions (table_xinfo, foreign_key_list, index_list, index_info: https://sqlite.org/pragma.html),
// and the CREATE TABLE text kept in sqlite_master, the only place that holds constraint names
// and CHECK conditions.
//
// Normalisation (what a declared column reads back as): Json is TEXT, DateTimeType{true} a plain
// DATETIME, Uuid CHAR(36) (so CHAR(36) reads back as Uuid); a lone INTEGER primary key is the
// rowid, generated whatever autoincrement(…) said, and a generated key of any integer width is
// declared INTEGER (so it reads back as Integer).
#pragma once

#include <string>  // std::string
#include <vector>  // std::vector

#include <athanor/dialect/reflection.hpp>

namespace athanor::detail {

/// The constraints a CREATE TABLE statement names, read from its text.
struct SqliteCreateText {
  struct Keyed {
    std::string name;
    std::vector<std::string> columns;
  };
  std::string primary_key_name;
  std::vector<Keyed> uniques;       ///< UNIQUE (…) table constraints
  std::vector<Keyed> foreign_keys;  ///< FOREIGN KEY (…) and column REFERENCES, their names
  std::vector<CheckConstraint> checks;
  bool without_rowid = false;

  explicit SqliteCreateText(std::string_view sql) { parse(sql); }

 private:
  struct Token {
    enum Kind : unsigned char { word, ident, string, punct } kind;
    std::string text;  ///< words as written, identifiers unquoted, punctuation one character
    std::size_t begin, end;
  };
  std::vector<Token> tokens_;

  static bool is(const Token& t, std::string_view w) { return t.kind == Token::word && lower(t.text) == w; }

  void tokenize(std::string_view s) {
    for (std::size_t i = 0; i < s.size();) {
      char c = s[i];
      if (std::isspace(static_cast<unsigned char>(c))) { ++i; continue; }
      if (c == '-' && i + 1 < s.size() && s[i + 1] == '-') { while (i < s.size() && s[i] != '\n') ++i; continue; }
      if (c == '/' && i + 1 < s.size() && s[i + 1] == '*') {
        auto e = s.find("*/", i + 2);
        i = e == std::string_view::npos ? s.size() : e + 2;
        continue;
      }
      if (c == '"' || c == '`' || c == '[' || c == '\'') {
        char close = c == '[' ? ']' : c;
        std::string text;
        std::size_t j = i + 1;
        for (; j < s.size(); ++j) {
          if (s[j] == close && close != ']' && j + 1 < s.size() && s[j + 1] == close) text += close, ++j;
          else if (s[j] == close) break;
          else text += s[j];
        }
        tokens_.push_back({c == '\'' ? Token::string : Token::ident, text, i, j + 1});
        i = j + 1;
        continue;
      }
      if (std::isalnum(static_cast<unsigned char>(c)) || c == '_' || static_cast<unsigned char>(c) >= 0x80) {
        std::size_t j = i;
        while (j < s.size() && (std::isalnum(static_cast<unsigned char>(s[j])) || s[j] == '_' || s[j] == '$' ||
                                static_cast<unsigned char>(s[j]) >= 0x80))
          ++j;
        tokens_.push_back({Token::word, std::string(s.substr(i, j - i)), i, j});
        i = j;
        continue;
      }
      tokens_.push_back({Token::punct, std::string(1, c), i, i + 1});
      ++i;
    }
  }
  /// The names inside the parentheses opening at token `i`; `i` ends after the ')'.
  std::vector<std::string> names(std::size_t& i) const {
    std::vector<std::string> out;
    if (i >= tokens_.size() || tokens_[i].text != "(") return out;
    int depth = 0;
    for (; i < tokens_.size(); ++i) {
      auto& t = tokens_[i];
      if (t.kind == Token::punct && t.text == "(") { ++depth; continue; }
      if (t.kind == Token::punct && t.text == ")") { if (--depth == 0) { ++i; break; } continue; }
      if (depth == 1 && (t.kind == Token::ident || t.kind == Token::word) && (i == 0 || tokens_[i - 1].text == "(" || tokens_[i - 1].text == ","))
        out.push_back(t.text);
    }
    return out;
  }
  /// The source text inside the parentheses opening at token `i`; `i` ends after the ')'.
  std::string inside(std::string_view sql, std::size_t& i) const {
    if (i >= tokens_.size() || tokens_[i].text != "(") return {};
    std::size_t start = tokens_[i].end;
    int depth = 0;
    for (; i < tokens_.size(); ++i) {
      auto& t = tokens_[i];
      if (t.kind != Token::punct) continue;
      if (t.text == "(") ++depth;
      if (t.text == ")" && --depth == 0) {
        std::string s(sql.substr(start, t.begin - start));
        ++i;
        return s;
      }
    }
    return {};
  }

  void parse(std::string_view sql) {
    tokenize(sql);
    std::size_t i = 0;
    while (i < tokens_.size() && tokens_[i].text != "(") ++i;
    if (i == tokens_.size()) return;
    ++i;  // into the body: items separated by commas at depth 1
    while (i < tokens_.size() && tokens_[i].text != ")") {
      std::string name;
      bool column = true;
      std::string column_name;
      if (is(tokens_[i], "constraint") || is(tokens_[i], "primary") || is(tokens_[i], "unique") || is(tokens_[i], "check") ||
          is(tokens_[i], "foreign")) {
        column = false;
      } else {
        column_name = tokens_[i].text, ++i;
      }
      // walk the item's clauses up to the comma or ')' that ends it
      while (i < tokens_.size() && tokens_[i].text != "," && tokens_[i].text != ")") {
        auto& t = tokens_[i];
        if (is(t, "constraint") && i + 1 < tokens_.size()) {
          name = tokens_[i + 1].text, i += 2;
        } else if (is(t, "primary") && !column) {
          i += 2;  // PRIMARY KEY
          primary_key_name = name, name.clear();
          names(i);
        } else if (is(t, "primary")) {
          primary_key_name = name, name.clear(), ++i;
        } else if (is(t, "unique") && !column) {
          ++i;
          uniques.push_back({name, names(i)}), name.clear();
        } else if (is(t, "unique")) {
          uniques.push_back({name, {column_name}}), name.clear(), ++i;
        } else if (is(t, "check")) {
          ++i;
          checks.push_back({inside(sql, i), name}), name.clear();
        } else if (is(t, "foreign") && !column) {
          i += 2;  // FOREIGN KEY
          foreign_keys.push_back({name, names(i)}), name.clear();
        } else if (is(t, "references") && column) {
          foreign_keys.push_back({name, {column_name}}), name.clear(), ++i;
        } else if (t.text == "(") {
          inside(sql, i);  // a type's arguments, a DEFAULT expression, REFERENCES t (…)
        } else {
          ++i;
        }
      }
      if (i < tokens_.size() && tokens_[i].text == ",") ++i;
    }
    for (; i < tokens_.size(); ++i)
      if (is(tokens_[i], "rowid") && i > 0 && is(tokens_[i - 1], "without")) without_rowid = true;
  }
};

/// SQLite's catalog reader.
class SqliteReflector : public Reflector {
 public:
  std::vector<std::string> table_names(const CatalogQuery& q) const override {
    std::vector<std::string> out;
    for (auto& r : q("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\' ORDER BY name", {}))
      out.push_back(text_of(r[0]));
    return out;
  }

  std::vector<std::string> view_names(const CatalogQuery& q) const override {
    std::vector<std::string> out;
    for (auto& r : q("SELECT name FROM sqlite_master WHERE type = 'view' ORDER BY name", {})) out.push_back(text_of(r[0]));
    return out;
  }

  static SqlType map_type(std::string_view declared) {
    std::string d = lower(declared);
    std::string base = d.substr(0, d.find('('));
    while (!base.empty() && base.back() == ' ') base.pop_back();
    auto args = type_args(d);
    int n = args.empty() ? 0 : args[0];
    if (base == "integer" || base == "int" || base == "mediumint") return SqlType(TypeKind::integer);
    if (base == "bigint" || base == "int8") return SqlType(TypeKind::big_integer);
    if (base == "smallint" || base == "tinyint" || base == "int2") return SqlType(TypeKind::small_integer);
    if (base == "boolean" || base == "bool") return SqlType(TypeKind::boolean);
    if (base == "real" || base == "float") return SqlType(TypeKind::float_);
    if (base == "double" || base == "double precision") return SqlType(TypeKind::double_);
    if (base == "numeric" || base == "decimal") return SqlType(TypeKind::numeric, 0, n, args.size() > 1 ? args[1] : 0);
    if ((base == "char" || base == "character") && n == 36) return SqlType(TypeKind::uuid);
    if (base == "varchar" || base == "nvarchar" || base == "char" || base == "nchar" || base == "character" ||
        base == "varying character" || base == "native character" || base == "character varying")
      return SqlType(TypeKind::string, n);
    if (base == "text" || base == "clob") return SqlType(TypeKind::text);
    if (base == "blob") return SqlType(TypeKind::binary);
    if (base == "date") return SqlType(TypeKind::date);
    if (base == "datetime" || base == "timestamp") return SqlType(TypeKind::datetime);
    if (base == "time") return SqlType(TypeKind::time);
    if (base == "json") return SqlType(TypeKind::json);
    if (base == "uuid") return SqlType(TypeKind::uuid);
    // Otherwise the affinity rules (https://sqlite.org/datatype3.html#determination_of_column_affinity).
    if (d.find("int") != std::string::npos) return SqlType(TypeKind::integer);
    if (d.find("char") != std::string::npos || d.find("clob") != std::string::npos || d.find("text") != std::string::npos)
      return SqlType(TypeKind::text);
    if (d.find("blob") != std::string::npos) return SqlType(TypeKind::binary);
    return SqlType(TypeKind::null);
  }

  static Action map_action(std::string_view a) {
    std::string s = lower(a);
    if (s == "cascade") return Action::cascade;
    if (s == "restrict") return Action::restrict;
    if (s == "set null") return Action::set_null;
    if (s == "set default") return Action::set_default;
    return Action::no_action;
  }

  std::optional<ReflectedTable> table(const CatalogQuery& q, const std::string& name) const override {
    auto created = q("SELECT sql FROM sqlite_master WHERE type = 'table' AND name = :t", {{"t", name}});
    if (created.empty()) return std::nullopt;
    SqliteCreateText create(text_of(created[0][0]));
    ReflectedTable t;
    t.name = name;
    std::vector<std::pair<int, std::string>> key;
    for (auto& r : q("SELECT cid, name, type, \"notnull\", dflt_value, pk, hidden FROM pragma_table_xinfo(:t) ORDER BY cid", {{"t", name}})) {
      auto hidden = int_of(r[6]);
      if (hidden == 1) continue;  // a virtual table's hidden column
      ReflectedColumn c;
      c.name = text_of(r[1]), c.type_text = text_of(r[2]), c.type = map_type(c.type_text);
      c.nullable = int_of(r[3]) == 0;
      if (!r[4].is_null()) c.default_sql = text_of(r[4]), c.default_value = literal_default(*c.default_sql, c.type);
      if (hidden == 2 || hidden == 3) c.generated = "(generated)";
      if (auto pk = int_of(r[5])) key.emplace_back(static_cast<int>(pk), c.name);
      t.columns.push_back(std::move(c));
    }
    std::sort(key.begin(), key.end());
    for (auto& [n, col] : key) t.primary_key.columns.push_back(col);
    t.primary_key.name = create.primary_key_name;
    // A lone INTEGER key is the rowid (https://sqlite.org/lang_createtable.html#rowid).
    if (key.size() == 1 && !create.without_rowid) {
      auto& c = const_cast<ReflectedColumn&>(*t.find(key[0].second));
      if (lower(c.type_text) == "integer") c.autoincrement = true;
    }

    for (auto& r : q("SELECT id, seq, \"table\", \"from\", \"to\", on_update, on_delete FROM pragma_foreign_key_list(:t) ORDER BY id, seq",
                     {{"t", name}})) {
      if (int_of(r[1]) == 0) {
        ReflectedForeignKey fk;
        fk.ref_table = text_of(r[2]), fk.on_update = map_action(text_of(r[5])), fk.on_delete = map_action(text_of(r[6]));
        t.foreign_keys.push_back(std::move(fk));
      }
      auto& fk = t.foreign_keys.back();
      fk.columns.push_back(text_of(r[3]));
      fk.ref_columns.push_back(text_of(r[4]));  // empty: the referred table's primary key, filled below
    }
    for (auto& fk : t.foreign_keys) {
      if (std::find(fk.ref_columns.begin(), fk.ref_columns.end(), std::string()) != fk.ref_columns.end()) {
        fk.ref_columns.clear();
        for (auto& r : q("SELECT name FROM pragma_table_info(:t) WHERE pk > 0 ORDER BY pk", {{"t", fk.ref_table}}))
          fk.ref_columns.push_back(text_of(r[0]));
      }
      for (auto& named : create.foreign_keys)
        if (named.columns == fk.columns && fk.name.empty()) fk.name = named.name;
    }

    for (auto& r : q("SELECT name, \"unique\", origin, partial FROM pragma_index_list(:t)", {{"t", name}})) {
      std::string index_name = text_of(r[0]), origin = text_of(r[2]);
      if (origin == "pk" || int_of(r[3])) continue;  // the key's own index; partial indexes are left out
      std::vector<std::string> cols;
      bool expression = false;
      for (auto& c : q("SELECT seqno, cid, name FROM pragma_index_info(:i) ORDER BY seqno", {{"i", index_name}})) {
        if (c[2].is_null()) expression = true;
        cols.push_back(text_of(c[2]));
      }
      if (expression) continue;
      if (origin == "u") {
        std::string constraint;
        for (auto& named : create.uniques)
          if (named.columns == cols) constraint = named.name;
        t.uniques.push_back({cols, constraint});
      } else {
        t.indexes.push_back({index_name, cols, int_of(r[1]) != 0});
      }
    }
    t.checks = create.checks;
    fold_type_checks(t);
    sort_parts(t);
    return t;
  }

  SqlType normal_type(const SqlType& t, bool autoincrement_key) const override {
    if (autoincrement_key) return SqlType(TypeKind::integer);
    SqlType n = t;
    if (n.kind == TypeKind::json) n = SqlType(TypeKind::text);
    n.timezone = false;
    return n;
  }
  bool integer_key_autoincrements() const override { return true; }
};

}  // namespace athanor::detail
