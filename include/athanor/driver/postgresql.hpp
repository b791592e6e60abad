// athanor/driver/postgresql.hpp — the PostgreSQL adapter on libpqxx 6.4: connect from a URL,
// prepare (cached per connection) with each parameter's type, bind, read by type OID, and map
// SQLSTATEs to athanor's exceptions. Only the engine layer includes this header.
#pragma once

#include <libpq-fe.h>
#include <pqxx/connection>
#include <pqxx/errorhandler>
#include <pqxx/except>
#include <pqxx/nontransaction>
#include <pqxx/result>

#include <algorithm>    // std::max
#include <cctype>       // std::isalnum, std::toupper
#include <charconv>     // std::to_chars, std::from_chars
#include <cmath>        // std::isnan, std::isinf
#include <cstdlib>      // std::strtoll
#include <cstring>      // std::strlen
#include <exception>    // std::exception_ptr
#include <limits>       // std::numeric_limits
#include <memory>       // std::unique_ptr
#include <new>          // std::bad_alloc
#include <span>         // std::span
#include <string>       // std::string
#include <string_view>  // std::string_view
#include <type_traits>  // std::is_same_v
#include <variant>      // std::visit
#include <vector>       // std::vector

#include <athanor/core/detail/chrono_text.hpp>
#include <athanor/core/detail/convert.hpp>
#include <athanor/core/error.hpp>
#include <athanor/driver/detail/statement_cache.hpp>
#include <athanor/driver/url.hpp>

