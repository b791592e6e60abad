// athanor/driver/mysql.hpp — the MySQL/MariaDB adapter on MariaDB Connector/C's prepared
// statement API: connect, prepare (cached), bind, execute, fetch into reused buffers, and map
// error numbers to athanor's exceptions. Only the engine layer includes this header.
#pragma once

#include <mysql.h>

#include <algorithm>    // std::clamp
#include <cctype>       // std::toupper
#include <charconv>     // std::from_chars
#include <cstdlib>      // std::getenv
#include <cstring>      // std::memcpy
#include <span>         // std::span
#include <limits>       // std::numeric_limits
#include <mutex>        // std::once_flag
#include <string>       // std::string
#include <string_view>  // std::string_view
#include <vector>       // std::vector

#include <athanor/core/detail/convert.hpp>
#include <athanor/core/error.hpp>
#include <athanor/driver/detail/mysql_error.hpp>
#include <athanor/driver/detail/statement_cache.hpp>
#include <athanor/driver/url.hpp>

namespace athanor::driver::mysql {

namespace detail {
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
}  // namespace detail

/// A prepared statement (https://mariadb.com/kb/en/api-prepared-statement-functions/).
/// Parameter and result buffers live as long as the statement and are reused by every
/// execution; only the values handed out (strings, blobs) are allocated per row.
class Statement final : public driver::Statement {
 public:
  /// Prepares `sql` on `db`; each execution that generates a key stores it in `*last_insert_id`
  /// (the connection's).
  Statement(MYSQL* db, std::string sql, std::int64_t* last_insert_id) : db_(db), sql_(std::move(sql)), last_id_(last_insert_id) {
    prepare();
  }
  ~Statement() override {
    if (stmt_) mysql_stmt_close(stmt_);
  }
  Statement(const Statement&) = delete;
  Statement& operator=(const Statement&) = delete;

  void execute(std::span<const Value> params) override {
    if (params.size() != pbind_.size()) {
      throw ArgumentError("[athanor.argument.params] the statement takes " + std::to_string(pbind_.size()) + " parameters, " +
                          std::to_string(params.size()) + " given");
    }
    for (std::size_t i = 0; i < params.size(); ++i) bind(i, params[i]);
    if (!pbind_.empty() && mysql_stmt_bind_param(stmt_, pbind_.data())) fail();
    if (mysql_stmt_execute(stmt_)) {
      // ER_NEED_REPREPARE: a table changed under a cached statement and the server could not
      // re-prepare it by itself; prepare again once (https://mariadb.com/kb/en/server-error-codes/).
      if (mysql_stmt_errno(stmt_) != 1615) fail();
      mysql_stmt_close(stmt_), stmt_ = nullptr;
      prepare();
      if (!pbind_.empty() && mysql_stmt_bind_param(stmt_, pbind_.data())) fail();
      if (mysql_stmt_execute(stmt_)) fail();
    }
    if (auto id = mysql_stmt_insert_id(stmt_)) *last_id_ = static_cast<std::int64_t>(id);
    ncols_ = mysql_stmt_field_count(stmt_);
    if (ncols_ > 0) {
      setup_results();
      // Rows are read to the client at once (the engine reads them all anyway), so the
      // connection is free for the next statement even if a caller stops early.
      if (mysql_stmt_store_result(stmt_)) {
        // The error came in place of the rows (a duplicate key in INSERT … RETURNING, a statement
        // timeout). Connector/C then still expects rows and its next execute would wait for
        // them forever; mysql_stmt_reset puts the statement back to "prepared".
        unsigned err = mysql_stmt_errno(stmt_);
        std::string msg = mysql_stmt_error(stmt_);
        mysql_stmt_reset(stmt_);
        ncols_ = 0;
        raise(err, msg);
      }
    }
    auto n = mysql_stmt_affected_rows(stmt_);
    affected_ = n == static_cast<my_ulonglong>(-1) ? -1 : static_cast<std::int64_t>(n);
  }

  /// MariaDB's bulk execution (https://mariadb.com/kb/en/bulk-insert-column-wise-binding/):
  /// the rows are bound column-wise as arrays (STMT_ATTR_ARRAY_SIZE) and sent in one
  /// COM_STMT_BULK_EXECUTE per chunk. A server that does not announce bulk operations (MySQL,
  /// MariaDB before 10.2), a statement with result rows, or a column whose values differ in
  /// type (2 here, 2.5 there) runs row by row. The affected count is the chunk's total
  /// (matched rows, with CLIENT_FOUND_ROWS).
  std::int64_t execute_batch(std::span<const Value> params, std::size_t rows) override {
    if (rows == 0) return 0;
    std::size_t width = pbind_.size();
    if (params.size() != width * rows) {
      throw ArgumentError("[athanor.argument.params] the statement takes " + std::to_string(width) + " parameters, " +
                          std::to_string(params.size() / rows) + " given");
    }
    if (rows == 1 || width == 0 || !bulk_supported() || !bulk_statement() || !bulk_types(params, rows)) {
      return driver::Statement::execute_batch(params, rows);
    }
    std::int64_t total = 0;
    for (std::size_t start = 0; start < rows;) {
      // Chunks of about bulk_bytes: Connector/C builds a chunk's request in one buffer, which
      // must stay under the server's max_allowed_packet (16 MiB by default).
      std::size_t end = start, bytes = 0;
      while (end < rows && (end == start || bytes < bulk_bytes)) bytes += row_bytes(params.subspan(end * width, width)), ++end;
      total += bulk_execute(params, start, end, width);
      start = end;
    }
    affected_ = total;
    return total;
  }

