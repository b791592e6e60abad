// test/reliability/round_trips.cpp — every type at its edges through the database and back, in
// Core and through the ORM, compared exactly: integer limits, signed zero, denormals, the
// largest doubles and floats, ±inf and NaN where the backend stores them (else a DataError, a
// transaction rolled back and a connection that goes on), empty and 1 MiB strings and blobs,
// Numeric at full precision, dates and timestamps at their edges with and without time zone,
// times, UUIDs, JSON, booleans, enums, and NULL in every nullable type.
#include "support/backend.hpp"
#include "support/requirements.hpp"

#include <bit>
#include <cmath>
#include <climits>
#include <cstdint>
#include <limits>

#include <boost/describe/enum.hpp>

using namespace athanor;
using namespace std::chrono;

namespace edges {
namespace orm = athanor::orm;

enum class Color { red, green, blue_green };  // described: stored by name
BOOST_DESCRIBE_ENUM(Color, red, green, blue_green)
// Not described: stored by value.
enum class Level : int { lowest = INT_MIN, none = 0, highest = INT_MAX };

/// One column of every type, none nullable.
struct Edge {
  orm::Mapped<int> id;
  orm::Mapped<std::int64_t> i64;
  orm::Mapped<int> i32;
  orm::Mapped<short> i16;
  orm::Mapped<double> f64;
  orm::Mapped<float> f32;
  orm::Mapped<bool> flag;
  orm::Mapped<std::string> text;
  orm::Mapped<Bytes> data;
  orm::Mapped<Decimal> amount;
  orm::Mapped<Date> day;
  orm::Mapped<DateTime> at;
  orm::Mapped<DateTime> at_tz;
  orm::Mapped<Time> tod;
  orm::Mapped<Uuid> uid;
  orm::Mapped<Json> doc;
  orm::Mapped<Color> color;
  orm::Mapped<Level> level;
  static void configure(orm::Mapper<Edge>& m) {
    m.column<&Edge::id>().primary_key().autoincrement(false);
    m.column<&Edge::text>().type(Text{});
    m.column<&Edge::amount>().type(Numeric{38, 10});
    m.column<&Edge::at_tz>().type(DateTimeType{true});
  }
};

/// The same types, every one nullable.
struct Maybe {
  orm::Mapped<int> id;
  orm::Mapped<std::optional<std::int64_t>> i64;
  orm::Mapped<std::optional<int>> i32;
  orm::Mapped<std::optional<short>> i16;
  orm::Mapped<std::optional<double>> f64;
  orm::Mapped<std::optional<float>> f32;
  orm::Mapped<std::optional<bool>> flag;
  orm::Mapped<std::optional<std::string>> text;
  orm::Mapped<std::optional<Bytes>> data;
  orm::Mapped<std::optional<Decimal>> amount;
  orm::Mapped<std::optional<Date>> day;
  orm::Mapped<std::optional<DateTime>> at;
  orm::Mapped<std::optional<DateTime>> at_tz;
  orm::Mapped<std::optional<Time>> tod;
  orm::Mapped<std::optional<Uuid>> uid;
  orm::Mapped<std::optional<Json>> doc;
  orm::Mapped<std::optional<Color>> color;
  orm::Mapped<std::optional<Level>> level;
  static void configure(orm::Mapper<Maybe>& m) {
    m.column<&Maybe::id>().primary_key().autoincrement(false);
    m.column<&Maybe::text>().type(Text{});
    m.column<&Maybe::amount>().type(Numeric{38, 10});
    m.column<&Maybe::at_tz>().type(DateTimeType{true});
  }
};

/// Columns with server defaults, to be given values equal to the C++ defaults (0, "", false).
struct Given {
  orm::Mapped<int> id;
  orm::Mapped<int> count;
  orm::Mapped<std::string> label;
  orm::Mapped<bool> flag;
  orm::Mapped<double> ratio;
  static void configure(orm::Mapper<Given>& m) {
    m.column<&Given::id>().primary_key().autoincrement(false);
    m.column<&Given::count>().server_default(7);
    m.column<&Given::label>().length(10).server_default("x");
    m.column<&Given::flag>().server_default(true);
    m.column<&Given::ratio>().server_default(0.5);
  }
};

ATHANOR_MODEL(Edge, "edges", id, i64, i32, i16, f64, f32, flag, text, data, amount, day, at, at_tz, tod, uid, doc,
              color, level)
ATHANOR_MODEL(Maybe, "maybes", id, i64, i32, i16, f64, f32, flag, text, data, amount, day, at, at_tz, tod, uid, doc,
              color, level)
ATHANOR_MODEL(Given, "givens", id, count, label, flag, ratio)

}  // namespace edges

