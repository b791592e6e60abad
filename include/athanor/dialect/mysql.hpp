// athanor/dialect/mysql.hpp — the MySQL/MariaDB dialect: backtick quoting, MySQL type names,
// LIMIT/OFFSET, ON DUPLICATE KEY UPDATE, and the capability flags of MariaDB ≥ 10.5.
// The engine picks it for `mysql://` and `mariadb://` URLs; core never names it.
//
// User notes
// - Types: String{n} is VARCHAR(n) and needs its length (String{} is an ArgumentError: use
//   String{n} or Text{}); Text is LONGTEXT and LargeBinary LONGBLOB (values up to 4 GiB, as
//   max_allowed_packet allows); Boolean is BOOL (TINYINT(1): read back as an integer, turned
//   into bool by the column type); Numeric{p, s} is DECIMAL(p,s); Uuid is CHAR(36); Json is
//   JSON (on MariaDB an alias of LONGTEXT with a validity check); Enum is VARCHAR plus a CHECK.
// - Time: DateTime is DATETIME(6) (microseconds) for both DateTimeType{} and DateTimeType{true};
//   every connection sets `time_zone = '+00:00'`, so now() and stored values are UTC, and the
//   2038 limit of TIMESTAMP does not apply. Time is TIME(6).
// - DDL is not transactional: CREATE/DROP commit the open transaction implicitly
//   (https://mariadb.com/kb/en/sql-statements-that-cause-an-implicit-commit/).
// - Strings compare and sort with the collation of their table (the server's default is
//   usually case-insensitive, e.g. utf8mb4_general_ci), unlike SQLite and PostgreSQL.
// - Differences the compiler handles: no NULLS FIRST/LAST (emulated with `x IS NULL`), no
//   FULL OUTER JOIN (ArgumentError), no UPDATE … RETURNING (ArgumentError; INSERT and DELETE
//   … RETURNING need MariaDB ≥ 10.5), upsert is ON DUPLICATE KEY UPDATE on any unique key (the
//   conflict columns are not named), doubles cannot hold NaN or ±infinity, an IN list bound
//   as one array needs JSON_TABLE (MariaDB ≥ 10.6, MySQL ≥ 8.0.4).
// - Identifiers (tables, columns, indexes, constraints, labels) longer than 64 characters,
//   or holding a character beyond U+FFFF (an emoji), are refused with an ArgumentError.
// - Connections run with a strict sql_mode (bad values are errors, not warnings) and without
//   NO_BACKSLASH_ESCAPES, so DDL literals escape backslashes.
#pragma once

#include <string>       // std::string
#include <string_view>  // std::string_view

#include <athanor/dialect/ansi.hpp>

