// athanor/driver/mysql.hpp — the MySQL/MariaDB adapter on MariaDB Connector/C's prepared
// statement API: connect, prepare (cached), bind, execute, fetch into reused buffers, and map
// error numbers to athanor's exceptions. Only the engine layer includes this header (and a
// program that wants the MYSQL handle, Connection::handle()). The parts:
// driver/detail/mysql_statement.hpp, mysql_values.hpp, mysql_error.hpp; the out-of-line code in
// driver/impl/.
#pragma once

#include <mysql.h>  // Connection::handle()

#include <cstdint>      // std::int64_t
#include <memory>       // std::unique_ptr
#include <string>       // std::string
#include <string_view>  // std::string_view

#include <athanor/config.hpp>
#include <athanor/driver/detail/mysql_statement.hpp>
#include <athanor/driver/detail/statement_cache.hpp>
#include <athanor/driver/driver.hpp>
#include <athanor/driver/url.hpp>

namespace athanor::driver::mysql {

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
ATHANOR_DECL std::string default_socket();

/// One connection. Autocommit is on; the engine sends START TRANSACTION / COMMIT itself.
class Connection final : public driver::Connection {
 public:
  /// Connects in utf8mb4 without automatic reconnection, then sets UTC and a strict sql_mode;
  /// OperationalError (naming the host or socket tried, never the password) when it cannot.
  ATHANOR_DECL explicit Connection(const Options& o);
  ATHANOR_DECL ~Connection() override;
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;

  ATHANOR_DECL driver::Statement& prepare(const std::string& sql) override;
  ATHANOR_DECL void exec(std::string_view sql) override;
  std::int64_t last_insert_id() override { return last_id_; }
  /// Statements this connection finalized so far (its cache's evictions): the engine takes a
  /// typed statement's driver statement again without the lookup by SQL text while it is unchanged.
  std::int64_t statements_dropped() const override { return cache_.dropped(); }
  /// mysql_ping's answer; with reconnection off a lost link stays lost
  /// (https://mariadb.com/kb/en/mysql_ping/).
  bool ping() override { return mysql_ping(db_) == 0; }
  ATHANOR_DECL std::string server_version() const override;
  /// The server's max_allowed_packet (a statement's parameters travel in one packet), read
  /// once per connection when first asked (one round trip), as the session's value is fixed
  /// at connect time (https://mariadb.com/kb/en/server-system-variables/#max_allowed_packet).
  ATHANOR_DECL std::size_t max_message_bytes() override;
  /// Whether the server is MariaDB (rather than Oracle MySQL).
  bool is_mariadb() const { return mariadb_connection(db_); }
  /// The MYSQL handle, for what athanor does not wrap.
  MYSQL* handle() const { return db_; }

 private:
  MYSQL* db_ = nullptr;
  std::int64_t last_id_ = 0;
  std::size_t max_packet_ = 0;  ///< max_message_bytes(), once read
  athanor::driver::detail::StatementCache cache_;
};

}  // namespace athanor::driver::mysql

namespace athanor::detail {

/// A MySQL/MariaDB connection from a URL:
/// `mysql://user:password@host:3306/db?unix_socket=/run/mysqld/mysqld.sock&connect_timeout=5`.
ATHANOR_DECL std::unique_ptr<driver::Connection> mysql_connect(const URL& url);

}  // namespace athanor::detail

#if ATHANOR_DEFINITIONS
#  include <athanor/driver/impl/mysql.ipp>
#endif