namespace {

using I64 = std::numeric_limits<std::int64_t>;
using I32 = std::numeric_limits<std::int32_t>;
using F64 = std::numeric_limits<double>;
using F32 = std::numeric_limits<float>;

DateTime at(int y, unsigned m, unsigned d, int hh = 0, int mm = 0, int ss = 0, int us = 0) {
  return sys_days{year{y} / m / d} + hours{hh} + minutes{mm} + seconds{ss} + microseconds{us};
}

/// 1 MiB of text: ASCII, two-, three- and four-byte UTF-8, quotes and backslashes.
std::string big_text() {
  static const std::string pieces[] = {"plain ", "\xc3\xa9", "\xe2\x9c\x93", "\xf0\x9f\x98\x80", "'", "\"", "\\", "\n"};
  std::string s;
  std::uint32_t x = 7;
  while (s.size() < (1u << 20) - 4) x = x * 1664525u + 1013904223u, s += pieces[(x >> 24) % std::size(pieces)];
  return s;
}
/// 1 MiB of bytes, every value many times, in no repeating order.
Bytes big_bytes() {
  Bytes b(1 << 20);
  std::uint32_t x = 11;
  for (auto& c : b) x = x * 1664525u + 1013904223u, c = static_cast<std::byte>(x >> 24);
  return b;
}
Bytes every_byte() {
  Bytes b;
  for (int i = 0; i < 256; ++i) b.push_back(static_cast<std::byte>(i));
  return b;
}

/// Exactly the same double: the same bits, or both NaN. A negative zero keeps its sign only
/// where the backend keeps it; elsewhere it must come back as a zero.
bool same_double(double got, double want) {
  if (std::isnan(want)) return std::isnan(got);
  if (want == 0 && std::signbit(want)) return got == 0 && std::signbit(got) == test::keeps_negative_zero();
  return std::bit_cast<std::uint64_t>(got) == std::bit_cast<std::uint64_t>(want);
}
bool same_float(float got, float want) {
  if (want == 0 && std::signbit(want)) return got == 0 && std::signbit(got) == test::keeps_negative_zero();
  return std::bit_cast<std::uint32_t>(got) == std::bit_cast<std::uint32_t>(want);
}
/// Equal strings or blobs, compared without printing 1 MiB when they differ.
template <class S>
bool same(const S& got, const S& want) {
  return got == want;
}

/// A decimal as digits and exponent without redundant zeros ("012.50" and "1.25e1" both give
/// "125e-1"): equal numbers in whatever form a backend writes them.
std::string canonical(std::string_view s) {
  bool negative = !s.empty() && s[0] == '-';
  if (negative) s.remove_prefix(1);
  int exponent = 0;
  if (auto e = s.find_first_of("eE"); e != std::string_view::npos) {
    exponent = std::stoi(std::string(s.substr(e + 1)));
    s = s.substr(0, e);
  }
  std::string digits;
  for (char c : s)
    if (c != '.') digits += c;
  if (auto dot = s.find('.'); dot != std::string_view::npos) exponent -= static_cast<int>(s.size() - dot - 1);
  auto first = digits.find_first_not_of('0');
  if (first == std::string::npos) return "0";
  digits.erase(0, first);
  while (digits.back() == '0') digits.pop_back(), ++exponent;
  return (negative ? "-" : "") + digits + "e" + std::to_string(exponent);
}

/// Numeric{38, 10} values at the precision the backend keeps exactly, written with all ten
/// decimals (the form PostgreSQL and MariaDB give back).
std::vector<std::string> decimals() {
  if (test::exact_numeric_digits() >= 38) {
    return {"1234567890123456789012345678.1234567890", "-9999999999999999999999999999.9999999999", "0.0000000001",
            "-0.0000000001", "0.0000000000", "9999999999999999999999999999.9999999999"};
  }
  return {"12345.6789012345", "-99999.9999999999", "0.0000000001",
          "-0.0000000001",    "0.0000000000",      "123456789012345.0000000000"};
}

const std::vector<Date>& dates() {
  static const std::vector<Date> d{year{1} / 1 / 1,    year{9999} / 12 / 31, year{2024} / 2 / 29, year{2000} / 2 / 29,
                                   year{1970} / 1 / 1, year{1969} / 12 / 31, year{1900} / 3 / 1};
  return d;
}
const std::vector<DateTime>& datetimes() {
  static const std::vector<DateTime> t{at(1, 1, 1),
                                       at(9999, 12, 31, 23, 59, 59, 999999),
                                       at(2024, 2, 29, 12, 30, 0, 1),  // leap day
                                       at(1970, 1, 1),
                                       at(1969, 12, 31, 23, 59, 59, 999999),  // before the epoch
                                       at(1900, 2, 28, 0, 0, 0, 1),
                                       at(2038, 1, 19, 3, 14, 8)};  // past 32-bit time_t
  return t;
}
const std::vector<Time>& times() {
  static const std::vector<Time> t{Time{0}, hours{23} + minutes{59} + seconds{59} + microseconds{999999},
                                   microseconds{1}, hours{12}};
  return t;
}
/// JSON documents already in the form every backend gives back (PostgreSQL's JSONB rewrites
/// spacing and key order: these are written as it writes them).
const std::vector<std::string>& documents() {
  static const std::vector<std::string> d{
      R"({"a": [1, 2.50, -3, true, false, null], "b": {"c": "x\"y\\z"}, "d": "é ✓ 😀"})", "[]", "{}", "null", "0",
      R"("text")", R"([{"k": []}, [[]]])"};
  return d;
}

