// test/engine/connection.cpp — Engine, Connection and Transaction on a real database:
// autocommit, transactions and savepoints, rollback on scope exit, close, echo logging,
// statement caching, exec_driver_sql.
#include "support/backend.hpp"
#include "support/requirements.hpp"

#include <cstdio>
#include <cstring>
#include <mutex>

#if ATHANOR_WITH_POSTGRESQL
#  include <athanor/driver/postgresql.hpp>
#endif

using namespace athanor;

namespace {

struct Counter : test::Schema {
  Table items{"items", md, Column{"id", Integer{}, primary_key}, Column{"name", String{50}, nullable(false), unique}};
  Counter() { create(); }
  void add(Connection& c, const std::string& name) { c.execute(insert(items).values({{"name", name}})); }
  /// Counted on a fresh connection: what is committed (or, on a shared connection, what is visible).
  std::int64_t count() {
    auto c = engine.connect();
    return *c.execute(select(athanor::count()).select_from(items)).scalar<std::int64_t>();
  }
  std::int64_t count(Connection& c) { return *c.execute(select(athanor::count()).select_from(items)).scalar<std::int64_t>(); }
};

}  // namespace

namespace memo {
namespace orm = athanor::orm;
struct Item {
  orm::Mapped<int> id;
  orm::Mapped<std::string> name;
  static void configure(orm::Mapper<Item>& m) {
    m.column<&Item::id>().primary_key();
    m.column<&Item::name>().length(50);
  }
};
ATHANOR_MODEL(Item, "memo_items", id, name)
}  // namespace memo

TEST_CASE("connect() runs in autocommit mode") {
  Counter t;
  {
    auto conn = t.engine.connect();
    CHECK_FALSE(conn.in_transaction());
    t.add(conn, "a");
  }
  CHECK(t.count() == 1);
}

TEST_CASE("engine.begin(): committed work stays, uncommitted work rolls back at scope end") {
  Counter t;
  {
    auto conn = t.engine.begin();
    CHECK(conn.in_transaction());
    t.add(conn, "kept");
    conn.commit();
    CHECK_FALSE(conn.in_transaction());
  }
  {
    auto conn = t.engine.begin();
    t.add(conn, "dropped");
    CHECK(t.count(conn) == 2);
  }  // no commit
  CHECK(t.count() == 1);
}

TEST_CASE("Transaction: commit, rollback, rollback at scope end, is_active") {
  Counter t;
  auto conn = t.engine.connect();
  {
    auto tx = conn.begin();
    CHECK(tx.is_active());
    CHECK_FALSE(tx.is_nested());
    t.add(conn, "a");
    tx.commit();
    CHECK_FALSE(tx.is_active());
    CHECK_THROWS_WITH_AS(tx.commit(), "[athanor.argument.transaction] this transaction is no longer active", ArgumentError);
  }
  {
    auto tx = conn.begin();
    t.add(conn, "b");
    tx.rollback();
    CHECK_FALSE(tx.is_active());
    tx.rollback();  // twice is harmless
  }
  {
    auto tx = conn.begin();
    t.add(conn, "c");
  }
  CHECK_FALSE(conn.in_transaction());
  CHECK(t.count(conn) == 1);
  CHECK(t.count() == 1);
}

TEST_CASE("begin inside begin is an ArgumentError") {
  Counter t;
  {
    auto in_tx = t.engine.begin();
    CHECK_THROWS_AS(static_cast<void>(in_tx.begin()), ArgumentError);
  }
  auto conn = t.engine.connect();
  auto tx = conn.begin();
  CHECK_THROWS_WITH_AS(static_cast<void>(conn.begin()), "[athanor.argument.transaction] a transaction is already open; use begin_nested() for a savepoint",
                       ArgumentError);
  CHECK(tx.is_active());  // the open transaction is untouched
  t.add(conn, "a");
  tx.commit();
  CHECK(t.count() == 1);
}

