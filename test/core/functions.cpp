// test/core/functions.cpp — Core's portable functions (core/functions.hpp) against every
// backend: seeded rows in Double, Numeric, Integer, String, Date, DateTime WITH TIME ZONE
// and Time columns compared with C++ (test/support/function_refs.hpp); functions of bound
// values alone (which PostgreSQL must be told the type of); errors before SQL is sent.
#include "support/backend.hpp"
#include "support/function_refs.hpp"

#include <map>

using namespace athanor;

namespace {
constexpr int rows = 120;

struct Input {
  std::int64_t k;  // x in thousandths
  std::optional<double> y;
  std::string s;
  DateTime at;
  Date on;
  Time tm;
};

struct Samples : test::Schema {
  Table t{"fn_core", md,
          Column{"id", Integer{}, primary_key},
          Column{"x", Double{}},
          Column{"y", Double{}},
          Column{"d", Numeric{12, 3}},
          Column{"s", String{60}},
          Column{"at", DateTimeType{true}},
          Column{"on_", DateType{}},
          Column{"tm", TimeType{}}};
  std::map<int, Input> in;
  Connection conn = (create(), engine.connect());
  Samples() {
    test::ref::Gen g(2026);
    std::vector<std::vector<std::pair<std::string, Expr>>> values;
    for (int id = 1; id <= rows; ++id) {
      Input r{g.milli(), std::nullopt, g.text(), g.instant(), {}, Time{g.between(0, 86'400'000'000 - 1)}};
      if (!g.chance(15)) r.y = static_cast<double>(g.between(-800, 800)) / 8.0;
      r.on = Date{std::chrono::floor<std::chrono::days>(g.instant())};
      std::string decimal = std::to_string(r.k / 1000) + "." + std::to_string(std::abs(r.k % 1000) + 1000).substr(1);
      if (r.k < 0 && r.k > -1000) decimal = "-" + decimal;
      values.push_back({{"id", id}, {"x", static_cast<double>(r.k) / 1000.0}, {"y", r.y}, {"d", Decimal{decimal}}, {"s", r.s},
                        {"at", r.at}, {"on_", r.on}, {"tm", r.tm}});
      in.emplace(id, r);
    }
    conn.execute(insert(t).values_list(values));
  }
  /// One column of every row, by id.
  template <class T>
  std::vector<T> column(const Expr& e) {
    return conn.execute(select(e).order_by(t.c("id"))).scalars<T>();
  }
};
}  // namespace

TEST_CASE("round of Double and Numeric, ceil and floor, half away from zero on every backend") {
  Samples f;
  auto r2 = f.column<double>(round(f.t.c("x"), 2));
  auto r0 = f.column<double>(round(f.t.c("x")));
  auto d1 = f.column<double>(round(f.t.c("d"), 1));  // NUMERIC: exact on every backend
  auto yr = f.column<std::optional<double>>(round(f.t.c("y")));
  auto cx = f.column<double>(ceil(f.t.c("x")));
  auto fy = f.column<std::optional<double>>(floor(f.t.c("y")));
  auto ax = f.column<double>(abs(f.t.c("x")));
  for (int id = 1; id <= rows; ++id) {
    const auto& e = f.in.at(id);
    std::size_t n = static_cast<std::size_t>(id - 1);
    double x = static_cast<double>(e.k) / 1000.0;
    CAPTURE(x);
    CHECK(r2[n] == test::ref::round_milli(e.k, 2));
    CHECK(r0[n] == test::ref::round_milli(e.k, 0));
    CHECK(d1[n] == test::ref::round_milli(e.k, 1));
    CHECK(yr[n] == (e.y ? std::optional(std::round(*e.y)) : std::nullopt));
    CHECK(cx[n] == std::ceil(x));
    CHECK(fy[n] == (e.y ? std::optional(std::floor(*e.y)) : std::nullopt));
    CHECK(ax[n] == std::abs(x));
  }
}

TEST_CASE("functions of bound values alone: the server is told their types") {
  Samples f;
  auto one = [&](const Expr& e) -> Row { return f.conn.execute(select(e.label("v"))).one(); };
  CHECK(one(round(literal(2.5))).get<double>(0) == 3.0);
  CHECK(one(round(literal(-2.5))).get<double>(0) == -3.0);
  CHECK(one(round(literal(1.005), 2)).get<double>(0) == 1.01);
  CHECK(one(round(literal(7))).get<int>(0) == 7);
  CHECK(one(ceil(literal(-0.5))).get<double>(0) == 0.0);
  CHECK(one(floor(literal(-0.5))).get<double>(0) == -1.0);
  // beyond 2^52 every double is whole (SQLite's emulation must not go through a saturating CAST)
  CHECK(one(floor(literal(1e20))).get<double>(0) == 1e20);
  CHECK(one(ceil(literal(-1e20))).get<double>(0) == -1e20);
  CHECK(one(round(literal(1e20), 2)).get<double>(0) == 1e20);
  CHECK(one(mod(literal(-7), literal(3))).get<int>(0) == -1);
  CHECK(one(mod(literal(7), literal(0))).get<std::optional<int>>(0) == std::nullopt);  // an error on PostgreSQL without NULLIF
  CHECK(one(nullif(literal(4), literal(4))).get<std::optional<int>>(0) == std::nullopt);
  CHECK(one(greatest(literal(1), literal(2.5), literal(-1))).get<double>(0) == 2.5);
  CHECK(one(least(literal(1), literal(2.5), literal(-1))).get<double>(0) == -1.0);
  CHECK(one(greatest(literal(1), literal(Value{}))).get<std::optional<int>>(0) == std::nullopt);  // PostgreSQL alone would say 1
  CHECK(one(least(literal(Value{}), literal(1))).get<std::optional<int>>(0) == std::nullopt);
  CHECK(one(substr(literal("h€llo wörld"), 2, 4)).get<std::string>(0) == "€llo");
  CHECK(one(substr(literal("h€llo wörld"), 8)).get<std::string>(0) == "örld");
  CHECK(one(length(literal("日本😀"))).get<int>(0) == 3);
  CHECK(one(trim(literal("  a b  "))).get<std::string>(0) == "a b");
  CHECK(one(ltrim(literal("  a b  "))).get<std::string>(0) == "a b  ");
  CHECK(one(rtrim(literal("  a b  "))).get<std::string>(0) == "  a b");
  CHECK(one(replace(literal("Aaa"), literal("a"), literal("ü"))).get<std::string>(0) == "Aüü");  // case-sensitive everywhere
  CHECK(one(concat(literal("a"), literal("b"), literal("c"), literal("d"))).get<std::string>(0) == "abcd");
  CHECK(one(concat(literal("a"), literal("b"), literal(Value{}))).get<std::optional<std::string>>(0) == std::nullopt);
  using namespace std::chrono;
  Date leap{2024y / February / 29};
  DateTime late = sys_days{2020y / December / 31} + hours{23} + minutes{59} + seconds{59} + microseconds{999999};
  CHECK(one(extract("year", literal(leap))).get<int>(0) == 2024);
  CHECK(one(extract("doy", literal(leap))).get<int>(0) == 60);
  CHECK(one(extract("dow", literal(leap))).get<int>(0) == 4);  // a Thursday
  CHECK(one(extract("week", literal(late))).get<int>(0) == 53);
  CHECK(one(extract("second", literal(late))).get<int>(0) == 59);  // whole seconds, not rounded up
  CHECK(one(date_part("quarter", literal(late))).get<int>(0) == 4);
  CHECK(one(extract("minute", literal(Time{hours{13} + minutes{14} + seconds{15}}))).get<int>(0) == 14);
}

TEST_CASE("extract from DateTime WITH TIME ZONE, Date and Time columns agrees with std::chrono") {
  Samples f;
  std::map<std::string, std::vector<std::int64_t>> at, on, tm;
  for (auto field : detail::extract_fields) {
    std::string name(field);
    at[name] = f.column<std::int64_t>(extract(field, f.t.c("at")));
    if (name != "hour" && name != "minute" && name != "second") on[name] = f.column<std::int64_t>(extract(field, f.t.c("on_")));
    else tm[name] = f.column<std::int64_t>(extract(field, f.t.c("tm")));
  }
  for (int id = 1; id <= rows; ++id) {
    const auto& e = f.in.at(id);
    auto n = static_cast<std::size_t>(id - 1);
    auto a = test::ref::fields(e.at), d = test::ref::fields(e.on), t = test::ref::fields(e.tm);
    CAPTURE(id);
    CHECK(std::vector{at["year"][n], at["month"][n], at["day"][n], at["hour"][n], at["minute"][n], at["second"][n], at["dow"][n],
                      at["doy"][n], at["quarter"][n], at["week"][n]} ==
          std::vector{a.year, a.month, a.day, a.hour, a.minute, a.second, a.dow, a.doy, a.quarter, a.week});
    CHECK(std::vector{on["year"][n], on["month"][n], on["day"][n], on["dow"][n], on["doy"][n], on["quarter"][n], on["week"][n]} ==
          std::vector{d.year, d.month, d.day, d.dow, d.doy, d.quarter, d.week});
    CHECK(std::vector{tm["hour"][n], tm["minute"][n], tm["second"][n]} == std::vector{t.hour, t.minute, t.second});
  }
  // In WHERE, with a value beside it.
  auto leap = f.conn.execute(select(f.t.c("id")).where(extract("month", f.t.c("on_")) == 2 && extract("day", f.t.c("on_")) == 29)).scalars<int>();
  std::vector<int> expected;
  for (auto& [id, e] : f.in)
    if (unsigned(e.on.month()) == 2 && unsigned(e.on.day()) == 29) expected.push_back(id);
  CHECK(leap == expected);
}

TEST_CASE("current_date and current_timestamp") {
  Samples f;
  using namespace std::chrono;
  auto row = f.conn.execute(select(current_date().label("d"), current_timestamp().label("t"))).one();
  auto clock = time_point_cast<microseconds>(system_clock::now());
  CHECK(std::chrono::abs(sys_days{row.get<Date>("d")} - std::chrono::floor<days>(clock)) <= days{1});
  CHECK(std::chrono::abs(row.get<DateTime>("t") - clock) < minutes(5));
}

TEST_CASE("misuse is an ArgumentError before any SQL") {
  Samples f;
  CHECK_THROWS_WITH_AS(extract("century", f.t.c("at")),
                       "[athanor.argument.function] extract() has no field 'century'; use year, month, day, hour, minute, second, dow, "
                       "doy, quarter or week",
                       ArgumentError);
  CHECK_THROWS_WITH_AS(round(f.t.c("x"), -1), "[athanor.argument.function] round() takes digits 0 or more, not -1", ArgumentError);
  // func() stays a plain call by name: func("round", …) is the server's own round.
  CHECK(f.conn.execute(select(func("round", literal(2.5)).label("r"))).scalar_one<double>() > 0);
}
