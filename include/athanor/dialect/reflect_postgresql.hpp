// athanor/dialect/reflect_postgresql.hpp — reflection on PostgreSQL from pg_catalog
// (information_schema hides what the user has no privilege on, and has no indexes):
// pg_attribute with format_type and pg_attrdef, pg_constraint (conkey/confkey, confdeltype /
// confupdtype), pg_index. Tables of current_schema() only.
//
// Normalisation: SERIAL columns (a nextval() default) and IDENTITY columns are autoincrement
// with no default; Json is JSONB (JSON also reads back as Json); CHAR(n) reads back as String{n};
// an unspecified foreign-key action is NO ACTION.
#pragma once

#include <map>     // std::map
#include <string>  // std::string
#include <vector>  // std::vector

#include <athanor/dialect/reflection.hpp>

namespace athanor::detail {

/// PostgreSQL's catalog reader.
class PostgresqlReflector : public Reflector {
 public:
  std::vector<std::string> table_names(const CatalogQuery& q) const override {
    std::vector<std::string> out;
    for (auto& r : q("SELECT c.relname::text FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace "
                     "WHERE n.nspname = current_schema() AND c.relkind IN ('r', 'p') ORDER BY 1",
                     {}))
      out.push_back(text_of(r[0]));
    return out;
  }

  std::vector<std::string> view_names(const CatalogQuery& q) const override {
    std::vector<std::string> out;
    for (auto& r : q("SELECT c.relname::text FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace "
                     "WHERE n.nspname = current_schema() AND c.relkind IN ('v', 'm') ORDER BY 1",
                     {}))
      out.push_back(text_of(r[0]));
    return out;
  }

  /// format_type()'s spelling → athanor's type (https://www.postgresql.org/docs/current/datatype.html).
  static SqlType map_type(std::string_view formatted) {
    std::string f = lower(formatted);
    std::string base = f.substr(0, f.find('('));
    auto args = type_args(f);
    int n = args.empty() ? 0 : args[0];
    if (base == "integer") return SqlType(TypeKind::integer);
    if (base == "bigint") return SqlType(TypeKind::big_integer);
    if (base == "smallint") return SqlType(TypeKind::small_integer);
    if (base == "boolean") return SqlType(TypeKind::boolean);
    if (base == "real") return SqlType(TypeKind::float_);
    if (base == "double precision") return SqlType(TypeKind::double_);
    if (base == "numeric") return SqlType(TypeKind::numeric, 0, n, args.size() > 1 ? args[1] : 0);
    if (base == "character varying" || base == "character") return SqlType(TypeKind::string, n);
    if (base == "text") return SqlType(TypeKind::text);
    if (base == "bytea") return SqlType(TypeKind::binary);
    if (base == "date") return SqlType(TypeKind::date);
    if (base == "timestamp" || base == "timestamp without time zone" || base == "timestamp with time zone") {
      SqlType t(TypeKind::datetime);
      t.timezone = f.find("with time zone") != std::string::npos && f.find("without") == std::string::npos;
      return t;
    }
    if (base == "time" || base.rfind("time ", 0) == 0) return SqlType(TypeKind::time);
    if (base == "json" || base == "jsonb") return SqlType(TypeKind::json);
    if (base == "uuid") return SqlType(TypeKind::uuid);
    return SqlType(TypeKind::null);
  }

  /// confdeltype / confupdtype (https://www.postgresql.org/docs/current/catalog-pg-constraint.html).
  static Action map_action(std::string_view a) {
    switch (a.empty() ? 'a' : a[0]) {
      case 'r': return Action::restrict;
      case 'c': return Action::cascade;
      case 'n': return Action::set_null;
      case 'd': return Action::set_default;
      default: return Action::no_action;
    }
  }

