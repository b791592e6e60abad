// athanor/driver/impl/mysql_statement.ipp — driver/detail/mysql_statement.hpp's out-of-line code:
// preparing, binding, one execution, and reading rows from the fetched buffers. Compiled where
// ATHANOR_DEFINITIONS is set (config.hpp): in every file header-only, else in <athanor/src.hpp>'s
// one file.
#pragma once

#include <algorithm>  // std::clamp
#include <chrono>     // std::chrono::year, sys_days, hours…
#include <cstring>    // std::memcpy
#include <limits>     // std::numeric_limits
#include <variant>    // std::monostate

#include <athanor/core/detail/visit_value.hpp>
#include <athanor/core/error.hpp>
#include <athanor/driver/detail/mysql_error.hpp>
#include <athanor/driver/detail/mysql_statement.hpp>
#include <athanor/driver/detail/mysql_values.hpp>

namespace athanor::driver::mysql {

ATHANOR_DECL Statement::~Statement() {
  if (stmt_) mysql_stmt_close(stmt_);
}

ATHANOR_DECL void Statement::execute(std::span<const Value> params) {
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

ATHANOR_DECL bool Statement::next() {
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

ATHANOR_DECL Value Statement::value(int i) const {
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

ATHANOR_DECL void Statement::read_row(int first, std::span<const Want> want, Cell* out) const {
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

ATHANOR_DECL void Statement::prepare() {
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

[[noreturn]] ATHANOR_DECL void Statement::raise(unsigned err, const std::string& msg) {
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

ATHANOR_DECL void Statement::bind(std::size_t i, const Value& v) {
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
  athanor::detail::visit_value(
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
      v);
}

ATHANOR_DECL void Statement::setup_results() {
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

ATHANOR_DECL unsigned long long Statement::shape_of(const MYSQL_FIELD& f) {
  return (static_cast<unsigned long long>(f.type) << 32) | (static_cast<unsigned long long>(f.charsetnr) << 8) |
         ((f.flags & UNSIGNED_FLAG) ? 1u : 0u);
}

ATHANOR_DECL void Statement::layout(const MYSQL_FIELD& f, Column& c, MYSQL_BIND& b) {
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

}  // namespace athanor::driver::mysql
