// athanor/auth/scrypt_params.hpp — `ScryptParams`: the cost of a scrypt password hash
// (N as log2, r, p), the recommended values and the caps every stored hash must respect.
// Used by auth/password_hash.hpp; no OpenSSL here.
#pragma once

#include <cstdint>  // std::uint64_t
#include <string>   // std::string, std::to_string

#include <athanor/auth/detail/config.hpp>

namespace athanor {

/// scrypt's cost parameters (RFC 7914 §2): N = 2^log2_n (CPU/memory cost), r (block size),
/// p (parallelisation). Memory is about 128·r·N bytes, time about N·r·p block mixes.
/// **Example**: `PasswordHash::hash(pw, ScryptParams{.log2_n = 18, .r = 8, .p = 1})`
struct ScryptParams {
  unsigned log2_n = 17;  ///< N = 2^log2_n
  unsigned r = 8;  ///< block size (128·r bytes)
  unsigned p = 1;  ///< parallelisation

  /// OWASP's current minimum for scrypt: N = 2^17, r = 8 (1024-byte blocks), p = 1, i.e.
  /// 128 MiB per hash. Password Storage Cheat Sheet, "scrypt":
  /// https://cheatsheetseries.owasp.org/cheatsheets/Password_Storage_Cheat_Sheet.html#scrypt
  static constexpr ScryptParams recommended() { return {17, 8, 1}; }

  // Caps, enforced when hashing and when reading a stored PHC string, so that a hostile or
  // corrupted row cannot make verify() allocate gigabytes or spin for minutes:
  static constexpr unsigned max_log2_n = 20;  ///< N ≤ 2^20
  static constexpr unsigned max_r = 32;  ///< r ≤ 32
  static constexpr unsigned max_p = 16;  ///< p ≤ 16
  static constexpr std::uint64_t max_memory = std::uint64_t{1} << 30;  ///< 128·r·N ≤ 1 GiB
  static constexpr std::uint64_t max_work = std::uint64_t{1} << 24;    ///< N·r·p ≤ 2^24 (16× recommended)

  friend constexpr bool operator==(const ScryptParams&, const ScryptParams&) = default;  ///< The same three parameters.
};

namespace detail {

/// What is wrong with these parameters ("" when nothing): the RFC 7914 §2 rules plus the caps.
ATHANOR_AUTH_DECL std::string scrypt_params_problem(const ScryptParams& s);

#if ATHANOR_AUTH_DEFINITIONS
ATHANOR_AUTH_DECL std::string scrypt_params_problem(const ScryptParams& s) {
  using P = ScryptParams;
  auto range = [](const char* name, unsigned v, unsigned max) {
    return std::string(name) + "=" + std::to_string(v) + " is out of range 1.." + std::to_string(max);
  };
  if (s.log2_n < 1 || s.log2_n > P::max_log2_n) return range("ln", s.log2_n, P::max_log2_n);
  if (s.r < 1 || s.r > P::max_r) return range("r", s.r, P::max_r);
  if (s.p < 1 || s.p > P::max_p) return range("p", s.p, P::max_p);
  // RFC 7914 §2: "N … less than 2^(128 * r / 8)".
  if (s.log2_n >= 16 * s.r) return "ln=" + std::to_string(s.log2_n) + " needs r > " + std::to_string(s.log2_n / 16) + " (RFC 7914: N < 2^(16·r))";
  std::uint64_t n = std::uint64_t{1} << s.log2_n;
  if (128 * s.r * n > P::max_memory) {
    return "ln=" + std::to_string(s.log2_n) + ",r=" + std::to_string(s.r) + " needs " + std::to_string(128 * s.r * n >> 20) +
           " MiB; the cap is " + std::to_string(P::max_memory >> 20) + " MiB (128·r·N)";
  }
  if (n * s.r * s.p > P::max_work) {
    return "ln=" + std::to_string(s.log2_n) + ",r=" + std::to_string(s.r) + ",p=" + std::to_string(s.p) +
           " is more work than the cap N·r·p ≤ 2^24";
  }
  return {};
}
#endif  // ATHANOR_AUTH_DEFINITIONS

}  // namespace detail
}  // namespace athanor
