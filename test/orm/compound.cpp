// test/orm/compound.cpp — typed set operations (union_, union_all, intersect[_all], except_[_all])
// and typed CTEs (plain, several, recursive, in UPDATE/DELETE, Core INSERT … FROM SELECT) against
// every backend. Expected rows are computed in C++ from the parts' rows, fetched separately
// (std::set_union / set_intersection / set_difference over sorted rows), never typed by hand.
#include <algorithm>
#include <map>
#include <set>

#include <athanor/dialect/mysql.hpp>
#include <athanor/dialect/postgresql.hpp>

#include "support/backend.hpp"
#include "support/requirements.hpp"

namespace cmpd {
namespace orm = athanor::orm;
struct Reading {
  orm::Mapped<int> id;
  orm::Mapped<int> sensor;
  orm::Mapped<int> value;
  orm::Mapped<std::optional<std::string>> tag;
  static void configure(orm::Mapper<Reading>& m) {
    m.column<&Reading::id>().primary_key().autoincrement(false);
    m.column<&Reading::tag>().length(20);
  }
};
struct Archive {
  orm::Mapped<int> id;
  orm::Mapped<int> sensor;
  orm::Mapped<int> value;
  static void configure(orm::Mapper<Archive>& m) { m.column<&Archive::id>().primary_key().autoincrement(false); }
};
struct Person {
  orm::Mapped<int> id;
  orm::Mapped<std::string> name;
  orm::Mapped<std::optional<int>> manager_id;
  static void configure(orm::Mapper<Person>& m) {
    m.column<&Person::id>().primary_key().autoincrement(false);
    m.column<&Person::name>().length(20);
    m.column<&Person::manager_id>().foreign_key("people.id");
  }
};
ATHANOR_MODEL(Reading, "readings", id, sensor, value, tag)
ATHANOR_MODEL(Archive, "archive", id, sensor, value)
ATHANOR_MODEL(Person, "people", id, name, manager_id)
}  // namespace cmpd
using cmpd::Archive;
using cmpd::Person;
using cmpd::Reading;
namespace orm = athanor::orm;
using orm::c;

