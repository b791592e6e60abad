// test/orm/retry.cpp — isolation levels per engine and per transaction, the typed errors of
// conflicting transactions, and transaction(…, f, {.retries = n}) re-running f after a rollback.
// Conflicts are made by real concurrent transactions: a second connection that commits a change
// between f's read and its write (a serialization failure), two threads locking two rows in
// opposite orders (a deadlock), a lock held past the lock timeout, a link killed before COMMIT.
#include <atomic>
#include <latch>
#include <set>
#include <thread>

#include "support/requirements.hpp"

namespace orm = athanor::orm;
using athanor::IsolationLevel;
using orm::Mapped;

namespace retry {
struct Counter {
  Mapped<int> id;
  Mapped<std::int64_t> value;
  static void configure(orm::Mapper<Counter>& m) { m.column<&Counter::id>().primary_key().autoincrement(false); }
};
struct Note {
  Mapped<int> id;
  Mapped<std::string> text;
  static void configure(orm::Mapper<Note>& m) {
    m.column<&Note::id>().primary_key();
    m.column<&Note::text>().length(40).unique();
  }
};
ATHANOR_MODEL(Counter, "retry_counters", id, value)
ATHANOR_MODEL(Note, "retry_notes", id, text)
}  // namespace retry

using retry::Counter;
using retry::Note;

namespace {

/// Two counters (ids 1 and 2, value 0) and no note, on an engine of the backend under test;
/// a file database runs in WAL mode (a reader keeps its snapshot while another connection writes).
struct Db {
  athanor::Engine engine;
  orm::Registry registry;
  explicit Db(athanor::EngineOptions o = {}, std::string query = {}) : engine(make(std::move(o), std::move(query))) {
    registry.map<Counter, Note>();
    registry.metadata().drop_all(engine);
    registry.metadata().create_all(engine);
    auto c = engine.begin();
    c.exec_driver_sql("INSERT INTO retry_counters (id, value) VALUES (1, 0), (2, 0)");
    c.commit();
  }
  ~Db() {
    try {
      registry.metadata().drop_all(engine);
    } catch (...) {
    }
  }
  static athanor::Engine make(athanor::EngineOptions o, std::string query) {
    auto u = athanor::URL::parse(test::url());
    if (test::backend() == "sqlite_file")
      u.query["journal_mode"] = "WAL";
    for (std::size_t at = 0; at < query.size();) {  // "k=v&k2=v2"
      auto amp = std::min(query.find('&', at), query.size());
      auto eq = query.find('=', at);
      u.query[query.substr(at, eq - at)] = query.substr(eq + 1, amp - eq - 1);
      at = amp + 1;
    }
    return athanor::create_engine(u.render(false), std::move(o));
  }
  std::int64_t value(int id) {
    auto c = engine.connect();
    return c.exec_driver_sql("SELECT value FROM retry_counters WHERE id = " + std::to_string(id))
        .scalar_one<std::int64_t>();
  }
  std::int64_t notes() {
    auto c = engine.connect();
    return c.exec_driver_sql("SELECT count(*) FROM retry_notes").scalar_one<std::int64_t>();
  }
};

/// The isolation level the current transaction of `c` runs at, lower case with spaces
/// ("serializable", "read committed"), as the server reports it.
std::string isolation_of(athanor::Connection& c) {
  std::string v;
  if (test::backend() == "postgresql") {
    v = c.exec_driver_sql("SHOW transaction_isolation").scalar_one<std::string>();
  } else {
    // @@tx_isolation is the session's level, not that of a transaction begun after SET
    // TRANSACTION: InnoDB's own record of the transaction tells (once it has touched a table).
    // The table is a copy InnoDB refreshes at most every 100 ms (TRX_I_S_CACHE_MIN_REFRESH_TIME):
    // read sooner, it shows the previous transaction, or none.
    c.exec_driver_sql("SELECT count(*) FROM retry_counters");
    std::this_thread::sleep_for(std::chrono::milliseconds(150));
    v = c.exec_driver_sql(
             "SELECT trx_isolation_level FROM information_schema.INNODB_TRX WHERE trx_mysql_thread_id = "
             "CONNECTION_ID()")
            .scalar_one<std::string>();
  }
  for (char& ch : v)
    ch = ch == '-' ? ' ' : static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
  return v;
}

std::string lower_name(IsolationLevel l) {
  std::string v(athanor::sql_name(l));
  for (char& ch : v)
    ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
  return v;
}

bool server() {
  return test::backend() == "postgresql" || test::backend() == "mysql";
}

/// Fast retries for tests: the backoff is tested apart.
athanor::TransactionOptions fast(int retries, std::optional<IsolationLevel> level = {}) {
  athanor::TransactionOptions o;
  o.retries = retries, o.isolation = level, o.backoff = std::chrono::milliseconds(1),
  o.max_backoff = std::chrono::milliseconds(5);
  return o;
}

}  // namespace

