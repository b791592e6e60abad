// test/orm/results.cpp — typed results without a second pass, on every backend: rows streamed
// from the open statement (== the rows execute() materialises), a loop left early or by an
// exception (the Session works on), a second statement while a stream is open (a clear error),
// rows read into a caller's struct, typed expressions inside Core and Core fragments over
// typed subquery columns, and echo with parameters (values shortened, secrets masked).
#include <algorithm>
#include <map>
#include <numeric>

#include "orm/models.hpp"
#include "support/backend.hpp"
#include "support/requirements.hpp"

using namespace blog;
using orm::c;
using athanor::Expr;

namespace results {
namespace orm = athanor::orm;
/// A table with a binary column, for echo.
struct Blob {
  orm::Mapped<int> id;
  orm::Mapped<athanor::Bytes> data;
  orm::Mapped<std::string> note;
  static void configure(orm::Mapper<Blob>& m) {
    m.column<&Blob::id>().primary_key();
    m.column<&Blob::note>().length(200);
  }
};
ATHANOR_MODEL(Blob, "blobs", id, data, note)
/// Mapped without std::optional over a table whose columns allow NULL (made by hand below, as
/// a table another program owns would be): loading a NULL must say which column it was.
struct Legacy {
  orm::Mapped<int> id;
  orm::Mapped<int> age;
  orm::Mapped<std::string> nick;
  orm::Mapped<athanor::Date> born;
  static void configure(orm::Mapper<Legacy>& m) { m.column<&Legacy::id>().primary_key(); }
};
ATHANOR_MODEL(Legacy, "legacy_people", id, age, nick, born)
}  // namespace results
using results::Blob;
using results::Legacy;

namespace {
constexpr int kUsers = 30;
/// kUsers users (u00…u29) with i % 4 posts each, scores i * 0.5 + k (every 5th NULL).
struct Data {
  athanor::Engine engine;
  orm::Registry registry;
  orm::Session s;
  explicit Data(athanor::EngineOptions o = {}) : engine(test::engine(std::move(o))), s(engine) {
    registry.map<User, Post, Comment, Tag, PostTag, Account, Blob>();
    registry.metadata().drop_all(engine);
    registry.metadata().create_all(engine);
    for (int i = 0; i < kUsers; ++i) {
      auto u = s.add(User{.name = "u" + std::string(i < 10 ? "0" : "") + std::to_string(i)});
      s.flush();
      for (int k = 0; k < i % 4; ++k) {
        std::optional<double> score;
        if ((i + k) % 5 != 0) score = i * 0.5 + k;
        s.add(Post{.user_id = u->id, .title = "t" + std::to_string(i) + "-" + std::to_string(k), .score = score});
      }
    }
    s.commit();
  }
  ~Data() {
    s.close();
    try {
      registry.metadata().drop_all(engine);
    } catch (...) {
    }
  }
};

auto posts_per_user() {
  return orm::select(c<&User::name>, orm::count(c<&Post::id>), orm::sum(c<&Post::score>))
      .outerjoin<Post>(c<&User::id> == c<&Post::user_id>)
      .where(c<&User::name> != "u07")
      .group_by(c<&User::name>)
      .order_by(c<&User::name>);
}

struct Report {
  std::string name;
  std::int64_t posts;
  std::optional<double> total;
};
}  // namespace

