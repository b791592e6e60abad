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

TEST_CASE("a typed insert runs on a Core Connection too, inside its transaction") {
  Shop shop;
  {
    auto conn = shop.engine.connect();
    auto tx = conn.begin();
    auto r = conn.execute(insert_item("k-1", "via connection", "x", 4));
    CHECK(r.inserted_primary_key<int>() > 0);
    tx.rollback();
  }
  CHECK(all_items(shop.s).empty());  // rolled back with the transaction
  shop.s.rollback();                 // ends the Session's read transaction (its snapshot, SQLite's lock)
  {
    auto conn = shop.engine.connect();
    auto tx = conn.begin();
    auto r = conn.execute(insert_item("k-2", "kept", std::nullopt, 5));
    tx.commit();
    auto back = shop.s.execute(orm::select(c<&Item::sku>, c<&Item::stock>).where(c<&Item::id> == r.inserted_primary_key<int>()));
    CHECK(back == orm::Rows<std::tuple<std::string, int>>{{"k-2", 5}});
  }
}

TEST_CASE("values() takes typed expressions, all bound") {
  Shop shop;
  auto& s = shop.s;
  auto stmt = orm::insert<Item>().values(c<&Item::sku> = orm::upper(orm::Val<std::string>("lower")),
                                         c<&Item::name> = orm::Val<std::string>("n") + "ame", c<&Item::stock> = orm::Val<int>(20) * 2 + 1,
                                         c<&Item::active> = true, c<&Item::status> = Status::open, c<&Item::price> = Decimal{"1.00"});
  auto sql = stmt.compile(s.engine().dialect()).sql;
  CHECK(sql.find("lower") == std::string::npos);  // values travel as parameters, never in the SQL text
  s.execute(stmt);
  auto rows = s.execute(orm::select(c<&Item::sku>, c<&Item::name>, c<&Item::stock>));
  CHECK(rows == orm::Rows<std::tuple<std::string, std::string, int>>{{"LOWER", "name", 41}});
}

TEST_CASE("returning(): typed rows equal a re-select; returning<M>() gives the objects") {
  Shop shop;
  auto& s = shop.s;
  REQUIRE(test::caps().returning_insert);
  auto rows = s.execute(insert_item("r-1", "ret", std::nullopt, 2).returning(c<&Item::id>, c<&Item::sku>, c<&Item::note>, c<&Item::stock> * 10));
  static_assert(std::is_same_v<decltype(rows)::value_type, std::tuple<int, std::string, std::optional<std::string>, int>>);
  REQUIRE(rows.size() == 1);
  auto again = s.execute(orm::select(c<&Item::id>, c<&Item::sku>, c<&Item::note>, c<&Item::stock> * 10).where(c<&Item::id> == std::get<0>(rows[0])));
  CHECK(rows == again);
  auto objects = s.execute(insert_item("r-2", "whole", "yes", 3).returning<Item>());
  static_assert(std::is_same_v<decltype(objects)::value_type, Item>);
  REQUIRE(objects.size() == 1);
  auto reread = s.execute(orm::select<Item>().where(c<&Item::sku> == "r-2"));
  REQUIRE(reread.size() == 1);
  CHECK(objects[0].id.get() == reread[0].id.get());
  CHECK(plain(objects[0]) == plain(reread[0]));
}

TEST_CASE("INSERT … RETURNING where the dialect has none: an ArgumentError naming the backend") {
  struct NoReturning : athanor::SqliteDialect {
    NoReturning() { caps_.returning_insert = false; }
    std::string_view display_name() const override { return "OldSQL"; }
  };
  orm::Registry registry;
  registry.map<Item, Shelf>();
  NoReturning d;
  auto stmt = insert_item("x", "x", std::nullopt, 1).returning(c<&Item::id>);
  CHECK(test::error_message([&] { (void)stmt.compile(d); }) ==
        "[athanor.argument.unsupported] OldSQL has no INSERT … RETURNING; run a SELECT after the statement");
  CHECK_NOTHROW((void)insert_item("x", "x", std::nullopt, 1).compile(d));
}

