// athanor/core/detail/chrono_text.hpp — ISO 8601 text for Date, DateTime and Time, the form
// in which SQLite stores them and PostgreSQL / MariaDB send them in text results.
#pragma once

#include <charconv>  // std::from_chars
#include <cstdint>   // std::int64_t
#include <cstdio>    // std::snprintf
#include <optional>  // std::optional
#include <string>    // std::string

#include <athanor/core/value.hpp>

namespace athanor::detail {

inline std::string format_date(Date d) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%04d-%02u-%02u", int(d.year()), unsigned(d.month()), unsigned(d.day()));
  return buf;
}

inline std::string format_time(Time t) {
  using namespace std::chrono;
  auto us = t.count();
  char buf[32];
  int n = std::snprintf(buf, sizeof buf, "%02lld:%02lld:%02lld", static_cast<long long>(us / 3600000000),
                        static_cast<long long>(us / 60000000 % 60), static_cast<long long>(us / 1000000 % 60));
  if (us % 1000000) std::snprintf(buf + n, sizeof buf - n, ".%06lld", static_cast<long long>(us % 1000000));
  return buf;
}

/// "YYYY-MM-DD HH:MM:SS[.ffffff]", UTC, no zone suffix.
inline std::string format_datetime(DateTime t) {
  using namespace std::chrono;
  // Split in integers: `t - floor<days>(t)` converts the day back to microseconds, which
  // overflows in the first day of DateTime's range.
  constexpr std::int64_t us_per_day = 86'400'000'000;
  std::int64_t us = t.time_since_epoch().count(), day = us / us_per_day, rest = us % us_per_day;
  if (rest < 0) --day, rest += us_per_day;
  return format_date(year_month_day{sys_days{days{day}}}) + ' ' + format_time(Time{rest});
}

struct TextCursor {
  std::string_view s;
  std::size_t i = 0;
  bool digits(int n, long long& out) {
    if (i + n > s.size()) return false;
    auto r = std::from_chars(s.data() + i, s.data() + i + n, out);
    if (r.ec != std::errc{} || r.ptr != s.data() + i + n) return false;
    i += n;
    return true;
  }
  bool lit(char c) {
    if (i < s.size() && s[i] == c) return ++i, true;
    return false;
  }
};

inline std::optional<Date> parse_date(TextCursor& c) {
  long long y, m, d;
  bool neg = c.lit('-');
  std::size_t start = c.i;
  while (c.i < c.s.size() && c.s[c.i] >= '0' && c.s[c.i] <= '9') ++c.i;
  int ylen = static_cast<int>(c.i - start);
  c.i = start;
  if (ylen < 4 || !c.digits(ylen, y) || !c.lit('-') || !c.digits(2, m) || !c.lit('-') || !c.digits(2, d)) return {};
  Date date{std::chrono::year{static_cast<int>(neg ? -y : y)}, std::chrono::month{static_cast<unsigned>(m)},
            std::chrono::day{static_cast<unsigned>(d)}};
  if (!date.ok()) return {};
  return date;
}

inline std::optional<Time> parse_time(TextCursor& c) {
  long long h, m, s = 0, frac = 0;
  if (!c.digits(2, h) || !c.lit(':') || !c.digits(2, m)) return {};
  if (c.lit(':') && !c.digits(2, s)) return {};
  if (c.lit('.')) {
    int n = 0;
    while (c.i < c.s.size() && c.s[c.i] >= '0' && c.s[c.i] <= '9') {
      if (n < 6) frac = frac * 10 + (c.s[c.i] - '0');
      ++n, ++c.i;
    }
    for (; n < 6; ++n) frac *= 10;
  }
  if (h > 24 || m > 59 || s > 60) return {};
  return Time{((h * 60 + m) * 60 + s) * 1000000 + frac};
}

inline std::optional<Date> parse_date(std::string_view s) {
  TextCursor c{s};
  auto d = parse_date(c);
  if (!d || c.i != s.size()) return {};
  return d;
}

inline std::optional<Time> parse_time(std::string_view s) {
  TextCursor c{s};
  auto t = parse_time(c);
  if (!t || c.i != s.size()) return {};
  return t;
}

/// Accepts "YYYY-MM-DD[ T]HH:MM[:SS[.f]][Z|±HH[:MM]]" and a bare date; zones convert to UTC.
inline std::optional<DateTime> parse_datetime(std::string_view s) {
  TextCursor c{s};
  auto d = parse_date(c);
  if (!d) return {};
  DateTime t{std::chrono::sys_days{*d}};
  if (c.i == s.size()) return t;
  if (!c.lit(' ') && !c.lit('T')) return {};
  auto tod = parse_time(c);
  if (!tod) return {};
  t += *tod;
  if (c.lit('Z')) return c.i == s.size() ? std::optional{t} : std::nullopt;
  if (c.i < s.size() && (s[c.i] == '+' || s[c.i] == '-')) {
    int sign = s[c.i++] == '+' ? 1 : -1;
    long long hh = 0, mm = 0;
    if (!c.digits(2, hh)) return {};
    if (c.lit(':') || (c.i < s.size() && s[c.i] != ':')) {
      if (c.i < s.size() && !c.digits(2, mm)) return {};
    }
    t -= sign * (std::chrono::hours{hh} + std::chrono::minutes{mm});
  }
  if (c.i != s.size()) return {};
  return t;
}

}  // namespace athanor::detail