namespace athanor::driver::postgresql {

namespace detail {

/// The fields of a server error that messages use. libpq's verbose error text carries them as
/// labelled lines (PQERRORS_VERBOSE: https://www.postgresql.org/docs/current/libpq-control.html);
/// libpqxx 6 keeps only that text and the SQLSTATE of the PGresult.
struct Diagnostics {
  std::string_view primary, detail, table, column, constraint;
};

inline Diagnostics diagnostics(std::string_view msg, std::string_view sqlstate) {
  Diagnostics d;
  bool first = true;
  while (!msg.empty()) {
    auto nl = msg.find('\n');
    std::string_view line = msg.substr(0, nl);
    msg = nl == std::string_view::npos ? std::string_view{} : msg.substr(nl + 1);
    if (first) {  // "ERROR:  23505: duplicate key value violates …"
      first = false;
      if (auto p = line.find(":  "); p != std::string_view::npos && p < 16) line.remove_prefix(p + 3);
      if (!sqlstate.empty() && line.starts_with(sqlstate) && line.substr(sqlstate.size()).starts_with(": ")) {
        line.remove_prefix(sqlstate.size() + 2);
      }
      d.primary = line;
      continue;
    }
    auto take = [&](std::string_view label, std::string_view& out) {
      if (!line.starts_with(label)) return false;
      out = line.substr(label.size());
      return true;
    };
    take("DETAIL:  ", d.detail) || take("TABLE NAME:  ", d.table) || take("COLUMN NAME:  ", d.column) ||
        take("CONSTRAINT NAME:  ", d.constraint);
  }
  return d;
}

/// The column list of a DETAIL "Key (a, b)=(…) …", without the values after it.
inline std::string_view key_columns(std::string_view detail) {
  if (!detail.starts_with("Key (")) return {};
  auto end = detail.find(")=(");
  return end == std::string_view::npos ? std::string_view{} : detail.substr(5, end - 5);
}

/// The name inside the first (or last) pair of double quotes of `s`.
inline std::string_view quoted(std::string_view s, bool last = false) {
  auto close = last ? s.rfind('"') : s.find('"', s.find('"') + 1);
  auto open = last ? s.rfind('"', close == 0 ? 0 : close - 1) : s.find('"');
  if (open == std::string_view::npos || close == std::string_view::npos || close <= open) return {};
  return s.substr(open + 1, close - open - 1);
}

/// "users.name", "users(a, b)", "users" or "" from what the server reported.
inline std::string where(std::string_view table, std::string_view columns) {
  std::string s(table);
  if (columns.empty()) return s;
  bool many = columns.find(',') != std::string_view::npos;
  if (s.empty()) return std::string(columns);
  return many ? s + "(" + std::string(columns) + ")" : s + "." + std::string(columns);
}

/// A data error's text without the value it quotes, which may be a secret the application
/// bound: `invalid input syntax for type integer: "abc"` → `invalid input syntax for type
/// integer`; `value "99999999999" is out of range for type integer` → `value is out of range
/// for type integer`.
inline std::string without_value(std::string msg) {
  if (msg.starts_with("value \"")) {
    auto close = msg.rfind("\" is out of range");
    if (close != std::string::npos && close > 6) msg.erase(5, close + 1 - 5);
  } else if (auto p = msg.find(": \""); p != std::string::npos && msg.ends_with('"')) {
    msg.resize(p);
  }
  return msg;
}

/// Throws the athanor exception for a server error, by SQLSTATE class
/// (https://www.postgresql.org/docs/current/errcodes-appendix.html). Integrity messages name
/// table, column and constraint, never the offending value (DETAIL has it: only its column
/// list is kept); data errors drop the value they quote.
[[noreturn]] inline void raise(std::string_view what, const std::string& state) {
  Diagnostics d = diagnostics(what, state);
  std::string msg(d.primary);
  std::string constraint = d.constraint.empty() ? "" : " (constraint " + std::string(d.constraint) + ")";
  auto cls = std::string_view(state).substr(0, 2);
  if (state == "23505") {
    std::string w = where(d.table, key_columns(d.detail));
    throw IntegrityError("[athanor.integrity.unique] " + (w.empty() ? "" : w + ": ") + "duplicate value" + constraint);
  }
  if (state == "23502") {
    std::string w = where(d.table, d.column);
    throw IntegrityError("[athanor.integrity.not_null] " + (w.empty() ? "" : w + ": ") + "NULL in a NOT NULL column");
  }
  if (state == "23503") {
    auto cols = key_columns(d.detail);
    if (d.detail.find("is still referenced from table") != std::string_view::npos) {
      // "update or delete on table "users" violates … on table "posts"": the key is the parent's.
      std::string w = where(quoted(d.primary), cols);
      throw IntegrityError("[athanor.integrity.foreign_key] " + (w.empty() ? "" : w + ": ") + "still referenced from " +
                           (d.table.empty() ? std::string("another table") : std::string(d.table)) + constraint);
    }
    // DETAIL "Key (user_id)=(…) is not present in table "users"." — the table is the last quoted name.
    std::string_view parent = d.detail.empty() ? std::string_view{} : quoted(d.detail, true);
    std::string w = where(d.table, cols);
    throw IntegrityError("[athanor.integrity.foreign_key] " + (w.empty() ? "" : w + ": ") + "no row of " +
                         (parent.empty() ? std::string("the referenced table") : std::string(parent)) + " matches" + constraint);
  }
  if (state == "23514") {
    throw IntegrityError("[athanor.integrity.check] " + (d.table.empty() ? "" : std::string(d.table) + ": ") + "check constraint " +
                         std::string(d.constraint) + " failed");
  }
  if (cls == "23") throw IntegrityError("[athanor.integrity] " + msg);
  if (state == "57014") {  // statement_timeout / cancel
    throw OperationalError("[athanor.operational.timeout] PostgreSQL cancelled the statement: " + msg);
  }
  if (state == "55P03") {  // lock_timeout, NOWAIT: a conflict, worth running again
    throw LockTimeout("[athanor.operational.timeout] PostgreSQL cancelled the statement: " + msg);
  }
  // Class 40, transaction rollback: the transaction is over and may succeed if run again
  // (https://www.postgresql.org/docs/current/mvcc-serialization-failure-handling.html).
  if (state == "40001") throw SerializationFailure("[athanor.operational.serialization] " + msg);
  if (state == "40P01") throw DeadlockDetected("[athanor.operational.deadlock] " + msg);
  if (state == "25P02") {
    throw DatabaseError(
        "[athanor.database.transaction_aborted] the transaction was aborted by an earlier error; roll it back (or "
        "back to a savepoint) before running more statements");
  }
  if (state == "25006") {
    // A write on a hot standby (or in a READ ONLY transaction): the server, not the SQL, is
    // the reason (a read replica, or a primary demoted by a failover); send it to the primary.
    throw OperationalError("[athanor.operational.read_only] the server accepts no writes here: " + msg);
  }
  if (state == "08P01" && msg.find("bind message supplies") != std::string::npos) {
    throw ArgumentError("[athanor.argument.params] " + msg);
  }
  if (cls == "08" || cls == "53" || cls == "57" || cls == "58" || cls == "40" || cls == "28" || cls == "55") {
    throw OperationalError("[athanor.operational] " + msg);
  }
  if (cls == "42" || cls == "0A" || cls == "3D" || cls == "3F" || cls == "26" || cls == "34") {
    throw ProgrammingError("[athanor.programming] " + msg);
  }
  if (cls == "22") throw DataError("[athanor.data] " + without_value(msg));
  throw DatabaseError("[athanor.database] " + msg);
}

/// Maps the exception in flight (call from a catch block) to athanor's; lets athanor's pass.
[[noreturn]] inline void rethrow() {
  try {
    throw;
  } catch (const pqxx::broken_connection&) {
    // libpqxx's text here is about its own next step ("Could not obtain client encoding"),
    // not the cause, which libpq no longer has either.
    throw OperationalError(
        "[athanor.operational.disconnected] the connection to PostgreSQL was lost (server restart or shutdown, "
        "session terminated, or network failure)");
  } catch (const pqxx::sql_error& e) {
    raise(e.what(), e.sqlstate());
  } catch (const pqxx::in_doubt_error& e) {
    throw OperationalError(std::string("[athanor.operational] ") + e.what());
  } catch (const pqxx::failure& e) {
    throw DatabaseError(std::string("[athanor.database] ") + e.what());
  } catch (const pqxx::pqxx_exception& e) {  // usage_error, argument_error…: a bug here, said plainly
    throw DatabaseError(std::string("[athanor.database] libpqxx: ") + e.base().what());
  }
}

/// Type OIDs of pg_type (https://github.com/postgres/postgres/blob/master/src/include/catalog/pg_type.dat).
enum Oid : pqxx::oid {
  bool_ = 16, bytea = 17, name = 19, int8 = 20, int2 = 21, int4 = 23, text = 25, oid = 26, json = 114, float4 = 700,
  float8 = 701, bpchar = 1042, varchar = 1043,
  date = 1082, time = 1083, timestamp = 1114, timestamptz = 1184, numeric = 1700, uuid = 2950, jsonb = 3802,
};

inline int hex_digit(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

/// A text parameter as libpq sends it: a C string, where a NUL byte would silently cut the
/// value short (text types cannot hold one anyway:
/// https://www.postgresql.org/docs/current/datatype-character.html). Refused, by position.
inline const std::string& text_param(const std::string& s, std::size_t position) {
  if (s.find('\0') != std::string::npos) {
    throw DataError("[athanor.data.nul] parameter $" + std::to_string(position) +
                    ": PostgreSQL text cannot contain a NUL byte (store such data in a LargeBinary column)");
  }
  return s;
}

/// The type a bound value is declared with at PREPARE, so that the server takes the value's
/// own type instead of guessing it from the other operand (which made `int_col / $1` integer
/// division for 2.5, `int_col > $1` refuse 1071.5, and `CASE … THEN $1 ELSE $2 END` text:
/// https://www.postgresql.org/docs/current/sql-prepare.html, "unspecified" parameters). Each
/// value gets the type PostgreSQL gives the same value written as a literal
/// (https://www.postgresql.org/docs/current/sql-syntax-lexical.html#SQL-SYNTAX-CONSTANTS-NUMERIC):
/// integers INTEGER when they fit, else BIGINT (so `substr(s, $1)`, `round(x, $1)` and
/// `date + $1` still find their INTEGER overloads) — except doubles, which are DOUBLE
/// PRECISION (a C++ double, not NUMERIC). Strings stay unspecified, as a quoted literal is: a
/// string compared with a DATE, UUID or enum column is read as that type. Json is JSONB (the
/// type the dialect creates), DateTime TIMESTAMP (bound as UTC text without a zone). psycopg 3
/// adapts Python values the same way (https://psycopg.org/psycopg3/docs/basic/adapt.html), but
/// from SMALLINT up: INTEGER is the floor here, so `$1 * $2` of small values cannot overflow 16 bits.
/// NULL is `any_type`: it fits a slot of any type (see Statement::find).
inline constexpr pqxx::oid any_type = ~pqxx::oid{0};
inline pqxx::oid param_type(const Value& v) {
  return std::visit(
      [](const auto& x) -> pqxx::oid {
        using X = std::decay_t<decltype(x)>;
        if constexpr (std::is_same_v<X, std::monostate>) return any_type;
        else if constexpr (std::is_same_v<X, bool>) return bool_;
        else if constexpr (std::is_same_v<X, std::int64_t>) return x == static_cast<std::int32_t>(x) ? int4 : int8;
        else if constexpr (std::is_same_v<X, double>) return float8;
        else if constexpr (std::is_same_v<X, std::string>) return 0;
        else if constexpr (std::is_same_v<X, Bytes>) return bytea;
        else if constexpr (std::is_same_v<X, Decimal>) return numeric;
        else if constexpr (std::is_same_v<X, Date>) return date;
        else if constexpr (std::is_same_v<X, DateTime>) return timestamp;
        else if constexpr (std::is_same_v<X, Time>) return time;
        else if constexpr (std::is_same_v<X, Json>) return jsonb;
        else if constexpr (std::is_same_v<X, Uuid>) return uuid;
        else static_assert(!sizeof(X*), "athanor: a Value alternative without a PostgreSQL parameter type");
      },
      v.variant());
}

/// A field in text format as the natural Value of its type; anything unknown (or outside what
/// the parsers take, e.g. 'infinity' dates) stays text.
inline Value decode(pqxx::oid type, const char* p, std::size_t n) {
  std::string_view s(p, n);
  switch (type) {
    case bool_: return Value(n > 0 && p[0] == 't');
    case int2:
    case int4:
    case int8:
    case oid: {
      std::int64_t i = 0;
      auto r = std::from_chars(p, p + n, i);
      if (r.ec == std::errc{} && r.ptr == p + n) return Value(i);
      break;
    }
    case float4:
    case float8: {
      // float8out writes "Infinity", "-Infinity", "NaN" (https://www.postgresql.org/docs/current/datatype-numeric.html#DATATYPE-FLOAT).
      if (s == "Infinity") return Value(std::numeric_limits<double>::infinity());
      if (s == "-Infinity") return Value(-std::numeric_limits<double>::infinity());
      if (s == "NaN") return Value(std::numeric_limits<double>::quiet_NaN());
      double d = 0;
      auto r = std::from_chars(p, p + n, d);
      if (r.ec == std::errc{} && r.ptr == p + n) return Value(d);
      break;
    }
    case numeric: return Value(Decimal{std::string(s)});
    case bytea:
      // bytea_output = 'hex' is set on connect: "\x" then two hex digits a byte.
      if (n >= 2 && p[0] == '\\' && p[1] == 'x' && n % 2 == 0) {
        Bytes b((n - 2) / 2);
        for (std::size_t i = 0; i < b.size(); ++i) {
          int hi = hex_digit(p[2 + 2 * i]), lo = hex_digit(p[3 + 2 * i]);
          if (hi < 0 || lo < 0) throw DataError("[athanor.data] PostgreSQL sent a malformed bytea value");
          b[i] = static_cast<std::byte>(hi * 16 + lo);
        }
        return Value(std::move(b));
      } else {  // the older escape format, should the session have changed bytea_output
        std::size_t size = 0;
        unsigned char* raw = PQunescapeBytea(reinterpret_cast<const unsigned char*>(p), &size);
        if (!raw) throw DataError("[athanor.data] PostgreSQL sent a malformed bytea value");
        auto* b = reinterpret_cast<const std::byte*>(raw);
        Value out(Bytes(b, b + size));
        PQfreemem(raw);
        return out;
      }
    case date:
      if (auto d = athanor::detail::parse_date(s)) return Value(*d);
      break;
    case timestamp:
    case timestamptz:  // the session is UTC: "2024-05-01 12:00:00+00"
      if (auto t = athanor::detail::parse_datetime(s)) return Value(*t);
      break;
    case time:
      if (auto t = athanor::detail::parse_time(s)) return Value(*t);
      break;
    case json:
    case jsonb: return Value(Json{std::string(s)});
    case uuid:
      if (n == 36) return Value(Uuid::parse(s));
      break;
    default: break;
  }
  return Value(std::string(s));
}

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

}  // namespace detail

namespace detail {

/// Throws the athanor exception for a failed libpq call (`r` may be null when libpq ran out
/// of memory or lost the connection before a result came).
[[noreturn]] inline void raise_result(PGconn* conn, const PGresult* r) {
  if (PQstatus(conn) != CONNECTION_OK) {
    // As libpqxx did (pqxx::broken_connection): libpq's text is about its own next step.
    throw OperationalError(
        "[athanor.operational.disconnected] the connection to PostgreSQL was lost (server restart or shutdown, "
        "session terminated, or network failure)");
  }
  const char* state = r ? PQresultErrorField(r, PG_DIAG_SQLSTATE) : nullptr;
  raise(r ? PQresultErrorMessage(r) : PQerrorMessage(conn), state ? state : "");
}

}  // namespace detail

/// A server-side prepared statement. It is prepared on first execution, when the values and
/// so the parameter types are known, under a name unique to its connection; the same SQL run
/// with values of other types (2.5 where 2 was bound) is prepared again for those types and
/// both preparations are kept (a few at most). A NULL fits a slot of any type.
class Statement final : public driver::Statement {
 public:
  /// `sql` for the connection of `s`; nothing is sent to the server before the first execute().
  Statement(detail::Session& s, std::string sql) : s_(s), sql_(std::move(sql)), placeholders_(placeholders(sql_)) {}
  ~Statement() override {
    if (s_.closing) return;  // the server drops prepared statements with the session
    for (auto& p : preps_) deallocate(p);
  }
  Statement(const Statement&) = delete;
  Statement& operator=(const Statement&) = delete;

