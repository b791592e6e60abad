// test/dialect/mysql.cpp — the SQL text MysqlDialect gives, with no server: quoting, SELECT
// (joins, NULLS emulation, LIMIT/OFFSET), functions, INSERT (RETURNING, upsert), UPDATE,
// DELETE, DDL, and the features it refuses with an ArgumentError naming MySQL/MariaDB.
#include <doctest/doctest.h>

#include <athanor/core.hpp>
#include <athanor/dialect/mysql.hpp>

using namespace athanor;

namespace {

const MysqlDialect dialect;

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
              Column{"visits", Integer{}, server_default(0)}};
  Table posts{"posts", md,
              Column{"id", BigInteger{}, primary_key},
              Column{"user_id", Integer{}, ForeignKey{"users.id", {.on_delete = Action::cascade}}, index},
              Column{"title", Text{}},
              Column{"status", Enum{"draft", "published"}},
              CheckConstraint{"char_length(title) > 0", "ck_title"}};
};

std::string unsupported(const std::string& what) {
  return "[athanor.argument.unsupported] MySQL/MariaDB has no " + what;
}

}  // namespace

TEST_CASE("identifiers are quoted with backticks, an embedded one doubled") {
  std::string out;
  dialect.quote(out, "we`ird name");
  CHECK(out == "`we``ird name`");
  CHECK_THROWS_WITH_AS(dialect.quote(out, std::string_view("a\0b", 3)),
                       "[athanor.argument.identifier] an identifier is empty or contains a NUL byte", ArgumentError);
  CHECK(dialect.name() == "mysql");
  CHECK(dialect.display_name() == "MySQL/MariaDB");
}

TEST_CASE("select with joins, where, order and placeholders") {
  Schema s;
  auto stmt = select(s.users.c("name"), s.posts.c("title"))
                  .select_from(s.users.join(s.posts, s.users.c("id") == s.posts.c("user_id")))
                  .where(s.users.c("age") > 18 && s.posts.c("title").like("a%"))
                  .order_by(s.users.c("name").desc());
  auto c = compile(stmt);
  CHECK(c.sql ==
        "SELECT `users`.`name`, `posts`.`title` FROM `users` JOIN `posts` ON `users`.`id` = `posts`.`user_id` "
        "WHERE (`users`.`age` > ?) AND (`posts`.`title` LIKE ?) ORDER BY `users`.`name` DESC");
  REQUIRE(c.params.size() == 2);
  CHECK(c.params[0].value == Value(18));
  CHECK(sql(select(s.users.c("id")).select_from(s.users.outerjoin(s.posts, s.users.c("id") == s.posts.c("user_id")))) ==
        "SELECT `users`.`id` FROM `users` LEFT OUTER JOIN `posts` ON `users`.`id` = `posts`.`user_id`");
}

TEST_CASE("FULL OUTER JOIN is refused, naming the dialect") {
  Schema s;
  CHECK_THROWS_WITH_AS(sql(select(s.users.c("id")).select_from(s.users.full_outerjoin(s.posts, s.users.c("id") == s.posts.c("user_id")))),
                       (unsupported("FULL OUTER JOIN") + "; use a LEFT JOIN UNION a RIGHT JOIN").c_str(), ArgumentError);
}

TEST_CASE("NULLS FIRST / LAST are emulated") {
  Schema s;
  CHECK(sql(select(s.users.c("id")).order_by(s.users.c("age").nulls_last())) ==
        "SELECT `users`.`id` FROM `users` ORDER BY `users`.`age` IS NULL, `users`.`age`");
  CHECK(sql(select(s.users.c("id")).order_by(s.users.c("age").desc().nulls_first())) ==
        "SELECT `users`.`id` FROM `users` ORDER BY `users`.`age` IS NULL DESC, `users`.`age` DESC");
}

TEST_CASE("LIMIT and OFFSET; OFFSET alone takes the largest LIMIT") {
  Schema s;
  auto base = select(s.users.c("id"));
  CHECK(sql(base.limit(10)) == "SELECT `users`.`id` FROM `users` LIMIT ?");
  CHECK(sql(base.limit(10).offset(20)) == "SELECT `users`.`id` FROM `users` LIMIT ? OFFSET ?");
  CHECK(sql(base.offset(20)) == "SELECT `users`.`id` FROM `users` LIMIT 18446744073709551615 OFFSET ?");
  CHECK(sql(base.with_for_update()) == "SELECT `users`.`id` FROM `users` FOR UPDATE");
}