TEST_CASE("isolation levels: names parse, and each backend applies the level asked for") {
  CHECK(athanor::parse_isolation_level("serializable") == IsolationLevel::serializable);
  CHECK(athanor::parse_isolation_level("REPEATABLE READ") == IsolationLevel::repeatable_read);
  CHECK(athanor::parse_isolation_level("read-committed") == IsolationLevel::read_committed);
  CHECK_THROWS_WITH_AS(athanor::parse_isolation_level("snapshot"),
                       "[athanor.argument.isolation_level] unknown isolation level 'snapshot' (use read_uncommitted, "
                       "read_committed, repeatable_read or serializable)",
                       athanor::ArgumentError);
  if (!server()) {
    // SQLite is serializable only: that level is taken, the others refused before anything runs.
    Db db;
    auto c = db.engine.connect();
    auto tx = c.begin(IsolationLevel::serializable);
    tx.commit();
    CHECK_THROWS_WITH_AS(
        (void)c.begin(IsolationLevel::read_committed),
        "[athanor.argument.unsupported] SQLite has no isolation level READ COMMITTED (its transactions "
        "are always SERIALIZABLE); leave the level unset or ask for serializable",
        athanor::ArgumentError);
    CHECK_FALSE(c.in_transaction());
    CHECK_THROWS_WITH_AS(athanor::create_engine(test::url() + "?isolation_level=read_uncommitted"),
                         "[athanor.argument.unsupported] SQLite has no isolation level READ UNCOMMITTED (its "
                         "transactions are always SERIALIZABLE); leave the level unset or ask for serializable",
                         athanor::ArgumentError);
    auto e = athanor::create_engine(test::url() + "?isolation_level=serializable");
    auto t = e.begin();
    CHECK(t.exec_driver_sql("PRAGMA read_uncommitted").scalar_one<int>() == 0);
    return;
  }
  Db db;
  {  // the server's default, then a level per transaction, Core
    auto c = db.engine.connect();
    auto tx = c.begin();
    std::string def = isolation_of(c);
    CHECK((def == "read committed" || def == "repeatable read"));
    tx.commit();
    for (auto level : {IsolationLevel::serializable, IsolationLevel::repeatable_read, IsolationLevel::read_committed}) {
      auto t = c.begin(level);
      CHECK(isolation_of(c) == lower_name(level));
      t.rollback();
    }
    auto t = c.begin();  // a transaction's level is its own: the next one is at the default again
    CHECK(isolation_of(c) == def);
    t.rollback();
  }
  {  // per engine, from the URL; a transaction may still ask for another
    auto e = Db::make({}, "isolation_level=serializable");
    auto c = e.begin();
    CHECK(isolation_of(c) == "serializable");
    c.rollback();
    auto t = c.begin(IsolationLevel::read_committed);
    CHECK(isolation_of(c) == "read committed");
    t.rollback();
    auto again = c.begin();
    CHECK(isolation_of(c) == "serializable");
    again.rollback();
  }
  {  // per engine, from the options; the ORM Session's transactions
    auto e = Db::make({.isolation_level = IsolationLevel::repeatable_read}, "");
    orm::Session s(e);
    CHECK(isolation_of(s.connection()) == "repeatable read");
    s.rollback();
    s.begin(IsolationLevel::serializable);
    CHECK(isolation_of(s.connection()) == "serializable");
    CHECK_THROWS_WITH_AS(s.begin(IsolationLevel::read_committed),
                         "[athanor.argument.transaction] the Session's transaction is already open; commit() or "
                         "rollback() it before begin()",
                         athanor::ArgumentError);
    s.commit();
    CHECK(isolation_of(s.connection()) == "repeatable read");
    s.rollback();
    orm::Session t(e, {.isolation_level = IsolationLevel::read_committed});
    CHECK(isolation_of(t.connection()) == "read committed");
  }
  CHECK_THROWS_AS(Db::make({.isolation_level = IsolationLevel::serializable}, "isolation_level=read_committed"),
                  athanor::ArgumentError);
}

