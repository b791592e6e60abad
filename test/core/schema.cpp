// test/core/schema.cpp — MetaData, Table, Column and constraints on a real database:
// every column option, create_all / drop_all order and checkfirst, constraints the
// database enforces, and the ArgumentErrors of a malformed schema.
#include "support/backend.hpp"
#include "support/requirements.hpp"

#include <chrono>
#include <mutex>

using namespace athanor;

namespace {

/// Collects the SQL an engine runs (echo), to check the order of DDL statements.
struct Log {
  std::shared_ptr<std::vector<std::string>> lines = std::make_shared<std::vector<std::string>>();
  std::shared_ptr<std::mutex> mutex = std::make_shared<std::mutex>();
  EngineOptions options() const {
    return {.echo = true, .echo_sink = [l = lines, m = mutex](std::string_view s) {
              std::lock_guard g(*m);
              l->emplace_back(s);
            }, .pool = {}};
  }
  /// Index of the first line containing both `a` and `b`, or -1.
  int find(std::string_view a, std::string_view b) const {
    std::lock_guard g(*mutex);
    for (std::size_t i = 0; i < lines->size(); ++i)
      if ((*lines)[i].find(a) != std::string::npos && (*lines)[i].find(b) != std::string::npos) return static_cast<int>(i);
    return -1;
  }
  void clear() {
    std::lock_guard g(*mutex);
    lines->clear();
  }
};

constexpr auto unique_id = "[athanor.integrity.unique]";
constexpr auto not_null_id = "[athanor.integrity.not_null]";
constexpr auto foreign_key_id = "[athanor.integrity.foreign_key]";
constexpr auto check_id = "[athanor.integrity.check]";

}  // namespace

TEST_CASE("nullable(false) is enforced, nullable columns take NULL") {
  test::Schema s;
  Table t{"people", s.md, Column{"id", Integer{}, primary_key}, Column{"name", String{50}, nullable(false)},
          Column{"nick", String{50}}};
  s.create();
  auto conn = s.engine.connect();
  conn.execute(insert(t).values({{"id", 1}, {"name", "ann"}, {"nick", null}}));
  CHECK(conn.execute(select(t.c("nick"))).scalar<std::string>() == std::nullopt);
  CHECK_THROWS_WITH_AS(conn.execute(insert(t).values({{"id", 2}, {"name", null}})), doctest::Contains(not_null_id), IntegrityError);
  CHECK_THROWS_WITH_AS(conn.execute(insert(t).values({{"id", 3}})), doctest::Contains("[athanor.integrity"), IntegrityError);
  CHECK(*conn.execute(select(count()).select_from(t)).scalar<int>() == 1);
}

TEST_CASE("server_default: a literal, now() and a SQL fragment") {
  test::Schema s;
  Table t{"defaults", s.md, Column{"id", Integer{}, primary_key},
          Column{"label", String{20}, nullable(false), server_default("it's new")},
          Column{"n", Integer{}, server_default(5)},
          Column{"flag", Boolean{}, server_default(true)},
          Column{"created", DateTimeType{}, server_default(now())},
          Column{"sum", Integer{}, server_default(sql_fragment("1 + 2"))}};
  s.create();
  auto conn = s.engine.connect();
  conn.execute(insert(t).values({{"id", 1}}));
  auto r = conn.execute(select(t).where(t.c("id") == 1));
  auto& row = r.one();
  CHECK(row.get<std::string>("label") == "it's new");
  CHECK(row.get<int>("n") == 5);
  CHECK(row["flag"] == Value(true));
  CHECK(row.get<int>("sum") == 3);
  auto created = row.get<DateTime>("created");
  auto now = std::chrono::time_point_cast<std::chrono::microseconds>(std::chrono::system_clock::now());
  CHECK(std::chrono::abs(now - created) < std::chrono::minutes(5));
}

