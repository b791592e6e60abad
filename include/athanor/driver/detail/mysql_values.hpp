// athanor/driver/detail/mysql_values.hpp — athanor's values in MariaDB Connector/C's terms, for
// the MySQL driver's out-of-line code (driver/impl/): a DECIMAL parameter checked before it is
// sent, dates and times as MYSQL_TIME.
#pragma once

#include <mysql.h>

#include <chrono>       // std::chrono::floor, year_month_day, hh_mm_ss
#include <cstddef>      // std::size_t
#include <string_view>  // std::string_view

#include <athanor/core/value.hpp>

namespace athanor::driver::mysql::detail {

/// Whether `s` is a number as SQL writes one: [+-]digits[.digits][e[+-]digits], a digit
/// on at least one side of the point.
inline bool is_decimal(std::string_view s) {
  std::size_t i = 0, digits = 0;
  auto run = [&] {
    std::size_t start = i;
    while (i < s.size() && s[i] >= '0' && s[i] <= '9') ++i;
    return i - start;
  };
  if (i < s.size() && (s[i] == '+' || s[i] == '-')) ++i;
  digits = run();
  if (i < s.size() && s[i] == '.') ++i, digits += run();
  if (digits == 0) return false;
  if (i < s.size() && (s[i] == 'e' || s[i] == 'E')) {
    ++i;
    if (i < s.size() && (s[i] == '+' || s[i] == '-')) ++i;
    if (run() == 0) return false;
  }
  return i == s.size();
}
/// A date, a date and time or a time of day in MYSQL_TIME's fields (the rest left as they are).
inline void set_time(MYSQL_TIME& t, const Date& x) {
  t.year = static_cast<unsigned>(static_cast<int>(x.year())), t.month = unsigned(x.month()), t.day = unsigned(x.day());
}
inline void set_time(MYSQL_TIME& t, const DateTime& x) {
  using namespace std::chrono;
  auto day = floor<days>(x);
  year_month_day ymd{day};
  hh_mm_ss<microseconds> tod{x - day};
  t.year = static_cast<unsigned>(static_cast<int>(ymd.year())), t.month = unsigned(ymd.month()), t.day = unsigned(ymd.day());
  t.hour = static_cast<unsigned>(tod.hours().count()), t.minute = static_cast<unsigned>(tod.minutes().count());
  t.second = static_cast<unsigned>(tod.seconds().count()), t.second_part = static_cast<unsigned long>(tod.subseconds().count());
}
inline void set_time(MYSQL_TIME& t, const Time& x) {
  using namespace std::chrono;
  hh_mm_ss<microseconds> tod{x};
  t.neg = tod.is_negative();
  t.hour = static_cast<unsigned>(tod.hours().count()), t.minute = static_cast<unsigned>(tod.minutes().count());
  t.second = static_cast<unsigned>(tod.seconds().count()), t.second_part = static_cast<unsigned long>(tod.subseconds().count());
}

}  // namespace athanor::driver::mysql::detail
