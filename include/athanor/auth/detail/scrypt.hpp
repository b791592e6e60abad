// athanor/auth/detail/scrypt.hpp — raw scrypt (RFC 7914) through OpenSSL 3's EVP_KDF, and
// random salt bytes. The one place in athanor that calls OpenSSL; used by
// auth/password_hash.hpp and by the RFC 7914 test vectors.
#pragma once

#if !__has_include(<openssl/kdf.h>)
#  error "athanor/auth needs the OpenSSL 3 headers (Debian: libssl-dev) and linking with libcrypto"
#endif

#include <cstdint>      // std::uint32_t, std::uint64_t
#include <span>         // std::span
#include <string_view>  // std::string_view

#include <athanor/auth/detail/config.hpp>

namespace athanor::detail {

/// Throws Error "[athanor.auth.kdf] <what>: <OpenSSL's reason>" and empties OpenSSL's
/// thread-local error queue, so that a later failure does not report this one.
[[noreturn]] ATHANOR_AUTH_DECL void openssl_error(const char* what);
/// The memory OpenSSL's scrypt allocates: B = 128·r·p plus V, X and T = 128·r·(N + 2)
/// (providers/implementations/kdfs/scrypt.c). Saturates instead of wrapping; OpenSSL
/// refuses the impossible values itself.
ATHANOR_AUTH_DECL std::uint64_t scrypt_memory(std::uint64_t n, std::uint64_t r, std::uint64_t p);
/// scrypt(P = pass, S = salt, N = n, r, p, dkLen = out.size()) into `out`. The password goes
/// to OpenSSL by pointer: no std::string copy here, and OpenSSL's own copy in the KDF
/// context is freed with OPENSSL_clear_free. maxmem_bytes is set to exactly what these
/// parameters need (OpenSSL's default of 32 MiB would refuse N = 2^17, r = 8).
ATHANOR_AUTH_DECL void scrypt_derive(std::string_view pass, std::span<const unsigned char> salt, std::uint64_t n,
                                     std::uint32_t r, std::uint32_t p, std::span<unsigned char> out);
/// `out.size()` bytes from OpenSSL's CSPRNG (RAND_bytes: the default DRBG, seeded by the OS).
ATHANOR_AUTH_DECL void random_bytes(std::span<unsigned char> out);

}  // namespace athanor::detail

// The definitions, and OpenSSL's headers with them: with ATHANOR_SEPARATE_COMPILATION only
// <athanor/src.hpp>'s unit parses them (issue 17).
#if ATHANOR_AUTH_DEFINITIONS
#include <openssl/core_names.h>
#include <openssl/crypto.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/kdf.h>
#include <openssl/params.h>
#include <openssl/rand.h>

#include <limits>  // std::numeric_limits
#include <memory>  // std::unique_ptr
#include <string>  // std::string

#include <athanor/core/error.hpp>

namespace athanor::detail {

[[noreturn]] ATHANOR_AUTH_DECL void openssl_error(const char* what) {
  unsigned long code = ERR_get_error();
  char reason[256] = "no reason given";
  if (code != 0) ERR_error_string_n(code, reason, sizeof reason);
  ERR_clear_error();
  throw Error(std::string("[athanor.auth.kdf] ") + what + ": " + reason);
}

ATHANOR_AUTH_DECL std::uint64_t scrypt_memory(std::uint64_t n, std::uint64_t r, std::uint64_t p) {
  constexpr auto max = std::numeric_limits<std::uint64_t>::max();
  if (r == 0) return max;
  std::uint64_t limit = max / 128 / r;
  if (p + 2 > limit || n > limit - p - 2) return max;
  return 128 * r * (n + p + 2);
}

ATHANOR_AUTH_DECL void scrypt_derive(std::string_view pass, std::span<const unsigned char> salt, std::uint64_t n,
                                     std::uint32_t r, std::uint32_t p, std::span<unsigned char> out) {
  struct KdfFree {
    void operator()(EVP_KDF* k) const { EVP_KDF_free(k); }
    void operator()(EVP_KDF_CTX* c) const { EVP_KDF_CTX_free(c); }
  };
  std::unique_ptr<EVP_KDF, KdfFree> kdf(EVP_KDF_fetch(nullptr, OSSL_KDF_NAME_SCRYPT, nullptr));
  if (!kdf) openssl_error("cannot fetch the SCRYPT key derivation function");
  std::unique_ptr<EVP_KDF_CTX, KdfFree> ctx(EVP_KDF_CTX_new(kdf.get()));
  if (!ctx) openssl_error("cannot create a SCRYPT context");

  // OSSL_PARAM wants non-const pointers but only reads the octet strings. An empty
  // string_view may have a null data(); give OpenSSL a valid address for zero bytes.
  static unsigned char empty = 0;
  auto bytes = [](const void* data) { return data ? const_cast<void*>(data) : static_cast<void*>(&empty); };
  std::uint64_t maxmem = scrypt_memory(n, r, p);
  OSSL_PARAM params[] = {
      OSSL_PARAM_construct_octet_string(OSSL_KDF_PARAM_PASSWORD, bytes(pass.data()), pass.size()),
      OSSL_PARAM_construct_octet_string(OSSL_KDF_PARAM_SALT, bytes(salt.data()), salt.size()),
      OSSL_PARAM_construct_uint64(OSSL_KDF_PARAM_SCRYPT_N, &n),
      OSSL_PARAM_construct_uint32(OSSL_KDF_PARAM_SCRYPT_R, &r),
      OSSL_PARAM_construct_uint32(OSSL_KDF_PARAM_SCRYPT_P, &p),
      OSSL_PARAM_construct_uint64(OSSL_KDF_PARAM_SCRYPT_MAXMEM, &maxmem),
      OSSL_PARAM_construct_end(),
  };
  if (EVP_KDF_derive(ctx.get(), out.data(), out.size(), params) != 1) {
    OPENSSL_cleanse(out.data(), out.size());
    openssl_error("scrypt failed");
  }
}

ATHANOR_AUTH_DECL void random_bytes(std::span<unsigned char> out) {
  if (RAND_bytes(out.data(), static_cast<int>(out.size())) != 1) openssl_error("RAND_bytes failed");
}

}  // namespace athanor::detail
#endif  // ATHANOR_AUTH_DEFINITIONS