TEST_CASE("unique columns and UniqueConstraint over several columns are enforced") {
  test::Schema s;
  Table t{"accounts", s.md, Column{"id", Integer{}, primary_key}, Column{"email", String{100}, unique},
          Column{"first", String{30}}, Column{"last", String{30}}, UniqueConstraint{{"first", "last"}, "uq_accounts_full_name"}};
  s.create();
  auto conn = s.engine.connect();
  conn.execute(insert(t).values({{"id", 1}, {"email", "a@x"}, {"first", "ann"}, {"last", "lee"}}));
  CHECK_THROWS_WITH_AS(conn.execute(insert(t).values({{"id", 2}, {"email", "a@x"}, {"first", "bob"}, {"last", "lee"}})),
                       doctest::Contains(unique_id), IntegrityError);
  CHECK_THROWS_WITH_AS(conn.execute(insert(t).values({{"id", 3}, {"email", "b@x"}, {"first", "ann"}, {"last", "lee"}})),
                       doctest::Contains(unique_id), IntegrityError);
  conn.execute(insert(t).values({{"id", 4}, {"email", "c@x"}, {"first", "ann"}, {"last", "kim"}}));  // differs in one column
  CHECK_THROWS_WITH_AS(conn.execute(insert(t).values({{"id", 1}, {"email", "d@x"}, {"first", "x"}, {"last", "y"}})),
                       doctest::Contains(unique_id), IntegrityError);  // primary key
  CHECK(*conn.execute(select(count()).select_from(t)).scalar<int>() == 2);
}

TEST_CASE("an integer primary key autoincrements, also a BigInteger one") {
  test::Schema s;
  Table small{"small_keys", s.md, Column{"id", Integer{}, primary_key}, Column{"v", String{10}}};
  Table big{"big_keys", s.md, Column{"id", BigInteger{}, primary_key, autoincrement(true)}, Column{"v", String{10}}};
  s.create();
  auto conn = s.engine.connect();
  for (auto* t : {&small, &big}) {
    auto a = conn.execute(insert(*t).values({{"v", "a"}})).inserted_primary_key().at(0);
    auto b = conn.execute(insert(*t).values({{"v", "b"}})).inserted_primary_key().at(0);
    CHECK(b.as<std::int64_t>() > a.as<std::int64_t>());
    CHECK(conn.execute(select(t->c("v")).where(t->c("id") == b)).scalar_one<std::string>() == "b");
  }
}

TEST_CASE("a composite primary key (PrimaryKeyConstraint) is enforced") {
  test::Schema s;
  Table t{"order_lines", s.md, Column{"order_id", Integer{}}, Column{"line", Integer{}}, Column{"sku", String{20}},
          PrimaryKeyConstraint{{"order_id", "line"}}};
  s.create();
  CHECK_FALSE(t.data().columns[0].nullable);  // primary key columns are NOT NULL
  auto conn = s.engine.connect();
  conn.execute(insert(t).values_list({{{"order_id", 1}, {"line", 1}, {"sku", "a"}}, {{"order_id", 1}, {"line", 2}, {"sku", "b"}},
                                      {{"order_id", 2}, {"line", 1}, {"sku", "c"}}}));
  CHECK_THROWS_WITH_AS(conn.execute(insert(t).values({{"order_id", 1}, {"line", 2}, {"sku", "d"}})), doctest::Contains(unique_id),
                       IntegrityError);
}

TEST_CASE("foreign keys: ON DELETE CASCADE, ON DELETE SET NULL, ON UPDATE CASCADE") {
  test::Schema s;
  Table authors{"authors", s.md, Column{"id", Integer{}, primary_key}, Column{"name", String{50}}};
  Table books{"books", s.md, Column{"id", Integer{}, primary_key},
              Column{"author_id", Integer{}, ForeignKey{"authors.id", {.on_delete = Action::cascade, .on_update = Action::cascade, .name = {}}}}};
  Table notes{"notes", s.md, Column{"id", Integer{}, primary_key},
              Column{"author_id", Integer{}, ForeignKey{"authors.id", {.on_delete = Action::set_null, .on_update = Action::cascade, .name = "fk_notes_author"}}}};
  s.create();
  auto conn = s.engine.connect();
  conn.execute(insert(authors).values_list({{{"id", 1}, {"name", "ann"}}, {{"id", 2}, {"name", "bob"}}}));
  conn.execute(insert(books).values_list({{{"id", 10}, {"author_id", 1}}, {{"id", 11}, {"author_id", 2}}}));
  conn.execute(insert(notes).values_list({{{"id", 20}, {"author_id", 1}}, {{"id", 21}, {"author_id", 2}}}));

  CHECK_THROWS_WITH_AS(conn.execute(insert(books).values({{"id", 12}, {"author_id", 99}})), doctest::Contains(foreign_key_id),
                       IntegrityError);
  conn.execute(delete_(authors).where(authors.c("id") == 1));
  CHECK(conn.execute(select(books.c("id")).order_by(books.c("id"))).scalars<int>() == std::vector<int>{11});
  CHECK(conn.execute(select(notes.c("author_id")).where(notes.c("id") == 20)).scalar<int>() == std::nullopt);

  conn.execute(update(authors).where(authors.c("id") == 2).values({{"id", 5}}));
  CHECK(conn.execute(select(books.c("author_id")).where(books.c("id") == 11)).scalar_one<int>() == 5);
  CHECK(conn.execute(select(notes.c("author_id")).where(notes.c("id") == 21)).scalar_one<int>() == 5);
}