TEST_CASE("begin_nested: a savepoint rolled back keeps the outer work") {
  Counter t;
  auto conn = t.engine.connect();
  auto tx = conn.begin();
  t.add(conn, "outer");
  {
    auto sp = conn.begin_nested();
    CHECK(sp.is_nested());
    t.add(conn, "inner");
    CHECK(t.count(conn) == 2);
    sp.rollback();
  }
  CHECK(t.count(conn) == 1);
  {
    auto sp = conn.begin_nested();
    t.add(conn, "inner2");
  }  // a savepoint not released rolls back at scope end
  CHECK(t.count(conn) == 1);
  tx.commit();
  CHECK(t.count() == 1);
}

TEST_CASE("begin_nested: a released savepoint commits with the outer transaction") {
  Counter t;
  auto conn = t.engine.connect();
  {
    auto tx = conn.begin();
    auto sp = conn.begin_nested();
    t.add(conn, "a");
    auto sp2 = conn.begin_nested();
    t.add(conn, "b");
    sp2.commit();
    sp.commit();  // RELEASE
    CHECK_FALSE(sp.is_active());
    CHECK(tx.is_active());
    tx.commit();
  }
  CHECK(t.count() == 2);
  {
    auto tx = conn.begin();
    auto sp = conn.begin_nested();
    t.add(conn, "c");
    sp.commit();
    tx.rollback();  // the outer rollback undoes the released savepoint too
  }
  CHECK(t.count() == 2);
}

TEST_CASE("begin_nested outside a transaction begins one") {
  Counter t;
  auto conn = t.engine.connect();
  {
    auto sp = conn.begin_nested();
    CHECK(conn.in_transaction());
    t.add(conn, "a");
    sp.commit();
    conn.commit();
  }
  CHECK(t.count() == 1);
}

TEST_CASE("rolling back the outer transaction ends its savepoints") {
  Counter t;
  auto conn = t.engine.connect();
  auto tx = conn.begin();
  auto sp = conn.begin_nested();
  t.add(conn, "a");
  tx.rollback();
  CHECK_FALSE(sp.is_active());
  CHECK_THROWS_AS(sp.commit(), ArgumentError);
  CHECK(t.count(conn) == 0);
}

TEST_CASE("conn.commit() and conn.rollback()") {
  Counter t;
  auto conn = t.engine.connect();
  auto tx = conn.begin();
  t.add(conn, "a");
  conn.commit();
  CHECK_FALSE(tx.is_active());
  auto tx2 = conn.begin();
  t.add(conn, "b");
  conn.rollback();
  CHECK_FALSE(conn.in_transaction());
  conn.commit();  // without a transaction: nothing to do
  conn.rollback();
  CHECK(t.count() == 1);
}

TEST_CASE("a failed statement inside a transaction, then rollback, leaves the database as it was") {
  Counter t;
  {
    auto conn = t.engine.connect();
    t.add(conn, "before");
  }
  auto conn = t.engine.connect();
  auto tx = conn.begin();
  t.add(conn, "during");
  CHECK_THROWS_AS(t.add(conn, "before"), IntegrityError);  // duplicate name
  tx.rollback();
  CHECK(t.count(conn) == 1);
  CHECK(conn.execute(select(t.items.c("name"))).scalar_one<std::string>() == "before");
  // the connection is usable afterwards
  t.add(conn, "after");
  CHECK(t.count() == 2);
}

TEST_CASE("a failed statement inside a savepoint is undone by rolling back to it") {
  Counter t;
  auto conn = t.engine.connect();
  auto tx = conn.begin();
  t.add(conn, "a");
  {
    auto sp = conn.begin_nested();
    CHECK_THROWS_AS(t.add(conn, "a"), IntegrityError);
    sp.rollback();
  }
  t.add(conn, "b");  // the transaction goes on
  tx.commit();
  CHECK(t.count() == 2);
}

