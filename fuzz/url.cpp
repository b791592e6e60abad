// fuzz/url.cpp — libFuzzer target for URL::parse and URL::render (./dev fuzz).
// Any input either parses or throws ArgumentError "[athanor.argument.url] …"; what parses
// renders to text that parses back to the same URL, and the password never shows in the
// rendered text nor in a parse error.
#include <cctype>       // std::isxdigit, std::isalpha
#include <cstddef>      // std::size_t
#include <cstdint>      // std::uint8_t
#include <cstdio>       // std::fprintf
#include <cstdlib>      // std::abort
#include <string>       // std::string
#include <string_view>  // std::string_view
#include <utility>      // std::pair

#include <athanor/engine/url.hpp>

namespace {

void require(bool ok, const char* what, std::string_view input) {
  if (ok) return;
  std::fprintf(stderr, "invariant broken: %s\ninput: %.*s\n", what, static_cast<int>(input.size()), input.data());
  std::abort();
}

bool same(const athanor::URL& a, const athanor::URL& b) {
  return a.backend == b.backend && a.driver == b.driver && a.username == b.username && a.password == b.password &&
         a.host == b.host && a.port == b.port && a.database == b.database && a.query == b.query;
}

athanor::URL parse_or_die(const std::string& text, const char* what, std::string_view input) {
  try {
    return athanor::URL::parse(text);
  } catch (const athanor::ArgumentError& e) {
    std::fprintf(stderr, "rendered: %s\nerror: %s\n", text.c_str(), e.what());
    require(false, what, input);
  }
  return {};
}

// The password as parse() finds it (offset, length): between the first ':' and the last
// '@' of the authority, which ends at the first '?' and then at the first '/'.
std::pair<std::size_t, std::size_t> password_span(std::string_view input) {
  auto scheme_end = input.find("://");
  if (scheme_end == std::string_view::npos) return {0, 0};
  std::string_view rest = input.substr(scheme_end + 3);
  rest = rest.substr(0, rest.find('?'));
  rest = rest.substr(0, rest.find('/'));
  auto at = rest.rfind('@');
  if (at == std::string_view::npos) return {0, 0};
  auto colon = rest.substr(0, at).find(':');
  if (colon == std::string_view::npos) return {0, 0};
  return {scheme_end + 3 + colon + 1, at - colon - 1};
}

// Another byte of the same kind for a URL parser: hex digit for hex digit, other letter for
// other letter; everything else (punctuation, '%', controls, high bytes) stays.
char disguised(char c) {
  if (std::isxdigit(static_cast<unsigned char>(c))) return c == '7' ? '8' : '7';
  if (std::isalpha(static_cast<unsigned char>(c))) return c == 'Q' ? 'R' : 'Q';
  return c;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  std::string_view input(reinterpret_cast<const char*>(data), size);
  athanor::URL url;
  try {
    url = athanor::URL::parse(input);
  } catch (const athanor::ArgumentError& e) {
    std::string_view what = e.what();
    require(what.starts_with("[athanor.argument.url] malformed database URL: "), "error without its stable id", input);
    // The message never repeats the password: where it seems to, the same input with the
    // password's letters and digits changed (hex digits to hex digits, so that its '%'
    // escapes stay as valid or as broken as they were) must fail with the same message:
    // the overlap is then our own wording ("a '%' is not …"), not an echo of the input.
    auto [at, length] = password_span(input);
    if (length >= 4 && what.find(input.substr(at, length)) != std::string_view::npos) {
      std::string other(input);
      for (std::size_t i = at; i < at + length; ++i) other[i] = disguised(other[i]);
      try {
        athanor::URL::parse(other);
      } catch (const athanor::ArgumentError& e2) {
        require(what == e2.what(), "the error message repeats the password", input);
      }
    }
    return 0;
  }
  // Anything else (std::out_of_range, bad_alloc…) escapes and libFuzzer reports it.

  // render(false) is the URL again: parsing it gives the same parts.
  std::string shown = url.render(false);
  require(same(parse_or_die(shown, "render(false) does not parse", input), url), "render(false) parses to another URL",
          input);
  require(url.render(false) == parse_or_die(shown, "render(false) does not parse", input).render(false),
          "render(false) is not stable", input);

  // render() hides the password: its text parses to the same URL with "***" as the
  // password, so the password is nowhere else in it either.
  std::string hidden = url.render();
  require(hidden == url.to_string(), "to_string() differs from render()", input);
  athanor::URL masked = parse_or_die(hidden, "render() does not parse", input);
  athanor::URL expected = url;
  if (!expected.password.empty()) expected.password = "***";
  require(same(masked, expected), "render() is not the URL with its password masked", input);
  // A direct look as well, for passwords whose text cannot arise at the ":***@" seam.
  if (url.password.size() >= 4 && url.password.find_first_of("*:@") == std::string::npos) {
    athanor::URL without = url;
    without.password.clear();
    std::string rest = without.render(false);
    require(rest.find(url.password) != std::string::npos || hidden.find(url.password) == std::string::npos,
            "render() shows the password", input);
  }
  return 0;
}
