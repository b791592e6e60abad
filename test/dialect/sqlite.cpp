// test/dialect/sqlite.cpp — the SQL text SqliteDialect gives, with no database: quoting,
// SELECT in every form, LIMIT -1 OFFSET, INSERT / upsert / RETURNING, UPDATE, DELETE, text(),
// DDL of every column option and constraint, and what SQLite refuses (FOR UPDATE).
#include <limits>  // std::numeric_limits

#include <doctest/doctest.h>

#include <athanor/core.hpp>
#include <athanor/dialect/sqlite.hpp>

using namespace athanor;

namespace {

const SqliteDialect dialect;

template <class S>
Compiled compile(const S& stmt) {
  return Compiler(dialect).compile(stmt.node());
}
template <class S>
std::string sql(const S& stmt) {
  return compile(stmt).sql;
}

struct Schema {
  MetaData md;
  Table users{"users", md,
              Column{"id", Integer{}, primary_key},
              Column{"name", String{50}, nullable(false), unique},
              Column{"age", Integer{}},
              Column{"manager_id", Integer{}}};
  Table posts{"posts", md,
              Column{"id", Integer{}, primary_key},
              Column{"user_id", Integer{}, ForeignKey{"users.id"}},
              Column{"title", String{100}}};
  Expr id() const { return users.c("id"); }
  Expr name() const { return users.c("name"); }
  Expr age() const { return users.c("age"); }
};

std::string ddl(const Table& t) { return sql(create_table(t)); }

}  // namespace

TEST_CASE("identifiers are double-quoted, an embedded quote doubled, NUL refused") {
  std::string out;
  dialect.quote(out, "we\"ird name");
  CHECK(out == "\"we\"\"ird name\"");
  out.clear();
  dialect.quote(out, "Robert\"); DROP TABLE x;--");
  CHECK(out == "\"Robert\"\"); DROP TABLE x;--\"");
  CHECK_THROWS_WITH_AS(dialect.quote(out, std::string_view("a\0b", 3)),
                       "[athanor.argument.identifier] an identifier is empty or contains a NUL byte", ArgumentError);
  CHECK_THROWS_WITH_AS(dialect.quote(out, ""), "[athanor.argument.identifier] an identifier is empty or contains a NUL byte",
                       ArgumentError);
  MetaData md;
  Table hostile{"t\"x", md, Column{"c\"ol", Integer{}}};
  CHECK(sql(select(hostile)) == R"(SELECT "t""x"."c""ol" FROM "t""x")");
}

TEST_CASE("SELECT with WHERE, operators and bound values") {
  Schema s;
  auto c = compile(select(s.name()).where(s.age() > 30 && (s.name() == "ann" || !(s.id() < 3))));
  CHECK(c.sql == R"(SELECT "users"."name" FROM "users" WHERE ("users"."age" > ?) AND (("users"."name" = ?) OR (NOT ("users"."id" < ?))))");
  REQUIRE(c.params.size() == 3);
  CHECK(c.params[0].value == Value(30));
  CHECK(c.params[1].value == Value("ann"));
  CHECK(c.params[2].value == Value(3));
  CHECK(sql(select(s.age() + 1, s.age() * 2 - 3, -s.age())) ==
        R"(SELECT "users"."age" + ?, ("users"."age" * ?) - ?, -"users"."age" FROM "users")");
  CHECK(sql(select(s.id()).where(s.id() > 1).where(s.id() < 5)) ==
        R"(SELECT "users"."id" FROM "users" WHERE ("users"."id" > ?) AND ("users"."id" < ?))");
}

