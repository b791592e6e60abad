// test/orm/expressions.cpp — typed CASE, CAST, labels, literals, LIKE with ESCAPE (and
// contains/startswith/endswith taking user input as literal text) and Decimal as a number,
// against every backend. Expected values are computed in C++ from the inserted rows.
#include <algorithm>
#include <cctype>
#include <map>
#include <set>

#include "support/backend.hpp"

#include <athanor/orm.hpp>

namespace shop {
namespace orm = athanor::orm;
using athanor::Decimal;
struct Item {
  orm::Mapped<int> id;
  orm::Mapped<std::string> name;
  orm::Mapped<Decimal> price;  // NUMERIC(12, 2): money
  orm::Mapped<int> qty;
  orm::Mapped<std::optional<double>> weight;
  orm::Mapped<std::string> code;  // digits, for casts
  static void configure(orm::Mapper<Item>& m) {
    m.column<&Item::id>().primary_key();
    m.column<&Item::name>().length(40);
    m.column<&Item::price>().type(athanor::Numeric{12, 2});
    m.column<&Item::code>().length(20);
  }
};
ATHANOR_MODEL(Item, "expr_items", id, name, price, qty, weight, code)
}  // namespace shop
using shop::Item;
using athanor::Decimal;
namespace orm = athanor::orm;
using orm::c;

namespace {
/// The rows, as C++ sees them: names with every character LIKE treats specially, money in
/// integer cents (0.99 and 1.98 many times, where double arithmetic drifts).
struct Row {
  std::string name;
  long long cents;
  int qty;
  std::optional<double> weight;
};
const std::vector<Row> rows = {
    {"plain", 99, 1, 1.5},       {"100%", 198, 2, std::nullopt}, {"50% off", 99, 3, 0.25},
    {"a_b", 198, 4, 2.0},        {"axb", 99, 5, std::nullopt},    {"back\\slash", 198, 6, 3.0},
    {"bang!", 99, 7, 1.0},       {"it's", 198, 8, std::nullopt},  {"quote\"d", 99, 9, 0.5},
    {"/slash", 198, 10, 4.0},    {"x!%y", 99, 11, 2.5},           {"_lead", 198, 12, std::nullopt},
    {"trail%", 99, 13, 1.25},    {"a\\_b", 1, 14, 0.75},          {"abc", 12345, 15, 9.0},
    {"ab", 0, 16, std::nullopt}, {"a%b", 7, 17, 6.5},             {"zz", 99999, 50, 0.0},
};
/// The row of quantity q (quantities are unique). (A function: clang 14 captures no structured binding.)
const Row& row_of(int q) { return *std::find_if(rows.begin(), rows.end(), [&](const Row& r) { return r.qty == q; }); }
std::string money(long long cents) {
  std::string frac = std::to_string(cents % 100);
  return std::to_string(cents / 100) + "." + (frac.size() < 2 ? "0" : "") + frac;
}
/// Decimal text to cents, exactly: "2.97", "2.970000…", "3", "1e+02"; fails on a fraction of a cent.
long long cents_of(const Decimal& d) {
  std::string s = d.text;
  if (s.find_first_of("eE") != std::string::npos) return static_cast<long long>(std::llround(std::stod(s) * 100));
  bool neg = !s.empty() && s[0] == '-';
  if (neg) s.erase(0, 1);
  auto dot = s.find('.');
  std::string whole = s.substr(0, dot), frac = dot == std::string::npos ? "" : s.substr(dot + 1);
  while (frac.size() < 2) frac += '0';
  CHECK_MESSAGE(frac.find_first_not_of('0', 2) == std::string::npos, "a fraction of a cent: " << d.text);
  long long v = std::stoll(whole.empty() ? "0" : whole) * 100 + std::stoll(frac.substr(0, 2));
  return neg ? -v : v;
}
std::string lower(std::string s) {
  for (auto& ch : s) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
  return s;
}
using Names = std::set<std::string>;
template <class F>
Names expected(F keep) {
  Names out;
  for (auto& r : rows)
    if (keep(r)) out.insert(r.name);
  return out;
}

struct Shop {
  athanor::Engine engine = test::engine();
  orm::Registry registry;
  orm::Session s{engine};
  Shop() {
    registry.map<Item>();
    registry.metadata().drop_all(engine);
    registry.metadata().create_all(engine);
    for (auto& r : rows) {
      s.add(Item{.name = r.name, .price = Decimal{money(r.cents)}, .qty = r.qty, .weight = r.weight, .code = std::to_string(r.qty * 7)});
    }
    s.commit();
  }
  ~Shop() {
    s.close();
    try {
      registry.metadata().drop_all(engine);
    } catch (...) {
    }
  }
  template <class Cond>
  Names where(Cond cond) {
    Names out;
    for (auto& [n] : s.execute(orm::select(c<&Item::name>).where(std::move(cond)))) out.insert(n);
    return out;
  }
};
}  // namespace

