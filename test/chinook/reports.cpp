// test/chinook/reports.cpp — the Chinook reporting corpus (issue 13): everyday reports written
// in the typed DSL, checked on real data without hand-typed expected rows. Chinook is loaded
// through athanor into the backend under test and into an in-memory SQLite reference; each
// report must return, on the backend under test, the same rows as (a) the same typed statement
// on the reference and (b) an independent hand-written SQL text of the question run on the
// published script's own tables (the "raw" database). Rows are normalised first: numbers
// compare to 1e-6 relative (Decimal by value), DateTime as "YYYY-MM-DD HH:MM:SS", and rows
// compare in order only where the report's ORDER BY is total, otherwise as sorted multisets.
#include <algorithm>
#include <cmath>
#include <map>
#include <variant>

#include "chinook/load.hpp"
#include "chinook/queries_a.hpp"
#if __has_include("chinook/queries_b.hpp")
#include "chinook/queries_b.hpp"
#endif
#if __has_include(<athanor/orm/case.hpp>)  // the issue 13 expressions part is merged
#include "chinook/queries_money.hpp"
#endif
#if __has_include(<athanor/orm/window.hpp>)  // the issue 13 window part is merged
#include "chinook/queries_window.hpp"
#endif
#if __has_include(<athanor/orm/functions.hpp>)  // the issue 13 functions part is merged
#include "chinook/queries_functions.hpp"
#endif
#if __has_include(<athanor/orm/compound.hpp>)  // the issue 13 compound part is merged
#include "chinook/queries_compound.hpp"
#endif
#include "support/backend.hpp"

using namespace chinook;
using namespace chinook::reports;

namespace {

/// One normalised value: NULL, a number or text (dates become text).
using Cell = std::variant<std::monostate, double, std::string>;
using Rows = std::vector<std::vector<Cell>>;

Cell cell(const athanor::Value& v) {
  if (v.is_null()) return std::monostate{};
  return std::visit(
      [&](const auto& x) -> Cell {
        using X = std::decay_t<decltype(x)>;
        if constexpr (std::is_same_v<X, bool>) return x ? 1.0 : 0.0;
        else if constexpr (std::is_arithmetic_v<X>) return static_cast<double>(x);
        else if constexpr (std::is_same_v<X, Decimal>) return std::stod(x.text);
        else if constexpr (std::is_same_v<X, DateTime>) return athanor::detail::format_datetime(x);
        else return athanor::detail::value_to_text(v);
      },
      v.variant());
}
template <class T>
Cell cell(const T& x) {
  if constexpr (athanor::detail::is_optional<T>::value) return x ? cell(*x) : Cell{std::monostate{}};
  else if constexpr (std::is_same_v<T, bool>) return x ? 1.0 : 0.0;
  else if constexpr (std::is_arithmetic_v<T>) return static_cast<double>(x);
  else if constexpr (std::is_same_v<T, std::string>) return x;
  else if constexpr (std::is_same_v<T, Decimal>) return std::stod(x.text);
  else if constexpr (std::is_same_v<T, DateTime>) return athanor::detail::format_datetime(x);
  else return cell(athanor::Value(x));
}
template <class T>
inline constexpr bool is_mapped = false;
template <class T>
inline constexpr bool is_mapped<orm::Mapped<T>> = true;

/// A typed row (a std::tuple, or a whole model object) as cells.
template <class R>
std::vector<Cell> cells(const R& row) {
  std::vector<Cell> out;
  if constexpr (boost::describe::has_describe_members<R>::value) {
    boost::mp11::mp_for_each<boost::describe::describe_members<R, boost::describe::mod_public>>([&](auto D) {
      using M = std::remove_cvref_t<decltype(row.*D.pointer)>;
      if constexpr (is_mapped<M>) out.push_back(cell((row.*D.pointer).get()));
    });
  } else {
    std::apply([&](const auto&... x) { (out.push_back(cell(x)), ...); }, row);
  }
  return out;
}
template <class V>
Rows typed_rows(const V& rows) {
  Rows out;
  for (auto& r : rows) out.push_back(cells(r));
  return out;
}
Rows text_rows(const athanor::Result& rows) {
  Rows out;
  for (auto& r : rows) {
    std::vector<Cell> row;
    for (auto& v : r.values()) row.push_back(cell(v));
    out.push_back(std::move(row));
  }
  return out;
}

bool same(const Cell& a, const Cell& b) {
  if (a.index() != b.index()) return false;
  if (auto* x = std::get_if<double>(&a)) {
    double y = std::get<double>(b);
    return std::fabs(*x - y) <= 1e-6 * std::max({1.0, std::fabs(*x), std::fabs(y)});
  }
  return a == b;
}
bool same(const Rows& a, const Rows& b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    if (a[i].size() != b[i].size()) return false;
    for (std::size_t j = 0; j < a[i].size(); ++j)
      if (!same(a[i][j], b[i][j])) return false;
  }
  return true;
}
/// Sorted by a total order where numbers that differ by less than the tolerance may still
/// sort apart; the corpus's unordered reports group by keys, so their rows differ in text or
/// integers before any rounded number.
Rows sorted(Rows r) {
  std::sort(r.begin(), r.end());
  return r;
}
/// The rows around the first one that differs from `other` (or the first ones).
std::string show(const Rows& rows, const Rows& other, std::size_t limit = 6) {
  std::size_t first = 0;
  while (first < rows.size() && first < other.size() && same(Rows{rows[first]}, Rows{other[first]})) ++first;
  first = first > 2 ? first - 2 : 0;
  std::string out = first ? "  … from row " + std::to_string(first) + ":\n" : "";
  for (std::size_t i = first; i < rows.size() && i < first + limit; ++i) {
    out += "  (";
    for (std::size_t j = 0; j < rows[i].size(); ++j) {
      if (j) out += ", ";
      auto& c = rows[i][j];
      if (std::holds_alternative<std::monostate>(c)) out += "NULL";
      else if (auto* d = std::get_if<double>(&c)) out += std::to_string(*d);
      else out += "'" + std::get<std::string>(c) + "'";
    }
    out += ")\n";
  }
  out += "  (" + std::to_string(rows.size()) + " rows)\n";
  return out;
}

