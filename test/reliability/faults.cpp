// test/reliability/faults.cpp — the server lost in the middle of work (issue 7): stopped
// during a Core transaction and during an ORM flush, a session's connection ended by an
// administrator (pg_terminate_backend, KILL CONNECTION) mid-transaction, mid-flush and at
// COMMIT. Each time: a typed OperationalError, nothing of the failed transaction committed,
// rollback() works, the broken connection never comes back to life on its own, and the
// Session and the pool serve again once the server is back. It stops the test servers, so
// it runs alone (test/meson.build). SQLite has no server: every case says so and returns.
#include "support/servers.hpp"

#include <algorithm>

using namespace athanor;

namespace faults {
namespace orm = athanor::orm;
struct Item {
  orm::Mapped<int> id;
  orm::Mapped<std::string> label;
  orm::Mapped<int> batch;
  static void configure(orm::Mapper<Item>& m) {
    m.column<&Item::id>().primary_key();
    m.column<&Item::label>().length(40).unique();
  }
};
ATHANOR_MODEL(Item, "fault_items", id, label, batch)
}  // namespace faults

using faults::Item;

namespace {

int faults_injected = 0;  ///< servers stopped and sessions killed, over the whole run

#define SKIP_WITHOUT_SERVERS_SCRIPT()                                                                 \
  if (test::env("ATHANOR_TEST_SERVERS_DIR").empty()) {                                                \
    MESSAGE("ATHANOR_TEST_SERVERS_DIR is not set (servers not from scripts/test-servers.sh): skipped"); \
    return;                                                                                           \
  }

bool starts_with(const std::string& s, const std::string& prefix) { return s.rfind(prefix, 0) == 0; }


const char* const kRollbackNeeded =
    "[athanor.orm.rollback_needed] this Session's transaction was rolled back after an error during flush or commit; "
    "call rollback()";

/// The fault table, and counts read through an engine of its own (pre-pinged: it outlives
/// server restarts).
struct Db {
  Engine admin = test::engine(pinged());
  orm::Registry registry;
  Db() {
    registry.map<Item>();
    registry.metadata().drop_all(admin);
    registry.metadata().create_all(admin);
  }
  ~Db() {
    try {
      registry.metadata().drop_all(admin);
    } catch (...) {
    }
  }
  static EngineOptions pinged() {
    EngineOptions o;
    o.pool.pre_ping = true;
    return o;
  }
  std::int64_t count(int batch) {
    return admin.connect()
        .exec_driver_sql("SELECT count(*) FROM fault_items WHERE batch = " + std::to_string(batch))
        .scalar_one<std::int64_t>();
  }
};

/// Stops the server under test; it is started again by start(), at the latest on destruction.
struct ServerDown {
  bool down = false;
  bool stop() {
    down = test::stop_server();
    if (down) ++faults_injected;
    return down;
  }
  bool start() {
    if (down && test::start_server()) down = false;
    return !down;
  }
  ~ServerDown() { start(); }
};

/// An engine whose echo sink runs `on_sql` before each statement is sent: the hook that
/// injects a fault between two statements of one flush.
Engine hooked_engine(std::function<void(std::string_view)> on_sql, std::size_t pool_size = 2) {
  EngineOptions o;
  o.echo = true, o.echo_sink = std::move(on_sql);
  o.pool.pool_size = pool_size;
  return test::engine(std::move(o));
}

bool all_transient(const std::vector<orm::Ptr<Item>>& items) {
  return std::all_of(items.begin(), items.end(), [](auto& p) { return p.is_transient(); });
}

}  // namespace

