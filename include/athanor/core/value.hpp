// athanor/core/value.hpp — `Value`, the run-time value that travels as a bound parameter
// and comes back in a Core `Row`, and the small vocabulary types it can hold.
// Used by every layer; the typed ORM path reads rows straight into members instead.
#pragma once

#include <array>        // std::array
#include <chrono>       // std::chrono::year_month_day, sys_time
#include <compare>      // operator<=>
#include <cstddef>      // std::byte
#include <cstdint>      // std::int64_t
#include <optional>     // std::optional
#include <string>       // std::string
#include <string_view>  // std::string_view
#include <type_traits>  // std::is_integral_v
#include <variant>      // std::variant

#include <athanor/config.hpp>
#include <athanor/core/error.hpp>
#include <vector>       // std::vector

namespace athanor {

/// Binary data (`LargeBinary`).
using Bytes = std::vector<std::byte>;
/// A calendar date (`Date`).  **Example**: `Date{std::chrono::year{2024} / 1 / 31}`
using Date = std::chrono::year_month_day;
/// An instant with microsecond precision (`DateTime`), always UTC.
using DateTime = std::chrono::sys_time<std::chrono::microseconds>;
/// A time of day (`Time`), as the duration since midnight.
using Time = std::chrono::microseconds;

/// An exact decimal number (`Numeric`), kept as its decimal text so no digit is lost.
struct Decimal {
  std::string text;  ///< the number as decimal text: "12.50"
  friend bool operator==(const Decimal&, const Decimal&) = default;  ///< The same text ("1.0" and "1.00" differ).
};

/// A JSON document (`Json`), kept as its text.
struct Json {
  std::string text;  ///< the document
  friend bool operator==(const Json&, const Json&) = default;  ///< The same text (not JSON equality: key order and spaces count).
};

/// A 128-bit UUID (`Uuid`).  **Example**: `Uuid::parse("6f0c…")`, `u.to_string()`.
struct Uuid {
  std::array<std::uint8_t, 16> bytes{};  ///< the 16 bytes, in network order
  /// Parses the 36-character form (hyphens optional); throws ArgumentError otherwise.
  static Uuid parse(std::string_view text);
  /// The canonical lower-case 36-character form.
  std::string to_string() const;
  friend auto operator<=>(const Uuid&, const Uuid&) = default;  ///< Byte-wise order.
};

/// The SQL NULL marker: `col.is_(null)`, `Value{null}`.
struct Null {
  friend constexpr bool operator==(Null, Null) { return true; }  ///< NULL markers are all the same.
};
inline constexpr Null null{};  ///< The NULL marker.

/// A value bound to a statement or read from a Core row.
/// Integers widen to `std::int64_t`; `std::optional` and `null` give NULL.
class Value {
 public:
  /// The alternatives, std::monostate for NULL.
  using Variant = std::variant<std::monostate, bool, std::int64_t, double, std::string, Bytes,
                               Decimal, Date, DateTime, Time, Json, Uuid>;

  Value() = default;
  // Copying, moving, destroying and comparing a Value instantiate std::variant's machinery for
  // all twelve alternatives; declared here and defined once (<athanor/src.hpp> with
  // ATHANOR_SEPARATE_COMPILATION), so that a translation unit does not compile them again.
  ATHANOR_DECL Value(const Value&);
  ATHANOR_DECL Value(Value&&) noexcept;
  ATHANOR_DECL Value& operator=(const Value&);
  ATHANOR_DECL Value& operator=(Value&&) noexcept;
  ATHANOR_DECL ~Value();
  /// Implicit from each type a column holds (integers widen to std::int64_t, float to double,
  /// text to std::string); null, std::nullopt and an empty std::optional give NULL.
  ///@{
  Value(Null) {}
  Value(std::nullopt_t) {}
  Value(bool v) : v_(std::in_place_type<bool>, v) {}
  template <class I>
    requires(std::is_integral_v<I> && !std::is_same_v<I, bool> && !std::is_same_v<I, char>)
  Value(I v) : v_(std::in_place_type<std::int64_t>, static_cast<std::int64_t>(v)) {}
  Value(double v) : v_(std::in_place_type<double>, v) {}
  Value(float v) : v_(std::in_place_type<double>, static_cast<double>(v)) {}
  Value(std::string v) : v_(std::in_place_type<std::string>, std::move(v)) {}
  Value(std::string_view v) : v_(std::in_place_type<std::string>, v) {}
  Value(const char* v) : v_(std::in_place_type<std::string>, v) {}
  Value(Bytes v) : v_(std::in_place_type<Bytes>, std::move(v)) {}
  Value(Decimal v) : v_(std::in_place_type<Decimal>, std::move(v)) {}
  Value(Date v) : v_(std::in_place_type<Date>, v) {}
  Value(DateTime v) : v_(std::in_place_type<DateTime>, v) {}
  Value(Time v) : v_(std::in_place_type<Time>, v) {}
  Value(Json v) : v_(std::in_place_type<Json>, std::move(v)) {}
  Value(Uuid v) : v_(std::in_place_type<Uuid>, v) {}
  template <class T>
    requires(std::is_arithmetic_v<T> || std::is_convertible_v<const T&, std::string_view> || std::is_same_v<T, Bytes> ||
             std::is_same_v<T, Decimal> || std::is_same_v<T, Date> || std::is_same_v<T, DateTime> ||
             std::is_same_v<T, Time> || std::is_same_v<T, Json> || std::is_same_v<T, Uuid>)
  Value(const std::optional<T>& v) {
    if (v) *this = Value(*v);
  }
  ///@}

  bool is_null() const { return v_.index() == 0; }  ///< Whether it is NULL.
  /// The value as its std::variant.
  ///@{
  const Variant& variant() const { return v_; }
  Variant& variant() { return v_; }
  ///@}
  /// Whether it holds a T (one of Variant's alternatives).
  template <class T>
  bool holds() const { return std::holds_alternative<T>(v_); }
  /// The value as the alternative it holds, without conversion (`row.get<T>()` converts); any
  /// other alternative is a DataError naming both: `the value holds a Decimal, not std::int64_t`.
  template <class T>
  const T& as() const {
    if (const T* p = std::get_if<T>(&v_)) return *p;
    wrong_alternative(Variant(std::in_place_type<T>).index());
  }

  friend ATHANOR_DECL bool operator==(const Value&, const Value&);  ///< The same alternative and value.

 private:
  [[noreturn]] void wrong_alternative(std::size_t wanted) const {
    static constexpr const char* names[] = {"NULL",   "a bool",    "an std::int64_t", "a double",
                                            "a std::string", "Bytes", "a Decimal", "a Date",
                                            "a DateTime", "a Time",  "a Json",       "a Uuid"};
    static_assert(std::size(names) == std::variant_size_v<Variant>);
    throw DataError(std::string("[athanor.data.type] the value holds ") + names[v_.index()] + ", not " + names[wanted] +
                    " (Value::as does not convert; read it with row.get<T>() or std::optional<T>)");
  }
  Variant v_;
};

#if ATHANOR_DEFINITIONS
ATHANOR_DECL Value::Value(const Value&) = default;
ATHANOR_DECL Value::Value(Value&&) noexcept = default;
ATHANOR_DECL Value& Value::operator=(const Value&) = default;
ATHANOR_DECL Value& Value::operator=(Value&&) noexcept = default;
ATHANOR_DECL Value::~Value() = default;
ATHANOR_DECL bool operator==(const Value& a, const Value& b) { return a.v_ == b.v_; }
#endif

}  // namespace athanor

#include <athanor/core/detail/uuid.hpp>