  bool next() override {
    if (ncols_ == 0) return false;
    if (rebind_) {
      if (mysql_stmt_bind_result(stmt_, rbind_.data())) fail();
      rebind_ = false;
    }
    int rc = mysql_stmt_fetch(stmt_);
    if (rc == MYSQL_NO_DATA) return false;
    if (rc == 1) fail();
    // A value longer than its buffer (MYSQL_DATA_TRUNCATED, or silently when truncation
    // reports are off): grow the buffer and read the column again, whole.
    for (unsigned i = 0; i < ncols_; ++i) {
      auto& c = cols_[i];
      if (!c.varlen || c.is_null || c.length <= c.buf.size()) continue;
      c.buf.resize(c.length);
      rbind_[i].buffer = c.buf.data(), rbind_[i].buffer_length = c.buf.size();
      if (mysql_stmt_fetch_column(stmt_, &rbind_[i], i, 0)) fail();
      rebind_ = true;  // the next fetch must write into the new buffer
    }
    return true;
  }
  int column_count() const override { return static_cast<int>(ncols_); }
  std::string column_name(int c) const override { return fields_[c].name; }
  Value value(int i) const override {
    const auto& c = cols_[static_cast<std::size_t>(i)];
    if (c.is_null) return Value();
    switch (c.kind) {
      case Kind::integer: return Value(static_cast<std::int64_t>(c.num.i));
      case Kind::unsigned_:
        if (static_cast<unsigned long long>(c.num.i) > static_cast<unsigned long long>(std::numeric_limits<std::int64_t>::max())) {
          return Value(Decimal{std::to_string(static_cast<unsigned long long>(c.num.i))});  // no digit lost
        }
        return Value(static_cast<std::int64_t>(c.num.i));
      case Kind::double_: return Value(c.num.d);
      case Kind::decimal: return Value(Decimal{std::string(c.buf.data(), c.length)});
      case Kind::text: return Value(std::string(c.buf.data(), c.length));
      case Kind::bytes: {
        auto* p = reinterpret_cast<const std::byte*>(c.buf.data());
        return Value(Bytes(p, p + c.length));
      }
      case Kind::bit: {  // BIT(n) arrives as big-endian bytes
        std::int64_t v = 0;
        for (unsigned long k = 0; k < c.length; ++k) v = (v << 8) | static_cast<unsigned char>(c.buf[k]);
        return Value(v);
      }
      case Kind::date:
      case Kind::datetime: {
        const MYSQL_TIME& t = c.num.t;
        Date d{std::chrono::year{static_cast<int>(t.year)}, std::chrono::month{t.month}, std::chrono::day{t.day}};
        if (!d.ok()) return Value(std::string(t.year == 0 ? "0000-00-00" : "invalid date"));  // zero dates
        if (c.kind == Kind::date) return Value(d);
        using namespace std::chrono;
        return Value(DateTime{sys_days{d} + hours{t.hour} + minutes{t.minute} + seconds{t.second} + microseconds{t.second_part}});
      }
      case Kind::time: {
        const MYSQL_TIME& t = c.num.t;
        using namespace std::chrono;
        auto v = hours{t.day * 24ll + t.hour} + minutes{t.minute} + seconds{t.second} + microseconds{t.second_part};
        return Value(Time{t.neg ? -v : v});
      }
    }
    return Value();
  }
  // The row in one call from the fetched buffers: integers (unsigned ones that fit), doubles
  // and text as value() gives them; anything else `other`.
  void read_row(int first, std::span<const Want> want, Cell* out) const override {
    if (first < 0 || first + want.size() > ncols_) check_width(first, want.size());
    for (std::size_t k = 0; k < want.size(); ++k) {
      const auto& c = cols_[static_cast<std::size_t>(first) + k];
      Cell& o = out[k];
      o.got = Cell::Got::other;
      if (c.is_null) o.got = Cell::Got::null;
      else if (want[k] == Want::int64 && (c.kind == Kind::integer || (c.kind == Kind::unsigned_ && c.num.i >= 0)))
        o.got = Cell::Got::int64, o.i = static_cast<std::int64_t>(c.num.i);
      else if (want[k] == Want::float64 && c.kind == Kind::double_) o.got = Cell::Got::float64, o.d = c.num.d;
      else if (want[k] == Want::text && c.kind == Kind::text) o.got = Cell::Got::text, o.text = c.buf.data(), o.size = c.length;
    }
  }
  std::int64_t rows_affected() const override { return affected_; }
  void reset() override {
    if (ncols_ == 0) return;
    ncols_ = 0;
    // Frees the stored rows on the client (no round trip, unlike mysql_stmt_reset). A CALL
    // may leave further result sets; they are drained so the connection stays in sync.
    mysql_stmt_free_result(stmt_);
    while (mysql_stmt_more_results(stmt_) && mysql_stmt_next_result(stmt_) == 0) mysql_stmt_free_result(stmt_);
  }