TEST_CASE("contains/startswith/endswith take user input as literal text on every backend") {
  Shop shop;
  const std::vector<std::string> needles = {"%", "_", "\\", "!", "'", "\"", "/", "0%", "a_b", "!%", "\\_", "%b", "a", "b", "ab", "x!", ""};
  for (auto& n : needles) {
    INFO("needle: " << n);
    CHECK(shop.where(c<&Item::name>.contains(n)) == expected([&](const Row& r) { return r.name.find(n) != std::string::npos; }));
    CHECK(shop.where(c<&Item::name>.startswith(n)) == expected([&](const Row& r) { return r.name.starts_with(n); }));
    CHECK(shop.where(c<&Item::name>.endswith(n)) == expected([&](const Row& r) { return r.name.ends_with(n); }));
    // Case-insensitive: the upper-cased needle finds the lower-case names.
    std::string up = n;
    for (auto& ch : up) ch = static_cast<char>(std::toupper(static_cast<unsigned char>(ch)));
    CHECK(shop.where(c<&Item::name>.icontains(up)) == expected([&](const Row& r) { return lower(r.name).find(lower(up)) != std::string::npos; }));
    CHECK(shop.where(c<&Item::name>.istartswith(up)) == expected([&](const Row& r) { return lower(r.name).starts_with(lower(up)); }));
    CHECK(shop.where(c<&Item::name>.iendswith(up)) == expected([&](const Row& r) { return lower(r.name).ends_with(lower(up)); }));
  }
  // A statement type compiles once: the escaped needle is a bound value, not SQL.
  auto a = orm::select(c<&Item::name>).where(c<&Item::name>.contains(std::string("%")));
  auto b = orm::select(c<&Item::name>).where(c<&Item::name>.contains(std::string("x")));
  CHECK(a.compiled(shop.engine.dialect())->sql == b.compiled(shop.engine.dialect())->sql);
}

TEST_CASE("like with and without ESCAPE agrees on every backend") {
  Shop shop;
  auto has = [](std::string s) { return [s](const Row& r) { return r.name.find(s) != std::string::npos; }; };
  // With an escape character: it escapes % and _ and itself; a backslash is an ordinary character.
  CHECK(shop.where(c<&Item::name>.like("%!%%", '!')) == expected(has("%")));
  CHECK(shop.where(c<&Item::name>.like("%!_%", '!')) == expected(has("_")));
  CHECK(shop.where(c<&Item::name>.like("%!!%", '!')) == expected(has("!")));
  CHECK(shop.where(c<&Item::name>.like("%\\%", '!')) == expected(has("\\")));
  CHECK(shop.where(c<&Item::name>.like("a!_b", '!')) == Names{"a_b"});
  CHECK(shop.where(c<&Item::name>.like("a_b", '!')) == Names{"a_b", "axb", "a%b"});
  CHECK(shop.where(c<&Item::name>.not_like("%!%%", '!')) == expected([](const Row& r) { return r.name.find('%') == std::string::npos; }));
  CHECK(shop.where(c<&Item::name>.ilike("A!_B", '!')) == Names{"a_b"});
  CHECK(shop.where(c<&Item::name>.not_ilike("%!%%", '!')) == expected([](const Row& r) { return r.name.find('%') == std::string::npos; }));
  // Without: `\` escapes on every backend (SQLite is given ESCAPE '\').
  CHECK(shop.where(c<&Item::name>.like("%\\%%")) == expected(has("%")));
  CHECK(shop.where(c<&Item::name>.like("%\\\\%")) == expected(has("\\")));
  CHECK(shop.where(c<&Item::name>.like("a\\_b")) == Names{"a_b"});
  CHECK(shop.where(c<&Item::name>.like("a\\\\\\_b")) == Names{"a\\_b"});
  CHECK(shop.where(c<&Item::name>.like("%'%")) == expected(has("'")));
  CHECK(shop.where(c<&Item::name>.like(std::string("%\"%"))) == expected(has("\"")));
  // A text expression as the pattern: each name matches itself, but where a backslash escapes.
  CHECK(shop.where(c<&Item::name>.like(c<&Item::name>)) == expected([](const Row& r) { return r.name.find('\\') == std::string::npos; }));
}

