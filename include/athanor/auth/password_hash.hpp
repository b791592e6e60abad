// athanor/auth/password_hash.hpp — `PasswordHash`: a scrypt password hash kept as a PHC
// string, with constant-time verify and rehash-on-upgrade, plus the column mapping that
// lets a model hold `Mapped<PasswordHash>`. Needs OpenSSL 3 (libcrypto); the rest of
// athanor does not, so only code that hashes passwords includes this.
#pragma once

#include <array>        // std::array
#include <cstdint>      // std::uint64_t
#include <cstddef>      // std::size_t
#include <span>         // std::span
#include <string>       // std::string
#include <string_view>  // std::string_view
#include <utility>      // std::move

#include <athanor/auth/detail/config.hpp>
#include <athanor/auth/detail/phc.hpp>
#include <athanor/auth/detail/scrypt.hpp>
#include <athanor/auth/scrypt_params.hpp>
#include <athanor/core/error.hpp>
#include <athanor/orm/column_traits.hpp>

namespace athanor {

/// A salted scrypt hash of a password, as the PHC string
/// `$scrypt$ln=17,r=8,p=1$<salt, base64>$<hash, base64>` (base64 without padding, the
/// format of the PHC string spec and of passlib). A default-constructed PasswordHash is
/// empty and verifies no password. Equality compares the PHC strings. Passwords are bytes:
/// no Unicode normalisation, and (a property of scrypt's HMAC step, RFC 2104 §2) trailing
/// NUL bytes do not change a password.
/// **Example**:
/// ```
/// auto h = athanor::PasswordHash::hash("correct horse");   // ~0.3 s, 128 MiB: on purpose
/// h.verify("correct horse");                                // true
/// h.verify("Correct horse");                                // false
/// std::string stored = h.phc();                             // store this…
/// auto back = athanor::PasswordHash::from_phc(stored);      // …and read it back (validated)
/// if (back.verify(pw) && back.needs_rehash()) h = athanor::PasswordHash::hash(pw);  // upgrade
/// ```
class PasswordHash {
 public:
  static constexpr std::size_t salt_bytes = 16;  ///< per hash, from RAND_bytes
  static constexpr std::size_t hash_bytes = 32;  ///< scrypt's dkLen

  /// The empty hash: verify() is false for every password, phc() is "".
  PasswordHash() = default;

  /// Hashes `plain` with a fresh random salt. Parameters below `recommended()` are for
  /// tests and migrations; parameters over the caps in ScryptParams throw ArgumentError
  /// "[athanor.auth.params] …". OpenSSL failures throw Error "[athanor.auth.kdf] …".
  ATHANOR_AUTH_DECL static PasswordHash hash(std::string_view plain, ScryptParams params = ScryptParams::recommended());

  /// Reads a stored PHC string. "" gives the empty hash; anything else must be a
  /// well-formed scrypt PHC string within the caps of ScryptParams, a salt of 8–64 bytes
  /// and a hash of 16–64 bytes, at most 255 characters; otherwise ArgumentError
  /// "[athanor.auth.phc] <what is wrong>" (the message never repeats the string).
  ATHANOR_AUTH_DECL static PasswordHash from_phc(std::string phc);

  /// Whether `plain` is the password: scrypt with the stored salt and parameters, then a
  /// constant-time comparison (CRYPTO_memcmp), so the time taken does not tell how many
  /// leading bytes matched.
  ATHANOR_AUTH_DECL bool verify(std::string_view plain) const;

  /// Whether this hash is weaker than what `hash()` would make now: any parameter below
  /// `current`, or a salt or hash shorter than salt_bytes / hash_bytes. Also true for the
  /// empty hash. Check it after a successful verify(), when the password is at hand.
  ATHANOR_AUTH_DECL bool needs_rehash(ScryptParams current = ScryptParams::recommended()) const;

  /// The PHC string, "" when empty: what goes into the database.
  const std::string& phc() const { return phc_; }
  bool empty() const { return phc_.empty(); }  ///< Whether there is no hash (a default-constructed PasswordHash).

  friend bool operator==(const PasswordHash& a, const PasswordHash& b) { return a.phc_ == b.phc_; }  ///< The same PHC string (not a password check: that is verify()).

 private:
  std::string phc_;
  detail::PhcScrypt parsed_;
};

}  // namespace athanor

// Defined once with ATHANOR_SEPARATE_COMPILATION (auth/detail/config.hpp, issue 17); CRYPTO_memcmp
// and OPENSSL_cleanse come with them.
#if ATHANOR_AUTH_DEFINITIONS
#include <openssl/crypto.h>

namespace athanor {
ATHANOR_AUTH_DECL PasswordHash PasswordHash::hash(std::string_view plain, ScryptParams params) {
  if (auto problem = detail::scrypt_params_problem(params); !problem.empty()) {
    throw ArgumentError("[athanor.auth.params] " + problem);
  }
  PasswordHash h;
  h.parsed_.params = params;
  h.parsed_.salt.resize(salt_bytes);
  h.parsed_.hash.resize(hash_bytes);
  detail::random_bytes(h.parsed_.salt);
  detail::scrypt_derive(plain, h.parsed_.salt, std::uint64_t{1} << params.log2_n, params.r, params.p, h.parsed_.hash);
  h.phc_ = detail::phc_format(h.parsed_);
  return h;
}

ATHANOR_AUTH_DECL PasswordHash PasswordHash::from_phc(std::string phc) {
  PasswordHash h;
  if (phc.empty()) return h;
  h.parsed_ = detail::phc_parse(phc);
  h.phc_ = std::move(phc);
  return h;
}

ATHANOR_AUTH_DECL bool PasswordHash::verify(std::string_view plain) const {
  if (empty()) return false;
  std::array<unsigned char, detail::phc_max_hash> buf{};
  std::span<unsigned char> derived(buf.data(), parsed_.hash.size());
  const ScryptParams& s = parsed_.params;
  detail::scrypt_derive(plain, parsed_.salt, std::uint64_t{1} << s.log2_n, s.r, s.p, derived);
  bool same = CRYPTO_memcmp(derived.data(), parsed_.hash.data(), derived.size()) == 0;
  OPENSSL_cleanse(buf.data(), buf.size());
  return same;
}

ATHANOR_AUTH_DECL bool PasswordHash::needs_rehash(ScryptParams current) const {
  if (empty()) return true;
  const ScryptParams& s = parsed_.params;
  return s.log2_n < current.log2_n || s.r < current.r || s.p < current.p || parsed_.salt.size() < salt_bytes ||
         parsed_.hash.size() < hash_bytes;
}
}  // namespace athanor
#endif  // ATHANOR_AUTH_DEFINITIONS

namespace athanor::orm {

/// `Mapped<PasswordHash>`: the PHC string in a String(255) column. Reading a row whose
/// value is not a valid PHC string throws ArgumentError "[athanor.auth.phc] …".
template <>
struct column_traits<PasswordHash> {
  static SqlType sql_type() { return String{static_cast<int>(athanor::detail::phc_max_length)}; }  ///< String(phc_max_length)
  static Value to_value(const PasswordHash& h) { return Value(h.phc()); }  ///< The PHC string.
  /// The hash of a PHC string (ArgumentError when it is not a valid one).
  static PasswordHash from_value(const Value& v) {
    return PasswordHash::from_phc(athanor::detail::from_value<std::string>(v));
  }
};

}  // namespace athanor::orm