TEST_CASE("a foreign key without an action refuses to delete a referenced row") {
  test::Schema s;
  Table parents{"parents", s.md, Column{"id", Integer{}, primary_key}};
  Table kids{"kids", s.md, Column{"id", Integer{}, primary_key}, Column{"parent_id", Integer{}, ForeignKey{"parents.id"}}};
  s.create();
  auto conn = s.engine.connect();
  conn.execute(insert(parents).values({{"id", 1}}));
  conn.execute(insert(kids).values({{"id", 1}, {"parent_id", 1}}));
  CHECK_THROWS_WITH_AS(conn.execute(delete_(parents)), doctest::Contains(foreign_key_id), IntegrityError);
  CHECK(*conn.execute(select(count()).select_from(parents)).scalar<int>() == 1);
}

TEST_CASE("a ForeignKeyConstraint over two columns") {
  test::Schema s;
  Table lines{"order_lines", s.md, Column{"order_id", Integer{}}, Column{"line", Integer{}}, PrimaryKeyConstraint{{"order_id", "line"}}};
  Table refunds{"refunds", s.md, Column{"id", Integer{}, primary_key}, Column{"order_id", Integer{}}, Column{"line", Integer{}},
                ForeignKeyConstraint{{"order_id", "line"}, {"order_lines.order_id", "order_lines.line"}, {.on_delete = Action::cascade, .on_update = {}, .name = {}}}};
  s.create();
  auto conn = s.engine.connect();
  conn.execute(insert(lines).values_list({{{"order_id", 1}, {"line", 1}}, {{"order_id", 1}, {"line", 2}}}));
  conn.execute(insert(refunds).values({{"id", 1}, {"order_id", 1}, {"line", 2}}));
  CHECK_THROWS_WITH_AS(conn.execute(insert(refunds).values({{"id", 2}, {"order_id", 2}, {"line", 1}})),
                       doctest::Contains(foreign_key_id), IntegrityError);
  conn.execute(delete_(lines).where(lines.c("line") == 2));
  CHECK(*conn.execute(select(count()).select_from(refunds)).scalar<int>() == 0);
}

TEST_CASE("CheckConstraint is enforced where the dialect has check constraints") {
  test::Schema s;
  Table t{"prices", s.md, Column{"id", Integer{}, primary_key}, Column{"amount", Integer{}},
          CheckConstraint{"amount >= 0", "ck_prices_amount"}};
  s.create();
  auto conn = s.engine.connect();
  conn.execute(insert(t).values({{"id", 1}, {"amount", 0}}));
  if (!test::caps().check_constraints) {
    MESSAGE("this dialect does not enforce CHECK constraints");
    return;
  }
  CHECK_THROWS_WITH_AS(conn.execute(insert(t).values({{"id", 2}, {"amount", -1}})), doctest::Contains(check_id), IntegrityError);
  CHECK_THROWS_WITH_AS(conn.execute(update(t).values({{"amount", -5}})), doctest::Contains(check_id), IntegrityError);
  CHECK(conn.execute(select(t.c("amount"))).scalar_one<int>() == 0);
}

TEST_CASE("indexes: a column index, a unique multi-column Index") {
  test::Schema s;
  Log log;
  s.engine = test::engine(log.options());
  Table t{"events", s.md, Column{"id", Integer{}, primary_key}, Column{"kind", String{20}, indexed},  // `index` would be ambiguous with POSIX index() here
          Column{"day", Integer{}}, Column{"slot", Integer{}}, Index{"ux_events_day_slot", {"day", "slot"}, true},
          Index{"ix_events_slot", {"slot"}}};
  s.create();
  CHECK(log.find("CREATE INDEX", "ix_events_kind") >= 0);
  CHECK(log.find("CREATE UNIQUE INDEX", "ux_events_day_slot") >= 0);
  CHECK(log.find("CREATE INDEX", "ix_events_slot") >= 0);
  auto conn = s.engine.connect();
  conn.execute(insert(t).values_list({{{"id", 1}, {"kind", "a"}, {"day", 1}, {"slot", 1}}, {{"id", 2}, {"kind", "a"}, {"day", 1}, {"slot", 2}}}));
  CHECK_THROWS_WITH_AS(conn.execute(insert(t).values({{"id", 3}, {"kind", "a"}, {"day", 1}, {"slot", 2}})), doctest::Contains(unique_id),
                       IntegrityError);
}

