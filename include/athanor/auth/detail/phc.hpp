// athanor/auth/detail/phc.hpp — reading and writing the PHC string of a scrypt hash,
// `$scrypt$ln=<log2 N>,r=<r>,p=<p>$<salt>$<hash>`. Used by auth/password_hash.hpp only.
// Reading validates everything, since a stored string is untrusted input.
#pragma once

#include <charconv>      // std::from_chars
#include <cstddef>       // std::size_t
#include <string>        // std::string, std::to_string
#include <string_view>   // std::string_view
#include <system_error>  // std::errc
#include <utility>       // std::move
#include <vector>        // std::vector

#include <athanor/auth/detail/base64.hpp>
#include <athanor/auth/detail/config.hpp>
#include <athanor/auth/scrypt_params.hpp>
#include <athanor/core/error.hpp>

namespace athanor::detail {

// The field layout is passlib's and the PHC reference's for scrypt
// (https://github.com/P-H-C/phc-string-format/blob/master/phc-sf-spec.md; passlib's
// scrypt handler writes the same "ln=,r=,p=" names), so hashes move between those tools.
inline constexpr std::size_t phc_max_length = 255;  // the width of the column that stores it
inline constexpr std::size_t phc_min_salt = 8, phc_max_salt = 64;
inline constexpr std::size_t phc_min_hash = 16, phc_max_hash = 64;

struct PhcScrypt {
  ScryptParams params;
  std::vector<unsigned char> salt;
  std::vector<unsigned char> hash;
};

[[noreturn]] ATHANOR_AUTH_DECL void phc_error(const std::string& what);
ATHANOR_AUTH_DECL std::string phc_format(const PhcScrypt& h);
/// Splits `s` at each `sep` into `out` (at most `max` parts kept); returns how many parts
/// there are in all, so that a caller can refuse too many or too few.
ATHANOR_AUTH_DECL std::size_t phc_split(std::string_view s, char sep, std::string_view* out, std::size_t max);
ATHANOR_AUTH_DECL unsigned phc_param(std::string_view field, const char* name);
ATHANOR_AUTH_DECL std::vector<unsigned char> phc_bytes(std::string_view field, const char* name, std::size_t min, std::size_t max);
/// Parses and validates; throws ArgumentError "[athanor.auth.phc] …". Messages say what is
/// wrong but never repeat the string (a hash is still a secret worth not logging).
ATHANOR_AUTH_DECL PhcScrypt phc_parse(std::string_view s);

// Defined once with ATHANOR_SEPARATE_COMPILATION (auth/detail/config.hpp, issue 17).
#if ATHANOR_AUTH_DEFINITIONS
[[noreturn]] ATHANOR_AUTH_DECL void phc_error(const std::string& what) { throw ArgumentError("[athanor.auth.phc] " + what); }

ATHANOR_AUTH_DECL std::string phc_format(const PhcScrypt& h) {
  return "$scrypt$ln=" + std::to_string(h.params.log2_n) + ",r=" + std::to_string(h.params.r) +
         ",p=" + std::to_string(h.params.p) + "$" + base64_encode_unpadded(h.salt) + "$" + base64_encode_unpadded(h.hash);
}

ATHANOR_AUTH_DECL std::size_t phc_split(std::string_view s, char sep, std::string_view* out, std::size_t max) {
  std::size_t n = 0;
  for (;;) {
    auto j = s.find(sep);
    if (n < max) out[n] = s.substr(0, j);
    ++n;
    if (j == s.npos) return n;
    s.remove_prefix(j + 1);
  }
}

// PHC decimals: digits only, no sign, no leading zero (one spelling per value). Values
// above 9999 are refused here already; the caps in ScryptParams are far lower.
ATHANOR_AUTH_DECL unsigned phc_param(std::string_view field, const char* name) {
  std::string_view kv[2];
  if (phc_split(field, '=', kv, 2) != 2 || kv[0] != name) {
    phc_error(std::string("parameters must be ln=<log2 N>,r=<r>,p=<p> in this order; expected ") + name + "=");
  }
  field = kv[1];
  unsigned v = 0;
  auto [end, ec] = std::from_chars(field.data(), field.data() + field.size(), v);
  if (field.empty() || field.size() > 4 || ec != std::errc{} || end != field.data() + field.size() ||
      (field.size() > 1 && field[0] == '0')) {
    phc_error(std::string(name) + " must be a decimal number without sign or leading zeros");
  }
  return v;
}

ATHANOR_AUTH_DECL std::vector<unsigned char> phc_bytes(std::string_view field, const char* name, std::size_t min, std::size_t max) {
  auto bytes = base64_decode_unpadded(field);
  if (!bytes) phc_error(std::string(name) + " is not valid base64 (standard alphabet, no '=' padding)");
  if (bytes->size() < min || bytes->size() > max) {
    phc_error(std::string(name) + " must be " + std::to_string(min) + " to " + std::to_string(max) + " bytes, got " +
              std::to_string(bytes->size()));
  }
  return std::move(*bytes);
}

ATHANOR_AUTH_DECL PhcScrypt phc_parse(std::string_view s) {
  static constexpr const char* layout = "expected $scrypt$ln=<log2 N>,r=<r>,p=<p>$<salt>$<hash>";
  if (s.size() > phc_max_length) phc_error("the string is longer than " + std::to_string(phc_max_length) + " characters");
  if (s.empty() || s[0] != '$') phc_error(std::string("not a PHC string: ") + layout);
  s.remove_prefix(1);
  std::string_view field[4];
  std::size_t n = phc_split(s, '$', field, 4);
  const auto [id, params, salt, hash] = field;
  if (id != "scrypt") {
    // Name the algorithm only when it is a well-known one (helps a migration); anything else
    // might be a plain-text password stored by mistake, and messages never hold those.
    static constexpr std::string_view known[] = {"argon2id", "argon2i", "argon2d", "bcrypt", "bcrypt-sha256", "2a", "2b",
                                                 "2y", "pbkdf2", "pbkdf2-sha256", "pbkdf2-sha512", "1", "5", "6", "7", "y"};
    bool is_known = false;
    for (auto k : known) is_known = is_known || id == k;
    phc_error((is_known ? "unsupported algorithm '" + std::string(id) + "'" : std::string("unsupported algorithm")) +
              "; only scrypt is supported");
  }
  if (n != 4) phc_error(std::string("wrong number of fields: ") + layout);
  if (params.empty() || salt.empty() || hash.empty()) phc_error(std::string("empty field: ") + layout);
  std::string_view kv[3];
  if (phc_split(params, ',', kv, 3) != 3) phc_error("parameters must be ln=<log2 N>,r=<r>,p=<p>, exactly these three");
  PhcScrypt out;
  out.params.log2_n = phc_param(kv[0], "ln");
  out.params.r = phc_param(kv[1], "r");
  out.params.p = phc_param(kv[2], "p");
  if (auto problem = scrypt_params_problem(out.params); !problem.empty()) phc_error(problem);
  out.salt = phc_bytes(salt, "salt", phc_min_salt, phc_max_salt);
  out.hash = phc_bytes(hash, "hash", phc_min_hash, phc_max_hash);
  return out;
}
#endif  // ATHANOR_AUTH_DEFINITIONS

}  // namespace athanor::detail