TEST_CASE("NULL comparisons, IN, BETWEEN, LIKE") {
  Schema s;
  CHECK(sql(select(s.id()).where(s.age() == null)) == R"(SELECT "users"."id" FROM "users" WHERE "users"."age" IS NULL)");
  CHECK(sql(select(s.id()).where(s.age() != null)) == R"(SELECT "users"."id" FROM "users" WHERE "users"."age" IS NOT NULL)");
  CHECK(sql(select(s.id()).where(s.age().is_(null))) == R"(SELECT "users"."id" FROM "users" WHERE "users"."age" IS NULL)");
  CHECK(sql(select(s.id()).where(s.id().in_({1, 2}))) == R"(SELECT "users"."id" FROM "users" WHERE "users"."id" IN (SELECT value FROM json_each(?)))");
  CHECK(sql(select(s.id()).where(s.id().not_in({1}))) == R"(SELECT "users"."id" FROM "users" WHERE "users"."id" NOT IN (SELECT value FROM json_each(?)))");
  // One SQL text (one prepared statement) whatever the list's length; the values travel as one array.
  std::vector<athanor::Expr> many;
  for (int i = 0; i < 500; ++i) many.push_back(i);
  CHECK(sql(select(s.id()).where(s.id().in_(many))) == sql(select(s.id()).where(s.id().in_({7}))));
  CHECK(sql(select(s.id()).where(s.id().in_({}))) == R"(SELECT "users"."id" FROM "users" WHERE 1 = 0)");
  CHECK(sql(select(s.id()).where(s.id().not_in({}))) == R"(SELECT "users"."id" FROM "users" WHERE 1 = 1)");
  CHECK(sql(select(s.id()).where(s.id().in_(select(s.posts.c("user_id"))))) ==
        R"(SELECT "users"."id" FROM "users" WHERE "users"."id" IN (SELECT "posts"."user_id" FROM "posts"))");
  CHECK(sql(select(s.id()).where(s.age().between(1, 9))) == R"(SELECT "users"."id" FROM "users" WHERE "users"."age" BETWEEN ? AND ?)");
  CHECK(sql(select(s.id()).where(s.name().like("a%"))) == R"(SELECT "users"."id" FROM "users" WHERE "users"."name" LIKE ?)");
  CHECK(sql(select(s.id()).where(s.name().like("a!%%", '!'))) ==
        R"(SELECT "users"."id" FROM "users" WHERE "users"."name" LIKE ? ESCAPE ?)");
  CHECK(sql(select(s.id()).where(s.name().not_like("a%"))) == R"(SELECT "users"."id" FROM "users" WHERE "users"."name" NOT LIKE ?)");
  // no ILIKE in SQLite: lower() on both sides
  CHECK(sql(select(s.id()).where(s.name().ilike("A%"))) ==
        R"(SELECT "users"."id" FROM "users" WHERE lower("users"."name") LIKE lower(?))");
}

TEST_CASE("concatenation, functions, CASE, CAST, labels") {
  Schema s;
  CHECK(sql(select(s.name() + "!")) == R"(SELECT "users"."name" || ? FROM "users")");
  CHECK(sql(select(concat(s.name(), s.name()))) == R"(SELECT "users"."name" || "users"."name" FROM "users")");
  CHECK(sql(select(count(), count(s.age()), count_distinct(s.age()), sum(s.age()), avg(s.age()), min(s.age()), max(s.age())).select_from(s.users)) ==
        R"(SELECT count(*), count("users"."age"), count(DISTINCT "users"."age"), sum("users"."age"), avg("users"."age"), min("users"."age"), max("users"."age") FROM "users")");
  CHECK(sql(select(lower(s.name()), upper(s.name()), length(s.name()), coalesce(s.age(), 0))) ==
        R"(SELECT lower("users"."name"), upper("users"."name"), length("users"."name"), coalesce("users"."age", ?) FROM "users")");
  CHECK(sql(select(now())) == "SELECT CURRENT_TIMESTAMP");
  CHECK(sql(select(case_({{s.age() < 18, literal("minor")}}, literal("adult")).label("kind"))) ==
        R"(SELECT CASE WHEN "users"."age" < ? THEN ? ELSE ? END AS "kind" FROM "users")");
  CHECK(sql(select(cast(s.age(), String{10}))) == R"(SELECT CAST("users"."age" AS VARCHAR(10)) FROM "users")");
  CHECK(sql(select(func("julianday", s.name()))) == R"(SELECT julianday("users"."name") FROM "users")");
  CHECK_THROWS_WITH_AS(sql(select(func("x); DROP TABLE users; --", s.name()))),
                       "[athanor.argument.function] 'x); DROP TABLE users; --' is not a function name", ArgumentError);
}

