// athanor/driver/postgresql.hpp — the PostgreSQL adapter on libpqxx 6.4: connect from a URL,
// prepare (cached per connection) with each parameter's type, bind, read by type OID, and map
// SQLSTATEs to athanor's exceptions. Only the engine layer includes this header (and a program
// that wants the libpqxx connection, Connection::handle()). The parts: driver/detail/pg_session.hpp
// (the session), pg_statement.hpp (statements and pipelines), pg_errors.hpp, pg_values.hpp; the
// out-of-line code in driver/impl/.
#pragma once

#include <pqxx/connection>  // Connection::handle()

#include <cstdint>      // std::int64_t
#include <memory>       // std::unique_ptr
#include <string>       // std::string
#include <string_view>  // std::string_view

#include <athanor/config.hpp>
#include <athanor/driver/detail/pg_session.hpp>
#include <athanor/driver/detail/pg_statement.hpp>
#include <athanor/driver/detail/statement_cache.hpp>
#include <athanor/driver/driver.hpp>
#include <athanor/driver/url.hpp>

namespace athanor::driver::postgresql {

/// Options of a PostgreSQL connection (built from a URL by `postgresql_connect`).
struct Options {
  std::string conninfo;   ///< libpq keyword=value string (holds the password)
  std::string where;      ///< what the URL asks for, for messages (libpq's own answer is preferred)
  std::string password;   ///< scrubbed from messages, in case
  /// SETs run once after connecting that PgBouncer carries from server session to server
  /// session for its client (TimeZone, DateStyle: the parameters it tracks).
  std::string setup_sql;
  /// Settings a pooler would leave behind on a server session (IntervalStyle,
  /// extra_float_digits, bytea_output, statement_timeout), as `set_config('name', 'value',
  /// false)` calls: set on the session of a direct connection only.
  std::string session_settings;
  /// Behind a pooler, what goes with each transaction instead (detail::Session::local_sql).
  std::string local_sql;
  /// Named server-side statements: `detect` (no prepared_statements option) uses them unless
  /// the connection turns out to go through a pooler (see Connection's constructor).
  enum class Statements { detect, named, unnamed } statements = Statements::detect;
};

/// One PostgreSQL session through libpqxx, statements prepared and run with libpq. A lost
/// link stays lost (no reactivation): the pool opens a new connection instead.
class Connection final : public driver::Connection {
 public:
  /// Connects with `o.conninfo` and runs `o.setup_sql`; OperationalError (naming what libpq
  /// tried, the password scrubbed) when either fails.
  ATHANOR_DECL explicit Connection(const Options& o);
  ATHANOR_DECL ~Connection() override;
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;

  ATHANOR_DECL driver::Statement& prepare(const std::string& sql) override;
  ATHANOR_DECL void exec(std::string_view sql) override;
  /// PostgreSQL has no last-insert-id: generated keys come back by RETURNING.
  std::int64_t last_insert_id() override { return 0; }
  /// Statements this connection finalized so far (its cache's evictions): the engine takes a
  /// typed statement's driver statement again without the lookup by SQL text while it is unchanged.
  std::int64_t statements_dropped() const override { return cache_.dropped(); }
  ATHANOR_DECL bool ping() override;
  /// "15.4.0" from 150004; "9.6.24" from 90624 (https://www.postgresql.org/docs/current/libpq-status.html#LIBPQ-PQSERVERVERSION).
  ATHANOR_DECL std::string server_version() const override;
  /// The server reads a Bind message of at most PQ_LARGE_MESSAGE_LIMIT bytes (MaxAllocSize - 1,
  /// 1 GB; src/include/libpq/libpq.h), the message that carries a statement's parameters.
  std::size_t max_message_bytes() override { return (std::size_t{1} << 30) - 2; }
  /// False behind a transaction pooler (`prepared_statements=false`, or detected at connect):
  /// every statement is then the protocol's unnamed one.
  bool named_statements() const { return s_.named; }
  /// The libpqxx connection, for what athanor does not wrap.
  pqxx::connection_base& handle() { return *s_.conn; }

 private:
  detail::Session s_;
  driver::detail::StatementCache cache_;
};

}  // namespace athanor::driver::postgresql

namespace athanor::detail {

/// Connects to the server of a `postgresql://user:password@host:port/db?key=value` URL.
/// Query options go to libpq as connection keywords (sslmode, connect_timeout,
/// application_name, options, host=/socket/dir, …:
/// https://www.postgresql.org/docs/current/libpq-connect.html#LIBPQ-PARAMKEYWORDS), except
/// `statement_timeout`, which is SET on the session, and `prepared_statements=false`, which
/// runs every statement unnamed (parsed each time; no named server-side statement, for
/// PgBouncer's transaction pooling) and sets statement_timeout per transaction (SET LOCAL)
/// instead of on the session. Without the option a pooler is detected at connect (see
/// driver::postgresql::Connection) and treated the same; `prepared_statements=true` never
/// detects. Every session runs in UTC, UTF-8.
ATHANOR_DECL std::unique_ptr<driver::Connection> postgresql_connect(const URL& url);

}  // namespace athanor::detail

#if ATHANOR_DEFINITIONS
#  include <athanor/driver/impl/postgresql.ipp>
#endif