TEST_CASE("close() gives the connection back, rolling back what is not committed") {
  Counter t;
  auto conn = t.engine.connect();
  auto tx = conn.begin();
  t.add(conn, "a");
  CHECK_FALSE(conn.closed());
  conn.close();
  CHECK(conn.closed());
  conn.close();  // twice is harmless
  CHECK_THROWS_WITH_AS(conn.execute(select(t.items.c("id"))), "[athanor.argument.closed] the connection is closed", ArgumentError);
  CHECK(t.count() == 0);
}

TEST_CASE("uncommitted work is invisible to another connection") {
  Counter t;
  if (test::shared_single_connection()) {
    MESSAGE("an in-memory SQLite engine shares one connection: there is no other connection to isolate from");
    return;
  }
  auto writer = t.engine.begin();
  t.add(writer, "a");
  CHECK(t.count() == 0);
  writer.commit();
  CHECK(t.count() == 1);
}

TEST_CASE("echo logs SQL and the parameter count, never values or the password") {
  std::vector<std::string> lines;
  std::mutex m;
  auto engine = test::engine({.echo = true, .echo_sink = [&](std::string_view s) {
                                std::lock_guard g(m);
                                lines.emplace_back(s);
                              }, .pool = {}});
  test::Schema s{.engine = engine, .md = {}};
  Table t{"secrets", s.md, Column{"id", Integer{}, primary_key}, Column{"word", String{50}}};
  s.create();
  auto conn = s.engine.connect();
  conn.execute(insert(t).values({{"id", 1}, {"word", "swordfish-value"}}));
  conn.execute(select(t.c("word")).where(t.c("word") == "swordfish-value").where(t.c("id") == 1));
  std::lock_guard g(m);
  bool insert_logged = false, select_logged = false;
  for (auto& line : lines) {
    CHECK(line.find("swordfish-value") == std::string::npos);
    if (!engine.url().password.empty()) CHECK(line.find(engine.url().password) == std::string::npos);
    if (line.find("INSERT INTO") != std::string::npos && line.find("secrets") != std::string::npos) {
      insert_logged = true;
      CHECK(line.find("[2 parameters]") != std::string::npos);
    }
    if (line.find("SELECT") != std::string::npos && line.find("word") != std::string::npos) {
      select_logged = true;
      CHECK(line.find("[2 parameters]") != std::string::npos);
    }
  }
  CHECK(insert_logged);
  CHECK(select_logged);
}

TEST_CASE("a statement is compiled once, however often it runs") {
  Counter t;
  auto conn = t.engine.connect();
  auto stmt = select(t.items.c("name")).where(t.items.c("id") == bindparam("id"));
  CHECK(stmt.node().cache.find(conn.dialect()) == nullptr);
  conn.execute(stmt, {{"id", 1}});
  const Compiled* first = stmt.node().cache.find(conn.dialect());
  REQUIRE(first != nullptr);
  conn.execute(stmt, {{"id", 2}});
  auto other = t.engine.connect();
  other.execute(stmt, {{"id", 3}});
  CHECK(stmt.node().cache.find(conn.dialect()) == first);
  // a derived statement is a new statement
  auto derived = stmt.limit(1);
  conn.execute(derived, {{"id", 1}});
  CHECK(derived.node().cache.find(conn.dialect()) != first);
}