TEST_CASE("joins, aliases, subqueries, exists") {
  Schema s;
  auto on = s.id() == s.posts.c("user_id");
  CHECK(sql(select(s.name(), s.posts.c("title")).join(s.posts, on)) ==
        R"(SELECT "users"."name", "posts"."title" FROM "users" JOIN "posts" ON "users"."id" = "posts"."user_id")");
  CHECK(sql(select(s.name()).outerjoin(s.posts, on)) ==
        R"(SELECT "users"."name" FROM "users" LEFT OUTER JOIN "posts" ON "users"."id" = "posts"."user_id")");
  CHECK(sql(select(s.name()).full_outerjoin(s.posts, on)) ==
        R"(SELECT "users"."name" FROM "users" FULL OUTER JOIN "posts" ON "users"."id" = "posts"."user_id")");
  auto boss = s.users.alias("boss");
  CHECK(sql(select(s.name(), boss.c("name")).join(boss, s.users.c("manager_id") == boss.c("id"))) ==
        R"(SELECT "users"."name", "boss"."name" FROM "users" JOIN "users" AS "boss" ON "users"."manager_id" = "boss"."id")");
  auto sq = select(s.posts.c("user_id"), count().label("n")).group_by(s.posts.c("user_id")).subquery("per_user");
  CHECK(sql(select(sq.c("n")).where(sq.c("n") > 1)) ==
        R"(SELECT "per_user"."n" FROM (SELECT "posts"."user_id", count(*) AS "n" FROM "posts" GROUP BY "posts"."user_id") AS "per_user" WHERE "per_user"."n" > ?)");
  CHECK(sql(select(s.name()).where(exists(select(s.posts.c("id")).where(s.posts.c("user_id") == s.id())))) ==
        R"(SELECT "users"."name" FROM "users" WHERE EXISTS (SELECT "posts"."id" FROM "posts" WHERE "posts"."user_id" = "users"."id"))");
  auto n = select(count()).select_from(s.posts).where(s.posts.c("user_id") == s.id()).scalar_subquery();
  CHECK(sql(select(s.name(), n.label("n"))) ==
        R"(SELECT "users"."name", (SELECT count(*) FROM "posts" WHERE "posts"."user_id" = "users"."id") AS "n" FROM "users")");
}

TEST_CASE("CTEs, recursive CTEs, compounds") {
  Schema s;
  auto adults = select(s.id(), s.name()).where(s.age() >= 18).cte("adults");
  CHECK(sql(select(adults.c("name"))) ==
        R"(WITH "adults" ("id", "name") AS (SELECT "users"."id", "users"."name" FROM "users" WHERE "users"."age" >= ?) SELECT "adults"."name" FROM "adults")");
  auto t = select(literal(1).label("n")).cte("t", true);
  t = t.union_all(select((t.c("n") + 1).label("n")).where(t.c("n") < 5));
  CHECK(sql(select(t.c("n"))) ==
        R"(WITH RECURSIVE "t" ("n") AS (SELECT ? AS "n" UNION ALL SELECT "t"."n" + ? AS "n" FROM "t" WHERE "t"."n" < ?) SELECT "t"."n" FROM "t")");
  auto a = select(s.name()).where(s.id() < 2), b = select(s.name()).where(s.id() > 3);
  CHECK(sql(a.union_(b)) ==
        R"(SELECT "users"."name" FROM "users" WHERE "users"."id" < ? UNION SELECT "users"."name" FROM "users" WHERE "users"."id" > ?)");
  CHECK(sql(a.union_all(b).intersect(a).except_(b)) ==
        R"(SELECT "users"."name" FROM "users" WHERE "users"."id" < ? UNION ALL SELECT "users"."name" FROM "users" WHERE "users"."id" > ? INTERSECT SELECT "users"."name" FROM "users" WHERE "users"."id" < ? EXCEPT SELECT "users"."name" FROM "users" WHERE "users"."id" > ?)");
  // ORDER BY of a compound names result columns, unqualified
  CHECK(sql(a.union_(b).order_by(s.name().desc()).limit(3)) ==
        R"(SELECT "users"."name" FROM "users" WHERE "users"."id" < ? UNION SELECT "users"."name" FROM "users" WHERE "users"."id" > ? ORDER BY "name" DESC LIMIT ?)");
}

TEST_CASE("GROUP BY, HAVING, ORDER BY with NULLS FIRST/LAST, DISTINCT") {
  Schema s;
  CHECK(sql(select(s.age(), count()).group_by(s.age()).having(count() > 1)) ==
        R"(SELECT "users"."age", count(*) FROM "users" GROUP BY "users"."age" HAVING count(*) > ?)");
  CHECK(sql(select(s.name()).order_by(s.age().desc().nulls_last(), s.name())) ==
        R"(SELECT "users"."name" FROM "users" ORDER BY "users"."age" DESC NULLS LAST, "users"."name")");
  CHECK(sql(select(s.name()).order_by(s.age().nulls_first())) ==
        R"(SELECT "users"."name" FROM "users" ORDER BY "users"."age" NULLS FIRST)");
  CHECK(sql(select(s.name()).distinct()) == R"(SELECT DISTINCT "users"."name" FROM "users")");
}

TEST_CASE("LIMIT and OFFSET; OFFSET without LIMIT is LIMIT -1 OFFSET") {
  Schema s;
  CHECK(sql(select(s.id()).limit(10)) == R"(SELECT "users"."id" FROM "users" LIMIT ?)");
  CHECK(sql(select(s.id()).limit(10).offset(20)) == R"(SELECT "users"."id" FROM "users" LIMIT ? OFFSET ?)");
  CHECK(sql(select(s.id()).offset(20)) == R"(SELECT "users"."id" FROM "users" LIMIT -1 OFFSET ?)");
}

