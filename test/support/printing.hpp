// test/support/printing.hpp — how doctest shows vectors, optionals and Values in a failed
// CHECK, so that a failure on another backend says what came back.
#pragma once

#include <doctest/doctest.h>

#include <athanor/athanor.hpp>

#include <optional>
#include <sstream>
#include <string>
#include <tuple>
#include <vector>

namespace test::detail {
template <class T>
void show(std::ostream& os, const T& v);
template <class T>
void show(std::ostream& os, const std::optional<T>& v);
template <class T>
void show(std::ostream& os, const std::vector<T>& v);
template <class... T>
void show(std::ostream& os, const std::tuple<T...>& t);
inline void show(std::ostream& os, const athanor::Value& v) {
  if (v.is_null()) {
    os << "NULL";
  } else {
    os << athanor::detail::value_kind_name(v) << ':';
    try {
      os << athanor::detail::value_to_text(v);
    } catch (...) {
      os << '?';
    }
  }
}
template <class T>
void show(std::ostream& os, const std::optional<T>& v) {
  if (v) {
    show(os, *v);
  } else {
    os << "nullopt";
  }
}
template <class T>
void show(std::ostream& os, const std::vector<T>& v) {
  os << '{';
  for (std::size_t i = 0; i < v.size(); ++i) os << (i ? ", " : ""), show(os, v[i]);
  os << '}';
}
template <class... T>
void show(std::ostream& os, const std::tuple<T...>& t) {
  os << '(';
  std::apply([&](const auto&... x) {
    int i = 0;
    ((os << (i++ ? ", " : ""), show(os, x)), ...);
  }, t);
  os << ')';
}
template <class T>
void show(std::ostream& os, const T& v) {
  if constexpr (std::is_same_v<T, std::string>) {
    os << '"' << v << '"';
  } else if constexpr (requires { os << v; }) {
    os << v;
  } else {
    os << "{?}";
  }
}
template <class T>
doctest::String shown(const T& v) {
  std::ostringstream os;
  show(os, v);
  return os.str().c_str();
}
}  // namespace test::detail

namespace doctest {
template <class T>
struct StringMaker<std::vector<T>> {
  static String convert(const std::vector<T>& v) { return test::detail::shown(v); }
};
template <class T>
struct StringMaker<std::optional<T>> {
  static String convert(const std::optional<T>& v) { return test::detail::shown(v); }
};
template <class... T>
struct StringMaker<std::tuple<T...>> {
  static String convert(const std::tuple<T...>& v) { return test::detail::shown(v); }
};
template <>
struct StringMaker<athanor::Value> {
  static String convert(const athanor::Value& v) { return test::detail::shown(v); }
};
}  // namespace doctest