TEST_CASE("case_ is typed as the common type of its branches") {
  Shop shop;
  auto& s = shop.s;
  auto bucket = orm::case_(orm::when(c<&Item::qty> < 5, "low"), orm::when(c<&Item::qty> < 12, "mid"), orm::else_("high"));
  static_assert(std::is_same_v<decltype(bucket)::value_type, std::string>);
  auto want = [](int q) { return q < 5 ? "low" : q < 12 ? "mid" : "high"; };
  for (auto& [name, b, q] : s.execute(orm::select(c<&Item::name>, bucket, c<&Item::qty>))) CHECK(b == want(q));

  // No else_: std::optional. Numbers: the common arithmetic type; a Decimal beside integers: Decimal.
  auto maybe = orm::case_(orm::when(c<&Item::qty> > 15, "many"));
  static_assert(std::is_same_v<decltype(maybe)::value_type, std::optional<std::string>>);
  auto mixed = orm::case_(orm::when(c<&Item::qty> > 10, c<&Item::qty> * 2), orm::when(c<&Item::qty> > 5, 0.5), orm::else_(0));
  static_assert(std::is_same_v<decltype(mixed)::value_type, double>);
  auto money_or_zero = orm::case_(orm::when(c<&Item::qty> > 10, c<&Item::price>), orm::else_(0));
  static_assert(std::is_same_v<decltype(money_or_zero)::value_type, Decimal>);
  auto weight = orm::case_(orm::when(c<&Item::qty> > 10, c<&Item::weight>), orm::else_(-1.0));
  static_assert(std::is_same_v<decltype(weight)::value_type, std::optional<double>>);
  auto got = s.execute(orm::select(c<&Item::qty>, maybe, mixed, money_or_zero, weight));
  REQUIRE(got.size() == rows.size());
  for (auto& [q, m, x, p, w] : got) {
    const Row& r = row_of(q);
    CHECK(m == (q > 15 ? std::optional<std::string>("many") : std::nullopt));
    CHECK(x == (q > 10 ? q * 2.0 : q > 5 ? 0.5 : 0.0));
    CHECK(cents_of(p) == (q > 10 ? r.cents : 0));
    CHECK(w == (q > 10 ? r.weight : std::optional<double>(-1.0)));
  }

  // Branches that are bare values only, alone in a select list: each comes back as its type
  // (PostgreSQL would read untyped parameters as text).
  auto ints = s.execute(orm::select(c<&Item::qty>, orm::case_(orm::when(c<&Item::qty> > 9, 1), orm::else_(2))));
  for (auto& [q, v] : ints) CHECK(v == (q > 9 ? 1 : 2));
  auto texts = s.execute(orm::select(orm::case_(orm::when(c<&Item::qty> > 9, "big"), orm::else_("small"))).where(c<&Item::qty> == 10));
  CHECK(std::get<0>(texts.at(0)) == "big");
  auto decimals = s.execute(orm::select(orm::case_(orm::when(c<&Item::qty> > 9, Decimal{"0.99"}), orm::else_(Decimal{"1.98"}))).where(c<&Item::qty> == 3));
  CHECK(cents_of(std::get<0>(decimals.at(0))) == 198);
  auto doubles = s.execute(orm::select(orm::case_(orm::when(c<&Item::qty> > 9, 2.5), orm::else_(-0.5))).where(c<&Item::qty> == 3));
  CHECK(std::get<0>(doubles.at(0)) == -0.5);
  auto bools = s.execute(orm::select(orm::case_(orm::when(c<&Item::qty> > 9, true), orm::else_(false))).where(c<&Item::qty> == 30 || c<&Item::qty> == 11));
  CHECK(std::get<0>(bools.at(0)) == true);

  // In WHERE and ORDER BY.
  auto high = shop.where(orm::case_(orm::when(c<&Item::qty> < 12, 0), orm::else_(1)) == 1);
  CHECK(high == expected([](const Row& r) { return r.qty >= 12; }));
  auto ordered = s.execute(orm::select(c<&Item::qty>).order_by(orm::case_(orm::when(c<&Item::qty> == 7, 0), orm::else_(1)), c<&Item::qty>));
  CHECK(std::get<0>(ordered.at(0)) == 7);
  CHECK(std::get<0>(ordered.at(1)) == 1);
}

