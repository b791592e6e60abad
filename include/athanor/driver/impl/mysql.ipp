// athanor/driver/impl/mysql.ipp — driver/mysql.hpp's out-of-line code: connecting (options,
// UTC and a strict sql_mode), plain statements, and the URL's options as Connector/C's.
// Compiled where ATHANOR_DEFINITIONS is set (config.hpp).
#pragma once

#include <charconv>  // std::from_chars
#include <cstdlib>   // std::getenv
#include <cstring>   // std::strlen
#include <mutex>     // std::once_flag, std::call_once

#include <athanor/core/error.hpp>
#include <athanor/driver/detail/mysql_error.hpp>
#include <athanor/driver/mysql.hpp>

namespace athanor::driver::mysql {

ATHANOR_DECL std::string default_socket() {
  for (const char* name : {"MYSQL_UNIX_PORT", "MARIADB_UNIX_PORT"})
    if (const char* env = std::getenv(name)) return env;
#ifdef MARIADB_UNIX_ADDR
  return MARIADB_UNIX_ADDR;
#else
  return "/tmp/mysql.sock";
#endif
}

ATHANOR_DECL Connection::Connection(const Options& o) {
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

ATHANOR_DECL Connection::~Connection() {
  cache_.clear();  // statements close before their connection
  mysql_close(db_);
}

ATHANOR_DECL driver::Statement& Connection::prepare(const std::string& sql) {
  if (auto* s = cache_.find(sql)) return *s;
  return cache_.put(sql, std::make_unique<Statement>(db_, sql, &last_id_));
}

ATHANOR_DECL void Connection::exec(std::string_view sql) {
  if (mysql_real_query(db_, sql.data(), sql.size())) detail::raise(mysql_errno(db_), mysql_error(db_), sql);
  // Drain whatever came back (a CALL may return several result sets).
  for (int more = 0; more == 0; more = mysql_next_result(db_)) {
    if (MYSQL_RES* r = mysql_store_result(db_)) mysql_free_result(r);
  }
  if (mysql_errno(db_)) detail::raise(mysql_errno(db_), mysql_error(db_), sql);
  if (auto id = mysql_insert_id(db_)) last_id_ = static_cast<std::int64_t>(id);
}

ATHANOR_DECL std::string Connection::server_version() const {
  unsigned long v = mysql_get_server_version(db_);  // major*10000 + minor*100 + patch
  return std::to_string(v / 10000) + "." + std::to_string(v / 100 % 100) + "." + std::to_string(v % 100);
}

ATHANOR_DECL std::size_t Connection::max_message_bytes() {
  if (max_packet_) return max_packet_;
  static constexpr std::string_view sql = "SELECT @@max_allowed_packet";
  if (mysql_real_query(db_, sql.data(), sql.size())) detail::raise(mysql_errno(db_), mysql_error(db_), sql);
  std::size_t bytes = 0;
  if (MYSQL_RES* r = mysql_store_result(db_)) {
    if (MYSQL_ROW row = mysql_fetch_row(r); row && row[0]) std::from_chars(row[0], row[0] + std::strlen(row[0]), bytes);
    mysql_free_result(r);
  }
  if (mysql_errno(db_)) detail::raise(mysql_errno(db_), mysql_error(db_), sql);
  // Unreadable: the default of MySQL 5.7 and 8.0's client-side floor, a bound every server takes.
  max_packet_ = bytes ? bytes : std::size_t{4} << 20;
  return max_packet_;
}

}  // namespace athanor::driver::mysql

namespace athanor::detail {

ATHANOR_DECL std::unique_ptr<driver::Connection> mysql_connect(const URL& url) {
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
