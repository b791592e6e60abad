// test/support/function_refs.hpp — what the portable SQL functions (core/functions.hpp,
// orm/functions.hpp) must answer, computed in C++ over the values a test inserted, and the
// seeded generators of those values. Shared by test/core/functions.cpp and test/orm/functions.cpp.
#pragma once

#include <athanor/core/value.hpp>

#include <chrono>
#include <cstdint>
#include <optional>
#include <random>
#include <string>
#include <vector>

namespace test::ref {

/// round(k / 1000, n) half away from zero, for 0 <= n <= 3: the decimal value, as the servers
/// round it (PostgreSQL and MariaDB as NUMERIC/DECIMAL, SQLite through its printf).
inline double round_milli(std::int64_t k, int n) {
  std::int64_t unit = 1;
  for (int i = n; i < 3; ++i) unit *= 10;
  std::int64_t a = k < 0 ? -k : k, q = a / unit;
  if (2 * (a % unit) >= unit) ++q;
  double scale = 1;
  for (int i = 0; i < n; ++i) scale *= 10;
  return (k < 0 ? -1.0 : 1.0) * static_cast<double>(q) / scale;
}

/// The code points of UTF-8 text, each as its bytes.
inline std::vector<std::string> chars(const std::string& s) {
  std::vector<std::string> out;
  for (std::size_t i = 0; i < s.size();) {
    auto b = static_cast<unsigned char>(s[i]);
    std::size_t n = b < 0x80 ? 1 : b < 0xE0 ? 2 : b < 0xF0 ? 3 : 4;
    out.push_back(s.substr(i, n));
    i += n;
  }
  return out;
}
/// substr(s, start, length) on characters, 1-based (start >= 1).
inline std::string substr(const std::string& s, std::int64_t start, std::int64_t length = 1 << 30) {
  auto cs = chars(s);
  std::string out;
  for (std::int64_t i = start - 1; i < static_cast<std::int64_t>(cs.size()) && i < start - 1 + length; ++i) out += cs[static_cast<std::size_t>(i)];
  return out;
}
inline std::int64_t length(const std::string& s) { return static_cast<std::int64_t>(chars(s).size()); }
inline std::string ltrim(const std::string& s) { return s.substr(std::min(s.find_first_not_of(' '), s.size())); }
inline std::string rtrim(const std::string& s) { return s.substr(0, s.find_last_not_of(' ') + 1); }
inline std::string trim(const std::string& s) { return ltrim(rtrim(s)); }
inline std::string replace(std::string s, const std::string& from, const std::string& to) {
  for (std::size_t at = s.find(from); !from.empty() && at != std::string::npos; at = s.find(from, at + to.size())) s.replace(at, from.size(), to);
  return s;
}

/// The fields extract() gives, in its order: year, month, day, hour, minute, second, dow
/// (0 = Sunday), doy, quarter, ISO week.
struct Fields {
  std::int64_t year, month, day, hour, minute, second, dow, doy, quarter, week;
};
inline Fields fields(athanor::DateTime t) {
  using namespace std::chrono;
  auto d = floor<days>(t);
  year_month_day ymd{d};
  hh_mm_ss<microseconds> hms{t - d};
  auto doy = [](sys_days x) { return (x - sys_days{year_month_day{x}.year() / January / 1}).count() + 1; };
  weekday wd{d};
  sys_days thursday = d - days{static_cast<int>(wd.iso_encoding()) - 4};
  return {int(ymd.year()), unsigned(ymd.month()), unsigned(ymd.day()), hms.hours().count(), hms.minutes().count(),
          hms.seconds().count(), wd.c_encoding(), doy(d), (unsigned(ymd.month()) + 2) / 3, (doy(thursday) - 1) / 7 + 1};
}
inline Fields fields(athanor::Date d) { return fields(athanor::DateTime{std::chrono::sys_days{d}}); }
inline Fields fields(athanor::Time t) { return fields(athanor::DateTime{std::chrono::sys_days{} + t}); }

/// Seeded values: thousandths with many ties (.5, .05, .005), text with UTF-8 and spaces,
/// instants over two centuries with leap days and year ends (ISO weeks 1 and 53).
struct Gen {
  std::mt19937_64 rng;
  explicit Gen(std::uint64_t seed) : rng(seed) {}
  std::int64_t between(std::int64_t lo, std::int64_t hi) { return std::uniform_int_distribution<std::int64_t>(lo, hi)(rng); }
  bool chance(int percent) { return between(1, 100) <= percent; }
  std::int64_t milli() {
    switch (between(0, 3)) {
      case 0: return between(-2000, 2000) * 1000 + 500;  // x.5
      case 1: return between(-200000, 200000) * 10 + 5;  // x.yz5
      case 2: return between(-20000, 20000) * 100 + 50;  // x.y5
      default: return between(-2'000'000, 2'000'000);
    }
  }
  std::string text() {
    static const char* pieces[] = {"a", "b", "Z", "x", "é", "ü", "日", "本", "😀", " ", "-", "a"};
    std::string s;
    for (auto n = between(0, 10); n > 0; --n) s += pieces[between(0, 11)];
    if (chance(30)) s = "  " + s;
    if (chance(30)) s += " ";
    return s;
  }
  athanor::DateTime instant() {
    using namespace std::chrono;
    static const sys_days special[] = {sys_days{2000y / February / 29}, sys_days{2024y / February / 29}, sys_days{1904y / February / 29},
                                       sys_days{2020y / December / 31}, sys_days{2021y / January / 3}, sys_days{2021y / January / 4},
                                       sys_days{1999y / December / 31}, sys_days{2100y / March / 1}, sys_days{1970y / January / 1}};
    sys_days d = chance(20) ? special[between(0, 8)] : sys_days{1901y / January / 1} + days{between(0, 73000)};
    return athanor::DateTime{d} + microseconds{between(0, 86'400'000'000 - 1)};
  }
};

}  // namespace test::ref
