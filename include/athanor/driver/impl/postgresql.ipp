// athanor/driver/impl/postgresql.ipp — driver/postgresql.hpp's out-of-line code: connecting
// (and telling a pooler from a server), the transaction statements, ping, and the URL's
// options as libpq's. Compiled where ATHANOR_DEFINITIONS is set (config.hpp).
#pragma once

#include <pqxx/result>

#include <cctype>  // std::isalnum, std::isalpha, std::toupper

#include <athanor/driver/detail/pg_errors.hpp>
#include <athanor/driver/postgresql.hpp>

namespace athanor::driver::postgresql {


ATHANOR_DECL Connection::Connection(const Options& o) {
  std::string tried;  // what libpq tried, when it could not connect
  auto fail = [&](std::string reason) -> void {
    // libpq's messages never hold the password; it is scrubbed anyway, before and after
    // libpq's line breaks and tabs become single spaces.
    auto scrub = [&](std::string& s) {
      if (o.password.size() < 3) return;  // shorter ones would garble the text, not hide anything
      for (auto p = s.find(o.password); p != std::string::npos; p = s.find(o.password, p + 3)) {
        s.replace(p, o.password.size(), "***");
      }
    };
    scrub(reason);
    std::string flat;
    for (char ch : reason) {
      bool space = ch == '\n' || ch == '\t' || ch == ' ';
      if (!space) {
        flat += ch;
      } else if (!flat.empty() && flat.back() != ' ') {
        flat += ' ';
      }
    }
    while (!flat.empty() && flat.back() == ' ') flat.pop_back();
    scrub(flat);
    // Where it went: libpq's parameters (a failed connect, or one whose setup failed).
    std::string where = !tried.empty() ? tried : s_.conn && s_.conn->raw() ? detail::connection_target(s_.conn->raw()) : o.where;
    scrub(where);
    throw OperationalError("[athanor.operational.connect] cannot connect to PostgreSQL at " + where + ": " + flat);
  };
  try {
    s_.named = o.statements != Options::Statements::unnamed;
    s_.conn = std::make_unique<detail::PqConnection>(o.conninfo, &tried);
    // libpqxx 6 reconnects a broken connection by itself on its next use (connection_base.hxx,
    // "the connection will be restored automatically"): the rest of a transaction would run
    // in autocommit on a new session, without the settings below. A lost link stays lost,
    // as MySQL's does (MYSQL_OPT_RECONNECT off); the pool opens a new connection instead.
#if defined(__GNUC__)
#  pragma GCC diagnostic push
#  pragma GCC diagnostic ignored "-Wdeprecated-declarations"
#endif
    s_.conn->inhibit_reactivation(true);
#if defined(__GNUC__)
#  pragma GCC diagnostic pop
#endif
    s_.quiet = std::make_unique<pqxx::quiet_errorhandler>(*s_.conn);
    // Verbose errors carry TABLE NAME / COLUMN NAME / CONSTRAINT NAME for messages.
    s_.conn->set_verbosity(pqxx::connection_base::verbose);
    s_.tx = std::make_unique<pqxx::nontransaction>(*s_.conn, "athanor");
    if (o.statements == Options::Statements::unnamed) {
      s_.tx->exec(o.setup_sql);
      s_.local_sql = o.local_sql;
    } else if (o.statements == Options::Statements::named) {
      s_.tx->exec(o.setup_sql + "; SELECT " + o.session_settings);
    } else {
      // A pooler answers the startup with a BackendKeyData of its own (PgBouncer: random),
      // so the server's pid differs from the one libpq was given: then no named statements
      // and no session settings, as with prepared_statements=false. The session settings
      // are applied only where the pids agree, in the same round trip: nothing is left on a
      // pooled server session. (A proxy that is not a transaction pooler is taken for one:
      // slower, never wrong.)
      auto r = s_.tx->exec(o.setup_sql + "; SELECT " + o.session_settings + " WHERE pg_backend_pid() = " +
                           std::to_string(PQbackendPID(s_.conn->raw())));
      if (r.empty()) s_.named = false, s_.local_sql = o.local_sql;
    }
  } catch (const pqxx::sql_error& e) {
    fail(std::string(detail::diagnostics(e.what(), e.sqlstate()).primary));
  } catch (const std::exception& e) {
    fail(e.what());
  }
}

ATHANOR_DECL Connection::~Connection() {
  s_.closing = true;
  cache_.clear();
}

ATHANOR_DECL driver::Statement& Connection::prepare(const std::string& sql) {
  if (auto* s = cache_.find(sql)) return *s;
  return cache_.put(sql, std::make_unique<Statement>(s_, sql));
}

ATHANOR_DECL void Connection::exec(std::string_view sql) {
  // The engine sends BEGIN / COMMIT / ROLLBACK [TO SAVEPOINT] here; the driver follows
  // whether a transaction is open (for re-preparing stale statements safely).
  auto word = [&](std::string_view w) {
    if (sql.size() < w.size()) return false;
    for (std::size_t i = 0; i < w.size(); ++i)
      if (std::toupper(static_cast<unsigned char>(sql[i])) != w[i]) return false;
    return sql.size() == w.size() || !std::isalpha(static_cast<unsigned char>(sql[w.size()]));
  };
  bool ends = word("COMMIT") || word("END") || word("ABORT") ||
              (word("ROLLBACK") && sql.find(" TO ") == std::string_view::npos && sql.find(" to ") == std::string_view::npos);
  bool begins = word("BEGIN") || word("START");
  if (begins && !s_.in_tx && s_.pending_begin.empty()) {  // held back until the first statement
    s_.pending_begin = std::string(sql);
    s_.in_tx = true;
    return;
  }
  if (ends) s_.in_tx = false;
  if (ends && !s_.pending_begin.empty()) {  // the transaction ran nothing: nothing to end
    s_.pending_begin.clear();
    return;
  }
  // Anything else (SAVEPOINT, SET …) goes in one simple query after the held-back BEGIN.
  std::string text = s_.pending_begin.empty() ? std::string(sql)
                     : s_.local_sql.empty()   ? s_.pending_begin + "; " + std::string(sql)
                                              : s_.pending_begin + "; " + s_.local_sql + "; " + std::string(sql);
  s_.pending_begin.clear();
  try {
    s_.tx->exec(text);
  } catch (...) {
    detail::rethrow();
  }
  if (begins) s_.in_tx = true;
}

ATHANOR_DECL bool Connection::ping() {
  if (!s_.conn->is_open()) return false;
  try {
    s_.tx->exec("SELECT 1");
    return true;
  } catch (const pqxx::broken_connection&) {
    return false;
  } catch (const pqxx::sql_error& e) {
    // The server answered (e.g. 25P02 in a failed transaction): the link works, unless the
    // answer is that the session is being terminated.
    auto cls = e.sqlstate().substr(0, 2);
    return s_.conn->is_open() && cls != "08" && cls != "57";
  } catch (...) {
    return false;
  }
}

ATHANOR_DECL std::string Connection::server_version() const {
  int v = s_.conn->server_version();
  if (v >= 100000) return std::to_string(v / 10000) + "." + std::to_string(v % 10000) + ".0";
  return std::to_string(v / 10000) + "." + std::to_string(v / 100 % 100) + "." + std::to_string(v % 100);
}

}  // namespace athanor::driver::postgresql