TEST_CASE("rows(): many rows in multi-row statements; count and content") {
  Shop shop;
  auto& s = shop.s;
  const int n = 2345;  // more than one statement of 1000 rows
  std::vector<std::tuple<std::string, std::string, std::optional<std::string>, bool, Status, Decimal>> rows;
  std::vector<Plain> expected;
  for (int i = 0; i < n; ++i) {
    char sku[16];
    std::snprintf(sku, sizeof sku, "m-%05d", i);
    std::optional<std::string> note;
    if (i % 3) note = "ñ" + std::to_string(i);
    Decimal price{std::to_string(i) + ".25"};
    rows.emplace_back(sku, "item " + std::to_string(i), note, i % 2 == 0, i % 5 ? Status::open : Status::shipped, price);
    expected.emplace_back(sku, "item " + std::to_string(i), note, 7, i % 2 == 0, i % 5 ? Status::open : Status::shipped,
                          std::nullopt, test::normalize_decimal(price.text), std::nullopt, std::nullopt);
  }
  auto stmt = orm::insert<Item>().columns<&Item::sku, &Item::name, &Item::note, &Item::active, &Item::status, &Item::price>().rows(rows);
  auto r = s.execute(stmt);
  CHECK(r.rowcount() == n);
  CHECK(test::error_message([&] { (void)r.inserted_primary_key<int>(); }) ==
        "[athanor.argument.primary_key] the key is known after a one-row insert without upsert only; use returning(c<&M::id>) to read keys");
  s.commit();
  CHECK(all_items(s) == expected);  // stock 7: the client-side default, bound per row

  // Objects as rows, with RETURNING over all statements.
  std::vector<Item> objects;
  for (int i = 0; i < 1500; ++i) {
    objects.push_back(Item{.sku = "o-" + std::to_string(i), .name = "obj", .stock = i, .active = true, .status = Status::open,
                           .price = Decimal{"3"}});
  }
  auto ids = s.execute(orm::insert<Item>()
                           .columns<&Item::sku, &Item::name, &Item::stock, &Item::active, &Item::status, &Item::price>()
                           .rows(objects)
                           .returning(c<&Item::id>, c<&Item::stock>));
  REQUIRE(ids.size() == objects.size());
  auto reread = s.execute(orm::select(c<&Item::id>, c<&Item::stock>).where(c<&Item::name> == "obj"));
  std::sort(ids.begin(), ids.end()), std::sort(reread.begin(), reread.end());
  CHECK(ids == reread);
  // No rows: nothing runs.
  CHECK(s.execute(orm::insert<Item>().columns<&Item::sku>().rows(std::vector<std::tuple<std::string>>{})).rowcount() == 0);
}

TEST_CASE("from_select(): the rows a typed select reads") {
  Shop shop;
  auto& s = shop.s;
  std::vector<std::tuple<std::string, std::string, std::optional<std::string>, int, bool, Status, Decimal>> source;
  for (int i = 0; i < 12; ++i) {
    source.emplace_back("f-" + std::to_string(i), "n", i % 4 ? std::optional<std::string>("note") : std::nullopt, i, true, Status::open,
                        Decimal{"1"});
  }
  s.execute(orm::insert<Item>().columns<&Item::sku, &Item::name, &Item::note, &Item::stock, &Item::active, &Item::status, &Item::price>().rows(source));
  auto r = s.execute(orm::insert<Shelf>().from_select<&Shelf::sku, &Shelf::stock, &Shelf::note>(
      orm::select(c<&Item::sku>, c<&Item::stock> + 100, c<&Item::note>).where(c<&Item::stock> >= 5)));
  std::vector<std::tuple<std::string, int, std::optional<std::string>>> expected;
  for (auto& [sku, name, note, stock, active, status, price] : source)
    if (stock >= 5) expected.emplace_back(sku, stock + 100, note);
  CHECK(r.rowcount() == static_cast<std::int64_t>(expected.size()));
  auto shelves = s.execute(orm::select(c<&Shelf::sku>, c<&Shelf::stock>, c<&Shelf::note>));
  std::vector<std::tuple<std::string, int, std::optional<std::string>>> got(shelves.begin(), shelves.end());
  std::sort(got.begin(), got.end()), std::sort(expected.begin(), expected.end());
  CHECK(got == expected);
}