struct CoreEdges : test::Schema {
  Table t{"core_edges", md,
          Column{"id", Integer{}, primary_key, autoincrement(false)},
          Column{"i64", BigInteger{}},
          Column{"i32", Integer{}},
          Column{"i16", SmallInteger{}},
          Column{"f64", Double{}},
          Column{"f32", Float{}},
          Column{"flag", Boolean{}},
          Column{"text", Text{}},
          Column{"short", String{20}},
          Column{"data", LargeBinary{}},
          Column{"amount", Numeric{38, 10}},
          Column{"day", DateType{}},
          Column{"at", DateTimeType{}},
          Column{"at_tz", DateTimeType{true}},
          Column{"tod", TimeType{}},
          Column{"uid", UuidType{}},
          Column{"doc", JsonType{}},
          Column{"status", Enum{"draft", "published"}}};
  Connection conn = (create(), engine.connect());
  int next_id = 0;

  /// Inserts `value` into `column` of a new row and reads the column back.
  Value round_trip(const std::string& column, Value value) {
    int id = ++next_id;
    conn.execute(insert(t).values({{"id", id}, {column, Expr(std::move(value))}}));
    return conn.execute(select(t.c(column)).where(t.c("id") == id)).one()[0];
  }
  template <class T>
  T back(const std::string& column, Value value) {
    return detail::from_value<T>(round_trip(column, std::move(value)));
  }
};

struct OrmEdges {
  athanor::Engine engine = test::engine();
  orm::Registry registry;
  OrmEdges() {
    registry.map<edges::Edge, edges::Maybe, edges::Given>();
    registry.metadata().drop_all(engine);
    registry.metadata().create_all(engine);
  }
  ~OrmEdges() {
    try {
      registry.metadata().drop_all(engine);
    } catch (...) {
    }
  }
};

}  // namespace

TEST_CASE("Core: integers at their limits") {
  CoreEdges db;
  for (std::int64_t v : {I64::min(), I64::max(), std::int64_t{0}, std::int64_t{-1}}) {
    CHECK(db.back<std::int64_t>("i64", v) == v);
  }
  for (std::int32_t v : {I32::min(), I32::max(), 0, -1}) CHECK(db.back<std::int32_t>("i32", v) == v);
  for (short v : {short{-32768}, short{32767}, short{0}, short{-1}}) CHECK(db.back<short>("i16", v) == v);
}

