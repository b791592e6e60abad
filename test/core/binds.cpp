// test/core/binds.cpp — a bound value keeps its own type on every backend: an integer column
// divided by a bound double keeps the fraction, compared with 1071.5 it is compared as a
// number, CASE branches that are all bound values add up, and every bindable C++ type comes
// back from `SELECT :v` and works beside a column of the same and of another numeric type.
// Expected values come from C++ arithmetic on the same data, so every backend must agree.
#include "support/backend.hpp"
#include "support/normalize.hpp"
#include "support/requirements.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

using namespace athanor;
using namespace std::chrono;
using test::compact_json, test::normalize_decimal;

namespace tracks {
namespace orm = athanor::orm;
struct Track {
  orm::Mapped<int> id;
  orm::Mapped<int> ms;
  orm::Mapped<std::int64_t> bytes;
  static void configure(orm::Mapper<Track>& m) { m.column<&Track::id>().primary_key(); }
};
ATHANOR_MODEL(Track, "bind_tracks", id, ms, bytes)
}  // namespace tracks
using tracks::Track;

namespace {

/// One row per entry of `ints`: i (INTEGER), bi (BIGINT), si (SMALLINT), d (DOUBLE).
struct Numbers : test::Schema {
  Table t{"bind_numbers", md,
          Column{"id", Integer{}, primary_key, autoincrement(false)},
          Column{"i", Integer{}},
          Column{"bi", BigInteger{}},
          Column{"si", SmallInteger{}},
          Column{"d", Double{}}};
  static constexpr int ints[] = {3, 1071, 1072, 2000, -7};
  static std::int64_t big(int i) { return std::int64_t{i} * 100003 + 1; }
  static double dbl(int i) { return i + 0.25; }
  Connection conn = (create(), engine.connect());
  Numbers() {
    int id = 0;
    for (int i : ints) {
      conn.execute(insert(t).values({{"id", ++id}, {"i", i}, {"bi", big(i)}, {"si", i}, {"d", dbl(i)}}));
    }
  }
  /// The value of column `name` in the row holding `i`, as C++ computes it.
  static double of(const std::string& name, int i) {
    if (name == "bi") return static_cast<double>(big(i));
    if (name == "d") return dbl(i);
    return i;
  }
};

bool near(double a, double b) { return a == b || std::fabs(a - b) <= 1e-9 * std::max(std::fabs(a), std::fabs(b)); }


/// Whether `got` (read back as the type of `want`) is the value that went in.
bool same(const Row& row, std::size_t col, const Value& want) {
  return std::visit(
      [&](const auto& w) -> bool {
        using W = std::decay_t<decltype(w)>;
        if constexpr (std::is_same_v<W, std::monostate>) {
          return row[col].is_null();
        } else if constexpr (std::is_same_v<W, double>) {
          return near(row.get<double>(col), w);
        } else if constexpr (std::is_same_v<W, Decimal>) {
          return normalize_decimal(row.get<Decimal>(col).text) == normalize_decimal(w.text);
        } else if constexpr (std::is_same_v<W, Json>) {
          return compact_json(row.get<Json>(col).text) == compact_json(w.text);
        } else {
          return row.get<W>(col) == w;
        }
      },
      want.variant());
}

/// One value of every alternative a Value can hold, with edges (int4 limits, 64-bit, Unicode, empty).
std::vector<Value> every_kind() {
  Bytes bytes{std::byte{0}, std::byte{0xff}, std::byte{'\\'}, std::byte{'x'}};
  return {Value(null),
          Value(true),
          Value(false),
          Value(0),
          Value(-7),
          Value(std::numeric_limits<std::int32_t>::max()),
          Value(std::int64_t{5'000'000'000}),
          Value(std::int64_t{-5'000'000'000}),
          Value(2.5),
          Value(-0.125),
          Value(1e300),
          Value(""),
          Value("héllo ☃ 'quoted'"),
          Value(bytes),
          Value(Decimal{"12.50"}),
          Value(Date{year{2024} / 2 / 29}),
          Value(DateTime{sys_days{year{2024} / 5 / 1} + hours{12} + minutes{3} + seconds{4} + microseconds{5}}),
          Value(Time{hours{23} + minutes{59} + seconds{58} + microseconds{123456}}),
          Value(Json{R"({"a":[1,2.5,"x"],"b":null})"}),
          Value(Uuid::parse("6f0c9b4e-3d2a-4c1b-9e8f-0a1b2c3d4e5f"))};
}

std::string show(const Value& v) { return v.is_null() ? "NULL" : athanor::detail::value_to_text(v); }

}  // namespace

TEST_CASE("an integer column divided by a bound double keeps the fraction") {
  Numbers n;
  double sum = 0;
  for (int i : Numbers::ints) sum += i;
  CHECK(near(n.conn.execute(select(athanor::sum(n.t.c("i")) / 1048576.0)).scalar_one<double>(), sum / 1048576.0));
  CHECK(near(n.conn.execute(select(n.t.c("i") / 2.0).where(n.t.c("id") == 2)).scalar_one<double>(), 535.5));
  CHECK(near(n.conn.execute(select(n.t.c("i") * 0.5 + 0.25).where(n.t.c("id") == 3)).scalar_one<double>(), 536.25));
}

TEST_CASE("an integer column compared with a bound fraction gives the right rows") {
  Numbers n;
  auto ids = [&](Expr where) {
    std::vector<int> out;
    for (const Row& r : n.conn.execute(select(n.t.c("id")).where(where).order_by(n.t.c("id")))) out.push_back(r.get<int>(0));
    return out;
  };
  CHECK(ids(n.t.c("i") > 1071.5) == std::vector<int>{3, 4});
  CHECK(ids(n.t.c("i") < 1071.5) == std::vector<int>{1, 2, 5});
  CHECK(ids(n.t.c("i") == 1071.0) == std::vector<int>{2});
  CHECK(ids(n.t.c("i") == 1071.5).empty());
  CHECK(ids(n.t.c("si").between(2.5, 1071.5)) == std::vector<int>{1, 2});
  CHECK(ids(n.t.c("i") > std::int64_t{5'000'000'000}).empty());  // beyond INTEGER: compared, not refused
  CHECK(ids(n.t.c("i") < std::int64_t{5'000'000'000}).size() == 5);
}

TEST_CASE("IN / NOT IN over an integer column with fractions in the list compares the numbers as they are") {
  // Found by the differential tester: the list travels as one JSON array whose elements were read
  // as the column's type, so MariaDB cut -7.25 to -7 (a wrong row) and PostgreSQL refused it.
  Numbers n;
  const std::vector<double> list = {1071.0, -7.25, 2000.5, 3.0};
  std::vector<int> in, out;
  int id = 0;
  for (int i : Numbers::ints) {
    ++id;
    bool found = std::find(list.begin(), list.end(), static_cast<double>(i)) != list.end();
    (found ? in : out).push_back(id);
  }
  auto ids = [&](Expr where) {
    std::vector<int> got;
    for (const Row& r : n.conn.execute(select(n.t.c("id")).where(where).order_by(n.t.c("id")))) got.push_back(r.get<int>(0));
    return got;
  };
  std::vector<Expr> values(list.begin(), list.end());
  CHECK(ids(n.t.c("i").in_(values)) == in);
  CHECK(ids(n.t.c("i").not_in(values)) == out);
  CHECK(ids(n.t.c("si").in_(values)) == in);
  CHECK(ids(n.t.c("i").in_({Expr(1071), Expr(3)})) == std::vector<int>{1, 2});  // integers: still one bound array
}

TEST_CASE("two IN lists of values in one statement keep their own values") {
  // Found by the differential tester: on PostgreSQL the second list's JSON array took the first
  // one's $n (a freed node's address, reused), silently.
  Numbers n;
  auto ids = [&](Expr where) {
    std::vector<int> got;
    for (const Row& r : n.conn.execute(select(n.t.c("id")).where(where).order_by(n.t.c("id")))) got.push_back(r.get<int>(0));
    return got;
  };
  std::vector<int> want;
  int id = 0;
  for (int i : Numbers::ints) {
    ++id;
    if ((Numbers::dbl(i) == Numbers::dbl(3) || Numbers::dbl(i) == Numbers::dbl(1071)) && (i == 1071 || i == 2000)) want.push_back(id);
  }
  CHECK(ids(n.t.c("d").in_({Expr(Numbers::dbl(3)), Expr(Numbers::dbl(1071))}) && n.t.c("i").in_({Expr(1071), Expr(2000)})) == want);
  CHECK(ids(n.t.c("i").in_({Expr(1071), Expr(2000)}) && n.t.c("d").in_({Expr(Numbers::dbl(3)), Expr(Numbers::dbl(1071))})) == want);
}

TEST_CASE("SELECT DISTINCT of an IN list of values, ordered by it") {
  // Found by the differential tester: PostgreSQL wants DISTINCT's ORDER BY items in the select
  // list, and the IN list's array was a new parameter each time it was written.
  Numbers n;
  Expr big = n.t.c("i").in_({Expr(1071), Expr(2000)});
  std::vector<bool> got;
  for (const Row& r : n.conn.execute(select(big).distinct().order_by(big))) got.push_back(r.get<bool>(0));
  CHECK(got == std::vector<bool>{false, true});
}

TEST_CASE("a bound value tested for NULL on its own") {
  // Found by the differential tester: PostgreSQL cannot type `$1 IS NOT NULL` of an untyped string.
  Numbers n;
  for (const Value& v : {Value("ba"), Value(std::int64_t{7}), Value(2.5), Value()}) {
    CAPTURE(show(v));
    auto rows = n.conn.execute(select(n.t.c("id")).where(literal(v).is_not(null)));
    CHECK(rows.all().size() == (v.is_null() ? 0u : std::size(Numbers::ints)));
    CHECK(n.conn.execute(select(count()).select_from(n.t).where(literal(v).is_(null))).scalar_one<int>() ==
          (v.is_null() ? static_cast<int>(std::size(Numbers::ints)) : 0));
  }
}

TEST_CASE("a function whose arguments are all bound values") {
  // Found by the differential tester: count($1) and lower($1) of a string have no type on PostgreSQL.
  Numbers n;
  const int rows = static_cast<int>(std::size(Numbers::ints));
  CHECK(n.conn.execute(select(count(literal("b"))).select_from(n.t)).scalar_one<int>() == rows);
  CHECK(n.conn.execute(select(count(literal(Value()))).select_from(n.t)).scalar_one<int>() == 0);
  CHECK(n.conn.execute(select(lower(literal("AbC"))).where(n.t.c("id") == 1)).scalar_one<std::string>() == "abc");
  CHECK(n.conn.execute(select(athanor::max(literal(2.5))).select_from(n.t)).scalar_one<double>() == 2.5);
  CHECK(n.conn.execute(select(coalesce(literal(Value()), literal("x"))).where(n.t.c("id") == 1)).scalar_one<std::string>() == "x");
}

TEST_CASE("sum of a CASE whose branches are all bound values") {
  Numbers n;
  CHECK(n.conn.execute(select(athanor::sum(case_({{n.t.c("i") > 1071.5, 1}}, 0)))).scalar_one<int>() == 2);
  CHECK(near(n.conn.execute(select(athanor::sum(case_({{n.t.c("i") > 1071.5, 0.5}}, 0.25)))).scalar_one<double>(), 1.75));
  CHECK(n.conn.execute(select(case_({{n.t.c("i") > 1071.5, "big"}}, "small").label("size")).where(n.t.c("id") == 4))
            .scalar_one<std::string>() == "big");
}

TEST_CASE("typed DSL: integer columns beside bound doubles") {
  namespace orm = athanor::orm;
  using orm::c;
  auto engine = test::engine();
  orm::Registry registry;
  registry.map<Track>();
  registry.metadata().drop_all(engine);
  registry.metadata().create_all(engine);
  {
    orm::Session s{engine};
    std::int64_t total = 0;
    for (int ms : Numbers::ints) {
      s.add(Track{.ms = ms, .bytes = Numbers::big(ms) * 1000});
      total += Numbers::big(ms) * 1000;
    }
    s.commit();
    auto mib = s.execute(orm::select(orm::sum(c<&Track::bytes>) / 1048576.0));
    CHECK(near(std::get<0>(mib.at(0)), static_cast<double>(total) / 1048576.0));
    auto longer = s.execute(orm::select(c<&Track::ms>).where(c<&Track::ms> > 1071.5).order_by(c<&Track::ms>));
    CHECK(longer == std::vector<std::tuple<int>>{{1072}, {2000}});
    auto halves = s.execute(orm::select(c<&Track::ms> * 0.5).where(c<&Track::ms> == 1071));
    CHECK(near(std::get<0>(halves.at(0)), 535.5));
    auto shorter = s.execute(orm::select(orm::count()).select_from<Track>().where(c<&Track::ms> < 2.5));
    CHECK(std::get<0>(shorter.at(0)) == 1);
  }
  registry.metadata().drop_all(engine);
}

TEST_CASE("SELECT of a bound value gives back the value, for every bindable type") {
  auto engine = test::engine();
  auto conn = engine.connect();
  for (const Value& v : every_kind()) {
    CAPTURE(show(v));
    auto row = conn.execute(select(literal(v).label("v"))).one();
    CHECK(same(row, 0, v));
    if (v.is_null() || v.holds<bool>()) continue;
    // Two binds of the same value side by side, then compared with each other.
    auto pair = conn.execute(select(literal(v).label("a"), literal(v).label("b"))).one();
    CHECK((same(pair, 0, v) && same(pair, 1, v)));
    if (v.holds<Json>()) continue;  // JSON has no equality on every backend (MariaDB compares text)
    CHECK(conn.execute(select(case_({{literal(v) == v, 1}}, 0))).scalar_one<int>() == 1);
  }
}

TEST_CASE("a bound number beside integer, bigint, smallint and double columns: arithmetic and comparison") {
  Numbers n;
  const std::vector<Value> numbers = {Value(0),   Value(1),    Value(-7),    Value(1071),
                                      Value(2.5), Value(-0.125), Value(1071.5), Value(std::int64_t{5'000'000'000})};
  for (const std::string column : {"i", "bi", "si", "d"}) {
    for (const Value& v : numbers) {
      CAPTURE(column);
      CAPTURE(show(v));
      double x = v.holds<double>() ? v.as<double>() : static_cast<double>(v.as<std::int64_t>());
      Expr col = n.t.c(column);
      int greater = 0, equal = 0;
      for (int i : Numbers::ints) greater += Numbers::of(column, i) > x, equal += Numbers::of(column, i) == x;
      CHECK(n.conn.execute(select(count()).select_from(n.t).where(col > v)).scalar_one<int>() == greater);
      CHECK(n.conn.execute(select(count()).select_from(n.t).where(col == v)).scalar_one<int>() == equal);
      CHECK(n.conn.execute(select(count()).select_from(n.t).where(literal(v) < col)).scalar_one<int>() == greater);
      int id = 0;
      for (int i : Numbers::ints) {
        double a = Numbers::of(column, i);
        auto r = n.conn.execute(select(col + v, col - v, v * col).where(n.t.c("id") == ++id)).one();
        CHECK(near(r.get<double>(0), a + x));
        CHECK(near(r.get<double>(1), a - x));
        CHECK(near(r.get<double>(2), a * x));
        // Integer by integer division truncates on some backends only: divide by doubles.
        if (v.holds<double>() && x != 0) CHECK(near(n.conn.execute(select(col / v).where(n.t.c("id") == id)).scalar_one<double>(), a / x));
      }
    }
  }
}

TEST_CASE("one statement run with values of changing types compares with each value as it is") {
  Numbers n;
  auto stmt = select(n.t.c("id")).where(n.t.c("i") > bindparam("v")).order_by(n.t.c("id"));
  auto ids = [&](Value v) {
    std::vector<int> out;
    for (const Row& r : n.conn.execute(stmt, {{"v", std::move(v)}})) out.push_back(r.get<int>(0));
    return out;
  };
  // NULL first (its type is the server's guess), then a type mix per line: the earlier
  // preparations must not be reused for a value of another type.
  for (int round = 0; round < 2; ++round) {
    CAPTURE(round);
    CHECK(ids(null).empty());
    CHECK(ids(1071) == std::vector<int>{3, 4});
    CHECK(ids(1071.5) == std::vector<int>{3, 4});
    CHECK(ids(1070.5) == std::vector<int>{2, 3, 4});
    CHECK(ids(null).empty());
    CHECK(ids(2) == std::vector<int>{1, 2, 3, 4});
    CHECK(ids(std::int64_t{5'000'000'000}).empty());
    CHECK(ids(std::int64_t{-5'000'000'000}) == std::vector<int>{1, 2, 3, 4, 5});
    CHECK(ids(Decimal{"1071.5"}) == std::vector<int>{3, 4});
    CHECK(ids(-6.5) == std::vector<int>{1, 2, 3, 4});
  }
}

TEST_CASE("a driver statement given more values than it has placeholders refuses them") {
  auto engine = test::engine();
  auto conn = engine.connect();
  std::string sql = "SELECT ";
  engine.dialect().placeholder(sql, 1);
  auto& st = conn.driver_connection().prepare(sql);
  std::vector<Value> two{Value(1), Value(2)};
  CHECK_THROWS_WITH_AS(st.execute(two), "[athanor.argument.params] the statement takes 1 parameters, 2 given", ArgumentError);
  st.reset();
  std::vector<Value> one{Value(7)};
  st.execute(one);
  REQUIRE(st.next());
  CHECK(st.get_int64(0) == 7);
  st.reset();
}

TEST_CASE("a statement whose SQL failed, later dropped from the statement cache, leaves the transaction alone") {
  Numbers n;
  // Cached though it never prepared: a syntax error.
  CHECK_THROWS_AS(n.conn.exec_driver_sql("SELEC 1"), ProgrammingError);
  auto tx = n.conn.begin();
  n.conn.execute(insert(n.t).values({{"id", 100}, {"i", 1}}));
  // More distinct statements than the per-connection cache holds (256), so the failed one is
  // evicted inside the transaction.
  for (int k = 0; k < 300; ++k) {
    CHECK(n.conn.execute(select(literal(k).label("c" + std::to_string(k)))).scalar_one<int>() == k);
  }
  tx.commit();
  CHECK(n.conn.execute(select(count()).select_from(n.t).where(n.t.c("id") == 100)).scalar_one<int>() == 1);
}