  void execute(std::span<const Value> params) override {
    reset();
    // A type declared for a parameter the SQL never uses makes the statement take it (and
    // ignore its value), so surplus values are refused here as the other drivers do; missing
    // ones the server refuses (08P01, "bind message supplies …").
    if (params.size() > placeholders_) {
      throw ArgumentError("[athanor.argument.params] the statement takes " + std::to_string(placeholders_) +
                          " parameters, " + std::to_string(params.size()) + " given");
    }
    types_.resize(params.size());
    for (std::size_t i = 0; i < params.size(); ++i) types_[i] = detail::param_type(params[i]);
    if (!s_.named) {
      bind(params);
      declared();
      if (!s_.pending_begin.empty() || (!s_.in_tx && !s_.local_sql.empty())) {
        result_ = with_begin(nullptr);
      } else {
        result_.reset(PQexecParams(s_.conn->raw(), sql_.c_str(), static_cast<int>(params.size()),
                                   decl_.empty() ? nullptr : decl_.data(), values_.data(), lengths_.data(), formats_.data(), 0));
      }
      if (!ok(result_.get())) fail(result_.get());
      described();
      return;
    }
    Prepared* p = find();
    if (!p) p = &prepare_new();
    if (p->stale) prepare(*p);
    if (!s_.pending_begin.empty()) {
      bind(params);
      result_ = with_begin(p);
    } else {
      result_ = run(*p, params);
    }
    if (!ok(result_.get())) {
      std::string_view msg = result_ ? PQresultErrorMessage(result_.get()) : "";
      // A cached plan whose result columns changed (ALTER, or DROP and CREATE of a table)
      // cannot run again (https://www.postgresql.org/docs/current/sql-prepare.html#SQL-PREPARE-NOTES):
      // prepare afresh, at once unless the error aborted a transaction (then on next use).
      if (msg.find("cached plan must not change result type") == std::string_view::npos) fail(result_.get());
      result_.reset();
      deallocate(*p);
      if (s_.in_tx) {
        throw DatabaseError(
            "[athanor.database.stale_statement] a table changed after this statement was prepared, which aborted "
            "the transaction; roll back and run it again");
      }
      prepare(*p);
      result_ = run(*p, params);
      if (!ok(result_.get())) fail(result_.get());
    }
    described();
  }
  /// The rows go through libpq's pipeline mode (libpq 14+:
  /// https://www.postgresql.org/docs/current/libpq-pipeline-mode.html): every row's Bind and
  /// Execute are sent without waiting for the one before, so a batch costs a round trip per
  /// chunk instead of one per row. libpqxx 6.4 has no pipeline (its pipeline class sends plain
  /// SQL text, without parameters or prepared statements); the statements here already run
  /// through libpq on the PGconn our connection policy owns (see detail::Policy), so the
  /// pipeline is driven on that same PGconn, entered and left within this call while libpqxx
  /// is idle. Outside BEGIN … COMMIT the pipeline's rows form one implicit transaction (all or
  /// none); inside one, a failing row aborts the transaction as a single statement would.
  std::int64_t execute_batch(std::span<const Value> params, std::size_t rows) override {
    return execute_batch_rows(params, rows, nullptr, nullptr);
  }
  /// The same pipeline, each answer's rows (RETURNING) handed to `on_row` as it is read: the
  /// flush's multi-row INSERTs of one length go as one batch, the server inserting one chunk
  /// while the client binds the next and reads the keys of the one before.
  std::int64_t execute_batch_rows(std::span<const Value> params, std::size_t rows, BatchRow on_row, void* ctx) override {
    reset();
    if (rows == 0) return 0;
    std::size_t width = params.size() / rows;
    if (width > placeholders_) {
      throw ArgumentError("[athanor.argument.params] the statement takes " + std::to_string(placeholders_) +
                          " parameters, " + std::to_string(width) + " given");
    }
    if (rows == 1) return one_by_one(params, rows, on_row, ctx);
    // One list of types for every row (a NULL takes the others' type); rows whose values
    // differ in type (2 here, 2.5 there) run one by one, each prepared for its own types.
    types_.assign(width, detail::any_type);
    for (std::size_t r = 0; r < rows; ++r) {
      for (std::size_t i = 0; i < width; ++i) {
        auto t = detail::param_type(params[r * width + i]);
        if (t == detail::any_type || t == types_[i]) continue;
        if (types_[i] != detail::any_type) return one_by_one(params, rows, on_row, ctx);
        types_[i] = t;
      }
    }
    Prepared* p = nullptr;
    if (s_.named) {
      p = find();
      if (!p) p = &prepare_new();
      if (p->stale) prepare(*p);
    } else {
      declared();
    }
    return pipelined(p, params, rows, width, on_row, ctx);
  }
  bool next() override {
    if (next_ >= rows_) return false;
    row_ = next_++;
    return true;
  }
  int column_count() const override { return static_cast<int>(oids_.size()); }
  std::string column_name(int c) const override { return PQfname(result_.get(), c); }
  Value value(int c) const override {
    if (is_null(c)) return Value();
    return detail::decode(oids_[static_cast<std::size_t>(c)], text(c), length(c));
  }
  // Typed reads (the ORM path) straight from the field's text where that text is already
  // the answer; other types go through value().
  bool is_null(int c) const override { return PQgetisnull(result_.get(), row_, c) != 0; }
  std::int64_t get_int64(int c) const override {
    auto t = oids_[static_cast<std::size_t>(c)];
    if (t != detail::int2 && t != detail::int4 && t != detail::int8) return driver::Statement::get_int64(c);
    const char* p = text(c);
    std::int64_t i = 0;
    auto r = std::from_chars(p, p + length(c), i);
    if (is_null(c) || r.ec != std::errc{}) return driver::Statement::get_int64(c);
    return i;
  }
  std::string get_text(int c) const override {
    switch (oids_[static_cast<std::size_t>(c)]) {
      case detail::text: case detail::varchar: case detail::bpchar: case detail::name: case detail::json:
      case detail::jsonb: case detail::numeric: case detail::uuid: case detail::int2: case detail::int4: case detail::int8:
        if (!is_null(c)) return std::string(text(c), length(c));
        break;
      default: break;
    }
    return driver::Statement::get_text(c);
  }
  // The row in one call, by the same rules as get_int64/get_text: integers parsed from their
  // text, the text types' text as it is; anything else `other`.
  void read_row(int first, std::span<const Want> want, Cell* out) const override {
    if (first < 0 || first + want.size() > oids_.size()) check_width(first, want.size());
    for (std::size_t k = 0; k < want.size(); ++k) {
      int col = first + static_cast<int>(k);
      Cell& c = out[k];
      c.got = Cell::Got::other;
      if (is_null(col)) {
        c.got = Cell::Got::null;
        continue;
      }
      auto t = oids_[static_cast<std::size_t>(col)];
      bool integer = t == detail::int2 || t == detail::int4 || t == detail::int8;
      if (want[k] == Want::int64 && integer) {
        const char* p = text(col);
        if (std::from_chars(p, p + length(col), c.i).ec == std::errc{}) c.got = Cell::Got::int64;
      } else if (want[k] == Want::text && (integer || t == detail::text || t == detail::varchar || t == detail::bpchar ||
                                            t == detail::name || t == detail::json || t == detail::jsonb ||
                                            t == detail::numeric || t == detail::uuid)) {
        c.got = Cell::Got::text, c.text = text(col), c.size = length(col);
      }
    }
  }
  std::int64_t rows_affected() const override { return affected_; }
  void reset() override {
    result_.reset();
    oids_.clear();
    rows_ = next_ = 0, row_ = -1;
  }

