// athanor/dialect/reflect_mysql.hpp — reflection on MariaDB (≥ 10.2.7) from information_schema:
// COLUMNS (COLUMN_TYPE tells TINYINT(1), our Boolean, from other TINYINTs), TABLE_CONSTRAINTS
// with KEY_COLUMN_USAGE and REFERENTIAL_CONSTRAINTS, CHECK_CONSTRAINTS, STATISTICS. Tables of
// DATABASE() only. COLUMN_DEFAULT quotes string literals and shows "no default" and DEFAULT
// NULL as the text NULL (https://mariadb.com/kb/en/information-schema-columns-table/).
//
// Normalisation: a unique index is a UNIQUE constraint (MariaDB keeps one kind of unique key);
// the index InnoDB adds for a foreign key (named as the constraint) is not listed; RESTRICT and
// NO ACTION are the same action (InnoDB checks both at once); DateTimeType{true} is a plain
// DATETIME(6); Uuid is CHAR(36), so CHAR(36) reads back as Uuid; TINYINT other than TINYINT(1)
// reads back as SmallInteger; Json is LONGTEXT with a json_valid() CHECK, read back as Json.
#pragma once

#include <map>     // std::map
#include <string>  // std::string
#include <vector>  // std::vector

#include <athanor/dialect/reflection.hpp>

namespace athanor::detail {

/// MariaDB's catalog reader.
class MysqlReflector : public Reflector {
 public:
  std::vector<std::string> table_names(const CatalogQuery& q) const override {
    std::vector<std::string> out;
    for (auto& r : q("SELECT TABLE_NAME FROM information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE() AND TABLE_TYPE = 'BASE TABLE' "
                     "ORDER BY TABLE_NAME",
                     {}))
      out.push_back(text_of(r[0]));
    return out;
  }

  std::vector<std::string> view_names(const CatalogQuery& q) const override {
    std::vector<std::string> out;
    for (auto& r : q("SELECT TABLE_NAME FROM information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE() AND TABLE_TYPE = 'VIEW' "
                     "ORDER BY TABLE_NAME",
                     {}))
      out.push_back(text_of(r[0]));
    return out;
  }

  /// COLUMN_TYPE → athanor's type (https://mariadb.com/kb/en/data-types/).
  static SqlType map_type(std::string_view column_type) {
    std::string f = lower(column_type);
    std::string base = f.substr(0, std::min(f.find('('), f.find(' ')));
    auto args = type_args(f);
    int n = args.empty() ? 0 : args[0];
    if (base == "tinyint") return SqlType(n == 1 ? TypeKind::boolean : TypeKind::small_integer);
    if (base == "smallint") return SqlType(TypeKind::small_integer);
    if (base == "int" || base == "integer" || base == "mediumint") return SqlType(TypeKind::integer);
    if (base == "bigint") return SqlType(TypeKind::big_integer);
    if (base == "float") return SqlType(TypeKind::float_);
    if (base == "double" || base == "real") return SqlType(TypeKind::double_);
    if (base == "decimal" || base == "numeric") return SqlType(TypeKind::numeric, 0, n, args.size() > 1 ? args[1] : 0);
    if (base == "char" && n == 36) return SqlType(TypeKind::uuid);
    if (base == "varchar" || base == "char") return SqlType(TypeKind::string, n);
    if (base == "tinytext" || base == "text" || base == "mediumtext" || base == "longtext") return SqlType(TypeKind::text);
    if (base.find("blob") != std::string::npos || base == "binary" || base == "varbinary") return SqlType(TypeKind::binary);
    if (base == "date") return SqlType(TypeKind::date);
    if (base == "datetime" || base == "timestamp") return SqlType(TypeKind::datetime);
    if (base == "time") return SqlType(TypeKind::time);
    if (base == "json") return SqlType(TypeKind::json);
    if (base == "uuid") return SqlType(TypeKind::uuid);
    if (base == "enum") {
      auto names = quoted_literals(f.substr(4), true);
      SqlType t(TypeKind::enum_);
      for (auto& v : names) t.length = std::max<int>(t.length, static_cast<int>(v.size()));
      t.enum_values = std::make_shared<std::vector<std::string>>(std::move(names));
      return t;
    }
    return SqlType(TypeKind::null);
  }

  static Action map_action(std::string_view a) {
    if (a == "CASCADE") return Action::cascade;
    if (a == "SET NULL") return Action::set_null;
    if (a == "SET DEFAULT") return Action::set_default;
    if (a == "RESTRICT") return Action::restrict;
    return Action::no_action;
  }