TEST_CASE("a serialization failure rolls back and runs f again; the Session stays consistent") {
  if (test::shared_single_connection()) {
    MESSAGE("in-memory SQLite has one connection: no concurrent transaction to conflict with");
    return;
  }
  if (test::backend() == "mysql") {
    // InnoDB's SERIALIZABLE locks what f reads, so the other writer would wait rather than
    // commit between f's read and write: MariaDB's conflicts are deadlocks (next test case).
    MESSAGE("MariaDB reports conflicts as deadlocks and lock timeouts, tested below");
    return;
  }
  Db db;
  auto other = Db::make({}, "");
  // Another transaction commits +100 to counter 1 after f has read it, on the first `conflicts` runs.
  auto interfere = [&](int attempt, int conflicts) {
    if (attempt > conflicts)
      return;
    auto c = other.begin();
    c.exec_driver_sql("UPDATE retry_counters SET value = value + 100 WHERE id = 1");
    c.commit();
  };
  orm::Session s(db.engine);
  int attempts = 0;
  std::vector<orm::Ptr<Note>> added;
  std::vector<std::string> retried;
  auto options = fast(3, IsolationLevel::serializable);
  options.on_retry = [&](int n, const athanor::Error& e) { retried.push_back(std::to_string(n) + ": " + e.what()); };
  auto f = [&](orm::Session& session) {
    ++attempts;
    auto counter = session.get<Counter>(1);  // the snapshot starts here
    interfere(attempts, 1);
    added.push_back(session.add(Note{.text = "attempt " + std::to_string(attempts)}));
    counter->value = counter->value + 1;
    session.flush();  // the UPDATE of a row changed since the snapshot
    return counter->value.get();
  };
  auto value = orm::transaction(s, f, options);
  CHECK(attempts == 2);
  CHECK(value == 101);  // the second run read the other transaction's +100
  CHECK(db.value(1) == 101);
  REQUIRE(retried.size() == 1);
  CHECK(retried[0].rfind("1: [athanor.operational.serialization] ", 0) == 0);
  CHECK(db.notes() == 1);
  // The object of the rolled-back run is transient again (no key, no Session); the last is stored.
  REQUIRE(added.size() == 2);
  CHECK(added[0].is_transient());
  CHECK_FALSE(s.contains(added[0]));
  CHECK(added[1].is_persistent());
  CHECK(s.contains(added[1]));
  CHECK(s.get<Counter>(1)->value == 101);  // one object per row, reloaded after commit
  s.commit();

  // Conflicting every time: the typed error once the retries are spent, after 1 + 2 runs.
  attempts = 0, added.clear(), retried.clear();
  options.retries = 2;
  auto always = [&](orm::Session& session) {
    ++attempts;
    auto counter = session.get<Counter>(1);
    interfere(attempts, 99);
    added.push_back(session.add(Note{.text = "again " + std::to_string(attempts)}));
    counter->value = counter->value + 1;
    session.flush();
  };
  CHECK_THROWS_AS(orm::transaction(s, always, options), athanor::SerializationFailure);
  CHECK(attempts == 3);
  CHECK(retried.size() == 2);
  CHECK(db.value(1) == 401);
  CHECK(db.notes() == 1);
  for (auto& n : added)
    CHECK(n.is_transient());
  CHECK_FALSE(s.in_transaction());
  CHECK(s.get<Counter>(1)->value == 401);  // usable at once, nothing to roll back first
  s.rollback();

  // Core: the same conflict through transaction(engine, f, options).
  attempts = 0;
  auto n = athanor::transaction(
      db.engine,
      [&](athanor::Connection& c) {
        ++attempts;
        auto v = c.exec_driver_sql("SELECT value FROM retry_counters WHERE id = 1").scalar_one<std::int64_t>();
        interfere(attempts, 1);
        c.exec_driver_sql("UPDATE retry_counters SET value = " + std::to_string(v + 1) + " WHERE id = 1");
        return v + 1;
      },
      fast(1, IsolationLevel::serializable));
  CHECK(attempts == 2);
  CHECK(n == 502);
  CHECK(db.value(1) == 502);
}