TEST_CASE("upsert: do nothing keeps the row, do update changes it (against a C++ map)") {
  Shop shop;
  auto& s = shop.s;
  std::map<std::string, int> model;
  auto put = [&](std::string sku, int stock) {
    return orm::insert<Item>().values(c<&Item::sku> = std::move(sku), c<&Item::name> = "u", c<&Item::stock> = stock,
                                      c<&Item::active> = true, c<&Item::status> = Status::open, c<&Item::price> = Decimal{"1"});
  };
  for (auto& [sku, stock] : std::map<std::string, int>{{"u-1", 1}, {"u-2", 2}, {"u-3", 3}}) s.execute(put(sku, stock)), model[sku] = stock;
  CHECK(stock_by_sku(s) == model);

  // DO NOTHING: a conflict keeps the old row; a new key goes in.
  for (auto& [sku, stock] : std::map<std::string, int>{{"u-1", 50}, {"u-4", 4}}) {
    s.execute(put(sku, stock).on_conflict_do_nothing());
    model.emplace(sku, stock);
  }
  s.execute(put("u-2", 60).on_conflict_do_nothing<&Item::sku>());
  CHECK(stock_by_sku(s) == model);

  // DO UPDATE: stock = old + proposed; a new key is inserted.
  auto add = [&](std::string sku, int stock) {
    return put(sku, stock).on_conflict_do_update<&Item::sku>(c<&Item::stock> = c<&Item::stock> + excluded<&Item::stock>,
                                                             c<&Item::name> = excluded<&Item::name>);
  };
  for (auto& [sku, stock] : std::vector<std::pair<std::string, int>>{{"u-1", 10}, {"u-3", 30}, {"u-5", 5}, {"u-5", 1}}) {
    s.execute(add(sku, stock));
    model[sku] += stock;
  }
  CHECK(stock_by_sku(s) == model);
  // The same statement type, compiled once: the second execution reuses the SQL.
  auto& d = s.engine().dialect();
  CHECK(add("a", 1).compiled(d) == add("b", 2).compiled(d));

  // Many rows with do nothing: the existing keys stay as they were.
  std::vector<std::tuple<std::string, std::string, int, bool, Status, Decimal>> rows;
  for (int i = 0; i < 8; ++i) rows.emplace_back("u-" + std::to_string(i), "many", 100 + i, true, Status::open, Decimal{"2"});
  s.execute(orm::insert<Item>()
                .columns<&Item::sku, &Item::name, &Item::stock, &Item::active, &Item::status, &Item::price>()
                .rows(rows)
                .on_conflict_do_nothing());
  for (auto& [sku, name, stock, active, status, price] : rows) model.emplace(sku, stock);
  CHECK(stock_by_sku(s) == model);

  // RETURNING of an upsert gives the row as it is now (updated or inserted).
  if (test::caps().returning_insert) {
    auto now = s.execute(add("u-1", 1).returning(c<&Item::sku>, c<&Item::stock>));
    model["u-1"] += 1;
    CHECK(now == orm::Rows<std::tuple<std::string, int>>{{"u-1", model["u-1"]}});
  }
  s.commit();
  CHECK(stock_by_sku(s) == model);
}

