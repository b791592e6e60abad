// athanor/core/detail/utf8.hpp — `is_utf8`: whether bytes are well-formed UTF-8 (RFC 3629:
// no overlong forms, no encoded surrogates, nothing above U+10FFFF). The compiler asks it
// before it writes a string into SQL text (inline_literal()).
#pragma once

#include <cstddef>      // std::size_t
#include <string_view>  // std::string_view

namespace athanor::detail {

inline bool is_utf8(std::string_view s) {
  for (std::size_t i = 0; i < s.size();) {
    auto c = static_cast<unsigned char>(s[i]);
    // The continuation bytes the lead byte announces; 9: not a lead byte (80–C1, F5–FF).
    std::size_t n = c < 0x80 ? 0 : c < 0xC2 ? 9 : c < 0xE0 ? 1 : c < 0xF0 ? 2 : c < 0xF5 ? 3 : 9;
    if (n == 9 || s.size() - i <= n) return false;
    char32_t cp = n == 0 ? c : c & (0x3F >> n);
    for (std::size_t k = 1; k <= n; ++k) {
      auto cc = static_cast<unsigned char>(s[i + k]);
      if ((cc & 0xC0) != 0x80) return false;
      cp = cp << 6 | (cc & 0x3F);
    }
    static constexpr char32_t least[] = {0, 0x80, 0x800, 0x10000};
    if (cp < least[n] || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return false;
    i += n + 1;
  }
  return true;
}

}  // namespace athanor::detail
