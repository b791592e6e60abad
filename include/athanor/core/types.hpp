// athanor/core/types.hpp — SQL types of Core columns and expressions (SQLAlchemy's
// `sqlalchemy.types`). Dialects turn them into DDL names; results use them to decode.
#pragma once

#include <algorithm>         // std::max
#include <initializer_list>  // std::initializer_list
#include <memory>            // std::shared_ptr
#include <string>            // std::string
#include <vector>            // std::vector

namespace athanor {

/// The kind of a SqlType: one per named type below.
enum class TypeKind : unsigned char {
  null,  ///< unknown / NULL literal
  integer, big_integer, small_integer, boolean, float_, double_, numeric,
  string, text, binary, date, datetime, time, json, uuid, enum_
};

/// A SQL type. Build it from the named types below: `Integer{}`, `String{50}`, `Numeric{12, 2}`.
struct SqlType {
  /// A type of kind `k` (the named types below are the readable way).
  SqlType(TypeKind k = TypeKind::null, int len = 0, int prec = 0, int sc = 0)
      : kind(k), length(len), precision(prec), scale(sc) {}
  TypeKind kind = TypeKind::null;  ///< which type
  int length = 0;         ///< String / Enum: maximum length (0: none given)
  int precision = 0;      ///< Numeric
  int scale = 0;          ///< Numeric
  bool timezone = false;  ///< DateTime: WITH TIME ZONE
  std::shared_ptr<const std::vector<std::string>> enum_values;  ///< Enum: allowed names

  /// Integer, BigInteger or SmallInteger.
  bool is_integer() const {
    return kind == TypeKind::integer || kind == TypeKind::big_integer || kind == TypeKind::small_integer;
  }
  /// String, Text or Enum (text on the wire).
  bool is_string() const { return kind == TypeKind::string || kind == TypeKind::text || kind == TypeKind::enum_; }
  /// The same kind, length, precision, scale and time zone (Enum values are not compared).
  friend bool operator==(const SqlType& a, const SqlType& b) {
    return a.kind == b.kind && a.length == b.length && a.precision == b.precision && a.scale == b.scale &&
           a.timezone == b.timezone;
  }
};

/// 32-bit integer → `int`.
struct Integer : SqlType { Integer() : SqlType{TypeKind::integer} {} };
/// 64-bit integer → `std::int64_t`.
struct BigInteger : SqlType { BigInteger() : SqlType{TypeKind::big_integer} {} };
/// 16-bit integer → `short`.
struct SmallInteger : SqlType { SmallInteger() : SqlType{TypeKind::small_integer} {} };
/// Boolean → `bool` (an integer 0/1 where the backend has no boolean).
struct Boolean : SqlType { Boolean() : SqlType{TypeKind::boolean} {} };
/// Single precision → `double` on read.
struct Float : SqlType { Float() : SqlType{TypeKind::float_} {} };
/// Double precision → `double`.
struct Double : SqlType { Double() : SqlType{TypeKind::double_} {} };
/// Exact decimal → `athanor::Decimal`.  **Example**: `Numeric{12, 2}`
struct Numeric : SqlType {
  /// NUMERIC(precision, scale).
  explicit Numeric(int precision = 18, int scale = 0) : SqlType{TypeKind::numeric, 0, precision, scale} {}
};
/// Bounded text → `std::string`.  **Example**: `String{50}`
struct String : SqlType {
  /// VARCHAR(length); 0: no length (refused by MariaDB's DDL, which needs one).
  explicit String(int length = 0) : SqlType{TypeKind::string, length} {}
};
/// Unbounded text → `std::string`.
struct Text : SqlType { Text() : SqlType{TypeKind::text} {} };
/// Binary data → `athanor::Bytes`.
struct LargeBinary : SqlType { LargeBinary() : SqlType{TypeKind::binary} {} };
/// Calendar date → `athanor::Date`.
struct DateType : SqlType { DateType() : SqlType{TypeKind::date} {} };
/// Timestamp → `athanor::DateTime` (UTC); `DateTimeType{true}` is WITH TIME ZONE.
struct DateTimeType : SqlType {
  /// TIMESTAMP, WITH TIME ZONE when `timezone`.
  explicit DateTimeType(bool timezone = false) : SqlType{TypeKind::datetime} { this->timezone = timezone; }
};
/// Time of day → `athanor::Time`.
struct TimeType : SqlType { TimeType() : SqlType{TypeKind::time} {} };
/// JSON document → `athanor::Json`.
struct JsonType : SqlType { JsonType() : SqlType{TypeKind::json} {} };
/// UUID → `athanor::Uuid`.
struct UuidType : SqlType { UuidType() : SqlType{TypeKind::uuid} {} };
/// A fixed set of names, stored as text checked by a constraint → `std::string`.
/// **Example**: `Enum{"draft", "published"}`
struct Enum : SqlType {
  /// The allowed `names`; the column is as long as the longest.
  Enum(std::initializer_list<std::string> names) : SqlType{TypeKind::enum_} {
    auto v = std::make_shared<std::vector<std::string>>(names);
    for (auto& n : *v) length = std::max<int>(length, static_cast<int>(n.size()));
    enum_values = std::move(v);
  }
};

}  // namespace athanor