TEST_CASE("SELECT … FOR UPDATE is an ArgumentError naming SQLite") {
  Schema s;
  CHECK_THROWS_WITH_AS(sql(select(s.id()).with_for_update()),
                       "[athanor.argument.unsupported] SQLite has no SELECT … FOR UPDATE; remove with_for_update(); writers lock the whole database",
                       ArgumentError);
}

TEST_CASE("INSERT: one row, several rows, DEFAULT VALUES, from a select, RETURNING") {
  Schema s;
  auto c = compile(insert(s.users).values({{"name", "ann"}, {"age", 3}}));
  CHECK(c.sql == R"(INSERT INTO "users" ("name", "age") VALUES (?, ?))");
  CHECK(c.params.size() == 2);
  CHECK(sql(insert(s.users).values_list({{{"name", "a"}}, {{"name", "b"}}})) == R"(INSERT INTO "users" ("name") VALUES (?), (?))");
  CHECK(sql(insert(s.users)) == R"(INSERT INTO "users" DEFAULT VALUES)");
  CHECK(sql(insert(s.posts).from_select({"user_id", "title"}, select(s.id(), s.name()).where(s.age() > 1))) ==
        R"(INSERT INTO "posts" ("user_id", "title") SELECT "users"."id", "users"."name" FROM "users" WHERE "users"."age" > ?)");
  CHECK(sql(insert(s.users).values({{"name", "a"}}).returning(s.id(), s.name())) ==
        R"(INSERT INTO "users" ("name") VALUES (?) RETURNING "users"."id", "users"."name")");
  CHECK(sql(insert(s.users).values({{"name", bindparam("n")}})) == R"(INSERT INTO "users" ("name") VALUES (?))");
  CHECK_THROWS_WITH_AS(insert(s.users).values_list({}), "[athanor.argument.values] insert into users: no rows given", ArgumentError);
}

TEST_CASE("upsert: ON CONFLICT DO UPDATE with excluded, DO NOTHING") {
  Schema s;
  CHECK(sql(insert(s.users).values({{"name", "a"}, {"age", 1}}).on_conflict_do_update({"name"}, {{"age", s.age() + excluded("age")}})) ==
        R"(INSERT INTO "users" ("name", "age") VALUES (?, ?) ON CONFLICT ("name") DO UPDATE SET "age" = "users"."age" + excluded."age")");
  CHECK(sql(insert(s.users).values({{"name", "a"}}).on_conflict_do_nothing({"name"})) ==
        R"(INSERT INTO "users" ("name") VALUES (?) ON CONFLICT ("name") DO NOTHING)");
  CHECK(sql(insert(s.users).values({{"name", "a"}}).on_conflict_do_nothing()) == R"(INSERT INTO "users" ("name") VALUES (?) ON CONFLICT DO NOTHING)");
  CHECK_THROWS_WITH_AS(sql(insert(s.users).values({{"name", "a"}}).on_conflict_do_update({}, {{"age", 1}})),
                       "[athanor.argument.upsert] on_conflict_do_update needs the conflicting columns", ArgumentError);
  // Only excluded() makes an excluded.column; a function a user names so is an ordinary call.
  CHECK(sql(select(func("__excluded"))) == "SELECT __excluded()");
  CHECK(sql(select(func("__excluded", s.age() + 1))) == R"(SELECT __excluded("users"."age" + ?) FROM "users")");
}

TEST_CASE("UPDATE and DELETE, with RETURNING") {
  Schema s;
  CHECK(sql(update(s.users).where(s.id() == 1).values({{"age", s.age() + 1}, {"name", "x"}})) ==
        R"(UPDATE "users" SET "age" = "users"."age" + ?, "name" = ? WHERE "users"."id" = ?)");
  CHECK(sql(update(s.users).values({{"age", 0}}).returning(s.id())) == R"(UPDATE "users" SET "age" = ? RETURNING "users"."id")");
  CHECK(sql(delete_(s.users).where(s.name() == "a")) == R"(DELETE FROM "users" WHERE "users"."name" = ?)");
  CHECK(sql(delete_(s.users).returning(s.name())) == R"(DELETE FROM "users" RETURNING "users"."name")");
}

TEST_CASE("text(): :name becomes a placeholder; quotes, :: and \\: stay") {
  auto c = compile(text("SELECT * FROM t WHERE a = :a AND b = ':not' AND c = :c_2 AND d::text = '1' AND e = \\:lit"));
  CHECK(c.sql == "SELECT * FROM t WHERE a = ? AND b = ':not' AND c = ? AND d::text = '1' AND e = :lit");
  REQUIRE(c.params.size() == 2);
  CHECK(c.params[0].name == "a");
  CHECK(c.params[1].name == "c_2");
  CHECK(c.params[0].required);
  auto bound = compile(text("SELECT :x").bindparams({{"x", 5}}));
  CHECK(bound.params[0].value == Value(5));
  CHECK_FALSE(bound.params[0].required);
}

