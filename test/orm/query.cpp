// test/orm/query.cpp — the typed query DSL against every backend: typed rows, filters,
// joins, aggregates, IN lists bound as one parameter, and SQL compiled once per type.
#include <numeric>

#include "orm/models.hpp"
#include "support/backend.hpp"

using namespace blog;
using orm::c;

namespace {
struct Blog {
  athanor::Engine engine = test::engine();
  orm::Registry registry;
  orm::Session s{engine};
  Blog() {
    registry.map<User, Post, Comment, Tag, PostTag, Account>();
    registry.metadata().drop_all(engine);
    registry.metadata().create_all(engine);
    auto ann = s.add(User{.name = "ann", .email = "ann@example.com"});
    auto bob = s.add(User{.name = "bob"});
    s.add(User{.name = "cy"});
    s.flush();
    s.add(Post{.user_id = ann->id, .title = "hello", .score = 2.5});
    s.add(Post{.user_id = ann->id, .title = "world", .score = 4.0});
    s.add(Post{.user_id = bob->id, .title = "bob's", .score = std::nullopt});
    s.commit();
  }
  ~Blog() {
    s.close();
    try {
      registry.metadata().drop_all(engine);
    } catch (...) {
    }
  }
};
template <class S>
std::vector<std::string> names(orm::Session& s, const S& stmt) {
  std::vector<std::string> out;
  for (auto& u : s.scalars(stmt)) out.push_back(u->name);
  return out;
}
using Names = std::vector<std::string>;
}  // namespace

TEST_CASE("where, order_by, limit, offset, distinct") {
  Blog b;
  auto& s = b.s;
  CHECK(names(s, orm::select<User>().order_by(c<&User::name>.desc())) == Names{"cy", "bob", "ann"});
  CHECK(names(s, orm::select<User>().where(c<&User::name> != "bob").order_by(c<&User::name>)) == Names{"ann", "cy"});
  CHECK(names(s, orm::select<User>().order_by(c<&User::name>).limit(2)) == Names{"ann", "bob"});
  CHECK(names(s, orm::select<User>().order_by(c<&User::name>).limit(2).offset(1)) == Names{"bob", "cy"});
  CHECK(names(s, orm::select<User>().order_by(c<&User::name>).offset(2)) == Names{"cy"});
  auto distinct = s.execute(orm::select(c<&Post::user_id>).distinct().order_by(c<&Post::user_id>));
  CHECK(distinct.size() == 2);
}

TEST_CASE("operators: like, ilike, in_, not_in, between, is_null, and/or/not, arithmetic") {
  Blog b;
  auto& s = b.s;
  CHECK(names(s, orm::select<User>().where(c<&User::name>.like("b%"))) == Names{"bob"});
  CHECK(names(s, orm::select<User>().where(c<&User::name>.ilike("B%"))) == Names{"bob"});
  CHECK(names(s, orm::select<User>().where(c<&User::name>.in_(std::vector<std::string>{"ann", "cy", "zed"})).order_by(c<&User::name>)) ==
        Names{"ann", "cy"});
  CHECK(names(s, orm::select<User>().where(c<&User::name>.not_in(std::vector<std::string>{"ann", "cy"}))) == Names{"bob"});
  CHECK(names(s, orm::select<User>().where(c<&User::id>.in_(std::vector<int>{}))).empty());
  CHECK(names(s, orm::select<User>().where(c<&User::email>.is_null()).order_by(c<&User::name>)) == Names{"bob", "cy"});
  CHECK(names(s, orm::select<User>().where(c<&User::email>.is_not_null())) == Names{"ann"});
  CHECK(names(s, orm::select<User>().where(c<&User::name> == "ann" || (c<&User::name> == "cy" && !(c<&User::id> < 0))).order_by(c<&User::name>)) ==
        Names{"ann", "cy"});
  auto scores = s.execute(orm::select(c<&Post::title>).where(c<&Post::score>.between(2.0, 3.0)));
  REQUIRE(scores.size() == 1);
  CHECK(std::get<0>(scores[0]) == "hello");
  auto doubled = s.execute(orm::select(c<&Post::title>, c<&Post::score> * 2).where(c<&Post::title> == "world"));
  CHECK(std::get<1>(doubled.at(0)) == std::optional<double>(8.0));
  auto joined = s.execute(orm::select(c<&User::name> + "!").where(c<&User::name> == "ann"));
  CHECK(std::get<0>(joined.at(0)) == "ann!");
}

