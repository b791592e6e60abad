// test/core/types.cpp — every SQL type through the database and back: values at their
// limits, NULL as std::optional, the same Value alternative on every backend, wrong types
// as DataError, and hostile strings stored verbatim.
#include "support/backend.hpp"
#include "support/normalize.hpp"
#include "support/requirements.hpp"

#include <cmath>
#include <limits>

using namespace athanor;
using namespace std::chrono;
using test::compact_json, test::normalize_decimal;

namespace {

struct AllTypes : test::Schema {
  Table t{"all_types", md,
          Column{"id", Integer{}, primary_key, autoincrement(false)},
          Column{"i", Integer{}},
          Column{"bi", BigInteger{}},
          Column{"si", SmallInteger{}},
          Column{"b", Boolean{}},
          Column{"f", Float{}},
          Column{"d", Double{}},
          Column{"num", Numeric{12, 2}},
          Column{"s", String{100}},
          Column{"txt", Text{}},
          Column{"bin", LargeBinary{}},
          Column{"day", DateType{}},
          Column{"ts", DateTimeType{}},
          Column{"tstz", DateTimeType{true}},
          Column{"tod", TimeType{}},
          Column{"doc", JsonType{}},
          Column{"uid", UuidType{}},
          Column{"status", Enum{"draft", "published"}}};
  Connection conn = (create(), engine.connect());

  /// Inserts `value` into `column` of a new row and reads the column back.
  Row round_trip(const std::string& column, Value value) {
    int id = ++next_id;
    conn.execute(insert(t).values({{"id", id}, {column, Expr(std::move(value))}}));
    auto r = conn.execute(select(t.c(column)).where(t.c("id") == id));
    return r.one();
  }
  int next_id = 0;
};


DateTime make_datetime(int y, unsigned m, unsigned d, int hh, int mm, int ss, int us) {
  return sys_days{year{y} / m / d} + hours{hh} + minutes{mm} + seconds{ss} + microseconds{us};
}

}  // namespace

TEST_CASE("integers at their limits") {
  AllTypes a;
  CHECK(a.round_trip("i", std::numeric_limits<std::int32_t>::max()).get<int>(0) == std::numeric_limits<std::int32_t>::max());
  CHECK(a.round_trip("i", std::numeric_limits<std::int32_t>::min()).get<int>(0) == std::numeric_limits<std::int32_t>::min());
  CHECK(a.round_trip("bi", std::numeric_limits<std::int64_t>::max()).get<std::int64_t>(0) == std::numeric_limits<std::int64_t>::max());
  CHECK(a.round_trip("bi", std::numeric_limits<std::int64_t>::min()).get<std::int64_t>(0) == std::numeric_limits<std::int64_t>::min());
  CHECK(a.round_trip("si", std::int16_t{32767}).get<short>(0) == 32767);
  CHECK(a.round_trip("si", std::int16_t{-32768}).get<short>(0) == -32768);
  CHECK(a.round_trip("i", 0).get<int>(0) == 0);
}

TEST_CASE("booleans") {
  AllTypes a;
  CHECK(a.round_trip("b", true)[0] == Value(true));
  CHECK(a.round_trip("b", false)[0] == Value(false));
  CHECK(a.round_trip("b", true).get<bool>(0));
  // a boolean column in a WHERE
  CHECK(*a.conn.execute(select(count()).select_from(a.t).where(a.t.c("b") == true)).scalar<int>() == 2);
}

TEST_CASE("floating point") {
  AllTypes a;
  CHECK(a.round_trip("f", 1.5f).get<double>(0) == 1.5);
  CHECK(a.round_trip("f", -0.25).get<float>(0) == -0.25f);
  CHECK(a.round_trip("d", 1.0 / 3).get<double>(0) == 1.0 / 3);
  CHECK(a.round_trip("d", 1e300).get<double>(0) == 1e300);
  CHECK(a.round_trip("d", -2.5e-300).get<double>(0) == -2.5e-300);
}