TEST_CASE("Core: doubles and floats, bit for bit (a negative zero where the backend keeps its sign)") {
  CoreEdges db;
  for (double v :
       {-0.0, 0.0, F64::denorm_min(), -F64::denorm_min(), F64::min(), F64::max(), F64::lowest(), 1.0 / 3, -2.5e-300}) {
    CAPTURE(v);
    CHECK(same_double(db.back<double>("f64", v), v));
  }
  for (float v : {-0.0f, F32::denorm_min(), F32::min(), F32::max(), F32::lowest(), 0.1f}) {
    CAPTURE(v);
    CHECK(same_float(db.back<float>("f32", v), v));
  }
}

TEST_CASE("Core: ±inf and NaN where the backend stores them; elsewhere a DataError, a rollback, a usable connection") {
  CoreEdges db;
  for (double v : {F64::infinity(), -F64::infinity(), F64::quiet_NaN()}) {
    CAPTURE(v);
    bool storable = std::isnan(v) ? test::caps().nan : test::caps().infinity;
    int before = ++db.next_id, id = ++db.next_id;
    auto tx = db.conn.begin();
    db.conn.execute(insert(db.t).values({{"id", before}, {"f64", 1.5}}));  // written earlier in the transaction
    if (storable) {
      db.conn.execute(insert(db.t).values({{"id", id}, {"f64", v}}));
      tx.commit();
      CHECK(same_double(db.conn.execute(select(db.t.c("f64")).where(db.t.c("id") == id)).scalar_one<double>(), v));
      continue;
    }
    CHECK_THROWS_AS(db.conn.execute(insert(db.t).values({{"id", id}, {"f64", v}})), DataError);
    tx.rollback();
    CHECK(db.conn.execute(select(count()).select_from(db.t).where(db.t.c("id") == before)).scalar_one<int>() == 0);
    CHECK(db.back<double>("f64", 2.5) == 2.5);  // the connection goes on
  }
}

TEST_CASE("Core: empty and 1 MiB strings and blobs, every byte value") {
  CoreEdges db;
  CHECK(db.back<std::string>("text", "").empty());
  CHECK(db.back<std::string>("short", "").empty());
  CHECK(db.back<std::string>("short", "exactly twenty chars") == "exactly twenty chars");
  CHECK(same(db.back<std::string>("text", big_text()), big_text()));
  CHECK(db.back<Bytes>("data", Bytes{}).empty());
  CHECK(db.back<Bytes>("data", every_byte()) == every_byte());
  CHECK(same(db.back<Bytes>("data", big_bytes()), big_bytes()));
}

TEST_CASE("Core: Numeric at full precision") {
  CoreEdges db;
  MESSAGE("Numeric{38, 10} kept exactly to " << test::exact_numeric_digits() << " significant digits on "
                                              << test::backend());
  for (const auto& text : decimals()) {
    CAPTURE(text);
    auto back = db.back<Decimal>("amount", Decimal{text}).text;
    CHECK(canonical(back) == canonical(text));
    if (test::exact_numeric_digits() >= 38) CHECK(back == text);  // digit for digit
  }
  // Text that is not a number is refused, not read as far as it goes ("12abc" as 12).
  if (test::caps().strict_types) {
    for (std::string text : {"12abc", "", "1.2.3", "--1"}) {
      CAPTURE(text);
      CHECK_THROWS_AS(db.round_trip("amount", Decimal{text}), DataError);
    }
  }
}

TEST_CASE("Core: dates, timestamps with and without time zone, and times at their edges") {
  CoreEdges db;
  for (Date d : dates()) {
    CAPTURE(detail::format_date(d));
    CHECK(db.back<Date>("day", d) == d);
  }
  for (DateTime t : datetimes()) {
    CAPTURE(detail::format_datetime(t));
    CHECK(db.back<DateTime>("at", t) == t);
    CHECK(db.back<DateTime>("at_tz", t) == t);
  }
  for (Time t : times()) {
    CAPTURE(detail::format_time(t));
    CHECK(db.back<Time>("tod", t) == t);
  }
}

