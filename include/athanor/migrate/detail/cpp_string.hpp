#pragma once
// athanor/migrate/detail/cpp_string.hpp — a text as a C++ string literal, for the C++ source
// that autogenerate (revisions) and codegen (models) write.
#include <cstdio>  // std::snprintf
#include <string>
#include <string_view>

namespace athanor::migrate::detail {

/// `s` as a C++ string literal, quotes included: `"` and `\` escaped, control characters as
/// octal escapes (a hex escape would swallow the hex digits after it).
inline std::string cpp_string(std::string_view s) {
  std::string out = "\"";
  for (unsigned char c : s) {
    if (c == '"' || c == '\\') out += '\\', out += static_cast<char>(c);
    else if (c == '\n') out += "\\n";
    else if (c == '\t') out += "\\t";
    else if (c < 0x20 || c == 0x7f) {
      char buf[8];
      std::snprintf(buf, sizeof buf, "\\%03o", c);
      out += buf;
    } else {
      out += static_cast<char>(c);
    }
  }
  return out + "\"";
}

}  // namespace athanor::migrate::detail