TEST_CASE("functions: CONCAT, CHAR_LENGTH, UTC_TIMESTAMP, ilike, CAST") {
  Schema s;
  CHECK(sql(select(s.users.c("name") + "!")) == "SELECT CONCAT(`users`.`name`, ?) FROM `users`");
  CHECK(sql(select(concat(concat(s.users.c("name"), "-"), s.users.c("name")))) ==
        "SELECT CONCAT(CONCAT(`users`.`name`, ?), `users`.`name`) FROM `users`");
  CHECK(sql(select(length(s.users.c("name")))) == "SELECT CHAR_LENGTH(`users`.`name`) FROM `users`");
  CHECK(sql(select(now())) == "SELECT UTC_TIMESTAMP(6)");
  CHECK(sql(select(count()).select_from(s.users)) == "SELECT count(*) FROM `users`");
  CHECK(sql(select(s.users.c("id")).where(s.users.c("name").ilike("A%"))) ==
        "SELECT `users`.`id` FROM `users` WHERE lower(`users`.`name`) LIKE lower(?)");
  CHECK(sql(select(cast(s.users.c("age"), String{10}), cast(s.users.c("name"), Integer{}), cast(s.users.c("age"), Numeric{10, 2}))) ==
        "SELECT CAST(`users`.`age` AS CHAR(10)), CAST(`users`.`name` AS SIGNED), CAST(`users`.`age` AS DECIMAL(10,2)) FROM `users`");
  CHECK(sql(select(cast(s.users.c("name"), DateTimeType{}), cast(s.users.c("name"), DateType{}), cast(s.users.c("age"), Double{}))) ==
        "SELECT CAST(`users`.`name` AS DATETIME(6)), CAST(`users`.`name` AS DATE), CAST(`users`.`age` AS DOUBLE) FROM `users`");
}

TEST_CASE("IN lists, empty IN lists") {
  Schema s;
  auto c = compile(select(s.users.c("id")).where(s.users.c("id").in_({1, 2, 3})));
  CHECK(c.sql ==
        "SELECT `users`.`id` FROM `users` WHERE `users`.`id` IN (SELECT v FROM JSON_TABLE(?, '$[*]' COLUMNS (v BIGINT PATH '$')) AS athanor_in)");
  CHECK(c.params.size() == 1);  // the three values travel as one JSON array
  CHECK(sql(select(s.users.c("id")).where(s.users.c("id").in_(std::vector<Expr>{}))) == "SELECT `users`.`id` FROM `users` WHERE 1 = 0");
  CHECK(sql(select(s.users.c("id")).where(s.users.c("id").not_in(std::vector<Expr>{}))) == "SELECT `users`.`id` FROM `users` WHERE 1 = 1");
}

TEST_CASE("IN over one bound JSON array uses JSON_TABLE, typed like the left side") {
  Schema s;
  auto in_array = [](const Expr& x, bool negate) {
    return Expr::make(detail::ExprKind::in_array, Expr::boolean(), "", {x, Expr(Value(Json{"[1,2]"}))}, negate ? 1 : 0);
  };
  auto c = compile(select(s.users.c("id")).where(in_array(s.users.c("id"), false)));
  CHECK(c.sql ==
        "SELECT `users`.`id` FROM `users` WHERE `users`.`id` IN "
        "(SELECT v FROM JSON_TABLE(?, '$[*]' COLUMNS (v BIGINT PATH '$')) AS athanor_in)");
  CHECK(c.params.size() == 1);
  CHECK(sql(select(s.users.c("id")).where(in_array(s.users.c("name"), true))) ==
        "SELECT `users`.`id` FROM `users` WHERE `users`.`name` NOT IN "
        "(SELECT v FROM JSON_TABLE(?, '$[*]' COLUMNS (v LONGTEXT PATH '$')) AS athanor_in)");
}

TEST_CASE("a fraction compared with an integer column is CAST: MariaDB 10.11 rounds it for an index lookup") {
  Schema s;
  auto id = s.users.c("id"), age = s.users.c("age");
  CHECK(sql(select(id).where(age == 2.5)) == "SELECT `users`.`id` FROM `users` WHERE `users`.`age` = CAST(? AS DOUBLE)");
  CHECK(sql(select(id).where(Expr(2.5) == age)) == "SELECT `users`.`id` FROM `users` WHERE CAST(? AS DOUBLE) = `users`.`age`");
  CHECK(sql(select(id).where(age == Value(Decimal{"2.5"}))) ==
        "SELECT `users`.`id` FROM `users` WHERE `users`.`age` = CAST(? AS DECIMAL(65,30))");
  CHECK(sql(select(id).where(age.in_({Expr(2.5), Expr(3)}))) ==
        "SELECT `users`.`id` FROM `users` WHERE `users`.`age` IN (CAST(? AS DOUBLE), ?)");
  CHECK(sql(select(id).where(Expr(2.5).in_(select(age)))) ==
        "SELECT `users`.`id` FROM `users` WHERE CAST(? AS DOUBLE) IN (SELECT CAST(`users`.`age` AS DOUBLE) FROM `users`)");
  CHECK(sql(select(id).where((age * 0.5).not_in(select(id)))) ==
        "SELECT `users`.`id` FROM `users` WHERE CAST((`users`.`age` * ?) AS DOUBLE) NOT IN (SELECT CAST(`users`.`id` AS DOUBLE) FROM `users`)");
  // Integers, other operators and expressions stay as they were.
  CHECK(sql(select(id).where(age == 2)) == "SELECT `users`.`id` FROM `users` WHERE `users`.`age` = ?");
  CHECK(sql(select(id).where(age < 2.5)) == "SELECT `users`.`id` FROM `users` WHERE `users`.`age` < ?");
  CHECK(sql(select(id).where(age + 1 == 2.5)) == "SELECT `users`.`id` FROM `users` WHERE (`users`.`age` + ?) = ?");
}

