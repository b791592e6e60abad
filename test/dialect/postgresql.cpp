// test/dialect/postgresql.cpp — the SQL text the PostgreSQL dialect writes, with no server:
// placeholders, types and SERIAL DDL, ILIKE, NULLS LAST, RETURNING (explicit and implicit),
// ON CONFLICT upserts, and the bound values that go with the text.
#include <doctest/doctest.h>

#include <athanor/athanor.hpp>
#include <athanor/dialect/postgresql.hpp>

using namespace athanor;

namespace {

Compiled pg(const detail::StatementNode& n) {
  static const PostgresqlDialect d;
  return Compiler(d).compile(n);
}
template <class S>
std::string sql(const S& stmt) {
  return pg(stmt.node()).sql;
}

struct Blog {
  MetaData md;
  Table users{"users", md,
              Column{"id", Integer{}, primary_key},
              Column{"name", String{50}, nullable(false), unique},
              Column{"email", String{}},
              Column{"age", SmallInteger{}}};
  Table posts{"posts", md,
              Column{"id", BigInteger{}, primary_key},
              Column{"user_id", Integer{}, nullable(false), ForeignKey{"users.id", {.on_delete = Action::cascade}}},
              Column{"title", Text{}, nullable(false)},
              Column{"score", Double{}}};
};

}  // namespace

TEST_CASE("select: joins, where, order by with NULLS LAST, limit and offset use $n") {
  Blog b;
  auto stmt = select(b.users.c("name"), b.posts.c("title"))
                  .select_from(b.users)
                  .join(b.posts, b.users.c("id") == b.posts.c("user_id"))
                  .where(b.users.c("age") > 30 && b.posts.c("score") <= 2.5)
                  .order_by(b.users.c("name").desc().nulls_last(), b.posts.c("id"))
                  .limit(10)
                  .offset(20);
  auto c = pg(stmt.node());
  CHECK(c.sql ==
        "SELECT \"users\".\"name\", \"posts\".\"title\" FROM \"users\" JOIN \"posts\" ON \"users\".\"id\" = "
        "\"posts\".\"user_id\" WHERE (\"users\".\"age\" > $1) AND (\"posts\".\"score\" <= $2) ORDER BY \"users\".\"name\" "
        "DESC NULLS LAST, \"posts\".\"id\" LIMIT $3 OFFSET $4");
  REQUIRE(c.params.size() == 4);
  CHECK(c.params[0].value == Value(30));
  CHECK(c.params[1].value == Value(2.5));
  CHECK(c.params[2].value == Value(10));
  CHECK(c.params[3].value == Value(20));
}

TEST_CASE("select: a left outer join, OFFSET without LIMIT, FOR UPDATE") {
  Blog b;
  CHECK(sql(select(b.users.c("id")).select_from(b.users).outerjoin(b.posts, b.users.c("id") == b.posts.c("user_id")).offset(5)) ==
        "SELECT \"users\".\"id\" FROM \"users\" LEFT OUTER JOIN \"posts\" ON \"users\".\"id\" = \"posts\".\"user_id\" OFFSET $1");
  CHECK(sql(select(b.users.c("id")).where(b.users.c("id") == 1).with_for_update()) ==
        "SELECT \"users\".\"id\" FROM \"users\" WHERE \"users\".\"id\" = $1 FOR UPDATE");
}

TEST_CASE("ilike is native; like with an escape") {
  Blog b;
  CHECK(sql(select(b.users.c("id")).where(b.users.c("name").ilike("a%"))) ==
        "SELECT \"users\".\"id\" FROM \"users\" WHERE \"users\".\"name\" ILIKE $1");
  CHECK(sql(select(b.users.c("id")).where(b.users.c("name").like("50!%", '!'))) ==
        "SELECT \"users\".\"id\" FROM \"users\" WHERE \"users\".\"name\" LIKE $1 ESCAPE $2");
}

TEST_CASE("concat: || with a column, casts when both sides are parameters") {
  Blog b;
  CHECK(sql(select(concat(b.users.c("name"), "!"))) == "SELECT \"users\".\"name\" || $1 FROM \"users\"");
  CHECK(sql(select(concat(literal("a"), literal("b")).label("ab"))) ==
        "SELECT CAST($1 AS TEXT) || CAST($2 AS TEXT) AS \"ab\"");
}

