// test/orm/prepared.cpp — prepared typed statements (`conn.prepare(stmt)` with orm::param<T>()
// placeholders), on every backend: the rows of a call are the rows of the same statement
// written with literals (for many argument values, several statement shapes), NULL
// arguments, hostile text, a thousand calls on one handle, the driver's statement cache
// evicting the statement between calls, and a handle outliving its connection (a typed
// error). Also: a placeholder where the prepared statement cannot type it, and a statement
// with placeholders executed without prepare (typed errors).
#include <string>
#include <vector>

#include "orm/models.hpp"
#include "support/backend.hpp"

using namespace blog;
using orm::c;
using orm::param;

namespace {
constexpr int kUsers = 40;
/// kUsers users, every third without an email, with i % 5 posts each; names include text
/// that must travel as values (quotes, a statement, LIKE wildcards, backslashes, non-ASCII).
struct Data {
  athanor::Engine engine;
  orm::Registry registry;
  std::vector<std::string> names;
  Data() : engine(test::engine()) {
    registry.map<User, Post, Comment, Tag, PostTag, Account>();
    registry.metadata().drop_all(engine);
    registry.metadata().create_all(engine);
    const std::vector<std::string> hostile = {"o'brien", "'; DROP TABLE users; --", "50%_off", "back\\slash\\",
                                              "\"quoted\"", "Zoë ☃ 名前", "?", "$1", ":name", "  "};
    orm::Session s(engine);
    for (int i = 0; i < kUsers; ++i) {
      std::string name = i < static_cast<int>(hostile.size()) ? hostile[static_cast<std::size_t>(i)] : "user" + std::to_string(i);
      names.push_back(name);
      std::optional<std::string> email;
      if (i % 3 != 0) email = "u" + std::to_string(i) + "@example.org";
      auto u = s.add(User{.name = name, .email = email, .visits = i * 7 % 11});
      s.flush();
      for (int k = 0; k < i % 5; ++k) s.add(Post{.user_id = u->id, .title = "t" + std::to_string(i) + "-" + std::to_string(k)});
    }
    s.commit();
  }
  ~Data() {
    try {
      registry.metadata().drop_all(engine);
    } catch (...) {
    }
  }
};
Data& data() {
  static Data d;
  return d;
}

using UserRow = std::tuple<int, std::string, std::optional<std::string>, int>;
std::vector<UserRow> rows_of(const std::vector<User>& us) {
  std::vector<UserRow> out;
  for (auto& u : us) out.emplace_back(u.id, *u.name, *u.email, u.visits);
  return out;
}
}  // namespace

TEST_CASE("a prepared lookup returns what the same select with a literal returns") {
  auto& d = data();
  auto conn = d.engine.connect();
  auto q = conn.prepare(orm::select<User>().where(c<&User::id> == param<int>()));
  CHECK(q.arity == 1);
  for (int id = -1; id <= kUsers + 2; ++id) {
    auto expected = conn.execute(orm::select<User>().where(c<&User::id> == id));
    CHECK(rows_of(q(id)) == rows_of(expected));
    auto first = q.first(id);
    REQUIRE(first.has_value() == !expected.empty());
    if (first) CHECK(rows_of({*first}) == rows_of(expected));
    auto maybe = q.one_or_none(id);
    CHECK(maybe.has_value() == !expected.empty());
    if (expected.empty()) CHECK_THROWS_AS(q.one(id), athanor::NoResultFound);
    else CHECK(q.one(id).id == id);
  }
}

