// test/orm/insert.cpp — typed INSERT on every backend: one row (values), many rows (rows),
// from a typed select, typed RETURNING, upserts, generated keys, constraint violations, and
// the SQL compiled once per statement type. What goes in is read back with select<M>() and
// compared with a C++ model of the table.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <map>

#include "support/normalize.hpp"
#include "support/requirements.hpp"

namespace shop {
namespace orm = athanor::orm;
using orm::Mapped;
enum class Status { open, shipped };
BOOST_DESCRIBE_ENUM(Status, open, shipped)
struct Item {
  Mapped<int> id;
  Mapped<std::string> sku;
  Mapped<std::string> name;
  Mapped<std::optional<std::string>> note;
  Mapped<int> stock;
  Mapped<bool> active;
  Mapped<Status> status;
  Mapped<std::optional<double>> weight;
  Mapped<athanor::Decimal> price;
  Mapped<std::optional<athanor::Date>> added;
  Mapped<std::optional<athanor::DateTime>> seen;
  static void configure(orm::Mapper<Item>& m) {
    m.column<&Item::id>().primary_key();
    m.column<&Item::sku>().length(20).unique();
    m.column<&Item::name>().length(80);
    m.column<&Item::note>().length(80);
    m.column<&Item::stock>().default_(7);  // client-side: bound by the insert when not named
    m.column<&Item::price>().type(orm::Numeric{10, 2});
  }
};
/// Where from_select copies items to.
struct Shelf {
  Mapped<int> id;
  Mapped<std::string> sku;
  Mapped<int> stock;
  Mapped<std::optional<std::string>> note;
  static void configure(orm::Mapper<Shelf>& m) {
    m.column<&Shelf::id>().primary_key();
    m.column<&Shelf::sku>().length(20);
    m.column<&Shelf::note>().length(80);
  }
};
ATHANOR_MODEL(Item, "items", id, sku, name, note, stock, active, status, weight, price, added, seen)
ATHANOR_MODEL(Shelf, "shelves", id, sku, stock, note)
}  // namespace shop

using namespace shop;
using athanor::Date;
using athanor::DateTime;
using athanor::Decimal;
using orm::c;
using orm::excluded;

namespace {
struct Shop {
  athanor::Engine engine = test::engine();
  orm::Registry registry;
  orm::Session s{engine};
  Shop() {
    registry.map<Item, Shelf>();
    registry.metadata().drop_all(engine);
    registry.metadata().create_all(engine);
  }
  ~Shop() {
    s.close();
    try {
      registry.metadata().drop_all(engine);
    } catch (...) {
    }
  }
};
/// An item as plain values, for comparing with what the database gives back.
using Plain = std::tuple<std::string, std::string, std::optional<std::string>, int, bool, Status, std::optional<double>,
                         std::string, std::optional<Date>, std::optional<DateTime>>;
Plain plain(const Item& i) {
  return {i.sku, i.name, i.note, i.stock, i.active, i.status, i.weight, test::normalize_decimal(i.price.get().text),
          i.added, i.seen};
}
std::vector<Plain> all_items(orm::Session& s) {
  std::vector<Plain> out;
  for (auto& i : s.execute(orm::select<Item>().order_by(c<&Item::sku>))) out.push_back(plain(i));
  return out;
}
std::map<std::string, int> stock_by_sku(orm::Session& s) {
  std::map<std::string, int> out;
  for (auto& [sku, stock] : s.execute(orm::select(c<&Item::sku>, c<&Item::stock>))) out[sku] = stock;
  return out;
}
const DateTime noon = std::chrono::sys_days{std::chrono::year{2024} / 2 / 29} + std::chrono::hours{12} + std::chrono::minutes{30};
const Date leap = std::chrono::year{2024} / 2 / 29;
/// An insert of one full item: the values() form.
auto insert_item(std::string sku, std::string name, std::optional<std::string> note, int stock) {
  return orm::insert<Item>().values(c<&Item::sku> = std::move(sku), c<&Item::name> = std::move(name), c<&Item::note> = std::move(note),
                                    c<&Item::stock> = stock, c<&Item::active> = true, c<&Item::status> = Status::open,
                                    c<&Item::price> = Decimal{"9.95"});
}
}  // namespace

TEST_CASE("values(): one row goes in and comes back, NULLs, UTF-8, enums, Decimal, dates; the generated key") {
  Shop shop;
  auto& s = shop.s;
  auto r1 = s.execute(orm::insert<Item>().values(
      c<&Item::sku> = "a-1", c<&Item::name> = "Grüße, 東京 😀", c<&Item::note> = std::nullopt, c<&Item::stock> = 3,
      c<&Item::active> = false, c<&Item::status> = Status::shipped, c<&Item::weight> = 1.5, c<&Item::price> = Decimal{"12.34"},
      c<&Item::added> = leap, c<&Item::seen> = noon));
  static_assert(std::is_same_v<decltype(r1), orm::InsertResult>);
  CHECK(r1.rowcount() == 1);
  // Columns not named: the client-side default (stock 7) and NULL; a std::optional value.
  auto r2 = s.execute(orm::insert<Item>().values(c<&Item::sku> = std::string("b-2"), c<&Item::name> = "plain",
                                                 c<&Item::note> = std::optional<std::string>("n"), c<&Item::active> = true,
                                                 c<&Item::status> = Status::open, c<&Item::price> = Decimal{"0.5"}));
  s.commit();
  int id1 = r1.inserted_primary_key<int>(), id2 = r2.inserted_primary_key<int>();
  CHECK(id1 != id2);
  std::vector<Plain> expected{
      {"a-1", "Grüße, 東京 😀", std::nullopt, 3, false, Status::shipped, 1.5, "12.34", leap, noon},
      {"b-2", "plain", "n", 7, true, Status::open, std::nullopt, "0.5", std::nullopt, std::nullopt},
  };
  CHECK(all_items(s) == expected);
  // The keys are the rows' keys.
  auto by_id = s.execute(orm::select(c<&Item::sku>).where(c<&Item::id> == id1));
  REQUIRE(by_id.size() == 1);
  CHECK(std::get<0>(by_id[0]) == "a-1");
  // A key given in values() is reported as given.
  auto r3 = s.execute(orm::insert<Item>().values(c<&Item::id> = 100, c<&Item::sku> = "c-3", c<&Item::name> = "given",
                                                 c<&Item::active> = true, c<&Item::status> = Status::open,
                                                 c<&Item::price> = Decimal{"1"}));
  CHECK(r3.inserted_primary_key<int>() == 100);
  CHECK(std::get<0>(s.execute(orm::select(c<&Item::sku>).where(c<&Item::id> == 100)).at(0)) == "c-3");
}
