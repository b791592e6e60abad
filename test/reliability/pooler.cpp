// test/reliability/pooler.cpp — scaling out (issue 18): many Sessions from 8 threads through
// one Engine, on every backend and in particular through PgBouncer in transaction pooling mode
// with two server connections (the "pgbouncer" run); what must not leak from one client to
// another through a pooled server session (statement_timeout); the detection of a pooler when
// the URL does not say prepared_statements=false; and the hot standby of the test servers
// (ATHANOR_TEST_POSTGRESQL_REPLICA_URL): a committed row shows there, a write there is refused.
#include "support/backend.hpp"
#include "support/requirements.hpp"


#include <chrono>
#include <mutex>
#include <set>
#include <thread>

namespace pool_test {
namespace orm = athanor::orm;
struct Note {
  orm::Mapped<int> id;
  orm::Mapped<int> worker;
  orm::Mapped<int> seq;
  orm::Mapped<std::string> body;
  static void configure(orm::Mapper<Note>& m) {
    m.column<&Note::id>().primary_key();
    m.column<&Note::worker>().index();
    m.column<&Note::body>().length(60);
  }
};
ATHANOR_MODEL(Note, "pooler_notes", id, worker, seq, body)
}  // namespace pool_test

using pool_test::Note;
namespace orm = athanor::orm;
using orm::c;

namespace {

/// The server session behind a connection right now (PostgreSQL).
std::int64_t backend_pid(athanor::Connection& conn) {
  return conn.exec_driver_sql("SELECT pg_backend_pid()").scalar_one<std::int64_t>();
}

}  // namespace

TEST_CASE("8 threads, many Sessions each through one Engine: every thread reads back exactly its own rows") {
  constexpr int threads = 8, sessions = 40, per_session = 3;
  athanor::EngineOptions o;
  o.pool.pool_size = threads, o.pool.max_overflow = 0;
  // A SQLite file has one writer at a time: eight threads committing in turn on a loaded machine
  // (CI under the sanitizers) waited past the default 5 s busy timeout ("database is locked",
  // seen in 1 of 2 runs at load ~18). Waiting is what this test wants, so it waits longer.
  auto engine = test::backend() == "sqlite_file" ? athanor::create_engine(test::url() + "?timeout=120", o)
                                                 : test::engine(o);
  orm::Registry registry;
  registry.map<Note>();
  registry.metadata().drop_all(engine);
  registry.metadata().create_all(engine);
  orm::sessionmaker Session{engine};
  const bool one_connection = test::shared_single_connection();  // in-memory SQLite: one at a time
  const bool pg = test::backend() == "postgresql";
  std::mutex mutex, one_at_a_time;
  std::set<std::int64_t> server_sessions;  // pg_backend_pid() seen inside the transactions
  std::vector<std::string> failures;
  std::vector<std::thread> pool;
  for (int w = 0; w < threads; ++w) {
    pool.emplace_back([&, w] {
      try {
        for (int s = 0; s < sessions; ++s) {
          std::unique_lock serial(one_at_a_time, std::defer_lock);
          if (one_connection) serial.lock();
          {
            auto session = Session();
            for (int i = 0; i < per_session; ++i) {
              session.add(Note{.worker = w, .seq = s * per_session + i,
                               .body = "w" + std::to_string(w) + "-" + std::to_string(s * per_session + i)});
            }
            session.flush();
            if (pg) {  // the transaction holds one server session from its first statement to COMMIT
              auto& conn = session.connection();
              auto a = backend_pid(conn), b = backend_pid(conn);
              if (a != b) {
                std::lock_guard lock(mutex);
                failures.push_back("one transaction ran on two server sessions");
              }
            }
            session.commit();
          }
          auto session = Session();  // a new Session: the rows come from the database
          auto mine = session.scalars(orm::select<Note>().where(c<&Note::worker> == w).order_by(c<&Note::seq>)).all();
          std::string problem;
          if (mine.size() != static_cast<std::size_t>((s + 1) * per_session)) {
            problem = "worker " + std::to_string(w) + " read " + std::to_string(mine.size()) + " rows after " +
                      std::to_string(s + 1) + " sessions";
          }
          for (std::size_t i = 0; problem.empty() && i < mine.size(); ++i) {
            auto& n = mine[i];
            if (n->seq.get() != static_cast<int>(i) ||
                n->body.get() != "w" + std::to_string(w) + "-" + std::to_string(i)) {
              problem = "worker " + std::to_string(w) + " row " + std::to_string(i) + " reads " + n->body.get();
            }
          }
          if (pg) {
            auto& conn = session.connection();
            auto pid = backend_pid(conn);
            std::lock_guard lock(mutex);
            server_sessions.insert(pid);
          }
          session.close();
          if (!problem.empty()) {
            std::lock_guard lock(mutex);
            failures.push_back(problem);
            return;
          }
        }
      } catch (const std::exception& e) {
        std::lock_guard lock(mutex);
        failures.push_back(std::string("worker ") + std::to_string(w) + ": " + e.what());
      }
    });
  }
  for (auto& t : pool) t.join();
  for (auto& f : failures) FAIL_CHECK(f);
  auto conn = engine.connect();
  CHECK(conn.exec_driver_sql("SELECT count(*) FROM pooler_notes").scalar_one<std::int64_t>() ==
        threads * sessions * per_session);
  CHECK(conn.exec_driver_sql("SELECT count(DISTINCT worker) FROM pooler_notes").scalar_one<std::int64_t>() == threads);
  conn.close();
  CHECK(engine.pool().checked_out() == 0);
  if (test::behind_pooler()) {
    // 8 client connections, PgBouncer's default_pool_size of 2 server sessions for them all.
    CHECK(server_sessions.size() <= 2);
  }
  MESSAGE(test::run_name() << ": " << threads << " threads x " << sessions << " Sessions, " << engine.pool().size()
                           << " client connections, " << server_sessions.size() << " server sessions seen");
  registry.metadata().drop_all(engine);
}