 private:
  /// One server-side preparation of the SQL, for one list of parameter types.
  struct Prepared {
    std::string name;
    std::vector<pqxx::oid> types;  ///< as declared; 0 = left to the server
    bool stale = true;             ///< not (or no longer) prepared on the server
  };
  /// At most this many preparations a statement: SQL bound with ever new type mixes (a Core
  /// statement whose values change type) re-prepares instead of growing without bound.
  static constexpr std::size_t max_preparations = 4;

  /// The highest `$n` in the SQL text: the parameter count of SQL the compiler wrote. Text in
  /// quotes or comments is not skipped, so this never undercounts a hand-written statement.
  static std::size_t placeholders(const std::string& sql) {
    std::size_t most = 0;
    for (std::size_t i = sql.find('$'); i != std::string::npos; i = sql.find('$', i + 1)) {
      std::size_t n = 0, j = i + 1;
      for (; j < sql.size() && sql[j] >= '0' && sql[j] <= '9' && n < 100000; ++j) n = n * 10 + static_cast<std::size_t>(sql[j] - '0');
      most = std::max(most, n);
    }
    return most;
  }
  static bool ok(const PGresult* r) {
    auto st = r ? PQresultStatus(r) : PGRES_FATAL_ERROR;
    return st == PGRES_COMMAND_OK || st == PGRES_TUPLES_OK;
  }
  [[noreturn]] void fail(const PGresult* r) {
    try {
      detail::raise_result(s_.conn->raw(), r);
    } catch (...) {
      result_.reset();
      throw;
    }
  }
  const char* text(int c) const { return PQgetvalue(result_.get(), row_, c); }
  std::size_t length(int c) const { return static_cast<std::size_t>(PQgetlength(result_.get(), row_, c)); }

