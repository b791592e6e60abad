// athanor/driver/detail/pg_session.hpp — one PostgreSQL session as the driver holds it: the
// libpqxx connection with a policy that keeps libpq's PGconn reachable, and the state a
// Connection shares with its statements (driver/postgresql.hpp, driver/detail/pg_statement.hpp).
#pragma once

#include <libpq-fe.h>
#include <pqxx/connection>
#include <pqxx/errorhandler>
#include <pqxx/nontransaction>

#include <memory>       // std::unique_ptr
#include <new>          // std::bad_alloc
#include <string>       // std::string
#include <string_view>  // std::string_view

namespace athanor::driver::postgresql::detail {

/// What a connection tried, from the parameters libpq used (PQhost, PQport, PQdb), for
/// messages: "the unix socket /tmp/pg/.s.PGSQL.5432 (database app)", "db.example:5432 (…)".
/// Without a host anywhere (URL, ?host=, PGHOST) libpq goes to its compiled-in socket
/// directory, /var/run/postgresql on Debian: said as "the default unix socket". With a host
/// list, the last one tried (libpq's message lists every attempt).
inline std::string connection_target(PGconn* c) {
  auto text = [](const char* s) { return std::string(s ? s : ""); };
  std::string host = text(PQhost(c)), port = text(PQport(c)), db = text(PQdb(c));
  bool host_given = false;
  if (PQconninfoOption* options = PQconninfo(c)) {
    for (auto* o = options; o->keyword; ++o)
      if (std::string_view(o->keyword) == "host" && o->val && *o->val) host_given = true;
    PQconninfoFree(options);
  }
  std::string where;
  if (!host.empty() && (host[0] == '/' || host[0] == '@')) {  // a socket directory, '@' the abstract namespace
    where = std::string(host_given ? "the unix socket " : "the default unix socket ") + host + "/.s.PGSQL." + port;
  } else {
    where = host + ":" + port;
  }
  if (!db.empty()) where += " (database " + db + ")";
  return where;
}

/// libpqxx 6.4 prepares without parameter types (PQprepare with nParams 0) and has no public
/// way to the PGconn: a connection policy of our own (libpqxx's documented extension point,
/// connectionpolicy.hxx) keeps the handle it opens, so that statements are prepared and run
/// with libpq itself. Reactivation is inhibited, so the handle never changes under us.
class Policy final : public pqxx::connect_direct {
 public:
  /// `tried`, when given, receives what a failed connection tried (connection_target).
  explicit Policy(const std::string& options, std::string* tried = nullptr) : connect_direct(options), tried_(tried) {}
  /// connect_direct's (PQconnectdb, broken_connection with libpq's message), except that the
  /// failed handle is asked what it tried before it is closed.
  handle do_startconnect(handle h) override {
    if (h) return raw = h;
    h = PQconnectdb(options().c_str());
    if (!h) throw std::bad_alloc{};
    if (PQstatus(h) != CONNECTION_OK) {
      std::string msg = PQerrorMessage(h);
      if (tried_) *tried_ = connection_target(h);
      PQfinish(h);
      throw pqxx::broken_connection{msg};
    }
    return raw = h;
  }
  handle do_completeconnect(handle h) override { return raw = connect_direct::do_completeconnect(h); }
  handle do_dropconnect(handle h) noexcept override { return raw = connect_direct::do_dropconnect(h); }
  handle do_disconnect(handle h) noexcept override { return raw = connect_direct::do_disconnect(h); }
  PGconn* raw = nullptr;

 private:
  std::string* tried_;
};

/// `pqxx::connection` with our Policy (what basic_connection_base does, with the policy reachable).
class PqConnection final : public pqxx::connection_base {
 public:
  explicit PqConnection(const std::string& options, std::string* tried = nullptr)
      : connection_base(policy_), policy_(options, tried) { init(); }
  ~PqConnection() noexcept { close(); }
  PGconn* raw() const { return policy_.raw; }

 private:
  Policy policy_;
};

struct ResultDeleter {
  void operator()(PGresult* r) const { PQclear(r); }
};
using ResultPtr = std::unique_ptr<PGresult, ResultDeleter>;

/// State shared by a Connection and its statements. Declaration order is destruction order
/// in reverse: the transaction object and the notice handler go before the connection.
struct Session {
  std::unique_ptr<PqConnection> conn;
  std::unique_ptr<pqxx::quiet_errorhandler> quiet;  ///< NOTICEs (DROP … IF EXISTS) are not printed
  std::unique_ptr<pqxx::nontransaction> tx;         ///< runs everything; BEGIN/COMMIT are plain SQL
  bool in_tx = false;    ///< inside BEGIN … COMMIT/ROLLBACK (tracked from exec)
  bool closing = false;  ///< the connection is going: statements skip DEALLOCATE
  /// `?prepared_statements=false`: every statement is parsed anew as the protocol's unnamed
  /// statement (PQexecParams), so no named statement lives on the server. PgBouncer in
  /// transaction pooling before 1.21 hands the next transaction another server session, where
  /// a named statement prepared here would not exist.
  bool named = true;
  /// Behind a transaction pooler (`prepared_statements=false`, or detected at connect): the
  /// settings a session SET would leave on whichever server session ran it go with each
  /// transaction instead. `local_sql` is that query ("SELECT set_config('statement_timeout',
  /// '5s', true)", the function form of SET LOCAL, which a pipeline can carry), run after each
  /// BEGIN and before each statement outside a transaction (in the same round trip); empty
  /// when there is nothing to set.
  std::string local_sql;
  /// A BEGIN the engine asked for and not sent yet: it goes in the same round trip as the
  /// transaction's first statement (a pipeline, or one simple query "BEGIN; …"), and a
  /// COMMIT or ROLLBACK of a transaction that ran nothing sends nothing at all.
  std::string pending_begin;
  unsigned long next_id = 0;
};

}  // namespace athanor::driver::postgresql::detail