TEST_CASE("several placeholders, in the select list, a join, LIKE, ORDER BY and LIMIT") {
  auto& d = data();
  auto conn = d.engine.connect();
  auto q = conn.prepare(orm::select(c<&User::name>, c<&Post::title>, c<&User::visits> + param<int>())
                            .join<Post>(c<&Post::user_id> == c<&User::id>)
                            .where(c<&User::id> >= param<int>() && c<&Post::title>.like(param<std::string>()))
                            .order_by(c<&Post::id>)
                            .limit(7));
  static_assert(std::is_same_v<decltype(q)::params, boost::mp11::mp_list<int, int, std::string>>);
  for (int from : {0, 5, 17, 39, 100}) {
    for (std::string pattern : {"t%", "t1%", "%-2", "nothing%"}) {
      auto expected = conn.execute(orm::select(c<&User::name>, c<&Post::title>, c<&User::visits> + 3)
                                       .join<Post>(c<&Post::user_id> == c<&User::id>)
                                       .where(c<&User::id> >= from && c<&Post::title>.like(pattern))
                                       .order_by(c<&Post::id>)
                                       .limit(7));
      CHECK(q(3, from, pattern).all() == expected.all());
    }
  }
  // Arguments convert to the placeholders' types (a long to int, a C string to std::string).
  CHECK(q(3L, 0L, "t%").size() == 7);
  // one_or_none() over more than one row.
  CHECK_THROWS_AS(q.one_or_none(3, 0, "t%"), athanor::MultipleResultsFound);
}

TEST_CASE("placeholders inside subqueries: in_(select), exists, scalar_subquery") {
  auto& d = data();
  auto conn = d.engine.connect();
  auto q = conn.prepare(orm::select(c<&User::id>,
                                    orm::select(orm::count()).select_from<Post>().correlate<User>()
                                        .where(c<&Post::user_id> == c<&User::id> && c<&Post::title> != param<std::string>())
                                        .scalar_subquery())
                            .where(c<&User::id>.in_(orm::select(c<&Post::user_id>).where(c<&Post::title>.like(param<std::string>()))) &&
                                   orm::exists<Post>(c<&Post::user_id> == c<&User::id> && c<&Post::id> > param<int>()))
                            .order_by(c<&User::id>));
  static_assert(std::is_same_v<decltype(q)::params, boost::mp11::mp_list<std::string, std::string, int>>);
  for (std::string skip : {"t3-0", "none"}) {
    for (std::string pattern : {"t3%", "t1%", "%-3"}) {
      for (int above : {0, 20, 60}) {
        auto expected = conn.execute(orm::select(c<&User::id>,
                                                 orm::select(orm::count()).select_from<Post>().correlate<User>()
                                                     .where(c<&Post::user_id> == c<&User::id> && c<&Post::title> != skip)
                                                     .scalar_subquery())
                                         .where(c<&User::id>.in_(orm::select(c<&Post::user_id>).where(c<&Post::title>.like(pattern))) &&
                                                orm::exists<Post>(c<&Post::user_id> == c<&User::id> && c<&Post::id> > above))
                                         .order_by(c<&User::id>));
        CHECK(q(skip, pattern, above).all() == expected.all());
      }
    }
  }
}

TEST_CASE("NULL arguments and text that is not SQL") {
  auto& d = data();
  auto conn = d.engine.connect();
  auto by_email = conn.prepare(orm::select(c<&User::id>).where(c<&User::email> == param<std::optional<std::string>>()).order_by(c<&User::id>));
  auto missing_or = conn.prepare(orm::select(c<&User::id>)
                                     .where(c<&User::email>.is_null() || c<&User::email> == param<std::optional<std::string>>())
                                     .order_by(c<&User::id>));
  auto none = std::optional<std::string>();
  for (int round = 0; round < 3; ++round) {  // NULL and text in turn: PostgreSQL binds them with different types
    CHECK(by_email(none).empty());
    CHECK(by_email(std::nullopt).empty());
    CHECK(by_email(std::optional<std::string>("u4@example.org")).one() == std::tuple<int>(5));
    CHECK(by_email("u4@example.org").size() == 1);
    CHECK(missing_or(none).all() == conn.execute(orm::select(c<&User::id>).where(c<&User::email>.is_null()).order_by(c<&User::id>)).all());
    CHECK(missing_or(std::string("u4@example.org")).size() == missing_or(none).size() + 1);
  }
  auto by_name = conn.prepare(orm::select<User>().where(c<&User::name> == param<std::string>()));
  for (std::size_t i = 0; i < d.names.size(); ++i) {
    auto u = by_name.one(d.names[i]);
    CHECK(*u.name == d.names[i]);
    CHECK(u.id == static_cast<int>(i) + 1);
  }
  // Whatever the backend's collation makes of case (MariaDB's default ignores it), as a literal would.
  CHECK(by_name("O'BRIEN").size() == conn.execute(orm::select<User>().where(c<&User::name> == "O'BRIEN")).size());
  // The tables are all there after the hostile names went by.
  CHECK(conn.execute(orm::select(orm::count()).select_from<User>()).one() == std::tuple<std::int64_t>(kUsers));
}