/// The three databases, loaded once per executable.
struct Chinook {
  athanor::Engine raw = raw_engine();
  athanor::Engine reference = athanor::create_engine("sqlite://");
  athanor::Engine target = test::engine();
  orm::Registry registry;
  double reference_seconds = 0, target_seconds = 0;
  Chinook() {
    map_all(registry);
    reference_seconds = load(raw, reference, registry.metadata());
    target_seconds = load(raw, target, registry.metadata());
    MESSAGE("Chinook loaded through athanor: reference SQLite " << reference_seconds << " s, " << test::backend() << " "
                                                                 << target_seconds << " s");
  }
};
Chinook& db() {
  static Chinook d;
  return d;
}

/// Reports that meet a library bug (/work/notes/note-chinook.md, "Bugs found"; backend "*" =
/// all): they still run and their rows are still compared, but a difference or an exception is
/// a warning that names the bug, so the suite stays usable until the fix lands. With
/// ATHANOR_CHINOOK_STRICT=1 they fail like the others; once fixed, the warning says to remove them.
struct KnownBug {
  const char* report;
  const char* backend;
  const char* bug;
};
// Empty now: the three the corpus found (SUM of int past 2^31, MariaDB's integer / and AVG)
// were fixed in main (c944663, f605688). Add {"report", "backend or *", "what is wrong"}.
const std::vector<KnownBug> known_bugs{};
const char* known_bug(const char* name) {
  if (test::env("ATHANOR_CHINOOK_STRICT") == "1") return nullptr;
  for (auto& k : known_bugs)
    if (std::string_view(k.report) == name && (std::string_view(k.backend) == "*" || k.backend == test::backend())) return k.bug;
  return nullptr;
}

template <class S>
void check_report(const char* name, const S& stmt, const char* sql, bool ordered) {
  INFO("report: " << std::string(name));
  auto& d = db();
  auto on_target = d.target.connect();
  auto on_reference = d.reference.connect();
  auto on_raw = d.raw.connect();
  Rows expected = text_rows(on_raw.exec_driver_sql(sql));
  CHECK_MESSAGE(!expected.empty(), "the hand-written SQL returns no row: the report proves little");
  if (!ordered) expected = sorted(expected);
  auto compare = [&](athanor::Engine& engine, athanor::Connection& conn, const std::string& label, bool (&ok)[1], std::string& why) {
    Rows got = typed_rows(conn.execute(stmt));
    if (!ordered) got = sorted(got);
    ok[0] = same(got, expected);
    if (!ok[0])
      why = label + " typed:\n" + show(got, expected) + "hand-written SQL on the raw data:\n" + show(expected, got) +
            "SQL: " + stmt.compiled(engine.dialect())->sql;
  };
  const char* bug = known_bug(name);
  bool ok[1] = {false}, ok_ref[1] = {false};
  std::string why, why_ref;
  if (!bug) {
    compare(d.target, on_target, test::backend(), ok, why);
    compare(d.reference, on_reference, "SQLite reference", ok_ref, why_ref);
    CHECK_MESSAGE(ok[0], why);
    CHECK_MESSAGE(ok_ref[0], why_ref);
    return;
  }
  try {
    compare(d.target, on_target, test::backend(), ok, why);
    compare(d.reference, on_reference, "SQLite reference", ok_ref, why_ref);
  } catch (const std::exception& e) {
    why = std::string(e.what()) + "\nSQL: " + stmt.compiled(d.target.dialect())->sql;
  }
  if (ok[0] && ok_ref[0]) WARN_MESSAGE(false, "known bug no longer shows, remove it from known_bugs: " << std::string(bug));
  else WARN_MESSAGE(false, "known bug: " << std::string(bug) << "\n" << why << why_ref);
}

}  // namespace