 private:
  enum class Kind : unsigned char { integer, unsigned_, double_, decimal, text, bytes, bit, date, datetime, time };
  union Fixed {
    long long i;
    double d;
    MYSQL_TIME t;
    char b;
  };
  struct Param {
    Fixed num;
    unsigned long length;
    char uuid[36];
  };
  struct Column {
    Kind kind{};
    bool varlen = false;
    Fixed num{};
    std::vector<char> buf;  // var-length values; grows to the longest seen, then stays
    unsigned long length = 0;
    my_bool is_null = 0;
    my_bool error = 0;
  };

  void prepare() {
    stmt_ = mysql_stmt_init(db_);
    if (!stmt_) detail::raise(mysql_errno(db_), mysql_error(db_));
    if (mysql_stmt_prepare(stmt_, sql_.data(), sql_.size())) {
      unsigned err = mysql_stmt_errno(stmt_);
      std::string msg = mysql_stmt_error(stmt_);
      mysql_stmt_close(stmt_), stmt_ = nullptr;
      detail::raise(err, msg, sql_);
    }
    pbind_.assign(mysql_stmt_param_count(stmt_), MYSQL_BIND{});
    pslot_.resize(pbind_.size());
    shape_.clear();  // result buffers are rebuilt on the next execute
  }
  [[noreturn]] void fail() { raise(mysql_stmt_errno(stmt_), mysql_stmt_error(stmt_)); }