TEST_CASE("an upsert that updates expires the Session's objects; a plain insert leaves them") {
  Shop shop;
  auto& s = shop.s;
  s.execute(insert_item("e-1", "old", std::nullopt, 1));
  auto item = s.scalars(orm::select<Item>().where(c<&Item::sku> == "e-1")).at(0);
  CHECK(item->stock == 1);
  s.execute(insert_item("e-1", "new", std::nullopt, 5).on_conflict_do_update<&Item::sku>(c<&Item::stock> = excluded<&Item::stock>));
  CHECK(item->stock == 5);  // reloaded
  s.execute(insert_item("e-2", "other", std::nullopt, 2));
  CHECK(item->stock == 5);
}

TEST_CASE("a constraint violation is an IntegrityError; after rollback() the session goes on") {
  Shop shop;
  auto& s = shop.s;
  s.execute(insert_item("i-1", "first", std::nullopt, 1));
  s.commit();
  CHECK_THROWS_AS(s.execute(insert_item("i-1", "duplicate", std::nullopt, 2)), athanor::IntegrityError);
  s.rollback();
  std::vector<std::tuple<std::string, std::string, std::optional<std::string>, bool, Status, Decimal>> dup{
      {"i-2", "a", std::nullopt, true, Status::open, Decimal{"1"}}, {"i-2", "b", std::nullopt, true, Status::open, Decimal{"1"}}};
  CHECK_THROWS_AS(s.execute(orm::insert<Item>().columns<&Item::sku, &Item::name, &Item::note, &Item::active, &Item::status, &Item::price>().rows(dup)),
                  athanor::IntegrityError);
  s.rollback();
  s.execute(insert_item("i-3", "after", std::nullopt, 3));
  s.commit();
  CHECK(stock_by_sku(s) == std::map<std::string, int>{{"i-1", 1}, {"i-3", 3}});
}

TEST_CASE("the SQL is compiled once per statement type; the values are collected per execution") {
  Shop shop;
  auto& d = shop.s.engine().dialect();
  auto a = insert_item("a", "a", std::nullopt, 1), b = insert_item("b", "b", "x", 2);
  CHECK(a.compiled(d) == b.compiled(d));
  athanor::orm::detail::Collected va, vb;
  a.collect(va), b.collect(vb);
  REQUIRE(va.size() == vb.size());
  CHECK(va[0].as<std::string>() == "a");
  CHECK(vb[0].as<std::string>() == "b");
}

// Rows per second of rows() against one values() per row, in one transaction. Run with
// ATHANOR_INSERT_BENCH=20000 (the note has the figures).
TEST_CASE("measure: rows() against one insert per row") {
  int n = std::atoi(test::env("ATHANOR_INSERT_BENCH", "0").c_str());
  if (n <= 0) return;
  Shop shop;
  auto& s = shop.s;
  using Clock = std::chrono::steady_clock;
  std::vector<std::tuple<std::string, std::string, int, bool, Status, Decimal>> rows;
  for (int i = 0; i < n; ++i) rows.emplace_back("b-" + std::to_string(i), "bench", i, true, Status::open, Decimal{"1.5"});
  auto t0 = Clock::now();
  for (auto& [sku, name, stock, active, status, price] : rows) {
    s.execute(orm::insert<Item>().values(c<&Item::sku> = sku, c<&Item::name> = name, c<&Item::stock> = stock, c<&Item::active> = active,
                                         c<&Item::status> = status, c<&Item::price> = price));
  }
  s.commit();
  auto t1 = Clock::now();
  s.execute(orm::delete_<Item>());
  s.commit();
  auto t2 = Clock::now();
  s.execute(orm::insert<Item>().columns<&Item::sku, &Item::name, &Item::stock, &Item::active, &Item::status, &Item::price>().rows(rows));
  s.commit();
  auto t3 = Clock::now();
  auto rate = [&](auto d) { return n / std::chrono::duration<double>(d).count(); };
  std::printf("%s: %d rows: one per row %.0f rows/s, rows() %.0f rows/s\n", test::backend().c_str(), n, rate(t1 - t0), rate(t3 - t2));
  CHECK(stock_by_sku(s).size() == static_cast<std::size_t>(n));
}