TEST_CASE("a parameter with nothing beside it to take a type from is cast to its own type") {
  CHECK(sql(select(literal(1).label("n"))) == "SELECT CAST($1 AS BIGINT) AS \"n\"");
  CHECK(sql(select(literal(2.5), literal(true), literal("x"))) ==
        "SELECT CAST($1 AS DOUBLE PRECISION), CAST($2 AS BOOLEAN), CAST($3 AS TEXT)");
  CHECK(sql(select(literal(Decimal{"1.50"}), literal(Bytes{}))) == "SELECT CAST($1 AS NUMERIC), CAST($2 AS BYTEA)");
  // Both sides of an operator being parameters, neither types the other.
  CHECK(sql(select((literal(5) + 1).label("six"))) == "SELECT CAST($1 AS BIGINT) + CAST($2 AS BIGINT) AS \"six\"");
  Blog b;
  CHECK(sql(select(b.users.c("id")).where(b.users.c("age") + 1 > 2)) ==
        "SELECT \"users\".\"id\" FROM \"users\" WHERE (\"users\".\"age\" + $1) > $2");
}

TEST_CASE("in_ with values; an empty in_ is false, an empty not_in true") {
  Blog b;
  // Plain values travel as one JSON array, so one prepared statement serves every length.
  auto c = pg(select(b.users.c("id")).where(b.users.c("name").not_in({"a", "b\"c"})).node());
  CHECK(c.sql ==
        "SELECT \"users\".\"id\" FROM \"users\" WHERE \"users\".\"name\" <> ALL(ARRAY(SELECT CAST(value AS TEXT) FROM "
        "jsonb_array_elements_text(CAST($1 AS JSONB))))");
  REQUIRE(c.params.size() == 1);
  CHECK(c.params[0].value == Value("[\"a\",\"b\\\"c\"]"));
  // A list holding an expression stays a list.
  CHECK(sql(select(b.users.c("id")).where(b.users.c("id").in_({b.users.c("age"), 2}))) ==
        "SELECT \"users\".\"id\" FROM \"users\" WHERE \"users\".\"id\" IN (\"users\".\"age\", $1)");
  CHECK(sql(select(b.users.c("id")).where(b.users.c("id").in_({1, 2, 3}))) ==
        "SELECT \"users\".\"id\" FROM \"users\" WHERE \"users\".\"id\" = ANY(ARRAY(SELECT CAST(value AS INTEGER) FROM jsonb_array_elements_text(CAST($1 AS JSONB))))");
  CHECK(sql(select(b.users.c("id")).where(b.users.c("id").in_(std::vector<Expr>{}))) ==
        "SELECT \"users\".\"id\" FROM \"users\" WHERE 1 = 0");
  CHECK(sql(select(b.users.c("id")).where(b.users.c("id").not_in(std::vector<Expr>{}))) ==
        "SELECT \"users\".\"id\" FROM \"users\" WHERE 1 = 1");
}

TEST_CASE("functions: now(), count(*), cast to TEXT") {
  Blog b;
  CHECK(sql(select(now())) == "SELECT now()");
  CHECK(sql(select(count()).select_from(b.users)) == "SELECT count(*) FROM \"users\"");
  CHECK(sql(select(cast(b.users.c("age"), String{10}))) == "SELECT CAST(\"users\".\"age\" AS TEXT) FROM \"users\"");
  CHECK(sql(select(cast(b.users.c("name"), Numeric{10, 2}))) == "SELECT CAST(\"users\".\"name\" AS NUMERIC(10, 2)) FROM \"users\"");
}

TEST_CASE("insert of one row returns the generated key implicitly") {
  Blog b;
  auto c = pg(insert(b.users).values({{"name", "ann"}, {"email", "a@x"}}).node());
  CHECK(c.sql == "INSERT INTO \"users\" (\"name\", \"email\") VALUES ($1, $2) RETURNING \"id\"");
  CHECK(c.implicit_returning);
  REQUIRE(c.params.size() == 2);
  CHECK(c.params[0].value == Value("ann"));
  // A given key needs no RETURNING.
  auto given = pg(insert(b.users).values({{"id", 7}, {"name", "bob"}}).node());
  CHECK(given.sql == "INSERT INTO \"users\" (\"id\", \"name\") VALUES ($1, $2)");
  CHECK_FALSE(given.implicit_returning);
}

