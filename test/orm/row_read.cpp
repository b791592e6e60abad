// test/orm/row_read.cpp — reading rows into typed values (driver::Statement::read_row, one call
// per row, and the per-column reads it falls back to), on every backend, as round-trip
// properties over generated rows: every column kind with NULLs, empty text beside NULL, NUL
// bytes in text and blobs, int64/int32/short extremes, doubles, UTF-8, long text; read back as
// objects (Session and typed Core), as tuples, and by an expired object's reload after the rows
// changed. At the driver: each cell read_row gives equals what the per-column reads give, for
// every column and every representation asked; more columns asked than the result has is a
// DataError.
#include <cstdint>
#include <limits>
#include <string>
#include <tuple>
#include <utility>
#include <vector>

#include "support/backend.hpp"

using athanor::Bytes;

namespace rowread {
namespace orm = athanor::orm;
using orm::Mapped;
/// Every kind of column the typed reads treat apart: int64, float64, text, and the rest (value).
struct Sample {
  Mapped<int> id;
  Mapped<int> i32;
  Mapped<std::int64_t> i64;
  Mapped<short> i16;
  Mapped<double> dbl;
  Mapped<std::string> str;
  Mapped<bool> flag;
  Mapped<Bytes> blob;
  Mapped<std::optional<int>> oi32;
  Mapped<std::optional<std::int64_t>> oi64;
  Mapped<std::optional<double>> odbl;
  Mapped<std::optional<std::string>> ostr;
  Mapped<std::optional<bool>> oflag;
  Mapped<std::optional<Bytes>> oblob;
  static void configure(orm::Mapper<Sample>& m) {
    m.column<&Sample::id>().primary_key();
    m.column<&Sample::str>().length(3000);
    m.column<&Sample::ostr>().length(3000);
  }
};
ATHANOR_MODEL(Sample, "row_samples", id, i32, i64, i16, dbl, str, flag, blob, oi32, oi64, odbl, ostr, oflag, oblob)
}  // namespace rowread
using rowread::Sample;
using rowread::orm::c;
namespace orm = athanor::orm;