TEST_CASE("Numeric keeps its digits (compared as numbers where a backend normalises)") {
  AllTypes a;
  auto back = [&](std::string text) { return normalize_decimal(a.round_trip("num", Decimal{std::move(text)}).get<Decimal>(0).text); };
  CHECK(back("12.50") == "12.5");
  CHECK(back("-0.01") == "-0.01");
  CHECK(back("1234567890.12") == "1234567890.12");
  CHECK(back("0") == "0");
  CHECK(a.round_trip("num", Decimal{"7.25"}).get<double>(0) == 7.25);
  CHECK(a.round_trip("num", 3).get<Decimal>(0).text.rfind('3', 0) == 0);
}

TEST_CASE("strings, text of 1 MiB, and unicode") {
  AllTypes a;
  std::string u8 = "h\xC3\xA9llo w\xC3\xB6rld \xE2\x9C\x93 \xF0\x9F\x98\x80";  // héllo wörld ✓ 😀
  CHECK(a.round_trip("s", u8).get<std::string>(0) == u8);
  CHECK(a.round_trip("s", "").get<std::string>(0).empty());
  std::string big(1 << 20, 'x');
  for (std::size_t i = 0; i < big.size(); i += 997) big[i] = static_cast<char>('a' + i % 26);
  CHECK(a.round_trip("txt", big).get<std::string>(0) == big);
  CHECK(a.round_trip("txt", "line1\nline2\ttab").get<std::string>(0) == "line1\nline2\ttab");
}

TEST_CASE("LargeBinary holds every byte value") {
  AllTypes a;
  Bytes all;
  for (int i = 0; i < 256; ++i) all.push_back(static_cast<std::byte>(i));
  for (int i = 255; i >= 0; --i) all.push_back(static_cast<std::byte>(i));
  CHECK(a.round_trip("bin", all).get<Bytes>(0) == all);
  CHECK(a.round_trip("bin", Bytes{}).get<Bytes>(0).empty());
  Bytes big(300000, std::byte{0});
  big[12345] = std::byte{0xff};
  CHECK(a.round_trip("bin", big).get<Bytes>(0) == big);
}

TEST_CASE("dates, datetimes (with and without time zone, microseconds) and times") {
  AllTypes a;
  Date leap = year{2024} / 2 / 29;
  CHECK(a.round_trip("day", leap).get<Date>(0) == leap);
  Date old = year{1901} / 12 / 13;
  CHECK(a.round_trip("day", old).get<Date>(0) == old);
  auto ts = make_datetime(2024, 2, 29, 13, 45, 12, 123456);
  CHECK(a.round_trip("ts", ts).get<DateTime>(0) == ts);
  auto whole = make_datetime(1999, 12, 31, 23, 59, 59, 0);
  CHECK(a.round_trip("ts", whole).get<DateTime>(0) == whole);
  CHECK(a.round_trip("tstz", ts).get<DateTime>(0) == ts);  // the same instant
  auto epoch = make_datetime(1970, 1, 1, 0, 0, 0, 1);
  CHECK(a.round_trip("tstz", epoch).get<DateTime>(0) == epoch);
  Time t = hours{23} + minutes{59} + seconds{58} + microseconds{654321};
  CHECK(a.round_trip("tod", t).get<Time>(0) == t);
  CHECK(a.round_trip("tod", Time{0}).get<Time>(0) == Time{0});
}