namespace {

/// The test database's URL with query option `key` set to `value` ("" removes it).
std::string url_with(const std::string& key, const std::string& value) {
  auto u = athanor::URL::parse(test::url());
  if (value.empty()) u.query.erase(key);
  else u.query[key] = value;
  return u.render(false);
}

}  // namespace

TEST_CASE("statement_timeout from the URL holds for its own connections and leaves no server session with it") {
  if (test::backend() != "postgresql") {
    MESSAGE("statement_timeout is a PostgreSQL URL option");
    return;
  }
  athanor::EngineOptions two;
  two.pool.pool_size = 2, two.pool.max_overflow = 0;
  auto timed = athanor::create_engine(url_with("statement_timeout", "150"), two);
  auto plain = athanor::create_engine(test::url(), two);
  for (int round = 0; round < 6; ++round) {
    INFO("round " << round);
    {
      auto conn = timed.connect();
      CHECK(conn.exec_driver_sql("SHOW statement_timeout").scalar_one<std::string>() == "150ms");
      auto msg = test::error_message([&] { conn.exec_driver_sql("SELECT pg_sleep(2)"); });
      CHECK(msg.rfind("[athanor.operational.timeout]", 0) == 0);
      auto tx = conn.begin();
      CHECK(conn.exec_driver_sql("SHOW statement_timeout").scalar_one<std::string>() == "150ms");
      msg = test::error_message([&] { conn.exec_driver_sql("SELECT pg_sleep(2)"); });
      CHECK(msg.rfind("[athanor.operational.timeout]", 0) == 0);
    }
    // Another client's statements, on whichever server session the pooler gives them: the
    // timeout of the connections above is not there (a session SET would have stayed).
    for (int i = 0; i < 4; ++i) {
      auto conn = plain.connect();
      CHECK(conn.exec_driver_sql("SHOW statement_timeout").scalar_one<std::string>() == "0");
      auto tx = conn.begin();
      CHECK(conn.exec_driver_sql("SHOW statement_timeout").scalar_one<std::string>() == "0");
      tx.commit();
    }
  }
}