TEST_CASE("cast<T> reads as T on every backend") {
  Shop shop;
  auto& s = shop.s;
  auto got = s.execute(orm::select(c<&Item::qty>, orm::cast<double>(c<&Item::qty>) / 4, orm::cast<std::string>(c<&Item::qty>),
                                   orm::cast<int>(c<&Item::code>), orm::cast<Decimal>(c<&Item::qty>), orm::cast<std::string>(c<&Item::weight>)));
  static_assert(std::is_same_v<decltype(got)::value_type,
                               std::tuple<int, double, std::string, int, Decimal, std::optional<std::string>>>);
  REQUIRE(got.size() == rows.size());
  for (auto& [q, quarter, text, code, dec, w] : got) {
    CHECK(quarter == q / 4.0);
    CHECK(text == std::to_string(q));
    CHECK(code == q * 7);
    CHECK(cents_of(dec) == q * 100);
    const Row& r = row_of(q);
    CHECK(w.has_value() == r.weight.has_value());
  }
  // A Decimal column cast to a double and back keeps its cents.
  auto money = s.execute(orm::select(c<&Item::qty>, orm::cast<Decimal>(orm::cast<double>(c<&Item::price>))));
  for (auto& [q, d] : money) {
    const Row& r = row_of(q);
    CHECK(cents_of(d) == r.cents);
  }
  // A text cast to a date.
  auto date = s.execute(orm::select(orm::cast<athanor::Date>(orm::literal("2024-01-31"))).select_from<Item>().where(c<&Item::qty> == 1));
  CHECK(std::get<0>(date.at(0)) == athanor::Date{std::chrono::year{2024} / 1 / 31});
}

TEST_CASE("literal() is a typed, bound column") {
  Shop shop;
  auto& s = shop.s;
  auto got = s.execute(orm::select(orm::literal("Canada"), c<&Item::qty>, orm::literal(42), orm::literal(2.5), orm::literal(Decimal{"1234567.89"}),
                                   orm::literal(true), orm::literal(std::string("it's"))));
  static_assert(std::is_same_v<decltype(got)::value_type, std::tuple<std::string, int, int, double, Decimal, bool, std::string>>);
  REQUIRE(got.size() == rows.size());
  for (auto& [country, q, n, x, d, t, quote] : got) {
    CHECK(country == "Canada");
    CHECK(n == 42);
    CHECK(x == 2.5);
    CHECK(cents_of(d) == 123456789);
    CHECK(t);
    CHECK(quote == "it's");
  }
  // Anywhere an expression goes.
  CHECK(shop.where(orm::literal(5) < c<&Item::qty>) == expected([](const Row& r) { return 5 < r.qty; }));
  auto sum = s.execute(orm::select(c<&Item::qty> + orm::literal(1000)).where(c<&Item::qty> == 3));
  CHECK(std::get<0>(sum.at(0)) == 1003);
}