TEST_CASE("Chinook is the same on the backend under test as in the published script") {
  auto& d = db();
  auto raw = d.raw.connect();
  auto target = d.target.connect();
  for (auto& c : copies()) {
    INFO(c.raw);
    auto n = raw.exec_driver_sql(std::string("SELECT COUNT(*) FROM [") + c.raw + "]").scalar_one<std::int64_t>();
    auto m = target.execute(athanor::select(athanor::count()).select_from(*c.table)).scalar_one<std::int64_t>();
    CHECK(n == m);
    CHECK(n > 0);
  }
}

TEST_CASE("relationships over Chinook: loaded collections have the sizes the raw data counts") {
  auto& d = db();
  auto raw = d.raw.connect();
  auto counts = [&](const std::string& sql) {
    std::map<int, std::size_t> out;
    for (auto& r : raw.exec_driver_sql(sql)) out[r.get<int>(0)] = static_cast<std::size_t>(r.get<std::int64_t>(1));
    return out;
  };
  orm::Session s{d.target};
  // One-to-many (selectinload), many-to-many through PlaylistTrack (selectinload), self-referential (joinedload).
  std::map<int, std::size_t> albums, tracks, reports;
  for (auto& a : s.scalars(orm::select<Artist>().options(orm::selectinload(&Artist::albums)))) albums[a->artist_id] = a->albums.size();
  for (auto& p : s.scalars(orm::select<Playlist>().options(orm::selectinload(&Playlist::tracks)))) tracks[p->playlist_id] = p->tracks.size();
  for (auto& e : s.scalars(orm::select<Employee>().options(orm::joinedload(&Employee::reports)))) reports[e->employee_id] = e->reports.size();
  CHECK(albums == counts("SELECT ar.ArtistId, COUNT(al.AlbumId) FROM Artist ar LEFT JOIN Album al ON al.ArtistId = ar.ArtistId GROUP BY ar.ArtistId"));
  CHECK(tracks == counts("SELECT p.PlaylistId, COUNT(pt.TrackId) FROM Playlist p LEFT JOIN PlaylistTrack pt ON pt.PlaylistId = p.PlaylistId GROUP BY p.PlaylistId"));
  CHECK(reports == counts("SELECT e.EmployeeId, COUNT(r.EmployeeId) FROM Employee e LEFT JOIN Employee r ON r.ReportsTo = e.EmployeeId GROUP BY e.EmployeeId"));
  // Many-to-one, lazily: each invoice line's track and invoice agree with the raw rows.
  auto line = s.scalars(orm::select<InvoiceLine>().where(c<&InvoiceLine::invoice_line_id> == 1000)).at(0);
  auto expected = raw.exec_driver_sql("SELECT t.Name, i.CustomerId FROM InvoiceLine il JOIN Track t ON t.TrackId = il.TrackId "
                                      "JOIN Invoice i ON i.InvoiceId = il.InvoiceId WHERE il.InvoiceLineId = 1000").one();
  CHECK(line->track->name.get() == expected.get<std::string>(0));
  CHECK(line->invoice->customer->customer_id.get() == expected.get<int>(1));
}

#define CHINOOK_CHECK(name, ordered) \
  TEST_CASE("report: " #name) { check_report(#name, name(), name##_sql, ordered); }
CHINOOK_REPORTS_A(CHINOOK_CHECK)
#ifdef CHINOOK_REPORTS_B
CHINOOK_REPORTS_B(CHINOOK_CHECK)
#endif
#ifdef CHINOOK_REPORTS_MONEY
CHINOOK_REPORTS_MONEY(CHINOOK_CHECK)
#endif
#ifdef CHINOOK_REPORTS_WINDOW
CHINOOK_REPORTS_WINDOW(CHINOOK_CHECK)
#endif
#ifdef CHINOOK_REPORTS_FUNCTIONS
CHINOOK_REPORTS_FUNCTIONS(CHINOOK_CHECK)
#endif
#ifdef CHINOOK_REPORTS_COMPOUND
CHINOOK_REPORTS_COMPOUND(CHINOOK_CHECK)
#endif

TEST_CASE("zz: the corpus holds at least 40 reports; tables dropped") {
  std::size_t n = 0;
#define CHINOOK_COUNT(name, ordered) ++n;
  CHINOOK_REPORTS_A(CHINOOK_COUNT)
#ifdef CHINOOK_REPORTS_B
  CHINOOK_REPORTS_B(CHINOOK_COUNT)
#endif
#ifdef CHINOOK_REPORTS_MONEY
  CHINOOK_REPORTS_MONEY(CHINOOK_COUNT)
#endif
#ifdef CHINOOK_REPORTS_WINDOW
  CHINOOK_REPORTS_WINDOW(CHINOOK_COUNT)
#endif
#ifdef CHINOOK_REPORTS_FUNCTIONS
  CHINOOK_REPORTS_FUNCTIONS(CHINOOK_COUNT)
#endif
#ifdef CHINOOK_REPORTS_COMPOUND
  CHINOOK_REPORTS_COMPOUND(CHINOOK_COUNT)
#endif
  CHECK(n >= 40);
  MESSAGE(n << " reports");
  db().registry.metadata().drop_all(db().target);
}