  /// What Connector/C's MARIADB_STMT_BULK_SUPPORTED asks: a MariaDB server (not MySQL) that
  /// announces MARIADB_CLIENT_STMT_BULK_OPERATIONS in its extended capabilities.
  bool bulk_supported() {
    if (bulk_ < 0) {
      unsigned long caps = 0, ext = 0;
      bool ok = mariadb_get_infov(db_, MARIADB_CONNECTION_SERVER_CAPABILITIES, &caps) == 0 &&
                mariadb_get_infov(db_, MARIADB_CONNECTION_EXTENDED_SERVER_CAPABILITIES, &ext) == 0;
      bulk_ = ok && !(caps & CLIENT_MYSQL) && (ext & (MARIADB_CLIENT_STMT_BULK_OPERATIONS >> 32)) ? 1 : 0;
    }
    return bulk_ == 1;
  }
  /// Whether the statement is an INSERT, UPDATE, DELETE or REPLACE without RETURNING and
  /// without a subquery: a bulk execution must not return rows, and MariaDB does not say at
  /// PREPARE that RETURNING will (mysql_stmt_field_count is 0 until the first execution), so
  /// the SQL is read; and MariaDB 10.11 evaluates a subquery of a bulk execution once, for the
  /// first row's parameters (`INSERT … VALUES ((SELECT id FROM users WHERE name = ?), ?)` gave
  /// every row the first row's user).
  bool bulk_statement() const {
    auto upper = [](std::string_view s) {
      std::string u(s);
      for (char& ch : u) ch = static_cast<char>(std::toupper(static_cast<unsigned char>(ch)));
      return u;
    };
    std::string sql = upper(sql_);
    auto start = sql.find_first_not_of(" \t\r\n(");
    if (start == std::string::npos) return false;
    std::string_view head = std::string_view(sql).substr(start);
    bool dml = head.starts_with("INSERT") || head.starts_with("UPDATE") || head.starts_with("DELETE") || head.starts_with("REPLACE");
    return dml && sql.find("RETURNING") == std::string::npos && sql.find("SELECT") == std::string::npos &&
           mysql_stmt_field_count(stmt_) == 0;
  }
  static constexpr std::size_t bulk_bytes = 4u << 20;
  static std::size_t row_bytes(std::span<const Value> row) {
    std::size_t n = 0;
    for (auto& v : row) {
      n += 10;
      if (auto* t = std::get_if<std::string>(&v.variant())) n += t->size();
      else if (auto* b = std::get_if<Bytes>(&v.variant())) n += b->size();
      else if (auto* d = std::get_if<Decimal>(&v.variant())) n += d->text.size();
      else if (auto* j = std::get_if<Json>(&v.variant())) n += j->text.size();
      else if (v.holds<Uuid>()) n += 36;
    }
    return n;
  }
  /// Each column's value type over all rows (variant index; NULLs fit any) into bulk_kind_;
  /// false when a column mixes types, which one array cannot hold.
  bool bulk_types(std::span<const Value> params, std::size_t rows) {
    std::size_t width = pbind_.size();
    constexpr std::size_t none = std::variant_npos;
    bulk_kind_.assign(width, none);
    for (std::size_t r = 0; r < rows; ++r) {
      for (std::size_t i = 0; i < width; ++i) {
        const Value& v = params[r * width + i];
        if (v.is_null()) continue;
        std::size_t k = v.variant().index();
        if (bulk_kind_[i] == none) bulk_kind_[i] = k;
        else if (bulk_kind_[i] != k) return false;
      }
    }
    return true;
  }
  /// Binds rows [start, end) column-wise and runs them as one bulk execution.
  std::int64_t bulk_execute(std::span<const Value> params, std::size_t start, std::size_t end, std::size_t width) {
    std::size_t n = end - start;
    bulk_cols_.resize(width);
    bulk_bind_.assign(width, MYSQL_BIND{});
    for (std::size_t i = 0; i < width; ++i) {
      auto& col = bulk_cols_[i];
      MYSQL_BIND& b = bulk_bind_[i];
      col.indicator.assign(n, STMT_INDICATOR_NONE);
      col.fixed.resize(n * 8);
      col.ptrs.assign(n, nullptr);
      col.lengths.assign(n, 0);
      col.times.resize(n);
      col.texts.resize(n);
      // Fixed-size types are contiguous arrays; the others arrays of pointers
      // (Connector/C's ma_get_buffer_offset, by the type's pack length).
      bool fixed = false;
      b.buffer_type = MYSQL_TYPE_STRING;
      for (std::size_t r = 0; r < n; ++r) {
        const Value& v = params[(start + r) * width + i];
        if (v.is_null()) {
          col.indicator[r] = STMT_INDICATOR_NULL;
          continue;
        }
        auto text = [&](enum_field_types type, const void* data, std::size_t size) {
          static const char empty = 0;
          b.buffer_type = type;
          col.ptrs[r] = size ? data : &empty;
          col.lengths[r] = static_cast<unsigned long>(size);
        };
        auto time = [&](enum_field_types type, enum_mysql_timestamp_type tt) {
          MYSQL_TIME& t = col.times[r];
          t = MYSQL_TIME{};
          t.time_type = tt;
          b.buffer_type = type;
          col.ptrs[r] = &t;
          return &t;
        };
        std::visit(
            [&](const auto& x) {
              using X = std::decay_t<decltype(x)>;
              if constexpr (std::is_same_v<X, std::monostate>) {
              } else if constexpr (std::is_same_v<X, bool>) {
                col.fixed[r] = x ? 1 : 0;
                b.buffer_type = MYSQL_TYPE_TINY, fixed = true;
              } else if constexpr (std::is_same_v<X, std::int64_t>) {
                long long ll = x;
                std::memcpy(col.fixed.data() + r * 8, &ll, 8);
                b.buffer_type = MYSQL_TYPE_LONGLONG, fixed = true;
              } else if constexpr (std::is_same_v<X, double>) {
                std::memcpy(col.fixed.data() + r * 8, &x, 8);
                b.buffer_type = MYSQL_TYPE_DOUBLE, fixed = true;
              } else if constexpr (std::is_same_v<X, std::string>) {
                text(MYSQL_TYPE_STRING, x.data(), x.size());
              } else if constexpr (std::is_same_v<X, Bytes>) {
                text(MYSQL_TYPE_BLOB, x.data(), x.size());
              } else if constexpr (std::is_same_v<X, Decimal>) {
                if (!detail::is_decimal(x.text)) {
                  throw DataError("[athanor.data.decimal] parameter " + std::to_string(i + 1) + " is not a decimal number");
                }
                text(MYSQL_TYPE_NEWDECIMAL, x.text.data(), x.text.size());
              } else if constexpr (std::is_same_v<X, Json>) {
                text(MYSQL_TYPE_STRING, x.text.data(), x.text.size());
              } else if constexpr (std::is_same_v<X, Uuid>) {
                col.texts[r] = x.to_string();
                text(MYSQL_TYPE_STRING, col.texts[r].data(), col.texts[r].size());
              } else if constexpr (std::is_same_v<X, Date>) {
                detail::set_time(*time(MYSQL_TYPE_DATE, MYSQL_TIMESTAMP_DATE), x);
              } else if constexpr (std::is_same_v<X, DateTime>) {
                detail::set_time(*time(MYSQL_TYPE_DATETIME, MYSQL_TIMESTAMP_DATETIME), x);
              } else if constexpr (std::is_same_v<X, Time>) {
                detail::set_time(*time(MYSQL_TYPE_TIME, MYSQL_TIMESTAMP_TIME), x);
              }
            },
            v.variant());
      }
      if (fixed) {
        b.buffer = col.fixed.data();
      } else {
        b.buffer = col.ptrs.data();
        b.length = col.lengths.data();
      }
      b.u.indicator = col.indicator.data();
    }
    unsigned int size = static_cast<unsigned int>(n);
    struct Single {  // the statement goes back to one row per execution, whatever happens
      MYSQL_STMT*& s;
      ~Single() {
        unsigned int zero = 0;
        if (s) mysql_stmt_attr_set(s, STMT_ATTR_ARRAY_SIZE, &zero);
      }
    } single{stmt_};
    auto run = [&] {
      return mysql_stmt_attr_set(stmt_, STMT_ATTR_ARRAY_SIZE, &size) || mysql_stmt_bind_param(stmt_, bulk_bind_.data()) ||
             mysql_stmt_execute(stmt_);
    };
    if (run()) {
      if (mysql_stmt_errno(stmt_) != 1615) fail();  // ER_NEED_REPREPARE, as in execute
      mysql_stmt_close(stmt_), stmt_ = nullptr;
      prepare();
      if (run()) fail();
    }
    auto affected = mysql_stmt_affected_rows(stmt_);
    return affected == static_cast<my_ulonglong>(-1) ? 0 : static_cast<std::int64_t>(affected);
  }
  [[noreturn]] void raise(unsigned err, const std::string& msg) {
    std::string columns;
    if (err == 1062) {
      // The message names the key, not its columns: ask the schema (an error path only;
      // a duplicate key leaves the transaction open and the connection usable).
      try {
        Statement q(db_, "SELECT GROUP_CONCAT(COLUMN_NAME ORDER BY SEQ_IN_INDEX SEPARATOR ', ') FROM information_schema.STATISTICS "
                    "WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = ? AND INDEX_NAME = ?", last_id_);
        const Value params[] = {Value(detail::target_table(sql_)), Value(detail::duplicate_key(msg))};
        q.execute(params);
        if (q.next() && q.value(0).holds<std::string>()) columns = q.value(0).as<std::string>();
        q.reset();
      } catch (const Error&) {  // the plain message is still right
      }
    }
    detail::raise(err, msg, sql_, columns);
  }