  std::optional<ReflectedTable> table(const CatalogQuery& q, const std::string& name) const override {
    Params t_param{{"t", name}};
    // BINARY: information_schema compares names without case; a table name is case-sensitive here.
    auto cols = q("SELECT COLUMN_NAME, COLUMN_TYPE, IS_NULLABLE, COLUMN_DEFAULT, EXTRA, GENERATION_EXPRESSION, COLUMN_COMMENT"
                  " FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = BINARY :t ORDER BY ORDINAL_POSITION",
                  t_param);
    if (cols.empty()) return std::nullopt;
    ReflectedTable t;
    t.name = name;
    for (auto& r : cols) {
      ReflectedColumn c;
      c.name = text_of(r[0]), c.type_text = text_of(r[1]), c.type = map_type(c.type_text);
      c.nullable = text_of(r[2]) == "YES";
      std::string extra = lower(text_of(r[4]));
      c.autoincrement = extra.find("auto_increment") != std::string::npos;
      c.comment = text_of(r[6]);
      if (extra.find("generated") != std::string::npos) {
        c.generated = text_of(r[5]);
      } else if (!r[3].is_null() && text_of(r[3]) != "NULL") {
        c.default_sql = text_of(r[3]), c.default_value = literal_default(*c.default_sql, c.type, true);
      }
      t.columns.push_back(std::move(c));
    }

    for (auto& r : q("SELECT TABLE_COMMENT FROM information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = BINARY :t", t_param))
      t.comment = text_of(r[0]);
    std::map<std::string, ReflectedForeignKey> fks;
    std::map<std::string, UniqueConstraint> uniques;
    for (auto& r : q("SELECT tc.CONSTRAINT_NAME, tc.CONSTRAINT_TYPE, k.COLUMN_NAME, k.REFERENCED_TABLE_NAME, k.REFERENCED_COLUMN_NAME,"
                     " r.DELETE_RULE, r.UPDATE_RULE"
                     " FROM information_schema.TABLE_CONSTRAINTS tc"
                     " JOIN information_schema.KEY_COLUMN_USAGE k ON k.CONSTRAINT_SCHEMA = tc.CONSTRAINT_SCHEMA"
                     "  AND k.TABLE_NAME = tc.TABLE_NAME AND k.CONSTRAINT_NAME = tc.CONSTRAINT_NAME"
                     " LEFT JOIN information_schema.REFERENTIAL_CONSTRAINTS r ON r.CONSTRAINT_SCHEMA = tc.CONSTRAINT_SCHEMA"
                     "  AND r.TABLE_NAME = tc.TABLE_NAME AND r.CONSTRAINT_NAME = tc.CONSTRAINT_NAME"
                     " WHERE tc.TABLE_SCHEMA = DATABASE() AND tc.TABLE_NAME = BINARY :t"
                     " ORDER BY tc.CONSTRAINT_NAME, k.ORDINAL_POSITION",
                     t_param)) {
      std::string cname = text_of(r[0]), type = text_of(r[1]);
      if (type == "PRIMARY KEY") {
        t.primary_key.name = cname, t.primary_key.columns.push_back(text_of(r[2]));
      } else if (type == "UNIQUE") {
        auto& u = uniques[cname];
        u.name = cname, u.columns.push_back(text_of(r[2]));
      } else if (type == "FOREIGN KEY") {
        auto& fk = fks[cname];
        fk.name = cname, fk.ref_table = text_of(r[3]);
        fk.on_delete = map_action(text_of(r[5])), fk.on_update = map_action(text_of(r[6]));
        fk.columns.push_back(text_of(r[2])), fk.ref_columns.push_back(text_of(r[4]));
      }
    }
    for (auto& [n, fk] : fks) t.foreign_keys.push_back(std::move(fk));
    for (auto& [n, u] : uniques) t.uniques.push_back(std::move(u));

    // MariaDB's CHECK_CONSTRAINTS has TABLE_NAME (MySQL 8's has not); LEVEL tells column checks.
    for (auto& r : q("SELECT CONSTRAINT_NAME, CHECK_CLAUSE FROM information_schema.CHECK_CONSTRAINTS"
                     " WHERE CONSTRAINT_SCHEMA = DATABASE() AND TABLE_NAME = BINARY :t ORDER BY CONSTRAINT_NAME",
                     t_param))
      t.checks.push_back({text_of(r[1]), text_of(r[0])});

    std::map<std::string, Index> indexes;
    for (auto& r : q("SELECT INDEX_NAME, NON_UNIQUE, COLUMN_NAME FROM information_schema.STATISTICS"
                     " WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = BINARY :t ORDER BY INDEX_NAME, SEQ_IN_INDEX",
                     t_param)) {
      std::string iname = text_of(r[0]);
      if (iname == "PRIMARY" || uniques.count(iname)) continue;
      auto& ix = indexes[iname];
      ix.name = iname, ix.unique = int_of(r[1]) == 0, ix.columns.push_back(text_of(r[2]));
    }
    for (auto& entry : indexes) {  // not a structured binding: clang 14 cannot capture one in a lambda
      const std::string& n = entry.first;
      Index& ix = entry.second;
      bool expression = std::find(ix.columns.begin(), ix.columns.end(), std::string()) != ix.columns.end();
      bool fk_index = !ix.unique && std::any_of(t.foreign_keys.begin(), t.foreign_keys.end(), [&](auto& fk) {
        return fk.name == n && fk.columns == ix.columns;  // InnoDB's own
      });
      if (!expression && !fk_index) t.indexes.push_back(std::move(ix));
    }
    fold_type_checks(t, true);
    sort_parts(t);
    return t;
  }

  SqlType normal_type(const SqlType& t, bool autoincrement_key) const override {
    (void)autoincrement_key;
    SqlType n = t;
    n.timezone = false;
    return n;
  }
  Action normal_action(Action a) const override {
    return a == Action::unspecified || a == Action::restrict ? Action::no_action : a;
  }
  bool unique_index_is_constraint() const override { return true; }
};

}  // namespace athanor::detail