TEST_CASE("DDL: column types") {
  MetaData md;
  Table t{"types", md, Column{"i", Integer{}}, Column{"bi", BigInteger{}}, Column{"si", SmallInteger{}}, Column{"b", Boolean{}},
          Column{"f", Float{}}, Column{"d", Double{}}, Column{"n", Numeric{12, 2}}, Column{"s", String{20}}, Column{"s0", String{}},
          Column{"t", Text{}}, Column{"bin", LargeBinary{}}, Column{"day", DateType{}}, Column{"ts", DateTimeType{}},
          Column{"tz", DateTimeType{true}}, Column{"tod", TimeType{}}, Column{"j", JsonType{}}, Column{"u", UuidType{}}};
  CHECK(ddl(t) ==
        R"(CREATE TABLE "types" ("i" INTEGER, "bi" BIGINT, "si" SMALLINT, "b" BOOLEAN, "f" REAL, "d" DOUBLE, "n" NUMERIC(12, 2), )"
        R"("s" VARCHAR(20), "s0" VARCHAR, "t" TEXT, "bin" BLOB, "day" DATE, "ts" DATETIME, "tz" DATETIME, "tod" TIME, "j" TEXT, "u" CHAR(36)))");
}

TEST_CASE("DDL: primary keys and autoincrement") {
  MetaData md;
  Table a{"a", md, Column{"id", Integer{}, primary_key}};
  CHECK(ddl(a) == R"(CREATE TABLE "a" ("id" INTEGER NOT NULL, PRIMARY KEY ("id")))");
  // a BigInteger autoincrement key must be declared INTEGER to be SQLite's rowid alias
  Table b{"b", md, Column{"id", BigInteger{}, primary_key}};
  CHECK(ddl(b) == R"(CREATE TABLE "b" ("id" INTEGER NOT NULL, PRIMARY KEY ("id")))");
  Table c{"c", md, Column{"id", BigInteger{}, primary_key, autoincrement(false)}};
  CHECK(ddl(c) == R"(CREATE TABLE "c" ("id" BIGINT NOT NULL, PRIMARY KEY ("id")))");
  Table d{"d", md, Column{"x", Integer{}}, Column{"y", Integer{}}, PrimaryKeyConstraint{{"x", "y"}}};
  CHECK(ddl(d) == R"(CREATE TABLE "d" ("x" INTEGER NOT NULL, "y" INTEGER NOT NULL, PRIMARY KEY ("x", "y")))");
  CHECK(sql(create_table(a, true)) == R"(CREATE TABLE IF NOT EXISTS "a" ("id" INTEGER NOT NULL, PRIMARY KEY ("id")))");
  CHECK(sql(drop_table(a)) == R"(DROP TABLE "a")");
  CHECK(sql(drop_table(a, true)) == R"(DROP TABLE IF EXISTS "a")");
}

TEST_CASE("DDL: nullable, unique, server defaults") {
  MetaData md;
  Table t{"t", md, Column{"id", Integer{}, primary_key}, Column{"name", String{50}, nullable(false), unique},
          Column{"label", String{20}, server_default("it's")}, Column{"n", Integer{}, server_default(5)},
          Column{"flag", Boolean{}, server_default(true)}, Column{"at", DateTimeType{}, server_default(now())},
          Column{"x", Integer{}, server_default(sql_fragment("1 + 2"))}, Column{"c", Integer{}, default_(7)}};
  CHECK(ddl(t) ==
        R"(CREATE TABLE "t" ("id" INTEGER NOT NULL, "name" VARCHAR(50) NOT NULL, "label" VARCHAR(20) DEFAULT 'it''s', )"
        R"("n" INTEGER DEFAULT 5, "flag" BOOLEAN DEFAULT 1, "at" DATETIME DEFAULT (CURRENT_TIMESTAMP), "x" INTEGER DEFAULT (1 + 2), )"
        R"("c" INTEGER, PRIMARY KEY ("id"), CONSTRAINT "uq_t_name" UNIQUE ("name")))");
}