namespace {
/// Named requirement: the backend's text columns keep a NUL byte (PostgreSQL's text refuses 0x00).
bool text_keeps_nul_bytes() { return test::backend() != "postgresql"; }

/// The plain values of one row, to compare with what is read back.
struct Expected {
  int i32;
  std::int64_t i64;
  short i16;
  double dbl;
  std::string str;
  bool flag;
  Bytes blob;
  std::optional<int> oi32;
  std::optional<std::int64_t> oi64;
  std::optional<double> odbl;
  std::optional<std::string> ostr;
  std::optional<bool> oflag;
  std::optional<Bytes> oblob;
};

/// Rows drawn from pools of edge values by a fixed xorshift sequence: each pool's every value
/// appears (the first rows walk the pools in step), then random combinations.
std::vector<Expected> make_rows(std::size_t n, std::uint64_t seed) {
  std::uint64_t x = seed;
  auto next = [&] { return x ^= x << 13, x ^= x >> 7, x ^= x << 17, x; };
  using L64 = std::numeric_limits<std::int64_t>;
  using L32 = std::numeric_limits<int>;
  const std::vector<std::int64_t> i64s = {L64::min(), L64::max(), 0, -1, 1, std::int64_t(L32::max()) + 1, std::int64_t(L32::min()) - 1,
                                          1234567890123456789};
  const std::vector<int> i32s = {L32::min(), L32::max(), 0, -1, 1, 65536};
  const std::vector<short> i16s = {-32768, 32767, 0, -1};
  const std::vector<double> dbls = {0.0, 1.0, -1.5, 3.141592653589793, 1e308, -1.7976931348623157e308, 2.2250738585072014e-308,
                                    0.1, 1e-300, 123456789.123456789, -7.25e-5};
  std::vector<std::string> strs = {"", "a", "NULL", " spaced ", "Zoë ☃ 名前 😀", "o'brien \\ \"q\"", std::string(300, 'x'),
                                   [] {
                                     std::string s;
                                     for (int i = 0; i < 700; ++i) s += "é€";  // 3500 bytes, 1400 characters
                                     return s.substr(0, 2800);
                                   }()};
  if (text_keeps_nul_bytes()) strs.push_back(std::string("a\0b\0", 4)), strs.push_back(std::string(1, '\0'));
  std::vector<Bytes> blobs = {{}, {std::byte{0}}, {std::byte{0}, std::byte{255}, std::byte{0}}};
  {
    Bytes big;
    for (int i = 0; i < 5000; ++i) big.push_back(static_cast<std::byte>(next() & 0xff));
    blobs.push_back(big);
  }
  std::vector<Expected> rows;
  for (std::size_t r = 0; r < n; ++r) {
    auto pick = [&](const auto& pool) {
      std::size_t k = r < 16 ? r % pool.size() : static_cast<std::size_t>(next() % pool.size());
      return pool[k];
    };
    bool null = r % 3 == 1 || (r >= 16 && next() % 4 == 0);  // NULLs in every optional column, and mixed
    auto maybe = [&](auto v) -> std::optional<decltype(v)> {
      if (null || next() % 5 == 0) return std::nullopt;
      return v;
    };
    rows.push_back(Expected{pick(i32s), pick(i64s), pick(i16s), pick(dbls), pick(strs), next() % 2 == 0, pick(blobs),
                            maybe(pick(i32s)), maybe(pick(i64s)), maybe(pick(dbls)), maybe(pick(strs)), maybe(next() % 2 == 0),
                            maybe(pick(blobs))});
  }
  return rows;
}

template <class T>
std::string show(const T& v) {
  if constexpr (std::is_same_v<T, Bytes>) return "<" + std::to_string(v.size()) + " bytes>";
  else if constexpr (std::is_same_v<T, std::string>) return "'" + v + "' (" + std::to_string(v.size()) + " bytes)";
  else return std::to_string(v);
}
template <class T>
std::string show(const std::optional<T>& v) {
  return v ? show(*v) : std::string("NULL");
}
/// The compared fields of an object and of the row it was written from, in one order.
auto fields(const Sample& s) {
  return std::tie(s.i32.get(), s.i64.get(), s.i16.get(), s.dbl.get(), s.str.get(), s.flag.get(), s.blob.get(), s.oi32.get(),
                  s.oi64.get(), s.odbl.get(), s.ostr.get(), s.oflag.get(), s.oblob.get());
}
auto fields(const Expected& e) {
  return std::tie(e.i32, e.i64, e.i16, e.dbl, e.str, e.flag, e.blob, e.oi32, e.oi64, e.odbl, e.ostr, e.oflag, e.oblob);
}
constexpr const char* kFields[] = {"i32", "i64", "i16", "dbl", "str", "flag", "blob", "oi32", "oi64", "odbl", "ostr", "oflag", "oblob"};
/// Each field of `got` equals the same field of `want` (tuples of references, `names` in order).
template <class G, class W, std::size_t... I>
void check_fields(const G& got, const W& want, const char* const* names, std::size_t row, std::index_sequence<I...>) {
  auto one = [&](const char* name, const auto& g, const auto& w) {
    if (!(g == w)) FAIL_CHECK(name << " row " << row << ": read " << show(g) << ", wrote " << show(w));
  };
  (one(names[I], std::get<I>(got), std::get<I>(want)), ...);
}

/// Every member of `s` equals row `row` of `want`.
void check_sample(const Sample& s, const Expected& e, std::size_t row, const char* path) {
  INFO(path);
  check_fields(fields(s), fields(e), kFields, row, std::make_index_sequence<std::size(kFields)>{});
  CHECK_FALSE(s.str.modified());  // loaded values are not changes
  CHECK_FALSE(s.ostr.modified());
}

Sample to_model(const Expected& e) {
  return Sample{.id = {}, .i32 = e.i32, .i64 = e.i64, .i16 = e.i16, .dbl = e.dbl, .str = e.str, .flag = e.flag, .blob = e.blob,
                .oi32 = e.oi32, .oi64 = e.oi64, .odbl = e.odbl, .ostr = e.ostr, .oflag = e.oflag, .oblob = e.oblob};
}

struct Data {
  athanor::Engine engine = test::engine();
  orm::Registry registry;
  std::vector<Expected> rows = make_rows(120, 88172645463325252ull);
  std::vector<int> ids;
  Data() {
    registry.map<Sample>();
    registry.metadata().drop_all(engine);
    registry.metadata().create_all(engine);
    orm::Session s(engine);
    std::vector<orm::Ptr<Sample>> added;
    for (auto& e : rows) added.push_back(s.add(to_model(e)));
    s.flush();
    for (auto& p : added) ids.push_back(p->id);
    s.commit();
  }
  ~Data() {
    try {
      registry.metadata().drop_all(engine);
    } catch (...) {
    }
  }
};
}  // namespace