  void bind(std::size_t i, const Value& v) {
    MYSQL_BIND& b = pbind_[i];
    Param& p = pslot_[i];
    b = MYSQL_BIND{};
    auto text = [&](enum_field_types type, const void* data, std::size_t size) {
      static const char empty = 0;
      b.buffer_type = type;
      b.buffer = const_cast<void*>(size ? data : &empty);
      p.length = static_cast<unsigned long>(size);
      b.buffer_length = p.length, b.length = &p.length;
    };
    auto time = [&](enum_field_types type, enum_mysql_timestamp_type tt) {
      p.num.t = MYSQL_TIME{};
      p.num.t.time_type = tt;
      b.buffer_type = type, b.buffer = &p.num.t;
      return &p.num.t;
    };
    std::visit(
        [&](const auto& x) {
          using X = std::decay_t<decltype(x)>;
          if constexpr (std::is_same_v<X, std::monostate>) {
            b.buffer_type = MYSQL_TYPE_NULL;
          } else if constexpr (std::is_same_v<X, bool>) {
            p.num.b = x ? 1 : 0;
            b.buffer_type = MYSQL_TYPE_TINY, b.buffer = &p.num.b;
          } else if constexpr (std::is_same_v<X, std::int64_t>) {
            p.num.i = x;
            b.buffer_type = MYSQL_TYPE_LONGLONG, b.buffer = &p.num.i;
          } else if constexpr (std::is_same_v<X, double>) {
            p.num.d = x;
            b.buffer_type = MYSQL_TYPE_DOUBLE, b.buffer = &p.num.d;
          } else if constexpr (std::is_same_v<X, std::string>) {
            text(MYSQL_TYPE_STRING, x.data(), x.size());
          } else if constexpr (std::is_same_v<X, Bytes>) {
            text(MYSQL_TYPE_BLOB, x.data(), x.size());
          } else if constexpr (std::is_same_v<X, Decimal>) {
            // The server reads a DECIMAL parameter leniently even in strict mode ("12abc" is
            // 12, "" is 0): only a well-formed number is sent.
            if (!detail::is_decimal(x.text)) {
              throw DataError("[athanor.data.decimal] parameter " + std::to_string(i + 1) +
                              " is not a decimal number");
            }
            text(MYSQL_TYPE_NEWDECIMAL, x.text.data(), x.text.size());
          } else if constexpr (std::is_same_v<X, Json>) {
            text(MYSQL_TYPE_STRING, x.text.data(), x.text.size());
          } else if constexpr (std::is_same_v<X, Uuid>) {
            auto s = x.to_string();
            std::memcpy(p.uuid, s.data(), sizeof p.uuid);
            text(MYSQL_TYPE_STRING, p.uuid, sizeof p.uuid);
          } else if constexpr (std::is_same_v<X, Date>) {
            detail::set_time(*time(MYSQL_TYPE_DATE, MYSQL_TIMESTAMP_DATE), x);
          } else if constexpr (std::is_same_v<X, DateTime>) {
            detail::set_time(*time(MYSQL_TYPE_DATETIME, MYSQL_TIMESTAMP_DATETIME), x);
          } else if constexpr (std::is_same_v<X, Time>) {
            detail::set_time(*time(MYSQL_TYPE_TIME, MYSQL_TIMESTAMP_TIME), x);
          }
        },
        v.variant());
  }