TEST_CASE("write skew under serializable: the later transaction fails (at its write or COMMIT) and runs again") {
  if (test::shared_single_connection() || test::backend() == "mysql") {
    MESSAGE("needs a second connection whose commit does not wait for f's reads (not InnoDB's SERIALIZABLE)");
    return;
  }
  Db db;
  auto other = Db::make({}, "");
  // Rule: the two counters together stay >= -1. Each transaction checks the sum, then takes
  // 1 from its own counter: run one after the other, the second must see the first's change.
  int attempts = 0;
  std::string retried;
  auto options = fast(3, IsolationLevel::serializable);
  options.on_retry = [&](int, const athanor::Error& e) { retried = e.what(); };
  auto took = athanor::transaction(
      db.engine,
      [&](athanor::Connection& c) {
        ++attempts;
        auto sum = c.exec_driver_sql("SELECT sum(value) FROM retry_counters").scalar_one<std::int64_t>();
        if (attempts == 1) {  // the other takes from counter 2 after f has read, and commits first
          auto o = other.begin(IsolationLevel::serializable);
          auto s2 = o.exec_driver_sql("SELECT sum(value) FROM retry_counters").scalar_one<std::int64_t>();
          if (s2 - 1 >= -1) o.exec_driver_sql("UPDATE retry_counters SET value = value - 1 WHERE id = 2");
          o.commit();
        }
        if (sum - 1 < -1) return false;
        c.exec_driver_sql("UPDATE retry_counters SET value = value - 1 WHERE id = 1");
        return true;
      },
      options);
  CHECK(attempts == 2);
  CHECK(retried.rfind("[athanor.operational.serialization] ", 0) == 0);
  CHECK_FALSE(took);  // run again, f saw the other's -1 and took nothing: the rule holds
  CHECK(db.value(1) == 0);
  CHECK(db.value(2) == -1);
}

