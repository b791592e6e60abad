// test/migrate/diff.cpp — autogenerate (issue 15, step 2): diff(models, database) lists the
// operations, render() writes them for the backend, apply() runs them, and then the diff is
// empty — the machine-checked property, for a sequence of model versions with rows kept across
// every step (a rename keeps its values). Also: create_all(M) then diff(M) is empty for a
// schema with every type and constraint (no spurious diff), drops are refused unless allowed,
// rename proposals, long names cut alike by create_all and the diff, and offline SQL per dialect.
#include "support/backend.hpp"
#include "support/printing.hpp"
#include "support/empty_database.hpp"

#include <athanor/dialect/mysql.hpp>
#include <athanor/dialect/postgresql.hpp>
#include <athanor/dialect/sqlite.hpp>
#include <athanor/migrate/diff.hpp>
#include <athanor/orm.hpp>

using namespace athanor;
namespace mg = athanor::migrate;

namespace {
using test::empty_database;

struct Versions {
  /// Version `v` of the models: each adds one change to the one before.
  static MetaData at(int v) {
    MetaData md;
    std::vector<Column> cols;
    cols.push_back(Column{"id", Integer{}, primary_key});
    cols.push_back(Column{"name", String{v >= 5 ? 50 : 20}, nullable(false)});
    if (v >= 7) cols.push_back(Column{"years", v >= 5 ? SqlType(BigInteger{}) : SqlType(Integer{}), renamed_from("age")});
    else cols.push_back(Column{"age", v >= 5 ? SqlType(BigInteger{}) : SqlType(Integer{})});
    if (v >= 3 && v < 8) cols.push_back(Column{"email", String{80}});
    if (v >= 4) cols.push_back(Column{"active", Boolean{}, nullable(false), server_default(true)});
    auto t = std::make_shared<detail::TableData>();
    t->name = "mg_users";
    for (auto& c : cols) t->columns.push_back(c.def());
    if (v >= 6 && v < 8) t->indexes.push_back(Index{"ix_mg_users_email", {"email"}});
    if (v >= 6) t->uniques.push_back(UniqueConstraint{{"name"}, ""});
    Table::finish(*t);
    md.add(t);
    if (v >= 2) {
      auto p = std::make_shared<detail::TableData>();
      p->name = "mg_posts";
      p->columns.push_back(Column{"id", Integer{}, primary_key}.def());
      p->columns.push_back(Column{"user_id", Integer{}}.def());
      p->columns.push_back(Column{"title", String{50}}.def());
      if (v >= 6) p->columns[1].foreign_keys.push_back(ForeignKey{"mg_users.id"});
      Table::finish(*p);
      md.add(p);
    }
    return md;
  }
};

std::vector<std::string> lines(const mg::Diff& d) { return d.describe(); }

/// Reads the users back as "name:age" lines, `age` the column holding it at that version.
std::vector<std::string> users_of(Engine& engine, const std::string& age) {
  std::vector<std::string> out;
  auto conn = engine.connect();
  auto result = conn.exec_driver_sql("SELECT name, " + age + " FROM mg_users ORDER BY id");
  for (auto& row : result.all())
    out.push_back(row.get<std::string>(0) + ":" + std::to_string(row.get<std::int64_t>(1)));
  return out;
}

/// diff, render, apply; then the diff must be empty. Returns the diff applied.
mg::Diff step(Engine& engine, const MetaData& md, const std::vector<std::string>& expected, mg::DiffOptions options = {}) {
  auto d = mg::diff(md, engine, options);
  CHECK(lines(d) == expected);
  auto script = mg::render(d, engine.dialect());
  INFO(script.text());
  auto conn = engine.connect();
  mg::apply(conn, script);
  conn.close();
  auto after = mg::diff(md, engine, options);
  CHECK(lines(after) == std::vector<std::string>{});
  return d;
}

// The same table in two versions of an ORM model: full_name was name.
struct MgPersonV1 {
  orm::Mapped<int> id;
  orm::Mapped<std::string> name;
  static void configure(orm::Mapper<MgPersonV1>& m) {
    m.column<&MgPersonV1::id>().primary_key();
    m.column<&MgPersonV1::name>().length(40);
  }
};
ATHANOR_MODEL(MgPersonV1, "mg_people", id, name)
struct MgPersonV2 {
  orm::Mapped<int> id;
  orm::Mapped<std::string> full_name;
  static void configure(orm::Mapper<MgPersonV2>& m) {
    m.column<&MgPersonV2::id>().primary_key();
    m.column<&MgPersonV2::full_name>().length(40).renamed_from("name");
  }
};
ATHANOR_MODEL(MgPersonV2, "mg_people", id, full_name)

}  // namespace

