// athanor/dialect/sqlite.hpp — the SQLite dialect.
// User notes: types follow SQLite's affinity rules (https://sqlite.org/datatype3.html):
// Date/DateTime/Time are ISO-8601 text, Boolean is 0/1, Uuid is its 36-character text, Json
// is TEXT (kept byte for byte), Numeric has NUMERIC affinity (exact only up to 15 significant
// digits). Foreign keys are enforced (PRAGMA foreign_keys=ON on every connection). There is
// no FOR UPDATE.
#pragma once

#include <athanor/dialect/ansi.hpp>

namespace athanor {

/// The SQL flavour of SQLite (RETURNING needs ≥ 3.35).
/// **Example**: `Compiler(SqliteDialect{}).compile(select(users).node()).sql`
class SqliteDialect : public Dialect {
 public:
  SqliteDialect() {
    caps_.for_update = false;  // SQLite locks the database, not rows
    caps_.native_boolean = false;
    // No parentheses around a compound's members; UNION, INTERSECT and EXCEPT bind alike
    // (https://sqlite.org/lang_select.html#compound_select_statements).
    caps_.parenthesised_compound_members = false;
    caps_.intersect_binds_tighter = false;
    // Only UNION ALL keeps duplicates (https://sqlite.org/lang_select.html#compound_select_statements).
    caps_.intersect_except_all = false;
    caps_.max_params = 32766;  // SQLITE_MAX_VARIABLE_NUMBER since 3.32
    caps_.nan = false;         // a NaN would be stored as NULL: the driver refuses it (DataError)
    caps_.in_process = true;
    caps_.cheap_last_insert_id = true;  // sqlite3_last_insert_rowid: no RETURNING needed for one row
    caps_.strict_types = false;  // type affinity stores 'abc' in an INTEGER column (https://sqlite.org/datatype3.html)
  }
  std::string_view name() const override { return "sqlite"; }
  std::string_view display_name() const override { return "SQLite"; }

  void type_name(std::string& out, const SqlType& t) const override {
    switch (t.kind) {
      case TypeKind::uuid: out += "CHAR(36)"; break;
      // TEXT affinity: a declared JSON has NUMERIC affinity, which turns the documents "0" or
      // "2.50" into numbers (https://sqlite.org/datatype3.html#determination_of_column_affinity).
      case TypeKind::json: out += "TEXT"; break;
      case TypeKind::datetime: out += "DATETIME"; break;
      case TypeKind::double_: out += "DOUBLE"; break;
      default: Dialect::type_name(out, t);
    }
  }
  /// CAST converts to the affinity of the type name (https://sqlite.org/lang_expr.html#castexpr):
  /// DATE or DATETIME would be NUMERIC affinity, which reads '2024-01-31' as 2024; dates and
  /// times are ISO text here, so they are cast to TEXT. NUMERIC has no precision.
  void cast_type_name(std::string& out, const SqlType& t) const override {
    switch (t.kind) {
      case TypeKind::date:
      case TypeKind::datetime:
      case TypeKind::time: out += "TEXT"; break;
      case TypeKind::numeric: out += "NUMERIC"; break;
      default: type_name(out, t);
    }
  }
  /// A rowid alias needs the declared type to be exactly INTEGER, whatever the integer width
  /// (https://sqlite.org/lang_createtable.html#rowid): BIGINT PRIMARY KEY would not autoincrement.
  void autoincrement_type(std::string& out, const SqlType&) const override { out += "INTEGER"; }