TEST_CASE("a statement with a window function and IN (SELECT …) keeps its derived tables unmerged: MariaDB 10.11 loses rows") {
  Schema s;
  auto d = select(s.users.c("id"), s.users.c("name")).subquery("d");
  auto q = select(over(max(d.c("name")), Window{})).select_from(d);
  CHECK(sql(q.where(d.c("id").in_(select(s.posts.c("user_id"))))) ==
        "SET STATEMENT optimizer_switch='derived_merge=off' FOR SELECT max(coalesce(`d`.`name`)) OVER () FROM "
        "(SELECT `users`.`id`, `users`.`name` FROM `users`) AS `d` WHERE `d`.`id` IN "
        "(SELECT `posts`.`user_id` FROM `posts`)");
  CHECK(sql(q.where(d.c("name").in_({Expr("a"), Expr("b")}))).rfind("SET STATEMENT optimizer_switch='derived_merge=off' FOR SELECT", 0) == 0);
  // Without one of the two: as it was.
  CHECK(sql(q).rfind("SELECT max(", 0) == 0);
  CHECK(sql(select(d.c("id")).select_from(d).where(d.c("id").in_(select(s.posts.c("user_id"))))).rfind("SELECT `d`", 0) == 0);
}

TEST_CASE("a FROM-less select with a WHERE reads a one-row derived table: MariaDB 10.11 keeps a correlated one's first false WHERE") {
  Schema s;
  auto has_posts = exists(select(s.posts.c("id")).where(s.posts.c("user_id") == s.users.c("id")));
  auto n = select(count()).where(!has_posts).scalar_subquery();
  CHECK(sql(select(s.users.c("id"), n)) ==
        "SELECT `users`.`id`, (SELECT count(*) FROM (SELECT 1) AS `athanor_one` WHERE NOT EXISTS "
        "(SELECT `posts`.`id` FROM `posts` WHERE `posts`.`user_id` = `users`.`id`)) FROM `users`");
  // Without a WHERE (a HAVING alone is evaluated per row), or with a FROM: as it was.
  CHECK(sql(select(count()).having(count() > 0)) == "SELECT count(*) HAVING count(*) > ?");
  CHECK(sql(select(s.users.c("id")).where(s.users.c("id") > 2)) == "SELECT `users`.`id` FROM `users` WHERE `users`.`id` > ?");
}

TEST_CASE("an aggregate left of IN (SELECT …) goes through coalesce(): MariaDB 10.11 gets it wrong as it is") {
  Schema s;
  auto age = s.users.c("age"), name = s.users.c("name");
  CHECK(sql(select(name).group_by(name).having(max(age).in_(select(s.posts.c("id"))))) ==
        "SELECT `users`.`name` FROM `users` GROUP BY `users`.`name` HAVING coalesce(max(`users`.`age`)) IN "
        "(SELECT `posts`.`id` FROM `posts`)");
  // A list: plain, where the JSON_TABLE form would be a subquery (see in_list_as_array).
  CHECK(sql(select(name).group_by(name).having(count().not_in({1, 2}))) ==
        "SELECT `users`.`name` FROM `users` GROUP BY `users`.`name` HAVING count(*) NOT IN (?, ?)");
  // Not an aggregate of this level: as it was.
  CHECK(sql(select(name).where(age.in_(select(max(s.posts.c("id")))))) ==
        "SELECT `users`.`name` FROM `users` WHERE `users`.`age` IN (SELECT max(`posts`.`id`) FROM `posts`)");
}

TEST_CASE("a scalar subquery left of IN (SELECT …) goes through coalesce(): MariaDB 10.11 compares it wrongly with a correlated one") {
  Schema s;
  auto total = select(sum(s.posts.c("id"))).select_from(s.posts).scalar_subquery();
  CHECK(sql(select(s.users.c("id"), total.not_in(select(s.posts.c("id")).where(s.posts.c("user_id") == s.users.c("id"))))) ==
        "SELECT `users`.`id`, coalesce((SELECT sum(`posts`.`id`) FROM `posts`)) NOT IN "
        "(SELECT `posts`.`id` FROM `posts` WHERE `posts`.`user_id` = `users`.`id`) FROM `users`");
}