TEST_CASE("labels: ORDER BY / GROUP BY name them; HAVING; a subquery's labelled column") {
  Shop shop;
  auto& s = shop.s;
  std::map<long long, std::int64_t> per_price;
  std::map<long long, long long> qty_per_price;
  for (auto& r : rows) ++per_price[r.cents], qty_per_price[r.cents] += r.qty;

  auto n = orm::count().label<"n">();
  auto stmt = orm::select(c<&Item::price>, n).group_by(c<&Item::price>).order_by(n.desc(), c<&Item::price>);
  std::string sql = stmt.compiled(shop.engine.dialect())->sql;
  INFO(sql);
  CHECK((sql.find("ORDER BY n DESC") != std::string::npos || sql.find("ORDER BY \"n\" DESC") != std::string::npos ||
         sql.find("ORDER BY `n` DESC") != std::string::npos));
  auto got = s.execute(stmt);
  REQUIRE(got.size() == per_price.size());
  for (std::size_t i = 0; i < got.size(); ++i) {
    auto& [price, count] = got[i];
    CHECK(count == per_price.at(cents_of(price)));
    if (i) CHECK(std::get<1>(got[i - 1]) >= count);
  }

  // Labels on aggregates, in HAVING (as their expression) and GROUP BY (as their name).
  auto total = orm::sum(c<&Item::qty>).label<"total">();
  auto big = s.execute(orm::select(c<&Item::price>, total).group_by(c<&Item::price>).having(total > 20).order_by(total));
  std::size_t want = 0;
  for (auto& [p, q] : qty_per_price) want += q > 20;
  REQUIRE(big.size() == want);
  for (auto& [p, t] : big) CHECK(t == qty_per_price.at(cents_of(p)));

  auto bucket = orm::case_(orm::when(c<&Item::qty> < 5, "low"), orm::when(c<&Item::qty> < 12, "mid"), orm::else_("high")).label<"bucket">();
  auto buckets = s.execute(orm::select(bucket, orm::count()).group_by(bucket).order_by(bucket));
  std::map<std::string, std::int64_t> want_buckets;
  for (auto& r : rows) ++want_buckets[r.qty < 5 ? "low" : r.qty < 12 ? "mid" : "high"];
  REQUIRE(buckets.size() == want_buckets.size());
  for (auto& [b, k] : buckets) CHECK(k == want_buckets.at(b));

  // A labelled column of a subquery, by its label.
  auto sq = orm::select(c<&Item::price>, orm::count().label<"n">()).group_by(c<&Item::price>).subquery<"per_price">();
  auto top = s.execute(orm::select(sq.c<"n">(), sq.c<0>()).where(sq.c<"n">() > 1).order_by(sq.c<"n">().desc()));
  std::size_t shared = 0;
  for (auto& [p, k] : per_price) shared += k > 1;
  REQUIRE(top.size() == shared);
  for (auto& [k, p] : top) CHECK(k == per_price.at(cents_of(p)));
}

TEST_CASE("round, abs, ceil and floor take a Decimal and give a Decimal, exactly") {
  Shop shop;
  auto price = c<&Item::price>;
  auto got = shop.s.execute(orm::select(c<&Item::qty>, orm::round(price, 1), orm::round(price), orm::ceil(price), orm::floor(price),
                                        orm::abs(price * -1))
                                .order_by(c<&Item::qty>));
  static_assert(std::is_same_v<decltype(got)::value_type, std::tuple<int, Decimal, Decimal, Decimal, Decimal, Decimal>>);
  REQUIRE(got.size() == rows.size());
  for (auto& [q, dimes, whole, up, down, positive] : got) {
    long long cents = row_of(q).cents;  // every price is >= 0
    CAPTURE(cents);
    CHECK(cents_of(dimes) == (cents + 5) / 10 * 10);  // half away from zero
    CHECK(cents_of(whole) == (cents + 50) / 100 * 100);
    CHECK(cents_of(up) == (cents + 99) / 100 * 100);
    CHECK(cents_of(down) == cents / 100 * 100);
    CHECK(cents_of(positive) == cents);
  }
}