TEST_CASE("a deadlock between two threads: the victim is rolled back and runs again") {
  if (!server()) {
    MESSAGE("SQLite has one writer at a time: two transactions cannot each hold a row the other wants");
    return;
  }
  Db db;
  std::latch both_hold_one(2);
  std::atomic<int> attempts{0};
  std::vector<std::string> errors[2];
  std::string failed[2];
  // Thread t adds 1 to its own counter, waits (first run only) until the other thread holds its
  // own, then adds 1 to the other's: the two wait for each other, the server picks a victim.
  auto work = [&](int t) {
    int mine = t + 1, theirs = 2 - t;
    int runs = 0;
    auto options = fast(3);
    options.on_retry = [&](int, const athanor::Error& e) { errors[t].push_back(e.what()); };
    orm::Session s(db.engine);
    try {
      orm::transaction(
          s,
          [&](orm::Session& session) {
            ++attempts, ++runs;
            auto& c = session.connection();
            c.exec_driver_sql("UPDATE retry_counters SET value = value + 1 WHERE id = " + std::to_string(mine));
            if (runs == 1)
              both_hold_one.arrive_and_wait();
            c.exec_driver_sql("UPDATE retry_counters SET value = value + 1 WHERE id = " + std::to_string(theirs));
          },
          options);
    } catch (const std::exception& e) {  // an exception leaving a thread would end the process
      failed[t] = e.what();
    }
  };
  std::thread a(work, 0), b(work, 1);
  a.join(), b.join();
  CHECK(failed[0] == "");
  CHECK(failed[1] == "");
  // One run each, and a second for each victim: usually one, but on a loaded machine both
  // backends' deadlock checks can fire before the first victim's rollback breaks the cycle.
  const auto victims = errors[0].size() + errors[1].size();
  CHECK(victims >= 1);
  CHECK(attempts == 2 + static_cast<int>(victims));
  for (auto& list : errors)
    for (auto& e : list)
      CHECK(e.rfind("[athanor.operational.deadlock] ", 0) == 0);
  CHECK(db.value(1) == 2);
  CHECK(db.value(2) == 2);
}

TEST_CASE("a lock held past the lock timeout: retried once the holder lets go; exhausted: LockTimeout") {
  if (test::shared_single_connection()) {
    MESSAGE("in-memory SQLite has one connection: no second writer to wait for");
    return;
  }
  std::string b = test::backend();
  Db db({}, b == "sqlite_file" ? "timeout=0.2" : "");
  // A short lock timeout inside f's transaction (SQLite: the URL's busy timeout above).
  auto short_timeout = [&](athanor::Connection& c) {
    if (b == "postgresql")
      c.exec_driver_sql("SET LOCAL lock_timeout = 200");
    if (b == "mysql")
      c.exec_driver_sql("SET SESSION innodb_lock_wait_timeout = 1");
  };
  auto holder = db.engine.begin();
  holder.exec_driver_sql("UPDATE retry_counters SET value = value + 10 WHERE id = 1");
  int attempts = 0;
  auto options = fast(2);
  std::vector<std::string> retried;
  options.on_retry = [&](int, const athanor::Error& e) {
    retried.push_back(e.what());
    holder.commit();  // the holder lets go while f waits for its retry
  };
  auto f = [&](athanor::Connection& c) {
    ++attempts;
    short_timeout(c);
    c.exec_driver_sql("UPDATE retry_counters SET value = value + 1 WHERE id = 1");
  };
  athanor::transaction(db.engine, f, options);
  CHECK(attempts == 2);
  REQUIRE(retried.size() == 1);
  CHECK((retried[0].rfind("[athanor.operational.timeout] ", 0) == 0 ||
         retried[0] == "[athanor.operational] database is locked"));
  CHECK(db.value(1) == 11);

  auto keeper = db.engine.begin();
  keeper.exec_driver_sql("UPDATE retry_counters SET value = value + 10 WHERE id = 1");
  attempts = 0;
  CHECK_THROWS_AS(athanor::transaction(db.engine, f, fast(1)), athanor::LockTimeout);
  CHECK(attempts == 2);
  keeper.rollback();
  CHECK(db.value(1) == 11);
}