TEST_CASE("insert of many rows, explicit RETURNING, DEFAULT VALUES") {
  Blog b;
  CHECK(sql(insert(b.users).values_list({{{"name", "a"}}, {{"name", "b"}}})) ==
        "INSERT INTO \"users\" (\"name\") VALUES ($1), ($2)");
  CHECK(sql(insert(b.users).values({{"name", "a"}}).returning(b.users.c("id"), b.users.c("name"))) ==
        "INSERT INTO \"users\" (\"name\") VALUES ($1) RETURNING \"users\".\"id\", \"users\".\"name\"");
  Table counters{"counters", b.md, Column{"id", Integer{}, primary_key}};
  CHECK(sql(insert(counters)) == "INSERT INTO \"counters\" DEFAULT VALUES RETURNING \"id\"");
}

TEST_CASE("upsert: ON CONFLICT … DO UPDATE with EXCLUDED, and DO NOTHING") {
  Blog b;
  CHECK(sql(insert(b.users)
                .values({{"id", 1}, {"name", "ann"}})
                .on_conflict_do_update({"name"}, {{"age", b.users.c("age") + 1}, {"email", excluded("email")}})) ==
        "INSERT INTO \"users\" (\"id\", \"name\") VALUES ($1, $2) ON CONFLICT (\"name\") DO UPDATE SET \"age\" = "
        "\"users\".\"age\" + $3, \"email\" = excluded.\"email\"");
  CHECK(sql(insert(b.users).values({{"id", 1}, {"name", "ann"}}).on_conflict_do_nothing()) ==
        "INSERT INTO \"users\" (\"id\", \"name\") VALUES ($1, $2) ON CONFLICT DO NOTHING");
  CHECK(sql(insert(b.users).values({{"id", 1}, {"name", "ann"}}).on_conflict_do_nothing({"id"})) ==
        "INSERT INTO \"users\" (\"id\", \"name\") VALUES ($1, $2) ON CONFLICT (\"id\") DO NOTHING");
}

TEST_CASE("update and delete, with RETURNING") {
  Blog b;
  CHECK(sql(update(b.users).where(b.users.c("id") == 1).values({{"name", "bob"}, {"age", b.users.c("age") + 1}})) ==
        "UPDATE \"users\" SET \"name\" = $1, \"age\" = \"users\".\"age\" + $2 WHERE \"users\".\"id\" = $3");
  CHECK(sql(update(b.users).values({{"name", "x"}}).returning(b.users.c("id"))) ==
        "UPDATE \"users\" SET \"name\" = $1 RETURNING \"users\".\"id\"");
  CHECK(sql(delete_(b.users).where(b.users.c("name").in_({"a", "b"})).returning(b.users.c("id"))) ==
        "DELETE FROM \"users\" WHERE \"users\".\"name\" = ANY(ARRAY(SELECT CAST(value AS TEXT) FROM "
        "jsonb_array_elements_text(CAST($1 AS JSONB)))) RETURNING \"users\".\"id\"");
}