TEST_CASE("a server stopped in the middle of a Core transaction: typed error, nothing committed, the pool serves again") {
  SKIP_WITHOUT_SERVER();
  SKIP_WITHOUT_SERVERS_SCRIPT();
  Db db;
  Table items(db.registry.metadata(), "fault_items");
  EngineOptions plain_options;
  plain_options.pool.pool_size = 3;
  EngineOptions ping_options = plain_options;
  ping_options.pool.pre_ping = true;
  auto plain = test::engine(plain_options), pinged = test::engine(ping_options);
  for (auto* e : {&plain, &pinged}) {  // three idle connections each, opened before the stop
    auto a = e->connect(), b = e->connect(), c = e->connect();
    for (auto* x : {&a, &b, &c}) CHECK(x->exec_driver_sql("SELECT 1").scalar_one<int>() == 1);
  }
  REQUIRE(plain.pool().idle() == 3);
  {
    auto c = plain.begin();
    c.execute(insert(items).values({{"label", "kept"}, {"batch", 0}}));
    c.commit();
  }

  auto conn = plain.connect();
  auto tx = conn.begin();
  for (int i = 0; i < 3; ++i) conn.execute(insert(items).values({{"label", "lost" + std::to_string(i)}, {"batch", 1}}));
  ServerDown server;
  REQUIRE(server.stop());
  auto msg = test::operational_error([&] { conn.execute(insert(items).values({{"label", "lost3"}, {"batch", 1}})); });
  INFO("message: " << msg);
  CHECK(starts_with(msg, "[athanor.operational"));
  // The failure dropped the pool's idle connections (opened to the same lost server): a
  // checkout now connects, and says plainly that it cannot.
  CHECK(plain.pool().idle() == 0);
  CHECK(starts_with(test::operational_error([&] { plain.connect(); }), "[athanor.operational.connect] cannot connect to "));

  REQUIRE(server.start());
  // The broken connection stays broken: no silent reconnection that would run the rest of
  // the transaction's statements in autocommit mode on a new session.
  CHECK(starts_with(test::operational_error([&] { conn.execute(insert(items).values({{"label", "lost4"}, {"batch", 1}})); }),
                    "[athanor.operational"));
  CHECK_NOTHROW(tx.rollback());  // the lost link took the transaction with it: nothing to throw
  CHECK_FALSE(tx.is_active());
  conn.close();
  CHECK(db.count(1) == 0);
  CHECK(db.count(0) == 1);
  // Both pools serve at the first try: without pre-ping (nothing stale is left in it), with
  // pre-ping (each dead idle connection is replaced on checkout).
  CHECK(plain.connect().exec_driver_sql("SELECT 7").scalar_one<int>() == 7);
  CHECK(pinged.connect().exec_driver_sql("SELECT 8").scalar_one<int>() == 8);
  CHECK(pinged.pool().invalidated() >= 1);
  {
    auto c = plain.begin();
    c.execute(insert(items).values({{"label", "after"}, {"batch", 2}}));
    c.commit();
  }
  CHECK(db.count(2) == 1);
}

TEST_CASE("a server stopped in the middle of a Session flush: nothing committed, the Session recovers") {
  SKIP_WITHOUT_SERVER();
  SKIP_WITHOUT_SERVERS_SCRIPT();
  Db db;
  ServerDown server;
  bool armed = false, stopped = false;
  int inserts = 0;
  // Before the 2nd INSERT of the flush: a server gets the 40 rows as INSERTs of 32 and 8 rows
  // (the unit of work's batches), so 32 rows are written and 8 still to come.
  const int at = 2;
  auto engine = hooked_engine([&](std::string_view sql) {
    if (armed && sql.starts_with("INSERT") && ++inserts == at) stopped = server.stop();
  });
  orm::sessionmaker Session{engine};
  auto s = Session();
  s.add(Item{.label = "kept", .batch = 0});
  s.commit();
  std::vector<orm::Ptr<Item>> items;
  for (int i = 0; i < 40; ++i) items.push_back(s.add(Item{.label = "b1-" + std::to_string(i), .batch = 1}));
  armed = true;
  auto msg = test::operational_error([&] { s.commit(); });
  armed = false;
  REQUIRE(stopped);
  INFO("message: " << msg);
  CHECK(inserts == at);
  CHECK(starts_with(msg, "[athanor.operational"));
  // As in SQLAlchemy: the failed flush rolled back, its new objects are transient again, and
  // the Session refuses work until rollback().
  CHECK(all_transient(items));
  CHECK_THROWS_WITH_AS(s.flush(), kRollbackNeeded, Error);

  REQUIRE(server.start());
  CHECK_NOTHROW(s.rollback());
  CHECK(db.count(1) == 0);
  CHECK(db.count(0) == 1);
  auto after = s.add(Item{.label = "after", .batch = 2});
  s.commit();
  CHECK(after->id > 0);
  CHECK(db.count(2) == 1);
  for (auto& p : items) s.add(p);  // the lost objects, added again: all of them commit now
  s.commit();
  CHECK(db.count(1) == 40);
  CHECK(items.back()->label.get() == "b1-39");
}