TEST_CASE("DDL: foreign keys with actions, unique and check constraints, Enum") {
  MetaData md;
  Table p{"p", md, Column{"a", Integer{}}, Column{"b", Integer{}}, PrimaryKeyConstraint{{"a", "b"}}};
  Table c{"c", md, Column{"id", Integer{}, primary_key},
          Column{"pid", Integer{}, ForeignKey{"p.a", {.on_delete = Action::cascade, .on_update = Action::set_null, .name = {}}}},
          Column{"pb", Integer{}}, Column{"status", Enum{"draft", "live"}},
          ForeignKeyConstraint{{"pid", "pb"}, {"p.a", "p.b"}, {.on_delete = Action::restrict, .on_update = {}, .name = "fk_c_p"}},
          UniqueConstraint{{"pid", "pb"}, ""}, CheckConstraint{"pb >= 0", "ck_pb"}, CheckConstraint{"pid <> 3", ""}};
  CHECK(ddl(c) ==
        R"(CREATE TABLE "c" ("id" INTEGER NOT NULL, "pid" INTEGER, "pb" INTEGER, "status" VARCHAR(5), PRIMARY KEY ("id"), )"
        R"(CONSTRAINT "uq_c_pid_pb" UNIQUE ("pid", "pb"), )"
        R"(CONSTRAINT "fk_c_p" FOREIGN KEY ("pid", "pb") REFERENCES "p" ("a", "b") ON DELETE RESTRICT, )"
        R"(CONSTRAINT "fk_c_pid_p" FOREIGN KEY ("pid") REFERENCES "p" ("a") ON DELETE CASCADE ON UPDATE SET NULL, )"
        R"(CONSTRAINT "ck_pb" CHECK (pb >= 0), CONSTRAINT "ck_c_1" CHECK (pid <> 3), )"
        R"(CONSTRAINT "ck_c_status_enum" CHECK ("status" IN ('draft', 'live'))))");
}

TEST_CASE("DDL: indexes") {
  MetaData md;
  Table t{"t", md, Column{"id", Integer{}, primary_key}, Column{"a", Integer{}}, Column{"b", Integer{}}};
  auto ix = [&](Index i) {
    return sql(Ddl(detail::make_ddl(detail::DdlNode::Op::create_index, std::shared_ptr<const detail::TableData>(t.node(), t.node()->table), false, std::move(i))));
  };
  CHECK(ix(Index{"ix_t_a", {"a"}}) == R"(CREATE INDEX "ix_t_a" ON "t" ("a"))");
  CHECK(ix(Index{"ux_t_a_b", {"a", "b"}, true}) == R"(CREATE UNIQUE INDEX "ux_t_a_b" ON "t" ("a", "b"))");
}

TEST_CASE("literals in DDL refuse what cannot be written safely") {
  std::string out;
  dialect.literal(out, Value("a'b"));
  CHECK(out == "'a''b'");
  CHECK_THROWS_WITH_AS(dialect.literal(out, Value(std::string("a\0b", 3))),
                       "[athanor.argument.literal] a DDL literal contains a NUL byte", ArgumentError);
  CHECK_THROWS_WITH_AS(dialect.literal(out, Value(1.0 / 0.0)), "[athanor.argument.literal] a non-finite number cannot be a DDL default",
                       ArgumentError);
  // A Decimal is written unquoted, so its text must be a number (found by fuzz/compiler.cpp).
  out.clear();
  dialect.literal(out, Value(Decimal{"-12.50e+3"}));
  CHECK(out == "-12.50e+3");
  CHECK_THROWS_WITH_AS(dialect.literal(out, Value(Decimal{"0); DROP TABLE users; --"})),
                       "[athanor.argument.literal] a Decimal DDL default is not a decimal number", ArgumentError);
  CHECK_THROWS_AS(dialect.literal(out, Value(Decimal{""})), ArgumentError);
  // The first day of DateTime's range formats without overflow (UBSan, fuzz/compiler.cpp).
  CHECK_NOTHROW(dialect.literal(out, Value(DateTime{std::chrono::microseconds{std::numeric_limits<std::int64_t>::min()}})));
}

TEST_CASE("the capabilities SQLite declares") {
  auto& c = dialect.capabilities();
  CHECK_FALSE(c.for_update);
  CHECK_FALSE(c.native_boolean);
  CHECK_FALSE(c.strict_types);
  CHECK(c.returning_insert);
  CHECK(dialect.name() == "sqlite");
  CHECK(dialect.display_name() == "SQLite");
}