TEST_CASE("create table: SERIAL keys, types, FK with ON DELETE, unique, check, enum") {
  Blog b;
  CHECK(sql(create_table(b.users)) ==
        "CREATE TABLE \"users\" (\"id\" SERIAL NOT NULL, \"name\" VARCHAR(50) NOT NULL, \"email\" VARCHAR, \"age\" "
        "SMALLINT, PRIMARY KEY (\"id\"), CONSTRAINT \"uq_users_name\" UNIQUE (\"name\"))");
  CHECK(sql(create_table(b.posts, true)) ==
        "CREATE TABLE IF NOT EXISTS \"posts\" (\"id\" BIGSERIAL NOT NULL, \"user_id\" INTEGER NOT NULL, \"title\" TEXT "
        "NOT NULL, \"score\" DOUBLE PRECISION, PRIMARY KEY (\"id\"), CONSTRAINT \"fk_posts_user_id_users\" FOREIGN KEY "
        "(\"user_id\") REFERENCES \"users\" (\"id\") ON DELETE CASCADE)");

  MetaData md;
  Table things{"things", md,
               Column{"id", SmallInteger{}, primary_key},
               Column{"data", LargeBinary{}},
               Column{"doc", JsonType{}},
               Column{"uid", UuidType{}, nullable(false)},
               Column{"price", Numeric{12, 2}, server_default(Expr(Decimal{"0.00"}))},
               Column{"ratio", Float{}, server_default(Expr(-std::numeric_limits<double>::infinity()))},
               Column{"at", DateTimeType{true}, server_default(now())},
               Column{"local", DateTimeType{}},
               Column{"day", DateType{}},
               Column{"tod", TimeType{}},
               Column{"ok", Boolean{}, server_default(Expr(true))},
               Column{"blob", LargeBinary{}, server_default(Expr(Bytes{std::byte{0xde}, std::byte{0x01}}))},
               Column{"state", Enum{"draft", "it's live"}, server_default(Expr("draft"))},
               CheckConstraint{"price >= 0", "ck_price"},
               UniqueConstraint{{"uid", "day"}}};
  CHECK(sql(create_table(things)) ==
        "CREATE TABLE \"things\" (\"id\" SMALLSERIAL NOT NULL, \"data\" BYTEA, \"doc\" JSONB, \"uid\" UUID NOT NULL, "
        "\"price\" NUMERIC(12, 2) DEFAULT 0.00, \"ratio\" REAL DEFAULT '-Infinity', \"at\" TIMESTAMP WITH TIME ZONE "
        "DEFAULT (now()), \"local\" TIMESTAMP, \"day\" DATE, \"tod\" TIME, \"ok\" BOOLEAN DEFAULT TRUE, \"blob\" BYTEA "
        "DEFAULT '\\xde01', \"state\" VARCHAR(9) DEFAULT 'draft', PRIMARY KEY (\"id\"), CONSTRAINT \"uq_things_uid_day\" "
        "UNIQUE (\"uid\", \"day\"), CONSTRAINT \"ck_price\" CHECK (price >= 0), CONSTRAINT \"ck_things_state_enum\" CHECK "
        "(\"state\" IN ('draft', 'it''s live')))");
}

TEST_CASE("an integer key that is also a foreign key is not SERIAL") {
  MetaData md;
  Table a{"a", md, Column{"id", Integer{}, primary_key}};
  Table b{"b", md, Column{"id", Integer{}, primary_key, ForeignKey{"a.id", {.on_delete = Action::set_null, .name = "fk_b_a"}}}};
  CHECK(sql(create_table(b)) ==
        "CREATE TABLE \"b\" (\"id\" INTEGER NOT NULL, PRIMARY KEY (\"id\"), CONSTRAINT \"fk_b_a\" FOREIGN KEY (\"id\") "
        "REFERENCES \"a\" (\"id\") ON DELETE SET NULL)");
}

TEST_CASE("index DDL and DROP") {
  Blog b;
  auto t = table_ptr(b.users);
  CHECK(sql(Ddl(detail::make_ddl(detail::DdlNode::Op::create_index, t, false, Index{"ix_users_email", {"email"}}))) ==
        "CREATE INDEX \"ix_users_email\" ON \"users\" (\"email\")");
  CHECK(sql(Ddl(detail::make_ddl(detail::DdlNode::Op::create_index, t, false, Index{"ux_users_ne", {"name", "email"}, true}))) ==
        "CREATE UNIQUE INDEX \"ux_users_ne\" ON \"users\" (\"name\", \"email\")");
  CHECK(sql(drop_table(b.users, true)) == "DROP TABLE IF EXISTS \"users\"");
}

TEST_CASE("identifiers are quoted with doubled quotes; has_table takes $1") {
  MetaData md;
  Table odd{"we\"ird", md, Column{"select", Integer{}, primary_key}};
  CHECK(sql(select(odd.c("select"))) == "SELECT \"we\"\"ird\".\"select\" FROM \"we\"\"ird\"");
  PostgresqlDialect d;
  CHECK(d.has_table_sql() ==
        "SELECT tablename FROM pg_catalog.pg_tables WHERE schemaname = current_schema() AND tablename = $1");
  CHECK(d.capabilities().native_ilike);
  CHECK(d.capabilities().implicit_returning);
  CHECK(d.capabilities().max_params == 65535);
}