TEST_CASE("IN (SELECT an INT column) of a wider integer reads the column AS SIGNED: MariaDB 10.11 ignored its NULLs beyond INT") {
  Schema s;
  const std::string cast = "(SELECT CAST(`posts`.`user_id` AS SIGNED) FROM `posts`)";
  auto user_ids = select(s.posts.c("user_id"));  // INTEGER
  auto post_id = s.posts.c("id");                // BIGINT
  CHECK(sql(select(post_id).where(post_id.not_in(user_ids))) == "SELECT `posts`.`id` FROM `posts` WHERE `posts`.`id` NOT IN " + cast);
  // An integer expression or bound integer is a BIGINT to the server.
  CHECK(sql(select(post_id).where((s.users.c("age") + 1).in_(user_ids))).find(cast) != std::string::npos);
  CHECK(sql(select(Expr(std::int64_t{3000000000LL}).in_(user_ids))).find(cast) != std::string::npos);
  // An INT column, a BIGINT subquery column, or no integer: as it was.
  CHECK(sql(select(post_id).where(s.users.c("age").not_in(user_ids))).find("CAST") == std::string::npos);
  CHECK(sql(select(post_id).where(s.users.c("age").not_in(select(post_id)))).find("CAST") == std::string::npos);
  CHECK(sql(select(post_id).where(s.users.c("name").not_in(select(s.posts.c("title"))))).find("CAST") == std::string::npos);
}

TEST_CASE("insert: one row, many rows, default values, RETURNING") {
  Schema s;
  auto c = compile(insert(s.users).values({{"name", "ann"}, {"age", 30}}));
  CHECK(c.sql == "INSERT INTO `users` (`name`, `age`) VALUES (?, ?)");
  CHECK(c.params.size() == 2);
  CHECK(sql(insert(s.users).values_list({{{"name", "a"}}, {{"name", "b"}}})) == "INSERT INTO `users` (`name`) VALUES (?), (?)");
  CHECK(sql(insert(s.users)) == "INSERT INTO `users` () VALUES ()");
  auto r = compile(insert(s.users).values({{"name", "ann"}}).returning(s.users.c("id")));
  CHECK(r.sql == "INSERT INTO `users` (`name`) VALUES (?) RETURNING `users`.`id`");
  CHECK(r.returns_rows);
  CHECK_FALSE(r.implicit_returning);  // the generated key comes from mysql_stmt_insert_id
}

TEST_CASE("upsert is ON DUPLICATE KEY UPDATE, excluded() is VALUES()") {
  Schema s;
  CHECK(sql(insert(s.users)
                .values({{"id", 1}, {"name", "ann"}})
                .on_conflict_do_update({"id"}, {{"name", excluded("name")}, {"visits", s.users.c("visits") + 1}})) ==
        "INSERT INTO `users` (`id`, `name`) VALUES (?, ?) ON DUPLICATE KEY UPDATE `name` = VALUES(`name`), `visits` = `visits` + ?");
  CHECK(sql(insert(s.users).values({{"id", 1}, {"name", "ann"}}).on_conflict_do_nothing({"name"})) ==
        "INSERT INTO `users` (`id`, `name`) VALUES (?, ?) ON DUPLICATE KEY UPDATE `name` = `name`");
  CHECK(sql(insert(s.users).values({{"id", 1}, {"name", "ann"}}).on_conflict_do_nothing()) ==
        "INSERT INTO `users` (`id`, `name`) VALUES (?, ?) ON DUPLICATE KEY UPDATE `id` = `id`");
  CHECK_FALSE(dialect.capabilities().upsert_conflict_target);
}

TEST_CASE("update and delete; UPDATE … RETURNING is refused") {
  Schema s;
  CHECK(sql(update(s.users).where(s.users.c("id") == 1).values({{"name", "bob"}, {"age", s.users.c("age") + 1}})) ==
        "UPDATE `users` SET `name` = ?, `age` = `users`.`age` + ? WHERE `users`.`id` = ?");
  CHECK_THROWS_WITH_AS(sql(update(s.users).values({{"name", "bob"}}).returning(s.users.c("id"))),
                       (unsupported("UPDATE … RETURNING") + "; run a SELECT after the statement").c_str(), ArgumentError);
  CHECK(sql(delete_(s.users).where(s.users.c("id") == 1)) == "DELETE FROM `users` WHERE `users`.`id` = ?");
  CHECK(sql(delete_(s.users).where(s.users.c("id") == 1).returning(s.users.c("name"))) ==
        "DELETE FROM `users` WHERE `users`.`id` = ? RETURNING `users`.`name`");
}

