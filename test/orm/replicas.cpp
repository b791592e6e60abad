// test/orm/replicas.cpp — Sessions with read replicas (issue 18): reads go to a reader until the
// Session writes, then to the writer (read-your-writes); a reader that is down is skipped; no
// write reaches a reader. On every backend the "reader" is a second database of the same
// server holding other rows, so where each read went shows in what it returns. With
// ATHANOR_TEST_POSTGRESQL_REPLICA_URL (a hot standby started by ./dev test) the last cases run
// against a real streaming replica, which refuses writes.
#include "orm/blog_db.hpp"
#include "support/servers.hpp"

#include <chrono>
#include <set>
#include <thread>

using namespace blog;
using orm::c;

namespace {

/// The blog tables made afresh on a database.
struct Db : BlogDb {
  explicit Db(const std::string& url) : BlogDb(athanor::create_engine(url)) {}
  /// Adds users by plain SQL (the reader is written only here, never through a Session), with
  /// keys from `first_id` (0: the database's): a reader's rows get keys no writer row has, so
  /// that each row is its own object in the identity map (on a true replica, a key is the same
  /// row on both).
  void users(std::initializer_list<const char*> names, int first_id = 0) {
    auto conn = engine.begin();
    for (auto* n : names) {
      if (first_id == 0) conn.execute(athanor::text("INSERT INTO users (name, visits) VALUES (:n, 0)"), {{"n", n}});
      else conn.execute(athanor::text("INSERT INTO users (id, name, visits) VALUES (:id, :n, 0)"), {{"id", first_id++}, {"n", n}});
    }
    conn.commit();
  }
  using Names = std::set<std::string>;
  Names names() {
    Names out;
    auto conn = engine.connect();
    auto rows = conn.exec_driver_sql("SELECT name FROM users");
    for (auto& r : rows.all()) out.insert(r.get<std::string>(0));
    return out;
  }
};

std::set<std::string> names(orm::Session& s) {
  std::set<std::string> out;
  for (auto& u : s.scalars(orm::select<User>())) out.insert(u->name);
  return out;
}

/// A URL of the backend under test that no server answers.
std::string unreachable_url() {
  auto b = test::backend();
  if (b == "sqlite" || b == "sqlite_file") return "sqlite:////nonexistent-athanor-dir/reader.db";
  auto u = athanor::URL::parse(test::url());
  u.query["host"] = "/nonexistent-athanor-dir", u.query["unix_socket"] = "/nonexistent-athanor-dir/mysql.sock";
  if (b == "postgresql") u.query.erase("unix_socket");
  else u.query.erase("host");
  return u.render(false);
}

}  // namespace

TEST_CASE("a Session reads from its reader until it writes, then from the writer") {
  Db writer(test::url()), reader(test::fresh_url("_r1"));
  writer.users({"ann"});
  reader.users({"rita"}, 100);
  orm::sessionmaker Session{writer.engine, orm::ReplicaOptions{.readers = {reader.engine}}};

  auto s = Session();
  CHECK(names(s) == std::set<std::string>{"rita"});
  CHECK(s.reading_from_replica());
  // get(), a lazy load and a typed select of rows read there too.
  auto rita = s.scalars(orm::select<User>()).one();
  CHECK(s.get<User>(rita->id.get())->name.get() == "rita");
  CHECK(rita->posts.size() == 0);
  CHECK(s.scalar(orm::select(orm::count()).select_from<User>()) == 1);

  // The first write moves the Session to the writer, for the rest of its life: it reads its
  // own writes even after commit, whatever the reader lags.
  s.add(User{.name = "bob"});
  CHECK(names(s) == std::set<std::string>{"ann", "bob"});
  CHECK_FALSE(s.reading_from_replica());
  s.commit();
  CHECK(names(s) == std::set<std::string>{"ann", "bob"});
  CHECK(reader.names() == std::set<std::string>{"rita"});  // nothing was written to the reader
  CHECK(writer.names() == std::set<std::string>{"ann", "bob"});

  // A new Session reads from the reader again.
  auto t = Session();
  CHECK(names(t) == std::set<std::string>{"rita"});
}

