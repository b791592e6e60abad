// test/orm/window.cpp — typed window functions on every backend: ranking, ntile, lag/lead,
// first/last/nth_value, running and sliding aggregates (ROWS and RANGE frames), named
// windows, a window function in ORDER BY, and the SQL compiled once per statement type.
// Every expected value is computed in C++ from the rows inserted.
#include <algorithm>
#include <map>
#include <optional>

#include "support/backend.hpp"
#include "support/requirements.hpp"

namespace shop {
namespace orm = athanor::orm;
struct Sale {
  orm::Mapped<int> id;
  orm::Mapped<std::string> region;
  orm::Mapped<int> day;
  orm::Mapped<std::optional<int>> amount;
  static void configure(orm::Mapper<Sale>& m) {
    m.column<&Sale::id>().primary_key().autoincrement(false);
    m.column<&Sale::region>().length(10);
  }
};
ATHANOR_MODEL(Sale, "window_sales", id, region, day, amount)
}  // namespace shop
using shop::Sale;
namespace orm = athanor::orm;
using orm::c;

namespace {

struct Row {
  int id;
  std::string region;
  int day;
  std::optional<int> amount;
};
using Opt = std::optional<int>;
using Opt64 = std::optional<std::int64_t>;  // SUM of integers is 64-bit

/// 30 sales over 3 regions and 6 days: several sales share a region and a day (ties), every
/// fifth has no amount (NULL).
std::vector<Row> data() {
  static const char* regions[] = {"east", "north", "west"};
  std::vector<Row> rows;
  for (int i = 1; i <= 30; ++i) {
    rows.push_back({i, regions[(i * 7) % 3], (i * 5) % 6 + 1, i % 5 == 0 ? Opt{} : Opt{(i * 13) % 17 + 1}});
  }
  return rows;
}

/// Each row's partition (same region), ordered by (day, id); and its position there.
struct Partitions {
  std::map<std::string, std::vector<Row>> by_region;
  explicit Partitions(const std::vector<Row>& rows) {
    for (auto& r : rows) by_region[r.region].push_back(r);
    for (auto& [_, p] : by_region) std::sort(p.begin(), p.end(), [](auto& a, auto& b) { return std::pair(a.day, a.id) < std::pair(b.day, b.id); });
  }
  const std::vector<Row>& of(const Row& r) const { return by_region.at(r.region); }
  std::size_t pos(const Row& r) const {
    auto& p = of(r);
    return static_cast<std::size_t>(std::find_if(p.begin(), p.end(), [&](auto& x) { return x.id == r.id; }) - p.begin());
  }
  /// The sum of the amounts of rows [from, to] of r's partition (NULL when none has one).
  Opt sum(const Row& r, std::ptrdiff_t from, std::ptrdiff_t to) const {
    auto& p = of(r);
    Opt s;
    for (auto i = std::max<std::ptrdiff_t>(from, 0); i <= std::min<std::ptrdiff_t>(to, std::ssize(p) - 1); ++i) {
      if (p[static_cast<std::size_t>(i)].amount) s = s.value_or(0) + *p[static_cast<std::size_t>(i)].amount;
    }
    return s;
  }
  Opt amount_at(const Row& r, std::ptrdiff_t i) const {
    auto& p = of(r);
    return i >= 0 && i < std::ssize(p) ? p[static_cast<std::size_t>(i)].amount : Opt{};
  }
};

struct Shop {
  athanor::Engine engine = test::engine();
  orm::Registry registry;
  orm::Session s{engine};
  std::vector<Row> rows = data();
  Partitions parts{rows};
  Shop() {
    registry.map<Sale>();
    registry.metadata().drop_all(engine);
    registry.metadata().create_all(engine);
    for (auto& r : rows) s.add(Sale{.id = r.id, .region = r.region, .day = r.day, .amount = r.amount});
    s.commit();
  }
  ~Shop() {
    s.close();
    try {
      registry.metadata().drop_all(engine);
    } catch (...) {
    }
  }
};

}  // namespace