namespace athanor {

/// The SQL flavour of MySQL and MariaDB (version differences are capability flags here).
/// **Example**: `Compiler(MysqlDialect{}).compile(select(users).node()).sql`
class MysqlDialect : public Dialect {
 public:
  MysqlDialect() {
    // MariaDB ≥ 10.5 has INSERT … RETURNING (https://mariadb.com/kb/en/insertreturning/) and
    // DELETE … RETURNING (10.0), but no UPDATE … RETURNING; MySQL has none of them.
    caps_.returning_update = false;
    // No NULLS FIRST/LAST: NULLs sort first ascending (https://mariadb.com/kb/en/null-values/#ordering).
    caps_.nulls_ordering = false;
    // No FULL OUTER JOIN (https://mariadb.com/kb/en/join-syntax/).
    caps_.full_outer_join = false;
    // `/` of two integers is an exact DECIMAL (7 / 2 = 3.5000); DIV truncates toward zero as
    // SQLite, PostgreSQL and C++ do (https://mariadb.com/kb/en/div/).
    caps_.integer_divide = "DIV";
    // `A EXCEPT (SELECT 1, 1 UNION …)`: "Duplicate column name '1'".
    caps_.compound_group_unique_names = true;
    // INTERSECT ALL / EXCEPT ALL came with MariaDB 10.5 (https://mariadb.com/kb/en/intersect/)
    // and MySQL 8.0.31, the versions this dialect assumes: kept on.
    // WITH heads a SELECT only, not an UPDATE or DELETE (MariaDB 10.11: syntax error; a
    // subquery may start with WITH, https://mariadb.com/kb/en/with/): the CTEs go there.
    caps_.cte_before_dml = false;
    // BOOL is TINYINT(1): values come back as integers (https://mariadb.com/kb/en/boolean/).
    caps_.native_boolean = false;
    // `\` escapes in LIKE patterns, even with ESCAPE '' (https://mariadb.com/kb/en/like/).
    caps_.like_backslash_escape = true;
    // DDL commits implicitly (https://mariadb.com/kb/en/sql-statements-that-cause-an-implicit-commit/).
    caps_.transactional_ddl = false;
    // ON DUPLICATE KEY UPDATE reacts to any unique key; no conflict target can be named
    // (https://mariadb.com/kb/en/insert-on-duplicate-key-update/).
    caps_.upsert_conflict_target = false;
    // FLOAT/DOUBLE reject NaN and ±inf (https://mariadb.com/kb/en/double/).
    caps_.infinity = false;
    caps_.nan = false;
    // The protocol counts parameters in 16 bits (https://dev.mysql.com/doc/dev/mysql-server/latest/page_protocol_com_stmt_prepare.html).
    caps_.max_params = 65535;
    // insert_rows_max stays at 512 rows: at 2048 (and 1024) a new connection's first flush
    // prepares statements of up to 6 144 placeholders, whose parameter descriptions the server
    // sends one packet each (mysql_stmt_prepare: 10.8 M client instructions in a 10 000-row
    // W1, +17 % in all at 2048, +6 % at 1024, callgrind), and W1 was no faster in wall-clock
    // time (A/B runs alternating 512 and 2048 rows, 5 pairs). A chunk stays under
    // max_allowed_packet too (the flush asks the driver for it).
    // Names of tables, columns, indexes and constraints are at most 64 characters
    // (https://mariadb.com/kb/en/identifier-names/#maximum-length); aliases may be longer,
    // but every identifier athanor quotes is held to the same limit.
    caps_.max_identifier_length = 64;
    caps_.identifier_length_in_characters = true;
    // Identifiers are stored as utf8mb3, whatever the connection's character set
    // (https://mariadb.com/kb/en/identifier-names/: quoted names take U+0001 to U+FFFF).
    caps_.identifiers_bmp_only = true;
    // Frame offsets must be literals ("syntax error near '? PRECEDING'", MariaDB 10.11), and
    // LAG/LEAD take (expr[, offset]) only (https://mariadb.com/kb/en/lag/): the default is emulated.
    caps_.window_frame_binds = false;
    caps_.lag_lead_default = false;
    caps_.aggregate_left_of_in_select = false;
    // MariaDB 10.11 rounds a fractional constant to look it up in an integer column's index:
    // `SELECT count(*) FROM t WHERE v = 2.5` counts a row holding 2 (literal or prepared), where
    // `v = CAST(2.5 AS DOUBLE)` counts none and still uses the index.
    caps_.index_lookup_keeps_fractions = false;
    // A window function over a merged derived table or CTE whose rows an IN (SELECT …) (or a
    // JSON_TABLE IN list) filters: MariaDB 10.11 returns no row, or a row too many, where the
    // same statement with the derived table materialised is right; SET STATEMENT scopes that
    // to the one statement (https://mariadb.com/kb/en/set-statement/).
    // A FROM-less correlated subquery with a WHERE (`SELECT a1.id, (SELECT count(*) WHERE
    // a1.id > 2) FROM t AS a1`, written by Core when the WHERE reads the outer row through a
    // nested subquery) answers 0 / no row on every outer row after the first one whose WHERE
    // was false, with or without FROM DUAL; a one-row derived table makes it right.
    caps_.where_without_from = false;
    caps_.window_with_semi_join_switch = "derived_merge=off";
    // A BIGINT (or any integer expression, or bound integer) NOT IN (SELECT int_col …): a
    // value beyond INT was "not found", so NOT IN gave 1 where int_col holds a NULL (NULL is
    // right), through a materialised subquery (partial match) and through index_subquery
    // alike; with the column CAST AS SIGNED it is right.
    caps_.wide_left_of_in_select = false;
    // A constant column of a merged derived table or CTE on the NULL side of an outer join
    // (also through another derived table around that join): min()/max() of it, and any window
    // function of it, read the constant on NULL-extended rows (`max(d.c)` over `LEFT JOIN
    // (SELECT 'abc' AS c …) AS d ON false` is 'abc'; count(d.c) OVER () counts every row), with
    // or without GROUP BY, literal or prepared; plain columns, count(), sum() and expressions
    // over the column are right, and so is `max(coalesce(d.c))`.
    caps_.derived_column_as_aggregate_argument = false;
    // In correlated subqueries the constant leaks even through coalesce(): such a statement
    // keeps its derived tables unmerged (SET STATEMENT, as for windows with IN (SELECT …)).
    caps_.null_side_derived_switch = "derived_merge=off";
    // HAVING without GROUP BY over a join that yields no row (`… FROM t1 JOIN t2 ON t2.f = 7
    // HAVING max(t1.id) IS NOT NULL`): min()/max() of an indexed column of t1 there read the
    // index's first/last key instead of NULL, so the one group was kept; in the select list, or
    // with `max(coalesce(t1.id))`, or with GROUP BY, it is right.
    caps_.having_min_max_of_column = false;
    // SELECT DISTINCT of constants (values, or a derived table's constant columns) with an
    // OFFSET: one row whatever the OFFSET (`SELECT DISTINCT 'b' FROM t LIMIT 10 OFFSET 4`), with
    // or without GROUP BY, literal or prepared; the same select as a derived table, with the
    // OFFSET outside, is right.
    caps_.distinct_constants_offset = false;
    // A window whose keys are all constants beside one with PARTITION BY and no ORDER BY:
    // `SELECT i, sum(1) OVER (PARTITION BY i), rank() OVER (ORDER BY 3) FROM t` (also PARTITION
    // BY 3, a derived table's constant column, CAST or coalesce of a constant) gives sums of
    // parts of the partitions; `OVER ()` there, or an ORDER BY a column, is right.
    caps_.window_constant_keys = false;
  }
  std::string_view name() const override { return "mysql"; }
  std::string_view display_name() const override { return "MySQL/MariaDB"; }