TEST_CASE("a Core statement run in a loop binds each run's own values (the connection keeps its value vector)") {
  // run() assigns each execution's values into a vector kept on the connection: texts longer
  // and shorter than the last, NULLs, a parameter not given, a failed run (a duplicate key) and
  // a value over the size kept must all bind as given, and inserted_primary_key follow them.
  struct Notes : test::Schema {
    Table notes{"notes", md, Column{"id", Integer{}, primary_key}, Column{"body", Text{}}, Column{"tag", String{20}, unique}};
    Notes() { create(); }
  } t;
  auto conn = t.engine.connect();  // autocommit: a failed INSERT leaves no transaction to abort
  auto stmt = insert(t.notes).values({{"body", bindparam("body")}, {"tag", bindparam("tag")}});
  std::vector<std::pair<std::optional<std::string>, std::string>> rows;
  std::vector<std::int64_t> ids;
  auto add = [&](std::optional<std::string> body, std::string tag) {
    auto r = conn.execute(stmt, {{"body", body ? Value(*body) : Value()}, {"tag", tag}});
    ids.push_back(athanor::detail::from_value<std::int64_t>(r.inserted_primary_key().at(0)));
    rows.emplace_back(std::move(body), std::move(tag));
  };
  add(std::string(40, 'a'), "t1");
  add("b", "t2");
  // A bindparam not given binds its default (NULL here), not the value the last run bound.
  ids.push_back(athanor::detail::from_value<std::int64_t>(conn.execute(stmt, {{"tag", "t3"}}).inserted_primary_key().at(0)));
  rows.emplace_back(std::nullopt, "t3");
  add(std::nullopt, "t4");
  add(std::string(30000, 'c'), "t5");  // over what the connection keeps
  add(std::string(100, 'd'), "t6");
  CHECK_THROWS_AS(conn.execute(stmt, {{"body", "dup"}, {"tag", "t6"}}), IntegrityError);
  add("", "t7");
  add(std::string(16, 'e'), "t8");
  auto read = conn.execute(select(t.notes.c("id"), t.notes.c("body"), t.notes.c("tag")).order_by(t.notes.c("id")));
  REQUIRE(read.size() == rows.size());
  for (std::size_t i = 0; i < rows.size(); ++i) {
    CHECK(read.all()[i].get<std::int64_t>(0) == ids[i]);
    CHECK(read.all()[i].get<std::optional<std::string>>(1) == rows[i].first);
    CHECK(read.all()[i].get<std::string>(2) == rows[i].second);
  }
}

TEST_CASE("a statement is prepared once per connection") {
  Counter t;
  auto conn = t.engine.connect();
  auto stmt = insert(t.items).values({{"name", bindparam("n")}});
  conn.execute(stmt, {{"n", "a"}});
  const std::string& sql = stmt.node().cache.find(conn.dialect())->sql;
  auto* prepared = &conn.driver_connection().prepare(sql);
  conn.execute(stmt, {{"n", "b"}});
  conn.execute(stmt, {{"n", "c"}});
  CHECK(&conn.driver_connection().prepare(sql) == prepared);
  CHECK(t.count(conn) == 3);
}

TEST_CASE("a typed statement's remembered driver statement is prepared again once the driver dropped it") {
  // The connection keeps the driver statement a typed statement last ran as and takes it again
  // without the lookup by SQL text while the driver has finalized none of its statements.
  // Here 300 other statements push it out of the driver's cache (256 kept): it must be
  // prepared again, not run finalized (without the check, the second lookup ran a freed
  // statement). Then the table is dropped and made again between two executions.
  namespace orm = athanor::orm;
  using orm::c;
  using memo::Item;
  auto engine = test::engine();
  orm::Registry registry;
  registry.map<Item>();
  registry.metadata().drop_all(engine);
  registry.metadata().create_all(engine);
  {
    auto conn = engine.connect();
    conn.exec_driver_sql("INSERT INTO memo_items (id, name) VALUES (1, 'a'), (2, 'b'), (3, 'c')");
    auto name_of = [&](int id) {
      auto rows = conn.execute(orm::select(c<&Item::name>).where(c<&Item::id> == id));
      return rows.size() == 1 ? std::get<0>(rows[0]) : std::string("(" + std::to_string(rows.size()) + " rows)");
    };
    CHECK(name_of(1) == "a");
    CHECK(name_of(2) == "b");  // the remembered statement
    auto dropped = conn.driver_connection().statements_dropped();
    for (int k = 0; k < 300; ++k) conn.exec_driver_sql("SELECT " + std::to_string(k));
    if (dropped >= 0) CHECK(conn.driver_connection().statements_dropped() > dropped);
    CHECK(name_of(3) == "c");
    CHECK(name_of(1) == "a");
    // Whole rows (select<Item>) after a schema change between two executions.
    auto item = [&](int id) { return conn.execute(orm::select<Item>().where(c<&Item::id> == id)); };
    CHECK(item(2).one().name.get() == "b");
    registry.metadata().drop_all(engine);
    registry.metadata().create_all(engine);
    conn.exec_driver_sql("INSERT INTO memo_items (id, name) VALUES (2, 'z')");
    CHECK(item(2).one().name.get() == "z");
    CHECK(name_of(2) == "z");
    CHECK(name_of(1) == "(0 rows)");
  }
  registry.metadata().drop_all(engine);
}