TEST_CASE("a connection killed in the middle of a Core transaction does not come back to life") {
  SKIP_WITHOUT_SERVER();
  Db db;
  Table items(db.registry.metadata(), "fault_items");
  auto engine = test::engine();
  auto conn = engine.connect();
  auto tx = conn.begin();
  auto victim = test::session_id(conn);
  for (int i = 0; i < 3; ++i) conn.execute(insert(items).values({{"label", "lost" + std::to_string(i)}, {"batch", 1}}));
  auto savepoint = conn.begin_nested();
  conn.execute(insert(items).values({{"label", "lost-sp"}, {"batch", 1}}));
  REQUIRE(test::kill_session(db.admin, victim));
  ++faults_injected;
  auto msg = test::operational_error([&] { conn.execute(insert(items).values({{"label", "lost3"}, {"batch", 1}})); });
  INFO("message: " << msg);
  CHECK(starts_with(msg, "[athanor.operational"));
  // The server is up: a driver that reconnected by itself would run these INSERTs outside
  // any transaction, on a new session, and commit them (libpqxx 6 does, for SQL it has not
  // prepared yet).
  CHECK(starts_with(test::operational_error([&] { conn.execute(insert(items).values({{"label", "lost4"}, {"batch", 1}})); }),
                    "[athanor.operational"));
  CHECK(starts_with(test::operational_error([&] { conn.exec_driver_sql("INSERT INTO fault_items (label, batch) VALUES ('lost5', 1)"); }),
                    "[athanor.operational"));
  CHECK(starts_with(test::operational_error([&] { conn.exec_driver_sql("SELECT 1"); }), "[athanor.operational"));
  CHECK_NOTHROW(savepoint.rollback());  // gone with the session, as the transaction: no throw
  CHECK_NOTHROW(tx.rollback());
  CHECK_NOTHROW(conn.close());
  CHECK(db.count(1) == 0);
  auto again = engine.connect();
  CHECK(test::session_id(again) != victim);
  CHECK(again.exec_driver_sql("SELECT 9").scalar_one<int>() == 9);
}

TEST_CASE("a connection killed in the middle of a Session flush: nothing committed, the Session recovers") {
  SKIP_WITHOUT_SERVER();
  Db db;
  std::int64_t victim = 0;
  bool armed = false, killed = false;
  int inserts = 0;
  // Before the 2nd INSERT of the flush: 50 rows go as INSERTs of 32, 16 and 2 rows.
  const int at = 2;
  auto engine = hooked_engine([&](std::string_view sql) {
    if (armed && sql.starts_with("INSERT") && ++inserts == at) killed = test::kill_session(db.admin, victim);
  });
  orm::sessionmaker Session{engine};
  auto s = Session();
  s.add(Item{.label = "kept", .batch = 0});
  s.flush();
  victim = test::session_id(s.connection());
  s.commit();  // the connection goes back to the pool; the Session's next transaction takes it again
  std::vector<orm::Ptr<Item>> items;
  for (int i = 0; i < 50; ++i) items.push_back(s.add(Item{.label = "k1-" + std::to_string(i), .batch = 1}));
  armed = true;
  auto msg = test::operational_error([&] { s.flush(); });
  armed = false;
  REQUIRE(killed);
  ++faults_injected;
  INFO("message: " << msg);
  CHECK(inserts == at);
  CHECK(starts_with(msg, "[athanor.operational"));
  CHECK(all_transient(items));
  CHECK_THROWS_WITH_AS(s.commit(), kRollbackNeeded, Error);
  CHECK_NOTHROW(s.rollback());
  CHECK(db.count(1) == 0);
  CHECK(db.count(0) == 1);
  auto after = s.add(Item{.label = "after", .batch = 2});
  s.commit();
  CHECK(after->id > 0);
  for (auto& p : items) s.add(p);
  s.commit();
  CHECK(db.count(1) == 50);
  CHECK(db.count(2) == 1);
  CHECK(engine.connect().exec_driver_sql("SELECT 10").scalar_one<int>() == 10);
}

TEST_CASE("a connection killed just before COMMIT: commit() fails typed, nothing is committed, the Session recovers") {
  SKIP_WITHOUT_SERVER();
  Db db;
  std::int64_t victim = 0;
  bool armed = false, killed = false;
  auto engine = hooked_engine([&](std::string_view sql) {
    if (armed && sql.starts_with("COMMIT")) killed = test::kill_session(db.admin, victim);
  });
  orm::sessionmaker Session{engine};
  auto s = Session();
  std::vector<orm::Ptr<Item>> items;
  for (int i = 0; i < 10; ++i) items.push_back(s.add(Item{.label = "c1-" + std::to_string(i), .batch = 1}));
  s.flush();  // the rows are written; only COMMIT is left
  victim = test::session_id(s.connection());
  armed = true;
  auto msg = test::operational_error([&] { s.commit(); });
  armed = false;
  REQUIRE(killed);
  ++faults_injected;
  INFO("message: " << msg);
  CHECK(starts_with(msg, "[athanor.operational"));
  CHECK(all_transient(items));
  // A second commit() must not report success for rows that were never committed.
  CHECK_THROWS_WITH_AS(s.commit(), kRollbackNeeded, Error);
  CHECK_NOTHROW(s.rollback());
  CHECK(db.count(1) == 0);
  for (auto& p : items) s.add(p);
  s.commit();
  CHECK(db.count(1) == 10);
}

TEST_CASE("faults injected") {
  SKIP_WITHOUT_SERVER();
  MESSAGE(faults_injected << " faults injected on " << test::backend() << " (servers stopped and sessions killed)");
  CHECK(faults_injected >= 3);
}