TEST_CASE("errors that are not conflicts are not retried; the Session must start clean") {
  Db db;
  orm::Session s(db.engine);
  s.add(Note{.text = "taken"});
  s.commit();
  int attempts = 0;
  CHECK_THROWS_AS(orm::transaction(
                      s,
                      [&](orm::Session& session) {
                        ++attempts;
                        session.add(Note{.text = "taken"});
                        session.flush();
                      },
                      fast(5)),
                  athanor::IntegrityError);
  CHECK(attempts == 1);
  CHECK(db.notes() == 1);
  CHECK_THROWS_AS(orm::transaction(
                      s, [&](orm::Session&) { ++attempts, throw std::runtime_error("mine"); }, fast(5)),
                  std::runtime_error);
  CHECK(attempts == 2);

  // Work left open before the call would be lost by a retry's rollback: refused.
  auto pending = s.add(Note{.text = "pending"});
  CHECK_THROWS_WITH_AS(orm::transaction(
                           s, [&](orm::Session&) { ++attempts; }, fast(1)),
                       "[athanor.argument.transaction] transaction(session, f, options) runs f in a transaction of its "
                       "own: commit or roll back the Session's open transaction and pending changes first",
                       athanor::ArgumentError);
  CHECK(attempts == 2);
  CHECK(pending.is_pending());
  s.rollback();
  // A user's rule: also retry this error (here: any DatabaseError), bounded all the same.
  auto options = fast(2);
  options.retry_if = [](const athanor::Error& e) {
    return dynamic_cast<const athanor::IntegrityError*>(&e) != nullptr;
  };
  CHECK_THROWS_AS(orm::transaction(
                      s,
                      [&](orm::Session& session) {
                        ++attempts;
                        session.add(Note{.text = "taken"});
                        session.flush();
                      },
                      options),
                  athanor::IntegrityError);
  CHECK(attempts == 5);
}

TEST_CASE("a connection lost during COMMIT: CommitResultUnknown, and f is not run again") {
  if (!server()) {
    MESSAGE("SQLite runs in this process: its COMMIT has no link to lose");
    return;
  }
  Db db;
  auto killer = Db::make({}, "");
  bool pg = test::backend() == "postgresql";
  orm::Session s(db.engine);
  int attempts = 0;
  CHECK_THROWS_AS(
      orm::transaction(
          s,
          [&](orm::Session& session) {
            ++attempts;
            session.add(Note{.text = "maybe"});
            session.flush();  // everything is sent; only COMMIT is left
            auto& c = session.connection();
            auto id =
                c.exec_driver_sql(pg ? "SELECT pg_backend_pid()" : "SELECT CONNECTION_ID()").scalar_one<std::int64_t>();
            auto k = killer.connect();
            k.exec_driver_sql(pg ? "SELECT pg_terminate_backend(" + std::to_string(id) + ")"
                                 : "KILL " + std::to_string(id));
            std::this_thread::sleep_for(std::chrono::milliseconds(100));
          },
          fast(5)),
      athanor::CommitResultUnknown);
  CHECK(attempts == 1);
  CHECK_FALSE(s.in_transaction());
  CHECK(db.notes() == 0);  // here the server had not committed; the caller cannot know that without looking
  // The Session goes on, on a new connection.
  orm::transaction(
      s, [&](orm::Session& session) { session.add(Note{.text = "sure"}); }, fast(1));
  CHECK(db.notes() == 1);
}

TEST_CASE("the backoff grows, stays under its cap and is jittered") {
  athanor::TransactionOptions o;
  o.backoff = std::chrono::milliseconds(10), o.max_backoff = std::chrono::milliseconds(100);
  std::set<long long> seen;
  for (int i = 0; i < 200; ++i) {
    auto d1 = athanor::detail::retry_delay(o, 1).count(), d3 = athanor::detail::retry_delay(o, 3).count(),
         d9 = athanor::detail::retry_delay(o, 9).count();
    CHECK((d1 >= 5 && d1 <= 10));
    CHECK((d3 >= 20 && d3 <= 40));
    CHECK((d9 >= 50 && d9 <= 100));
    seen.insert(d9);
  }
  CHECK(seen.size() > 10);
}
