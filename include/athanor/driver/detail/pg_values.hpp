// athanor/driver/detail/pg_values.hpp — athanor's Values and PostgreSQL's text format, for the
// PostgreSQL driver's out-of-line code (driver/impl/): the type a parameter is declared with,
// and a result field decoded by its type OID.
#pragma once

#include <libpq-fe.h>
#include <pqxx/util>  // pqxx::oid

#include <charconv>     // std::from_chars
#include <cstddef>      // std::byte, std::size_t
#include <cstdint>      // std::int32_t, std::int64_t
#include <limits>       // std::numeric_limits
#include <string>       // std::string
#include <string_view>  // std::string_view
#include <type_traits>  // std::is_same_v
#include <variant>      // std::monostate

#include <athanor/core/detail/chrono_text.hpp>
#include <athanor/core/detail/visit_value.hpp>
#include <athanor/core/error.hpp>
#include <athanor/core/value.hpp>

namespace athanor::driver::postgresql::detail {

/// Type OIDs of pg_type (https://github.com/postgres/postgres/blob/master/src/include/catalog/pg_type.dat).
enum Oid : pqxx::oid {
  bool_ = 16, bytea = 17, name = 19, int8 = 20, int2 = 21, int4 = 23, text = 25, oid = 26, json = 114, float4 = 700,
  float8 = 701, bpchar = 1042, varchar = 1043,
  date = 1082, time = 1083, timestamp = 1114, timestamptz = 1184, numeric = 1700, uuid = 2950, jsonb = 3802,
};

inline int hex_digit(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

/// A text parameter as libpq sends it: a C string, where a NUL byte would silently cut the
/// value short (text types cannot hold one anyway:
/// https://www.postgresql.org/docs/current/datatype-character.html). Refused, by position.
inline const std::string& text_param(const std::string& s, std::size_t position) {
  if (s.find('\0') != std::string::npos) {
    throw DataError("[athanor.data.nul] parameter $" + std::to_string(position) +
                    ": PostgreSQL text cannot contain a NUL byte (store such data in a LargeBinary column)");
  }
  return s;
}

/// The type a bound value is declared with at PREPARE, so that the server takes the value's
/// own type instead of guessing it from the other operand (which made `int_col / $1` integer
/// division for 2.5, `int_col > $1` refuse 1071.5, and `CASE … THEN $1 ELSE $2 END` text:
/// https://www.postgresql.org/docs/current/sql-prepare.html, "unspecified" parameters). Each
/// value gets the type PostgreSQL gives the same value written as a literal
/// (https://www.postgresql.org/docs/current/sql-syntax-lexical.html#SQL-SYNTAX-CONSTANTS-NUMERIC):
/// integers INTEGER when they fit, else BIGINT (so `substr(s, $1)`, `round(x, $1)` and
/// `date + $1` still find their INTEGER overloads) — except doubles, which are DOUBLE
/// PRECISION (a C++ double, not NUMERIC). Strings stay unspecified, as a quoted literal is: a
/// string compared with a DATE, UUID or enum column is read as that type. Json is JSONB (the
/// type the dialect creates), DateTime TIMESTAMP (bound as UTC text without a zone). psycopg 3
/// adapts Python values the same way (https://psycopg.org/psycopg3/docs/basic/adapt.html), but
/// from SMALLINT up: INTEGER is the floor here, so `$1 * $2` of small values cannot overflow 16 bits.
/// NULL is `any_type`: it fits a slot of any type (see Statement::find).
inline constexpr pqxx::oid any_type = ~pqxx::oid{0};
inline pqxx::oid param_type(const Value& v) {
  return athanor::detail::visit_value(
      [](const auto& x) -> pqxx::oid {
        using X = std::decay_t<decltype(x)>;
        if constexpr (std::is_same_v<X, std::monostate>) return any_type;
        else if constexpr (std::is_same_v<X, bool>) return bool_;
        else if constexpr (std::is_same_v<X, std::int64_t>) return x == static_cast<std::int32_t>(x) ? int4 : int8;
        else if constexpr (std::is_same_v<X, double>) return float8;
        else if constexpr (std::is_same_v<X, std::string>) return 0;
        else if constexpr (std::is_same_v<X, Bytes>) return bytea;
        else if constexpr (std::is_same_v<X, Decimal>) return numeric;
        else if constexpr (std::is_same_v<X, Date>) return date;
        else if constexpr (std::is_same_v<X, DateTime>) return timestamp;
        else if constexpr (std::is_same_v<X, Time>) return time;
        else if constexpr (std::is_same_v<X, Json>) return jsonb;
        else if constexpr (std::is_same_v<X, Uuid>) return uuid;
        else static_assert(!sizeof(X*), "athanor: a Value alternative without a PostgreSQL parameter type");
      },
      v);
}

/// A field in text format as the natural Value of its type; anything unknown (or outside what
/// the parsers take, e.g. 'infinity' dates) stays text.
inline Value decode(pqxx::oid type, const char* p, std::size_t n) {
  std::string_view s(p, n);
  switch (type) {
    case bool_: return Value(n > 0 && p[0] == 't');
    case int2:
    case int4:
    case int8:
    case oid: {
      std::int64_t i = 0;
      auto r = std::from_chars(p, p + n, i);
      if (r.ec == std::errc{} && r.ptr == p + n) return Value(i);
      break;
    }
    case float4:
    case float8: {
      // float8out writes "Infinity", "-Infinity", "NaN" (https://www.postgresql.org/docs/current/datatype-numeric.html#DATATYPE-FLOAT).
      if (s == "Infinity") return Value(std::numeric_limits<double>::infinity());
      if (s == "-Infinity") return Value(-std::numeric_limits<double>::infinity());
      if (s == "NaN") return Value(std::numeric_limits<double>::quiet_NaN());
      double d = 0;
      auto r = std::from_chars(p, p + n, d);
      if (r.ec == std::errc{} && r.ptr == p + n) return Value(d);
      break;
    }
    case numeric: return Value(Decimal{std::string(s)});
    case bytea:
      // bytea_output = 'hex' is set on connect: "\x" then two hex digits a byte.
      if (n >= 2 && p[0] == '\\' && p[1] == 'x' && n % 2 == 0) {
        Bytes b((n - 2) / 2);
        for (std::size_t i = 0; i < b.size(); ++i) {
          int hi = hex_digit(p[2 + 2 * i]), lo = hex_digit(p[3 + 2 * i]);
          if (hi < 0 || lo < 0) throw DataError("[athanor.data] PostgreSQL sent a malformed bytea value");
          b[i] = static_cast<std::byte>(hi * 16 + lo);
        }
        return Value(std::move(b));
      } else {  // the older escape format, should the session have changed bytea_output
        std::size_t size = 0;
        unsigned char* raw = PQunescapeBytea(reinterpret_cast<const unsigned char*>(p), &size);
        if (!raw) throw DataError("[athanor.data] PostgreSQL sent a malformed bytea value");
        auto* b = reinterpret_cast<const std::byte*>(raw);
        Value out(Bytes(b, b + size));
        PQfreemem(raw);
        return out;
      }
    case date:
      if (auto d = athanor::detail::parse_date(s)) return Value(*d);
      break;
    case timestamp:
    case timestamptz:  // the session is UTC: "2024-05-01 12:00:00+00"
      if (auto t = athanor::detail::parse_datetime(s)) return Value(*t);
      break;
    case time:
      if (auto t = athanor::detail::parse_time(s)) return Value(*t);
      break;
    case json:
    case jsonb: return Value(Json{std::string(s)});
    case uuid:
      if (n == 36) return Value(Uuid::parse(s));
      break;
    default: break;
  }
  return Value(std::string(s));
}

}  // namespace athanor::driver::postgresql::detail
