// test/support/servers.hpp — fault injection on the test servers of scripts/test-servers.sh:
// stop and start them in place, and end one session from another connection as an
// administrator would (pg_terminate_backend, KILL CONNECTION). Server backends only.
#pragma once

#include "support/backend.hpp"

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <thread>

#include <sys/wait.h>

namespace test {

/// True when the backend under test has a server (PostgreSQL, MySQL/MariaDB).
inline bool has_server() {
  auto b = backend();
  return b == "postgresql" || b == "mysql";
}
#define SKIP_WITHOUT_SERVER()                                                      \
  if (!test::has_server()) {                                                       \
    MESSAGE("no server behind " << test::backend() << ": nothing to fail here");   \
    return;                                                                        \
  }

/// The message of the OperationalError `f` throws; fails the test on anything else.
template <class F>
std::string operational_error(F&& f) {
  try {
    f();
  } catch (const athanor::OperationalError& e) {
    return e.what();
  } catch (const std::exception& e) {
    FAIL_CHECK("expected an OperationalError, got: " << e.what());
    return "(wrong exception)";
  }
  FAIL_CHECK("expected an OperationalError, nothing was thrown");
  return "(nothing thrown)";
}

/// `s` as an SQL string literal (quotes doubled).
inline std::string quoted(const std::string& s) {
  std::string out = "'";
  for (char ch : s) out += ch == '\'' ? std::string("''") : std::string(1, ch);
  return out + "'";
}

/// A login `user` that needs `password` on the server under test, dropped at the end.
/// PostgreSQL's test server trusts local connections: a pg_hba.conf line for this one role,
/// put first and taken out again, makes it check passwords. `ready` is false when that
/// cannot be done here (pg_hba.conf not writable).
struct PasswordLogin {
  athanor::Engine admin = engine();
  std::string user, hba_file, hba_text;
  bool ready = false;

  PasswordLogin(std::string user_name, const std::string& password) : user(std::move(user_name)) {
    auto c = admin.connect();
    if (backend() == "postgresql") {
      c.exec_driver_sql("DROP ROLE IF EXISTS " + user);
      c.exec_driver_sql("CREATE ROLE " + user + " LOGIN PASSWORD " + quoted(password));
      hba_file = c.exec_driver_sql("SHOW hba_file").scalar_one<std::string>();
      std::stringstream old;
      old << std::ifstream(hba_file).rdbuf();
      if (old.str().empty()) return;
      std::ofstream out(hba_file, std::ios::trunc);
      if (!out) return;
      hba_text = old.str();
      out << "local all " << user << " scram-sha-256\nhost all " << user << " all scram-sha-256\n" << hba_text;
      out.close();
      c.exec_driver_sql("SELECT pg_reload_conf()");
    } else {
      std::string db = athanor::URL::parse(test::url()).database;
      c.exec_driver_sql("DROP USER IF EXISTS '" + user + "'@'localhost'");
      c.exec_driver_sql("CREATE USER '" + user + "'@'localhost' IDENTIFIED BY " + quoted(password));
      c.exec_driver_sql("GRANT ALL ON `" + db + "`.* TO '" + user + "'@'localhost'");
    }
    ready = true;
  }
  ~PasswordLogin() {
    try {
      auto c = admin.connect();
      if (!hba_text.empty()) {
        std::ofstream(hba_file, std::ios::trunc) << hba_text;
        c.exec_driver_sql("SELECT pg_reload_conf()");
        c.exec_driver_sql("DROP ROLE IF EXISTS " + user);
      } else if (backend() == "mysql") {
        c.exec_driver_sql("DROP USER IF EXISTS '" + user + "'@'localhost'");
      }
    } catch (...) {
    }
  }
  /// The URL of the test database as this login, with `password`.
  std::string url(const std::string& password) const {
    auto u = athanor::URL::parse(test::url());
    u.username = user, u.password = password;
    return u.render(false);
  }
};

/// Runs `scripts/test-servers.sh <command> $ATHANOR_TEST_SERVERS_DIR`; its exit status, or -1
/// when the servers' directory is unknown (servers not started by the script).
inline int servers_script(const std::string& command) {
  std::string dir = env("ATHANOR_TEST_SERVERS_DIR");
  if (dir.empty()) return -1;
  std::string root = env("ATHANOR_SOURCE_ROOT");
  if (root.empty()) {  // test/support/servers.hpp → the source root
    root = std::filesystem::absolute(std::filesystem::path(__FILE__)).parent_path().parent_path().parent_path().string();
  }
  std::string cmd = "'" + root + "/scripts/test-servers.sh' " + command + " '" + dir + "' >&2";
  int status = std::system(cmd.c_str());
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

/// Stops / starts the server under test ("stop-postgresql", "start-mysql", …); false when
/// it cannot be done here (no servers' directory).
inline bool stop_server() {
  return servers_script("stop-" + backend()) == 0;
}
inline bool start_server() {
  return servers_script("start-" + backend()) == 0;
}

/// The server's id for the session of connection `c` (PostgreSQL backend pid, MariaDB
/// connection id).
inline std::int64_t session_id(athanor::Connection& c) {
  return c.exec_driver_sql(backend() == "postgresql" ? "SELECT pg_backend_pid()" : "SELECT CONNECTION_ID()")
      .scalar_one<std::int64_t>();
}

/// Ends session `id` from a connection of `admin` and waits (≤ 5 s) until the server no
/// longer lists it; true when it is gone.
inline bool kill_session(const athanor::Engine& admin, std::int64_t id) {
  bool pg = backend() == "postgresql";
  auto c = admin.connect();
  auto n = std::to_string(id);
  c.exec_driver_sql(pg ? "SELECT pg_terminate_backend(" + n + ")" : "KILL CONNECTION " + n);
  for (int i = 0; i < 100; ++i) {
    auto left = c.exec_driver_sql(pg ? "SELECT count(*) FROM pg_stat_activity WHERE pid = " + n
                                     : "SELECT count(*) FROM information_schema.PROCESSLIST WHERE ID = " + n)
                    .scalar_one<std::int64_t>();
    if (left == 0) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  return false;
}

}  // namespace test
