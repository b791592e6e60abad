// test/orm/functions.cpp — the typed SQL functions (orm/functions.hpp) against every backend:
// a few hundred seeded rows (negative numbers, .5 ties, NULLs, UTF-8 text with spaces, instants
// over two centuries with leap days and ISO week edges), each function's answer compared with
// the same computation in C++ over the inserted values (test/support/function_refs.hpp).
#include "support/backend.hpp"
#include "support/function_refs.hpp"

#include <map>

namespace orm = athanor::orm;
using athanor::Date;
using athanor::DateTime;
using athanor::Time;
using orm::c;

namespace fnt {
struct Sample {
  orm::Mapped<int> id;
  orm::Mapped<int> i;
  orm::Mapped<std::optional<int>> j;
  orm::Mapped<std::int64_t> k;  // x in thousandths
  orm::Mapped<double> x;
  orm::Mapped<std::optional<double>> y;
  orm::Mapped<std::string> s;
  orm::Mapped<std::optional<std::string>> t;
  orm::Mapped<DateTime> at;
  orm::Mapped<std::optional<Date>> on;
  orm::Mapped<Time> tm;
  static void configure(orm::Mapper<Sample>& m) {
    m.column<&Sample::id>().primary_key().autoincrement(false);
    m.column<&Sample::s>().length(60);
    m.column<&Sample::t>().length(60);
  }
};
ATHANOR_MODEL(Sample, "fn_samples", id, i, j, k, x, y, s, t, at, on, tm)
}  // namespace fnt
using fnt::Sample;