TEST_CASE("literals for DDL: bytea hex, non-finite doubles, quotes doubled") {
  PostgresqlDialect d;
  auto lit = [&](const Value& v) {
    std::string s;
    d.literal(s, v);
    return s;
  };
  CHECK(lit(Value(Bytes{std::byte{0}, std::byte{0xff}})) == "'\\x00ff'");
  CHECK(lit(Value(std::numeric_limits<double>::quiet_NaN())) == "'NaN'");
  CHECK(lit(Value(std::numeric_limits<double>::infinity())) == "'Infinity'");
  CHECK(lit(Value("o'k")) == "'o''k'");
  CHECK(lit(Value(false)) == "FALSE");
  CHECK(lit(Value(null)) == "NULL");
}

TEST_CASE("a bound value used twice is one $n; GROUP BY a label; inline literals (issue 12 bug 8)") {
  Blog b;
  auto size = case_({{b.users.c("age") < 30, "young"}}, "old");
  auto c = pg(select(size, count()).group_by(size).order_by(size).node());
  CHECK(c.sql ==
        "SELECT CASE WHEN \"users\".\"age\" < $1 THEN $2 ELSE $3 END, count(*) FROM \"users\" GROUP BY CASE WHEN "
        "\"users\".\"age\" < $1 THEN $2 ELSE $3 END ORDER BY CASE WHEN \"users\".\"age\" < $1 THEN $2 ELSE $3 END");
  CHECK(c.params.size() == 3);
  // Equal values in distinct nodes stay distinct parameters; so do binds in DML.
  CHECK(sql(select(b.users.c("id")).where(b.users.c("age") > 1 && b.users.c("id") > 1)) ==
        "SELECT \"users\".\"id\" FROM \"users\" WHERE (\"users\".\"age\" > $1) AND (\"users\".\"id\" > $2)");
  auto l = size.label("size");
  CHECK(sql(select(l, count()).group_by(l).order_by(l.desc())) ==
        "SELECT CASE WHEN \"users\".\"age\" < $1 THEN $2 ELSE $3 END AS \"size\", count(*) FROM \"users\" GROUP BY \"size\" "
        "ORDER BY \"size\" DESC");
  // Inside an expression a name would be an input column: the label's expression is written.
  CHECK(sql(select(l).order_by(func("abs", l).desc())) ==
        "SELECT CASE WHEN \"users\".\"age\" < $1 THEN $2 ELSE $3 END AS \"size\" FROM \"users\" ORDER BY abs(CASE WHEN "
        "\"users\".\"age\" < $1 THEN $2 ELSE $3 END) DESC");
  CHECK(sql(select((b.users.c("age").label("a") + 1).label("b"))) == "SELECT \"users\".\"age\" + $1 AS \"b\" FROM \"users\"");
  // A label not in the select list stands for its expression.
  CHECK(sql(select(b.users.c("id")).order_by(b.users.c("age").label("a"))) ==
        "SELECT \"users\".\"id\" FROM \"users\" ORDER BY \"users\".\"age\"");
  auto inl = case_({{b.users.c("age") < inline_literal(30), inline_literal("it's")}}, inline_literal(-2.5));
  CHECK(sql(select(inl, -inline_literal(-3), inline_literal(true), inline_literal(null), literal_column("now()"))) ==
        "SELECT CASE WHEN \"users\".\"age\" < 30 THEN 'it''s' ELSE (-2.5e+00) END, -(-3), TRUE, NULL, now() FROM \"users\"");
  CHECK(sql(select(inline_literal("back\\slash"))) == "SELECT 'back\\slash'");
}