namespace athanor::detail {

ATHANOR_DECL std::unique_ptr<driver::Connection> postgresql_connect(const URL& url) {
  driver::postgresql::Options o;
  auto add = [&](std::string_view key, std::string_view value) {
    // keyword='value' with \ and ' escaped (https://www.postgresql.org/docs/current/libpq-connect.html#LIBPQ-CONNSTRING-KEYWORD-VALUE).
    o.conninfo.append(key).append("='");
    for (char c : value) {
      if (c == '\\' || c == '\'') o.conninfo += '\\';
      o.conninfo += c;
    }
    o.conninfo += "' ";
  };
  auto literal = [](std::string_view v) {
    std::string s = "'";
    for (char c : v) (c == '\'' ? s += "''" : s += c);
    return s + "'";
  };
  std::string statement_timeout;
  if (!url.host.empty() && !url.query.count("host")) add("host", url.host);
  if (url.port && !url.query.count("port")) add("port", std::to_string(*url.port));
  if (!url.username.empty()) add("user", url.username);
  if (!url.password.empty()) add("password", url.password);
  if (!url.database.empty()) add("dbname", url.database);
  add("client_encoding", "UTF8");
  for (auto& [key, value] : url.query) {
    for (char c : key) {
      if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '_')) {
        throw ArgumentError("[athanor.argument.url] '" + key.substr(0, 40) + "' is not a PostgreSQL connection option");
      }
    }
    if (key == "isolation_level") {  // the engine's (EngineOptions::isolation_level), written into each BEGIN
      continue;
    } else if (key == "statement_timeout") {
      statement_timeout = value;
    } else if (key == "prepared_statements") {
      if (value == "false" || value == "0" || value == "no" || value == "off") {
        o.statements = driver::postgresql::Options::Statements::unnamed;
      } else if (value == "true" || value == "1" || value == "yes" || value == "on") {
        o.statements = driver::postgresql::Options::Statements::named;
      } else {
        throw ArgumentError("[athanor.argument.url] prepared_statements is true or false");
      }
    } else if (key == "password") {
      throw ArgumentError("[athanor.argument.url] give the password in the URL's user:password@ part, not as an option");
    } else {
      add(key, value);
    }
  }
  // Only if libpq cannot say (it ran out of memory): without a host it uses a unix socket.
  std::string host = url.option("host", url.host);
  std::string port = url.option("port", std::to_string(url.port.value_or(5432)));
  o.where = (host.empty() ? "the default unix socket (port " + port + ")" : host + ":" + port) + " (database " +
            url.option("dbname", url.database.empty() ? url.username : url.database) + ")";
  o.password = url.password;
  // One round trip: the session settings the decoder relies on
  // (https://www.postgresql.org/docs/current/runtime-config-client.html). PgBouncer keeps
  // TimeZone and DateStyle for its client whichever server session serves it (it tracks
  // them: https://www.pgbouncer.org/config.html, ignore_startup_parameters); the others it
  // would leave on the server session, so behind it they keep the server's defaults, which
  // the decoder reads too (hex or escape bytea; PostgreSQL 12+ prints shortest exact floats).
  o.setup_sql = "SET TimeZone = 'UTC'; SET DateStyle = 'ISO, MDY'";
  o.session_settings =
      "set_config('IntervalStyle', 'postgres', false), set_config('extra_float_digits', '3', false), "
      "set_config('bytea_output', 'hex', false)";
  if (!statement_timeout.empty()) {
    o.session_settings += ", set_config('statement_timeout', " + literal(statement_timeout) + ", false)";
    o.local_sql = "SELECT set_config('statement_timeout', " + literal(statement_timeout) + ", true)";
  }
  return std::make_unique<driver::postgresql::Connection>(o);
}

}  // namespace athanor::detail