  /// The preparation whose declared types are those of the values (a NULL fits any).
  Prepared* find() {
    for (auto& p : preps_) {
      bool fits = p.types.size() == types_.size();
      for (std::size_t i = 0; fits && i < types_.size(); ++i) fits = types_[i] == detail::any_type || types_[i] == p.types[i];
      if (fits) return &p;
    }
    return nullptr;
  }
  Prepared& prepare_new() {
    if (preps_.size() >= max_preparations) {
      deallocate(preps_.front());
      preps_.erase(preps_.begin());
    }
    Prepared p;
    p.types = types_;
    for (auto& t : p.types) t = t == detail::any_type ? 0 : t;  // a NULL's type is the server's guess
    preps_.push_back(std::move(p));
    return preps_.back();
  }
  /// Prepares the SQL under a fresh name (https://www.postgresql.org/docs/current/libpq-exec.html#LIBPQ-PQPREPARE);
  /// until that succeeds the preparation stays stale and the next execute tries again.
  void prepare(Prepared& p) {
    // A failed preparation aborts the transaction, as it always did: the BEGIN goes first.
    begin_now();
    p.stale = true;
    p.name = "athanor_" + std::to_string(++s_.next_id);
    detail::ResultPtr r(PQprepare(s_.conn->raw(), p.name.c_str(), sql_.c_str(), static_cast<int>(p.types.size()),
                                  p.types.empty() ? nullptr : p.types.data()));
    if (!ok(r.get())) detail::raise_result(s_.conn->raw(), r.get());
    p.stale = false;
  }
  /// Drops a preparation from the server. Only one that exists there: DEALLOCATE of an unknown
  /// name is an error, which would abort the caller's transaction. Refused in a failed
  /// transaction: the name just stays unused (names are never reused).
  void deallocate(Prepared& p) {
    if (p.stale) return;
    p.stale = true;
    detail::ResultPtr r(PQexec(s_.conn->raw(), ("DEALLOCATE " + p.name).c_str()));
  }