  /// Result buffers by the columns' types, rebuilt only when the result's shape changes.
  void setup_results() {
    MYSQL_FIELD* f = mariadb_stmt_fetch_fields(stmt_);
    fields_ = f;
    bool same = shape_.size() == ncols_;
    for (unsigned i = 0; same && i < ncols_; ++i) same = shape_[i] == shape_of(f[i]);
    if (!same) {
      shape_.clear();
      cols_.assign(ncols_, Column{});
      rbind_.assign(ncols_, MYSQL_BIND{});
      for (unsigned i = 0; i < ncols_; ++i) {
        shape_.push_back(shape_of(f[i]));
        layout(f[i], cols_[i], rbind_[i]);
      }
    }
    if (mysql_stmt_bind_result(stmt_, rbind_.data())) fail();
    rebind_ = false;
  }
  static unsigned long long shape_of(const MYSQL_FIELD& f) {
    return (static_cast<unsigned long long>(f.type) << 32) | (static_cast<unsigned long long>(f.charsetnr) << 8) |
           ((f.flags & UNSIGNED_FLAG) ? 1u : 0u);
  }
  static void layout(const MYSQL_FIELD& f, Column& c, MYSQL_BIND& b) {
    b.is_null = &c.is_null, b.length = &c.length, b.error = &c.error;
    auto fixed = [&](Kind k, enum_field_types type) {
      c.kind = k, b.buffer_type = type, b.buffer = &c.num;
    };
    switch (f.type) {
      case MYSQL_TYPE_TINY:
      case MYSQL_TYPE_SHORT:
      case MYSQL_TYPE_LONG:
      case MYSQL_TYPE_INT24:
      case MYSQL_TYPE_LONGLONG:
      case MYSQL_TYPE_YEAR:
        fixed((f.flags & UNSIGNED_FLAG) ? Kind::unsigned_ : Kind::integer, MYSQL_TYPE_LONGLONG);
        b.is_unsigned = (f.flags & UNSIGNED_FLAG) ? 1 : 0;
        return;
      case MYSQL_TYPE_FLOAT:
      case MYSQL_TYPE_DOUBLE: fixed(Kind::double_, MYSQL_TYPE_DOUBLE); return;
      case MYSQL_TYPE_DATE:
      case MYSQL_TYPE_NEWDATE: fixed(Kind::date, MYSQL_TYPE_DATE); return;
      case MYSQL_TYPE_DATETIME:
      case MYSQL_TYPE_TIMESTAMP:
      case MYSQL_TYPE_DATETIME2:
      case MYSQL_TYPE_TIMESTAMP2: fixed(Kind::datetime, MYSQL_TYPE_DATETIME); return;
      case MYSQL_TYPE_TIME:
      case MYSQL_TYPE_TIME2: fixed(Kind::time, MYSQL_TYPE_TIME); return;
      case MYSQL_TYPE_DECIMAL:
      case MYSQL_TYPE_NEWDECIMAL: c.kind = Kind::decimal; break;
      case MYSQL_TYPE_BIT: c.kind = Kind::bit; break;
      case MYSQL_TYPE_GEOMETRY: c.kind = Kind::bytes; break;
      // MySQL 8 labels JSON with the binary character set, but it is text.
      case MYSQL_TYPE_JSON: c.kind = Kind::text; break;
      // Strings and blobs: the binary character set (63) marks bytes
      // (https://mariadb.com/kb/en/resultset-row/#binary-resultset-row).
      default: c.kind = f.charsetnr == 63 ? Kind::bytes : Kind::text; break;
    }
    c.varlen = true;
    c.buf.resize(std::clamp<unsigned long>(f.length, 16, 256));
    b.buffer_type = c.kind == Kind::bytes || c.kind == Kind::bit ? MYSQL_TYPE_BLOB : MYSQL_TYPE_STRING;
    b.buffer = c.buf.data(), b.buffer_length = static_cast<unsigned long>(c.buf.size());
  }