TEST_CASE("correlation: a subquery keeps its only FROM; correlate() names the outside tables (issue 12 bug 5)") {
  Blog b;
  auto& u = b.users;
  auto& p = b.posts;
  CHECK(sql(select(u.c("id")).where(u.c("age") > select(avg(u.c("age"))).scalar_subquery())) ==
        "SELECT \"users\".\"id\" FROM \"users\" WHERE \"users\".\"age\" > (SELECT avg(\"users\".\"age\") FROM \"users\")");
  CHECK(sql(select(u.c("id"), select(count()).where(p.c("user_id") == u.c("id")).scalar_subquery())) ==
        "SELECT \"users\".\"id\", (SELECT count(*) FROM \"posts\" WHERE \"posts\".\"user_id\" = \"users\".\"id\") FROM \"users\"");
  auto ua = u.alias("ua");
  CHECK(sql(select(u.c("id")).where(exists(select(ua.c("id")).where(ua.c("age") > u.c("age")).correlate(u)))) ==
        "SELECT \"users\".\"id\" FROM \"users\" WHERE EXISTS (SELECT \"ua\".\"id\" FROM \"users\" AS \"ua\" WHERE \"ua\".\"age\" > "
        "\"users\".\"age\")");
  CHECK(sql(select(u.c("id")).where(u.c("id").in_(select(u.c("id")).where(u.c("age") > 3).correlate()))) ==
        "SELECT \"users\".\"id\" FROM \"users\" WHERE \"users\".\"id\" IN (SELECT \"users\".\"id\" FROM \"users\" WHERE "
        "\"users\".\"age\" > $1)");
  CHECK_THROWS_WITH_AS(sql(select(u.c("id")).where(exists(select(u.c("id")).correlate(u)))),
                       "[athanor.argument.correlate] a subquery would read no table: every FROM item it names (users) is "
                       "correlated to the enclosing statement; correlate() only the outside ones, or alias the inner ones",
                       ArgumentError);
}

TEST_CASE("a minus before a negative operand is parenthesised: `--` would start a comment (issue 12 bug 12)") {
  Blog b;
  auto age = b.users.c("age");
  CHECK(sql(select(-(-age), -(-(-age)), -inline_literal(-5), -literal_column("-5"), age - -age)) ==
        "SELECT -(-\"users\".\"age\"), -(-(-\"users\".\"age\")), -(-5), -(-5), \"users\".\"age\" - -\"users\".\"age\" FROM "
        "\"users\"");
}

TEST_CASE("a correlated subquery in ORDER BY correlates to the outer select (issue 12 bug 13)") {
  Blog b;
  auto& u = b.users;
  auto n = select(count()).where(b.posts.c("user_id") == u.c("id")).scalar_subquery();
  CHECK(sql(select(u.c("id")).order_by(n.desc())) ==
        "SELECT \"users\".\"id\" FROM \"users\" ORDER BY (SELECT count(*) FROM \"posts\" WHERE \"posts\".\"user_id\" = "
        "\"users\".\"id\") DESC");
}

TEST_CASE("a compound member that is a compound is parenthesised; INTERSECT after UNION groups the left (issue 12 bug 11)") {
  Blog b;
  auto id = b.users.c("id");
  auto x = select(id).where(id < 2), y = select(id).where(id > 3), z = select(id).where(id == 5);
  CHECK(sql(x.except_(y.union_all(z))) ==
        "SELECT \"users\".\"id\" FROM \"users\" WHERE \"users\".\"id\" < $1 EXCEPT (SELECT \"users\".\"id\" FROM \"users\" WHERE "
        "\"users\".\"id\" > $2 UNION ALL SELECT \"users\".\"id\" FROM \"users\" WHERE \"users\".\"id\" = $3)");
  // INTERSECT binds tighter: the chain's left side is grouped, as the method calls apply.
  CHECK(sql(x.union_(y).intersect(z)) ==
        "(SELECT \"users\".\"id\" FROM \"users\" WHERE \"users\".\"id\" < $1 UNION SELECT \"users\".\"id\" FROM \"users\" WHERE "
        "\"users\".\"id\" > $2) INTERSECT SELECT \"users\".\"id\" FROM \"users\" WHERE \"users\".\"id\" = $3");
  CHECK(sql(x.intersect(y).union_(z)) ==
        "SELECT \"users\".\"id\" FROM \"users\" WHERE \"users\".\"id\" < $1 INTERSECT SELECT \"users\".\"id\" FROM \"users\" WHERE "
        "\"users\".\"id\" > $2 UNION SELECT \"users\".\"id\" FROM \"users\" WHERE \"users\".\"id\" = $3");
}

TEST_CASE("a value alone in GROUP BY / ORDER BY is written as a CAST, never read as a position (issue 12 bug 10)") {
  Blog b;
  auto id = b.users.c("id");
  CHECK(sql(select(id).group_by(literal(3), id).order_by(literal(1), inline_literal(2).desc(), inline_literal("x"))) ==
        "SELECT \"users\".\"id\" FROM \"users\" GROUP BY CAST($1 AS BIGINT), \"users\".\"id\" ORDER BY CAST($2 AS BIGINT), "
        "CAST(2 AS BIGINT) DESC, CAST('x' AS TEXT)");
}