TEST_CASE("a unique column index") {
  test::Schema s;
  Log log;
  s.engine = test::engine(log.options());
  Table t{"handles", s.md, Column{"id", Integer{}, primary_key}, Column{"handle", String{20}, athanor::index, unique}};
  s.create();
  // One unique index and no second UNIQUE constraint on the same column (as SQLAlchemy's
  // Column(unique=True, index=True)): the database would keep two structures for one rule.
  CHECK(log.find("CREATE UNIQUE INDEX", "ix_handles_handle") >= 0);
  CHECK(log.find("CREATE TABLE", "UNIQUE") == -1);
  auto conn = s.engine.connect();
  conn.execute(insert(t).values({{"id", 1}, {"handle", "x"}}));
  CHECK_THROWS_WITH_AS(conn.execute(insert(t).values({{"id", 2}, {"handle", "x"}})), doctest::Contains(unique_id), IntegrityError);
}

TEST_CASE("Enum accepts its names and refuses others") {
  test::Schema s;
  Table t{"posts", s.md, Column{"id", Integer{}, primary_key}, Column{"status", Enum{"draft", "published"}, nullable(false)}};
  s.create();
  auto conn = s.engine.connect();
  conn.execute(insert(t).values_list({{{"id", 1}, {"status", "draft"}}, {{"id", 2}, {"status", "published"}}}));
  CHECK(conn.execute(select(t.c("status")).order_by(t.c("id"))).scalars<std::string>() == std::vector<std::string>{"draft", "published"});
  // a CHECK constraint (IntegrityError) or a native enum type (DataError), by dialect
  CHECK_THROWS_AS(conn.execute(insert(t).values({{"id", 3}, {"status", "deleted"}})), DatabaseError);
  CHECK(*conn.execute(select(count()).select_from(t)).scalar<int>() == 2);
}

TEST_CASE("create_all creates parents first and drop_all drops children first") {
  test::Schema s;
  Log log;
  s.engine = test::engine(log.options());
  // declared children first, so that only the dependency sort can get the order right
  Table reviews{"reviews", s.md, Column{"id", Integer{}, primary_key}, Column{"book_id", Integer{}, ForeignKey{"books.id"}}};
  Table books{"books", s.md, Column{"id", Integer{}, primary_key}, Column{"author_id", Integer{}, ForeignKey{"authors.id"}}};
  Table authors{"authors", s.md, Column{"id", Integer{}, primary_key}};
  s.create();
  int a = log.find("CREATE TABLE", "authors"), b = log.find("CREATE TABLE", "books"), r = log.find("CREATE TABLE", "reviews");
  REQUIRE(a >= 0);
  CHECK(a < b);
  CHECK(b < r);
  {
    auto conn = s.engine.connect();
    conn.execute(insert(authors).values({{"id", 1}}));
    conn.execute(insert(books).values({{"id", 1}, {"author_id", 1}}));
    conn.execute(insert(reviews).values({{"id", 1}, {"book_id", 1}}));
  }
  log.clear();
  s.md.drop_all(s.engine);  // with rows referencing each other: a wrong order fails
  a = log.find("DROP TABLE", "authors"), b = log.find("DROP TABLE", "books"), r = log.find("DROP TABLE", "reviews");
  REQUIRE(r >= 0);
  CHECK(r < b);
  CHECK(b < a);
  auto conn = s.engine.connect();
  CHECK_FALSE(conn.has_table("authors"));
  CHECK_FALSE(conn.has_table("reviews"));
}