  /// Backticks, an embedded one doubled (https://mariadb.com/kb/en/identifier-names/);
  /// ANSI_QUOTES is not assumed, so "…" would be a string.
  void quote(std::string& out, std::string_view ident) const override {
    check_identifier(ident);
    out += '`';
    for (char c : ident) (c == '`' ? out += "``" : out += c);
    out += '`';
  }

  /// MySQL type names (https://mariadb.com/kb/en/data-types/).
  void type_name(std::string& out, const SqlType& t) const override {
    switch (t.kind) {
      // VARCHAR needs a length (https://mariadb.com/kb/en/varchar/); guessing one would
      // truncate or waste the index limit, so String{} is refused.
      case TypeKind::string:
      case TypeKind::enum_:
        if (t.length <= 0) unsupported("VARCHAR without a length", "use String{n} or Text{}");
        out += "VARCHAR(" + std::to_string(t.length) + ")";
        break;
      // TEXT holds 64 KiB only; LONGTEXT/LONGBLOB hold 4 GiB (https://mariadb.com/kb/en/longtext/).
      case TypeKind::null:
      case TypeKind::text: out += "LONGTEXT"; break;
      case TypeKind::binary: out += "LONGBLOB"; break;
      case TypeKind::boolean: out += "BOOL"; break;
      case TypeKind::float_: out += "FLOAT"; break;
      case TypeKind::double_: out += "DOUBLE"; break;
      case TypeKind::numeric:
        out += "DECIMAL(" + std::to_string(t.precision) + "," + std::to_string(t.scale) + ")";
        break;
      // DATETIME, not TIMESTAMP: no 2038 limit and no conversion; the session zone is UTC.
      // (6) keeps microseconds (https://mariadb.com/kb/en/datetime/).
      case TypeKind::datetime: out += "DATETIME(6)"; break;
      case TypeKind::time: out += "TIME(6)"; break;
      // No UUID type before MariaDB 10.7 and none in MySQL: the 36-character text.
      case TypeKind::uuid: out += "CHAR(36)"; break;
      default: Dialect::type_name(out, t);
    }
  }
  /// CAST takes its own, shorter list of types (https://mariadb.com/kb/en/cast/).
  void cast_type_name(std::string& out, const SqlType& t) const override {
    switch (t.kind) {
      case TypeKind::integer:
      case TypeKind::big_integer:
      case TypeKind::small_integer:
      case TypeKind::boolean: out += "SIGNED"; break;
      case TypeKind::float_:
      case TypeKind::double_: out += "DOUBLE"; break;
      case TypeKind::numeric:
        // No precision (a bound Decimal, cast<Decimal>()): the widest DECIMAL MySQL and MariaDB
        // both take, as a bare DECIMAL is DECIMAL(10,0) and would round to an integer.
        if (t.precision <= 0) out += "DECIMAL(65,30)";
        else out += "DECIMAL(" + std::to_string(t.precision) + "," + std::to_string(t.scale) + ")";
        break;
      case TypeKind::binary: out += "BINARY"; break;
      case TypeKind::date: out += "DATE"; break;
      case TypeKind::datetime: out += "DATETIME(6)"; break;
      case TypeKind::time: out += "TIME(6)"; break;
      case TypeKind::string:
      case TypeKind::enum_:
        out += t.length > 0 ? "CHAR(" + std::to_string(t.length) + ")" : "CHAR";
        break;
      default: out += "CHAR"; break;  // text, json, uuid, null
    }
  }
  /// AUTO_INCREMENT is a column attribute after the type (https://mariadb.com/kb/en/auto_increment/).
  void autoincrement_type(std::string& out, const SqlType& t) const override {
    type_name(out, t);
    out += " AUTO_INCREMENT";
  }
  /// Inside '…' a backslash escapes unless NO_BACKSLASH_ESCAPES is set, which athanor's
  /// connections do not set (https://mariadb.com/kb/en/string-literals/): double it too.
  void literal(std::string& out, const Value& v) const override {
    if (v.holds<std::string>() || v.holds<Json>() || v.holds<Bytes>()) {
      std::string s = detail::value_to_text(v);
      if (s.find('\0') != std::string::npos) throw ArgumentError("[athanor.argument.literal] a DDL literal contains a NUL byte");
      out += '\'';
      for (char c : s) (c == '\'' ? out += "''" : c == '\\' ? out += "\\\\" : out += c);
      out += '\'';
      return;
    }
    Dialect::literal(out, v);  // numbers, dates, UUIDs: no quote or backslash in their text
  }