TEST_CASE("row_number, rank, dense_rank, percent_rank, cume_dist over partitions with ties") {
  Shop b;
  auto region = c<&Sale::region>;
  auto day = c<&Sale::day>;
  auto got = b.s.execute(orm::select(c<&Sale::id>,
                                     orm::row_number().over(orm::partition_by(region), orm::order_by(day, c<&Sale::id>)),
                                     orm::rank().over(orm::partition_by(region), orm::order_by(day.desc())),
                                     orm::dense_rank().over(orm::partition_by(region), orm::order_by(day.desc())),
                                     orm::percent_rank().over(orm::partition_by(region), orm::order_by(day)),
                                     orm::cume_dist().over(orm::partition_by(region), orm::order_by(day)))
                             .order_by(c<&Sale::id>));
  static_assert(std::is_same_v<decltype(got)::value_type, std::tuple<int, std::int64_t, std::int64_t, std::int64_t, double, double>>);
  REQUIRE(got.size() == b.rows.size());
  for (std::size_t i = 0; i < got.size(); ++i) {
    auto& r = b.rows[i];
    auto& p = b.parts.of(r);
    auto n = std::ssize(p);
    auto later = std::count_if(p.begin(), p.end(), [&](auto& x) { return x.day > r.day; });
    std::vector<int> later_days;
    for (auto& x : p)
      if (x.day > r.day && std::find(later_days.begin(), later_days.end(), x.day) == later_days.end()) later_days.push_back(x.day);
    auto earlier = std::count_if(p.begin(), p.end(), [&](auto& x) { return x.day < r.day; });
    auto up_to = std::count_if(p.begin(), p.end(), [&](auto& x) { return x.day <= r.day; });
    CAPTURE(r.id);
    CHECK(std::get<0>(got[i]) == r.id);
    CHECK(std::get<1>(got[i]) == static_cast<std::int64_t>(b.parts.pos(r)) + 1);
    CHECK(std::get<2>(got[i]) == later + 1);
    CHECK(std::get<3>(got[i]) == std::ssize(later_days) + 1);
    CHECK(std::get<4>(got[i]) == doctest::Approx(n > 1 ? double(earlier) / double(n - 1) : 0.0));
    CHECK(std::get<5>(got[i]) == doctest::Approx(double(up_to) / double(n)));
  }
}

TEST_CASE("ntile, lag, lead, first_value, last_value, nth_value") {
  Shop b;
  auto amount = c<&Sale::amount>;
  auto part = orm::partition_by(c<&Sale::region>);
  auto ord = orm::order_by(c<&Sale::day>, c<&Sale::id>);
  auto all = orm::rows_between(orm::unbounded_preceding, orm::unbounded_following);
  auto got = b.s.execute(orm::select(c<&Sale::id>, orm::ntile(4).over(orm::order_by(c<&Sale::id>)),
                                     orm::lag(amount).over(part, ord), orm::lag(amount, 2).over(part, ord),
                                     orm::lead(amount).over(part, ord), orm::lead(amount, 3).over(ord, part),
                                     orm::first_value(amount).over(part, ord, all), orm::last_value(amount).over(part, ord, all),
                                     orm::nth_value(amount, 2).over(part, ord, all))
                             .order_by(c<&Sale::id>));
  static_assert(std::is_same_v<decltype(got)::value_type, std::tuple<int, std::int64_t, Opt, Opt, Opt, Opt, Opt, Opt, Opt>>);
  REQUIRE(got.size() == b.rows.size());
  const std::int64_t n = std::ssize(b.rows), k = 4, q = n / k, rem = n % k;
  for (std::size_t i = 0; i < got.size(); ++i) {
    auto& r = b.rows[i];
    auto at = static_cast<std::ptrdiff_t>(b.parts.pos(r));
    auto last = std::ssize(b.parts.of(r)) - 1;
    auto idx = static_cast<std::int64_t>(i);  // rows are in id order
    auto bucket = idx < rem * (q + 1) ? idx / (q + 1) + 1 : rem + (idx - rem * (q + 1)) / q + 1;
    CAPTURE(r.id);
    CHECK(std::get<1>(got[i]) == bucket);
    CHECK(std::get<2>(got[i]) == b.parts.amount_at(r, at - 1));
    CHECK(std::get<3>(got[i]) == b.parts.amount_at(r, at - 2));
    CHECK(std::get<4>(got[i]) == b.parts.amount_at(r, at + 1));
    CHECK(std::get<5>(got[i]) == b.parts.amount_at(r, at + 3));
    CHECK(std::get<6>(got[i]) == b.parts.amount_at(r, 0));
    CHECK(std::get<7>(got[i]) == b.parts.amount_at(r, last));
    CHECK(std::get<8>(got[i]) == b.parts.amount_at(r, 1));
  }
}

