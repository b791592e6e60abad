// athanor/driver/url.hpp — `URL`, the parsed form of a database URL
// (`dialect[+driver]://user:password@host:port/database?key=value`), as SQLAlchemy's
// `make_url`. Its text form never shows the password. It sits in the driver layer, below the
// engine, because the drivers connect from it (<athanor/engine/url.hpp> forwards here).
#pragma once

#include <map>          // std::map
#include <optional>     // std::optional
#include <string>       // std::string
#include <string_view>  // std::string_view

#include <athanor/config.hpp>
#include <athanor/core/error.hpp>

namespace athanor {

/// A parsed database URL.
/// **Example**: `URL::parse("postgresql://ann:secret@localhost:5432/blog?sslmode=disable")`;
/// SQLite: `sqlite://` (in memory), `sqlite:///relative.db`, `sqlite:////absolute/path.db`.
struct URL {
  std::string backend;   ///< "sqlite", "postgresql" or "mysql"
  std::string driver;    ///< what followed '+' in the scheme, if anything
  std::string username;  ///< "" when none
  std::string password;  ///< kept out of every message and log
  std::string host;  ///< "" when none (SQLite, or the server's default socket)
  std::optional<int> port;  ///< unset: the backend's default
  std::string database;  ///< SQLite: the file path; "" or ":memory:" for an in-memory database
  std::map<std::string, std::string> query;  ///< the `?key=value` options (`unix_socket`, `sslmode`…)

  static URL parse(std::string_view text);  ///< Parses `text` (ArgumentError naming what is wrong, never the password).

  /// Whether it is an in-memory SQLite database (one connection, shared: see Pool).
  bool is_memory() const { return backend == "sqlite" && (database.empty() || database == ":memory:"); }
  /// The query option `key`, or `fallback`.
  std::string option(const std::string& key, std::string fallback = {}) const {
    auto it = query.find(key);
    return it == query.end() ? fallback : it->second;
  }
  /// The URL as text, with the password shown as "***" unless asked otherwise.
  std::string render(bool hide_password = true) const;
  std::string to_string() const { return render(true); }  ///< The URL as text, the password as "***".

 private:
  /// Percent-encodes all but unreserved characters and those of `keep`: '/' stays where the
  /// parser allows it (the database and query), not in the user or password; ':' stays in a
  /// SQLite path (":memory:").
  static std::string encode(const std::string& s, std::string_view keep);
};

#if ATHANOR_DEFINITIONS
namespace detail {
[[noreturn]] ATHANOR_DECL void bad_url(std::string_view why) {
  // The URL itself is not repeated: it may hold a password.
  throw ArgumentError("[athanor.argument.url] malformed database URL: " + std::string(why));
}
ATHANOR_DECL std::string percent_decode(std::string_view s) {
  std::string out;
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (s[i] != '%') {
      out += s[i];
      continue;
    }
    auto hex = [](char c) -> int {
      if (c >= '0' && c <= '9') return c - '0';
      if (c >= 'a' && c <= 'f') return c - 'a' + 10;
      if (c >= 'A' && c <= 'F') return c - 'A' + 10;
      return -1;
    };
    int hi = i + 2 < s.size() ? hex(s[i + 1]) : -1, lo = i + 2 < s.size() ? hex(s[i + 2]) : -1;
    if (hi < 0 || lo < 0) bad_url("a '%' is not followed by two hex digits");
    out += static_cast<char>(hi * 16 + lo);
    i += 2;
  }
  return out;
}
}  // namespace detail