TEST_CASE("rows of every column kind read back as written: Session objects, typed Core objects and tuples") {
  Data d;
  auto by_id = orm::select<Sample>().order_by(c<&Sample::id>);
  {
    orm::Session s(d.engine);
    auto got = s.scalars(by_id);
    REQUIRE(got.size() == d.rows.size());
    for (std::size_t row = 0; row < got.size(); ++row) check_sample(*got[row], d.rows[row], row, "Session");
  }
  auto conn = d.engine.connect();
  auto objects = conn.execute(by_id);
  REQUIRE(objects.size() == d.rows.size());
  for (std::size_t row = 0; row < objects.size(); ++row) check_sample(objects[row], d.rows[row], row, "typed Core");

  auto tuples = conn.execute(orm::select(c<&Sample::ostr>, c<&Sample::i64>, c<&Sample::str>, c<&Sample::odbl>, c<&Sample::oi32>,
                                         c<&Sample::i16>, c<&Sample::oblob>, c<&Sample::oflag>)
                                 .order_by(c<&Sample::id>));
  REQUIRE(tuples.size() == d.rows.size());
  for (std::size_t row = 0; row < tuples.size(); ++row) {
    const Expected& e = d.rows[row];
    static constexpr const char* names[] = {"ostr", "i64", "str", "odbl", "oi32", "i16", "oblob", "oflag"};
    check_fields(tuples[row], std::tie(e.ostr, e.i64, e.str, e.odbl, e.oi32, e.i16, e.oblob, e.oflag), names, row,
                 std::make_index_sequence<8>{});
  }
}

TEST_CASE("expired objects reload the rows' new values into their members (text into the strings they hold)") {
  Data d;
  orm::Session s(d.engine);
  auto by_id = orm::select<Sample>().order_by(c<&Sample::id>);
  auto held = s.scalars(by_id);
  REQUIRE(held.size() == d.rows.size());
  s.commit();  // expires what it holds
  // Other values for every row (shorter and longer text, NULLs where there were values and back),
  // written behind the Session's back.
  auto changed = make_rows(d.rows.size(), 0x9E3779B97F4A7C15ull);
  std::reverse(changed.begin(), changed.end());
  {
    orm::Session w(d.engine);
    auto objs = w.scalars(by_id);
    for (std::size_t k = 0; k < objs.size(); ++k) {
      const Expected& e = changed[k];
      auto& o = *objs[k];
      o.i32 = e.i32, o.i64 = e.i64, o.i16 = e.i16, o.dbl = e.dbl, o.str = e.str, o.flag = e.flag, o.blob = e.blob;
      o.oi32 = e.oi32, o.oi64 = e.oi64, o.odbl = e.odbl, o.ostr = e.ostr, o.oflag = e.oflag, o.oblob = e.oblob;
    }
    w.commit();
  }
  SUBCASE("by a query that finds them in the identity map") {
    auto again = s.scalars(by_id);
    REQUIRE(again.size() == changed.size());
    for (std::size_t row = 0; row < again.size(); ++row) {
      CHECK(again[row].get() == held[row].get());
      check_sample(*again[row], changed[row], row, "query reload");
    }
  }
  SUBCASE("by touching them (refresh)") {
    for (std::size_t row = 0; row < held.size(); ++row) check_sample(*held[row], changed[row], row, "refresh");
  }
}