TEST_CASE("lag and lead with a default: typed as the column (emulated where the server has no default argument)") {
  Shop b;
  auto ord = orm::order_by(c<&Sale::day>, c<&Sale::id>);
  auto stmt = orm::select(c<&Sale::id>, orm::lag(c<&Sale::day>, 1, -1).over(orm::partition_by(c<&Sale::region>), ord),
                          orm::lead(c<&Sale::day>, 2, 0).over(orm::partition_by(c<&Sale::region>), ord))
                  .order_by(c<&Sale::id>);
  using Got = std::vector<std::tuple<int, int, int>>;  // not optional: the default fills the gaps
  Got got = b.s.execute(stmt);
  REQUIRE(got.size() == b.rows.size());
  for (std::size_t i = 0; i < got.size(); ++i) {
    auto& r = b.rows[i];
    auto& p = b.parts.of(r);
    auto at = b.parts.pos(r);
    CAPTURE(r.id);
    CHECK(std::get<1>(got[i]) == (at >= 1 ? p[at - 1].day : -1));
    CHECK(std::get<2>(got[i]) == (at + 2 < p.size() ? p[at + 2].day : 0));
  }
}

TEST_CASE("aggregates over windows: running and sliding sums (ROWS), a RANGE by value, count and avg") {
  Shop b;
  auto amount = c<&Sale::amount>;
  auto part = orm::partition_by(c<&Sale::region>);
  auto ord = orm::order_by(c<&Sale::day>, c<&Sale::id>);
  auto got = b.s.execute(
      orm::select(c<&Sale::id>, orm::sum(amount).over(part, ord, orm::rows_between(orm::unbounded_preceding, orm::current_row)),
                  orm::sum(amount).over(part, ord, orm::rows_between(orm::preceding(1), orm::following(1))),
                  orm::sum(amount).over(part, orm::order_by(c<&Sale::day>), orm::range_between(orm::preceding(1), orm::current_row)),
                  orm::count().over(part), orm::avg(amount).over(), orm::max(amount).over(part, ord, orm::rows_between(orm::current_row, orm::unbounded_following)))
          .order_by(c<&Sale::id>));
  static_assert(std::is_same_v<decltype(got)::value_type,
                               std::tuple<int, Opt64, Opt64, Opt64, std::int64_t, std::optional<double>, Opt>>);
  REQUIRE(got.size() == b.rows.size());
  double total = 0, counted = 0;
  for (auto& r : b.rows)
    if (r.amount) total += *r.amount, ++counted;
  for (std::size_t i = 0; i < got.size(); ++i) {
    auto& r = b.rows[i];
    auto& p = b.parts.of(r);
    auto at = static_cast<std::ptrdiff_t>(b.parts.pos(r));
    Opt range, most;
    for (auto& x : p)
      if (x.amount && x.day >= r.day - 1 && x.day <= r.day) range = range.value_or(0) + *x.amount;
    for (auto j = at; j < std::ssize(p); ++j)
      if (auto a = p[static_cast<std::size_t>(j)].amount; a && (!most || *a > *most)) most = a;
    CAPTURE(r.id);
    CHECK(std::get<1>(got[i]) == b.parts.sum(r, 0, at));
    CHECK(std::get<2>(got[i]) == b.parts.sum(r, at - 1, at + 1));
    CHECK(std::get<3>(got[i]) == range);
    CHECK(std::get<4>(got[i]) == std::ssize(p));
    REQUIRE(std::get<5>(got[i]).has_value());
    CHECK(*std::get<5>(got[i]) == doctest::Approx(total / counted));
    CHECK(std::get<6>(got[i]) == most);
  }
}