TEST_CASE("a thousand calls on one handle, in and out of transactions") {
  auto& d = data();
  auto conn = d.engine.connect();
  auto q = conn.prepare(orm::select(c<&User::id>, c<&User::name>).where(c<&User::id> == param<int>()));
  int found = 0;
  for (int i = 0; i < 1000; ++i) {
    int id = i % (kUsers + 5);
    if (i == 300) conn.begin().commit();
    if (i == 500) (void)conn.begin();  // a transaction left open: the later calls run inside it
    auto r = q.first(id);
    if (id >= 1 && id <= kUsers) {
      REQUIRE(r);
      CHECK(std::get<1>(*r) == d.names[static_cast<std::size_t>(id - 1)]);
      ++found;
    } else {
      CHECK(!r);
    }
  }
  CHECK(found > 800);
  conn.rollback();
}

TEST_CASE("the driver's statement cache evicting the statement between calls") {
  auto& d = data();
  auto conn = d.engine.connect();
  auto q = conn.prepare(orm::select(c<&User::name>).where(c<&User::id> == param<int>()));
  CHECK(std::get<0>(q.one(2)) == d.names[1]);
  // More distinct statements than the cache holds (256): q's is evicted, and prepared again.
  for (int k = 0; k < 300; ++k) conn.exec_driver_sql("SELECT " + std::to_string(k) + " AS n" + std::to_string(k));
  CHECK(std::get<0>(q.one(3)) == d.names[2]);
  for (int k = 0; k < 300; ++k) {
    conn.exec_driver_sql("SELECT " + std::to_string(k) + " AS m" + std::to_string(k));
    CHECK(std::get<0>(q.one(k % kUsers + 1)) == d.names[static_cast<std::size_t>(k % kUsers)]);
  }
}

TEST_CASE("a handle whose connection was closed or destroyed throws a typed error") {
  auto& d = data();
  std::optional<decltype(std::declval<athanor::Connection&>().prepare(orm::select<User>().where(c<&User::id> == param<int>())))> kept;
  {
    auto conn = d.engine.connect();
    auto q = conn.prepare(orm::select<User>().where(c<&User::id> == param<int>()));
    CHECK(q(1).size() == 1);
    conn.close();
    CHECK_THROWS_WITH_AS(q(1), doctest::Contains("[athanor.argument.prepared_closed]"), athanor::ArgumentError);
    auto conn2 = d.engine.connect();
    kept.emplace(conn2.prepare(orm::select<User>().where(c<&User::id> == param<int>())));
    CHECK(kept->one(1).id == 1);
  }
  CHECK_THROWS_WITH_AS((*kept)(1), doctest::Contains("[athanor.argument.prepared_closed]"), athanor::ArgumentError);
  // Preparing on a closed connection fails at once.
  auto conn = d.engine.connect();
  conn.close();
  CHECK_THROWS_AS(conn.prepare(orm::select<User>().where(c<&User::id> == param<int>())), athanor::ArgumentError);
}