TEST_CASE("Without prepared_statements in the URL a pooler is detected: no named statement, every query works") {
  if (test::backend() != "postgresql") {
    MESSAGE("named server-side statements are PostgreSQL's");
    return;
  }
  auto engine = athanor::create_engine(url_with("prepared_statements", ""));
  orm::Registry registry;
  registry.map<Note>();
  registry.metadata().drop_all(engine);
  registry.metadata().create_all(engine);
  orm::sessionmaker Session{engine};
  std::vector<std::thread> pool;
  std::mutex mutex;
  std::vector<std::string> failures;
  for (int w = 0; w < 4; ++w) {
    pool.emplace_back([&, w] {
      try {
        for (int s = 0; s < 20; ++s) {
          auto session = Session();
          session.add(Note{.worker = w, .seq = s, .body = "x"});
          session.commit();
          auto n = session.scalars(orm::select<Note>().where(c<&Note::worker> == w)).all().size();
          if (n != static_cast<std::size_t>(s + 1)) throw std::runtime_error("read " + std::to_string(n) + " rows");
        }
      } catch (const std::exception& e) {
        std::lock_guard lock(mutex);
        failures.push_back("worker " + std::to_string(w) + ": " + e.what());
      }
    });
  }
  for (auto& t : pool) t.join();
  for (auto& f : failures) FAIL_CHECK(f);
  // Named statements live on the server session; in one transaction the pooler keeps it.
  auto conn = engine.connect();
  auto tx = conn.begin();
  conn.exec_driver_sql("SELECT count(*) FROM pooler_notes").scalar_one<std::int64_t>();
  auto named = conn.exec_driver_sql("SELECT count(*) FROM pg_prepared_statements WHERE name LIKE 'athanor%'")
                   .scalar_one<std::int64_t>();
  if (test::behind_pooler()) CHECK(named == 0);
  else CHECK(named > 0);  // a direct connection keeps its statements prepared
  tx.rollback();
  registry.metadata().drop_all(engine);
}

TEST_CASE("The hot standby: a row committed on the primary shows there, and a write there is refused") {
  if (test::run_name() != "postgresql") {
    MESSAGE("the hot standby is PostgreSQL's (run once, on the direct run)");
    return;
  }
  auto replica_base = test::env("ATHANOR_TEST_POSTGRESQL_REPLICA_URL");
  if (replica_base.empty()) {
    if (test::env("CI") == "true") FAIL("ATHANOR_TEST_POSTGRESQL_REPLICA_URL is not set (CI=true: not skipped)");
    MESSAGE("ATHANOR_TEST_POSTGRESQL_REPLICA_URL is not set: start the servers with ./dev test");
    return;
  }
  // The test database was created on the primary: the standby replays it under the same name.
  auto r = athanor::URL::parse(replica_base);
  r.database = athanor::URL::parse(test::url()).database;
  auto primary = test::engine();
  auto replica = athanor::create_engine(r.render(false));
  orm::Registry registry;
  registry.map<Note>();
  registry.metadata().drop_all(primary);
  registry.metadata().create_all(primary);
  {
    auto session = orm::Session(primary);
    session.add(Note{.worker = 1, .seq = 1, .body = "written on the primary"});
    session.commit();
  }
  auto start = std::chrono::steady_clock::now();
  std::optional<std::string> seen;
  while (!seen && std::chrono::steady_clock::now() - start < std::chrono::seconds(20)) {
    try {
      auto session = orm::Session(replica);
      auto rows = session.scalars(orm::select<Note>().where(c<&Note::worker> == 1)).all();
      if (!rows.empty()) seen = rows.front()->body.get();
    } catch (const athanor::ProgrammingError&) {  // the table itself not replayed yet
    }
    if (!seen) std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  REQUIRE(seen);
  CHECK(*seen == "written on the primary");
  MESSAGE("visible on the standby after "
          << std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count() << " ms");
  {
    auto conn = replica.connect();
    CHECK(conn.exec_driver_sql("SELECT pg_is_in_recovery()").scalar_one<bool>());
  }
  // A write there is refused with a typed error (SQLSTATE 25006), by the ORM and by Core.
  {
    auto session = orm::Session(replica);
    session.add(Note{.worker = 2, .seq = 1, .body = "must not be stored"});
    CHECK_THROWS_WITH_AS(session.commit(), doctest::Contains("[athanor.operational.read_only]"), athanor::OperationalError);
  }
  {
    auto conn = replica.connect();
    CHECK_THROWS_WITH_AS(conn.exec_driver_sql("DELETE FROM pooler_notes"), doctest::Contains("[athanor.operational.read_only]"),
                         athanor::OperationalError);
  }
  auto conn = primary.connect();
  CHECK(conn.exec_driver_sql("SELECT count(*) FROM pooler_notes").scalar_one<std::int64_t>() == 1);
  conn.close();
  registry.metadata().drop_all(primary);
}