TEST_CASE("a bulk statement, FOR UPDATE and connection() go to the writer") {
  Db writer(test::url()), reader(test::fresh_url("_r1"));
  writer.users({"ann"});
  reader.users({"rita"}, 100);
  orm::sessionmaker Session{writer.engine, orm::ReplicaOptions{.readers = {reader.engine}}};
  {
    auto s = Session();
    CHECK(s.execute(orm::update<User>().set(c<&User::visits>, 5)) == 1);  // ann's row, the writer's
    CHECK(names(s) == std::set<std::string>{"ann"});
    s.commit();
  }
  if (writer.engine.dialect().capabilities().for_update) {
    auto s = Session();
    auto locked = s.scalars(orm::select<User>().with_for_update());
    REQUIRE(locked.size() == 1);
    CHECK(locked[0]->name.get() == "ann");
  }
  {
    auto s = Session();
    CHECK(s.connection().exec_driver_sql("SELECT name FROM users").scalar_one<std::string>() == "ann");
    CHECK(names(s) == std::set<std::string>{"ann"});
  }
  CHECK(reader.names() == std::set<std::string>{"rita"});
}

TEST_CASE("readers are taken in turn; one that is down is skipped, and none falls back to the writer") {
  Db writer(test::url()), r1(test::fresh_url("_r1")), r2(test::fresh_url("_r2"));
  writer.users({"ann"});
  r1.users({"one"}, 100);
  r2.users({"two"}, 200);
  {
    orm::sessionmaker Session{writer.engine, orm::ReplicaOptions{.readers = {r1.engine, r2.engine}}};
    std::multiset<std::string> seen;
    for (int i = 0; i < 4; ++i) {
      auto s = Session();
      for (auto& n : names(s)) seen.insert(n);
    }
    CHECK(seen == std::multiset<std::string>{"one", "one", "two", "two"});
  }
  auto down = athanor::create_engine(unreachable_url());
  {
    orm::sessionmaker Session{writer.engine, orm::ReplicaOptions{.readers = {down, r2.engine}}};
    for (int i = 0; i < 3; ++i) {
      auto s = Session();
      CHECK(names(s) == std::set<std::string>{"two"});
    }
  }
  {
    orm::sessionmaker Session{writer.engine, orm::ReplicaOptions{.readers = {down}}};
    auto s = Session();
    CHECK(names(s) == std::set<std::string>{"ann"});  // the writer serves
  }
  {
    orm::sessionmaker Session{writer.engine, orm::ReplicaOptions{.readers = {down}, .fallback_to_writer = false}};
    auto s = Session();
    CHECK_THROWS_WITH_AS(names(s), doctest::Contains("[athanor.operational.no_reader]"), athanor::OperationalError);
    s.rollback();  // still usable: a write goes to the writer
    s.add(User{.name = "cat"});
    s.commit();
    CHECK(writer.names() == std::set<std::string>{"ann", "cat"});
  }
}

TEST_CASE("a reader of another dialect, or max_lag where the server cannot tell, is refused") {
  Db writer(test::url());
  auto other = athanor::create_engine(test::backend().starts_with("sqlite") ? "postgresql://u@/nowhere?host=/nonexistent" : "sqlite://");
  CHECK_THROWS_WITH_AS((orm::sessionmaker{writer.engine, orm::ReplicaOptions{.readers = {other}}}),
                       doctest::Contains("[athanor.argument.replica]"), athanor::ArgumentError);
  if (!writer.engine.dialect().capabilities().replica_lag_sql) {
    using namespace std::chrono_literals;
    CHECK_THROWS_WITH_AS((orm::sessionmaker{writer.engine, orm::ReplicaOptions{.readers = {writer.engine}, .max_lag = 5s}}),
                         doctest::Contains("max_lag"), athanor::ArgumentError);
  }
}