TEST_CASE("create table: AUTO_INCREMENT, defaults, unique, foreign keys, check, enum") {
  Schema s;
  CHECK(sql(create_table(s.users)) ==
        "CREATE TABLE `users` (`id` INTEGER AUTO_INCREMENT NOT NULL, `name` VARCHAR(50) NOT NULL, `age` INTEGER, "
        "`visits` INTEGER DEFAULT 0, PRIMARY KEY (`id`), CONSTRAINT `uq_users_name` UNIQUE (`name`))");
  CHECK(sql(create_table(s.posts, true)) ==
        "CREATE TABLE IF NOT EXISTS `posts` (`id` BIGINT AUTO_INCREMENT NOT NULL, `user_id` INTEGER, `title` LONGTEXT, "
        "`status` VARCHAR(9), PRIMARY KEY (`id`), "
        "CONSTRAINT `fk_posts_user_id_users` FOREIGN KEY (`user_id`) REFERENCES `users` (`id`) ON DELETE CASCADE, "
        "CONSTRAINT `ck_title` CHECK (char_length(title) > 0), "
        "CONSTRAINT `ck_posts_status_enum` CHECK (`status` IN ('draft', 'published')))");
  CHECK(sql(drop_table(s.posts, true)) == "DROP TABLE IF EXISTS `posts`");
  auto ix = detail::make_ddl(detail::DdlNode::Op::create_index, table_ptr(s.posts), false, Index{"ix_posts_user_id", {"user_id"}});
  CHECK(sql(Ddl(ix)) == "CREATE INDEX `ix_posts_user_id` ON `posts` (`user_id`)");
  auto ux = detail::make_ddl(detail::DdlNode::Op::create_index, table_ptr(s.users), false, Index{"ux_users_age", {"age", "name"}, true});
  CHECK(sql(Ddl(ux)) == "CREATE UNIQUE INDEX `ux_users_age` ON `users` (`age`, `name`)");
}

TEST_CASE("type names") {
  auto type = [](const SqlType& t) {
    std::string out;
    dialect.type_name(out, t);
    return out;
  };
  CHECK(type(Integer{}) == "INTEGER");
  CHECK(type(BigInteger{}) == "BIGINT");
  CHECK(type(SmallInteger{}) == "SMALLINT");
  CHECK(type(Boolean{}) == "BOOL");
  CHECK(type(Float{}) == "FLOAT");
  CHECK(type(Double{}) == "DOUBLE");
  CHECK(type(Numeric{12, 2}) == "DECIMAL(12,2)");
  CHECK(type(String{20}) == "VARCHAR(20)");
  CHECK(type(Text{}) == "LONGTEXT");
  CHECK(type(LargeBinary{}) == "LONGBLOB");
  CHECK(type(DateType{}) == "DATE");
  CHECK(type(DateTimeType{}) == "DATETIME(6)");
  CHECK(type(DateTimeType{true}) == "DATETIME(6)");
  CHECK(type(TimeType{}) == "TIME(6)");
  CHECK(type(JsonType{}) == "JSON");
  CHECK(type(UuidType{}) == "CHAR(36)");
  CHECK_THROWS_WITH_AS(type(String{}), (unsupported("VARCHAR without a length") + "; use String{n} or Text{}").c_str(), ArgumentError);
  std::string ai;
  dialect.autoincrement_type(ai, BigInteger{});
  CHECK(ai == "BIGINT AUTO_INCREMENT");
}

TEST_CASE("DDL literals escape quotes and backslashes") {
  auto lit = [](const Value& v) {
    std::string out;
    dialect.literal(out, v);
    return out;
  };
  CHECK(lit(Value("it's a \\ path")) == "'it''s a \\\\ path'");
  CHECK(lit(Value(42)) == "42");
  CHECK(lit(Value(true)) == "1");
  CHECK(lit(Value()) == "NULL");
  CHECK(lit(Value(Date{std::chrono::year{2024} / 1 / 31})) == "'2024-01-31'");
  CHECK_THROWS_AS(lit(Value(std::string("a\0b", 3))), ArgumentError);
}

TEST_CASE("capabilities and session statements") {
  const auto& c = dialect.capabilities();
  CHECK(c.returning_insert);
  CHECK_FALSE(c.returning_update);
  CHECK(c.returning_delete);
  CHECK_FALSE(c.nulls_ordering);
  CHECK_FALSE(c.full_outer_join);
  CHECK(c.for_update);
  CHECK_FALSE(c.transactional_ddl);
  CHECK(c.max_params == 65535);
  CHECK(dialect.begin_sql() == "START TRANSACTION");
  CHECK(dialect.has_table_sql() ==
        "SELECT TABLE_NAME FROM information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = ?");
}

