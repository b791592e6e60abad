// test/support/normalize.hpp — text forms that servers write differently for the same value,
// brought to one form before they are compared (core_types, core_binds).
#pragma once

#include <cctype>
#include <string>

namespace test {

/// "12.50" and "12.5" are the same number: trailing zeros of a fraction are dropped.
inline std::string normalize_decimal(std::string s) {
  if (s.find('.') != std::string::npos) {
    while (s.back() == '0') s.pop_back();
    if (s.back() == '.') s.pop_back();
  }
  return s;
}

/// JSON text without whitespace outside strings (servers reformat documents).
inline std::string compact_json(const std::string& s) {
  std::string out;
  bool in_string = false;
  for (std::size_t i = 0; i < s.size(); ++i) {
    char c = s[i];
    if (in_string && c == '\\') {
      out += c, out += s[++i];
      continue;
    }
    if (c == '"') in_string = !in_string;
    if (in_string || !std::isspace(static_cast<unsigned char>(c))) out += c;
  }
  return out;
}

}  // namespace test