namespace {
constexpr int rows = 300;

struct Fixture {
  athanor::Engine engine = test::engine();
  orm::Registry registry;
  orm::Session s{engine};
  std::map<int, Sample> in;  // what went in, by id
  Fixture() {
    registry.map<Sample>();
    registry.metadata().drop_all(engine);
    registry.metadata().create_all(engine);
    test::ref::Gen g(13);
    for (int id = 1; id <= rows; ++id) {
      Sample r;
      r.id = id;
      r.i = static_cast<int>(g.between(-1000, 1000));
      if (!g.chance(15)) r.j = static_cast<int>(g.between(-9, 9));  // 0 included: mod by zero
      r.k = g.milli();
      r.x = static_cast<double>(r.k.get()) / 1000.0;
      if (!g.chance(15)) r.y = static_cast<double>(g.between(-800, 800)) / 8.0;  // x.5, x.25, x.125
      r.s = g.text();
      if (!g.chance(15)) r.t = g.text();
      r.at = g.instant();
      if (!g.chance(10)) r.on = Date{std::chrono::floor<std::chrono::days>(g.instant())};
      r.tm = Time{g.between(0, 86'400'000'000 - 1)};
      in.emplace(id, r);
      s.add(std::move(r));
    }
    s.commit();
  }
  ~Fixture() {
    s.close();
    try {
      registry.metadata().drop_all(engine);
    } catch (...) {
    }
  }
};

template <class T>
std::optional<T> opt(const orm::Mapped<std::optional<T>>& m) { return m.get(); }
template <class A, class F>
auto map_opt(const std::optional<A>& a, F f) -> std::optional<decltype(f(*a))> {
  if (!a) return std::nullopt;
  return f(*a);
}
}  // namespace

TEST_CASE("round, abs, ceil, floor keep the numeric type and agree with C++ (half away from zero)") {
  Fixture f;
  auto stmt = orm::select(c<&Sample::id>, orm::round(c<&Sample::x>), orm::round(c<&Sample::x>, 1), orm::round(c<&Sample::x>, 2),
                          orm::round(c<&Sample::y>), orm::round(c<&Sample::i>, 2), orm::abs(c<&Sample::x>), orm::abs(c<&Sample::j>),
                          orm::ceil(c<&Sample::x>), orm::floor(c<&Sample::x>), orm::ceil(c<&Sample::y>), orm::floor(c<&Sample::i>))
                  .order_by(c<&Sample::id>);
  using Row = std::tuple<int, double, double, double, std::optional<double>, int, double, std::optional<int>, double, double,
                         std::optional<double>, int>;
  static_assert(std::is_same_v<typename decltype(stmt)::result_type, Row>);
  auto got = f.s.execute(stmt);
  REQUIRE(got.size() == rows);
  int ties = 0;
  for (auto& [id, r0, r1, r2, ry, ri, ax, aj, cx, fx, cy, fi] : got) {
    const Sample& e = f.in.at(id);
    const int row_id = id;  // clang 14 cannot capture a structured binding
    CAPTURE(row_id);
    CAPTURE(e.x.get());
    std::int64_t k = e.k;
    ties += k % 500 == 0;
    CHECK(r0 == test::ref::round_milli(k, 0));
    CHECK(r1 == test::ref::round_milli(k, 1));
    CHECK(r2 == test::ref::round_milli(k, 2));
    CHECK(ry == map_opt(opt(e.y), [](double v) { return std::round(v); }));  // std::round: half away from zero
    CHECK(ri == e.i.get());
    CHECK(ax == std::abs(e.x.get()));
    CHECK(aj == map_opt(opt(e.j), [](int v) { return std::abs(v); }));
    CHECK(cx == std::ceil(e.x.get()));
    CHECK(fx == std::floor(e.x.get()));
    CHECK(cy == map_opt(opt(e.y), [](double v) { return std::ceil(v); }));
    CHECK(fi == e.i.get());
  }
  CHECK(ties > 20);  // the .5 cases were there
}

TEST_CASE("mod, nullif, greatest, least: NULL in, NULL out, on every backend") {
  Fixture f;
  auto stmt = orm::select(c<&Sample::id>, orm::mod(c<&Sample::i>, 7), orm::mod(c<&Sample::i>, c<&Sample::j>), orm::nullif(c<&Sample::j>, 0),
                          orm::greatest(c<&Sample::x>, c<&Sample::y>), orm::least(c<&Sample::x>, c<&Sample::y>, 0.0),
                          orm::greatest(c<&Sample::i>, c<&Sample::j>, -3), orm::least(c<&Sample::i>, 5))
                  .order_by(c<&Sample::id>);
  using Row = std::tuple<int, int, std::optional<int>, std::optional<int>, std::optional<double>, std::optional<double>,
                         std::optional<int>, int>;
  static_assert(std::is_same_v<typename decltype(stmt)::result_type, Row>);
  auto got = f.s.execute(stmt);
  REQUIRE(got.size() == rows);
  int by_zero = 0;
  for (auto& [id, m7, mj, nz, gxy, lxy0, gij, li5] : got) {
    const Sample& e = f.in.at(id);
    const int row_id = id;  // clang 14 cannot capture a structured binding
    CAPTURE(row_id);
    auto j = opt(e.j);
    auto y = opt(e.y);
    by_zero += j == 0;
    CHECK(m7 == e.i % 7);  // the sign of the dividend, as C++
    CHECK(mj == (j && *j != 0 ? std::optional<int>(e.i % *j) : std::nullopt));
    CHECK(nz == (j == 0 ? std::nullopt : j));
    CHECK(gxy == map_opt(y, [&](double v) { return std::max(e.x.get(), v); }));
    CHECK(lxy0 == map_opt(y, [&](double v) { return std::min({e.x.get(), v, 0.0}); }));
    CHECK(gij == map_opt(j, [&](int v) { return std::max({e.i.get(), v, -3}); }));
    CHECK(li5 == std::min(e.i.get(), 5));
  }
  CHECK(by_zero > 0);
}

TEST_CASE("substr, trim, ltrim, rtrim, replace, concat, length count characters of UTF-8 text") {
  Fixture f;
  auto stmt = orm::select(c<&Sample::id>, orm::substr(c<&Sample::s>, 2), orm::substr(c<&Sample::s>, 2, 3), orm::substr(c<&Sample::t>, 1, 2),
                          orm::trim(c<&Sample::s>), orm::ltrim(c<&Sample::s>), orm::rtrim(c<&Sample::t>), orm::replace(c<&Sample::s>, "a", "<é>"),
                          orm::concat(c<&Sample::s>, "|", c<&Sample::t>), orm::length(c<&Sample::s>))
                  .order_by(c<&Sample::id>);
  using Row = std::tuple<int, std::string, std::string, std::optional<std::string>, std::string, std::string, std::optional<std::string>,
                         std::string, std::optional<std::string>, std::int64_t>;
  static_assert(std::is_same_v<typename decltype(stmt)::result_type, Row>);
  auto got = f.s.execute(stmt);
  REQUIRE(got.size() == rows);
  namespace r = test::ref;
  for (auto& [id, s2, s23, t12, tr, ltr, rtr, rep, cat, len] : got) {
    const Sample& e = f.in.at(id);
    const int row_id = id;  // clang 14 cannot capture a structured binding
    CAPTURE(row_id);
    CAPTURE(e.s.get());
    auto t = opt(e.t);
    CHECK(s2 == r::substr(e.s.get(), 2));
    CHECK(s23 == r::substr(e.s.get(), 2, 3));
    CHECK(t12 == map_opt(t, [](const std::string& v) { return r::substr(v, 1, 2); }));
    CHECK(tr == r::trim(e.s.get()));
    CHECK(ltr == r::ltrim(e.s.get()));
    CHECK(rtr == map_opt(t, [](const std::string& v) { return r::rtrim(v); }));
    CHECK(rep == r::replace(e.s.get(), "a", "<é>"));
    CHECK(cat == map_opt(t, [&](const std::string& v) { return e.s.get() + "|" + v; }));
    CHECK(len == r::length(e.s.get()));
  }
}

TEST_CASE("extract and year…second on DateTime, Date and Time agree with std::chrono") {
  Fixture f;
  auto at = orm::select(c<&Sample::id>, orm::year(c<&Sample::at>), orm::month(c<&Sample::at>), orm::day(c<&Sample::at>),
                        orm::hour(c<&Sample::at>), orm::minute(c<&Sample::at>), orm::second(c<&Sample::at>), orm::extract<"dow">(c<&Sample::at>),
                        orm::extract<"doy">(c<&Sample::at>), orm::extract<"quarter">(c<&Sample::at>), orm::extract<"week">(c<&Sample::at>))
                .order_by(c<&Sample::id>);
  static_assert(std::is_same_v<std::tuple_element_t<1, typename decltype(at)::result_type>, std::int64_t>);
  auto on = orm::select(c<&Sample::id>, orm::year(c<&Sample::on>), orm::month(c<&Sample::on>), orm::day(c<&Sample::on>),
                        orm::extract<"dow">(c<&Sample::on>), orm::extract<"doy">(c<&Sample::on>), orm::extract<"quarter">(c<&Sample::on>),
                        orm::extract<"week">(c<&Sample::on>), orm::hour(c<&Sample::tm>), orm::minute(c<&Sample::tm>), orm::second(c<&Sample::tm>))
                .order_by(c<&Sample::id>);
  static_assert(std::is_same_v<std::tuple_element_t<1, typename decltype(on)::result_type>, std::optional<std::int64_t>>);
  auto a = f.s.execute(at);
  auto b = f.s.execute(on);
  REQUIRE(a.size() == rows);
  REQUIRE(b.size() == rows);
  int weeks53 = 0;
  for (std::size_t n = 0; n < a.size(); ++n) {
    auto& [id, y, mo, d, h, mi, s, dow, doy, q, w] = a[n];
    const Sample& e = f.in.at(id);
    const int row_id = id;  // clang 14 cannot capture a structured binding
    CAPTURE(row_id);
    auto x = test::ref::fields(e.at.get());
    CHECK(std::tuple(y, mo, d, h, mi, s) == std::tuple(x.year, x.month, x.day, x.hour, x.minute, x.second));
    CHECK(std::tuple(dow, doy, q, w) == std::tuple(x.dow, x.doy, x.quarter, x.week));
    weeks53 += w == 53;
    auto& [id2, oy, omo, od, odow, odoy, oq, ow, th, tmi, ts] = b[n];
    REQUIRE(id2 == id);
    if (auto date = opt(e.on)) {
      auto z = test::ref::fields(*date);
      CHECK(std::tuple(oy, omo, od, odow, odoy, oq, ow) ==
            std::tuple(std::optional(z.year), std::optional(z.month), std::optional(z.day), std::optional(z.dow), std::optional(z.doy),
                       std::optional(z.quarter), std::optional(z.week)));
    } else {
      CHECK(!oy);
      CHECK(!ow);
    }
    auto t = test::ref::fields(e.tm.get());
    CHECK(std::tuple(th, tmi, ts) == std::tuple(t.hour, t.minute, t.second));
  }
  CHECK(weeks53 > 0);
  // In WHERE and GROUP BY: the rows of each quarter, counted by the server and in C++.
  auto per_quarter = f.s.execute(orm::select(orm::extract<"quarter">(c<&Sample::at>), orm::count())
                                     .group_by(orm::extract<"quarter">(c<&Sample::at>))
                                     .order_by(orm::extract<"quarter">(c<&Sample::at>)));
  std::map<std::int64_t, std::int64_t> expected;
  for (auto& [id, e] : f.in) ++expected[test::ref::fields(e.at.get()).quarter];
  std::map<std::int64_t, std::int64_t> seen;
  for (auto& [q, n] : per_quarter) seen[q] = n;
  CHECK(seen == expected);
  auto leap = f.s.execute(orm::select(c<&Sample::id>).where(orm::month(c<&Sample::at>) == 2 && orm::day(c<&Sample::at>) == 29));
  std::size_t leap_days = 0;
  for (auto& [id, e] : f.in) leap_days += test::ref::fields(e.at.get()).month == 2 && test::ref::fields(e.at.get()).day == 29;
  CHECK(leap.size() == leap_days);
  CHECK(leap_days > 0);
}

TEST_CASE("bound arguments: the same statement type with other values, on every backend") {
  Fixture f;
  auto stmt = [](int digits, int start, int len, std::string from) {
    return orm::select(orm::round(c<&Sample::x>, digits), orm::substr(c<&Sample::s>, start, len), orm::replace(c<&Sample::s>, from, "#"))
        .where(c<&Sample::id> == 7);
  };
  static_assert(std::is_same_v<decltype(stmt(0, 1, 1, "")), decltype(stmt(3, 2, 5, "a"))>);  // compiled once
  const Sample& e = f.in.at(7);
  for (int digits : {0, 2, 3}) {
    auto [r, sub, rep] = f.s.execute(stmt(digits, digits + 1, digits, digits ? "a" : "b")).at(0);
    CHECK(r == test::ref::round_milli(e.k.get(), digits));
    CHECK(sub == test::ref::substr(e.s.get(), digits + 1, digits));
    CHECK(rep == test::ref::replace(e.s.get(), digits ? "a" : "b", "#"));
  }
  // Values the servers would read differently are refused before they reach one.
  CHECK_THROWS_WITH_AS(f.s.execute(stmt(-1, 1, 1, "a")), "[athanor.argument.function] round() takes digits 0 or more, not -1",
                       athanor::ArgumentError);
  CHECK_THROWS_WITH_AS(f.s.execute(stmt(0, 0, 1, "a")), "[athanor.argument.function] substr() starts at 1 or more, not 0",
                       athanor::ArgumentError);
  CHECK_THROWS_WITH_AS(f.s.execute(stmt(0, 1, -2, "a")), "[athanor.argument.function] substr() takes a length of 0 or more, not -2",
                       athanor::ArgumentError);
}

TEST_CASE("current_date, now and func<R> typed by the caller") {
  Fixture f;
  using namespace std::chrono;
  auto [today, instant, stamp] = f.s.execute(orm::select(orm::current_date(), orm::now(), orm::current_timestamp())).at(0);
  static_assert(std::is_same_v<decltype(today), Date>);
  static_assert(std::is_same_v<decltype(instant), DateTime>);
  auto clock = time_point_cast<microseconds>(system_clock::now());
  CHECK(abs(instant - clock) < minutes(5));
  CHECK(abs(stamp - clock) < minutes(5));
  CHECK(abs(sys_days{today} - floor<days>(clock)) <= days{1});

  // A name in the type: compiled once. `sign` is in SQLite's core functions (≥ 3.35), PostgreSQL and MariaDB.
  auto signs = f.s.execute(orm::select(c<&Sample::id>, orm::func<std::int64_t, "sign">(c<&Sample::i>), orm::func<std::int64_t, "abs">(-5))
                               .order_by(c<&Sample::id>));
  REQUIRE(signs.size() == rows);
  for (auto& [id, sg, five] : signs) {
    int i = f.in.at(id).i;
    CHECK(sg == (i > 0) - (i < 0));
    CHECK(five == 5);
  }
  // A name at run time: each statement compiles its own SQL although their types are one.
  auto named = [&](std::string name) {
    return f.s.execute(orm::select(orm::func<double>(std::move(name), c<&Sample::x>)).where(c<&Sample::id> == 3)).at(0);
  };
  double x = f.in.at(3).x;
  CHECK(std::get<0>(named("abs")) == std::abs(x));
  CHECK(std::get<0>(named("sign")) == (x > 0) - (x < 0));
  CHECK_THROWS_AS(named("abs); drop table x; --"), athanor::ArgumentError);
}