namespace {
constexpr int n_readings = 60, n_people = 40;
/// Readings with repeated (sensor, value) pairs (so that ALL differs from distinct), people
/// in a forest: person i reports to a pseudo-random earlier one, or to nobody.
struct Data {
  athanor::Engine engine = test::engine();
  orm::Registry registry;
  orm::Session s{engine};
  std::map<int, std::optional<int>> manager;  // id → manager id, as inserted
  Data() {
    registry.map<Reading, Archive, Person>();
    registry.metadata().drop_all(engine);
    registry.metadata().create_all(engine);
    unsigned x = 12345;
    auto next = [&] { return x = x * 1103515245u + 12345u, (x >> 16) & 0x7fff; };
    for (int i = 1; i <= n_readings; ++i) {
      auto tag = next() % 3 == 0 ? std::optional<std::string>() : std::optional<std::string>("t" + std::to_string(next() % 4));
      s.add(Reading{.id = i, .sensor = static_cast<int>(next() % 4), .value = static_cast<int>(next() % 5), .tag = tag});
    }
    for (int i = 1; i <= n_people; ++i) {
      std::optional<int> m;
      if (i > 3 && next() % 5 != 0) m = static_cast<int>(1 + next() % (i - 1));
      manager[i] = m;
      s.add(Person{.id = i, .name = "p" + std::to_string(i), .manager_id = m});
      s.flush();  // a manager before its reports
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
template <class R>
std::vector<R> sorted(std::vector<R> v) {
  std::sort(v.begin(), v.end());
  return v;
}
template <class R>
std::vector<R> distinct(std::vector<R> v) {
  v = sorted(std::move(v));
  v.erase(std::unique(v.begin(), v.end()), v.end());
  return v;
}
/// The parts: overlapping ranges of readings, by bound values.
auto part(int from, int to) {
  return orm::select(c<&Reading::sensor>, c<&Reading::value>).where(c<&Reading::id> >= from && c<&Reading::id> <= to);
}
using Row = std::tuple<int, int>;
}  // namespace

TEST_CASE("set operations return what std::set algorithms compute from the parts' rows") {
  Data d;
  auto& s = d.s;
  auto a = part(1, 35), b = part(20, 60), cc = part(10, 45);
  std::vector<Row> ra = sorted<Row>(s.execute(a)), rb = sorted<Row>(s.execute(b)), rc = sorted<Row>(s.execute(cc));
  REQUIRE(ra.size() == 35);
  REQUIRE(distinct(ra).size() < ra.size());  // duplicates: ALL and distinct differ
  std::vector<Row> expected;
  auto da = distinct(ra), db = distinct(rb), dc = distinct(rc);

  std::set_union(da.begin(), da.end(), db.begin(), db.end(), std::back_inserter(expected));
  CHECK(sorted<Row>(s.execute(orm::union_(a, b))) == expected);
  CHECK(sorted<Row>(s.execute(a.union_(b))) == expected);

  expected.clear(), std::merge(ra.begin(), ra.end(), rb.begin(), rb.end(), std::back_inserter(expected));
  CHECK(distinct(expected).size() < expected.size());  // the data tells UNION ALL from UNION
  CHECK(sorted<Row>(s.execute(orm::union_all(a, b))) == expected);

  expected.clear(), std::set_intersection(da.begin(), da.end(), db.begin(), db.end(), std::back_inserter(expected));
  CHECK(sorted<Row>(s.execute(a.intersect(b))) == expected);

  expected.clear(), std::set_difference(da.begin(), da.end(), db.begin(), db.end(), std::back_inserter(expected));
  CHECK(sorted<Row>(s.execute(orm::except_(a, b))) == expected);

  // ALL: std::set_intersection / set_difference keep min(m, n) / max(m - n, 0) copies, as SQL does.
  if (test::caps().intersect_except_all) {
    expected.clear(), std::set_intersection(ra.begin(), ra.end(), rb.begin(), rb.end(), std::back_inserter(expected));
    CHECK(distinct(expected).size() < expected.size());  // the data tells INTERSECT ALL from INTERSECT
    CHECK(sorted<Row>(s.execute(orm::intersect_all(a, b))) == expected);
    expected.clear(), std::set_difference(ra.begin(), ra.end(), rb.begin(), rb.end(), std::back_inserter(expected));
    CHECK(distinct(expected).size() < expected.size());
    CHECK(sorted<Row>(s.execute(a.except_all(b))) == expected);
  } else {
    std::string name(s.engine().dialect().display_name());
    CHECK_THROWS_WITH_AS(s.execute(orm::intersect_all(a, b)),
                         ("[athanor.argument.unsupported] " + name +
                          " has no INTERSECT ALL; use INTERSECT (distinct rows), or count the rows per value with GROUP BY")
                             .c_str(),
                         athanor::ArgumentError);
    CHECK_THROWS_WITH_AS(s.execute(a.except_all(b)),
                         ("[athanor.argument.unsupported] " + name +
                          " has no EXCEPT ALL; use EXCEPT (distinct rows), or count the rows per value with GROUP BY")
                             .c_str(),
                         athanor::ArgumentError);
  }

  // Chains apply left to right on every server: (A UNION B) INTERSECT C, (A EXCEPT B) UNION ALL C.
  std::vector<Row> ab;
  std::set_union(da.begin(), da.end(), db.begin(), db.end(), std::back_inserter(ab));
  expected.clear(), std::set_intersection(ab.begin(), ab.end(), dc.begin(), dc.end(), std::back_inserter(expected));
  CHECK(sorted<Row>(s.execute(a.union_(b).intersect(cc))) == expected);
  std::vector<Row> bc_, standard;  // what the SQL standard's precedence would give: A UNION (B INTERSECT C)
  std::set_intersection(db.begin(), db.end(), dc.begin(), dc.end(), std::back_inserter(bc_));
  std::set_union(da.begin(), da.end(), bc_.begin(), bc_.end(), std::back_inserter(standard));
  CHECK(standard != expected);  // the data tells the two readings apart
  std::vector<Row> a_b;
  std::set_difference(da.begin(), da.end(), db.begin(), db.end(), std::back_inserter(a_b));
  expected.clear(), std::merge(a_b.begin(), a_b.end(), rc.begin(), rc.end(), std::back_inserter(expected));
  CHECK(sorted<Row>(s.execute(orm::except_(a, b).union_all(cc))) == expected);
  // A compound as the right operand is grouped: A EXCEPT (B UNION C).
  std::vector<Row> bc;
  std::set_union(db.begin(), db.end(), dc.begin(), dc.end(), std::back_inserter(bc));
  expected.clear(), std::set_difference(da.begin(), da.end(), bc.begin(), bc.end(), std::back_inserter(expected));
  CHECK(sorted<Row>(s.execute(a.except_(orm::union_(b, cc)))) == expected);
}

TEST_CASE("a compound's ORDER BY / LIMIT / OFFSET name its result columns; compiled once per type") {
  Data d;
  auto& s = d.s;
  auto top = [](int split, std::int64_t n, std::int64_t skip) {
    auto u = orm::union_(part(1, split), part(split + 10, 60));
    return u.order_by(u.c<1>().desc(), u.c<0>()).limit(n).offset(skip);
  };
  for (auto [split, n, skip] : {std::tuple{30, 5, 2}, std::tuple{20, 7, 0}}) {
    auto ra = distinct<Row>(s.execute(part(1, split))), rb = distinct<Row>(s.execute(part(split + 10, 60)));
    std::vector<Row> all;
    std::set_union(ra.begin(), ra.end(), rb.begin(), rb.end(), std::back_inserter(all));
    std::sort(all.begin(), all.end(), [](const Row& x, const Row& y) {
      return std::get<1>(x) != std::get<1>(y) ? std::get<1>(x) > std::get<1>(y) : std::get<0>(x) < std::get<0>(y);
    });
    std::vector<Row> expected(all.begin() + skip, all.begin() + std::min<std::size_t>(all.size(), skip + n));
    CHECK(s.execute(top(split, n, skip)) == expected);
  }
  auto& dialect = s.engine().dialect();
  CHECK(top(30, 5, 2).compiled(dialect).get() == top(20, 7, 0).compiled(dialect).get());
  // By the member the first select names, too.
  auto u = orm::union_(part(1, 30), part(31, 60));
  auto by_member = s.execute(u.order_by(u.c<&Reading::value>(), u.c<&Reading::sensor>().desc()));
  auto expected = distinct<Row>(s.execute(orm::union_all(part(1, 30), part(31, 60))));
  std::sort(expected.begin(), expected.end(), [](const Row& x, const Row& y) {
    return std::get<1>(x) != std::get<1>(y) ? std::get<1>(x) < std::get<1>(y) : std::get<0>(x) > std::get<0>(y);
  });
  CHECK(by_member == expected);
}

TEST_CASE("a compound of selects without text values is trivially copied; its copies run like the original (issue 17)") {
  Data d;
  auto& s = d.s;
  // An aggregate holding its two selects by value: each clause builds the next compound in
  // place, with no shared pointer to its parts, no constructor, copy or destructor per step.
  auto top = [](int split, std::int64_t n) {
    auto u = orm::union_(part(1, split), part(split + 10, 60));
    return u.order_by(u.c<1>().desc(), u.c<0>()).limit(n);
  };
  using Top = decltype(top(0, 0));
  static_assert(std::is_aggregate_v<Top> && std::is_trivially_copyable_v<Top> && std::is_trivially_destructible_v<Top>);
  using Texted = decltype(orm::union_(orm::select(c<&Person::id>).where(c<&Person::name> != "p1"), orm::select(c<&Person::id>)));
  static_assert(!std::is_trivially_copyable_v<Texted>);
  // The rows C++ computes from the parts, from the compound, a copy of it and a copy whose
  // original is gone; the values come with each copy (another LIMIT, other rows).
  auto ra = distinct<Row>(s.execute(part(1, 30))), rb = distinct<Row>(s.execute(part(40, 60)));
  std::vector<Row> all;
  std::set_union(ra.begin(), ra.end(), rb.begin(), rb.end(), std::back_inserter(all));
  std::sort(all.begin(), all.end(), [](const Row& x, const Row& y) {
    return std::get<1>(x) != std::get<1>(y) ? std::get<1>(x) > std::get<1>(y) : std::get<0>(x) < std::get<0>(y);
  });
  all.resize(std::min<std::size_t>(all.size(), 6));
  std::optional<Top> kept;
  kept.emplace(top(30, 6));
  auto copy = *kept;
  CHECK(s.execute(*kept) == all);
  kept.reset();
  CHECK(s.execute(copy) == all);
  CHECK(s.execute(top(30, 3)) == std::vector<Row>(all.begin(), all.begin() + 3));
  auto texted = orm::union_(orm::select(c<&Person::id>).where(c<&Person::name> != "p1"), orm::select(c<&Person::id>).where(c<&Person::id> > 2));
  auto texted_copy = texted;
  CHECK(sorted(s.execute(texted_copy)) == sorted(s.execute(texted)));
  CHECK(s.execute(texted).size() == static_cast<std::size_t>(n_people - 1));  // p1 (id 1) in neither part
}

TEST_CASE("a compound's column is std::optional when it is in any part") {
  Data d;
  auto& s = d.s;
  auto tags = orm::select(c<&Reading::tag>).where(c<&Reading::id> <= 20);
  auto names = orm::select(c<&Person::name>).where(c<&Person::id> <= 5);
  auto u = orm::union_(names, tags);
  using Tag = std::tuple<std::optional<std::string>>;
  static_assert(std::is_same_v<decltype(u)::result_type, Tag>);
  std::set<Tag> expected;
  for (auto& [n] : s.execute(names)) expected.insert(Tag{n});
  for (auto& t : s.execute(tags)) expected.insert(t);
  auto got = s.execute(u);
  CHECK(std::set<Tag>(got.begin(), got.end()) == expected);
  CHECK(got.size() == expected.size());
}

TEST_CASE("a compound as a subquery, in in_(), and of whole objects") {
  Data d;
  auto& s = d.s;
  auto u = orm::union_(part(1, 25), part(40, 60));
  std::map<int, std::int64_t> per_sensor;  // distinct (sensor, value) pairs per sensor
  for (auto& [sensor, value] : distinct<Row>(s.execute(orm::union_all(part(1, 25), part(40, 60))))) ++per_sensor[sensor];
  auto sq = u.subquery<"u">();
  auto counts = s.execute(orm::select(sq.c<0>(), orm::count()).select_from(sq).group_by(sq.c<0>()).order_by(sq.c<0>()));
  CHECK(counts == std::vector<std::tuple<int, std::int64_t>>(per_sensor.begin(), per_sensor.end()));
  auto by_member = s.execute(orm::select(sq.c<&Reading::value>()).select_from(sq).where(sq.c<&Reading::sensor>() == 1));
  CHECK(static_cast<std::int64_t>(by_member.size()) == per_sensor[1]);

  // in_ / not_in over a one-column compound.
  auto low = orm::select(c<&Reading::id>).where(c<&Reading::id> <= 5);
  auto high = orm::select(c<&Reading::id>).where(c<&Reading::id> > 55);
  auto ids = s.execute(orm::select(c<&Reading::id>).where(c<&Reading::id>.in_(orm::union_(low, high))).order_by(c<&Reading::id>));
  std::vector<std::tuple<int>> expected;
  for (int i = 1; i <= n_readings; ++i)
    if (i <= 5 || i > 55) expected.emplace_back(i);
  CHECK(ids == expected);
  auto rest = s.execute(orm::select(orm::count()).select_from<Reading>().where(c<&Reading::id>.not_in(low.union_all(high))));
  CHECK(std::get<0>(rest.at(0)) == n_readings - static_cast<std::int64_t>(expected.size()));
  // A scalar subquery of a compound.
  auto most = orm::select(orm::max(c<&Reading::id>)).where(c<&Reading::id> < 10).union_(orm::select(orm::max(c<&Reading::id>)).where(c<&Reading::id> < 5));
  auto count_above = s.execute(orm::select(orm::count()).select_from<Reading>().where(c<&Reading::id> > orm::union_all(
      orm::select(c<&Reading::id>).where(c<&Reading::id> == 7), orm::select(c<&Reading::id>).where(c<&Reading::id> == -1)).scalar_subquery()));
  CHECK(std::get<0>(count_above.at(0)) == n_readings - 7);
  CHECK(s.execute(most).size() == 2);
  // EXISTS over a compound.
  auto any = [&](int from, int to) {
    return s.execute(orm::select(orm::count()).select_from<Person>().where(orm::exists(orm::union_(
        orm::select(c<&Reading::id>).where(c<&Reading::id> == from), orm::select(c<&Reading::id>).where(c<&Reading::id> == to)))));
  };
  CHECK(std::get<0>(any(1, -1).at(0)) == n_people);
  CHECK(std::get<0>(any(-1, -2).at(0)) == 0);

  // Whole objects: rows are Reading objects, through the identity map.
  auto objects = s.scalars(orm::union_(orm::select<Reading>().where(c<&Reading::id> <= 3), orm::select<Reading>().where(c<&Reading::id> >= 58)));
  std::set<int> got;
  for (auto& r : objects) got.insert(r->id);
  CHECK(got == std::set<int>{1, 2, 3, 58, 59, 60});
  auto ordered = orm::union_all(orm::select<Reading>().where(c<&Reading::id> <= 3), orm::select<Reading>().where(c<&Reading::id> >= 58));
  auto first = s.scalars(ordered.order_by(ordered.c<&Reading::id>().desc()).limit(2));
  REQUIRE(first.size() == 2);
  CHECK(first[0]->id == 60);
  CHECK(first[1]->id == 59);
}

TEST_CASE("CTEs: typed columns, joins, several in one statement, defined once in dependency order") {
  Data d;
  auto& s = d.s;
  std::map<int, std::int64_t> per_sensor;
  std::map<int, int> sensor_of;
  for (auto& r : s.scalars(orm::select<Reading>())) ++per_sensor[r->sensor], sensor_of[r->id] = r->sensor;
  auto totals = orm::select(c<&Reading::sensor>, orm::count()).group_by(c<&Reading::sensor>).cte<"totals">();
  auto rows = s.execute(orm::select(totals.c<0>(), totals.c<1>()).select_from(totals).order_by(totals.c<&Reading::sensor>()));
  CHECK(rows == std::vector<std::tuple<int, std::int64_t>>(per_sensor.begin(), per_sensor.end()));
  // Joined, and referenced three times: one FROM item, its values once.
  auto joined = [&](std::int64_t at_least) {
    return orm::select(c<&Reading::id>, totals.c<1>()).join(totals, c<&Reading::sensor> == totals.c<0>()).where(totals.c<1>() >= at_least).order_by(c<&Reading::id>);
  };
  std::int64_t cut = 0;
  for (auto& [sensor, n] : per_sensor) cut = std::max(cut, n);
  std::vector<std::tuple<int, std::int64_t>> expected;
  for (auto& [id, sensor] : sensor_of)
    if (per_sensor[sensor] >= cut) expected.emplace_back(id, per_sensor[sensor]);
  CHECK(s.execute(joined(cut)) == expected);
  // A second CTE reading the first: WITH totals AS (…), big AS (… FROM totals …).
  auto big = [&](std::int64_t at_least) {
    auto t = orm::select(c<&Reading::sensor>, orm::count()).where(c<&Reading::value> >= 0).group_by(c<&Reading::sensor>).cte<"totals">();
    auto b = orm::select(t.c<0>()).select_from(t).where(t.c<1>() >= at_least).cte<"big">();
    return orm::select(c<&Reading::id>).where(c<&Reading::sensor>.in_(orm::select(b.c<0>()).select_from(b))).order_by(c<&Reading::id>);
  };
  auto sql = big(cut).compiled(s.engine().dialect())->sql;
  CHECK(sql.rfind("WITH ", 0) == 0);
  CHECK(sql.find("totals") < sql.find("big"));  // defined before the CTE that reads it
  std::vector<std::tuple<int>> ids;
  for (auto& [id, sensor] : sensor_of)
    if (per_sensor[sensor] >= cut) ids.emplace_back(id);
  CHECK(s.execute(big(cut)) == ids);
  CHECK(big(0).compiled(s.engine().dialect()).get() == big(cut).compiled(s.engine().dialect()).get());
  CHECK(s.execute(big(0)).size() == static_cast<std::size_t>(n_readings));
  // Two CTEs side by side, joined.
  auto lo = orm::select(c<&Reading::id>, c<&Reading::value>).where(c<&Reading::id> <= 30).cte<"lo">();
  auto hi = orm::select(c<&Reading::id>, c<&Reading::value>).where(c<&Reading::id> > 30).cte<"hi">();
  auto pairs = s.execute(orm::select(lo.c<0>(), hi.c<0>()).select_from(lo).join(hi, hi.c<0>() == lo.c<0>() + 30 && hi.c<1>() == lo.c<1>()));
  std::map<int, int> value_of;
  for (auto& r : s.scalars(orm::select<Reading>())) value_of[r->id] = r->value;
  std::set<std::tuple<int, int>> want;
  for (int i = 1; i <= 30; ++i)
    if (value_of[i] == value_of[i + 30]) want.emplace(i, i + 30);
  CHECK(std::set<std::tuple<int, int>>(pairs.begin(), pairs.end()) == want);
  // A compound whose first part is a compound with its own ORDER BY / LIMIT (grouped): its columns still have names.
  auto first3 = orm::union_(part(1, 10), part(11, 20));
  auto nested = first3.order_by(first3.c<0>(), first3.c<1>()).limit(3).union_all(part(59, 60)).subquery<"nested">();
  auto nested_rows = s.execute(orm::select(nested.c<1>(), nested.c<0>()).select_from(nested));
  CHECK(nested_rows.size() == 5);
  // A compound as a CTE.
  auto u = orm::union_(part(1, 10), part(50, 60)).cte<"u">();
  auto n = s.execute(orm::select(orm::count()).select_from(u));
  CHECK(std::get<0>(n.at(0)) == static_cast<std::int64_t>(s.execute(orm::union_(part(1, 10), part(50, 60))).size()));
}

TEST_CASE("WITH RECURSIVE: a counter and a management chain, as C++ computes them") {
  Data d;
  auto& s = d.s;
  auto counter = [](std::int64_t n) {
    auto t = orm::select(orm::Val<std::int64_t>(1)).cte<"cnt">(orm::recursive);
    auto all = t.union_all(orm::select(t.c<0>() + 1).select_from(t).where(t.c<0>() < n));
    return orm::select(all.c<0>()).select_from(all).order_by(all.c<0>());
  };
  for (std::int64_t n : {1, 10, 37}) {
    std::vector<std::tuple<std::int64_t>> expected;
    for (std::int64_t i = 1; i <= n; ++i) expected.emplace_back(i);
    CHECK(s.execute(counter(n)) == expected);
  }
  CHECK(counter(3).compiled(s.engine().dialect()).get() == counter(4).compiled(s.engine().dialect()).get());

  // Everyone with their depth below a root (manager_id NULL).
  auto anchor = orm::select(c<&Person::id>, c<&Person::name>, orm::Val<std::int64_t>(0)).where(c<&Person::manager_id>.is_null());
  auto t = anchor.cte<"chain">(orm::recursive);
  auto chain = t.union_all(orm::select(c<&Person::id>, c<&Person::name>, t.c<2>() + 1).join(t, c<&Person::manager_id> == t.c<0>()));
  auto rows = s.execute(orm::select(chain.c<0>(), chain.c<1>(), chain.c<2>()).select_from(chain).order_by(chain.c<0>()));
  std::vector<std::tuple<int, std::string, std::int64_t>> expected;
  for (auto& [id, m] : d.manager) {
    std::int64_t depth = 0;
    for (auto up = m; up; up = d.manager[*up]) ++depth;
    expected.emplace_back(id, "p" + std::to_string(id), depth);
  }
  CHECK(rows == expected);
  // The chain above one person (towards the root), joined back to people: the step reads the CTE.
  auto up = [&](int from) {
    auto start = orm::select(c<&Person::id>, c<&Person::manager_id>).where(c<&Person::id> == from).cte<"up">(orm::recursive);
    auto path = start.union_all(orm::select(c<&Person::id>, c<&Person::manager_id>).join(start, c<&Person::id> == start.c<1>()));
    return orm::select(c<&Person::name>).join(path, c<&Person::id> == path.c<0>()).order_by(c<&Person::id>);
  };
  for (int from : {n_people, n_people / 2}) {
    std::vector<std::tuple<std::string>> want;
    std::set<int> ids;
    for (std::optional<int> p = from; p; p = d.manager[*p]) ids.insert(*p);
    for (int id : ids) want.emplace_back("p" + std::to_string(id));
    CHECK(s.execute(up(from)) == want);
  }
}

TEST_CASE("CTEs in typed UPDATE and DELETE, and in Core INSERT … FROM SELECT") {
  Data d;
  auto& s = d.s;
  std::map<int, std::int64_t> per_sensor;
  std::map<int, int> sensor_of;
  for (auto& r : s.scalars(orm::select<Reading>())) ++per_sensor[r->sensor], sensor_of[r->id] = r->sensor;
  auto busiest = std::max_element(per_sensor.begin(), per_sensor.end(), [](auto& x, auto& y) { return x.second < y.second; });
  auto totals = orm::select(c<&Reading::sensor>, orm::count()).group_by(c<&Reading::sensor>).cte<"totals">();
  auto changed = s.execute(orm::update<Reading>().set(c<&Reading::value>, 99).where(
      c<&Reading::sensor>.in_(orm::select(totals.c<0>()).select_from(totals).where(totals.c<1>() >= busiest->second))));
  std::int64_t want = 0;
  for (auto& [sensor, n] : per_sensor) want += n >= busiest->second ? n : 0;
  CHECK(changed == want);
  auto nines = s.execute(orm::select(orm::count()).select_from<Reading>().where(c<&Reading::value> == 99));
  CHECK(std::get<0>(nines.at(0)) == want);
  // DELETE of the ids a recursive counter gives.
  auto cnt = orm::select(orm::Val<int>(1)).cte<"cnt">(orm::recursive);
  auto upto = cnt.union_all(orm::select(cnt.c<0>() + 1).select_from(cnt).where(cnt.c<0>() < 7));
  CHECK(s.execute(orm::delete_<Reading>().where(c<&Reading::id>.in_(orm::select(upto.c<0>()).select_from(upto)))) == 7);
  auto left = s.execute(orm::select(orm::min(c<&Reading::id>), orm::count()).select_from<Reading>());
  CHECK(std::get<0>(left.at(0)) == std::optional<int>(8));
  CHECK(std::get<1>(left.at(0)) == n_readings - 7);
  s.commit();
  // Core: INSERT INTO archive (…) WITH src AS (…) SELECT … FROM src.
  auto& readings = orm::table_of<Reading>();
  auto src = athanor::select(readings.c("id"), readings.c("sensor"), readings.c("value")).where(readings.c("id") <= 20).cte("src");
  auto conn = d.engine.connect();
  conn.execute(athanor::insert(orm::table_of<Archive>()).from_select({"id", "sensor", "value"}, athanor::select(src.c("id"), src.c("sensor"), src.c("value"))));
  auto archived = s.execute(orm::select(c<&Archive::id>).order_by(c<&Archive::id>));
  std::vector<std::tuple<int>> ids;
  for (int i = 8; i <= 20; ++i) ids.emplace_back(i);
  CHECK(archived == ids);
}

TEST_CASE("the WITH clause goes in front of UPDATE/DELETE, or into the subqueries where the dialect wants it") {
  auto t = orm::select(c<&Reading::sensor>).where(c<&Reading::value> > 2).cte<"t">();
  auto upd = orm::update<Reading>().set(c<&Reading::value>, 0).where(c<&Reading::sensor>.in_(orm::select(t.c<0>()).select_from(t)));
  auto del = orm::delete_<Reading>().where(c<&Reading::sensor>.in_(orm::select(t.c<0>()).select_from(t)));
  athanor::SqliteDialect sqlite;
  athanor::PostgresqlDialect pg;
  athanor::MysqlDialect my;
  CHECK(upd.compile(sqlite).sql ==
        "WITH \"t\" (\"c0\") AS (SELECT \"readings\".\"sensor\" AS \"c0\" FROM \"readings\" WHERE \"readings\".\"value\" > ?) "
        "UPDATE \"readings\" SET \"value\" = ? WHERE \"readings\".\"sensor\" IN (SELECT \"t\".\"c0\" FROM \"t\")");
  CHECK(del.compile(pg).sql.rfind("WITH \"t\" (\"c0\") AS (SELECT", 0) == 0);
  CHECK(upd.compile(my).sql ==
        "UPDATE `readings` SET `value` = ? WHERE `readings`.`sensor` IN (WITH `t` (`c0`) AS (SELECT `readings`.`sensor` AS "
        "`c0` FROM `readings` WHERE `readings`.`value` > ?) SELECT `t`.`c0` FROM `t`)");
  CHECK(del.compile(my).sql.rfind("DELETE FROM `readings` WHERE `readings`.`sensor` IN (WITH `t`", 0) == 0);
}
