// test/engine/errors.cpp — typed exceptions with their messages (STYLE.md rule 11): what the
// database reports maps to ProgrammingError / IntegrityError / OperationalError with a stable
// id; after an error the database is unchanged and the connection still usable.
#include "support/backend.hpp"
#include "support/requirements.hpp"

using namespace athanor;

namespace {

struct Shop : test::Schema {
  Table users{"users", md, Column{"id", Integer{}, primary_key}, Column{"name", String{50}, nullable(false), unique}};
  Table orders{"orders", md, Column{"id", Integer{}, primary_key},
               Column{"user_id", Integer{}, nullable(false), ForeignKey{"users.id"}},
               Column{"amount", Integer{}, nullable(false)}, CheckConstraint{"amount > 0", "ck_orders_amount"}};
  Connection conn = (create(), engine.connect());
  Shop() {
    conn.execute(insert(users).values({{"id", 1}, {"name", "ann"}}));
    conn.execute(insert(orders).values({{"id", 1}, {"user_id", 1}, {"amount", 5}}));
  }
  /// (users, orders) row counts and ann's name: what must not change after a failure.
  std::tuple<std::int64_t, std::int64_t, std::string> snapshot() {
    return {*conn.execute(select(count()).select_from(users)).scalar<std::int64_t>(),
            *conn.execute(select(count()).select_from(orders)).scalar<std::int64_t>(),
            conn.execute(select(users.c("name")).where(users.c("id") == 1)).scalar_one<std::string>()};
  }
  /// The connection still works: a write and a read.
  void still_usable() {
    int id = 50 + ++probes;
    conn.execute(insert(users).values({{"id", id}, {"name", "usable" + std::to_string(id)}}));
    CHECK(conn.execute(select(users.c("name")).where(users.c("id") == id)).scalar_one<std::string>() == "usable" + std::to_string(id));
  }
  int probes = 0;
};

bool contains(const std::string& s, std::string_view part) { return s.find(part) != std::string::npos; }

}  // namespace

TEST_CASE("an unknown table is a ProgrammingError naming it") {
  Shop s;
  CHECK_THROWS_WITH_AS(s.conn.exec_driver_sql("SELECT * FROM no_such_table"), doctest::Contains("[athanor.programming]"),
                       ProgrammingError);
  auto msg = test::error_message([&] { s.conn.execute(text("SELECT * FROM no_such_table WHERE id = :id"), {{"id", 1}}); });
  CHECK(contains(msg, "[athanor.programming]"));
  CHECK(contains(msg, "no_such_table"));
  s.still_usable();
}

TEST_CASE("an unknown column is a ProgrammingError naming it") {
  Shop s;
  auto msg = test::error_message([&] { s.conn.exec_driver_sql("SELECT no_such_column FROM users"); });
  CHECK(contains(msg, "[athanor.programming]"));
  CHECK(contains(msg, "no_such_column"));
  CHECK_THROWS_AS(s.conn.exec_driver_sql("UPDATE users SET no_such_column = 1"), ProgrammingError);
  s.still_usable();
}

TEST_CASE("a syntax error is a ProgrammingError") {
  Shop s;
  CHECK_THROWS_WITH_AS(s.conn.exec_driver_sql("SELEC 1"), doctest::Contains("[athanor.programming]"), ProgrammingError);
  s.still_usable();
}

TEST_CASE("a unique violation is an IntegrityError naming the table and column") {
  Shop s;
  auto before = s.snapshot();
  auto msg = test::error_message([&] { s.conn.execute(insert(s.users).values({{"id", 2}, {"name", "ann"}})); });
  CHECK(msg.rfind("[athanor.integrity.unique] ", 0) == 0);
  CHECK(contains(msg, "users"));
  CHECK(contains(msg, "name"));
  CHECK_THROWS_AS(s.conn.execute(insert(s.users).values({{"id", 1}, {"name", "other"}})), IntegrityError);  // primary key
  CHECK(s.snapshot() == before);
  s.still_usable();
}

TEST_CASE("a NOT NULL violation is an IntegrityError naming the column") {
  Shop s;
  auto before = s.snapshot();
  auto msg = test::error_message([&] { s.conn.execute(insert(s.users).values({{"id", 2}, {"name", null}})); });
  CHECK(msg.rfind("[athanor.integrity.not_null] ", 0) == 0);
  CHECK(contains(msg, "name"));
  CHECK_THROWS_WITH_AS(s.conn.execute(update(s.users).values({{"name", null}})), doctest::Contains("[athanor.integrity.not_null]"),
                       IntegrityError);
  CHECK(s.snapshot() == before);
  s.still_usable();
}