TEST_CASE("a streamed select gives the rows execute() gives, in order; for_each the same") {
  Data d;
  auto stmt = posts_per_user();
  auto all = d.s.execute(stmt);
  REQUIRE(all.size() == kUsers - 1);
  std::vector<std::tuple<std::string, std::int64_t, std::optional<double>>> streamed;
  for (auto&& [name, n, total] : d.s.stream(stmt)) streamed.emplace_back(name, n, total);
  CHECK(streamed == all);
  // The posts per user, as the C++ that made them says.
  std::int64_t expected = 0, counted = 0;
  for (int i = 0; i < kUsers; ++i) expected += i == 7 ? 0 : i % 4;
  d.s.for_each(stmt, [&](auto&& row) { counted += std::get<1>(row); });
  CHECK(counted == expected);
  // An empty result: the loop body never runs, the connection is free at once.
  int none = 0;
  for (auto&& row : d.s.stream(orm::select(c<&User::id>).where(c<&User::id> < 0))) none += std::get<0>(row);
  CHECK(none == 0);
  CHECK(d.s.execute(orm::select(orm::count()).select_from<User>()).at(0) == std::tuple<std::int64_t>{kUsers});
  // On a Connection too, and a second begin() goes on where the first stopped (single pass).
  auto conn = d.engine.connect();
  auto st = conn.stream(stmt);
  auto it = st.begin();
  REQUIRE(it != st.end());
  CHECK(*it == all[0]);
  ++it;
  CHECK(*st.begin() == all[1]);
}

TEST_CASE("one select type run for many rows, fewer and none gives each run's rows, with no more room than growing would") {
  // A typed select's Rows reserve as many rows as its type read last time (run_rows); a run
  // that reads fewer than half of them gives the rest of the room back.
  Data d;
  auto conn = d.engine.connect();
  for (int n : {30, 3, 0, 20, 1, 30, 30, 12}) {
    std::string below = "u" + std::string(n < 10 ? "0" : "") + std::to_string(n);
    auto rows = conn.execute(orm::select<User>().where(c<&User::name> < below).order_by(c<&User::name>));
    REQUIRE(rows.size() == static_cast<std::size_t>(n));
    for (int i = 0; i < n; ++i) CHECK(rows[static_cast<std::size_t>(i)].name.get() == "u" + std::string(i < 10 ? "0" : "") + std::to_string(i));
    CHECK(rows.capacity() <= 2 * rows.size());
  }
}

TEST_CASE("leaving a stream's loop early (break, exception) frees the connection; the Session works on") {
  Data d;
  auto stmt = posts_per_user();
  auto all = d.s.execute(stmt);
  int seen = 0;
  for (auto&& row : d.s.stream(stmt)) {
    CHECK(row == all[static_cast<std::size_t>(seen)]);
    if (++seen == 3) break;
  }
  CHECK(seen == 3);
  // Another query, a write and a commit on the same Session.
  CHECK(d.s.execute(stmt) == all);
  d.s.add(User{.name = "after_break"});
  d.s.commit();
  CHECK(d.s.execute(orm::select(c<&User::id>).where(c<&User::name> == "after_break")).size() == 1);

  // An exception thrown by the loop's body: the stream closes as it unwinds.
  all = d.s.execute(stmt);  // with after_break
  seen = 0;
  CHECK_THROWS_AS(
      [&] {
        for (auto&& row : d.s.stream(stmt)) {
          (void)row;
          if (++seen == 2) throw std::runtime_error("stop");
        }
      }(),
      std::runtime_error);
  d.s.rollback();
  CHECK(d.s.execute(stmt) == all);
  d.s.add(User{.name = "after_throw"});
  d.s.commit();
  CHECK(d.s.execute(orm::select(c<&User::id>).where(c<&User::name> == "after_throw")).size() == 1);
}