TEST_CASE("Core: UUIDs, JSON, booleans and enums") {
  CoreEdges db;
  for (auto text : {"00000000-0000-0000-0000-000000000000", "ffffffff-ffff-ffff-ffff-ffffffffffff",
                    "6f0c2a4e-9b1d-4c3e-8f7a-0123456789ab"}) {
    CHECK(db.back<Uuid>("uid", Uuid::parse(text)).to_string() == text);
  }
  for (const auto& doc : documents()) CHECK(db.back<Json>("doc", Json{doc}).text == doc);
  CHECK(db.back<bool>("flag", true) == true);
  CHECK(db.back<bool>("flag", false) == false);
  CHECK(db.round_trip("flag", true) == Value(true));  // a bool, not the integer MariaDB stores
  CHECK(db.back<std::string>("status", "draft") == "draft");
  CHECK(db.back<std::string>("status", "published") == "published");
  if (test::caps().check_constraints) CHECK_THROWS_AS(db.round_trip("status", "archived"), IntegrityError);
}

TEST_CASE("Core: NULL in every nullable column reads back as an empty std::optional") {
  CoreEdges db;
  db.conn.execute(insert(db.t).values({{"id", 1}}));
  auto r = db.conn.execute(select(db.t).where(db.t.c("id") == 1));
  const Row& row = r.one();
  for (std::size_t i = 1; i < row.size(); ++i) {
    CAPTURE(row.keys()[i]);
    CHECK(row[i].is_null());
  }
  CHECK(row.get<std::optional<std::int64_t>>("i64") == std::nullopt);
  CHECK(row.get<std::optional<int>>("i32") == std::nullopt);
  CHECK(row.get<std::optional<short>>("i16") == std::nullopt);
  CHECK(row.get<std::optional<double>>("f64") == std::nullopt);
  CHECK(row.get<std::optional<float>>("f32") == std::nullopt);
  CHECK(row.get<std::optional<bool>>("flag") == std::nullopt);
  CHECK(row.get<std::optional<std::string>>("text") == std::nullopt);
  CHECK(row.get<std::optional<Bytes>>("data") == std::nullopt);
  CHECK_FALSE(row.get<std::optional<Decimal>>("amount").has_value());
  CHECK(row.get<std::optional<Date>>("day") == std::nullopt);
  CHECK(row.get<std::optional<DateTime>>("at") == std::nullopt);
  CHECK(row.get<std::optional<DateTime>>("at_tz") == std::nullopt);
  CHECK(row.get<std::optional<Time>>("tod") == std::nullopt);
  CHECK(row.get<std::optional<Uuid>>("uid") == std::nullopt);
  CHECK_FALSE(row.get<std::optional<Json>>("doc").has_value());
  CHECK(row.get<std::optional<std::string>>("status") == std::nullopt);
}