  MYSQL* db_;
  MYSQL_STMT* stmt_ = nullptr;
  std::string sql_;
  std::int64_t* last_id_;
  std::vector<MYSQL_BIND> pbind_;
  std::vector<Param> pslot_;
  std::vector<MYSQL_BIND> rbind_;
  std::vector<Column> cols_;
  std::vector<unsigned long long> shape_;
  const MYSQL_FIELD* fields_ = nullptr;
  unsigned ncols_ = 0;
  bool rebind_ = false;
  std::int64_t affected_ = 0;
  // Bulk execution: whether the server can (-1: not asked yet), and the column arrays.
  int bulk_ = -1;
  struct BulkColumn {
    std::vector<char> indicator;
    std::vector<char> fixed;  ///< the fixed-size types' array (8 bytes a row; TINY's 1, packed)
    std::vector<const void*> ptrs;
    std::vector<unsigned long> lengths;
    std::vector<MYSQL_TIME> times;
    std::vector<std::string> texts;
  };
  std::vector<std::size_t> bulk_kind_;
  std::vector<BulkColumn> bulk_cols_;
  std::vector<MYSQL_BIND> bulk_bind_;
};

/// Options of a MySQL/MariaDB connection (from the URL: `mysql://user:pw@host:port/db?…`).
struct Options {
  std::string host;         ///< "" or "localhost": the local unix socket
  unsigned port = 0;        ///< 0: 3306
  std::string user;         ///< empty: the client library's default
  std::string password;     ///< never shown in messages
  std::string database;     ///< the default database; empty: none
  std::string unix_socket;  ///< `?unix_socket=/path`
  unsigned connect_timeout = 10;  ///< seconds; `?connect_timeout=`
  unsigned read_timeout = 0;      ///< seconds, 0: none; `?read_timeout=`
  unsigned write_timeout = 0;     ///< seconds, 0: none; `?write_timeout=`
  bool ssl = false;               ///< `?ssl=true`: refuse an unencrypted link
  /// `?ssl_ca=`, `?ssl_cert=`, `?ssl_key=`: the CA, client certificate and key (PEM files).
  ///@{
  std::string ssl_ca, ssl_cert, ssl_key;
  ///@}
  bool ssl_verify = false;        ///< `?ssl_verify_server_cert=true`
};

/// The socket MariaDB Connector/C connects to without a host or socket: $MYSQL_UNIX_PORT,
/// $MARIADB_UNIX_PORT, else the one compiled in (mysql_server_init; /run/mysqld/mysqld.sock
/// on Debian). The library keeps it in mysql_unix_port, which libmariadb does not export.
inline std::string default_socket() {
  for (const char* name : {"MYSQL_UNIX_PORT", "MARIADB_UNIX_PORT"})
    if (const char* env = std::getenv(name)) return env;
#ifdef MARIADB_UNIX_ADDR
  return MARIADB_UNIX_ADDR;
#else
  return "/tmp/mysql.sock";
#endif
}

/// One connection. Autocommit is on; the engine sends START TRANSACTION / COMMIT itself.
class Connection final : public driver::Connection {
 public:
  /// Connects in utf8mb4 without automatic reconnection, then sets UTC and a strict sql_mode;
  /// OperationalError (naming the host or socket tried, never the password) when it cannot.
  explicit Connection(const Options& o) {
    // mysql_init would initialise the library lazily, which is not thread-safe
    // (https://mariadb.com/kb/en/mysql_library_init/).
    static std::once_flag once;
    std::call_once(once, [] { mysql_library_init(0, nullptr, nullptr); });
    db_ = mysql_init(nullptr);
    if (!db_) throw OperationalError("[athanor.operational.connect] cannot connect to MySQL/MariaDB: out of memory");
    // utf8mb4: all of Unicode (utf8 is the 3-byte subset). No automatic reconnect: it would
    // silently lose the session's transaction, time zone and sql_mode.
    my_bool off = 0, on = 1;
    mysql_options(db_, MYSQL_SET_CHARSET_NAME, "utf8mb4");
    mysql_options(db_, MYSQL_OPT_RECONNECT, &off);
    mysql_options(db_, MYSQL_OPT_CONNECT_TIMEOUT, &o.connect_timeout);
    if (o.read_timeout) mysql_options(db_, MYSQL_OPT_READ_TIMEOUT, &o.read_timeout);
    if (o.write_timeout) mysql_options(db_, MYSQL_OPT_WRITE_TIMEOUT, &o.write_timeout);
    if (o.ssl) mysql_options(db_, MYSQL_OPT_SSL_ENFORCE, &on);
    if (o.ssl_verify) mysql_options(db_, MYSQL_OPT_SSL_VERIFY_SERVER_CERT, &on);
    if (!o.ssl_ca.empty()) mysql_options(db_, MYSQL_OPT_SSL_CA, o.ssl_ca.c_str());
    if (!o.ssl_cert.empty()) mysql_options(db_, MYSQL_OPT_SSL_CERT, o.ssl_cert.c_str());
    if (!o.ssl_key.empty()) mysql_options(db_, MYSQL_OPT_SSL_KEY, o.ssl_key.c_str());
    auto opt = [](const std::string& s) { return s.empty() ? nullptr : s.c_str(); };
    // CLIENT_FOUND_ROWS: UPDATE reports the rows it matched, as SQLite and PostgreSQL do,
    // not only those whose values changed (https://mariadb.com/kb/en/mysql_real_connect/).
    if (!mysql_real_connect(db_, opt(o.host), opt(o.user), o.password.c_str(), opt(o.database), o.port, opt(o.unix_socket),
                            CLIENT_FOUND_ROWS)) {
      std::string reason = mysql_error(db_);
      mysql_close(db_);
      if (!o.password.empty()) {  // no client library message repeats it; make sure
        for (auto p = reason.find(o.password); p != std::string::npos; p = reason.find(o.password)) reason.replace(p, o.password.size(), "***");
      }
      // What the client library tried: without a host, or with "localhost", it takes a unix
      // socket, its default one unless ?unix_socket= names another (mysql_real_connect).
      std::string where = !o.unix_socket.empty()                     ? "the unix socket " + o.unix_socket
                          : o.host.empty() || o.host == "localhost" ? "the default unix socket " + default_socket()
                                                                    : o.host + ":" + std::to_string(o.port ? o.port : 3306);
      if (!o.database.empty()) where += " (database " + o.database + ")";
      throw OperationalError("[athanor.operational.connect] cannot connect to MySQL/MariaDB at " + where + ": " + reason);
    }
    try {
      // UTC, so DATETIME values and UTC_TIMESTAMP() agree with athanor's DateTime; a strict
      // sql_mode, so bad values are errors rather than warnings with altered data
      // (https://mariadb.com/kb/en/sql-mode/). Not ANSI_QUOTES (identifiers use backticks)
      // and not NO_BACKSLASH_ESCAPES (MysqlDialect::literal escapes backslashes).
      exec("SET time_zone = '+00:00', autocommit = 1, sql_mode = 'STRICT_ALL_TABLES,ERROR_FOR_DIVISION_BY_ZERO,"
           "NO_ZERO_DATE,NO_ZERO_IN_DATE,NO_ENGINE_SUBSTITUTION'");
    } catch (...) {
      mysql_close(db_);
      throw;
    }
  }
  ~Connection() override {
    cache_.clear();  // statements close before their connection
    mysql_close(db_);
  }
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;

