// athanor/driver/impl/mysql_bulk.ipp — driver/detail/mysql_statement.hpp's batches: MariaDB's
// bulk execution (column-wise arrays, one COM_STMT_BULK_EXECUTE a chunk) and when it applies.
// Compiled where ATHANOR_DEFINITIONS is set (config.hpp).
#pragma once

#include <cctype>       // std::toupper
#include <cstring>      // std::memcpy
#include <string>       // std::string
#include <string_view>  // std::string_view
#include <variant>      // std::monostate, std::variant_npos

#include <athanor/core/detail/visit_value.hpp>
#include <athanor/core/error.hpp>
#include <athanor/driver/detail/mysql_statement.hpp>
#include <athanor/driver/detail/mysql_values.hpp>

namespace athanor::driver::mysql {

ATHANOR_DECL std::int64_t Statement::execute_batch(std::span<const Value> params, std::size_t rows) {
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
    while (end < rows && (end == start || bytes < bulk_bytes)) bytes += message_bytes(params.subspan(end * width, width)), ++end;
    total += bulk_execute(params, start, end, width);
    start = end;
  }
  affected_ = total;
  return total;
}

ATHANOR_DECL bool Statement::bulk_supported() {
  if (bulk_ < 0) {
    unsigned long caps = 0, ext = 0;
    bool ok = mariadb_get_infov(db_, MARIADB_CONNECTION_SERVER_CAPABILITIES, &caps) == 0 &&
              mariadb_get_infov(db_, MARIADB_CONNECTION_EXTENDED_SERVER_CAPABILITIES, &ext) == 0;
    bulk_ = ok && !(caps & CLIENT_MYSQL) && (ext & (MARIADB_CLIENT_STMT_BULK_OPERATIONS >> 32)) ? 1 : 0;
  }
  return bulk_ == 1;
}

ATHANOR_DECL bool Statement::bulk_statement() const {
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

ATHANOR_DECL bool Statement::bulk_types(std::span<const Value> params, std::size_t rows) {
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

ATHANOR_DECL std::int64_t Statement::bulk_execute(std::span<const Value> params, std::size_t start, std::size_t end,
                                                std::size_t width) {
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
      athanor::detail::visit_value(
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
          v);
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

}  // namespace athanor::driver::mysql