namespace {

using edges::Color;
using edges::Edge;
using edges::Level;
using edges::Maybe;

/// Objects at the low and high edges of every type, and one of zeros and empties.
std::vector<Edge> edge_objects() {
  auto dec = decimals();
  return {
      Edge{.id = 1, .i64 = I64::min(), .i32 = I32::min(), .i16 = short{-32768}, .f64 = F64::lowest(),
           .f32 = F32::lowest(), .flag = false, .text = "", .data = Bytes{}, .amount = Decimal{dec[1]},
           .day = dates()[0], .at = datetimes()[0], .at_tz = datetimes()[0], .tod = times()[0], .uid = Uuid{},
           .doc = Json{"[]"}, .color = Color::red, .level = Level::lowest},
      Edge{.id = 2, .i64 = I64::max(), .i32 = I32::max(), .i16 = short{32767}, .f64 = F64::max(), .f32 = F32::max(),
           .flag = true, .text = big_text(), .data = big_bytes(), .amount = Decimal{dec[0]}, .day = dates()[1],
           .at = datetimes()[1], .at_tz = datetimes()[1], .tod = times()[1],
           .uid = Uuid::parse("ffffffff-ffff-ffff-ffff-ffffffffffff"), .doc = Json{documents()[0]},
           .color = Color::blue_green, .level = Level::highest},
      Edge{.id = 3, .i64 = std::int64_t{-1}, .i32 = -1, .i16 = short{0}, .f64 = -0.0, .f32 = F32::denorm_min(),
           .flag = true, .text = "it's \"x\" \\", .data = every_byte(), .amount = Decimal{dec[4]}, .day = dates()[4],
           .at = datetimes()[4], .at_tz = datetimes()[3], .tod = times()[2],
           .uid = Uuid::parse("6f0c2a4e-9b1d-4c3e-8f7a-0123456789ab"), .doc = Json{"null"}, .color = Color::green,
           .level = Level::none},
      Edge{.id = 4, .i64 = std::int64_t{0}, .i32 = 0, .i16 = short{-1}, .f64 = F64::denorm_min(), .f32 = -0.0f,
           .flag = false, .text = "\xc3\xa9", .data = Bytes{std::byte{0}}, .amount = Decimal{dec[2]}, .day = dates()[2],
           .at = datetimes()[2], .at_tz = datetimes()[5], .tod = times()[3], .uid = Uuid{}, .doc = Json{"{}"},
           .color = Color::red, .level = Level::none},
  };
}

void check_same(const Edge& got, const Edge& want) {
  CAPTURE(want.id.get());
  CHECK(got.i64.get() == want.i64.get());
  CHECK(got.i32.get() == want.i32.get());
  CHECK(got.i16.get() == want.i16.get());
  CHECK(same_double(got.f64, want.f64));
  CHECK(same_float(got.f32, want.f32));
  CHECK(got.flag.get() == want.flag.get());
  CHECK(same(got.text.get(), want.text.get()));
  CHECK(same(got.data.get(), want.data.get()));
  CHECK(canonical(got.amount->text) == canonical(want.amount->text));
  if (test::exact_numeric_digits() >= 38) CHECK(got.amount->text == want.amount->text);
  CHECK(got.day.get() == want.day.get());
  CHECK(got.at.get() == want.at.get());
  CHECK(got.at_tz.get() == want.at_tz.get());
  CHECK(got.tod.get() == want.tod.get());
  CHECK(got.uid->to_string() == want.uid->to_string());
  CHECK(got.doc->text == want.doc->text);
  CHECK(got.color.get() == want.color.get());
  CHECK(got.level.get() == want.level.get());
}

}  // namespace

TEST_CASE("ORM: objects at the edges of every type are flushed and loaded exactly in a new Session") {
  OrmEdges db;
  {
    orm::Session s(db.engine);
    for (auto& e : edge_objects()) s.add(std::move(e));
    s.commit();
  }
  orm::Session s(db.engine);
  for (const auto& want : edge_objects()) {
    auto got = s.get<Edge>(want.id.get());
    REQUIRE(got);
    check_same(*got, want);
  }
  // A typed query reads the same values without the identity map.
  auto query = orm::select(orm::c<&Edge::i64>, orm::c<&Edge::f64>, orm::c<&Edge::day>).order_by(orm::c<&Edge::id>);
  auto rows = s.execute(query);
  REQUIRE(rows.size() == 4);
  CHECK(std::get<0>(rows[0]) == I64::min());
  CHECK(same_double(std::get<1>(rows[1]), F64::max()));
  CHECK(std::get<2>(rows[1]) == dates()[1]);
}

TEST_CASE("ORM: a value given equal to the C++ default is written, not replaced by the server default") {
  OrmEdges db;
  {
    orm::Session s(db.engine);
    s.add(edges::Given{.id = 1, .count = 0, .label = "", .flag = false, .ratio = -0.0});
    s.add(edges::Given{.id = 2});  // nothing given: the server defaults apply
    s.commit();
  }
  orm::Session s(db.engine);
  auto given = s.get<edges::Given>(1);
  auto defaulted = s.get<edges::Given>(2);
  REQUIRE(given);
  REQUIRE(defaulted);
  CHECK(given->count.get() == 0);
  CHECK(given->label.get() == "");
  CHECK(given->flag.get() == false);
  CHECK(same_double(given->ratio, -0.0));
  CHECK(defaulted->count.get() == 7);
  CHECK(defaulted->label.get() == "x");
  CHECK(defaulted->flag.get() == true);
  CHECK(defaulted->ratio.get() == 0.5);
}