TEST_CASE("a foreign key violation is an IntegrityError") {
  Shop s;
  auto before = s.snapshot();
  CHECK_THROWS_WITH_AS(s.conn.execute(insert(s.orders).values({{"id", 2}, {"user_id", 99}, {"amount", 1}})),
                       doctest::Contains("[athanor.integrity.foreign_key]"), IntegrityError);
  CHECK_THROWS_WITH_AS(s.conn.execute(delete_(s.users).where(s.users.c("id") == 1)), doctest::Contains("[athanor.integrity.foreign_key]"),
                       IntegrityError);
  CHECK(s.snapshot() == before);
  s.still_usable();
}

TEST_CASE("a check violation is an IntegrityError naming the constraint") {
  Shop s;
  if (!test::caps().check_constraints) {
    MESSAGE("this dialect does not enforce CHECK constraints");
    return;
  }
  auto before = s.snapshot();
  auto msg = test::error_message([&] { s.conn.execute(insert(s.orders).values({{"id", 2}, {"user_id", 1}, {"amount", 0}})); });
  CHECK(msg.rfind("[athanor.integrity.check] ", 0) == 0);
  CHECK(contains(msg, "ck_orders_amount"));
  CHECK(s.snapshot() == before);
  s.still_usable();
}

TEST_CASE("every database error is a DatabaseError and an athanor::Error") {
  Shop s;
  CHECK_THROWS_AS(s.conn.execute(insert(s.users).values({{"id", 1}, {"name", "x"}})), DatabaseError);
  CHECK_THROWS_AS(s.conn.execute(insert(s.users).values({{"id", 1}, {"name", "x"}})), Error);
  CHECK_THROWS_AS(s.conn.exec_driver_sql("SELECT * FROM no_such_table"), DatabaseError);
  CHECK_THROWS_AS(s.conn.exec_driver_sql("SELECT * FROM no_such_table"), std::runtime_error);
}

TEST_CASE("an error inside a transaction: rollback restores the database, the connection goes on") {
  Shop s;
  auto before = s.snapshot();
  {
    auto tx = s.conn.begin();
    s.conn.execute(update(s.users).values({{"name", "changed"}}));
    CHECK_THROWS_AS(s.conn.execute(insert(s.orders).values({{"id", 2}, {"user_id", 99}, {"amount", 1}})), IntegrityError);
    tx.rollback();
  }
  CHECK(s.snapshot() == before);
  s.still_usable();
  {
    auto tx = s.conn.begin();
    CHECK_THROWS_AS(s.conn.exec_driver_sql("SELECT * FROM no_such_table"), ProgrammingError);
  }  // rolled back at scope end
  CHECK_FALSE(s.conn.in_transaction());
  s.still_usable();
}

TEST_CASE("argument errors carry the same full message on every backend") {
  Shop s;
  CHECK_THROWS_WITH_AS(s.conn.execute(text("SELECT * FROM users WHERE id = :id")),
                       "[athanor.argument.missing_param] no value for the parameter :id", ArgumentError);
  CHECK_THROWS_WITH_AS(s.conn.execute(select(s.users.c("id")).where(s.users.c("id") == 1)).one().get<int>("nope"),
                       "[athanor.argument.unknown_column] the result has no column 'nope'", ArgumentError);
  CHECK_THROWS_WITH_AS(s.users.c("nope"), "[athanor.argument.unknown_column] table users has no column 'nope'", ArgumentError);
  CHECK_THROWS_WITH_AS(insert(s.users).values({{"nope", 1}}), "[athanor.argument.unknown_column] table users has no column 'nope'",
                       ArgumentError);
  CHECK_THROWS_WITH_AS(s.conn.execute(select()), "[athanor.argument.select] select() has no columns", ArgumentError);
}

TEST_CASE("SELECT … FOR UPDATE where the dialect has row locks, else an ArgumentError naming the dialect") {
  Shop s;
  auto stmt = select(s.users.c("name")).where(s.users.c("id") == 1).with_for_update();
  if (!test::caps().for_update) {
    CHECK_THROWS_WITH_AS(s.conn.execute(stmt),
                         ("[athanor.argument.unsupported] " + std::string(s.engine.dialect().display_name()) +
                          " has no SELECT … FOR UPDATE; remove with_for_update(); writers lock the whole database")
                             .c_str(),
                         ArgumentError);
    return;
  }
  auto tx = s.conn.begin();
  CHECK(s.conn.execute(stmt).scalar_one<std::string>() == "ann");
}

TEST_CASE("a database that cannot be reached is an OperationalError without the password") {
  auto engine = create_engine(test::unreachable_url());
  auto msg = test::error_message([&] { auto c = engine.connect(); c.exec_driver_sql("SELECT 1"); });
  CHECK(msg.rfind("[athanor.operational", 0) == 0);
  if (!engine.url().password.empty()) CHECK_FALSE(contains(msg, engine.url().password));
  CHECK_THROWS_AS((void)engine.connect().exec_driver_sql("SELECT 1"), OperationalError);
}