TEST_CASE("PostgreSQL ?prepared_statements=false: statements run unnamed, none is prepared on the server") {
  if (test::backend() != "postgresql") {
    MESSAGE("prepared_statements is a PostgreSQL URL option");
    return;
  }
  Counter t;
  auto u = URL::parse(test::url());
  u.query["prepared_statements"] = "false";
  auto engine = create_engine(u.render(false));
  auto conn = engine.connect();
  auto stmt = insert(t.items).values({{"name", bindparam("n")}});
  conn.execute(stmt, {{"n", "a"}});
  conn.execute(stmt, {{"n", "b"}});
  CHECK(conn.execute_many(insert(t.items), {{{"name", "c"}}, {{"name", "d"}}, {{"name", "e"}}}).rowcount() == 3);
  // Parameters keep their declared types: 1.5 compared with an integer column is not cut to 1.
  CHECK(conn.execute(select(athanor::count()).select_from(t.items).where(t.items.c("id") > 1.5)).scalar_one<std::int64_t>() == 4);
  // A failure in the middle of a batch, then the connection goes on.
  CHECK_THROWS_AS(conn.execute_many(insert(t.items), {{{"name", "f"}}, {{"name", "a"}}, {{"name", "g"}}}), IntegrityError);
  CHECK(t.count(conn) == 5);
  CHECK(conn.exec_driver_sql("SELECT count(*) FROM pg_prepared_statements").scalar_one<std::int64_t>() == 0);
  // true prepares named statements (the same query shows them; behind a pooler it may run on
  // another server session than the statement, where none is prepared).
  if (!test::behind_pooler()) {
    u.query["prepared_statements"] = "true";
    auto named_engine = create_engine(u.render(false));
    auto named = named_engine.connect();
    named.execute(stmt, {{"n", "h"}});
    CHECK(named.exec_driver_sql("SELECT count(*) FROM pg_prepared_statements").scalar_one<std::int64_t>() > 0);
  }
  u.query["prepared_statements"] = "sometimes";
  CHECK_THROWS_WITH_AS(create_engine(u.render(false)).connect(),
                       "[athanor.argument.url] prepared_statements is true or false", ArgumentError);
}