TEST_CASE("while a stream is open its Session runs nothing else: a clear error, and the stream reads on") {
  Data d;
  auto stmt = posts_per_user();
  auto all = d.s.execute(stmt);
  const std::string busy =
      "[athanor.argument.stream_open] a stream is still reading rows on this connection; finish or leave its loop "
      "before running another statement (or read all rows first with execute())";
  std::vector<std::tuple<std::string, std::int64_t, std::optional<double>>> streamed;
  for (auto&& row : d.s.stream(stmt)) {
    if (streamed.size() == 1) {
      // The same SQL (one prepared statement), another one, a Core one, a commit: all refused.
      CHECK_THROWS_WITH_AS(d.s.execute(stmt), busy.c_str(), athanor::ArgumentError);
      CHECK_THROWS_WITH_AS(d.s.execute(orm::select(c<&User::id>)), busy.c_str(), athanor::ArgumentError);
      CHECK_THROWS_WITH_AS(d.s.connection().exec_driver_sql("SELECT 1"), busy.c_str(), athanor::ArgumentError);
      CHECK_THROWS_WITH_AS(d.s.commit(), busy.c_str(), athanor::ArgumentError);
    }
    streamed.push_back(row);
  }
  CHECK(streamed == all);  // nothing above disturbed the open statement
  d.s.commit();

  // A rollback inside the loop ends the stream: reading on is an error, not rows of a
  // transaction that no longer exists.
  auto st = d.s.stream(stmt);
  auto it = st.begin();
  REQUIRE(it != st.end());
  d.s.rollback();
  CHECK_THROWS_WITH_AS(++it, "[athanor.argument.stream_closed] the stream's connection was committed, rolled back or closed before its "
                             "last row was read", athanor::ArgumentError);
  CHECK(d.s.execute(stmt) == all);
}

TEST_CASE("into<S>(): rows read straight into a caller's struct, member by member") {
  Data d;
  auto stmt = posts_per_user();
  auto tuples = d.s.execute(stmt);
  std::vector<Report> reports = d.s.execute(stmt.into<Report>());
  static_assert(std::is_same_v<decltype(d.s.execute(stmt.into<Report>()))::value_type, Report>);
  REQUIRE(reports.size() == tuples.size());
  for (std::size_t i = 0; i < reports.size(); ++i) {
    CAPTURE(i);
    CHECK(reports[i].name == std::get<0>(tuples[i]));
    CHECK(reports[i].posts == std::get<1>(tuples[i]));
    CHECK(reports[i].total == std::get<2>(tuples[i]));
  }
  // Streamed, and on a Connection.
  std::size_t i = 0;
  for (const Report& r : d.s.stream(stmt.into<Report>())) {
    REQUIRE(i < tuples.size());
    CHECK(r.name == std::get<0>(tuples[i++]));
  }
  CHECK(i == tuples.size());
  auto conn = d.engine.connect();
  CHECK(conn.execute(stmt.into<Report>()).size() == tuples.size());
  // Wider members take narrower columns: int into std::int64_t, a value into std::optional.
  struct Wide {
    std::int64_t id;
    std::optional<std::string> name;
  };
  auto wide = d.s.execute(orm::select(c<&User::id>, c<&User::name>).order_by(c<&User::id>).into<Wide>());
  auto narrow = d.s.execute(orm::select(c<&User::id>, c<&User::name>).order_by(c<&User::id>));
  REQUIRE(wide.size() == narrow.size());
  for (std::size_t k = 0; k < wide.size(); ++k) {
    CHECK(wide[k].id == std::get<0>(narrow[k]));
    CHECK(wide[k].name == std::get<1>(narrow[k]));
  }
}