TEST_CASE("driver: each cell read_row gives is what the per-column reads give, for every representation asked") {
  Data d;
  auto conn = d.engine.connect();
  // The SQL of select<Sample>(): every column, quoted as the dialect quotes (MariaDB reserves `blob`).
  auto& st = conn.driver_connection().prepare(orm::select<Sample>().order_by(c<&Sample::id>).compiled(d.engine.dialect())->sql);
  st.execute({});
  using athanor::driver::Cell;
  using athanor::driver::Want;
  int n = st.column_count();
  REQUIRE(n == 14);
  std::size_t row = 0, cells_with_values = 0;
  while (st.next()) {
    for (Want w : {Want::int64, Want::float64, Want::text, Want::value}) {
      std::vector<Want> want(static_cast<std::size_t>(n), w);
      std::vector<Cell> cells(want.size());
      st.read_row(0, want, cells.data());
      for (int col = 0; col < n; ++col) {
        const Cell& cell = cells[static_cast<std::size_t>(col)];
        INFO("row " << row << ", column " << st.column_name(col) << ", want " << static_cast<int>(w));
        CHECK((cell.got == Cell::Got::null) == st.is_null(col));
        switch (cell.got) {
          case Cell::Got::int64: CHECK(w == Want::int64); CHECK(cell.i == st.get_int64(col)); break;
          case Cell::Got::float64: CHECK(w == Want::float64); CHECK(cell.d == st.get_double(col)); break;
          case Cell::Got::text: CHECK(w == Want::text); CHECK(std::string(cell.text, cell.size) == st.get_text(col)); break;
          default: break;
        }
        cells_with_values += cell.got != Cell::Got::null && cell.got != Cell::Got::other;
      }
      // A part of the row, from a later column.
      std::vector<Cell> part(3);
      st.read_row(n - 3, std::span<const Want>(want).subspan(0, 3), part.data());
      for (int k = 0; k < 3; ++k) {
        CHECK(part[static_cast<std::size_t>(k)].got == cells[static_cast<std::size_t>(n - 3 + k)].got);
      }
    }
    ++row;
  }
  CHECK(row == d.rows.size());
  CHECK(cells_with_values > row * 6);  // the fast path was taken (ints, text), not only `other`
  st.reset();
}

TEST_CASE("driver: reading more columns than the result has is a DataError, not NULLs") {
  Data d;
  auto conn = d.engine.connect();
  auto& st = conn.driver_connection().prepare("SELECT id, str FROM row_samples ORDER BY id");
  st.execute({});
  REQUIRE(st.next());
  using athanor::driver::Cell;
  using athanor::driver::Want;
  std::vector<Want> want(3, Want::int64);
  std::vector<Cell> cells(3);
  CHECK_THROWS_WITH_AS(st.read_row(0, want, cells.data()), "[athanor.data.columns] the result has 2 columns; columns 0 to 2 were read",
                       athanor::DataError);
  CHECK_THROWS_WITH_AS(st.read_row(1, std::span<const Want>(want).subspan(0, 2), cells.data()),
                       "[athanor.data.columns] the result has 2 columns; columns 1 to 2 were read", athanor::DataError);
  st.read_row(1, std::span<const Want>(want).subspan(0, 1), cells.data());  // column 1 only: fine
  CHECK(cells[0].got == Cell::Got::other);                                  // text, asked as an integer
  st.reset();
}