TEST_CASE("inline literals: what is refused; a label named like a column is refused in GROUP BY (issue 12 bug 8)") {
  Schema s;
  CHECK(sql(select(inline_literal(1.0 / 4), inline_literal(true), inline_literal("a'b"))) == "SELECT 2.5e-01, 1, 'a''b'");
  using namespace std::string_literals;
  CHECK_THROWS_WITH_AS(sql(select(inline_literal("a\0b"s))),
                       "[athanor.argument.literal] inline_literal(): the string contains a NUL byte; bind it", ArgumentError);
  CHECK_THROWS_WITH_AS(sql(select(inline_literal("\xc0\xa7"))),
                       "[athanor.argument.literal] inline_literal(): the string is not well-formed UTF-8; bind it", ArgumentError);
  CHECK_THROWS_WITH_AS(sql(select(inline_literal(1.0 / 0.0))),
                       "[athanor.argument.literal] inline_literal(): a non-finite number has no SQL literal; bind it", ArgumentError);
  CHECK_THROWS_WITH_AS(sql(select(inline_literal(Date{std::chrono::year{2024}, std::chrono::month{1}, std::chrono::day{2}}))),
                       "[athanor.argument.literal] inline_literal() takes a number, a boolean, a string or null; bind other values",
                       ArgumentError);
  auto l = (s.age() + 1).label("Age");  // MySQL compares column names without case
  CHECK_THROWS_WITH_AS(sql(select(l).group_by(l)),
                       "[athanor.argument.label] group_by(): the label 'Age' is also a column of users, which GROUP BY would "
                       "read instead; give the label another name",
                       ArgumentError);
  CHECK(sql(select(l).order_by(l)) == "SELECT \"users\".\"age\" + ? AS \"Age\" FROM \"users\" ORDER BY \"Age\"");
}

TEST_CASE("a minus before a negative operand is parenthesised: `--` would start a comment (issue 12 bug 12)") {
  Schema s;
  CHECK(sql(select(-(-s.age()), -(-(-s.age())), -inline_literal(-5), -literal_column("-5"), s.age() - -s.age())) ==
        R"(SELECT -(-"users"."age"), -(-(-"users"."age")), -(-5), -(-5), "users"."age" - -"users"."age" FROM "users")");
}

TEST_CASE("a correlated subquery in ORDER BY correlates to the outer select (issue 12 bug 13)") {
  Schema s;
  auto n = select(count()).where(s.posts.c("user_id") == s.id()).scalar_subquery();
  CHECK(sql(select(s.id()).order_by(n.desc())) ==
        R"(SELECT "users"."id" FROM "users" ORDER BY (SELECT count(*) FROM "posts" WHERE "posts"."user_id" = "users"."id") DESC)");
}

TEST_CASE("a compound member that is a compound is a subquery; UNION, INTERSECT, EXCEPT bind alike (issue 12 bug 11)") {
  Schema s;
  auto a = select(s.id()).where(s.id() < 2), b = select(s.id()).where(s.id() > 3), c = select(s.id()).where(s.id() == 5);
  CHECK(sql(a.except_(b.union_all(c))) ==
        R"(SELECT "users"."id" FROM "users" WHERE "users"."id" < ? EXCEPT SELECT * FROM (SELECT "users"."id" FROM "users" WHERE "users"."id" > ? UNION ALL SELECT "users"."id" FROM "users" WHERE "users"."id" = ?))");
  // Left to right, as the method calls: SQLite reads it so without grouping.
  CHECK(sql(a.union_(b).intersect(c)) ==
        R"(SELECT "users"."id" FROM "users" WHERE "users"."id" < ? UNION SELECT "users"."id" FROM "users" WHERE "users"."id" > ? INTERSECT SELECT "users"."id" FROM "users" WHERE "users"."id" = ?)");
  CHECK(sql(a.union_(b.limit(1))) ==
        R"(SELECT "users"."id" FROM "users" WHERE "users"."id" < ? UNION SELECT * FROM (SELECT "users"."id" FROM "users" WHERE "users"."id" > ? LIMIT ?))");
}

TEST_CASE("a value alone in GROUP BY / ORDER BY is written as a CAST, never read as a position (issue 12 bug 10)") {
  Schema s;
  auto c = compile(select(s.id()).group_by(literal(3), s.id()).order_by(literal(1), inline_literal(2).desc(), inline_literal("x")));
  CHECK(c.sql ==
        R"(SELECT "users"."id" FROM "users" GROUP BY CAST(? AS BIGINT), "users"."id" ORDER BY CAST(? AS BIGINT), CAST(2 AS BIGINT) DESC, CAST('x' AS VARCHAR))");
  CHECK(c.params.size() == 2);
  // Inside an expression a value is no position: written as it is.
  CHECK(sql(select(s.id()).order_by(s.id() + 1)) == R"(SELECT "users"."id" FROM "users" ORDER BY "users"."id" + ?)");
}

