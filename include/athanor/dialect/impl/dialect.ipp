// athanor/dialect/impl/dialect.ipp — the out-of-line members of Dialect that need no compiler
// (included by dialect/dialect.hpp where ATHANOR_DEFINITIONS is set; the hooks' default
// bodies are in dialect/ansi.hpp).
#pragma once

#include <algorithm>  // std::any_of
#include <string>     // std::string, std::to_string

namespace athanor {

ATHANOR_DECL void Dialect::check_identifier(std::string_view ident) const {
  // A NUL byte would cut the SQL text short.
  if (ident.empty() || ident.find('\0') != std::string_view::npos) {
    throw ArgumentError("[athanor.argument.identifier] an identifier is empty or contains a NUL byte");
  }
  auto is_start = [](char c) { return (static_cast<unsigned char>(c) & 0xC0) != 0x80; };  // not a UTF-8 continuation
  auto shown = [&] {  // the name in a message: at most its first 20 characters, cut at a character boundary
    std::size_t cut = 0;
    for (int n = 0; cut < ident.size() && (n < 20 || !is_start(ident[cut])); ++cut) n += is_start(ident[cut]);
    return "'" + std::string(ident.substr(0, cut)) + (cut < ident.size() ? "…'" : "'");
  };
  // A lead byte F0–F4 starts a 4-byte UTF-8 sequence: a character beyond U+FFFF.
  auto beyond_bmp = [](char c) { return static_cast<unsigned char>(c) >= 0xF0 && static_cast<unsigned char>(c) <= 0xF4; };
  if (caps_.identifiers_bmp_only && std::any_of(ident.begin(), ident.end(), beyond_bmp)) {
    throw ArgumentError("[athanor.argument.identifier] " + shown() + " holds a character beyond U+FFFF; " +
                        std::string(display_name()) + " identifiers take U+0000 to U+FFFF only");
  }
  std::size_t limit = caps_.max_identifier_length;
  if (limit == 0 || ident.size() <= limit) return;  // characters are never more than bytes
  std::size_t length = ident.size();
  if (caps_.identifier_length_in_characters) {
    length = 0;
    for (char c : ident) length += is_start(c);
    if (length <= limit) return;
  }
  const char* unit = caps_.identifier_length_in_characters ? " characters" : " bytes";
  throw ArgumentError("[athanor.argument.identifier] " + shown() + " is " + std::to_string(length) + unit + " long; " +
                      std::string(display_name()) + " identifiers are at most " + std::to_string(limit) + unit);
}

}  // namespace athanor