TEST_CASE("an ORM model's renamed_from: the diff renames the column and the rows keep their values") {
  Engine engine = test::engine();
  empty_database(engine);
  orm::Registry v1, v2;
  v1.map<MgPersonV1>();
  v2.map<MgPersonV2>();
  v1.metadata().create_all(engine);
  std::vector<std::string> names{"ann", "bob o'brien", "cy"};
  {
    orm::Session s(engine);
    for (auto& n : names) s.add(MgPersonV1{.name = n});
    s.commit();
  }
  step(engine, v2.metadata(), {"rename column mg_people.name -> full_name"});
  orm::Session s(engine);
  std::vector<std::string> got;
  for (auto& p : s.scalars(orm::select<MgPersonV2>().order_by(orm::c<&MgPersonV2::id>))) got.push_back(*p->full_name);
  CHECK(got == names);
}

TEST_CASE("model versions: each diff applied leaves nothing to diff, rows kept") {
  Engine engine = test::engine();
  empty_database(engine);
  {
    MetaData v1 = Versions::at(1);
    v1.create_all(engine);
    CHECK(lines(mg::diff(v1, engine)).empty());
    auto conn = engine.connect();
    conn.exec_driver_sql("INSERT INTO mg_users (name, age) VALUES ('ann', 30)");
    conn.exec_driver_sql("INSERT INTO mg_users (name, age) VALUES ('bob', 40)");
  }
  const std::vector<std::string> rows{"ann:30", "bob:40"};
  step(engine, Versions::at(2), {"create table mg_posts"});
  step(engine, Versions::at(3), {"add column mg_users.email"});
  step(engine, Versions::at(4), {"add column mg_users.active"});
  CHECK(users_of(engine, "active") == std::vector<std::string>{"ann:1", "bob:1"});  // the server default filled them
  step(engine, Versions::at(5), {"alter column mg_users.name: string(20) not null -> string(50) not null",
                                 "alter column mg_users.age: integer -> big_integer"});
  CHECK(users_of(engine, "age") == rows);
  step(engine, Versions::at(6), {"create index mg_users.ix_mg_users_email", "add unique mg_users.uq_mg_users_name",
                                 "add foreign key mg_posts.fk_mg_posts_user_id_mg_users"});
  CHECK(users_of(engine, "age") == rows);
  {
    // A row referring to a user: SQLite's rebuilds of mg_users below (DROP TABLE of a parent)
    // must run with foreign keys off, and leave the row and its reference valid.
    auto conn = engine.connect();
    conn.exec_driver_sql("INSERT INTO mg_posts (id, user_id, title) VALUES (1, 1, 'hello')");
  }
  step(engine, Versions::at(7), {"rename column mg_users.age -> years"});
  CHECK(users_of(engine, "years") == rows);  // a rename, not a drop and an add: the values stay

  // Dropping a column: refused (listed, never rendered) without allow_drop.
  auto refused = mg::diff(Versions::at(8), engine);
  CHECK(lines(refused) == std::vector<std::string>{"refused: drop column mg_users.email"});
  CHECK(refused.operations.empty());
  CHECK(mg::render(refused, engine.dialect()).empty());
  step(engine, Versions::at(8), {"drop index mg_users.ix_mg_users_email", "drop column mg_users.email"}, {.allow_drop = true});
  CHECK(users_of(engine, "years") == rows);
  {
    auto conn = engine.connect();
    auto r = conn.exec_driver_sql("SELECT count(*) FROM mg_posts p JOIN mg_users u ON u.id = p.user_id");
    CHECK(r.all().at(0).get<std::int64_t>(0) == 1);
  }

  // A dropped and an added column of one type: proposed as a rename; accepted, it is one.
  {
    MetaData v9 = Versions::at(8);
    auto t = v9.table_data("mg_users");
    for (auto& c : t->columns)
      if (c.name == "years") c.name = "age_years", c.renamed_from.clear();
    auto d = mg::diff(v9, engine);
    CHECK(lines(d) == std::vector<std::string>{"add column mg_users.age_years", "refused: drop column mg_users.years",
                                               "proposed: rename column mg_users.years -> age_years?"});
    step(engine, v9, {"rename column mg_users.years -> age_years"}, {.renames = d.proposed_renames});
    CHECK(users_of(engine, "age_years") == rows);
  }
  // Dropping a table: refused without the flag as well.
  {
    MetaData v1 = Versions::at(8);
    MetaData only_users;
    only_users.add(std::make_shared<detail::TableData>(*v1.table_data("mg_users")));
    auto t = only_users.table_data("mg_users");
    for (auto& c : t->columns)
      if (c.name == "years") c.name = "age_years";
    CHECK(lines(mg::diff(only_users, engine)) == std::vector<std::string>{"refused: drop table mg_posts"});
    step(engine, only_users, {"drop table mg_posts"}, {.allow_drop = true});
  }
  empty_database(engine);
}