TEST_CASE("a typed expression inside Core: the same rows as the typed statement, values bound") {
  Data d;
  const auto& users = orm::table_of<User>();
  const auto& posts = orm::table_of<Post>();
  auto cond = c<&Post::score> > 3.0 && c<&User::name>.like("u1%");
  auto typed = d.s.execute(orm::select(c<&User::name>, c<&Post::title>)
                               .join<Post>(c<&User::id> == c<&Post::user_id>)
                               .where(cond)
                               .order_by(c<&Post::title>));
  REQUIRE_FALSE(typed.empty());
  auto core_stmt = athanor::select(users.c("name"), posts.c("title"))
                       .select_from(users.join(posts, users.c("id") == posts.c("user_id")))
                       .where(orm::core(cond))
                       .order_by(posts.c("title"));
  auto& conn = d.s.connection();
  std::vector<std::tuple<std::string, std::string>> core_rows;
  for (const auto& r : conn.execute(core_stmt)) core_rows.push_back(r.tuple<std::string, std::string>());
  CHECK(core_rows == typed);
  // Values travel as parameters, not in the SQL text.
  auto sql = athanor::Compiler(d.engine.dialect()).compile(core_stmt.node());
  CHECK(sql.params.size() == 2);
  CHECK(sql.sql.find("u1%") == std::string::npos);
  // Two typed expressions in one Core statement keep their own values (no shared slots).
  auto two = conn.execute(athanor::select(users.c("name"))
                              .where(orm::core(c<&User::name> >= "u10") && orm::core(c<&User::name> < "u13"))
                              .order_by(users.c("name")));
  std::vector<std::string> names;
  for (const auto& r : two) names.push_back(r.get<std::string>(0));
  CHECK(names == std::vector<std::string>{"u10", "u11", "u12"});
  // A typed select as a Core subquery.
  auto busy = conn.execute(athanor::select(users.c("name"))
                               .where(users.c("id").in_(orm::core(orm::select(c<&Post::user_id>).where(c<&Post::score> > 13.0))))
                               .order_by(users.c("name")));
  auto busy_typed = d.s.execute(orm::select(c<&User::name>)
                                    .where(c<&User::id>.in_(orm::select(c<&Post::user_id>).where(c<&Post::score> > 13.0)))
                                    .order_by(c<&User::name>));
  REQUIRE_FALSE(busy_typed.empty());
  std::vector<std::tuple<std::string>> busy_rows;
  for (const auto& r : busy) busy_rows.push_back(r.tuple<std::string>());
  CHECK(busy_rows == busy_typed);
}

TEST_CASE("core_expr over a typed subquery's column: a Core fragment inside a typed statement") {
  Data d;
  auto counts = orm::select(c<&Post::user_id>, orm::count()).group_by(c<&Post::user_id>).subquery<"counts">();
  auto stmt = orm::select(c<&User::name>, orm::core_expr<std::int64_t>([](Expr n) { return n * 10 + 1; }, counts.c<1>()))
                  .join(counts, c<&User::id> == counts.c<0>())
                  .order_by(c<&User::name>);
  static_assert(decltype(stmt)::cacheable);  // a capture-less fragment: compiled once per type
  auto rows = d.s.execute(stmt);
  std::vector<std::tuple<std::string, std::int64_t>> expected;
  for (int i = 0; i < kUsers; ++i)
    if (i % 4) expected.emplace_back("u" + std::string(i < 10 ? "0" : "") + std::to_string(i), (i % 4) * 10 + 1);
  CHECK(rows == expected);
  // A capturing fragment: its value may change, so the statement compiles per execution.
  for (std::int64_t factor : {2, 3}) {
    auto scaled = orm::select(c<&User::name>, orm::core_expr<std::int64_t>([factor](Expr n) { return n * factor; }, counts.c<1>()))
                      .join(counts, c<&User::id> == counts.c<0>())
                      .where(c<&User::name> == "u03");
    static_assert(!decltype(scaled)::cacheable);
    CHECK(d.s.execute(scaled) == std::vector<std::tuple<std::string, std::int64_t>>{{"u03", 3 * factor}});
  }
}

