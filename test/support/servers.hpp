// test/support/servers.hpp — fault injection on the test servers of scripts/test-servers.sh:
// stop and start them in place, and end one session from another connection as an
// administrator would (pg_terminate_backend, KILL CONNECTION). Server backends only.
#pragma once

#include "support/backend.hpp"

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <string>
#include <thread>

#include <sys/wait.h>

namespace test {

/// True when the backend under test has a server (PostgreSQL, MySQL/MariaDB).
inline bool has_server() {
  auto b = backend();
  return b == "postgresql" || b == "mysql";
}

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
