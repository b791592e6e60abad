// test/orm/query.cpp — the typed query DSL against every backend: typed rows, filters,
// joins, aggregates, IN lists bound as one parameter, aliases (self-joins), subqueries
// (exists, in_, scalar, in FROM), enums by name and by value, and SQL compiled once per type.
#include <algorithm>
#include <map>
#include <numeric>

#include "orm/models.hpp"
#include "support/backend.hpp"

using namespace blog;
using orm::c;

namespace staff {
namespace orm = athanor::orm;
enum class Level { junior, senior, lead };
BOOST_DESCRIBE_ENUM(Level, junior, senior, lead)
ATHANOR_ENUM_BY_VALUE(Level)  // stored as 0, 1, 2
enum class Team { core, web };
BOOST_DESCRIBE_ENUM(Team, core, web)  // stored by name (the default)
struct Employee {
  orm::Mapped<int> id;
  orm::Mapped<std::string> name;
  orm::Mapped<std::optional<int>> manager_id;
  orm::Mapped<Level> level;
  orm::Mapped<Team> team;
  static void configure(orm::Mapper<Employee>& m) {
    m.column<&Employee::id>().primary_key();
    m.column<&Employee::name>().length(40);
    m.column<&Employee::manager_id>().foreign_key("employees.id");
  }
};
ATHANOR_MODEL(Employee, "employees", id, name, manager_id, level, team)
}  // namespace staff
using staff::Employee;
using staff::Level;
using staff::Team;

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
/// al leads; bo reports to al; cy and di report to bo.
struct Staff {
  athanor::Engine engine = test::engine();
  orm::Registry registry;
  orm::Session s{engine};
  Staff() {
    registry.map<Employee>();
    registry.metadata().drop_all(engine);
    registry.metadata().create_all(engine);
    auto al = s.add(Employee{.name = "al", .level = Level::lead, .team = Team::core});
    s.flush();
    auto bo = s.add(Employee{.name = "bo", .manager_id = al->id.get(), .level = Level::senior, .team = Team::core});
    s.flush();
    s.add(Employee{.name = "cy", .manager_id = bo->id.get(), .level = Level::junior, .team = Team::web});
    s.add(Employee{.name = "di", .manager_id = bo->id.get(), .level = Level::junior, .team = Team::core});
    s.commit();
  }
  ~Staff() {
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
  static_assert(std::is_same_v<decltype(s.execute(stmt))::value_type, std::tuple<std::string, std::int64_t>>);
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

TEST_CASE("outer joins: the joined side's columns are std::optional, NULL where it has no row") {
  Blog b;
  auto& s = b.s;
  auto stmt = orm::select(c<&User::name>, c<&Post::title>, c<&Post::score>, c<&Post::id> + 0)
                  .outerjoin<Post>(c<&User::id> == c<&Post::user_id>)
                  .order_by(c<&User::name>, c<&Post::title>);
  // title becomes optional; score already is; an expression keeps its type (coalesce it).
  using Row = std::tuple<std::string, std::optional<std::string>, std::optional<double>, int>;
  static_assert(std::is_same_v<decltype(s.execute(stmt))::value_type, Row>);
  auto titles = s.execute(orm::select(c<&User::name>, c<&Post::title>, c<&Post::score>)
                              .outerjoin<Post>(c<&User::id> == c<&Post::user_id>)
                              .order_by(c<&User::name>, c<&Post::title>));
  using Titles = std::vector<std::tuple<std::string, std::optional<std::string>, std::optional<double>>>;
  CHECK(titles == Titles{{"ann", "hello", 2.5}, {"ann", "world", 4.0}, {"bob", "bob's", std::nullopt}, {"cy", std::nullopt, std::nullopt}});
  // An inner join keeps the plain types; so does the outer join's left side.
  static_assert(std::is_same_v<decltype(s.execute(orm::select(c<&User::name>, c<&Post::title>).join<Post>(c<&User::id> == c<&Post::user_id>)))::value_type,
                               std::tuple<std::string, std::string>>);
  // An outer-joined alias and an outer-joined subquery read NULL the same way.
  constexpr auto author = orm::aliased<User, "author">;
  auto by_author = s.execute(orm::select(c<&Post::title>, author.c<&User::name>)
                                 .outerjoin(author, c<&Post::user_id> == author.c<&User::id> && author.c<&User::name> == "ann")
                                 .order_by(c<&Post::title>));
  using ByAuthor = std::vector<std::tuple<std::string, std::optional<std::string>>>;
  CHECK(by_author == ByAuthor{{"bob's", std::nullopt}, {"hello", "ann"}, {"world", "ann"}});
  auto counts = orm::select(c<&Post::user_id>, orm::count()).group_by(c<&Post::user_id>).subquery<"counts">();
  auto per_user = s.execute(orm::select(c<&User::name>, counts.c<1>())
                                .outerjoin(counts, c<&User::id> == counts.c<0>())
                                .order_by(c<&User::name>));
  using PerUser = std::vector<std::tuple<std::string, std::optional<std::int64_t>>>;
  CHECK(per_user == PerUser{{"ann", 2}, {"bob", 1}, {"cy", std::nullopt}});
}

TEST_CASE("aliases: the same model twice in one statement (self-join), whole aliased objects") {
  Staff st;
  auto& s = st.s;
  constexpr auto manager = orm::aliased<Employee, "manager">;
  using Manager = orm::Alias<Employee, "manager">;  // the same alias, as a type
  static_assert(std::is_same_v<std::remove_cv_t<decltype(manager)>, Manager>);
  auto stmt = orm::select(c<&Employee::name>, manager.c<&Employee::name>)
                  .join(manager, c<&Employee::manager_id> == manager.c<&Employee::id>)
                  .order_by(c<&Employee::name>);
  using Pair = std::tuple<std::string, std::string>;
  CHECK(s.execute(stmt) == std::vector<Pair>{{"bo", "al"}, {"cy", "bo"}, {"di", "bo"}});
  std::string sql = stmt.compiled(st.engine.dialect())->sql;
  CHECK(sql.find(" AS ") != std::string::npos);
  CHECK(sql.find("manager") != std::string::npos);
  // The alias's column may come first: the join still starts from the model's own table.
  auto reversed = s.execute(orm::select(Manager::c<&Employee::name>, orm::count(c<&Employee::id>))
                                .join<Manager>(c<&Employee::manager_id> == Manager::c<&Employee::id>)
                                .group_by(Manager::c<&Employee::name>)
                                .order_by(Manager::c<&Employee::name>));
  CHECK(reversed == std::vector<std::tuple<std::string, std::int64_t>>{{"al", 1}, {"bo", 2}});
  // Outer join; manager(c<…>) is the same column of the alias.
  auto everyone = s.execute(orm::select(c<&Employee::name>, orm::coalesce(manager(c<&Employee::name>), "-"))
                                .outerjoin(manager, c<&Employee::manager_id> == manager(c<&Employee::id>))
                                .order_by(c<&Employee::name>));
  CHECK(everyone == std::vector<Pair>{{"al", "-"}, {"bo", "al"}, {"cy", "bo"}, {"di", "bo"}});
  // Two aliases of one model: employee → manager → manager's manager.
  constexpr auto top = orm::aliased<Employee, "top">;
  auto chain = s.execute(orm::select(c<&Employee::name>, top.c<&Employee::name>)
                             .join(manager, c<&Employee::manager_id> == manager.c<&Employee::id>)
                             .join(top, manager.c<&Employee::manager_id> == top.c<&Employee::id>)
                             .where(top.c<&Employee::name> == "al")
                             .order_by(c<&Employee::name>));
  CHECK(chain == std::vector<Pair>{{"cy", "al"}, {"di", "al"}});
  // Whole objects of an alias go through the identity map like any others.
  auto bosses = s.scalars(orm::select<Manager>()
                              .join<Employee>(c<&Employee::manager_id> == Manager::c<&Employee::id>)
                              .where(c<&Employee::name> == "cy"));
  REQUIRE(bosses.size() == 1);
  CHECK(bosses[0]->name.get() == "bo");
  CHECK(bosses[0]->level.get() == Level::senior);
  CHECK(bosses[0].get() == s.scalars(orm::select<Employee>().where(c<&Employee::name> == "bo")).at(0).get());
  auto all = s.scalars(orm::select(manager).order_by(manager.c<&Employee::name>));
  CHECK(all.size() == 4);
  CHECK(all[0]->name.get() == "al");
  // On a plain Connection (the typed Core path), with a bound value in the join condition.
  auto conn = st.engine.connect();
  auto seniors = conn.execute(orm::select(c<&Employee::name>)
                                  .join(manager, c<&Employee::manager_id> == manager.c<&Employee::id> &&
                                                     manager.c<&Employee::level> == Level::senior)
                                  .order_by(c<&Employee::name>));
  CHECK(seniors == std::vector<std::tuple<std::string>>{{"cy"}, {"di"}});
}

TEST_CASE("whole objects of an alias take loader options (joinedload joins onto the alias)") {
  Blog b;
  auto& s = b.s;
  constexpr auto author = orm::aliased<User, "author">;
  auto joined = s.scalars(orm::select(author).where(author.c<&User::name> == "ann").options(orm::joinedload(&User::posts)));
  REQUIRE(joined.size() == 1);
  CHECK(joined[0]->posts.size() == 2);
  s.close();  // a fresh identity map: nothing loaded yet
  auto selectin = s.scalars(orm::select(author).order_by(author.c<&User::name>).options(orm::selectinload(&User::posts)));
  REQUIRE(selectin.size() == 3);
  CHECK(selectin[1]->posts.size() == 1);
}

TEST_CASE("typed subqueries: exists, in_, scalar_subquery and a subquery in FROM") {
  Blog b;
  auto& s = b.s;
  // EXISTS, correlated on the outer model: exists<M>(condition) and exists(select…correlate<M>()).
  CHECK(names(s, orm::select<User>().where(orm::exists<Post>(c<&Post::user_id> == c<&User::id>)).order_by(c<&User::name>)) ==
        Names{"ann", "bob"});
  CHECK(names(s, orm::select<User>().where(!orm::exists<Post>(c<&Post::user_id> == c<&User::id>))) == Names{"cy"});
  auto high = orm::select(c<&Post::id>).correlate<User>().where(c<&Post::user_id> == c<&User::id> && c<&Post::score> > 3.0);
  CHECK(names(s, orm::select<User>().where(orm::exists(high))) == Names{"ann"});
  // IN / NOT IN (SELECT one column).
  auto authors_of = [](std::string pattern) { return orm::select(c<&Post::user_id>).where(c<&Post::title>.like(std::move(pattern))); };
  CHECK(names(s, orm::select<User>().where(c<&User::id>.in_(authors_of("b%")))) == Names{"bob"});
  CHECK(names(s, orm::select<User>().where(c<&User::id>.not_in(authors_of("b%"))).order_by(c<&User::name>)) == Names{"ann", "cy"});
  // A subquery over the same model as the statement does not correlate unless asked to.
  auto top_posts = s.execute(orm::select(c<&Post::title>).where(c<&Post::id>.in_(orm::select(c<&Post::id>).where(c<&Post::score> > 3.0))));
  CHECK(top_posts == std::vector<std::tuple<std::string>>{{"world"}});
  // Scalar subqueries: typed std::optional, in the select list and in comparisons.
  auto n_posts = orm::select(orm::count()).select_from<Post>().correlate<User>().where(c<&Post::user_id> == c<&User::id>).scalar_subquery();
  static_assert(std::is_same_v<decltype(n_posts)::value_type, std::optional<std::int64_t>>);
  using Count = std::tuple<std::string, std::optional<std::int64_t>>;
  CHECK(s.execute(orm::select(c<&User::name>, n_posts).order_by(c<&User::name>)) == std::vector<Count>{{"ann", 2}, {"bob", 1}, {"cy", 0}});
  CHECK(names(s, orm::select<User>().where(n_posts > 1)) == Names{"ann"});
  auto average = orm::select(orm::avg(c<&Post::score>)).scalar_subquery();
  CHECK(s.execute(orm::select(c<&Post::title>).where(c<&Post::score> > average)) == std::vector<std::tuple<std::string>>{{"world"}});
  // A subquery in FROM: its columns are typed, by position or by the column they select.
  auto per_user = orm::select(c<&Post::user_id>, orm::count()).group_by(c<&Post::user_id>).subquery<"per_user">();
  auto counts = s.execute(orm::select(c<&User::name>, per_user.c<1>())
                              .join(per_user, c<&User::id> == per_user.c<&Post::user_id>())
                              .order_by(c<&User::name>));
  CHECK(counts == std::vector<std::tuple<std::string, std::int64_t>>{{"ann", 2}, {"bob", 1}});
  auto scored = [](double min) { return orm::select(c<&Post::title>, c<&Post::score>).where(c<&Post::score> > min).subquery<"scored">(); };
  auto above = [&](double min, double outer) {
    auto sq = scored(min);
    return orm::select(sq.c<0>()).where(sq.c<1>() < outer).order_by(sq.c<0>());
  };
  CHECK(s.execute(above(1.0, 3.0)) == std::vector<std::tuple<std::string>>{{"hello"}});
  CHECK(s.execute(above(3.0, 5.0)) == std::vector<std::tuple<std::string>>{{"world"}});
  // Whole objects, filtered by a subquery of objects in FROM.
  auto named = orm::select<User>().where(c<&User::name> != "cy").subquery<"named">();
  CHECK(names(s, orm::select<User>().join(named, c<&User::id> == named.c<&User::id>()).order_by(c<&User::name>)) == Names{"ann", "bob"});
  // Typed UPDATE and DELETE take subqueries too (correlated to the changed table).
  CHECK(s.execute(orm::update<User>().set(c<&User::visits>, 7).where(c<&User::id>.in_(orm::select(c<&Post::user_id>)))) == 2);
  CHECK(s.execute(orm::delete_<User>().where(!orm::exists<Post>(c<&Post::user_id> == c<&User::id>))) == 1);
  CHECK(s.execute(orm::select(c<&User::name>, c<&User::visits>).order_by(c<&User::name>)) ==
        std::vector<std::tuple<std::string, int>>{{"ann", 7}, {"bob", 7}});
}

TEST_CASE("subqueries are part of the statement's type: compiled once, values per execution") {
  Blog b;
  auto& s = b.s;
  auto d = &b.engine.dialect();
  auto scored_over = [](double min) {
    return orm::select<User>().where(c<&User::id>.in_(orm::select(c<&Post::user_id>).where(c<&Post::score> > min))).order_by(c<&User::name>);
  };
  CHECK(scored_over(1.0).compiled(*d).get() == scored_over(3.0).compiled(*d).get());
  CHECK(names(s, scored_over(1.0)) == Names{"ann"});
  CHECK(names(s, scored_over(5.0)).empty());
  auto posts_over = [](double min) {
    return orm::select(c<&User::name>, orm::select(orm::count())
                                           .select_from<Post>()
                                           .correlate<User>()
                                           .where(c<&Post::user_id> == c<&User::id> && c<&Post::score> > min)
                                           .scalar_subquery())
        .where(c<&User::name> != "cy")
        .order_by(c<&User::name>);
  };
  CHECK(posts_over(1.0).compiled(*d).get() == posts_over(3.0).compiled(*d).get());
  using Count = std::tuple<std::string, std::optional<std::int64_t>>;
  CHECK(s.execute(posts_over(3.0)) == std::vector<Count>{{"ann", 1}, {"bob", 0}});
  // A subquery referenced three times (column, join, where) gives its values once.
  auto joined = [](double min, std::string not_named) {
    auto sq = orm::select(c<&Post::user_id>, c<&Post::title>).where(c<&Post::score> > min).subquery<"sq">();
    return orm::select(sq.c<1>(), c<&User::name>)
        .join(sq, c<&User::id> == sq.c<0>())
        .where(sq.c<1>() != not_named)
        .order_by(sq.c<1>());
  };
  CHECK(joined(1.0, "x").compiled(*d).get() == joined(2.0, "y").compiled(*d).get());
  using Row = std::tuple<std::string, std::string>;
  CHECK(s.execute(joined(1.0, "hello")) == std::vector<Row>{{"world", "ann"}});
  CHECK(s.execute(joined(0.0, "nothing")) == std::vector<Row>{{"hello", "ann"}, {"world", "ann"}});
}

TEST_CASE("enums: by name by default, by value with ATHANOR_ENUM_BY_VALUE") {
  Staff st;
  auto& s = st.s;
  auto& t = orm::table_of<Employee>();
  CHECK(t.c("level").type().kind == athanor::TypeKind::integer);
  CHECK(t.c("team").type().is_string());
  auto conn = st.engine.connect();
  auto raw = conn.execute(athanor::select(t.c("level"), t.c("team")).where(t.c("name") == "bo")).one().tuple<std::int64_t, std::string>();
  CHECK(raw == std::tuple<std::int64_t, std::string>{1, "core"});
  CHECK(s.execute(orm::select(c<&Employee::name>).where(c<&Employee::level> == Level::junior && c<&Employee::team> == Team::web)) ==
        std::vector<std::tuple<std::string>>{{"cy"}});
  auto levels = s.execute(orm::select(c<&Employee::level>, c<&Employee::team>).where(c<&Employee::name> == "al"));
  CHECK(levels.at(0) == std::tuple<Level, Team>{Level::lead, Team::core});
  auto cy = s.scalars(orm::select<Employee>().where(c<&Employee::name> == "cy")).at(0);
  cy->level = Level::senior;
  s.commit();
  CHECK(conn.execute(athanor::select(t.c("level")).where(t.c("name") == "cy")).scalar_one<std::int64_t>() == 1);
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

TEST_CASE("a select of columns without text values is trivially copied; copies run like the original (issue 17)") {
  Blog b;
  auto& s = b.s;
  // Trivially copied: its chain of clauses adds no copy constructor or destructor per step,
  // a subquery of it is held by value. A text value (or a select of objects, which holds its
  // loader options) makes a statement that copies as usual.
  auto per_user = [](double min) {
    return orm::select(c<&Post::user_id>, orm::count()).where(c<&Post::score> > min).group_by(c<&Post::user_id>).subquery<"pu">();
  };
  auto counted = [&](double min) {
    auto sq = per_user(min);
    return orm::select(c<&User::id>, sq.c<1>()).join(sq, c<&User::id> == sq.c<0>()).where(c<&User::id> > 0).order_by(c<&User::id>);
  };
  static_assert(std::is_trivially_copyable_v<decltype(counted(0.0))>);
  static_assert(std::is_trivially_destructible_v<decltype(counted(0.0))>);
  auto texted = orm::select(c<&User::id>).where(c<&User::name> != "cy").order_by(c<&User::id>);
  static_assert(!std::is_trivially_copyable_v<decltype(texted)>);
  static_assert(!std::is_trivially_copyable_v<decltype(orm::select<User>())>);
  // The same rows from the statement, a copy of it and a copy whose original is gone; the
  // values come with each copy (1.0 vs 3.0 select different rows).
  std::optional<decltype(counted(0.0))> kept;
  kept.emplace(counted(3.0));
  auto copy = *kept;
  auto original = s.execute(*kept);
  kept.reset();
  CHECK(s.execute(copy) == original);
  CHECK(s.execute(counted(3.0)) == original);
  CHECK(s.execute(counted(1.0)) != original);
  auto texted_copy = texted;
  CHECK(s.execute(texted_copy) == s.execute(texted));
}

TEST_CASE("a typed UPDATE or DELETE is an aggregate built in place; its copies run like the original (issue 17)") {
  Blog b;
  auto& s = b.s;
  // No constructor of its own: each set()/where() builds the next statement in place; without
  // a text value it is trivially copied and destroyed.
  auto bump = [](int visits, int from) { return orm::update<User>().set(c<&User::visits>, visits).where(c<&User::id> >= from); };
  using Bump = decltype(bump(0, 0));
  static_assert(std::is_aggregate_v<Bump> && std::is_trivially_copyable_v<Bump> && std::is_trivially_destructible_v<Bump>);
  auto gone = [](int from) { return orm::delete_<Post>().where(c<&Post::id> >= from); };
  static_assert(std::is_aggregate_v<decltype(gone(0))> && std::is_trivially_copyable_v<decltype(gone(0))>);
  auto renamed = orm::update<User>().set(c<&User::name>, std::string("zed")).where(c<&User::name> == "cy");
  static_assert(std::is_aggregate_v<decltype(renamed)> && !std::is_trivially_copyable_v<decltype(renamed)>);
  auto users = s.execute(orm::select(c<&User::id>).order_by(c<&User::id>));
  REQUIRE(users.size() >= 2);
  const int from = std::get<0>(users[1]);
  const auto want = static_cast<std::int64_t>(users.size() - 1);
  // A copy whose original is gone runs with the copy's values (SET first, then WHERE).
  std::optional<Bump> kept;
  kept.emplace(bump(41, from));
  auto copy = *kept;
  kept.reset();
  CHECK(s.execute(copy) == want);
  auto visits = s.execute(orm::select(c<&User::id>, c<&User::visits>).where(c<&User::visits> == 41).order_by(c<&User::id>));
  REQUIRE(visits.size() == users.size() - 1);
  CHECK(std::get<0>(visits.front()) == from);
  // A copy of one holding text: its own strings, the same rows changed.
  auto renamed_copy = renamed;
  CHECK(s.execute(renamed_copy) == 1);
  auto named = [&](const char* name) {
    return std::get<0>(s.execute(orm::select(orm::count()).select_from<User>().where(c<&User::name> == name)).one());
  };
  CHECK(named("zed") == 1);
  CHECK(named("cy") == 0);
  // A DELETE's copy, its original gone.
  auto posts = s.execute(orm::select(c<&Post::id>).order_by(c<&Post::id>));
  REQUIRE(posts.size() == 3);
  std::optional<decltype(gone(0))> doomed;
  doomed.emplace(gone(std::get<0>(posts[1])));
  auto doomed_copy = *doomed;
  doomed.reset();
  CHECK(s.execute(doomed_copy) == 2);
  CHECK(s.execute(orm::select(c<&Post::id>)) == decltype(posts){posts[0]});
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

TEST_CASE("typed statements run through one compiled function; only those with values collect any (issue 17)") {
  Blog b;
  auto conn = b.engine.connect();
  // Each statement type hands run_statement a constant table: its SQL cache, its compile and,
  // only when one of its parts has a value, its collect.
  auto plain = orm::select(c<&User::name>).order_by(c<&User::name>);
  auto bound = orm::select(c<&User::name>).where(c<&User::name> != "ann").order_by(c<&User::name>);
  auto both = orm::select(c<&User::name>).where(c<&User::name> == "ann").union_all(orm::select(c<&User::name>));
  auto bump = orm::update<User>().set(c<&User::visits>, 7).where(c<&User::name> != "ann");
  auto all = orm::delete_<Post>();
  static_assert(orm::detail::statement_run<decltype(plain)>.collect == nullptr);
  // a select's own collect, which calls its binding clauses only (the rows below need the value)
  static_assert(orm::detail::statement_run<decltype(bound)>.collect == orm::detail::collect_of<decltype(bound)>);
  static_assert(orm::detail::collect_of<decltype(bound)> != &orm::detail::collect_erased<decltype(bound)>);
  static_assert(orm::detail::statement_run<decltype(both)>.collect == &orm::detail::collect_erased<decltype(both)>);
  static_assert(orm::detail::statement_run<decltype(all)>.collect == nullptr);
  static_assert(orm::detail::statement_run<decltype(bump)>.cache == &orm::detail::compile_cache<decltype(bump)>);
  using Names = std::vector<std::tuple<std::string>>;
  CHECK(conn.execute(plain) == Names{{"ann"}, {"bob"}, {"cy"}});
  CHECK(conn.execute(bound) == Names{{"bob"}, {"cy"}});
  CHECK(conn.execute(plain) == Names{{"ann"}, {"bob"}, {"cy"}});  // no value left over from the one before
  auto united = conn.execute(both);
  std::sort(united.begin(), united.end());
  CHECK(united == Names{{"ann"}, {"ann"}, {"bob"}, {"cy"}});
  CHECK(conn.execute(bump) == 2);
  CHECK(conn.execute(orm::select(c<&User::name>).where(c<&User::visits> == 7).order_by(c<&User::name>)) == Names{{"bob"}, {"cy"}});
  CHECK(conn.execute(all) == 3);
  CHECK(conn.execute(orm::select(c<&Post::id>)).empty());
}

TEST_CASE("a select whose WHERE fixes the primary key reads its row and stops (issue 14)") {
  Blog b;
  auto conn = b.engine.connect();
  const auto& d = conn.dialect();
  // Flagged: the one model's single-column primary key compared with a value (or a placeholder).
  CHECK(orm::select<User>().where(c<&User::id> == 1).compile(d).at_most_one_row);
  CHECK(orm::select(c<&User::name>).where(c<&User::name> != "x").where(c<&User::id> == 2).order_by(c<&User::name>).limit(1)
            .compile(d).at_most_one_row);
  CHECK(orm::select<User>().where(c<&User::id> == orm::param<int>()).compile(d).at_most_one_row);
  // Not flagged: another column (unique or not), another comparison, a column on the other
  // side, a composite key, a join, OR.
  CHECK_FALSE(orm::select<User>().where(c<&User::name> == "ann").compile(d).at_most_one_row);
  CHECK_FALSE(orm::select<Post>().where(c<&Post::user_id> == 1).compile(d).at_most_one_row);
  CHECK_FALSE(orm::select<User>().where(c<&User::id> >= 1).compile(d).at_most_one_row);
  CHECK_FALSE(orm::select<User>().where(c<&User::id> == c<&User::visits>).compile(d).at_most_one_row);
  CHECK_FALSE(orm::select<PostTag>().where(c<&PostTag::post_id> == 1).compile(d).at_most_one_row);
  CHECK_FALSE(orm::select(c<&User::name>).join<Post>(c<&Post::user_id> == c<&User::id>).where(c<&User::id> == 1).compile(d).at_most_one_row);
  CHECK_FALSE(orm::select<User>().where(c<&User::id> == 1 || c<&User::id> == 2).compile(d).at_most_one_row);
  // The rows are those of the same condition written so that it is not flagged, for keys
  // present and absent, in a transaction with writes in between (the statement was reset).
  auto tx = conn.begin();
  for (int id = 0; id <= 5; ++id) {
    auto one = conn.execute(orm::select(c<&User::id>, c<&User::name>).where(c<&User::id> == id));
    auto general = conn.execute(orm::select(c<&User::id>, c<&User::name>).where(c<&User::id> >= id && c<&User::id> <= id));
    CHECK(one == general);
    CHECK(one.size() == (id >= 1 && id <= 3 ? 1u : 0u));
    conn.execute(orm::update<User>().set(c<&User::visits>, id).where(c<&User::id> == id));
  }
  tx.commit();
  CHECK(conn.execute(orm::select(c<&User::visits>).where(c<&User::id> == 3)) == std::vector<std::tuple<int>>{{3}});
}

TEST_CASE("Core and ORM share one schema") {
  Blog b;
  auto& users = orm::table_of<User>();
  auto conn = b.engine.connect();
  auto n = conn.execute(athanor::select(athanor::count()).select_from(users).where(users.c("name").like("%n%"))).scalar_one<std::int64_t>();
  CHECK(n == 1);
  CHECK(b.registry.metadata().size() == 6);
}

TEST_CASE("typed: a scalar subquery over the subquery its statement reads keeps its FROM (issue 12 bug 5)") {
  Blog b;
  auto& s = b.s;
  // Users with more posts than the average per author: per_user is read by the statement and
  // by the scalar subquery inside it; the answer equals the one over a second copy of it.
  auto per_user = orm::select(c<&Post::user_id>, orm::count()).group_by(c<&Post::user_id>).subquery<"per_user">();
  auto copy = orm::select(c<&Post::user_id>, orm::count()).group_by(c<&Post::user_id>).subquery<"per_user2">();
  auto over_same = s.execute(orm::select(per_user.c<0>()).select_from(per_user).where(
      per_user.c<1>() > orm::select(orm::avg(per_user.c<1>())).scalar_subquery()));
  auto over_copy = s.execute(orm::select(per_user.c<0>()).select_from(per_user).where(
      per_user.c<1>() > orm::select(orm::avg(copy.c<1>())).scalar_subquery()));
  REQUIRE(over_copy.size() == 1);
  CHECK(over_same == over_copy);
  // correlate<M>() of the subquery's only model would leave it no FROM: refused, not run.
  auto own = orm::select(orm::avg(c<&Post::score>)).correlate<Post>().scalar_subquery();
  CHECK_THROWS_WITH_AS(s.execute(orm::select(c<&Post::title>).where(c<&Post::score> > own)),
                       "[athanor.argument.correlate] a subquery would read no table: every FROM item it names (posts) is "
                       "correlated to the enclosing statement; correlate() only the outside ones, or alias the inner ones",
                       athanor::ArgumentError);
}

TEST_CASE("typed: GROUP BY an expression holding a literal, with inline_literal (issue 12 bug 8)") {
  Blog b;
  auto& s = b.s;
  // The same grouping computed in C++ from the raw rows.
  std::map<std::int64_t, std::int64_t> expected_map;
  for (auto& [uid] : s.execute(orm::select(c<&Post::user_id>))) ++expected_map[uid + 100];
  std::vector<std::tuple<std::int64_t, std::int64_t>> expected(expected_map.begin(), expected_map.end());
  auto key = [] { return c<&Post::user_id> + orm::inline_literal(std::int64_t{100}); };
  auto rows = s.execute(orm::select(key(), orm::count()).group_by(key()).order_by(key()));
  std::vector<std::tuple<std::int64_t, std::int64_t>> got;
  for (auto& [k, n] : rows) got.emplace_back(k, n);
  CHECK(got == expected);
}