TEST_CASE("create_all then diff: no spurious operation for every type and constraint") {
  Engine engine = test::engine();
  empty_database(engine);
  MetaData md;
  Table parents{"mg_parents", md,
                Column{"id", Integer{}, primary_key},
                Column{"code", String{20}, nullable(false), unique},
                Column{"name", String{50}, athanor::index},
                Column{"email", String{80}, unique, athanor::index}};
  Table types{"mg_types", md,
              Column{"id", BigInteger{}, primary_key},
              Column{"i", Integer{}, server_default(0)},
              Column{"bi", BigInteger{}, nullable(false)},
              Column{"si", SmallInteger{}},
              Column{"flag", Boolean{}, nullable(false), server_default(true)},  // MariaDB: TINYINT(1)
              Column{"f", Float{}},
              Column{"d", Double{}},
              Column{"price", Numeric{8, 2}, server_default(Decimal{"1.50"})},
              Column{"label", String{40}, server_default("it's new")},
              Column{"body", Text{}},
              Column{"data", LargeBinary{}},
              Column{"day", DateType{}},
              Column{"at", DateTimeType{}, server_default(now())},
              Column{"at_tz", DateTimeType{true}},
              Column{"clock", TimeType{}},
              Column{"doc", JsonType{}},
              Column{"uid", UuidType{}},
              Column{"status", Enum{"draft", "published"}, nullable(false), server_default("draft")},
              Column{"qty", Integer{}},
              Column{"parent_id", Integer{}, ForeignKey{"mg_parents.id", {.on_delete = Action::cascade}}},
              CheckConstraint{"qty >= 0 AND qty < 1000", "ck_mg_types_qty"},
              CheckConstraint{"si > 0", ""},  // unnamed: the convention names it (SQLite keeps no name otherwise)
              UniqueConstraint{{"label", "day"}, ""},
              Index{"ix_mg_types_multi", {"qty", "si"}}};
  md.create_all(engine);
  auto d = mg::diff(md, engine);
  CHECK(lines(d) == std::vector<std::string>{});
  empty_database(engine);
}

TEST_CASE("names longer than the backend keeps are cut alike by create_all and the diff") {
  Engine engine = test::engine();
  empty_database(engine);
  std::string long_table = "mg_a_table_with_a_rather_long_name_for_a_test_of_limits";
  MetaData md;
  Table parent{long_table, md, Column{"id", Integer{}, primary_key}};
  Table child{"mg_child", md, Column{"id", Integer{}, primary_key},
              Column{"the_reference_column_with_a_long_name", Integer{}, ForeignKey{long_table + ".id"}, athanor::index}};
  md.create_all(engine);
  CHECK(lines(mg::diff(md, engine)) == std::vector<std::string>{});
  std::string fk = detail::fit_identifier("fk_mg_child_the_reference_column_with_a_long_name_" + long_table, 63);
  CHECK(fk.size() == 63);
  CHECK(fk == detail::fit_identifier("fk_mg_child_the_reference_column_with_a_long_name_" + long_table, 63));  // deterministic
  empty_database(engine);
}

TEST_CASE("offline SQL per dialect, no connection") {
  MetaData before = Versions::at(4), after = Versions::at(5);
  const SqliteDialect sqlite;
  const PostgresqlDialect postgresql;
  const MysqlDialect mysql;
  auto d = mg::compare(after, before, postgresql);
  CHECK(mg::render(d, postgresql).text() ==
        "BEGIN;\n"
        "ALTER TABLE \"mg_users\" ALTER COLUMN \"name\" TYPE VARCHAR(50) USING \"name\"::VARCHAR(50);\n"
        "ALTER TABLE \"mg_users\" ALTER COLUMN \"age\" TYPE BIGINT USING \"age\"::BIGINT;\n"
        "COMMIT;\n");
  CHECK(mg::render(mg::compare(after, before, mysql), mysql).text() ==
        "ALTER TABLE `mg_users` MODIFY COLUMN `name` VARCHAR(50) NOT NULL;\n"
        "ALTER TABLE `mg_users` MODIFY COLUMN `age` BIGINT;\n");
  std::string lite = mg::render(mg::compare(after, before, sqlite), sqlite).text();
  CHECK(lite.rfind("PRAGMA foreign_keys=OFF;\nBEGIN;\nCREATE TABLE \"_athanor_new_mg_users\"", 0) == 0);
  CHECK(lite.find("INSERT INTO \"_athanor_new_mg_users\" (\"id\", \"name\", \"age\", \"email\", \"active\") SELECT \"id\", \"name\", \"age\", \"email\", \"active\" FROM \"mg_users\";\n"
                  "DROP TABLE \"mg_users\";\nALTER TABLE \"_athanor_new_mg_users\" RENAME TO \"mg_users\";\n"
                  "PRAGMA foreign_key_check(\"mg_users\");\nCOMMIT;\nPRAGMA foreign_keys=ON;\n") != std::string::npos);
}