  /// Fills values_, lengths_ and formats_ for libpq from `params`: bytea in binary,
  /// everything else as text (https://www.postgresql.org/docs/current/libpq-exec.html#LIBPQ-PQEXECPREPARED).
  /// The pointers stay valid until the next call (libpq copies them when sending).
  void bind(std::span<const Value> params) {
    std::size_t n = params.size();
    values_.resize(n), lengths_.resize(n), formats_.resize(n);
    if (texts_.size() < n) texts_.resize(n);
    for (std::size_t i = 0; i < n; ++i) {
      lengths_[i] = formats_[i] = 0;
      std::string& buf = texts_[i];
      std::visit(
          [&](const auto& x) {
            using X = std::decay_t<decltype(x)>;
            if constexpr (std::is_same_v<X, std::monostate>) {
              values_[i] = nullptr;
            } else if constexpr (std::is_same_v<X, bool>) {
              values_[i] = x ? "true" : "false";
            } else if constexpr (std::is_same_v<X, std::int64_t> || std::is_same_v<X, double>) {
              char tmp[40];
              if constexpr (std::is_same_v<X, double>) {
                // float8in takes these words (https://www.postgresql.org/docs/current/datatype-numeric.html#DATATYPE-FLOAT).
                if (std::isnan(x)) return void(values_[i] = "NaN");
                if (std::isinf(x)) return void(values_[i] = x > 0 ? "Infinity" : "-Infinity");
              }
              buf.assign(tmp, std::to_chars(tmp, tmp + sizeof tmp, x).ptr);
              values_[i] = buf.c_str();
            } else if constexpr (std::is_same_v<X, std::string>) {
              values_[i] = detail::text_param(x, i + 1).c_str();
            } else if constexpr (std::is_same_v<X, Bytes>) {
              values_[i] = x.empty() ? "" : reinterpret_cast<const char*>(x.data());  // a null pointer is NULL
              lengths_[i] = static_cast<int>(x.size()), formats_[i] = 1;
            } else if constexpr (std::is_same_v<X, Decimal> || std::is_same_v<X, Json>) {
              values_[i] = detail::text_param(x.text, i + 1).c_str();
            } else {
              buf = athanor::detail::value_to_text(params[i]);  // ISO dates and times (UTC), UUID text
              values_[i] = buf.c_str();
            }
          },
          params[i].variant());
    }
  }
  /// Runs a preparation.
  detail::ResultPtr run(const Prepared& p, std::span<const Value> params) {
    bind(params);
    return detail::ResultPtr(PQexecPrepared(s_.conn->raw(), p.name.c_str(), static_cast<int>(params.size()), values_.data(),
                                            lengths_.data(), formats_.data(), 0));
  }
  /// Sends the held-back BEGIN, if any, alone.
  void begin_now() {
    if (s_.pending_begin.empty()) return;
    std::string begin = std::move(s_.pending_begin);
    s_.pending_begin.clear();
    if (!s_.local_sql.empty()) begin += "; " + s_.local_sql;
    detail::ResultPtr r(PQexec(s_.conn->raw(), begin.c_str()));
    if (!ok(r.get())) detail::raise_result(s_.conn->raw(), r.get());
  }
  /// Sends, in pipeline mode, what goes before a statement: the held-back BEGIN, then the
  /// per-transaction settings (detail::Session::local_sql) after a BEGIN or outside a
  /// transaction. Returns how many queries were sent (each has one answer), or -1 when
  /// libpq refused one.
  int send_prelude(PGconn* c) {
    int n = 0;
    bool begins = !s_.pending_begin.empty();
    if (begins) {
      std::string begin = std::move(s_.pending_begin);
      s_.pending_begin.clear();
      if (!PQsendQueryParams(c, begin.c_str(), 0, nullptr, nullptr, nullptr, nullptr, 0)) return -1;
      ++n;
    }
    if (!s_.local_sql.empty() && (begins || !s_.in_tx)) {
      if (!PQsendQueryParams(c, s_.local_sql.c_str(), 0, nullptr, nullptr, nullptr, nullptr, 0)) return -1;
      ++n;
    }
    return n;
  }
  /// Runs the bound values_ (preparation `p`, or when null the SQL unnamed with decl_) in one
  /// pipeline after the held-back BEGIN and the per-transaction settings (send_prelude): one
  /// round trip for all. Returns the statement's result; the prelude's own failure is thrown.
  detail::ResultPtr with_begin(const Prepared* p) {
    PGconn* c = s_.conn->raw();
    int n = static_cast<int>(values_.size());
    if (!PQenterPipelineMode(c)) detail::raise_result(c, nullptr);
    int prelude = send_prelude(c);
    bool sent = prelude >= 0 &&
                (p ? PQsendQueryPrepared(c, p->name.c_str(), n, values_.data(), lengths_.data(), formats_.data(), 0)
                   : PQsendQueryParams(c, sql_.c_str(), n, decl_.empty() ? nullptr : decl_.data(), values_.data(),
                                       lengths_.data(), formats_.data(), 0)) &&
                PQpipelineSync(c) && PQflush(c) == 0;
    auto lost = [&] { return PQstatus(c) != CONNECTION_OK; };
    auto answer = [&] {  // one statement's result, and the null that ends it
      detail::ResultPtr r(PQgetResult(c));
      if (r)
        while (PGresult* more = PQgetResult(c)) PQclear(more);
      return r;
    };
    detail::ResultPtr begun, result;
    if (sent) {
      for (int i = 0; i < prelude && !lost(); ++i) {
        auto r = answer();
        if (!begun || ok(begun.get())) begun = std::move(r);  // the first failure is kept
      }
      if (!lost()) result = answer();
      for (int nulls = 0; !lost() && nulls < 4;) {
        detail::ResultPtr r(PQgetResult(c));
        if (!r) ++nulls;
        else if (PQresultStatus(r.get()) == PGRES_PIPELINE_SYNC) break;
      }
    }
    if (!lost()) PQexitPipelineMode(c);
    if (!sent || lost()) {
      if (result && !ok(result.get())) return result;  // the statement's own error, if it got one
      detail::raise_result(c, nullptr);
    }
    if (prelude > 0 && !ok(begun.get())) detail::raise_result(c, begun.get());
    return result;
  }
  /// decl_: types_ as declared to the server without a preparation (a NULL's left to it).
  void declared() {
    decl_.assign(types_.begin(), types_.end());
    for (auto& t : decl_) t = t == detail::any_type ? 0 : t;
  }
  /// The column types, row count and affected count of result_.
  void described() {
    PGresult* r = result_.get();
    oids_.resize(static_cast<std::size_t>(PQnfields(r)));
    for (std::size_t i = 0; i < oids_.size(); ++i) oids_[i] = PQftype(r, static_cast<int>(i));
    rows_ = PQntuples(r), next_ = 0, row_ = -1;
    const char* n = PQcmdTuples(r);
    affected_ = *n ? std::strtoll(n, nullptr, 10) : 0;
  }

