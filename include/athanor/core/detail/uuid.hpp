// athanor/core/detail/uuid.hpp — text form of Uuid (RFC 9562 §4: 8-4-4-4-12 hex digits).
#pragma once

#include <athanor/core/error.hpp>
#include <athanor/core/value.hpp>

namespace athanor {

inline Uuid Uuid::parse(std::string_view text) {
  auto hex = [](char c) -> int {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
  };
  Uuid u;
  std::size_t n = 0;
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '-' && (n == 8 || n == 12 || n == 16 || n == 20)) continue;
    int hi = hex(text[i]), lo = i + 1 < text.size() ? hex(text[i + 1]) : -1;
    if (hi < 0 || lo < 0 || n >= 32) {
      throw ArgumentError("[athanor.argument.uuid] not a UUID: '" + std::string(text.substr(0, 64)) + "'");
    }
    u.bytes[n / 2] = static_cast<std::uint8_t>(hi * 16 + lo);
    n += 2;
    ++i;
  }
  if (n != 32) throw ArgumentError("[athanor.argument.uuid] not a UUID: '" + std::string(text.substr(0, 64)) + "'");
  return u;
}

inline std::string Uuid::to_string() const {
  static constexpr char digits[] = "0123456789abcdef";
  std::string s;
  s.reserve(36);
  for (std::size_t i = 0; i < 16; ++i) {
    if (i == 4 || i == 6 || i == 8 || i == 10) s += '-';
    s += digits[bytes[i] >> 4];
    s += digits[bytes[i] & 15];
  }
  return s;
}

}  // namespace athanor