TEST_CASE("Decimal is an exact number: comparisons, arithmetic, sum/avg/min/max") {
  Shop shop;
  auto& s = shop.s;
  long long total = 0, weighted = 0, lo = rows[0].cents, hi = rows[0].cents;
  for (auto& r : rows) total += r.cents, weighted += r.cents * r.qty, lo = std::min(lo, r.cents), hi = std::max(hi, r.cents);
  // The double sum drifts where the exact one does not: the test would see it.
  double drift = 0;
  for (auto& r : rows) drift += std::stod(money(r.cents));
  INFO("double sum " << drift);

  auto agg = s.execute(orm::select(orm::sum(c<&Item::price>), orm::avg(c<&Item::price>), orm::min(c<&Item::price>), orm::max(c<&Item::price>),
                                   orm::sum(c<&Item::price> * c<&Item::qty>)));
  static_assert(std::is_same_v<decltype(agg)::value_type, std::tuple<std::optional<Decimal>, std::optional<Decimal>, std::optional<Decimal>,
                                                                     std::optional<Decimal>, std::optional<Decimal>>>);
  auto& [sum, avg, min, max, sum_qty] = agg.at(0);
  CHECK(cents_of(*sum) == total);
  // avg() of NUMERIC(12, 2) has the server's scale: MariaDB adds 4 digits (div_precision_increment).
  CHECK(std::abs(std::stod(avg->text) - total / 100.0 / rows.size()) < 0.5e-4);
  CHECK(cents_of(*min) == lo);
  CHECK(cents_of(*max) == hi);
  CHECK(cents_of(*sum_qty) == weighted);

  // Money of 0.99 and 1.98 only: summed many times.
  auto cheap = s.execute(orm::select(orm::sum(c<&Item::price>)).where(c<&Item::price> == Decimal{"0.99"} || c<&Item::price> == Decimal{"1.98"}));
  long long want = 0;
  for (auto& r : rows) want += (r.cents == 99 || r.cents == 198) ? r.cents : 0;
  CHECK(cents_of(*std::get<0>(cheap.at(0))) == want);

  // Comparisons with Decimals, integers, and Decimal expressions.
  auto priced = [&](auto keep) { return expected([&](const Row& r) { return keep(r.cents); }); };
  CHECK(shop.where(c<&Item::price> > Decimal{"1.00"}) == priced([](long long ct) { return ct > 100; }));
  CHECK(shop.where(c<&Item::price> >= 2) == priced([](long long ct) { return ct >= 200; }));
  CHECK(shop.where(1 < c<&Item::price>) == priced([](long long ct) { return 100 < ct; }));
  CHECK(shop.where(c<&Item::price> == Decimal{"0.99"}) == priced([](long long ct) { return ct == 99; }));
  CHECK(shop.where(c<&Item::price> * 2 == Decimal{"3.96"}) == priced([](long long ct) { return ct * 2 == 396; }));
  CHECK(shop.where(c<&Item::price>.in_(std::vector<Decimal>{Decimal{"0.01"}, Decimal{"123.45"}})) == priced([](long long ct) { return ct == 1 || ct == 12345; }));
  CHECK(shop.where(c<&Item::price>.between(Decimal{"0.50"}, 2)) == priced([](long long ct) { return ct >= 50 && ct <= 200; }));
  CHECK(shop.where(c<&Item::qty> > Decimal{"12.5"}) == expected([](const Row& r) { return r.qty * 10 > 125; }));

  // Arithmetic: exact + - *; / with an integer or a Decimal (a fraction on every backend).
  auto arith = s.execute(orm::select(c<&Item::qty>, c<&Item::price> + Decimal{"0.01"}, c<&Item::price> - c<&Item::price>, c<&Item::price> * 3,
                                     c<&Item::qty> * Decimal{"0.10"}, c<&Item::price> / 2, c<&Item::qty> / Decimal{"4"}));
  static_assert(std::is_same_v<decltype(arith)::value_type, std::tuple<int, Decimal, Decimal, Decimal, Decimal, Decimal, Decimal>>);
  for (auto& [q, plus, zero, thrice, tenth, half, quarter] : arith) {
    const Row& r = row_of(q);
    CHECK(cents_of(plus) == r.cents + 1);
    CHECK(cents_of(zero) == 0);
    CHECK(cents_of(thrice) == r.cents * 3);
    CHECK(cents_of(tenth) == q * 10);
    CHECK(std::abs(std::stod(half.text) - r.cents / 200.0) < 1e-9);
    CHECK(std::abs(std::stod(quarter.text) - q / 4.0) < 1e-9);
  }
  // A Decimal parameter against an aggregate (SQLite: bound as a number, not as text).
  auto having = s.execute(orm::select(c<&Item::price>).group_by(c<&Item::price>).having(orm::sum(c<&Item::price>) > Decimal{"5"}));
  std::map<long long, long long> sums;
  for (auto& r : rows) sums[r.cents] += r.cents;
  std::size_t n = 0;
  for (auto& [p, t] : sums) n += t > 500;
  CHECK(having.size() == n);
}
