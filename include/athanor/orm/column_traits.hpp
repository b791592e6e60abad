// athanor/orm/column_traits.hpp — `column_traits<T>`: how a C++ member type maps to a SQL
// type and to/from a bound Value (SQLAlchemy's TypeDecorator). Specialise it for your own
// types; enums described with BOOST_DESCRIBE_ENUM are stored by name.
#pragma once

#include <boost/describe/enum.hpp>
#include <boost/describe/enum_from_string.hpp>
#include <boost/describe/enum_to_string.hpp>

#include <cstdint>   // std::int64_t
#include <optional>  // std::optional
#include <string>    // std::string

#include <athanor/core/detail/convert.hpp>
#include <athanor/core/types.hpp>

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
  static Value to_value(const T& v) { return Value(v); }
  static T from_value(const Value& v) { return athanor::detail::from_value<T>(v); }
};

/// Enums described with BOOST_DESCRIBE_ENUM: stored by name (a String as long as the longest).
template <class E>
struct column_traits<E, std::enable_if_t<std::is_enum_v<E> && boost::describe::has_describe_enumerators<E>::value>> {
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

/// Enums without a description: stored by value, as an integer.
template <class E>
struct column_traits<E, std::enable_if_t<std::is_enum_v<E> && !boost::describe::has_describe_enumerators<E>::value>> {
  static SqlType sql_type() { return Integer{}; }
  static Value to_value(E e) { return Value(static_cast<std::int64_t>(e)); }
  static E from_value(const Value& v) { return static_cast<E>(athanor::detail::from_value<std::int64_t>(v)); }
};

/// `std::optional<T>`: nullable, NULL when empty.
template <class T>
struct column_traits<std::optional<T>> {
  static SqlType sql_type() { return column_traits<T>::sql_type(); }
  static Value to_value(const std::optional<T>& v) { return v ? column_traits<T>::to_value(*v) : Value(); }
  static std::optional<T> from_value(const Value& v) {
    if (v.is_null()) return std::nullopt;
    return column_traits<T>::from_value(v);
  }
};

template <class T>
inline constexpr bool is_nullable_v = false;
template <class T>
inline constexpr bool is_nullable_v<std::optional<T>> = true;

}  // namespace athanor::orm