TEST_CASE("ORM: NULL in every std::optional member, written, loaded, and written again over values") {
  OrmEdges db;
  {
    orm::Session s(db.engine);
    s.add(Maybe{.id = 1});
    s.add(Maybe{.id = 2, .i64 = I64::max(), .i32 = I32::min(), .i16 = short{7}, .f64 = -0.5, .f32 = 0.25f,
                .flag = false, .text = "", .data = Bytes{}, .amount = Decimal{decimals()[0]}, .day = dates()[0],
                .at = datetimes()[1], .at_tz = datetimes()[0], .tod = times()[1], .uid = Uuid{}, .doc = Json{"null"},
                .color = Color::green, .level = Level::lowest});
    s.commit();
  }
  auto all_null = [](const Maybe& m) {
    return !m.i64->has_value() && !m.i32->has_value() && !m.i16->has_value() && !m.f64->has_value() &&
           !m.f32->has_value() && !m.flag->has_value() && !m.text->has_value() && !m.data->has_value() &&
           !m.amount->has_value() && !m.day->has_value() && !m.at->has_value() && !m.at_tz->has_value() &&
           !m.tod->has_value() && !m.uid->has_value() && !m.doc->has_value() && !m.color->has_value() &&
           !m.level->has_value();
  };
  {
    orm::Session s(db.engine);
    auto empty = s.get<Maybe>(1);
    auto full = s.get<Maybe>(2);
    REQUIRE(empty);
    REQUIRE(full);
    CHECK(all_null(*empty));
    // Empty values are values, not NULL.
    CHECK(full->text.get() == std::optional<std::string>(""));
    CHECK(full->data.get() == std::optional<Bytes>(Bytes{}));
    CHECK(full->flag.get() == std::optional<bool>(false));
    CHECK(full->doc->has_value());
    CHECK(full->i64.get() == std::optional<std::int64_t>(I64::max()));
    CHECK(full->level.get() == std::optional<Level>(Level::lowest));
    // And back to NULL, every member.
    full->i64 = std::nullopt, full->i32 = std::nullopt, full->i16 = std::nullopt, full->f64 = std::nullopt;
    full->f32 = std::nullopt, full->flag = std::nullopt, full->text = std::nullopt, full->data = std::nullopt;
    full->amount = std::nullopt, full->day = std::nullopt, full->at = std::nullopt, full->at_tz = std::nullopt;
    full->tod = std::nullopt, full->uid = std::nullopt, full->doc = std::nullopt, full->color = std::nullopt;
    full->level = std::nullopt;
    s.commit();
  }
  orm::Session s(db.engine);
  auto again = s.get<Maybe>(2);
  REQUIRE(again);
  CHECK(all_null(*again));
}

TEST_CASE("ORM: ±inf and NaN where the backend stores them; elsewhere a failed flush, a rollback, a usable Session") {
  OrmEdges db;
  int id = 0;
  for (double v : {F64::infinity(), -F64::infinity(), F64::quiet_NaN()}) {
    CAPTURE(v);
    bool storable = std::isnan(v) ? test::caps().nan : test::caps().infinity;
    int before = ++id, bad = ++id, after = ++id;
    orm::Session s(db.engine);
    s.add(Maybe{.id = before, .f64 = 1.5});
    s.flush();  // written earlier in the same transaction
    s.add(Maybe{.id = bad, .f64 = v});
    if (storable) {
      s.commit();
      orm::Session r(db.engine);
      auto m = r.get<Maybe>(bad);
      REQUIRE(m);
      REQUIRE(m->f64->has_value());
      CHECK(same_double(**m->f64, v));
      continue;
    }
    CHECK_THROWS_AS(s.commit(), DataError);
    CHECK_THROWS_WITH_AS(s.flush(), doctest::Contains("[athanor.orm.rollback_needed]"), Error);
    s.rollback();
    {
      orm::Session r(db.engine);
      CHECK_FALSE(r.get<Maybe>(before));  // the row flushed before went with the transaction
    }
    s.add(Maybe{.id = after, .f64 = 2.5});
    s.commit();
    orm::Session r(db.engine);
    auto m = r.get<Maybe>(after);
    REQUIRE(m);
    CHECK(m->f64.get() == std::optional<double>(2.5));
  }
}