TEST_CASE("JSON documents") {
  AllTypes a;
  std::string doc = R"([1,"two",{"k":null},true,{"nested":[1.5,"a b"]}])";
  CHECK(compact_json(a.round_trip("doc", Json{doc}).get<Json>(0).text) == doc);
  CHECK(compact_json(a.round_trip("doc", Json{R"({"quote":"she said \"hi\""})"}).get<Json>(0).text) == R"({"quote":"she said \"hi\""})");
}

TEST_CASE("UUIDs") {
  AllTypes a;
  auto u = Uuid::parse("6f0c2a4e-9b1d-4c3e-8f7a-0123456789ab");
  CHECK(a.round_trip("uid", u).get<Uuid>(0) == u);
  CHECK(a.round_trip("uid", u).get<Uuid>(0).to_string() == "6f0c2a4e-9b1d-4c3e-8f7a-0123456789ab");
  Uuid zero{};
  CHECK(a.round_trip("uid", zero).get<Uuid>(0) == zero);
}

TEST_CASE("Enum values") {
  AllTypes a;
  CHECK(a.round_trip("status", "published").get<std::string>(0) == "published");
}

TEST_CASE("NULL in every nullable type reads back as std::optional") {
  AllTypes a;
  a.conn.execute(insert(a.t).values({{"id", 1}}));
  auto r = a.conn.execute(select(a.t).where(a.t.c("id") == 1));
  const Row& row = r.one();
  for (std::size_t i = 1; i < row.size(); ++i) {
    CAPTURE(row.keys()[i]);
    CHECK(row[i].is_null());
  }
  CHECK(row.get<std::optional<int>>("i") == std::nullopt);
  CHECK(row.get<std::optional<std::int64_t>>("bi") == std::nullopt);
  CHECK(row.get<std::optional<bool>>("b") == std::nullopt);
  CHECK(row.get<std::optional<double>>("d") == std::nullopt);
  CHECK_FALSE(row.get<std::optional<Decimal>>("num").has_value());
  CHECK(row.get<std::optional<std::string>>("txt") == std::nullopt);
  CHECK(row.get<std::optional<Bytes>>("bin") == std::nullopt);
  CHECK(row.get<std::optional<Date>>("day") == std::nullopt);
  CHECK(row.get<std::optional<DateTime>>("tstz") == std::nullopt);
  CHECK(row.get<std::optional<Time>>("tod") == std::nullopt);
  CHECK_FALSE(row.get<std::optional<Json>>("doc").has_value());
  CHECK(row.get<std::optional<Uuid>>("uid") == std::nullopt);
  // and written as std::nullopt
  std::optional<int> none;
  a.conn.execute(update(a.t).values({{"i", 5}}));
  a.conn.execute(update(a.t).values({{"i", none}}));
  CHECK(a.conn.execute(select(a.t.c("i"))).scalar<int>() == std::nullopt);
}

TEST_CASE("row[i] holds the same Value alternative on every backend for typed columns") {
  AllTypes a;
  a.conn.execute(insert(a.t).values({{"id", 1}, {"i", 1}, {"bi", 2}, {"si", 3}, {"b", true}, {"f", 1.5}, {"d", 2.5},
                                     {"num", Decimal{"1.25"}}, {"s", "s"}, {"txt", "t"}, {"bin", Bytes{std::byte{1}}},
                                     {"day", Date{year{2020} / 1 / 2}}, {"ts", make_datetime(2020, 1, 2, 3, 4, 5, 6)},
                                     {"tstz", make_datetime(2020, 1, 2, 3, 4, 5, 6)}, {"tod", Time{hours{1}}},
                                     {"doc", Json{"[1]"}}, {"uid", Uuid::parse("00000000-0000-0000-0000-000000000001")},
                                     {"status", "draft"}}));
  auto r = a.conn.execute(select(a.t).where(a.t.c("id") == 1));
  const Row& row = r.one();
  CHECK(row["i"].holds<std::int64_t>());
  CHECK(row["bi"].holds<std::int64_t>());
  CHECK(row["si"].holds<std::int64_t>());
  CHECK(row["b"].holds<bool>());
  CHECK(row["f"].holds<double>());
  CHECK(row["d"].holds<double>());
  CHECK(row["num"].holds<Decimal>());
  CHECK(row["s"].holds<std::string>());
  CHECK(row["txt"].holds<std::string>());
  CHECK(row["bin"].holds<Bytes>());
  CHECK(row["day"].holds<Date>());
  CHECK(row["ts"].holds<DateTime>());
  CHECK(row["tstz"].holds<DateTime>());
  CHECK(row["tod"].holds<Time>());
  CHECK(row["doc"].holds<Json>());
  CHECK(row["uid"].holds<Uuid>());
  CHECK(row["status"].holds<std::string>());
  // the same through RETURNING where the dialect has it
  if (test::caps().returning_update) {
    auto ret = a.conn.execute(update(a.t).values({{"i", 7}}).returning(a.t.c("b"), a.t.c("day"), a.t.c("uid")));
    CHECK(ret.one()[0].holds<bool>());
    CHECK(ret.one()[1].holds<Date>());
    CHECK(ret.one()[2].holds<Uuid>());
  }
}

TEST_CASE("reading a value as a C++ type it does not fit is a DataError") {
  AllTypes a;
  CHECK_THROWS_WITH_AS(a.round_trip("s", "abc").get<int>(0), "[athanor.data.conversion] cannot read a text value as an integer",
                       DataError);
  CHECK_THROWS_WITH_AS(a.round_trip("i", 2147483647).get<short>(0),
                       "[athanor.data.range] the integer 2147483647 does not fit the C++ type", DataError);
  CHECK_THROWS_WITH_AS(a.round_trip("bin", Bytes{std::byte{1}}).get<Date>(0), "[athanor.data.conversion] cannot read a bytes value as a date",
                       DataError);
  CHECK_THROWS_WITH_AS(a.round_trip("d", 1.5).get<int>(0), "[athanor.data.conversion] cannot read a double value as an integer",
                       DataError);
}

TEST_CASE("a value of the wrong type for a column is a DataError where the backend checks types") {
  AllTypes a;
  if (!test::caps().strict_types) {
    MESSAGE("this dialect stores a value of any type in any column (type affinity)");
    auto row = a.round_trip("i", "abc");
    CHECK_THROWS_AS(row.get<int>(0), DataError);  // caught when read instead
    return;
  }
  CHECK_THROWS_WITH_AS(a.round_trip("i", "abc"), doctest::Contains("[athanor.data"), DataError);
  CHECK_THROWS_WITH_AS(a.round_trip("si", 40000), doctest::Contains("[athanor.data"), DataError);
  CHECK_THROWS_WITH_AS(a.round_trip("day", "not a date"), doctest::Contains("[athanor.data"), DataError);
  CHECK(a.round_trip("i", 5).get<int>(0) == 5);  // the connection goes on
}

TEST_CASE("SQL-looking and quoting-heavy strings are stored and read back verbatim") {
  AllTypes a;
  for (std::string hostile : {"Robert'); DROP TABLE all_types;--", "it's \"quoted\"", "back\\slash\\\\ and \\'", "100% _sure_",
                              "; SELECT 1; --", "$1 ? :name @p1 %s", "`backtick`"}) {
    CAPTURE(hostile);
    CHECK(a.round_trip("s", hostile).get<std::string>(0) == hostile);
    // and as a WHERE value
    CHECK(*a.conn.execute(select(count()).select_from(a.t).where(a.t.c("s") == hostile)).scalar<int>() == 1);
  }
  CHECK(a.conn.has_table("all_types"));
}

TEST_CASE("% and _ in a LIKE pattern match literally through an escape") {
  AllTypes a;
  a.round_trip("s", "100% sure");
  a.round_trip("s", "1000 sure");
  a.round_trip("s", "a_b");
  a.round_trip("s", "axb");
  auto match = [&](const std::string& pattern) {
    return a.conn.execute(select(a.t.c("s")).where(a.t.c("s").like(pattern, '#')).order_by(a.t.c("id"))).scalars<std::string>();
  };
  CHECK(match("100#%%") == std::vector<std::string>{"100% sure"});
  CHECK(match("100%") == std::vector<std::string>{"100% sure", "1000 sure"});
  CHECK(match("a#_b") == std::vector<std::string>{"a_b"});
  CHECK(match("a_b") == std::vector<std::string>{"a_b", "axb"});
}