  /// Rows per pipeline chunk: results are read after each chunk, so neither side's socket
  /// buffer can fill while the other waits (a chunk of DML answers is ~25 bytes a row, far
  /// below the kernel's buffers). The server is asked to flush (PQsendFlushRequest) between
  /// chunks and to sync only after the last, so the batch stays one unit of work.
  static constexpr std::size_t pipeline_chunk = 1000;
  /// A chunk also ends after about this many bytes of values: a chunk's request then fits in
  /// the kernel's socket buffer, so the client never blocks writing while the server blocks
  /// writing answers (wide RETURNING rows) that the client is not reading yet.
  static constexpr std::size_t pipeline_bytes = 64u << 10;

  /// The rows one execution after the other (the base class's), for what a pipeline cannot
  /// carry: a single row, or rows whose values differ in type.
  std::int64_t one_by_one(std::span<const Value> params, std::size_t rows, BatchRow on_row, void* ctx) {
    return on_row ? driver::Statement::execute_batch_rows(params, rows, on_row, ctx) : driver::Statement::execute_batch(params, rows);
  }
  /// Sends `rows` rows of `params` through one pipeline, with preparation `p` (or, when null,
  /// the protocol's unnamed statement, parsed with decl_ at the start of the pipeline). Returns the rows affected in all; throws the
  /// first failing row's error after the pipeline is drained and left, so the connection
  /// answers the next statement.
  std::int64_t pipelined(Prepared* p, std::span<const Value> params, std::size_t rows, std::size_t width, BatchRow on_row,
                         void* ctx) {
    PGconn* c = s_.conn->raw();
    if (!PQenterPipelineMode(c)) detail::raise_result(c, nullptr);
    detail::ResultPtr failed;  // the first row's error; the server skips the rest until the sync
    std::int64_t total = 0;
    std::size_t sent = 0, answered = 0, skip = 0;  // answers expected, read, and not counted (the prelude's)
    std::size_t first_row = 0;                      // the answer of the first row's execution
    std::exception_ptr thrown;                      // what on_row threw, rethrown once the pipeline is left
    bool synced = false;
    auto lost = [&] { return PQstatus(c) != CONNECTION_OK; };
    // One answer per row sent: its result, then the null that ends it.
    auto read_answers = [&] {
      for (int nulls = 0; answered < sent;) {
        detail::ResultPtr r(PQgetResult(c));
        if (!r) {  // none pending where an answer was due: libpq lost track (or the link)
          if (lost() || ++nulls > 3) return false;
          continue;
        }
        auto st = PQresultStatus(r.get());
        if (st == PGRES_COMMAND_OK || st == PGRES_TUPLES_OK) {
          const char* n = PQcmdTuples(r.get());
          if (answered >= skip) total += *n ? std::strtoll(n, nullptr, 10) : 0;
          if (on_row && st == PGRES_TUPLES_OK && answered >= first_row && !failed) {  // an execution's rows, read here
            std::size_t execution = answered - first_row;
            result_ = std::move(r);
            described();
            try {  // the pipeline is drained and left before a caller's exception goes on
              while (next()) on_row(ctx, execution, *this);
            } catch (...) {
              if (!thrown) thrown = std::current_exception();
            }
            result_.reset();
          }
        } else if (st != PGRES_PIPELINE_ABORTED && !failed) {
          failed = std::move(r);
        }
        ++answered;
        while (PGresult* more = PQgetResult(c)) PQclear(more);  // the null after each answer
        if (lost()) return false;
      }
      return true;
    };
    bool ok_so_far = true;
    int n = static_cast<int>(width);
    // The held-back BEGIN and the per-transaction settings head the pipeline; their answers
    // count no rows.
    int prelude = send_prelude(c);
    if (prelude < 0) ok_so_far = false;
    else sent += static_cast<std::size_t>(prelude), skip = static_cast<std::size_t>(prelude);
    // Without named statements the SQL is parsed once, as the protocol's unnamed statement,
    // which every row then binds: it lives until the next unnamed Parse, and nothing else is
    // sent in between. (PQsendQueryParams would parse and plan it again for every row.)
    if (!p) {
      if (PQsendPrepare(c, "", sql_.c_str(), n, decl_.empty() ? nullptr : decl_.data())) ++sent;
      else ok_so_far = false;
    }
    const char* name = p ? p->name.c_str() : "";
    first_row = sent;  // the answers before are the prelude's and the unnamed Parse's
    std::size_t row = 0;
    while (ok_so_far && row < rows && !failed) {
      std::size_t end = std::min(rows, row + pipeline_chunk), bytes = 0;
      for (; row < end && bytes < pipeline_bytes; ++row, ++sent) {
        bind(params.subspan(row * width, width));
        for (std::size_t i = 0; i < width; ++i) {
          bytes += 16 + (formats_[i] ? static_cast<std::size_t>(lengths_[i]) : values_[i] ? std::strlen(values_[i]) : 0);
        }
        if (!PQsendQueryPrepared(c, name, n, values_.data(), lengths_.data(), formats_.data(), 0)) {
          ok_so_far = false;
          break;
        }
      }
      if (!ok_so_far) break;
      synced = row == rows;
      if (!(synced ? PQpipelineSync(c) : PQsendFlushRequest(c)) || PQflush(c) != 0) ok_so_far = false;
      if (ok_so_far) ok_so_far = read_answers();
    }
    if (!lost()) {
      // A failure before the last chunk: a sync ends the aborted run; then the sync's answer,
      // after which the pipeline is idle and can be left.
      bool sync_sent = synced && ok_so_far;
      if (!sync_sent) sync_sent = PQpipelineSync(c) && PQflush(c) == 0 && read_answers();
      for (int nulls = 0; sync_sent && !lost() && nulls < 4;) {
        detail::ResultPtr r(PQgetResult(c));
        if (!r) ++nulls;
        else if (PQresultStatus(r.get()) == PGRES_PIPELINE_SYNC) break;
      }
      PQexitPipelineMode(c);
    }
    if (lost() || !ok_so_far) {
      if (failed) fail(failed.get());
      detail::raise_result(c, nullptr);
    }
    if (failed) {
      std::string_view msg = PQresultErrorMessage(failed.get());
      // A cached plan whose result columns changed: prepared afresh on the next run (the
      // transaction, if any, was aborted by the error, which the caller rolls back).
      if (p && msg.find("cached plan must not change result type") != std::string_view::npos) deallocate(*p);
      fail(failed.get());
    }
    if (thrown) std::rethrow_exception(thrown);
    affected_ = total;
    return total;
  }