  /// OFFSET needs a LIMIT; the largest one stands for none, as the manual advises
  /// (https://dev.mysql.com/doc/refman/8.0/en/select.html, "LIMIT 95,18446744073709551615").
  void limit_offset(Compiler& c, const Expr& limit, const Expr& offset) const override {
    if (limit) {
      c.out() += " LIMIT ", c.expr(limit);
    } else if (offset) {
      c.out() += " LIMIT 18446744073709551615";
    }
    if (offset) c.out() += " OFFSET ", c.expr(offset);
  }
  /// `||` is OR unless PIPES_AS_CONCAT (https://mariadb.com/kb/en/concat/).
  void concat(Compiler& c, const Expr& a, const Expr& b) const override {
    c.out() += "CONCAT(", c.expr(a), c.out() += ", ", c.expr(b), c.out() += ')';
  }
  /// now() is UTC_TIMESTAMP(6), length(x) CHAR_LENGTH(x), avg(x) of a non-Decimal x
  /// avg(CAST(x AS DOUBLE)), excluded(col) VALUES(col); the rest as in Dialect::function.
  void function(Compiler& c, const detail::ExprNode& f) const override {
    if (f.text == "now" && f.args.empty()) {
      // NOW() follows the session zone and drops microseconds; this is UTC with them
      // (https://mariadb.com/kb/en/utc_timestamp/).
      c.out() += "UTC_TIMESTAMP(6)";
    } else if (f.text == "length" && f.args.size() == 1) {
      // LENGTH counts bytes; CHAR_LENGTH counts characters (https://mariadb.com/kb/en/char_length/).
      c.out() += "CHAR_LENGTH(", c.expr(f.args[0]), c.out() += ')';
    } else if (f.text == "avg" && f.args.size() == 1 && f.args[0].type().kind != TypeKind::numeric &&
               f.args[0].node().text != "DISTINCT ") {
      // AVG of integers is a DECIMAL with div_precision_increment (4) more places: 6.9831, where
      // the others give 6.983050847… (https://mariadb.com/kb/en/div_precision_increment/). Over
      // doubles it is the double the others give; a Decimal's average stays exact.
      c.out() += "avg(CAST(", c.expr(f.args[0]), c.out() += " AS DOUBLE))";
    } else if (f.text == "__excluded" && f.args.size() == 1 && f.args[0].node().kind == detail::ExprKind::raw) {
      // The proposed row is VALUES(col) (https://mariadb.com/kb/en/values-value/).
      c.out() += "VALUES(", c.ident(f.args[0].node().text), c.out() += ')';
    } else {
      Dialect::function(c, f);
    }
  }
  /// The portable functions in MariaDB's words.
  void portable_function(Compiler& c, const detail::ExprNode& f) const override {
    const auto& a = f.args;
    const std::string& n = f.text;
    if (n == "round" && a[0].type().kind != TypeKind::numeric) {
      // ROUND of a double rounds half to even (rint; https://mariadb.com/kb/en/round/): the
      // double is rounded as DECIMAL, half away from zero, and read back as a double. Beyond
      // 2^52 a double is whole, and DECIMAL(65,30) would clamp it.
      c.out() += "CASE WHEN ABS(", c.expr(a[0]), c.out() += ") >= 4503599627370496 THEN ", c.expr(a[0]);
      c.out() += " ELSE CAST(ROUND(CAST(", c.expr(a[0]), c.out() += " AS DECIMAL(65,30))";
      if (a.size() > 1) c.out() += ", ", c.expr(a[1]);
      c.out() += ") AS DOUBLE) END";
    } else if (n == "round") {
      c.out() += "ROUND(", c.arguments(a), c.out() += ')';
    } else if (n == "extract") {
      // One function per field (https://mariadb.com/kb/en/date-time-functions/): DAYOFWEEK is
      // 1 = Sunday, WEEK(x, 3) the ISO 8601 week.
      const std::string& field = detail::extract_field(*this, f);
      static constexpr std::pair<std::string_view, const char*> names[] = {
          {"year", "YEAR("}, {"month", "MONTH("}, {"day", "DAYOFMONTH("}, {"hour", "HOUR("}, {"minute", "MINUTE("},
          {"second", "SECOND("}, {"dow", "DAYOFWEEK("}, {"doy", "DAYOFYEAR("}, {"quarter", "QUARTER("}, {"week", "WEEK("}};
      if (field == "dow") c.out() += '(';  // whole: it may be an operand
      for (auto& [name, sql] : names)
        if (name == field) c.out() += sql;
      c.expr(a[1]);
      c.out() += field == "week" ? ", 3)" : field == "dow" ? ") - 1)" : ")";
    } else if (n == "current_date") {
      c.out() += "UTC_DATE()";  // CURRENT_DATE follows the session zone (UTC here, but not by its word)
    } else {
      Dialect::portable_function(c, f);
    }
  }
  /// ON DUPLICATE KEY UPDATE (https://mariadb.com/kb/en/insert-on-duplicate-key-update/).
  /// "Do nothing" is a no-op update of one key column: INSERT IGNORE would also turn NOT NULL,
  /// foreign-key and data errors into warnings.
  void upsert(Compiler& c, const detail::InsertNode& n) const override {
    c.out() += " ON DUPLICATE KEY UPDATE ";
    bool q = c.qualify;
    c.qualify = false;
    if (n.upsert_set.empty()) {
      const std::string& col = !n.conflict_columns.empty()   ? n.conflict_columns[0]
                               : !n.table->primary_key.empty() ? n.table->primary_key[0]
                               : !n.columns.empty()            ? n.columns[0]
                                                               : n.table->columns.at(0).name;
      c.ident(col), c.out() += " = ", c.ident(col);
    } else {
      for (std::size_t i = 0; i < n.upsert_set.size(); ++i) {
        if (i) c.out() += ", ";
        c.ident(n.upsert_set[i].first), c.out() += " = ", c.expr(n.upsert_set[i].second);
      }
    }
    c.qualify = q;
  }
  /// JSON_TABLE turns the bound JSON array into rows, typed like the left side so that the
  /// comparison uses its collation and conversions (MariaDB ≥ 10.6, MySQL ≥ 8.0.4;
  /// https://mariadb.com/kb/en/json_table/).
  void in_array(Compiler& c, const detail::ExprNode& n) const override {
    c.left_of_in_select(n.args[0]);
    c.out() += (n.flags & 1) ? " NOT IN (SELECT v FROM JSON_TABLE(" : " IN (SELECT v FROM JSON_TABLE(";
    c.expr(n.args[1]);
    c.out() += ", '$[*]' COLUMNS (v ";
    const SqlType& t = n.args[0].type();
    switch (t.kind) {
      case TypeKind::integer:
      case TypeKind::big_integer:
      case TypeKind::small_integer:
      case TypeKind::boolean: c.out() += "BIGINT"; break;
      case TypeKind::float_:
      case TypeKind::double_:
      case TypeKind::numeric:
      case TypeKind::date:
      case TypeKind::datetime:
      case TypeKind::time: type_name(c.out(), t); break;
      default: c.out() += "LONGTEXT"; break;  // strings, UUIDs, JSON, unknown
    }
    c.out() += " PATH '$')) AS athanor_in)";
  }
  /// No DEFAULT VALUES clause; an empty column list does it (https://mariadb.com/kb/en/insert/).
  void insert_default_values(std::string& out) const override { out += " () VALUES ()"; }
  /// BEGIN is also a compound-statement keyword; START TRANSACTION is unambiguous
  /// (https://mariadb.com/kb/en/start-transaction/).
  std::string_view begin_sql() const override { return "START TRANSACTION"; }
  /// START TRANSACTION takes no isolation level: SET TRANSACTION (without SESSION) sets it for
  /// the next transaction only (https://mariadb.com/kb/en/set-transaction/).
  std::vector<std::string> begin_statements(std::optional<IsolationLevel> level) const override {
    if (!level) return {std::string(begin_sql())};
    return {"SET TRANSACTION ISOLATION LEVEL " + std::string(sql_name(*level)), std::string(begin_sql())};
  }
  /// An engine's level is the session's, set once per connection: no statement more per transaction.
  std::string connection_isolation_sql(IsolationLevel level) const override {
    return "SET SESSION TRANSACTION ISOLATION LEVEL " + std::string(sql_name(level));
  }
  /// Tables of the current database (https://mariadb.com/kb/en/information-schema-tables-table/).
  std::string has_table_sql() const override {
    return "SELECT TABLE_NAME FROM information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = ?";
  }
};

}  // namespace athanor