TEST_CASE("inline literals escape quotes and backslashes; ? placeholders are never shared (issue 12 bug 8)") {
  Schema s;
  CHECK(sql(select(inline_literal("it's \\' x"), inline_literal(false), inline_literal(std::int64_t{-7}))) ==
        "SELECT 'it''s \\\\'' x', 0, (-7)");
  auto size = case_({{s.users.c("age") < 30, "young"}}, "old");
  CHECK(compile(select(size, count()).group_by(size)).params.size() == 6);
  auto l = size.label("size");
  CHECK(sql(select(l, count()).group_by(l).order_by(l)) ==
        "SELECT CASE WHEN `users`.`age` < ? THEN ? ELSE ? END AS `size`, count(*) FROM `users` GROUP BY `size` ORDER BY `size`");
  // NULLS LAST emulated: the IS NULL key is an expression, where a name would be an input column.
  auto a = s.users.c("age").label("a");
  CHECK(sql(select(a).order_by(a.nulls_last())) == "SELECT `users`.`age` AS `a` FROM `users` ORDER BY `users`.`age` IS NULL, `a`");
}

TEST_CASE("a minus before a negative operand is parenthesised: `--` would start a comment (issue 12 bug 12)") {
  Schema s;
  auto age = s.users.c("age");
  CHECK(sql(select(-(-age), -(-(-age)), -inline_literal(-5), -literal_column("-5"), age - -age)) ==
        "SELECT -(-`users`.`age`), -(-(-`users`.`age`)), -(-5), -(-5), `users`.`age` - -`users`.`age` FROM `users`");
}

TEST_CASE("a correlated subquery in ORDER BY correlates to the outer select (issue 12 bug 13)") {
  Schema s;
  auto n = select(count()).where(s.posts.c("user_id") == s.users.c("id")).scalar_subquery();
  CHECK(sql(select(s.users.c("id")).order_by(n.desc())) ==
        "SELECT `users`.`id` FROM `users` ORDER BY (SELECT count(*) FROM `posts` WHERE `posts`.`user_id` = `users`.`id`) DESC");
}

TEST_CASE("a compound member that is a compound is parenthesised; INTERSECT after UNION groups the left (issue 12 bug 11)") {
  Schema s;
  auto id = s.users.c("id");
  auto x = select(id).where(id < 2), y = select(id).where(id > 3), z = select(id).where(id == 5);
  CHECK(sql(x.except_(y.union_all(z))) ==
        "SELECT `users`.`id` FROM `users` WHERE `users`.`id` < ? EXCEPT (SELECT `users`.`id` AS `id` FROM `users` WHERE `users`.`id` "
        "> ? UNION ALL SELECT `users`.`id` FROM `users` WHERE `users`.`id` = ?)");
  // MariaDB materialises a group like a derived table: its first select names its columns apart.
  CHECK(sql(select(id).except_(select(id, id, id + 1, literal(2).label("c2")).union_all(select(id, id, id, id)))) ==
        "SELECT `users`.`id` FROM `users` EXCEPT (SELECT `users`.`id` AS `id`, `users`.`id` AS `c2_`, `users`.`id` + ? AS `c3`, ? "
        "AS `c2` FROM `users` UNION ALL SELECT `users`.`id`, `users`.`id`, `users`.`id`, `users`.`id` FROM `users`)");
  CHECK(sql(x.union_(y).intersect(z).union_all(x).intersect(y)) ==
        "((SELECT `users`.`id` AS `id` FROM `users` WHERE `users`.`id` < ? UNION SELECT `users`.`id` FROM `users` WHERE `users`.`id` > ?) "
        "INTERSECT SELECT `users`.`id` FROM `users` WHERE `users`.`id` = ? UNION ALL SELECT `users`.`id` FROM `users` WHERE "
        "`users`.`id` < ?) INTERSECT SELECT `users`.`id` FROM `users` WHERE `users`.`id` > ?");
}

TEST_CASE("a value alone in GROUP BY / ORDER BY is written as a CAST, never read as a position (issue 12 bug 10)") {
  Schema s;
  auto id = s.users.c("id");
  CHECK(sql(select(id).group_by(literal(3), id).order_by(literal(1), inline_literal(2).desc(), inline_literal("x"))) ==
        "SELECT `users`.`id` FROM `users` GROUP BY CAST(? AS SIGNED), `users`.`id` ORDER BY CAST(? AS SIGNED), CAST(2 AS SIGNED) "
        "DESC, CAST('x' AS CHAR)");
  // NULLS LAST emulated: the key written twice, a CAST both times.
  CHECK(sql(select(id).order_by(literal(1).nulls_last())) ==
        "SELECT `users`.`id` FROM `users` ORDER BY CAST(? AS SIGNED) IS NULL, CAST(? AS SIGNED)");
}

