// test/engine/faults.cpp — what a server-backed engine does when things go wrong outside the
// SQL: a wrong password, an unreachable host, a missing database, a server restarted under a
// pool, a statement timeout. Each must be a typed exception with a clear message, and quick.
// SQLite has no server: every case says so and returns.
#include "support/backend.hpp"

#include <chrono>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <thread>

#include <sys/wait.h>

using namespace athanor;
using Clock = std::chrono::steady_clock;

namespace {

bool has_server() {
  auto b = test::backend();
  return b == "postgresql" || b == "mysql";
}
#define SKIP_WITHOUT_SERVER()                                                      \
  if (!has_server()) {                                                             \
    MESSAGE("no server behind " << test::backend() << ": nothing to fail here");   \
    return;                                                                        \
  }

const char* const kUser = "athanor_fault_user";
const char* const kPassword = "R1ght secret'pw";
const char* const kWrongPassword = "Wr0ng-s3cret'pw";

/// The message of the OperationalError `f` throws; fails the test on anything else.
template <class F>
std::string operational_error(F&& f) {
  try {
    f();
  } catch (const OperationalError& e) {
    return e.what();
  } catch (const std::exception& e) {
    FAIL("expected an OperationalError, got: " << e.what());
  }
  FAIL("expected an OperationalError, nothing was thrown");
  return {};
}

bool starts_with(const std::string& s, const std::string& prefix) { return s.rfind(prefix, 0) == 0; }

/// Runs `scripts/test-servers.sh <command> $ATHANOR_TEST_SERVERS_DIR`; its exit status, or -1
/// when the servers' directory is unknown.
int servers_script(const std::string& command) {
  std::string dir = test::env("ATHANOR_TEST_SERVERS_DIR");
  if (dir.empty()) return -1;
  std::string root = test::env("ATHANOR_SOURCE_ROOT");
  if (root.empty()) {  // test/engine/faults.cpp → the source root
    root = std::filesystem::absolute(std::filesystem::path(__FILE__)).parent_path().parent_path().parent_path().string();
  }
  std::string cmd = "'" + root + "/scripts/test-servers.sh' " + command + " '" + dir + "' >&2";
  int status = std::system(cmd.c_str());
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

/// A login with a password on the server under test, dropped at the end. PostgreSQL's test
/// server trusts local connections, so a pg_hba.conf line for this one role (put first, and
/// taken out again) makes it check passwords.
struct PasswordUser {
  Engine admin = test::engine();
  std::string hba_file, hba_text;
  bool ready = false;

  PasswordUser() {
    auto c = admin.connect();
    std::string db = URL::parse(test::url()).database;
    if (test::backend() == "postgresql") {
      c.exec_driver_sql(std::string("DROP ROLE IF EXISTS ") + kUser);
      c.exec_driver_sql(std::string("CREATE ROLE ") + kUser + " LOGIN PASSWORD 'R1ght secret''pw'");
      hba_file = c.exec_driver_sql("SHOW hba_file").scalar_one<std::string>();
      std::ifstream in(hba_file);
      if (!in) return;
      std::stringstream ss;
      ss << in.rdbuf();
      hba_text = ss.str();
      std::ofstream out(hba_file, std::ios::trunc);
      if (!out) return;
      out << "local all " << kUser << " scram-sha-256\nhost all " << kUser << " all scram-sha-256\n" << hba_text;
      out.close();
      c.exec_driver_sql("SELECT pg_reload_conf()");
    } else {
      c.exec_driver_sql(std::string("DROP USER IF EXISTS '") + kUser + "'@'localhost'");
      c.exec_driver_sql(std::string("CREATE USER '") + kUser + "'@'localhost' IDENTIFIED BY 'R1ght secret''pw'");
      c.exec_driver_sql("GRANT ALL ON `" + db + "`.* TO '" + kUser + "'@'localhost'");
    }
    ready = true;
  }
  ~PasswordUser() {
    try {
      auto c = admin.connect();
      if (!hba_text.empty()) {
        std::ofstream(hba_file, std::ios::trunc) << hba_text;
        c.exec_driver_sql("SELECT pg_reload_conf()");
        c.exec_driver_sql(std::string("DROP ROLE IF EXISTS ") + kUser);
      } else if (test::backend() == "mysql") {
        c.exec_driver_sql(std::string("DROP USER IF EXISTS '") + kUser + "'@'localhost'");
      }
    } catch (...) {
    }
  }
  std::string url(const std::string& password) const {
    auto u = URL::parse(test::url());
    u.username = kUser, u.password = password;
    return u.render(false);
  }
};

}  // namespace

TEST_CASE("a wrong password is an OperationalError that does not show the password") {
  SKIP_WITHOUT_SERVER();
  PasswordUser user;
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
  auto msg = operational_error([&] { create_engine(u.render(false)).connect(); });
  INFO("message: " << msg);
  CHECK(starts_with(msg, "[athanor.operational.connect] cannot connect to "));
  CHECK(msg.find("127.0.0.1:1") != std::string::npos);
  CHECK(Clock::now() - start < std::chrono::seconds(5));
}

TEST_CASE("a database that does not exist is an OperationalError naming it") {
  SKIP_WITHOUT_SERVER();
  auto u = URL::parse(test::url());
  u.database = "athanor_no_such_database";
  auto msg = operational_error([&] { create_engine(u.render(false)).connect(); });
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

  int rc = servers_script(restart);
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
    auto msg = operational_error([&] { c.exec_driver_sql("SELECT 3"); });
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