TEST_CASE("portable functions: one answer on every backend (core/functions.hpp)") {
  MetaData md;
  Table m{"m", md, Column{"id", Integer{}, primary_key}, Column{"x", Double{}}, Column{"d", Numeric{12, 3}}, Column{"s", String{20}},
          Column{"at", DateTimeType{}}};
  CHECK(sql(select(round(m.c("x"), 2)).select_from(m)) ==
        R"(SELECT CAST(round(CAST("m"."x" AS NUMERIC), CAST($1 AS INTEGER)) AS DOUBLE PRECISION) FROM "m")");
  CHECK(sql(select(round(m.c("d"))).select_from(m)) ==
        R"(SELECT round("m"."d") FROM "m")");
  CHECK(sql(select(mod(m.c("id"), 3)).select_from(m)) ==
        R"(SELECT mod("m"."id", NULLIF(CAST($1 AS BIGINT), 0)) FROM "m")");
  CHECK(sql(select(greatest(m.c("x"), 0.0)).select_from(m)) ==
        R"(SELECT CASE WHEN "m"."x" IS NULL OR CAST($1 AS DOUBLE PRECISION) IS NULL THEN NULL ELSE GREATEST("m"."x", $1) END FROM "m")");
  CHECK(sql(select(substr(m.c("s"), 2, 3)).select_from(m)) ==
        R"(SELECT substr("m"."s", CAST($1 AS INTEGER), CAST($2 AS INTEGER)) FROM "m")");
  CHECK(sql(select(extract("second", m.c("at"))).select_from(m)) ==
        R"(SELECT CAST(trunc(EXTRACT(SECOND FROM "m"."at")) AS INTEGER) FROM "m")");
  CHECK(sql(select(extract("week", m.c("at"))).select_from(m)) ==
        R"(SELECT CAST(EXTRACT(WEEK FROM "m"."at") AS INTEGER) FROM "m")");
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
  auto c = pg(stmt.node());
  CHECK(c.sql == "SELECT \"users\".\"id\", row_number() OVER (PARTITION BY \"users\".\"name\" ORDER BY \"users\".\"age\" DESC), "
              "sum(\"users\".\"age\") OVER (ORDER BY \"users\".\"id\" ROWS BETWEEN $1 PRECEDING AND CURRENT ROW), "
              "ntile(CAST($2 AS INTEGER)) OVER \"w\", count(*) OVER (\"w\" RANGE BETWEEN UNBOUNDED PRECEDING AND $3 FOLLOWING), "
              "max(\"users\".\"age\") OVER () FROM \"users\" WINDOW \"w\" AS (ORDER BY \"users\".\"id\")");
  CHECK(c.params.size() == 3);
  // PostgreSQL has ntile(integer) and lag(anyelement, integer[, …]): a bigint parameter finds neither.
  CHECK(sql(select(over(lag(s.age(), 2, 0), Window{.order_by = {s.id()}}))) ==
        "SELECT lag(\"users\".\"age\", CAST($1 AS INTEGER), $2) OVER (ORDER BY \"users\".\"id\") FROM \"users\"");
}

TEST_CASE("an integer division of a sum casts the sum to BIGINT: sum(bigint) is NUMERIC and would divide exactly") {
  Blog b;
  CHECK(sql(select(sum(b.posts.c("id")) / 2, sum(b.users.c("id")) * 2)) ==
        "SELECT CAST(sum(\"posts\".\"id\") AS BIGINT) / $1, sum(\"users\".\"id\") * $2 FROM \"posts\", \"users\"");
}

TEST_CASE("isolation levels: written into BEGIN (held back with the first statement), nothing per connection") {
  using V = std::vector<std::string>;
  const PostgresqlDialect dialect;
  CHECK(dialect.begin_statements(std::nullopt) == V{"BEGIN"});
  CHECK(dialect.begin_statements(IsolationLevel::serializable) == V{"BEGIN ISOLATION LEVEL SERIALIZABLE"});
  CHECK(dialect.begin_statements(IsolationLevel::repeatable_read) == V{"BEGIN ISOLATION LEVEL REPEATABLE READ"});
  CHECK(dialect.connection_isolation_sql(IsolationLevel::serializable).empty());
}