TEST_CASE("checkfirst: a second create_all is a no-op; has_table") {
  test::Schema s;
  Log log;
  s.engine = test::engine(log.options());
  Table t{"things", s.md, Column{"id", Integer{}, primary_key}, Column{"name", String{20}, athanor::index}};
  s.create();
  auto conn = s.engine.connect();
  CHECK(conn.has_table("things"));
  CHECK_FALSE(conn.has_table("no_such_table"));
  conn.execute(insert(t).values({{"id", 1}, {"name", "kept"}}));
  log.clear();
  s.md.create_all(s.engine);
  CHECK(log.find("CREATE", "things") == -1);
  CHECK(conn.execute(select(t.c("name"))).scalar_one<std::string>() == "kept");
  // without checkfirst the table exists already
  CHECK_THROWS_AS(s.md.create_all(s.engine, false), ProgrammingError);
  // drop_all with checkfirst on missing tables is fine
  s.md.drop_all(s.engine);
  CHECK_FALSE(conn.has_table("things"));
  s.md.drop_all(s.engine);
  CHECK_THROWS_AS(s.md.drop_all(s.engine, false), ProgrammingError);
}

TEST_CASE("create_all and drop_all on a Connection") {
  test::Schema s;
  Table t{"on_conn", s.md, Column{"id", Integer{}, primary_key}};
  auto conn = s.engine.connect();
  s.md.drop_all(conn);
  s.md.create_all(conn);
  CHECK(conn.has_table("on_conn"));
  s.md.drop_all(conn);
  CHECK_FALSE(conn.has_table("on_conn"));
}

TEST_CASE("unknown columns in a schema are ArgumentErrors with the exact message") {
  MetaData md;
  CHECK_THROWS_WITH_AS((Table{"t1", md, Column{"id", Integer{}}, PrimaryKeyConstraint{{"nope"}}}),
                       "[athanor.argument.unknown_column] table t1 has no column 'nope' (primary key)", ArgumentError);
  CHECK_THROWS_WITH_AS((Table{"t2", md, Column{"id", Integer{}}, Index{"ix", {"id", "nope"}}}),
                       "[athanor.argument.unknown_column] table t2 has no column 'nope' (index)", ArgumentError);
  CHECK_THROWS_WITH_AS((Table{"t3", md, Column{"id", Integer{}}, UniqueConstraint{{"nope"}, ""}}),
                       "[athanor.argument.unknown_column] table t3 has no column 'nope' (unique constraint)", ArgumentError);
  CHECK_THROWS_WITH_AS((Table{"t4", md, Column{"id", Integer{}}, ForeignKeyConstraint{{"nope"}, {"t1.id"}, {}}}),
                       "[athanor.argument.unknown_column] table t4 has no column 'nope' (foreign key)", ArgumentError);
  CHECK_THROWS_WITH_AS((Table{"t5", md, Column{"id", Integer{}, ForeignKey{"users"}}}),
                       "[athanor.argument.foreign_key] table t5: foreign key target 'users' is not of the form table.column",
                       ArgumentError);
  CHECK_THROWS_WITH_AS((Table{"t6", md, Column{"id", Integer{}}, ForeignKeyConstraint{{"id"}, {}, {}}}),
                       "[athanor.argument.foreign_key] table t6: a foreign key has 1 columns and 0 targets", ArgumentError);
  CHECK_THROWS_WITH_AS((Table{"t7", md, Column{"a", Integer{}}, Column{"b", Integer{}},
                              ForeignKeyConstraint{{"a", "b"}, {"x.a", "y.b"}, {}}}),
                       "[athanor.argument.foreign_key] table t7: the targets of a foreign key name two tables (x, y)",
                       ArgumentError);
  CHECK(md.size() == 0);  // nothing half-built was registered
}

TEST_CASE("a foreign key to a column its table lacks is an ArgumentError at create_all") {
  test::Schema s;
  Table users{"users", s.md, Column{"id", Integer{}, primary_key}};
  Table posts{"posts", s.md, Column{"id", Integer{}, primary_key}, Column{"user_id", Integer{}, ForeignKey{"users.uid"}}};
  CHECK_THROWS_WITH_AS(s.md.create_all(s.engine),
                       "[athanor.argument.unknown_column] table users has no column 'uid' (foreign key of table posts)",
                       ArgumentError);
  auto conn = s.engine.connect();
  CHECK_FALSE(conn.has_table("users"));  // checked before any DDL ran
}