  driver::Statement& prepare(const std::string& sql) override {
    if (auto* s = cache_.find(sql)) return *s;
    return cache_.put(sql, std::make_unique<Statement>(db_, sql, &last_id_));
  }
  void exec(std::string_view sql) override {
    if (mysql_real_query(db_, sql.data(), sql.size())) detail::raise(mysql_errno(db_), mysql_error(db_), sql);
    // Drain whatever came back (a CALL may return several result sets).
    for (int more = 0; more == 0; more = mysql_next_result(db_)) {
      if (MYSQL_RES* r = mysql_store_result(db_)) mysql_free_result(r);
    }
    if (mysql_errno(db_)) detail::raise(mysql_errno(db_), mysql_error(db_), sql);
    if (auto id = mysql_insert_id(db_)) last_id_ = static_cast<std::int64_t>(id);
  }
  std::int64_t last_insert_id() override { return last_id_; }
  /// mysql_ping's answer; with reconnection off a lost link stays lost
  /// (https://mariadb.com/kb/en/mysql_ping/).
  bool ping() override { return mysql_ping(db_) == 0; }
  std::string server_version() const override {
    unsigned long v = mysql_get_server_version(db_);  // major*10000 + minor*100 + patch
    return std::to_string(v / 10000) + "." + std::to_string(v / 100 % 100) + "." + std::to_string(v % 100);
  }
  /// Whether the server is MariaDB (rather than Oracle MySQL).
  bool is_mariadb() const { return mariadb_connection(db_); }
  /// The MYSQL handle, for what athanor does not wrap.
  MYSQL* handle() const { return db_; }

 private:
  MYSQL* db_ = nullptr;
  std::int64_t last_id_ = 0;
  athanor::driver::detail::StatementCache cache_;
};

}  // namespace athanor::driver::mysql

namespace athanor::detail {

/// A MySQL/MariaDB connection from a URL:
/// `mysql://user:password@host:3306/db?unix_socket=/run/mysqld/mysqld.sock&connect_timeout=5`.
inline std::unique_ptr<driver::Connection> mysql_connect(const URL& url) {
  driver::mysql::Options o;
  o.host = url.host, o.port = url.port ? static_cast<unsigned>(*url.port) : 0;
  o.user = url.username, o.password = url.password, o.database = url.database;
  o.unix_socket = url.option("unix_socket");
  auto seconds = [&](const char* key, unsigned fallback) {
    auto s = url.option(key);
    if (s.empty()) return fallback;
    unsigned v = 0;
    auto r = std::from_chars(s.data(), s.data() + s.size(), v);
    if (r.ec != std::errc{} || r.ptr != s.data() + s.size()) {
      throw ArgumentError(std::string("[athanor.argument.url] the option ") + key + " is not a number of seconds");
    }
    return v;
  };
  auto flag = [&](const char* key) {
    auto s = url.option(key);
    return s == "1" || s == "true" || s == "yes" || s == "required";
  };
  o.connect_timeout = seconds("connect_timeout", 10);
  o.read_timeout = seconds("read_timeout", 0);
  o.write_timeout = seconds("write_timeout", 0);
  o.ssl = flag("ssl") || url.option("ssl_mode") == "REQUIRED";
  o.ssl_ca = url.option("ssl_ca"), o.ssl_cert = url.option("ssl_cert"), o.ssl_key = url.option("ssl_key");
  o.ssl_verify = flag("ssl_verify_server_cert");
  return std::make_unique<driver::mysql::Connection>(o);
}

}  // namespace athanor::detail
