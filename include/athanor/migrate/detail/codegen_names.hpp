// athanor/migrate/detail/codegen_names.hpp — C++ names for migrate::codegen's models
// (migrate/codegen.hpp): identifiers checked against the keywords and reserved names, names split
// into words and made snake_case, PascalCase or plural. Included by migrate/impl/codegen.ipp only.
#pragma once

#include <cctype>       // std::isalnum, std::isdigit, std::islower, std::isupper, std::tolower, std::toupper
#include <cstddef>      // std::size_t
#include <set>          // std::set
#include <string>       // std::string
#include <string_view>  // std::string_view
#include <vector>       // std::vector

namespace athanor::migrate::detail {

/// Whether `s` can name a member or a struct: an identifier, not a keyword, not reserved (`__`, `_X`).
inline bool cpp_identifier(std::string_view s) {
  static const std::set<std::string_view> keywords = {
      "alignas", "alignof", "and", "and_eq", "asm", "auto", "bitand", "bitor", "bool", "break", "case", "catch", "char",
      "char8_t", "char16_t", "char32_t", "class", "compl", "concept", "const", "consteval", "constexpr", "constinit",
      "const_cast", "continue", "co_await", "co_return", "co_yield", "decltype", "default", "delete", "do", "double",
      "dynamic_cast", "else", "enum", "explicit", "export", "extern", "false", "float", "for", "friend", "goto", "if",
      "inline", "int", "long", "mutable", "namespace", "new", "noexcept", "not", "not_eq", "nullptr", "operator", "or",
      "or_eq", "private", "protected", "public", "register", "reinterpret_cast", "requires", "return", "short", "signed",
      "sizeof", "static", "static_assert", "static_cast", "struct", "switch", "template", "this", "thread_local", "throw",
      "true", "try", "typedef", "typeid", "typename", "union", "unsigned", "using", "virtual", "void", "volatile",
      "wchar_t", "while", "xor", "xor_eq"};
  if (s.empty() || std::isdigit(static_cast<unsigned char>(s[0]))) return false;
  for (char c : s)
    if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '_') || static_cast<unsigned char>(c) >= 0x80) return false;
  if (s.find("__") != std::string_view::npos || (s[0] == '_' && s.size() > 1 && std::isupper(static_cast<unsigned char>(s[1]))))
    return false;
  return !keywords.count(s);
}

namespace codegen_names {
// Words of a name: split at '_', spaces and other non-alphanumerics, and at case changes
// ("InvoiceLineId" → Invoice Line Id, "URLPath" → URL Path).
inline std::vector<std::string> words(std::string_view s) {
  std::vector<std::string> out;
  std::string cur;
  auto flush = [&] {
    if (!cur.empty()) out.push_back(cur), cur.clear();
  };
  for (std::size_t i = 0; i < s.size(); ++i) {
    unsigned char c = static_cast<unsigned char>(s[i]);
    if (!std::isalnum(c) || c >= 0x80) {
      flush();
      continue;
    }
    if (std::isupper(c) && !cur.empty()) {
      bool prev_lower = std::islower(static_cast<unsigned char>(cur.back())) || std::isdigit(static_cast<unsigned char>(cur.back()));
      bool next_lower = i + 1 < s.size() && std::islower(static_cast<unsigned char>(s[i + 1]));
      if (prev_lower || (next_lower && std::isupper(static_cast<unsigned char>(cur.back())))) flush();
    }
    cur += static_cast<char>(c);
  }
  flush();
  return out;
}
inline std::string snake(std::string_view s) {
  std::string out;
  for (auto& w : words(s)) {
    if (!out.empty()) out += '_';
    for (char c : w) out += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  }
  return out;
}
inline std::string pascal(std::string_view s) {
  std::string out;
  for (auto w : words(s)) {
    w[0] = static_cast<char>(std::toupper(static_cast<unsigned char>(w[0])));
    out += w;
  }
  return out;
}
/// An English plural good enough for member names.
inline std::string plural(const std::string& s) {
  auto ends = [&](std::string_view e) { return s.size() >= e.size() && s.compare(s.size() - e.size(), e.size(), e) == 0; };
  if (ends("s") && !ends("ss")) return s;  // plural already ("codes")
  if (ends("s") || ends("x") || ends("z") || ends("ch") || ends("sh")) return s + "es";
  if (ends("y") && s.size() > 1 && std::string_view("aeiou").find(s[s.size() - 2]) == std::string_view::npos)
    return s.substr(0, s.size() - 1) + "ies";
  return s + "s";
}
/// The column's name without a trailing `_id` / `Id` / `ID` ("" when it has none).
inline std::string strip_id(const std::string& c) {
  if (c.size() > 3 && (c.ends_with("_id") || c.ends_with("_ID") || c.ends_with("_Id"))) return c.substr(0, c.size() - 3);
  if (c.size() > 2 && (c.ends_with("Id") || c.ends_with("ID")) && std::islower(static_cast<unsigned char>(c[c.size() - 3])))
    return c.substr(0, c.size() - 2);
  return {};
}
/// `s` made a valid name: a leading digit gets `prefix`, a keyword or reserved name a trailing `_`.
inline std::string valid(std::string s, std::string_view prefix) {
  if (s.empty()) s = "x";
  if (std::isdigit(static_cast<unsigned char>(s[0]))) s = std::string(prefix) + s;
  while (s.find("__") != std::string::npos) s.erase(s.find("__"), 1);
  if (!cpp_identifier(s)) s += '_';
  if (!cpp_identifier(s)) s = std::string(prefix) + s;
  return s;
}
/// The items of `v`, each through `f`, with `sep` between them.
template <class F>
std::string join(const std::vector<std::string>& v, std::string_view sep, F&& f) {
  std::string s;
  for (std::size_t i = 0; i < v.size(); ++i) s += (i ? std::string(sep) : std::string()) + f(v[i]);
  return s;
}
}  // namespace codegen_names

}  // namespace athanor::migrate::detail
