// athanor/orm/column_traits.hpp — `column_traits<T>`: how a C++ member type maps to a SQL
// type and to/from a bound Value (SQLAlchemy's TypeDecorator). Specialise it for your own
// types; enums described with BOOST_DESCRIBE_ENUM are stored by name, or by value on request
// (ATHANOR_ENUM_BY_VALUE).
#pragma once

#include <boost/describe/enum.hpp>
#include <boost/describe/enum_from_string.hpp>
#include <boost/describe/enum_to_string.hpp>

#include <cstdint>   // std::int64_t
#include <optional>  // std::optional
#include <string>    // std::string

#include <athanor/core/detail/convert.hpp>
#include <athanor/core/types.hpp>

/// Stores the described enum E by its value (an integer column) instead of its name. Place it
/// next to BOOST_DESCRIBE_ENUM, in the enum's namespace.
/// **Example**: `BOOST_DESCRIBE_ENUM(Priority, low, high)  ATHANOR_ENUM_BY_VALUE(Priority)`
#define ATHANOR_ENUM_BY_VALUE(E) \
  [[maybe_unused]] inline constexpr bool athanor_enum_by_value(const E*) { return true; }

namespace athanor::orm {

/// The mapping of a member type. The primary template covers every type `Value` holds.
/// **Example** (a user type stored as text):
/// ```
/// template <> struct athanor::orm::column_traits<Email> {
///   static SqlType sql_type() { return String{254}; }
///   static Value to_value(const Email& e) { return e.text; }
///   static Email from_value(const Value& v) { return Email{detail::from_value<std::string>(v)}; }
/// };
/// ```
template <class T, class = void>
struct column_traits {
  using athanor_primary = void;  ///< not a user's specialisation (see detail::has_sql_type)
  /// The SQL type of a T column (a String without length: VARCHAR needs one on MariaDB).
  static SqlType sql_type() {
    if constexpr (std::is_same_v<T, bool>) return Boolean{};
    else if constexpr (std::is_same_v<T, std::int64_t> || std::is_same_v<T, long long>) return BigInteger{};
    else if constexpr (std::is_same_v<T, short>) return SmallInteger{};
    else if constexpr (std::is_integral_v<T>) return Integer{};
    else if constexpr (std::is_same_v<T, float>) return Float{};
    else if constexpr (std::is_floating_point_v<T>) return Double{};
    else if constexpr (std::is_same_v<T, std::string>) return String{};
    else if constexpr (std::is_same_v<T, Bytes>) return LargeBinary{};
    else if constexpr (std::is_same_v<T, Decimal>) return Numeric{};
    else if constexpr (std::is_same_v<T, Date>) return DateType{};
    else if constexpr (std::is_same_v<T, DateTime>) return DateTimeType{};
    else if constexpr (std::is_same_v<T, Time>) return TimeType{};
    else if constexpr (std::is_same_v<T, Json>) return JsonType{};
    else if constexpr (std::is_same_v<T, Uuid>) return UuidType{};
    else static_assert(sizeof(T) == 0, "athanor: no column mapping for this member type; specialise athanor::orm::column_traits<T>");
  }
  static Value to_value(const T& v) { return Value(v); }  ///< T as a bound value.
  static T from_value(const Value& v) { return athanor::detail::from_value<T>(v); }  ///< T from a column's value (a DataError when it does not fit T).
};

/// Whether a described enum is stored by value: declared with ATHANOR_ENUM_BY_VALUE(E).
template <class E>
inline constexpr bool enum_by_value = [] {
  if constexpr (requires(const E* e) { athanor_enum_by_value(e); })
    return athanor_enum_by_value(static_cast<const E*>(nullptr));
  else
    return false;
}();

namespace detail {
/// 0: not an enum; 1: stored by name; 2: stored by value. Asks about descriptions only for enums.
template <class T>
constexpr int enum_storage() {
  if constexpr (!std::is_enum_v<T>) return 0;
  else if constexpr (boost::describe::has_describe_enumerators<T>::value && !enum_by_value<T>) return 1;
  else return 2;
}
}  // namespace detail

/// Enums described with BOOST_DESCRIBE_ENUM: stored by name (a String as long as the longest),
/// unless ATHANOR_ENUM_BY_VALUE(E) asks for the value.
template <class E>
struct column_traits<E, std::enable_if_t<detail::enum_storage<E>() == 1>> {
  static SqlType sql_type() {
    std::size_t n = 1;
    boost::mp11::mp_for_each<boost::describe::describe_enumerators<E>>([&](auto D) { n = std::max(n, std::string_view(D.name).size()); });
    return String{static_cast<int>(n)};
  }
  static Value to_value(E e) { return Value(std::string(boost::describe::enum_to_string(e, "?"))); }
  static E from_value(const Value& v) {
    auto s = athanor::detail::from_value<std::string>(v);
    E e{};
    if (!boost::describe::enum_from_string(s.c_str(), e)) {
      throw DataError("[athanor.data.enum] '" + s + "' is not a name of the mapped enum");
    }
    return e;
  }
};

/// Enums without a description, or declared ATHANOR_ENUM_BY_VALUE: stored by value, as an
/// integer (BIGINT when the underlying type is wider than 32 bits).
template <class E>
struct column_traits<E, std::enable_if_t<detail::enum_storage<E>() == 2>> {
  static SqlType sql_type() {
    if constexpr (sizeof(E) > 4) return BigInteger{};
    else return Integer{};
  }
  static Value to_value(E e) { return Value(static_cast<std::int64_t>(e)); }
  static E from_value(const Value& v) { return static_cast<E>(athanor::detail::from_value<std::int64_t>(v)); }
};

/// `std::optional<T>`: nullable, NULL when empty.
template <class T>
struct column_traits<std::optional<T>> {
  static SqlType sql_type() { return column_traits<T>::sql_type(); }  ///< T's type, nullable.
  static Value to_value(const std::optional<T>& v) { return v ? column_traits<T>::to_value(*v) : Value(); }  ///< NULL when empty.
  /// std::nullopt for NULL.
  static std::optional<T> from_value(const Value& v) {
    if (v.is_null()) return std::nullopt;
    return column_traits<T>::from_value(v);
  }
};

/// Whether T is a std::optional (a nullable column, read as std::optional).
///@{
template <class T>
inline constexpr bool is_nullable_v = false;
template <class T>
inline constexpr bool is_nullable_v<std::optional<T>> = true;
///@}

}  // namespace athanor::orm