TEST_CASE("portable functions: one answer on every backend (core/functions.hpp)") {
  MetaData md;
  Table m{"m", md, Column{"id", Integer{}, primary_key}, Column{"x", Double{}}, Column{"d", Numeric{12, 3}}, Column{"s", String{20}},
          Column{"at", DateTimeType{}}};
  CHECK(sql(select(round(m.c("x"), 2)).select_from(m)) ==
        R"(SELECT CASE WHEN ABS(`m`.`x`) >= 4503599627370496 THEN `m`.`x` ELSE CAST(ROUND(CAST(`m`.`x` AS DECIMAL(65,30)), ?) AS DOUBLE) END FROM `m`)");
  CHECK(sql(select(round(m.c("d"))).select_from(m)) ==
        R"(SELECT ROUND(`m`.`d`) FROM `m`)");
  CHECK(sql(select(greatest(m.c("x"), 0.0)).select_from(m)) ==
        R"(SELECT CASE WHEN `m`.`x` IS NULL OR ? IS NULL THEN NULL ELSE GREATEST(`m`.`x`, ?) END FROM `m`)");
  CHECK(sql(select(substr(m.c("s"), 2, 3)).select_from(m)) ==
        R"(SELECT substr(`m`.`s`, CAST(? AS SIGNED), CAST(? AS SIGNED)) FROM `m`)");
  CHECK(sql(select(extract("dow", m.c("at"))).select_from(m)) ==
        R"(SELECT (DAYOFWEEK(`m`.`at`) - 1) FROM `m`)");
  CHECK(sql(select(extract("week", m.c("at"))).select_from(m)) ==
        R"(SELECT WEEK(`m`.`at`, 3) FROM `m`)");
  CHECK(sql(select(current_date()).select_from(m)) ==
        R"(SELECT UTC_DATE() FROM `m`)");
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
  CHECK(c.sql == "SELECT `users`.`id`, row_number() OVER (PARTITION BY `users`.`name` ORDER BY `users`.`age` DESC), "
              "sum(`users`.`age`) OVER (ORDER BY `users`.`id` ROWS BETWEEN 2 PRECEDING AND CURRENT ROW), ntile(?) OVER `w`, "
              "count(*) OVER (`w` RANGE BETWEEN UNBOUNDED PRECEDING AND 1 FOLLOWING), max(`users`.`age`) OVER () FROM `users` "
              "WINDOW `w` AS (ORDER BY `users`.`id`)");
  // MariaDB takes no placeholder in a frame ("syntax error near '? PRECEDING'"): the offsets
  // are written in, and the compiled text says so (a typed statement does not cache it).
  CHECK(c.params.size() == 1);
  CHECK(c.values_in_text);
  // LAG/LEAD take no default: lag(1, n), never NULL where a row is n back, tells where it applies.
  auto lagged = compile(select(over(lag(s.age(), 2, 0), Window{.order_by = {s.id()}})));
  CHECK(lagged.sql ==
        "SELECT CASE WHEN lag(1, ?) OVER (ORDER BY `users`.`id`) IS NULL THEN ? ELSE lag(`users`.`age`, ?) OVER (ORDER BY "
        "`users`.`id`) END FROM `users`");
  REQUIRE(lagged.params.size() == 3);
  CHECK(lagged.params[0].value == Value(std::int64_t{2}));
  CHECK(lagged.params[1].value == Value(std::int64_t{0}));
  CHECK(lagged.params[2].value == Value(std::int64_t{2}));
}

TEST_CASE("isolation levels: SET TRANSACTION before START TRANSACTION, SET SESSION for an engine's") {
  using V = std::vector<std::string>;
  CHECK(dialect.begin_statements(std::nullopt) == V{"START TRANSACTION"});
  CHECK(dialect.begin_statements(IsolationLevel::serializable) ==
        V{"SET TRANSACTION ISOLATION LEVEL SERIALIZABLE", "START TRANSACTION"});
  CHECK(dialect.begin_statements(IsolationLevel::read_uncommitted) ==
        V{"SET TRANSACTION ISOLATION LEVEL READ UNCOMMITTED", "START TRANSACTION"});
  CHECK(dialect.connection_isolation_sql(IsolationLevel::read_committed) == "SET SESSION TRANSACTION ISOLATION LEVEL READ COMMITTED");
}

