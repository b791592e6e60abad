// athanor/dialect/postgresql.hpp — the PostgreSQL dialect: `$n` placeholders, PostgreSQL type
// names, SERIAL keys, native ILIKE, RETURNING of generated keys, ON CONFLICT upserts.
// The engine picks it for `postgresql://` and `postgres://` URLs; core never names it.
//
// User notes
// - Types: Integer/BigInteger/SmallInteger are INTEGER/BIGINT/SMALLINT, and SERIAL/BIGSERIAL/
//   SMALLSERIAL when they are a lone autoincrementing primary key; Double is DOUBLE PRECISION
//   and Float REAL (both store NaN and ±Infinity); Numeric{p, s} is NUMERIC(p, s), read back
//   exactly as a Decimal; String{n} is VARCHAR(n) and String{} VARCHAR (no limit); LargeBinary
//   is BYTEA (bound in binary form); Uuid is UUID; Enum is VARCHAR plus a CHECK constraint.
// - Json is JSONB, not JSON: JSONB has equality and GIN indexing, and DISTINCT / GROUP BY work
//   on it; the price is that PostgreSQL normalises the text (key order, whitespace, duplicate
//   keys), so a document reads back equal in meaning, not byte for byte
//   (https://www.postgresql.org/docs/current/datatype-json.html).
// - Time: DateTimeType{} is TIMESTAMP, DateTimeType{true} TIMESTAMP WITH TIME ZONE. Every
//   connection sets `TimeZone = 'UTC'`, so both read back as the same UTC instant and now()
//   is UTC; DateTime values are bound as UTC text. Times are TIME (microseconds).
// - Bound values carry their own type (the driver declares it at PREPARE): integers are
//   INTEGER, or BIGINT beyond 32 bits, doubles DOUBLE PRECISION, and so on, so `int_col / 2.5`
//   and `int_col > 1071.5` compute as written. Strings are untyped, like quoted literals: a
//   string compared with a DATE, UUID or enum column is read as that type. A double bound to
//   a NUMERIC column is converted with 15 significant digits (PostgreSQL's float8 → numeric);
//   bind a Decimal for exact digits.
// - Generated keys come back through `INSERT … RETURNING` (PostgreSQL has no last-insert-id),
//   which the compiler adds to single-row INSERTs by itself.
// - Identifiers longer than 63 bytes, which the server would silently cut short, are refused
//   with an ArgumentError (generated constraint names of long table names included: name
//   such constraints yourself).
// - Statements are prepared once per connection; after ALTER/DROP of a table a cached SELECT
//   is re-prepared automatically outside transactions.
#pragma once

#include <string>       // std::string
#include <string_view>  // std::string_view

#include <athanor/dialect/ansi.hpp>

namespace athanor {

/// The SQL flavour of PostgreSQL (≥ 10).
/// **Example**: `Compiler(PostgresqlDialect{}).compile(select(users).node()).sql`
class PostgresqlDialect : public Dialect {
 public:
  PostgresqlDialect() {
    // ILIKE is native (https://www.postgresql.org/docs/current/functions-matching.html#FUNCTIONS-LIKE).
    caps_.sum_of_integers_is_numeric = true;  // https://www.postgresql.org/docs/current/functions-aggregate.html
    caps_.native_ilike = true;
    // A standby that has replayed all it received is current, however old its last replayed
    // transaction (an idle primary sends none); a primary is its own present
    // (https://www.postgresql.org/docs/current/functions-admin.html#FUNCTIONS-RECOVERY-INFO-TABLE).
    caps_.replica_lag_sql =
        "SELECT CAST(CASE WHEN NOT pg_is_in_recovery() OR pg_last_wal_receive_lsn() = pg_last_wal_replay_lsn() THEN 0 "
        "ELSE EXTRACT(EPOCH FROM now() - pg_last_xact_replay_timestamp()) END AS DOUBLE PRECISION)";
    // https://www.postgresql.org/docs/current/functions-matching.html#FUNCTIONS-LIKE
    caps_.like_backslash_escape = true;
    // libpq has no last-insert-id; INSERT … RETURNING gives generated keys in the same round
    // trip (https://www.postgresql.org/docs/current/sql-insert.html).
    caps_.implicit_returning = true;
    // The Bind message counts parameters in 16 bits
    // (https://www.postgresql.org/docs/current/protocol-message-formats.html).
    caps_.max_params = 65535;
    // insert_rows_max stays at 512 rows: the flush's 1024- and 2048-row INSERT … RETURNING made
    // W1 slower (1.3-1.8x the 500-row multi-VALUES code by hand against 0.9-1.2x at 512 rows;
    // 3 alternating runs of each on PostgreSQL 15).
    // A parameter takes its type from its context; alone in a select list it would be text,
    // and `$1 + $2` has no operator (https://www.postgresql.org/docs/current/typeconv-select.html).
    caps_.cast_bare_binds = true;
    // `$n` names its parameter: the same bound value in the select list and in GROUP BY is
    // one `$n` in both, so the server sees one expression (otherwise "must appear in the
    // GROUP BY clause"; https://www.postgresql.org/docs/current/sql-select.html#SQL-GROUPBY).
    caps_.numbered_placeholders = true;
    // Identifiers are cut to NAMEDATALEN - 1 = 63 bytes without an error, after which a name
    // that athanor looks up no longer matches (https://www.postgresql.org/docs/current/sql-syntax-lexical.html#SQL-SYNTAX-IDENTIFIERS):
    // longer ones are refused.
    caps_.max_identifier_length = 63;
  }
  std::string_view name() const override { return "postgresql"; }
  std::string_view display_name() const override { return "PostgreSQL"; }