  /// OFFSET needs a LIMIT in SQLite; -1 means none (https://sqlite.org/lang_select.html#limitoffset).
  void limit_offset(Compiler& c, const Expr& limit, const Expr& offset) const override {
    if (limit) {
      c.out() += " LIMIT ", c.expr(limit);
    } else if (offset) {
      c.out() += " LIMIT -1";
    }
    if (offset) c.out() += " OFFSET ", c.expr(offset);
  }
  /// json_each turns one bound JSON array into rows (https://sqlite.org/json1.html#jeach).
  void in_array(Compiler& c, const detail::ExprNode& n) const override {
    c.operand(n.args[0]), c.out() += (n.flags & 1) ? " NOT IN (SELECT value FROM json_each(" : " IN (SELECT value FROM json_each(";
    c.expr(n.args[1]), c.out() += "))";
  }
  /// The portable functions in SQLite's words (https://sqlite.org/lang_corefunc.html,
  /// https://sqlite.org/lang_datefunc.html). round() is native: it rounds half away from zero.
  void portable_function(Compiler& c, const detail::ExprNode& f) const override {
    using detail::fn_arg;
    const auto& a = f.args;
    const std::string& n = f.text;
    if (n == "round") {
      c.out() += "round(", c.arguments(a), c.out() += ')';
    } else if (n == "ceil" || n == "floor") {
      // ceil()/floor() exist only when SQLite is built with SQLITE_ENABLE_MATH_FUNCTIONS
      // (https://sqlite.org/lang_mathfunc.html): from CAST(x AS INTEGER), which cuts toward
      // zero, plus or minus one. Beyond 2^52 every double is whole (and CAST would saturate).
      bool ceil = n == "ceil";
      c.out() += "CASE WHEN abs(", fn_arg(c, a[0]), c.out() += ") >= 4503599627370496.0 THEN ", fn_arg(c, a[0]);
      c.out() += " WHEN ", fn_arg(c, a[0]), c.out() += ceil ? " > CAST(" : " < CAST(", fn_arg(c, a[0]);
      c.out() += " AS INTEGER) THEN CAST(", fn_arg(c, a[0]), c.out() += ceil ? " AS INTEGER) + 1.0" : " AS INTEGER) - 1.0";
      c.out() += " ELSE CAST(CAST(", fn_arg(c, a[0]), c.out() += " AS INTEGER) AS REAL) END";
    } else if (n == "mod") {
      // mod() is a math function on doubles; % is the integer remainder (NULL for 0).
      c.out() += '(', fn_arg(c, a[0]), c.out() += " % ", fn_arg(c, a[1]), c.out() += ')';
    } else if (n == "greatest" || n == "least") {
      // Scalar max()/min() of several arguments: NULL when any argument is NULL.
      c.out() += n == "greatest" ? "max(" : "min(", c.arguments(a), c.out() += ')';
    } else if (n == "extract") {
      // strftime() reads the ISO 8601 text Date/DateTime/Time are stored as; %w is 0 = Sunday.
      // The ISO week is that of the week's Thursday: its day of the year, in sevens (%V only
      // arrived in SQLite 3.46).
      const std::string& field = detail::extract_field(*this, f);
      auto part = [&](const char* fmt) { c.out() += "CAST(strftime('", c.out() += fmt, c.out() += "', ", c.expr(a[1]), c.out() += ") AS INTEGER)"; };
      if (field == "quarter") {
        c.out() += "((", part("%m"), c.out() += " + 2) / 3)";  // whole: it may be an operand
      } else if (field == "week") {
        c.out() += "((CAST(strftime('%j', date(", c.expr(a[1]), c.out() += ", '-3 days', 'weekday 4')) AS INTEGER) - 1) / 7 + 1)";
      } else {
        static constexpr std::pair<std::string_view, const char*> formats[] = {
            {"year", "%Y"}, {"month", "%m"}, {"day", "%d"}, {"hour", "%H"}, {"minute", "%M"}, {"second", "%S"}, {"dow", "%w"}, {"doy", "%j"}};
        for (auto& [name, fmt] : formats)
          if (name == field) part(fmt);
      }
    } else {
      Dialect::portable_function(c, f);
    }
  }
  /// SQLite's transactions are always serializable (https://sqlite.org/isolation.html): one
  /// writer at a time, and a reader sees one snapshot. READ UNCOMMITTED exists only between
  /// connections of one shared cache (PRAGMA read_uncommitted), which athanor does not open, and
  /// a weaker level cannot be had: those are refused rather than silently made serializable.
  std::vector<std::string> begin_statements(std::optional<IsolationLevel> level) const override {
    if (level && *level != IsolationLevel::serializable) {
      unsupported("isolation level " + std::string(sql_name(*level)) + " (its transactions are always SERIALIZABLE)",
                  "leave the level unset or ask for serializable");
    }
    return {std::string(begin_sql())};
  }
  std::string has_table_sql() const override {
    return "SELECT name FROM sqlite_master WHERE type = 'table' AND name = ?";
  }
};

}  // namespace athanor
