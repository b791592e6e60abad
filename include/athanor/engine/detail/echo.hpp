// athanor/engine/detail/echo.hpp — the text `echo_parameters` logs for a statement's bound
// values: each shortened, secrets masked. Used by EngineState::echo only.
#pragma once

#include <string>  // std::string
#include <vector>  // std::vector

#include <athanor/config.hpp>
#include <athanor/core/detail/convert.hpp>

namespace athanor::detail {

/// How many characters of a text value echo shows; the rest is cut, its length said.
inline constexpr std::size_t echo_text_limit = 40;

/// "[1] 'ann', [2] 42, [3] ***, [4] <16 bytes>": one statement's values for the echo log.
ATHANOR_DECL std::string echo_parameters_text(const std::vector<Value>& values);

#if ATHANOR_DEFINITIONS
namespace echo_detail {
// A PasswordHash is bound as its PHC string ("$scrypt$ln=17,r=8,p=1$salt$hash", see
// auth/password_hash.hpp), and the Value no longer knows its column type: any text that
// opens with a PHC id ("$name$") is a hash to the log. Masking a rare ordinary string that
// looks like one costs nothing; logging a hash would.
inline bool looks_like_phc(const std::string& s) {
  if (s.size() < 3 || s[0] != '$') return false;
  std::size_t i = 1;
  while (i < s.size() && i < 34 && ((s[i] >= 'a' && s[i] <= 'z') || (s[i] >= '0' && s[i] <= '9') || s[i] == '-')) ++i;
  return i > 1 && i < s.size() && s[i] == '$';
}
/// `s` cut to echo_text_limit characters (never inside a UTF-8 sequence), quoted.
inline std::string shortened(const std::string& s) {
  if (s.size() <= echo_text_limit) return "'" + s + "'";
  std::size_t cut = echo_text_limit;
  while (cut > 0 && (static_cast<unsigned char>(s[cut]) & 0xC0) == 0x80) --cut;  // a continuation byte
  return "'" + s.substr(0, cut) + "…' (" + std::to_string(s.size()) + " bytes)";
}
}  // namespace echo_detail

ATHANOR_DECL std::string echo_parameters_text(const std::vector<Value>& values) {
  std::string out;
  for (std::size_t i = 0; i < values.size(); ++i) {
    if (i) out += ", ";
    out += '[' + std::to_string(i + 1) + "] ";
    const Value& v = values[i];
    if (v.is_null()) {
      out += "NULL";
    } else if (auto* s = std::get_if<std::string>(&v.variant())) {
      out += echo_detail::looks_like_phc(*s) ? std::string("***") : echo_detail::shortened(*s);
    } else if (auto* b = std::get_if<Bytes>(&v.variant())) {
      out += '<' + std::to_string(b->size()) + " bytes>";  // binary (LargeBinary): its size only
    } else if (v.holds<bool>() || v.holds<std::int64_t>() || v.holds<double>()) {
      out += value_to_text(v);
    } else {
      out += echo_detail::shortened(value_to_text(v));  // dates, decimals, JSON, UUIDs: as text
    }
  }
  return out;
}
#endif

}  // namespace athanor::detail