TEST_CASE("MetaData misuse: duplicate and unknown tables, a table without columns") {
  MetaData md;
  Table users{"users", md, Column{"id", Integer{}, primary_key}};
  CHECK_THROWS_WITH_AS((Table{"users", md, Column{"id", Integer{}}}),
                       "[athanor.argument.table] table users is already defined in this MetaData", ArgumentError);
  CHECK_THROWS_WITH_AS((Table{md, "nope"}), "[athanor.argument.unknown_table] no table 'nope' in this MetaData", ArgumentError);
  CHECK_THROWS_WITH_AS((Table{"empty", md}), "[athanor.argument.table] table empty has no columns", ArgumentError);
  Table again{md, "users"};
  CHECK(again.columns().size() == 1);
  CHECK(md.size() == 1);
}

TEST_CASE("identifiers up to the dialect's length limit work, longer ones are refused before the server cuts them") {
  const Capabilities& caps = test::caps();
  const std::size_t limit = caps.max_identifier_length;
  const std::size_t longest = limit ? limit : 200;  // no limit: a long name just works
  // Where the limit counts characters, a name of `longest` characters has more bytes than that.
  std::string column = "c";
  for (std::size_t i = 1; i < longest; ++i) column += caps.identifier_length_in_characters ? "é" : "c";
  {
    test::Schema s;
    Table t{std::string(longest, 't'), s.md, Column{"id", Integer{}, primary_key, autoincrement(false)}, Column{column, Integer{}}};
    s.create();
    auto conn = s.engine.connect();
    CHECK(conn.has_table(std::string(longest, 't')));
    conn.execute(insert(t).values({{"id", 1}, {column, 42}}));
    auto row = conn.execute(select(t.c(column).label(std::string(longest, 'x')))).one();
    CHECK(row.get<int>(std::string(longest, 'x')) == 42);
  }
  if (limit == 0) return;
  std::string_view dialect = test::engine().dialect().display_name();
  auto refused = [&](char c) {
    const char* unit = caps.identifier_length_in_characters ? " characters" : " bytes";
    return "[athanor.argument.identifier] '" + std::string(20, c) + "…' is " + std::to_string(limit + 1) + unit + " long; " +
           std::string(dialect) + " identifiers are at most " + std::to_string(limit) + unit;
  };
  test::Schema s;
  Table long_table{std::string(limit + 1, 'u'), s.md, Column{"id", Integer{}, primary_key}};
  CHECK_THROWS_WITH_AS(s.md.create_all(s.engine), refused('u').c_str(), ArgumentError);
  MetaData md2;
  Table long_column{"short_name", md2, Column{"id", Integer{}, primary_key}, Column{std::string(limit + 1, 'v'), Integer{}}};
  CHECK_THROWS_WITH_AS(md2.create_all(s.engine), refused('v').c_str(), ArgumentError);
  auto conn = s.engine.connect();
  CHECK_THROWS_WITH_AS(conn.execute(select(literal(1).label(std::string(limit + 1, 'w')))), refused('w').c_str(), ArgumentError);
  CHECK(conn.execute(select(literal(1).label(std::string(limit, 'w')))).scalar_one<int>() == 1);  // the connection goes on
}

TEST_CASE("identifiers outside the Basic Multilingual Plane: stored where the server takes them, refused up front where not") {
  // MariaDB keeps identifiers in utf8mb3 (U+0000–U+FFFF): a 4-byte UTF-8 character there was an
  // "Illegal mix of collations" from the table-exists check of create_all, not a word about the name.
  const std::string name = "emoji_\xF0\x9F\x98\x80";  // emoji_😀
  test::Schema s;
  Table t{name, s.md, Column{"id", Integer{}, primary_key, autoincrement(false)}, Column{name, Integer{}}};
  if (!test::caps().identifiers_bmp_only) {
    s.create();
    auto conn = s.engine.connect();
    CHECK(conn.has_table(name));
    conn.execute(insert(t).values({{"id", 1}, {name, 7}}));
    CHECK(conn.execute(select(t.c(name))).scalar_one<int>() == 7);
    return;
  }
  std::string expected = "[athanor.argument.identifier] '" + name + "' holds a character beyond U+FFFF; " +
                         std::string(s.engine.dialect().display_name()) + " identifiers take U+0000 to U+FFFF only";
  CHECK_THROWS_WITH_AS(s.md.create_all(s.engine), expected.c_str(), ArgumentError);
  auto conn = s.engine.connect();
  CHECK_THROWS_WITH_AS(conn.has_table(name), expected.c_str(), ArgumentError);
  CHECK(conn.execute(select(literal(1))).scalar_one<int>() == 1);  // the connection goes on
}