ATHANOR_DECL URL URL::parse(std::string_view text) {
  URL u;
  auto scheme_end = text.find("://");
  if (scheme_end == std::string_view::npos || scheme_end == 0) detail::bad_url("expected 'backend://…'");
  std::string scheme(text.substr(0, scheme_end));
  if (auto plus = scheme.find('+'); plus != std::string::npos) u.driver = scheme.substr(plus + 1), scheme.resize(plus);
  for (char& c : scheme) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  if (scheme == "postgres") scheme = "postgresql";
  if (scheme == "mariadb") scheme = "mysql";
  if (scheme != "sqlite" && scheme != "postgresql" && scheme != "mysql") {
    detail::bad_url("unknown backend '" + scheme.substr(0, 40) + "' (use sqlite, postgresql or mysql)");
  }
  u.backend = scheme;
  std::string_view rest = text.substr(scheme_end + 3);
  if (auto q = rest.find('?'); q != std::string_view::npos) {
    std::string_view query = rest.substr(q + 1);
    rest = rest.substr(0, q);
    while (!query.empty()) {
      auto amp = query.find('&');
      auto pair = query.substr(0, amp);
      auto eq = pair.find('=');
      if (eq == 0 || pair.empty()) detail::bad_url("an empty query option");
      std::string key = detail::percent_decode(pair.substr(0, eq));
      u.query[key] = eq == std::string_view::npos ? "" : detail::percent_decode(pair.substr(eq + 1));
      query = amp == std::string_view::npos ? std::string_view{} : query.substr(amp + 1);
    }
  }
  if (u.backend == "sqlite") {
    // sqlite://           → in memory;  sqlite:///x.db → "x.db";  sqlite:////abs/x.db → "/abs/x.db"
    if (rest.empty()) return u;
    if (rest[0] != '/') detail::bad_url("a SQLite URL has no host: use sqlite:///relative.db or sqlite:////absolute.db");
    u.database = detail::percent_decode(rest.substr(1));
    return u;
  }
  auto slash = rest.find('/');
  std::string_view authority = rest.substr(0, slash);
  if (slash != std::string_view::npos) u.database = detail::percent_decode(rest.substr(slash + 1));
  if (auto at = authority.rfind('@'); at != std::string_view::npos) {
    auto userinfo = authority.substr(0, at);
    authority = authority.substr(at + 1);
    auto colon = userinfo.find(':');
    u.username = detail::percent_decode(userinfo.substr(0, colon));
    if (colon != std::string_view::npos) u.password = detail::percent_decode(userinfo.substr(colon + 1));
  }
  std::string_view port;
  if (!authority.empty() && authority[0] == '[') {  // [IPv6]
    auto close = authority.find(']');
    if (close == std::string_view::npos) detail::bad_url("an IPv6 host lacks its closing ']'");
    u.host = std::string(authority.substr(1, close - 1));
    auto after = authority.substr(close + 1);
    if (!after.empty()) {
      if (after[0] != ':') detail::bad_url("unexpected text after the IPv6 host");
      port = after.substr(1);
    }
  } else {
    auto colon = authority.find(':');
    u.host = detail::percent_decode(authority.substr(0, colon));
    if (colon != std::string_view::npos) port = authority.substr(colon + 1);
  }
  if (!port.empty() || authority.ends_with(':')) {
    int p = 0;
    for (char c : port) {
      if (c < '0' || c > '9' || p > 65535) detail::bad_url("the port is not a number from 1 to 65535");
      p = p * 10 + (c - '0');
    }
    if (p < 1 || p > 65535) detail::bad_url("the port is not a number from 1 to 65535");
    u.port = p;
  }
  for (char c : u.host) {
    if (c == '/' || c == '@' || c == ' ' || c == '\0') detail::bad_url("the host name contains an invalid character");
  }
  return u;
}

// Out of line (issue 17): rendering serves echo, messages and Engine::to_string, never a row,
// and each file that used it compiled its ~4 KB of string building again.
ATHANOR_DECL std::string URL::render(bool hide_password) const {
  std::string s = backend + (driver.empty() ? "" : "+" + driver) + "://";
  if (!username.empty() || !password.empty()) {
    s += encode(username, "");
    if (!password.empty()) s += ':' + (hide_password ? std::string("***") : encode(password, ""));
    s += '@';
  }
  // A host with a colon is an IPv6 address: bracketed and as is, which parse() reads back
  // when it holds no ']' or '?'. Any other host is percent-encoded, as parse() decodes it.
  bool ipv6 = host.find(':') != std::string::npos && host.find_first_of("]?") == std::string::npos;
  s += ipv6 ? '[' + host + ']' : encode(host, "");
  if (port) s += ':' + std::to_string(*port);
  if (!database.empty()) s += '/' + encode(database, backend == "sqlite" ? "/:" : "/");
  char sep = '?';
  for (auto& [k, v] : query) s += sep + encode(k, "/") + '=' + encode(v, "/"), sep = '&';
  return s;
}
ATHANOR_DECL std::string URL::encode(const std::string& s, std::string_view keep) {
  static constexpr char hex[] = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : s) {
    bool unreserved = std::isalnum(c) || c == '-' || c == '.' || c == '_' || c == '~';
    if (unreserved || keep.find(static_cast<char>(c)) != std::string_view::npos) {
      out += static_cast<char>(c);
    } else {
      out += '%', out += hex[c >> 4], out += hex[c & 15];
    }
  }
  return out;
}

#endif  // ATHANOR_DEFINITIONS

}  // namespace athanor