TEST_CASE("min()/max() and window functions of a derived table's column take it through coalesce(): MariaDB 10.11 reads a constant one on NULL-extended rows") {
  Schema s;
  auto d = select(s.posts.c("user_id"), literal("post").label("kind")).subquery("d");
  auto from = s.users.outerjoin(d, d.c("user_id") == s.users.c("id"));
  // On the NULL side of an outer join the statement also keeps d unmerged (null_side_derived_switch).
  std::string unmerged = "SET STATEMENT optimizer_switch='derived_merge=off' FOR ";
  CHECK(sql(select(max(d.c("kind")), count(d.c("kind"))).select_from(from)) ==
        unmerged + "SELECT max(coalesce(`d`.`kind`)), count(`d`.`kind`) FROM `users` LEFT OUTER JOIN "
        "(SELECT `posts`.`user_id`, ? AS `kind` FROM `posts`) AS `d` ON `d`.`user_id` = `users`.`id`");
  CHECK(sql(select(over(count(d.c("kind")), Window{}), over(lag(d.c("kind")), Window{.order_by = {s.users.c("id")}})).select_from(from)) ==
        unmerged + "SELECT count(coalesce(`d`.`kind`)) OVER (), lag(coalesce(`d`.`kind`), ?) OVER (ORDER BY `users`.`id`) FROM `users` "
        "LEFT OUTER JOIN (SELECT `posts`.`user_id`, ? AS `kind` FROM `posts`) AS `d` ON `d`.`user_id` = `users`.`id`");
  // A table's column, or an expression: as it was; d on the inner side: merged as it was.
  CHECK(sql(select(max(s.users.c("id")), max(d.c("kind") + "x")).select_from(from)).rfind(unmerged + "SELECT max(`users`.`id`), max(CONCAT(`d`.`kind`, ?))", 0) == 0);
  CHECK(sql(select(max(d.c("kind"))).select_from(s.users.join(d, d.c("user_id") == s.users.c("id")))).rfind("SELECT max(coalesce(", 0) == 0);
  CHECK(sql(select(max(s.posts.c("id"))).select_from(d.outerjoin(s.posts, s.posts.c("user_id") == d.c("user_id")))).rfind("SELECT max(", 0) == 0);
}

TEST_CASE("min()/max() of a column in HAVING without GROUP BY takes it through coalesce(): MariaDB 10.11 reads the index on an empty join") {
  Schema s;
  auto joined = s.users.join(s.posts, s.posts.c("id") > 1000);
  CHECK(sql(select(count()).select_from(joined).having(max(s.users.c("id")).is_not(null))) ==
        "SELECT count(*) FROM `users` JOIN `posts` ON `posts`.`id` > ? HAVING max(coalesce(`users`.`id`)) IS NOT NULL");
  // With GROUP BY, or in the select list: as it was.
  CHECK(sql(select(max(s.users.c("id"))).select_from(joined).group_by(s.users.c("name")).having(max(s.users.c("id")) > 1)) ==
        "SELECT max(`users`.`id`) FROM `users` JOIN `posts` ON `posts`.`id` > ? GROUP BY `users`.`name` HAVING max(`users`.`id`) > ?");
}

TEST_CASE("SELECT DISTINCT of constants with an OFFSET reads a derived table: MariaDB 10.11 drops the OFFSET") {
  Schema s;
  CHECK(sql(select(literal("b")).select_from(s.users).distinct().order_by(literal("b")).limit(10).offset(4)) ==
        "SELECT * FROM (SELECT DISTINCT ? AS `c1` FROM `users`) AS `athanor_distinct` LIMIT ? OFFSET ?");
  CHECK(sql(select(literal("a").like("_")).select_from(s.users).distinct().offset(4)).rfind("SELECT * FROM (SELECT DISTINCT", 0) == 0);
  // A column, no OFFSET, or no DISTINCT: as it was.
  CHECK(sql(select(s.users.c("name")).distinct().offset(4)).rfind("SELECT DISTINCT `users`.`name` FROM `users`", 0) == 0);
  CHECK(sql(select(literal("b")).select_from(s.users).distinct().limit(4)).rfind("SELECT DISTINCT ? FROM", 0) == 0);
  CHECK(sql(select(literal("b")).select_from(s.users).offset(4)).rfind("SELECT ? FROM", 0) == 0);
}

TEST_CASE("constant window keys are left out where that keeps the meaning: MariaDB 10.11 mis-partitions another window") {
  Schema s;
  auto id = s.users.c("id");
  auto m = s.users.c("name");
  CHECK(sql(select(over(count(), Window{.partition_by = {m}}), over(rank(), Window{.order_by = {literal(3)}}),
                   over(count(), Window{.partition_by = {literal(3), m}}), over(count(), Window{.order_by = {literal(3)}}),
                   over(dense_rank(), Window{.order_by = {literal(3), id}}))) ==
        "SELECT count(*) OVER (PARTITION BY `users`.`name`), 1, count(*) OVER (PARTITION BY `users`.`name`), count(*) OVER (), "
        "dense_rank() OVER (ORDER BY ?, `users`.`id`) FROM `users`");
  // An ORDER BY with a frame stays (the frame counts rows).
  CHECK(sql(select(over(sum(id), Window{.order_by = {literal(3)}, .frame = rows_between(unbounded_preceding(), current_row())})))
            .find("ORDER BY ? ROWS BETWEEN") != std::string::npos);
}
