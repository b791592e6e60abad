// athanor/auth/detail/base64.hpp — the "B64" of PHC strings: standard base64 (RFC 4648 §4
// alphabet) without '=' padding. Used by auth/detail/phc.hpp only.
#pragma once

#include <cstddef>      // std::size_t
#include <optional>     // std::optional
#include <span>         // std::span
#include <string>       // std::string
#include <string_view>  // std::string_view
#include <vector>       // std::vector

#include <athanor/auth/detail/config.hpp>

namespace athanor::detail {

ATHANOR_AUTH_DECL std::string base64_encode_unpadded(std::span<const unsigned char> in);
ATHANOR_AUTH_DECL int base64_digit(char c);
/// Strict decoding: nullopt on a character outside the alphabet (padding included), on a
/// length of 1 mod 4 (no whole byte), and on non-zero unused bits in the last character.
/// The PHC spec asks decoders to be strict so that one byte string has one encoding
/// (https://github.com/P-H-C/phc-string-format/blob/master/phc-sf-spec.md#b64), which
/// keeps PasswordHash equality (PHC string equality) meaningful.
ATHANOR_AUTH_DECL std::optional<std::vector<unsigned char>> base64_decode_unpadded(std::string_view in);

#if ATHANOR_AUTH_DEFINITIONS
ATHANOR_AUTH_DECL std::string base64_encode_unpadded(std::span<const unsigned char> in) {
  static constexpr char alphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  out.reserve((in.size() * 4 + 2) / 3);
  std::size_t i = 0;
  for (; i + 3 <= in.size(); i += 3) {
    unsigned v = unsigned(in[i]) << 16 | unsigned(in[i + 1]) << 8 | in[i + 2];
    out += alphabet[v >> 18], out += alphabet[(v >> 12) & 63], out += alphabet[(v >> 6) & 63], out += alphabet[v & 63];
  }
  if (in.size() - i == 1) {
    unsigned v = unsigned(in[i]) << 16;
    out += alphabet[v >> 18], out += alphabet[(v >> 12) & 63];
  } else if (in.size() - i == 2) {
    unsigned v = unsigned(in[i]) << 16 | unsigned(in[i + 1]) << 8;
    out += alphabet[v >> 18], out += alphabet[(v >> 12) & 63], out += alphabet[(v >> 6) & 63];
  }
  return out;
}

ATHANOR_AUTH_DECL int base64_digit(char c) {
  if (c >= 'A' && c <= 'Z') return c - 'A';
  if (c >= 'a' && c <= 'z') return c - 'a' + 26;
  if (c >= '0' && c <= '9') return c - '0' + 52;
  if (c == '+') return 62;
  if (c == '/') return 63;
  return -1;
}

ATHANOR_AUTH_DECL std::optional<std::vector<unsigned char>> base64_decode_unpadded(std::string_view in) {
  if (in.size() % 4 == 1) return std::nullopt;
  std::vector<unsigned char> out;
  out.reserve(in.size() * 3 / 4);
  unsigned acc = 0;
  int bits = 0;
  for (char c : in) {
    int d = base64_digit(c);
    if (d < 0) return std::nullopt;
    acc = (acc << 6) | unsigned(d);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out.push_back(static_cast<unsigned char>((acc >> bits) & 0xFF));
    }
  }
  if ((acc & ((1u << bits) - 1)) != 0) return std::nullopt;  // non-canonical trailing bits
  return out;
}
#endif  // ATHANOR_AUTH_DEFINITIONS

}  // namespace athanor::detail