TEST_CASE("echo_parameters: each statement's values after its SQL, shortened, binary as its size") {
  std::vector<std::string> lines;
  athanor::EngineOptions o;
  o.echo = true, o.echo_parameters = true;
  o.echo_sink = [&lines](std::string_view line) { lines.emplace_back(line); };
  Data d(std::move(o));
  const std::string long_note(120, 'x');
  lines.clear();
  d.s.add(Blob{.id = 1, .data = athanor::Bytes(1000, std::byte{7}), .note = long_note});
  d.s.commit();
  auto found = d.s.execute(orm::select(c<&Blob::id>).where(c<&Blob::note> == long_note && c<&Blob::id> > 0));
  CHECK(found.size() == 1);
  std::string insert_values, select_values;
  for (std::size_t i = 0; i + 1 < lines.size(); ++i) {
    if (lines[i].find("INSERT INTO") != std::string::npos && lines[i].find("blobs") != std::string::npos) insert_values = lines[i + 1];
    if (lines[i].find("SELECT") != std::string::npos && lines[i].find("blobs") != std::string::npos) select_values = lines[i + 1];
  }
  INFO("insert: " << insert_values << "\nselect: " << select_values);
  const std::string cut = "'" + std::string(40, 'x') + "…' (120 bytes)";
  CHECK(insert_values.rfind("  parameters: ", 0) == 0);
  CHECK(insert_values.find("[1] 1") != std::string::npos);
  CHECK(insert_values.find("<1000 bytes>") != std::string::npos);
  CHECK(insert_values.find(cut) != std::string::npos);
  CHECK(insert_values.find(std::string(41, 'x')) == std::string::npos);
  // A typed statement's values, in placeholder order.
  CHECK(select_values == "  parameters: [1] " + cut + ", [2] 0");
  // Off by default: no values.
  std::vector<std::string> plain;
  athanor::EngineOptions p;
  p.echo = true;
  p.echo_sink = [&plain](std::string_view line) { plain.emplace_back(line); };
  auto e = test::engine(std::move(p));
  CHECK(e.connect().execute(athanor::text("SELECT 1 AS one WHERE 1 = :v"), {{"v", 1}}).size() == 1);
  REQUIRE_FALSE(plain.empty());
  for (auto& line : plain) CHECK(line.find("parameters:") == std::string::npos);
}

TEST_CASE("the result vocabulary: scalar, scalars().one()/first()/one_or_none()/all(), execute().one()") {
  Data d;
  auto& s = d.s;
  const auto none = "[athanor.result.no_row] one(): no row was found";
  const auto many = "[athanor.result.multiple_rows] one(): more than one row was found";
  // scalar: the first column of the first row, the count the seeding made.
  CHECK(s.scalar(orm::select(orm::count()).select_from<User>()) == std::optional<std::int64_t>(kUsers));
  CHECK(s.scalar(orm::select(c<&User::name>).where(c<&User::id> < 0)) == std::nullopt);
  CHECK(s.scalar(orm::select(orm::max(c<&Post::score>)).where(c<&Post::id> < 0)) == std::nullopt);  // NULL
  // scalars of a column: the first column of every row == execute()'s.
  auto names = s.scalars(orm::select(c<&User::name>, c<&User::id>).order_by(c<&User::name>));
  auto tuples = s.execute(orm::select(c<&User::name>, c<&User::id>).order_by(c<&User::name>));
  REQUIRE(names.size() == tuples.size());
  for (std::size_t i = 0; i < names.size(); ++i) CHECK(names[i] == std::get<0>(tuples[i]));
  CHECK(names.all().size() == static_cast<std::size_t>(kUsers));
  CHECK(names.first() == std::optional<std::string>("u00"));
  CHECK_THROWS_WITH_AS(names.one(), many, athanor::MultipleResultsFound);
  CHECK_THROWS_WITH_AS(names.one_or_none(), many, athanor::MultipleResultsFound);
  auto u05 = s.scalars(orm::select(c<&User::id>).where(c<&User::name> == "u05"));
  CHECK(u05.one() == u05.first().value());
  auto nobody = s.scalars(orm::select(c<&User::id>).where(c<&User::name> == "zed"));
  CHECK_THROWS_WITH_AS(nobody.one(), none, athanor::NoResultFound);
  CHECK(nobody.one_or_none() == std::nullopt);
  // Objects: the same vocabulary.
  auto user = s.scalars(orm::select<User>().where(c<&User::name> == "u05")).one();
  CHECK(user->id == u05.one());
  // execute(): rows.
  auto row = s.execute(orm::select(c<&User::name>, c<&User::id>).where(c<&User::name> == "u05")).one();
  CHECK(std::get<1>(row) == u05.one());
  CHECK_THROWS_WITH_AS(s.execute(orm::select(c<&User::id>).where(c<&User::name> == "zed")).one(), none, athanor::NoResultFound);
  CHECK(s.execute(orm::select(c<&User::id>)).first().has_value());
  // scalar() stopped after one row: the Session runs on.
  s.add(User{.name = "after_scalar"});
  s.commit();
}