#if ATHANOR_WITH_POSTGRESQL
TEST_CASE("PostgreSQL sends BEGIN with the transaction's first statement, nothing for a transaction that ran nothing") {
  if (test::backend() != "postgresql") {
    MESSAGE("round trips are counted with libpq's trace");
    return;
  }
  Counter t;
  auto conn = t.engine.connect();
  auto many = [&](std::vector<std::string> names) {
    std::vector<Params> sets;
    for (auto& n : names) sets.push_back({{"name", n}});
    return conn.execute_many(insert(t.items), sets);
  };
  t.add(conn, "warm");  // the statements are prepared before counting
  many({"w1", "w2"});
  // libpq's protocol trace: each round trip ends with the server's ReadyForQuery.
  std::FILE* f = std::tmpfile();
  REQUIRE(f);
  auto& pg = dynamic_cast<driver::postgresql::Connection&>(conn.driver_connection());
  pg.handle().trace(f);
  long seen = 0;
  auto round_trips = [&] {
    std::fflush(f);
    std::rewind(f);
    long n = 0;
    char line[4096];
    while (std::fgets(line, sizeof line, f))
      if (std::strstr(line, "ReadyForQuery")) ++n;
    long d = n - seen;
    seen = n;
    return d;
  };
  {
    auto tx = conn.begin();
    tx.commit();
  }
  CHECK(round_trips() == 0);
  {
    auto tx = conn.begin();
    tx.rollback();
  }
  CHECK(round_trips() == 0);
  {
    auto tx = conn.begin();
    t.add(conn, "a");
    CHECK(round_trips() == 1);  // BEGIN and the INSERT together
    tx.commit();
  }
  CHECK(round_trips() == 1);
  {
    auto tx = conn.begin(IsolationLevel::serializable);  // the level rides in the held-back BEGIN
    t.add(conn, "iso");
    CHECK(round_trips() == 1);
    tx.commit();
  }
  CHECK(round_trips() == 1);
  {
    auto tx = conn.begin();
    many({"b", "c", "d"});  // BEGIN at the head of the batch's pipeline
    tx.rollback();
  }
  CHECK(round_trips() == 2);
  {
    auto tx = conn.begin();
    auto sp = conn.begin_nested();  // "BEGIN; SAVEPOINT …" in one query
    t.add(conn, "e");
    sp.rollback();
    tx.commit();
  }
  CHECK(round_trips() == 4);
  // Errors surface as before: the first statement's own, then the aborted transaction's.
  {
    auto tx = conn.begin();
    CHECK_THROWS_AS(t.add(conn, "a"), IntegrityError);
    CHECK_THROWS_AS(t.add(conn, "z"), DatabaseError);
    CHECK(conn.in_transaction());
    tx.rollback();
  }
  {
    auto tx = conn.begin();
    CHECK_THROWS_AS(many({"y", "a"}), IntegrityError);
    tx.rollback();
  }
  pg.handle().trace(nullptr);
  std::fclose(f);
  CHECK(t.count(conn) == 5);  // warm, w1, w2, a, iso
}
#endif

TEST_CASE("Engine::to_string never shows the password") {
  auto engine = test::engine();
  auto s = engine.to_string();
  CHECK(s.rfind("Engine(" + engine.url().backend, 0) == 0);
  if (!engine.url().password.empty()) {
    CHECK(s.find(engine.url().password) == std::string::npos);
    CHECK(s.find(":***@") != std::string::npos);
  }
  CHECK(engine.url().render(false).find(engine.url().password) != std::string::npos);
}

TEST_CASE("exec_driver_sql runs SQL text as is") {
  Counter t;
  auto conn = t.engine.connect();
  conn.exec_driver_sql("INSERT INTO items (name) VALUES ('raw')");
  CHECK(conn.exec_driver_sql("SELECT name FROM items").scalar_one<std::string>() == "raw");
  CHECK(conn.exec_driver_sql("SELECT 40 + 2").scalar_one<int>() == 42);
  CHECK_THROWS_AS(conn.exec_driver_sql("SELECT * FROM no_such_table"), ProgrammingError);
  CHECK(conn.exec_driver_sql("DELETE FROM items").rowcount() == 1);
}

TEST_CASE("the driver's largest message: none in process, the server's own setting where it has one") {
  // The flush keeps each multi-row INSERT's values under it (test/orm/flush.cpp).
  auto engine = test::engine();
  auto conn = engine.connect();
  auto bytes = conn.driver_connection().max_message_bytes();
  if (engine.dialect().capabilities().in_process) {
    CHECK(bytes == 0);
  } else {
    CHECK(bytes >= 1024);
  }
  if (auto sql = test::max_message_sql(); !sql.empty()) {
    CHECK(bytes == static_cast<std::size_t>(conn.exec_driver_sql(sql).scalar_one<std::int64_t>()));
  }
  CHECK(conn.driver_connection().max_message_bytes() == bytes);  // read once, kept
}