TEST_CASE("a named window (WINDOW w AS …) shared by several functions") {
  Shop b;
  auto w = orm::window<"w">(orm::partition_by(c<&Sale::region>), orm::order_by(c<&Sale::day>, c<&Sale::id>));
  auto got = b.s.execute(orm::select(c<&Sale::id>, orm::row_number().over(w), orm::sum(c<&Sale::amount>).over(w),
                                     orm::lag(c<&Sale::amount>).over(w))
                             .window(w)
                             .order_by(c<&Sale::id>));
  REQUIRE(got.size() == b.rows.size());
  for (std::size_t i = 0; i < got.size(); ++i) {
    auto& r = b.rows[i];
    auto at = static_cast<std::ptrdiff_t>(b.parts.pos(r));
    CAPTURE(r.id);
    CHECK(std::get<1>(got[i]) == at + 1);
    CHECK(std::get<2>(got[i]) == b.parts.sum(r, 0, at));  // the order is unique: RANGE up to the row is ROWS
    CHECK(std::get<3>(got[i]) == b.parts.amount_at(r, at - 1));
  }
}

TEST_CASE("a window function in ORDER BY, and in a subquery filtered outside (the top 2 per region)") {
  Shop b;
  auto by_rank = b.s.execute(orm::select(c<&Sale::id>).order_by(orm::row_number().over(orm::order_by(c<&Sale::id>.desc()))));
  REQUIRE(by_rank.size() == b.rows.size());
  for (std::size_t i = 0; i < by_rank.size(); ++i) CHECK(std::get<0>(by_rank[i]) == b.rows[b.rows.size() - 1 - i].id);

  auto ranked = orm::select(c<&Sale::id>, orm::row_number().over(orm::partition_by(c<&Sale::region>),
                                                                  orm::order_by(c<&Sale::day>.desc(), c<&Sale::id>)))
                    .subquery<"ranked">();
  auto top = b.s.execute(orm::select(ranked.c<0>()).where(ranked.c<1>() <= 2).order_by(ranked.c<0>()));
  std::vector<int> expected;
  for (auto [_, p] : b.parts.by_region) {
    std::sort(p.begin(), p.end(), [](auto& x, auto& y) { return std::pair(-x.day, x.id) < std::pair(-y.day, y.id); });
    for (std::size_t i = 0; i < std::min<std::size_t>(2, p.size()); ++i) expected.push_back(p[i].id);
  }
  std::sort(expected.begin(), expected.end());
  std::vector<int> ids;
  for (auto& [id] : top) ids.push_back(id);
  CHECK(ids == expected);
}

TEST_CASE("window specs are part of the statement's type: compiled once, frame offsets and counts per execution") {
  Shop b;
  auto d = &b.engine.dialect();
  auto sliding = [](std::int64_t back, std::int64_t tiles) {
    return orm::select(c<&Sale::id>,
                       orm::sum(c<&Sale::amount>)
                           .over(orm::partition_by(c<&Sale::region>), orm::order_by(c<&Sale::day>, c<&Sale::id>),
                                 orm::rows_between(orm::preceding(back), orm::current_row)),
                       orm::ntile(tiles).over(orm::order_by(c<&Sale::id>)))
        .order_by(c<&Sale::id>);
  };
  // Where frame offsets are placeholders, one SQL text serves every offset; where they are
  // written in the SQL (Capabilities::window_frame_binds), each execution compiles its own.
  if (test::caps().window_frame_binds) {
    CHECK(sliding(1, 2).compiled(*d).get() == sliding(3, 5).compiled(*d).get());
  } else {
    CHECK(sliding(1, 2).compiled(*d).get() != sliding(3, 5).compiled(*d).get());
  }
  for (std::int64_t back : {0, 1, 3}) {
    auto got = b.s.execute(sliding(back, back + 2));
    REQUIRE(got.size() == b.rows.size());
    for (std::size_t i = 0; i < got.size(); ++i) {
      auto& r = b.rows[i];
      auto at = static_cast<std::ptrdiff_t>(b.parts.pos(r));
      CAPTURE(r.id);
      CAPTURE(back);
      CHECK(std::get<1>(got[i]) == b.parts.sum(r, at - back, at));
      CHECK(std::get<2>(got[i]) >= 1);
      CHECK(std::get<2>(got[i]) <= back + 2);
    }
  }
}

TEST_CASE("a negative frame offset is an ArgumentError") {
  CHECK_THROWS_WITH_AS(orm::preceding(-1), "[athanor.argument.window] a frame offset is a row or value count, never negative",
                       athanor::ArgumentError);
}
