// test/engine/faults.cpp — what a server-backed engine does when things go wrong outside the
// SQL: a wrong password, an unreachable host, a missing database, a server restarted under a
// pool, a statement timeout. Each must be a typed exception with a clear message, and quick.
// SQLite has no server: every case says so and returns.
#include "support/servers.hpp"

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <thread>

using namespace athanor;
using Clock = std::chrono::steady_clock;

namespace {

const char* const kUser = "athanor_fault_user";
const char* const kPassword = "R1ght secret'pw";
const char* const kWrongPassword = "Wr0ng-s3cret'pw";

bool starts_with(const std::string& s, const std::string& prefix) { return s.rfind(prefix, 0) == 0; }

}  // namespace

TEST_CASE("a wrong password is an OperationalError that does not show the password") {
  SKIP_WITHOUT_SERVER();
  test::PasswordLogin user{kUser, kPassword};
  if (!user.ready) {
    MESSAGE("cannot make the server check passwords (pg_hba.conf not writable): skipped");
    return;
  }
  // The server reloads its configuration asynchronously: wait until the wrong password fails.
  std::string msg;
  for (int i = 0; i < 50 && msg.empty(); ++i) {
    try {
      create_engine(user.url(kWrongPassword)).connect().exec_driver_sql("SELECT 1");
      std::this_thread::sleep_for(std::chrono::milliseconds(100));
    } catch (const OperationalError& e) {
      msg = e.what();
    }
  }
  INFO("message: " << msg);
  CHECK(starts_with(msg, "[athanor.operational.connect] cannot connect to "));
  CHECK(msg.find(kWrongPassword) == std::string::npos);
  CHECK(msg.find("Wr0ng") == std::string::npos);
  CHECK(msg.find(kPassword) == std::string::npos);
  // The right one works, and the engine's text form hides it too.
  auto engine = create_engine(user.url(kPassword));
  CHECK(engine.connect().exec_driver_sql("SELECT 1").scalar_one<int>() == 1);
  CHECK(engine.to_string().find("R1ght") == std::string::npos);
}

TEST_CASE("an unreachable host is an OperationalError, quickly") {
  SKIP_WITHOUT_SERVER();
  auto u = URL::parse(test::url());
  u.host = "127.0.0.1", u.port = 1;  // nothing listens on port 1 of the loopback
  u.query.clear();
  u.query["connect_timeout"] = "3";
  auto start = Clock::now();
  auto msg = test::operational_error([&] { create_engine(u.render(false)).connect(); });
  INFO("message: " << msg);
  CHECK(starts_with(msg, "[athanor.operational.connect] cannot connect to "));
  CHECK(msg.find("127.0.0.1:1") != std::string::npos);
  CHECK(Clock::now() - start < std::chrono::seconds(5));
}

TEST_CASE("a socket directory with no server: the message names the socket tried, not localhost") {
  SKIP_WITHOUT_SERVER();
  auto u = URL::parse(test::url());
  u.host.clear(), u.port.reset();
  u.query.clear();
  std::string prefix;
  if (test::backend() == "postgresql") {
    u.query["host"] = "/tmp/athanor-nothing-here";
    prefix = "[athanor.operational.connect] cannot connect to PostgreSQL at the unix socket /tmp/athanor-nothing-here/.s.PGSQL.5432 ";
  } else {
    u.query["unix_socket"] = "/tmp/athanor-nothing-here/mysqld.sock";
    prefix = "[athanor.operational.connect] cannot connect to MySQL/MariaDB at the unix socket /tmp/athanor-nothing-here/mysqld.sock ";
  }
  auto msg = test::operational_error([&] { create_engine(u.render(false)).connect(); });
  INFO("message: " << msg);
  CHECK(starts_with(msg, prefix));
  CHECK(msg.find("localhost") == std::string::npos);
}

TEST_CASE("no host in the URL: the message names the default unix socket the client library tried") {
  SKIP_WITHOUT_SERVER();
  bool pg = test::backend() == "postgresql";
  // What libpq (Debian: DEFAULT_PGSOCKET_DIR) and MariaDB Connector/C (MARIADB_UNIX_ADDR) try
  // without a host; the environment would override it.
  std::string socket = pg ? "/var/run/postgresql/.s.PGSQL.5432" : "/run/mysqld/mysqld.sock";
  if (std::getenv(pg ? "PGHOST" : "MYSQL_UNIX_PORT") || std::getenv(pg ? "PGPORT" : "MARIADB_UNIX_PORT") ||
      std::filesystem::exists(socket)) {
    MESSAGE("a server or the environment answers for the default socket " << socket << ": skipped");
    return;
  }
  auto u = URL::parse(test::url());
  u.host.clear(), u.port.reset();
  u.query.clear();
  auto msg = test::operational_error([&] { create_engine(u.render(false)).connect(); });
  INFO("message: " << msg);
  CHECK(starts_with(msg, std::string("[athanor.operational.connect] cannot connect to ") + (pg ? "PostgreSQL" : "MySQL/MariaDB") +
                             " at the default unix socket " + socket + " "));
  CHECK(msg.find("localhost") == std::string::npos);
}