  /// A native enum type's labels, in their order (https://www.postgresql.org/docs/current/catalog-pg-enum.html).
  static SqlType enum_type(const CatalogQuery& q, const std::string& table, const std::string& column) {
    auto labels = std::make_shared<std::vector<std::string>>();
    SqlType t(TypeKind::enum_);
    for (auto& r : q("SELECT e.enumlabel::text FROM pg_catalog.pg_enum e"
                     " JOIN pg_catalog.pg_attribute a ON a.atttypid = e.enumtypid"
                     " JOIN pg_catalog.pg_class c ON c.oid = a.attrelid JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace"
                     " WHERE n.nspname = current_schema() AND c.relname = :t AND a.attname = :c ORDER BY e.enumsortorder",
                     {{"t", table}, {"c", column}})) {
      labels->push_back(text_of(r[0]));
      t.length = std::max<int>(t.length, static_cast<int>(labels->back().size()));
    }
    t.enum_values = std::move(labels);
    return t;
  }

  std::optional<ReflectedTable> table(const CatalogQuery& q, const std::string& name) const override {
    static const std::string of_table =
        " JOIN pg_catalog.pg_class c ON c.oid = %REL% JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace"
        " WHERE n.nspname = current_schema() AND c.relkind IN ('r', 'p') AND c.relname = :t";
    auto scoped = [](std::string sql, const char* rel) {
      auto p = sql.find("%REL%");
      return sql.replace(p, 5, rel);
    };
    Params t_param{{"t", name}};
    auto cols = q("SELECT a.attname::text, pg_catalog.format_type(a.atttypid, a.atttypmod), a.attnotnull::int,"
                  " pg_catalog.pg_get_expr(d.adbin, d.adrelid), a.attidentity::text, a.attgenerated::text,"
                  " (SELECT ty.typtype::text FROM pg_catalog.pg_type ty WHERE ty.oid = a.atttypid),"
                  " pg_catalog.col_description(a.attrelid, a.attnum), pg_catalog.obj_description(a.attrelid, 'pg_class')"
                  " FROM pg_catalog.pg_attribute a LEFT JOIN pg_catalog.pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum" +
                      scoped(of_table, "a.attrelid") + " AND a.attnum > 0 AND NOT a.attisdropped ORDER BY a.attnum",
                  t_param);
    if (cols.empty()) return std::nullopt;
    ReflectedTable t;
    t.name = name;
    for (auto& r : cols) {
      ReflectedColumn c;
      c.name = text_of(r[0]), c.type_text = text_of(r[1]), c.type = map_type(c.type_text);
      c.nullable = int_of(r[2]) == 0;
      if (text_of(r[6]) == "e") c.type = enum_type(q, name, c.name);  // CREATE TYPE … AS ENUM
      c.comment = text_of(r[7]), t.comment = text_of(r[8]);
      std::string identity = text_of(r[4]), generated = text_of(r[5]);
      if (!r[3].is_null()) {
        std::string def = text_of(r[3]);
        if (!generated.empty()) {
          c.generated = def;  // GENERATED ALWAYS AS (…) STORED keeps its expression in pg_attrdef
        } else if (def.rfind("nextval(", 0) == 0) {
          c.autoincrement = true;  // SERIAL: a sequence default (https://www.postgresql.org/docs/current/datatype-numeric.html#DATATYPE-SERIAL)
        } else {
          c.default_sql = def, c.default_value = literal_default(def, c.type);
        }
      }
      if (!identity.empty()) c.autoincrement = true;
      t.columns.push_back(std::move(c));
    }

    // Constraints, one row per key column, in key order (unnest WITH ORDINALITY).
    std::map<std::string, ReflectedForeignKey> fks;
    std::map<std::string, UniqueConstraint> uniques;
    for (auto& r : q("SELECT con.conname::text, con.contype::text, a.attname::text, fa.attname::text, fc.relname::text,"
                     " con.confdeltype::text, con.confupdtype::text,"
                     " CASE WHEN con.contype = 'c' THEN pg_catalog.pg_get_constraintdef(con.oid) END"
                     " FROM pg_catalog.pg_constraint con"
                     " LEFT JOIN LATERAL unnest(con.conkey, con.confkey) WITH ORDINALITY AS k(attnum, fattnum, i) ON true"
                     " LEFT JOIN pg_catalog.pg_attribute a ON a.attrelid = con.conrelid AND a.attnum = k.attnum"
                     " LEFT JOIN pg_catalog.pg_attribute fa ON fa.attrelid = con.confrelid AND fa.attnum = k.fattnum"
                     " LEFT JOIN pg_catalog.pg_class fc ON fc.oid = con.confrelid" +
                         scoped(of_table, "con.conrelid") + " AND con.contype IN ('p', 'u', 'f', 'c') ORDER BY con.conname, k.i",
                     t_param)) {
      std::string cname = text_of(r[0]), type = text_of(r[1]);
      if (type == "p") {
        t.primary_key.name = cname, t.primary_key.columns.push_back(text_of(r[2]));
      } else if (type == "u") {
        auto& u = uniques[cname];
        u.name = cname, u.columns.push_back(text_of(r[2]));
      } else if (type == "f") {
        auto& fk = fks[cname];
        fk.name = cname, fk.ref_table = text_of(r[4]);
        fk.on_delete = map_action(text_of(r[5])), fk.on_update = map_action(text_of(r[6]));
        fk.columns.push_back(text_of(r[2])), fk.ref_columns.push_back(text_of(r[3]));
      } else if (type == "c") {
        if (std::any_of(t.checks.begin(), t.checks.end(), [&](auto& c) { return c.name == cname; })) continue;
        std::string def = text_of(r[7]);  // "CHECK ((a > 0))" [NOT VALID]
        if (auto nv = def.rfind(" NOT VALID"); nv != std::string::npos && nv + 10 == def.size()) def.resize(nv);
        if (def.rfind("CHECK ", 0) == 0) def = std::string(strip_parens(def.substr(6)));
        t.checks.push_back({def, cname});
      }
    }
    for (auto& [n, fk] : fks) t.foreign_keys.push_back(std::move(fk));
    for (auto& [n, u] : uniques) t.uniques.push_back(std::move(u));

    // Indexes that back no constraint; expression (attnum 0) and partial ones are left out.
    std::map<std::string, Index> indexes;
    std::vector<std::string> skipped;
    for (auto& r : q("SELECT i.relname::text, ix.indisunique::int, a.attname::text, (ix.indpred IS NOT NULL)::int"
                     " FROM pg_catalog.pg_index ix JOIN pg_catalog.pg_class i ON i.oid = ix.indexrelid"
                     " CROSS JOIN LATERAL unnest(ix.indkey::int2[]) WITH ORDINALITY AS k(attnum, i)"
                     " LEFT JOIN pg_catalog.pg_attribute a ON a.attrelid = ix.indrelid AND a.attnum = k.attnum" +
                         scoped(of_table, "ix.indrelid") +
                         " AND k.i <= ix.indnkeyatts AND NOT EXISTS (SELECT 1 FROM pg_catalog.pg_constraint con"
                         " WHERE con.conindid = ix.indexrelid AND con.contype IN ('p', 'u', 'x')) ORDER BY i.relname, k.i",
                     t_param)) {
      std::string iname = text_of(r[0]);
      if (r[2].is_null() || int_of(r[3])) skipped.push_back(iname);
      auto& ix = indexes[iname];
      ix.name = iname, ix.unique = int_of(r[1]) != 0, ix.columns.push_back(text_of(r[2]));
    }
    for (auto& [n, ix] : indexes)
      if (std::find(skipped.begin(), skipped.end(), n) == skipped.end()) t.indexes.push_back(std::move(ix));
    fold_type_checks(t);
    sort_parts(t);
    return t;
  }

  SqlType normal_type(const SqlType& t, bool autoincrement_key) const override {
    (void)autoincrement_key;
    return t;
  }
};

}  // namespace athanor::detail