TEST_CASE("a NULL in a column mapped without std::optional: the DataError names the table, the column and the fix") {
  auto engine = test::engine();
  orm::Registry registry;
  registry.map<Legacy>();
  registry.metadata().drop_all(engine);
  {
    auto conn = engine.begin();
    conn.exec_driver_sql("CREATE TABLE legacy_people (id INTEGER PRIMARY KEY, age INTEGER, nick VARCHAR(20), born DATE)");
    conn.exec_driver_sql("INSERT INTO legacy_people (id, age, nick, born) VALUES (1, NULL, 'ann', '2000-01-02'), "
                         "(2, 30, NULL, '2000-01-02'), (3, 40, 'cid', NULL), (4, 50, 'dan', '2000-01-02')");
    conn.commit();
  }
  const std::string age = "[athanor.data.null] legacy_people.age is NULL; map it as Mapped<std::optional<int>> (or read it as std::optional<int>)";
  const std::string nick =
      "[athanor.data.null] legacy_people.nick is NULL; map it as Mapped<std::optional<std::string>> (or read it as std::optional<std::string>)";
  const std::string born =
      "[athanor.data.null] legacy_people.born is NULL; map it as Mapped<std::optional<athanor::Date>> (or read it as std::optional<athanor::Date>)";
  {
    orm::Session s(engine);
    // Objects, through the Session's identity map (get) and through select<M>().
    CHECK_THROWS_WITH_AS(s.get<Legacy>(1), age.c_str(), athanor::DataError);
    CHECK_THROWS_WITH_AS(s.get<Legacy>(2), nick.c_str(), athanor::DataError);
    CHECK_THROWS_WITH_AS(s.get<Legacy>(3), born.c_str(), athanor::DataError);
    CHECK_THROWS_WITH_AS(s.scalars(orm::select<Legacy>().where(c<&Legacy::id> == 2)), nick.c_str(), athanor::DataError);
    // Typed rows of columns: the column, wherever it is in the row.
    CHECK_THROWS_WITH_AS(s.execute(orm::select(c<&Legacy::id>, c<&Legacy::age>).where(c<&Legacy::id> == 1)), age.c_str(),
                         athanor::DataError);
    CHECK_THROWS_WITH_AS(s.execute(orm::select(c<&Legacy::born>, c<&Legacy::nick>).where(c<&Legacy::id> == 2)), nick.c_str(),
                         athanor::DataError);
    // An expression is named by its result column's label and position (the label is the
    // backend's own), with the type to read it as.
    try {
      (void)s.execute(orm::select(c<&Legacy::id>, c<&Legacy::age> + 1).where(c<&Legacy::id> == 1));
      FAIL("a NULL read as int did not throw");
    } catch (const athanor::DataError& e) {
      const std::string_view what = e.what();
      CHECK(what.starts_with("[athanor.data.null] result column '"));
      CHECK(what.ends_with("' (index 1) is NULL; read it as std::optional<int>"));
    }
    // A failed load leaves nothing half-read behind: the rows without NULLs load.
    CHECK(s.get<Legacy>(4)->age.get() == 50);
    CHECK(std::get<0>(s.execute(orm::select(c<&Legacy::age>).where(c<&Legacy::id> == 4)).one()) == 50);
    s.close();
  }
  {
    auto conn = engine.begin();
    conn.exec_driver_sql("DROP TABLE legacy_people");
    conn.commit();
  }
}