TEST_CASE("placeholders outside prepare, and where a prepared statement cannot type them") {
  auto& d = data();
  auto conn = d.engine.connect();
  CHECK_THROWS_WITH_AS(conn.execute(orm::select<User>().where(c<&User::id> == param<int>())),
                       doctest::Contains("[athanor.argument.unbound_param]"), athanor::ArgumentError);
  // A label used twice gives its values once: its placeholder cannot be typed where it stands.
  auto v = (c<&User::visits> + param<int>()).label<"v">();
  CHECK_THROWS_WITH_AS(conn.prepare(orm::select(c<&User::id>, v).order_by(v)),
                       doctest::Contains("[athanor.argument.param_position]"), athanor::ArgumentError);
  // A statement without placeholders prepares too.
  auto all = conn.prepare(orm::select(orm::count()).select_from<User>());
  CHECK(all.one() == std::tuple<std::int64_t>(kUsers));
  // While a stream reads, a call is refused as any other statement.
  auto q = conn.prepare(orm::select(c<&User::id>).where(c<&User::id> == param<int>()));
  for (auto&& row : conn.stream(orm::select(c<&User::id>))) {
    (void)row;
    CHECK_THROWS_WITH_AS(q(1), doctest::Contains("[athanor.argument.stream_open]"), athanor::ArgumentError);
    break;
  }
  CHECK(q(1).size() == 1);
}

TEST_CASE("PostgreSQL ?prepared_statements=false: a prepared handle runs unnamed statements") {
  if (test::backend() != "postgresql" || test::behind_pooler()) {
    MESSAGE("prepared_statements is a PostgreSQL URL option");
    return;
  }
  auto& d = data();
  auto u = athanor::URL::parse(test::url());
  u.query["prepared_statements"] = "false";
  auto engine = athanor::create_engine(u.render(false));
  auto conn = engine.connect();
  auto q = conn.prepare(orm::select(c<&User::name>).where(c<&User::id> == param<int>() || c<&User::email> == param<std::optional<std::string>>()).order_by(c<&User::id>));
  for (int i = 0; i < 50; ++i) {
    int id = i % kUsers + 1;
    auto email = i % 2 ? std::optional<std::string>() : std::optional<std::string>("u2@example.org");
    // `email = NULL` holds for no row: the literal twin leaves it out.
    auto expected = email ? conn.execute(orm::select(c<&User::name>).where(c<&User::id> == id || c<&User::email> == *email).order_by(c<&User::id>))
                          : conn.execute(orm::select(c<&User::name>).where(c<&User::id> == id).order_by(c<&User::id>));
    CHECK(q(id, email).all() == expected.all());
    CHECK(std::get<0>(q(id, email).front()) == d.names[static_cast<std::size_t>(std::min(id, i % 2 ? id : 3) - 1)]);
  }
  CHECK(conn.exec_driver_sql("SELECT count(*) FROM pg_prepared_statements").scalar_one<std::int64_t>() == 0);
}

TEST_CASE("a prepared query called in a loop over another result's rows returns each call's own rows") {
  // W6a of the benchmark written with a prepared per-user query: the calls follow each other
  // with nothing between them, after one other statement.
  auto& d = data();
  auto conn = d.engine.begin();
  auto posts_of = conn.prepare(orm::select<Post>().where(c<&Post::user_id> == param<int>()));
  std::vector<std::pair<int, std::vector<Post>>> got;
  for (auto& u : conn.execute(orm::select<User>().where(c<&User::id> <= kUsers)))
    got.emplace_back(u.id, posts_of(u.id));
  REQUIRE(got.size() == static_cast<std::size_t>(kUsers));
  for (auto& [user_id, posts] : got) {
    const int id = user_id;  // INFO captures it: clang 14 cannot capture a structured binding
    INFO("user " << id);
    auto expected = conn.execute(orm::select<Post>().where(c<&Post::user_id> == id));
    CHECK(posts.size() == expected.size());
    for (auto& p : posts) CHECK(p.user_id == id);
  }
  conn.commit();
}