  /// Positional `$n` placeholders (https://www.postgresql.org/docs/current/sql-expressions.html#SQL-EXPRESSIONS-PARAMETERS-POSITIONAL).
  void placeholder(std::string& out, std::size_t index) const override {
    out += '$';
    out += std::to_string(index);
  }

  /// PostgreSQL type names (https://www.postgresql.org/docs/current/datatype.html).
  void type_name(std::string& out, const SqlType& t) const override {
    switch (t.kind) {
      case TypeKind::null:
      case TypeKind::text: out += "TEXT"; break;
      // No BLOB: binary strings are BYTEA (https://www.postgresql.org/docs/current/datatype-binary.html).
      case TypeKind::binary: out += "BYTEA"; break;
      // JSONB rather than JSON: comparable, indexable (see the user notes above).
      case TypeKind::json: out += "JSONB"; break;
      default: Dialect::type_name(out, t);
    }
  }
  /// SERIAL types create and own a sequence for the key
  /// (https://www.postgresql.org/docs/current/datatype-numeric.html#DATATYPE-SERIAL).
  void autoincrement_type(std::string& out, const SqlType& t) const override {
    switch (t.kind) {
      case TypeKind::big_integer: out += "BIGSERIAL"; break;
      case TypeKind::small_integer: out += "SMALLSERIAL"; break;
      default: out += "SERIAL"; break;
    }
  }
  /// CAST to VARCHAR(n) silently truncates in PostgreSQL (SQL standard, but surprising);
  /// strings are cast to TEXT (https://www.postgresql.org/docs/current/datatype-character.html).
  void cast_type_name(std::string& out, const SqlType& t) const override {
    if (t.kind == TypeKind::string || t.kind == TypeKind::enum_) {
      out += "TEXT";
    } else if (t.kind == TypeKind::numeric && t.precision <= 0) {
      out += "NUMERIC";  // a bound Decimal has no precision of its own
    } else {
      type_name(out, t);
    }
  }
  /// bytea literals are hex escapes ``'\x…'`` (standard_conforming_strings is on since 9.1:
  /// https://www.postgresql.org/docs/current/datatype-binary.html#DATATYPE-BINARY-BYTEA-HEX-FORMAT);
  /// non-finite doubles are the quoted words 'Infinity', '-Infinity', 'NaN'.
  void literal(std::string& out, const Value& v) const override {
    if (auto* b = std::get_if<Bytes>(&v.variant())) {
      static constexpr char hex[] = "0123456789abcdef";
      out += "'\\x";
      for (std::byte x : *b) out += hex[static_cast<unsigned>(x) >> 4], out += hex[static_cast<unsigned>(x) & 15];
      out += '\'';
    } else if (auto* d = std::get_if<double>(&v.variant()); d && !std::isfinite(*d)) {
      out += std::isnan(*d) ? "'NaN'" : *d > 0 ? "'Infinity'" : "'-Infinity'";
    } else {
      Dialect::literal(out, v);
    }
  }
  /// `$1 || $2` fails with "operator is not unique: unknown || unknown": parameters have no
  /// type of their own, so when neither side gives one, both are cast to TEXT
  /// (https://www.postgresql.org/docs/current/typeconv-oper.html).
  void concat(Compiler& c, const Expr& a, const Expr& b) const override {
    auto untyped = [](const Expr& e) {
      auto k = e.node().kind;
      return k == detail::ExprKind::bind || k == detail::ExprKind::null;
    };
    if (!untyped(a) || !untyped(b)) return Dialect::concat(c, a, b);
    c.out() += "CAST(", c.expr(a), c.out() += " AS TEXT) || CAST(", c.expr(b), c.out() += " AS TEXT)";
  }
  /// now() is the transaction's start time as timestamptz, the same as CURRENT_TIMESTAMP
  /// (https://www.postgresql.org/docs/current/functions-datetime.html#FUNCTIONS-DATETIME-CURRENT).
  void function(Compiler& c, const detail::ExprNode& f) const override {
    if (f.text == "now" && f.args.empty()) {
      c.out() += "now()";
      return;
    }
    Dialect::function(c, f);
  }
  /// The JSON array bound as one parameter is unnested with jsonb_array_elements_text, each
  /// element cast to the left side's type (text = integer has no operator), and gathered into
  /// an array: `x = ANY(ARRAY(SELECT …))`. The ARRAY is an InitPlan computed once, and
  /// `= ANY` of it is an index condition, where `IN (SELECT …)` was planned as a join over the
  /// function's rows with a guessed count of 100 (20 000 keys over 400 000 rows: 51 ms
  /// against 148 ms). `<> ALL` is NOT IN with the same answers, NULL elements and an empty
  /// list included (https://www.postgresql.org/docs/current/functions-comparisons.html).
  void in_array(Compiler& c, const detail::ExprNode& n) const override {
    c.operand(n.args[0]);
    c.out() += (n.flags & 1) ? " <> ALL(ARRAY(SELECT CAST(value AS " : " = ANY(ARRAY(SELECT CAST(value AS ";
    const SqlType& t = n.args[0].type();
    t.kind == TypeKind::null ? void(c.out() += "TEXT") : cast_type_name(c.out(), t);
    c.out() += ") FROM jsonb_array_elements_text(CAST(", c.expr(n.args[1]), c.out() += " AS JSONB))))";
  }
  /// Tables of the connection's current schema (the first of search_path that exists)
  /// (https://www.postgresql.org/docs/current/view-pg-tables.html).
  std::string has_table_sql() const override {
    return "SELECT tablename FROM pg_catalog.pg_tables WHERE schemaname = current_schema() AND tablename = $1";
  }
};

}  // namespace athanor
