// athanor/core/detail/convert.hpp — reading a `Value` as a C++ type (`Row::get<T>`).
// Lenient where backends differ in what they return for one SQL type (SQLite gives a
// Date as text, MariaDB a bool as an integer); strict where a value would be lost.
#pragma once

#include <charconv>     // std::from_chars
#include <cmath>        // std::isfinite
#include <limits>       // std::numeric_limits
#include <string>       // std::string, std::to_string
#include <string_view>  // std::string_view
#include <type_traits>  // std::is_integral_v

#include <athanor/core/detail/chrono_text.hpp>
#include <athanor/core/detail/visit_value.hpp>
#include <athanor/core/error.hpp>
#include <athanor/core/value.hpp>

namespace athanor::detail {

template <class T>
struct is_optional : std::false_type {};
template <class T>
struct is_optional<std::optional<T>> : std::true_type {};

inline const char* value_kind_name(const Value& v) {
  static constexpr const char* names[] = {"NULL", "bool", "integer", "double", "text", "bytes",
                                          "decimal", "date", "datetime", "time", "json", "uuid"};
  return names[v.variant().index()];
}

[[noreturn]] inline void conversion_error(const Value& v, const char* target) {
  throw DataError(std::string("[athanor.data.conversion] cannot read a ") + value_kind_name(v) +
                  " value as " + target);
}

/// The C++ spelling of T for messages ("int", "std::string", "athanor::Date", a user's enum).
template <class T>
constexpr std::string_view type_name() {
  if constexpr (std::is_same_v<T, bool>) return "bool";
  else if constexpr (std::is_same_v<T, std::int64_t>) return "std::int64_t";  // before long / long long
  else if constexpr (std::is_same_v<T, int>) return "int";
  else if constexpr (std::is_same_v<T, short>) return "short";
  else if constexpr (std::is_same_v<T, long>) return "long";
  else if constexpr (std::is_same_v<T, long long>) return "long long";
  else if constexpr (std::is_same_v<T, double>) return "double";
  else if constexpr (std::is_same_v<T, float>) return "float";
  else if constexpr (std::is_same_v<T, std::string>) return "std::string";  // not std::__cxx11::basic_string<char>
  // The aliases by the names users write, not what they stand for (std::chrono::year_month_day).
  else if constexpr (std::is_same_v<T, Bytes>) return "athanor::Bytes";
  else if constexpr (std::is_same_v<T, Date>) return "athanor::Date";
  else if constexpr (std::is_same_v<T, DateTime>) return "athanor::DateTime";
  else if constexpr (std::is_same_v<T, Time>) return "athanor::Time";
  else {
    // The compiler's own spelling: "… [with T = Priority; …]" (GCC), "… [T = Priority]" (Clang).
#if defined(__GNUC__) || defined(__clang__)
    std::string_view f = __PRETTY_FUNCTION__;
    auto b = f.find("T = ");
    if (b == std::string_view::npos) return "T";
    b += 4;
    return f.substr(b, f.find_first_of(";]", b) - b);
#else
    return "T";
#endif
  }
}

/// The DataError of a NULL read as a type that cannot hold it. `where` names the value (a
/// result column, a mapped table.column); `fix` says what to write instead. Only called to
/// throw: reading a value that is not NULL builds no string.
[[noreturn]] inline void null_error(std::string_view where, std::string_view fix) {
  std::string m = "[athanor.data.null] ";
  m.append(where).append(" is NULL; ").append(fix);
  throw DataError(m);
}
/// The NULL error of result column `index` (labelled `label`) read as T.
template <class T>
[[noreturn]] void null_column_error(std::string_view label, std::size_t index) {
  null_error("result column '" + std::string(label) + "' (index " + std::to_string(index) + ")",
             "read it as std::optional<" + std::string(type_name<T>()) + ">");
}

template <class N>
N parse_number(const Value& v, std::string_view s, const char* target) {
  N out{};
  auto r = std::from_chars(s.data(), s.data() + s.size(), out);
  if (r.ec != std::errc{} || r.ptr != s.data() + s.size()) conversion_error(v, target);
  return out;
}

inline std::string value_to_text(const Value& v) {
  return visit_value(
      [&](const auto& x) -> std::string {
        using X = std::decay_t<decltype(x)>;
        if constexpr (std::is_same_v<X, std::string>) return x;
        else if constexpr (std::is_same_v<X, bool>) return x ? "true" : "false";
        else if constexpr (std::is_same_v<X, std::int64_t>) return std::to_string(x);
        else if constexpr (std::is_same_v<X, double>) {
          char buf[32];
          auto r = std::to_chars(buf, buf + sizeof buf, x);
          return std::string(buf, r.ptr);
        } else if constexpr (std::is_same_v<X, Decimal> || std::is_same_v<X, Json>) return x.text;
        else if constexpr (std::is_same_v<X, Date>) return format_date(x);
        else if constexpr (std::is_same_v<X, DateTime>) return format_datetime(x);
        else if constexpr (std::is_same_v<X, Time>) return format_time(x);
        else if constexpr (std::is_same_v<X, Uuid>) return x.to_string();
        else if constexpr (std::is_same_v<X, Bytes>) return std::string(reinterpret_cast<const char*>(x.data()), x.size());
        else conversion_error(v, "text");
      },
      v);
}

/// Reads `v` as `T`; throws DataError naming both types when it cannot.
template <class T>
T from_value(const Value& v) {
  if constexpr (std::is_same_v<T, Value>) {
    return v;  // as it came, NULL included
  } else if constexpr (is_optional<T>::value) {
    if (v.is_null()) return std::nullopt;
    return from_value<typename T::value_type>(v);
  } else {
    if (v.is_null()) {
      // Without a name: Row checks for NULL itself and the ORM's readers catch this, to name
      // the column.
      null_error("the value", "read it as std::optional<" + std::string(type_name<T>()) + ">");
    }
    const auto& var = v.variant();
    if constexpr (std::is_same_v<T, bool>) {
      if (auto* b = std::get_if<bool>(&var)) return *b;
      if (auto* i = std::get_if<std::int64_t>(&var)) return *i != 0;
      if (auto* s = std::get_if<std::string>(&var)) {
        if (*s == "t" || *s == "true" || *s == "1") return true;
        if (*s == "f" || *s == "false" || *s == "0") return false;
      }
      conversion_error(v, "bool");
    } else if constexpr (std::is_integral_v<T>) {
      std::int64_t i;
      if (auto* p = std::get_if<std::int64_t>(&var)) i = *p;
      else if (auto* b = std::get_if<bool>(&var)) i = *b;
      else if (auto* s = std::get_if<std::string>(&var)) i = parse_number<std::int64_t>(v, *s, "an integer");
      else if (auto* d = std::get_if<Decimal>(&var)) i = parse_number<std::int64_t>(v, d->text, "an integer");
      else if (auto* f = std::get_if<double>(&var); f && std::isfinite(*f) && *f == static_cast<double>(static_cast<std::int64_t>(*f))) i = static_cast<std::int64_t>(*f);
      else conversion_error(v, "an integer");
      if (i < static_cast<std::int64_t>(std::numeric_limits<T>::min()) ||
          (i > 0 && static_cast<std::uint64_t>(i) > static_cast<std::uint64_t>(std::numeric_limits<T>::max()))) {
        throw DataError("[athanor.data.range] the integer " + std::to_string(i) + " does not fit the C++ type");
      }
      return static_cast<T>(i);
    } else if constexpr (std::is_floating_point_v<T>) {
      if (auto* f = std::get_if<double>(&var)) return static_cast<T>(*f);
      if (auto* i = std::get_if<std::int64_t>(&var)) return static_cast<T>(*i);
      if (auto* s = std::get_if<std::string>(&var)) return static_cast<T>(parse_number<double>(v, *s, "a double"));
      if (auto* d = std::get_if<Decimal>(&var)) return static_cast<T>(parse_number<double>(v, d->text, "a double"));
      conversion_error(v, "a double");
    } else if constexpr (std::is_same_v<T, std::string>) {
      return value_to_text(v);
    } else if constexpr (std::is_same_v<T, Bytes>) {
      if (auto* b = std::get_if<Bytes>(&var)) return *b;
      if (auto* s = std::get_if<std::string>(&var)) {
        auto* p = reinterpret_cast<const std::byte*>(s->data());
        return Bytes(p, p + s->size());
      }
      conversion_error(v, "bytes");
    } else if constexpr (std::is_same_v<T, Decimal>) {
      if (auto* d = std::get_if<Decimal>(&var)) return *d;
      // A double (SQLite's NUMERIC affinity, its sum() and avg()) holds 15 significant decimal
      // digits exactly: written with those, 0.99 + 1.98 reads "2.97", not "2.9699999999999998".
      if (auto* f = std::get_if<double>(&var); f && std::isfinite(*f)) {
        char buf[32];
        auto r = std::to_chars(buf, buf + sizeof buf, *f, std::chars_format::general, 15);
        return Decimal{std::string(buf, r.ptr)};
      }
      if (std::holds_alternative<std::string>(var) || std::holds_alternative<std::int64_t>(var) ||
          std::holds_alternative<double>(var)) return Decimal{value_to_text(v)};
      conversion_error(v, "a decimal");
    } else if constexpr (std::is_same_v<T, Json>) {
      if (auto* j = std::get_if<Json>(&var)) return *j;
      if (auto* s = std::get_if<std::string>(&var)) return Json{*s};
      conversion_error(v, "json");
    } else if constexpr (std::is_same_v<T, Uuid>) {
      if (auto* u = std::get_if<Uuid>(&var)) return *u;
      if (auto* s = std::get_if<std::string>(&var)) return Uuid::parse(*s);
      if (auto* b = std::get_if<Bytes>(&var); b && b->size() == 16) {
        Uuid u;
        for (int k = 0; k < 16; ++k) u.bytes[k] = static_cast<std::uint8_t>((*b)[k]);
        return u;
      }
      conversion_error(v, "a uuid");
    } else if constexpr (std::is_same_v<T, Date>) {
      if (auto* d = std::get_if<Date>(&var)) return *d;
      if (auto* t = std::get_if<DateTime>(&var)) return Date{std::chrono::floor<std::chrono::days>(*t)};
      if (auto* s = std::get_if<std::string>(&var)) {
        if (auto d = parse_date(*s)) return *d;
        if (auto t = parse_datetime(*s)) return Date{std::chrono::floor<std::chrono::days>(*t)};
      }
      conversion_error(v, "a date");
    } else if constexpr (std::is_same_v<T, DateTime>) {
      if (auto* t = std::get_if<DateTime>(&var)) return *t;
      if (auto* d = std::get_if<Date>(&var)) return DateTime{std::chrono::sys_days{*d}};
      if (auto* s = std::get_if<std::string>(&var)) {
        if (auto t = parse_datetime(*s)) return *t;
      }
      conversion_error(v, "a datetime");
    } else if constexpr (std::is_same_v<T, Time>) {
      if (auto* t = std::get_if<Time>(&var)) return *t;
      if (auto* s = std::get_if<std::string>(&var)) {
        if (auto t = parse_time(*s)) return *t;
      }
      conversion_error(v, "a time");
    } else {
      static_assert(sizeof(T) == 0,
                    "athanor: this C++ type cannot be read from a row (use int, std::int64_t, bool, double, "
                    "std::string, Bytes, Decimal, Date, DateTime, Time, Json, Uuid or std::optional of one)");
    }
  }
}

}  // namespace athanor::detail