TEST_CASE("joins and aggregates give typed tuples") {
  Blog b;
  auto& s = b.s;
  auto stmt = orm::select(c<&User::name>, orm::count(c<&Post::id>))
                  .outerjoin<Post>(c<&User::id> == c<&Post::user_id>)
                  .group_by(c<&User::name>)
                  .order_by(c<&User::name>);
  static_assert(std::is_same_v<decltype(s.execute(stmt)), std::vector<std::tuple<std::string, std::int64_t>>>);
  auto rows = s.execute(stmt);
  REQUIRE(rows.size() == 3);
  CHECK(rows[0] == std::tuple<std::string, std::int64_t>{"ann", 2});
  CHECK(rows[1] == std::tuple<std::string, std::int64_t>{"bob", 1});
  CHECK(rows[2] == std::tuple<std::string, std::int64_t>{"cy", 0});
  auto busy = s.execute(orm::select(c<&User::name>)
                            .join<Post>(c<&User::id> == c<&Post::user_id>)
                            .group_by(c<&User::name>)
                            .having(orm::count() > 1));
  REQUIRE(busy.size() == 1);
  CHECK(std::get<0>(busy[0]) == "ann");
  auto agg = s.execute(orm::select(orm::sum(c<&Post::score>), orm::max(c<&Post::score>), orm::min(c<&User::name>), orm::count())
                           .join<User>(c<&User::id> == c<&Post::user_id>));
  auto [sum, max, min, n] = agg.at(0);
  CHECK(sum == std::optional<double>(6.5));
  CHECK(max == std::optional<double>(4.0));
  CHECK(min == std::optional<std::string>("ann"));
  CHECK(n == 3);
  auto none = s.execute(orm::select(orm::max(c<&Post::score>)).where(c<&Post::id> < 0));
  CHECK_FALSE(std::get<0>(none.at(0)).has_value());  // aggregates over no rows are NULL
  auto lengths = s.execute(orm::select(orm::upper(c<&User::name>), orm::length(c<&User::name>), orm::coalesce(c<&User::email>, "none"))
                               .where(c<&User::name> == "bob"));
  CHECK(lengths.at(0) == std::tuple<std::string, std::int64_t, std::string>{"BOB", 3, "none"});
}

TEST_CASE("a typed statement compiles once per type; its values change per execution") {
  Blog b;
  auto& s = b.s;
  auto by_name = [](std::string n) { return orm::select<User>().where(c<&User::name> == n); };
  auto first = by_name("ann").compiled(b.engine.dialect());
  auto second = by_name("bob").compiled(b.engine.dialect());
  CHECK(first.get() == second.get());
  CHECK(names(s, by_name("ann")) == Names{"ann"});
  CHECK(names(s, by_name("bob")) == Names{"bob"});
  // An IN list is one parameter: the SQL is the same for 1 and for 500 values.
  std::vector<int> many(500);
  std::iota(many.begin(), many.end(), 1);
  auto small = orm::select<User>().where(c<&User::id>.in_(std::vector<int>{1}));
  auto large = orm::select<User>().where(c<&User::id>.in_(many));
  CHECK(small.compiled(b.engine.dialect())->sql == large.compiled(b.engine.dialect())->sql);
  CHECK(s.scalars(large).size() == 3);
}

TEST_CASE("typed statements run on a plain Connection (the typed Core path)") {
  Blog b;
  auto conn = b.engine.connect();
  auto users = conn.execute(orm::select<User>().order_by(c<&User::name>));
  REQUIRE(users.size() == 3);
  CHECK(users[0].name == "ann");
  CHECK(users[0].email.get() == std::optional<std::string>("ann@example.com"));
  auto titles = conn.execute(orm::select(c<&Post::title>).where(c<&Post::score> > 3.0));
  CHECK(titles == std::vector<std::tuple<std::string>>{{"world"}});
  CHECK(conn.execute(orm::update<Post>().set(c<&Post::score>, 1.0).where(c<&Post::score>.is_null())) == 1);
}

TEST_CASE("Core and ORM share one schema") {
  Blog b;
  auto& users = orm::table_of<User>();
  auto conn = b.engine.connect();
  auto n = conn.execute(athanor::select(athanor::count()).select_from(users).where(users.c("name").like("%n%"))).scalar_one<std::int64_t>();
  CHECK(n == 1);
  CHECK(b.registry.metadata().size() == 6);
}
