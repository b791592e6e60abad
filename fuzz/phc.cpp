// fuzz/phc.cpp — libFuzzer target for reading a stored PHC string (./dev fuzz): the input is
// the string, optionally followed by '\n' and a password. It either parses or throws
// ArgumentError "[athanor.auth.phc] …" that never repeats the salt or hash; what parses is
// canonical (formats back to the same text) and within the caps of ScryptParams.
#include <cstddef>      // std::size_t
#include <cstdint>      // std::uint8_t, std::uint64_t
#include <cstdio>       // std::fprintf
#include <cstdlib>      // std::abort
#include <span>         // std::span
#include <string>       // std::string
#include <string_view>  // std::string_view
#include <vector>       // std::vector

#include <athanor/auth.hpp>

namespace {

using athanor::PasswordHash;
using athanor::ScryptParams;
namespace detail = athanor::detail;

void require(bool ok, const char* what, std::string_view input) {
  if (ok) return;
  std::fprintf(stderr, "invariant broken: %s\ninput: %.*s\n", what, static_cast<int>(input.size()), input.data());
  std::abort();
}

// Verification runs scrypt with the stored parameters. The caps still allow 1 GiB and about
// a second of work, far too slow for fuzzing (and over libFuzzer's memory limit with ASan);
// so verify() runs only for parameters up to 2^12 block mixes and 1 MiB. What bounds the
// expensive cases is that they are refused or accepted by phc_parse, fuzzed on every input.
constexpr std::uint64_t max_fuzz_work = std::uint64_t{1} << 12, max_fuzz_memory = std::uint64_t{1} << 20;

bool cheap(const ScryptParams& s) {
  std::uint64_t n = std::uint64_t{1} << s.log2_n;
  return n * s.r * s.p <= max_fuzz_work && 128 * s.r * n <= max_fuzz_memory;
}

void check_base64(std::string_view field, std::string_view input) {
  auto bytes = detail::base64_decode_unpadded(field);
  if (!bytes) return;
  // Strict decoding: one text per byte string, so it encodes back to the same text.
  require(detail::base64_encode_unpadded(*bytes) == field, "base64 decoding is not canonical", input);
}

// Another letter or digit of the same kind (ROT13, and +5 for digits); the rest as is.
char rotate(char c) {
  if (c >= 'A' && c <= 'Z') return static_cast<char>('A' + (c - 'A' + 13) % 26);
  if (c >= 'a' && c <= 'z') return static_cast<char>('a' + (c - 'a' + 13) % 26);
  if (c >= '0' && c <= '9') return static_cast<char>('0' + (c - '0' + 5) % 10);
  return c;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view input(reinterpret_cast<const char*>(data), size);
  auto newline = input.find('\n');
  std::string_view stored = input.substr(0, newline);
  std::string_view password = newline == std::string_view::npos ? std::string_view{} : input.substr(newline + 1);

  std::string_view fields[6];
  std::size_t n_fields = detail::phc_split(stored, '$', fields, 6);
  for (std::size_t i = 0; i < n_fields && i < 6; ++i) check_base64(fields[i], input);

  detail::PhcScrypt parsed;
  try {
    parsed = detail::phc_parse(stored);
  } catch (const athanor::ArgumentError& e) {
    std::string_view what = e.what();
    require(what.starts_with("[athanor.auth.phc] "), "error without its stable id", input);
    // "$scrypt$params$salt$hash": the salt and the hash (and whatever follows) stay secret.
    // Where the message seems to repeat one, the input with that field's letters and digits
    // rotated must fail with the same message (the overlap is then our own wording).
    for (std::size_t i = 3; i < n_fields && i < 6; ++i) {
      if (fields[i].size() < 12 || what.find(fields[i]) == std::string_view::npos) continue;
      std::string other(input);
      std::size_t at = static_cast<std::size_t>(fields[i].data() - input.data());
      for (std::size_t k = at; k < at + fields[i].size(); ++k) other[k] = rotate(other[k]);
      std::string other_what;
      try {
        detail::phc_parse(std::string_view(other).substr(0, stored.size()));
      } catch (const athanor::ArgumentError& e2) {
        other_what = e2.what();
      }
      require(other_what.empty() || other_what == what, "the error message repeats the salt or hash", input);
    }
    if (stored.empty()) {
      PasswordHash none = PasswordHash::from_phc("");
      require(none.empty() && !none.verify(password) && none.needs_rehash(), "the empty hash is not empty", input);
    } else {
      try {
        PasswordHash::from_phc(std::string(stored));
        require(false, "from_phc accepts what phc_parse refuses", input);
      } catch (const athanor::ArgumentError& e2) {
        require(what == e2.what(), "from_phc and phc_parse disagree", input);
      }
    }
    return 0;
  }

  // What parses is within every bound, and canonical.
  require(detail::scrypt_params_problem(parsed.params).empty(), "parameters over the caps were accepted", input);
  require(parsed.salt.size() >= detail::phc_min_salt && parsed.salt.size() <= detail::phc_max_salt, "salt size", input);
  require(parsed.hash.size() >= detail::phc_min_hash && parsed.hash.size() <= detail::phc_max_hash, "hash size", input);
  require(detail::phc_format(parsed) == stored, "a parsed PHC string formats to another text", input);

  PasswordHash h = PasswordHash::from_phc(std::string(stored));
  require(h.phc() == stored && !h.empty(), "from_phc does not keep the string", input);
  const ScryptParams& s = parsed.params;
  bool weaker = s.log2_n < 17 || s.r < 8 || s.p < 1 || parsed.salt.size() < PasswordHash::salt_bytes ||
                parsed.hash.size() < PasswordHash::hash_bytes;
  require(h.needs_rehash() == weaker, "needs_rehash disagrees with the parameters", input);
  require(h.needs_rehash(ScryptParams{1, 1, 1}) ==
              (parsed.salt.size() < PasswordHash::salt_bytes || parsed.hash.size() < PasswordHash::hash_bytes),
          "needs_rehash(minimal) disagrees with the sizes", input);

  if (!cheap(s)) return 0;
  (void)h.verify(password);
  // The stored salt and parameters with the hash of `password`: verify() says yes to it and
  // no to another password.
  detail::PhcScrypt mine = parsed;
  detail::scrypt_derive(password, mine.salt, std::uint64_t{1} << s.log2_n, s.r, s.p, std::span(mine.hash));
  PasswordHash ours = PasswordHash::from_phc(detail::phc_format(mine));
  require(ours.verify(password), "verify() refuses the password it was made from", input);
  require(!ours.verify(std::string(password) + "x"), "verify() accepts another password", input);
  return 0;
}