TEST_CASE("a database that does not exist is an OperationalError naming it") {
  SKIP_WITHOUT_SERVER();
  auto u = URL::parse(test::url());
  u.database = "athanor_no_such_database";
  auto msg = test::operational_error([&] { create_engine(u.render(false)).connect(); });
  INFO("message: " << msg);
  CHECK(starts_with(msg, "[athanor.operational.connect] cannot connect to "));
  CHECK(msg.find("athanor_no_such_database") != std::string::npos);
}

TEST_CASE("a server restarted under the pool: pre_ping replaces the dead connections") {
  SKIP_WITHOUT_SERVER();
  std::string restart = test::backend() == "postgresql" ? "restart-postgresql" : "restart-mysql";
  EngineOptions with_ping;
  with_ping.pool.pool_size = 2, with_ping.pool.pre_ping = true;
  auto pinged = test::engine(with_ping);
  auto plain = test::engine();
  for (auto* e : {&pinged, &plain}) {  // two connections each, back in the pool
    auto a = e->connect(), b = e->connect();
    CHECK(a.exec_driver_sql("SELECT 1").scalar_one<int>() == 1);
    CHECK(b.exec_driver_sql("SELECT 1").scalar_one<int>() == 1);
  }
  REQUIRE(pinged.pool().idle() == 2);

  int rc = test::servers_script(restart);
  if (rc == -1) {
    MESSAGE("ATHANOR_TEST_SERVERS_DIR is not set: cannot restart the server, skipped");
    return;
  }
  if (rc == 2) {
    MESSAGE("scripts/test-servers.sh has no " << restart << " command yet: skipped");
    return;
  }
  REQUIRE_MESSAGE(rc == 0, "scripts/test-servers.sh " << restart << " failed");

  // With pre_ping the checkout notices the dead links and opens new ones.
  {
    auto c = pinged.connect();
    CHECK(c.exec_driver_sql("SELECT 2").scalar_one<int>() == 2);
  }
  CHECK(pinged.pool().invalidated() >= 1);
  // Without it the first use of a dead connection fails, typed; the pool drops that
  // connection and the other idle one (opened to the same server), so the next checkout
  // connects afresh and works at the first try.
  {
    auto c = plain.connect();
    auto msg = test::operational_error([&] { c.exec_driver_sql("SELECT 3"); });
    INFO("message: " << msg);
    CHECK(starts_with(msg, "[athanor.operational"));
  }
  CHECK(plain.pool().invalidated() == 1);
  CHECK(plain.connect().exec_driver_sql("SELECT 4").scalar_one<int>() == 4);
}

TEST_CASE("a statement timeout is a typed error, not a hang; the connection stays usable") {
  SKIP_WITHOUT_SERVER();
  auto engine = test::engine();
  auto c = engine.connect();
  bool pg = test::backend() == "postgresql";
  c.exec_driver_sql(pg ? "SET statement_timeout = 100" : "SET SESSION max_statement_time = 0.1");
  auto start = Clock::now();
  try {
    auto r = c.exec_driver_sql(pg ? "SELECT pg_sleep(5)" : "SELECT SLEEP(5)");
    // MariaDB may end an interrupted SLEEP() by returning 1 instead of raising an error:
    // that is not a hang, and nothing else can be asserted about it.
    MESSAGE("the server interrupted the statement without an error (returned " << r.scalar_one<std::string>() << ")");
    CHECK(!pg);
  } catch (const OperationalError& e) {
    std::string msg = e.what();
    INFO("message: " << msg);
    CHECK(starts_with(msg, "[athanor.operational.timeout] "));
  }
  CHECK(Clock::now() - start < std::chrono::seconds(3));
  c.exec_driver_sql(pg ? "SET statement_timeout = 0" : "SET SESSION max_statement_time = 0");
  CHECK(c.exec_driver_sql("SELECT 5").scalar_one<int>() == 5);
  CHECK(engine.pool().invalidated() == 0);
}

TEST_CASE("a statement_timeout option in the URL applies to every connection") {
  SKIP_WITHOUT_SERVER();
  if (test::backend() != "postgresql") {
    MESSAGE("statement_timeout is a PostgreSQL URL option");
    return;
  }
  auto u = URL::parse(test::url());
  u.query["statement_timeout"] = "150";
  auto c = create_engine(u.render(false)).connect();
  auto start = Clock::now();
  CHECK_THROWS_WITH_AS(c.exec_driver_sql("SELECT pg_sleep(5)"),
                       "[athanor.operational.timeout] PostgreSQL cancelled the statement: canceling statement due to "
                       "statement timeout",
                       OperationalError);
  CHECK(Clock::now() - start < std::chrono::seconds(3));
}

TEST_CASE("after an error inside a PostgreSQL transaction, the next statement says to roll back") {
  SKIP_WITHOUT_SERVER();
  if (test::backend() != "postgresql") {
    MESSAGE("only PostgreSQL aborts the whole transaction on an error");
    return;
  }
  auto c = test::engine().connect();
  auto tx = c.begin();
  CHECK_THROWS_AS(c.exec_driver_sql("SELECT * FROM athanor_no_such_table"), ProgrammingError);
  CHECK_THROWS_WITH_AS(c.exec_driver_sql("SELECT 1"),
                       "[athanor.database.transaction_aborted] the transaction was aborted by an earlier error; roll "
                       "it back (or back to a savepoint) before running more statements",
                       DatabaseError);
  tx.rollback();
  CHECK(c.exec_driver_sql("SELECT 6").scalar_one<int>() == 6);
}