namespace {
/// mg_alt and mg_alt_child at version `v` (1-3): nullability, server defaults, a CHECK, an Enum
/// column and its members, a foreign key dropped and added back.
MetaData alt_at(int v) {
  MetaData md;
  Table t{"mg_alt", md, Column{"id", Integer{}, primary_key},
          v == 2 ? Column{"qty", Integer{}, nullable(false), server_default(0)} : Column{"qty", Integer{}},
          v == 2 ? Column{"note", String{10}, server_default("x")} : Column{"note", String{10}}};
  if (v >= 2) {
    auto data = md.table_data("mg_alt");
    if (v == 2) data->checks.push_back(CheckConstraint{"qty >= 0", ""});
    data->columns.push_back(Column{"status", v == 2 ? Enum{"a", "b"} : Enum{"a", "b", "c"}, server_default("a")}.def());
  }
  Table c{"mg_alt_child", md, Column{"id", Integer{}, primary_key}, Column{"alt_id", Integer{}}};
  if (v != 2) md.table_data("mg_alt_child")->foreign_keys.push_back({{"alt_id"}, "mg_alt", {"id"}, {}});
  return md;
}
}  // namespace

TEST_CASE("alter nullability and default, CHECK and Enum members, foreign key dropped and added") {
  Engine engine = test::engine();
  empty_database(engine);
  MetaData v1 = alt_at(1);
  v1.create_all(engine);
  {
    auto conn = engine.connect();
    conn.exec_driver_sql("INSERT INTO mg_alt (id, qty, note) VALUES (1, 5, 'n')");
    conn.exec_driver_sql("INSERT INTO mg_alt_child (id, alt_id) VALUES (1, 1)");
  }
  step(engine, alt_at(2), {"drop foreign key mg_alt_child.fk_mg_alt_child_alt_id_mg_alt", "add column mg_alt.status",
                           "alter column mg_alt.qty: integer -> integer not null default 0",
                           "alter column mg_alt.note: string(10) -> string(10) default 'x'", "add check mg_alt.ck_mg_alt_1"});
  step(engine, alt_at(3), {"drop check mg_alt.ck_mg_alt_1", "alter column mg_alt.qty: integer not null default 0 -> integer",
                           "alter column mg_alt.note: string(10) default 'x' -> string(10)",
                           "alter column mg_alt.status: enum(1)[a,b] default 'a' -> enum(1)[a,b,c] default 'a'",
                           "add foreign key mg_alt_child.fk_mg_alt_child_alt_id_mg_alt"},
       {.allow_drop = true});
  auto conn = engine.connect();
  auto r = conn.exec_driver_sql("SELECT qty, note, status FROM mg_alt");
  REQUIRE(r.all().size() == 1);
  CHECK(r.all()[0].get<std::int64_t>(0) == 5);
  CHECK(r.all()[0].get<std::string>(1) == "n");
  CHECK(r.all()[0].get<std::string>(2) == "a");  // the default the added column gave the row
  conn.close();
  empty_database(engine);
}

TEST_CASE("the README example") {
  Engine engine = test::engine();
  empty_database(engine);
  {
    MetaData v1;
    Table users{"users", v1, Column{"id", Integer{}, primary_key}, Column{"name", String{20}, nullable(false)},
                Column{"age", Integer{}}};
    v1.create_all(engine);
  }
  MetaData md;
  Table users{"users", md,
              Column{"id", Integer{}, primary_key},
              Column{"name", String{50}, nullable(false), unique},
              Column{"years", BigInteger{}, renamed_from("age")},
              Column{"active", Boolean{}, nullable(false), server_default(true)}};
  step(engine, md, {"rename column users.age -> years", "add column users.active",
                    "alter column users.name: string(20) not null -> string(50) not null",
                    "alter column users.years: integer -> big_integer", "add unique users.uq_users_name"});
  empty_database(engine);
}