/// The hot standby of the test server, on this executable's database, once `writer`'s rows
/// have reached it; nothing when the backend is not PostgreSQL or no standby runs (a failure
/// under CI=true, where ./dev test starts one).
std::optional<athanor::Engine> standby(Db& writer) {
  std::string replica_url = test::env("ATHANOR_TEST_POSTGRESQL_REPLICA_URL");
  if (test::backend() != "postgresql" || test::behind_pooler()) return std::nullopt;
  if (replica_url.empty()) {
    REQUIRE_MESSAGE(test::env("CI") != "true", "ATHANOR_TEST_POSTGRESQL_REPLICA_URL is not set: ./dev test starts the replica");
    return std::nullopt;
  }
  // The standby replays the whole primary cluster, this executable's database included.
  auto u = athanor::URL::parse(replica_url);
  u.database = athanor::URL::parse(test::url()).database;
  auto replica = athanor::create_engine(u.render(false));
  auto expected = writer.names();
  // Replication is asynchronous: wait (bounded) until the rows are there.
  for (int i = 0; i < 200; ++i) {
    try {
      Db::Names seen;
      auto conn = replica.connect();
      auto rows = conn.exec_driver_sql("SELECT name FROM users");
      for (auto& r : rows.all()) seen.insert(r.get<std::string>(0));
      if (seen == expected) return replica;
    } catch (const athanor::DatabaseError&) {  // the database or table has not arrived yet
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  FAIL("the standby did not receive the rows within 10 s");
  return std::nullopt;
}

TEST_CASE("a real PostgreSQL streaming replica: reads there, writes never, max_lag") {
  Db writer(test::url());
  writer.users({"ann"});
  auto found = standby(writer);
  if (!found) return;
  auto& replica = *found;
  // A standby refuses every write with a typed error (read-only transaction, SQLSTATE 25006).
  CHECK_THROWS_WITH_AS(replica.connect().exec_driver_sql("INSERT INTO users (name, visits) VALUES ('x', 0)"),
                       doctest::Contains("[athanor.operational.read_only]"), athanor::OperationalError);

  // Caught up (nothing left to replay), its lag is 0: within max_lag. With no fallback, a read
  // that could not go to the replica would raise; a write that went there would raise too.
  using namespace std::chrono_literals;
  orm::sessionmaker Session{writer.engine, orm::ReplicaOptions{.readers = {replica}, .max_lag = 30s, .fallback_to_writer = false}};
  auto s = Session();
  CHECK(names(s) == std::set<std::string>{"ann"});
  CHECK(s.reading_from_replica());
  CHECK(s.connection().exec_driver_sql("SELECT pg_is_in_recovery()").scalar_one<bool>() == false);  // the writer
  s.add(User{.name = "bob"});
  s.commit();
  CHECK(writer.names() == std::set<std::string>{"ann", "bob"});

  // Replay paused, a newer commit on the primary: the replica falls behind, and past max_lag
  // the Session reads from the writer (or raises, without the fallback).
  replica.connect().exec_driver_sql("SELECT pg_wal_replay_pause()");
  struct Resume {
    athanor::Engine& e;
    ~Resume() { e.connect().exec_driver_sql("SELECT pg_wal_replay_resume()"); }
  } resume{replica};
  writer.users({"cat"});
  std::this_thread::sleep_for(std::chrono::milliseconds(400));
  orm::sessionmaker Fresh{writer.engine, orm::ReplicaOptions{.readers = {replica}, .max_lag = 200ms}};
  auto f = Fresh();
  CHECK(names(f) == std::set<std::string>{"ann", "bob", "cat"});
  CHECK_FALSE(f.reading_from_replica());
  orm::sessionmaker Strict{writer.engine, orm::ReplicaOptions{.readers = {replica}, .max_lag = 200ms, .fallback_to_writer = false}};
  auto g = Strict();
  CHECK_THROWS_AS(names(g), athanor::OperationalError);
}

TEST_CASE("a standby stopped mid-run: its reads fail over to the writer, and return once it is back") {
  Db writer(test::url());
  writer.users({"ann"});
  auto found = standby(writer);
  if (!found) return;
  using namespace std::chrono_literals;
  orm::sessionmaker Session{writer.engine, orm::ReplicaOptions{.readers = {*found}, .down_for = 300ms}};
  auto s = Session();
  CHECK(names(s) == std::set<std::string>{"ann"});
  REQUIRE(s.reading_from_replica());
  REQUIRE(test::servers_script("stop-replica") == 0);
  struct Restart {
    bool done = false;
    ~Restart() {
      if (!done) test::servers_script("start-replica");
    }
  } restart;
  // The read transaction's link is gone: that read fails, typed; the next goes to the writer.
  CHECK_THROWS_AS(names(s), athanor::OperationalError);
  CHECK(names(s) == std::set<std::string>{"ann"});
  CHECK_FALSE(s.reading_from_replica());
  auto t = Session();  // a new Session: the standby is down, the writer serves
  CHECK(names(t) == std::set<std::string>{"ann"});
  CHECK_FALSE(t.reading_from_replica());
  REQUIRE(test::servers_script("start-replica") == 0);
  restart.done = true;
  std::this_thread::sleep_for(400ms);  // past down_for
  auto u = Session();
  CHECK(names(u) == std::set<std::string>{"ann"});
  CHECK(u.reading_from_replica());
}
