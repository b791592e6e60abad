// athanor/orm/detail/fixed_string.hpp — a string literal as a template argument
// (`aliased<Employee, "manager">`, `.label<"n">()`): names that are part of a type.
#pragma once

#include <algorithm>    // std::copy_n
#include <cstddef>      // std::size_t
#include <string_view>  // std::string_view

namespace athanor::orm::detail {

/// A string literal as a template argument: `aliased<Employee, "manager">`.
template <std::size_t N>
struct fixed_string {
  char text[N]{};
  constexpr fixed_string(const char (&s)[N]) { std::copy_n(s, N, text); }
  constexpr std::string_view view() const { return {text, N - 1}; }
};

}  // namespace athanor::orm::detail
