// athanor/core/detail/json_array.hpp — a list of values as one JSON array text, the form
// in which an IN list travels as a single bound parameter (see Dialect::in_array).
#pragma once

#include <cmath>   // std::isfinite
#include <string>  // std::string
#include <vector>  // std::vector

#include <athanor/core/detail/convert.hpp>

namespace athanor::detail {

inline void json_string(std::string& out, std::string_view s) {
  static constexpr char hex[] = "0123456789abcdef";
  out += '"';
  for (unsigned char c : s) {
    switch (c) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\n': out += "\\n"; break;
      case '\r': out += "\\r"; break;
      case '\t': out += "\\t"; break;
      default:
        if (c < 0x20) {
          out += "\\u00", out += hex[c >> 4], out += hex[c & 15];
        } else {
          out += static_cast<char>(c);
        }
    }
  }
  out += '"';
}

inline std::string json_array(const std::vector<Value>& values) {
  std::string out = "[";
  for (std::size_t i = 0; i < values.size(); ++i) {
    if (i) out += ',';
    const Value& v = values[i];
    if (v.is_null()) {
      out += "null";
    } else if (auto* b = std::get_if<bool>(&v.variant())) {
      out += *b ? "1" : "0";  // booleans compare as integers on every backend's JSON
    } else if (v.holds<std::int64_t>() || (v.holds<double>() && std::isfinite(v.as<double>()))) {
      out += value_to_text(v);
    } else {
      json_string(out, value_to_text(v));
    }
  }
  return out + ']';
}

}  // namespace athanor::detail