TEST_CASE("portable functions: one answer on every backend (core/functions.hpp)") {
  MetaData md;
  Table m{"m", md, Column{"id", Integer{}, primary_key}, Column{"x", Double{}}, Column{"d", Numeric{12, 3}}, Column{"s", String{20}},
          Column{"at", DateTimeType{}}};
  CHECK(sql(select(round(m.c("x"), 2)).select_from(m)) ==
        R"(SELECT round("m"."x", ?) FROM "m")");
  CHECK(sql(select(round(m.c("id"), 2)).select_from(m)) ==
        R"(SELECT "m"."id" FROM "m")");
  CHECK(sql(select(floor(m.c("x"))).select_from(m)) ==
        R"(SELECT CASE WHEN abs("m"."x") >= 4503599627370496.0 THEN "m"."x" WHEN "m"."x" < CAST("m"."x" AS INTEGER) THEN CAST("m"."x" AS INTEGER) - 1.0 ELSE CAST(CAST("m"."x" AS INTEGER) AS REAL) END FROM "m")");
  CHECK(sql(select(mod(m.c("id"), 3)).select_from(m)) ==
        R"(SELECT ("m"."id" % ?) FROM "m")");
  CHECK(sql(select(least(m.c("id"), 1, 2)).select_from(m)) ==
        R"(SELECT min("m"."id", ?, ?) FROM "m")");
  CHECK(sql(select(extract("week", m.c("at"))).select_from(m)) ==
        R"(SELECT ((CAST(strftime('%j', date("m"."at", '-3 days', 'weekday 4')) AS INTEGER) - 1) / 7 + 1) FROM "m")");
  CHECK(sql(select(extract("quarter", m.c("at"))).select_from(m)) ==
        R"(SELECT ((CAST(strftime('%m', "m"."at") AS INTEGER) + 2) / 3) FROM "m")");
}

namespace {
struct WindowSchema {
  MetaData md;
  Table users{"users", md, Column{"id", Integer{}, primary_key}, Column{"name", String{50}}, Column{"age", Integer{}}};
  Expr id() const { return users.c("id"); }
  Expr name() const { return users.c("name"); }
  Expr age() const { return users.c("age"); }
};
}  // namespace

TEST_CASE("window functions: OVER (PARTITION BY … ORDER BY … frame), OVER name, the WINDOW clause") {
  WindowSchema s;
  auto stmt = select(s.id(), over(row_number(), Window{.partition_by = {s.name()}, .order_by = {s.age().desc()}}),
                     over(sum(s.age()), Window{.order_by = {s.id()}, .frame = rows_between(preceding(2), current_row())}),
                     over(ntile(3), "w"),
                     over(count(), Window{.frame = range_between(unbounded_preceding(), following(1)), .base = "w"}), over(max(s.age())))
                  .window("w", Window{.order_by = {s.id()}});
  auto c = compile(stmt);
  CHECK(c.sql == "SELECT \"users\".\"id\", row_number() OVER (PARTITION BY \"users\".\"name\" ORDER BY \"users\".\"age\" DESC), "
              "sum(\"users\".\"age\") OVER (ORDER BY \"users\".\"id\" ROWS BETWEEN ? PRECEDING AND CURRENT ROW), ntile(?) OVER \"w\", "
              "count(*) OVER (\"w\" RANGE BETWEEN UNBOUNDED PRECEDING AND ? FOLLOWING), max(\"users\".\"age\") OVER () FROM \"users\" "
              "WINDOW \"w\" AS (ORDER BY \"users\".\"id\")");
  REQUIRE(c.params.size() == 3);
  CHECK(c.params[0].value == Value(std::int64_t{2}));
  CHECK(c.params[1].value == Value(std::int64_t{3}));
  CHECK(c.params[2].value == Value(std::int64_t{1}));
  CHECK(!c.values_in_text);
  // RANGE with an offset measures from one ORDER BY key: every server refuses it otherwise.
  CHECK_THROWS_WITH_AS(sql(select(over(sum(s.age()), Window{.order_by = {s.id(), s.age()}, .frame = range_between(preceding(1), current_row())}))),
                       "[athanor.argument.window] a RANGE frame with an offset needs exactly one order_by key (a number); order "
                       "by one key, or use rows_between",
                       ArgumentError);
  CHECK(sql(select(over(lag(s.age(), 2, 0), Window{.order_by = {s.id()}}))) ==
        "SELECT lag(\"users\".\"age\", ?, ?) OVER (ORDER BY \"users\".\"id\") FROM \"users\"");
}

TEST_CASE("isolation levels: serializable only, the others refused") {
  using V = std::vector<std::string>;
  CHECK(dialect.begin_statements(std::nullopt) == V{"BEGIN"});
  CHECK(dialect.begin_statements(IsolationLevel::serializable) == V{"BEGIN"});
  CHECK_THROWS_WITH_AS(dialect.begin_statements(IsolationLevel::repeatable_read),
                       "[athanor.argument.unsupported] SQLite has no isolation level REPEATABLE READ (its transactions "
                       "are always SERIALIZABLE); leave the level unset or ask for serializable",
                       ArgumentError);
}