  detail::Session& s_;
  std::string sql_;
  std::size_t placeholders_;
  std::vector<Prepared> preps_;
  std::vector<pqxx::oid> types_;  ///< of the values being executed
  std::vector<pqxx::oid> decl_;    ///< types_ as declared without a preparation
  // Parameter arrays for libpq, kept between executions to reuse their memory.
  std::vector<const char*> values_;
  std::vector<int> lengths_, formats_;
  std::vector<std::string> texts_;
  detail::ResultPtr result_;
  std::vector<pqxx::oid> oids_;
  int rows_ = 0, next_ = 0, row_ = -1;
  std::int64_t affected_ = 0;
};


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
  explicit Connection(const Options& o) {
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
  ~Connection() override {
    s_.closing = true;
    cache_.clear();
  }
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;

  driver::Statement& prepare(const std::string& sql) override {
    if (auto* s = cache_.find(sql)) return *s;
    return cache_.put(sql, std::make_unique<Statement>(s_, sql));
  }
  void exec(std::string_view sql) override {
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
  /// PostgreSQL has no last-insert-id: generated keys come back by RETURNING.
  std::int64_t last_insert_id() override { return 0; }
  bool ping() override {
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
  /// "15.4.0" from 150004; "9.6.24" from 90624 (https://www.postgresql.org/docs/current/libpq-status.html#LIBPQ-PQSERVERVERSION).
  std::string server_version() const override {
    int v = s_.conn->server_version();
    if (v >= 100000) return std::to_string(v / 10000) + "." + std::to_string(v % 10000) + ".0";
    return std::to_string(v / 10000) + "." + std::to_string(v / 100 % 100) + "." + std::to_string(v % 100);
  }
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
inline std::unique_ptr<driver::Connection> postgresql_connect(const URL& url) {
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
