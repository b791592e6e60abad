// test/migrate/cli.cpp — the `athanor` command (issue 15, the command): athanor::cli::main
// called with captured output on each backend, and the migration lock: two upgrades at once
// (two engines, two threads) apply each revision once.
#include "support/backend.hpp"
#include "support/printing.hpp"
#include "support/empty_database.hpp"

#include <athanor/migrate/upgrade.hpp>

#include <chrono>
#include <thread>

using namespace athanor;
namespace mg = athanor::migrate;

namespace {
using test::empty_database;

std::vector<std::string> strings(Engine& engine, const std::string& sql) {
  std::vector<std::string> out;
  auto conn = engine.connect();
  auto result = conn.exec_driver_sql(sql);
  for (auto& row : result.all()) out.push_back(row.get<std::string>(0));
  return out;
}

/// Three revisions whose data steps are slow and leave a row each: run twice, a revision
/// would leave two rows (or fail on its DDL).
mg::Revisions slow_revisions() {
  auto log = [](std::string id) {
    return [id](Connection& c) {
      std::this_thread::sleep_for(std::chrono::milliseconds(150));
      c.exec_driver_sql("INSERT INTO lk_log (rev) VALUES ('" + id + "')");
    };
  };
  mg::Revisions revs;
  revs.add({.id = "l1", .parents = {}, .message = "log table",
            .up = [log](mg::Ops& op) {
              op.create_table("lk_log", Column{"id", Integer{}, primary_key}, Column{"rev", String{8}});
              op.data("log l1", log("l1"));
            },
            .down = [](mg::Ops& op) { op.drop_table("lk_log"); }});
  revs.add({.id = "l2", .parents = {"l1"}, .message = "a column",
            .up = [log](mg::Ops& op) {
              op.add_column("lk_log", Column{"extra", Integer{}});
              op.data("log l2", log("l2"));
            },
            .down = [](mg::Ops& op) { op.drop_column("lk_log", "extra"); }});
  revs.add({.id = "l3", .parents = {"l2"}, .message = "an index",
            .up = [log](mg::Ops& op) {
              op.create_index("lk_log", Index{"ix_lk_log_rev", {"rev"}});
              op.data("log l3", log("l3"));
            },
            .down = [](mg::Ops& op) { op.drop_index("lk_log", "ix_lk_log_rev"); }});
  return revs;
}

}  // namespace

TEST_CASE("migration lock: two upgrades at once apply each revision once") {
  Engine e1 = test::engine();
  empty_database(e1);
  // In-memory SQLite is one connection: the second engine would be another database.
  Engine e2 = test::backend() == "sqlite" ? e1 : create_engine(test::url());
  auto revs = slow_revisions();
  for (int round = 0; round < 2; ++round) {
    INFO("round " << round);
    std::string err1, err2;
    auto run = [&](Engine& e, std::string& err) {
      try {
        mg::upgrade(e, revs);
      } catch (const std::exception& x) {
        err = x.what();
      }
    };
    // In-memory SQLite has one connection, which one upgrade at a time may hold: one after the other.
    bool memory = test::backend() == "sqlite";
    std::thread t1(run, std::ref(e1), std::ref(err1));
    if (memory) t1.join();
    std::thread t2(run, std::ref(e2), std::ref(err2));
    if (!memory) t1.join();
    t2.join();
    CHECK(err1 == "");
    CHECK(err2 == "");
    CHECK(strings(e1, "SELECT rev FROM lk_log ORDER BY rev") == std::vector<std::string>{"l1", "l2", "l3"});
    CHECK(mg::applied(e1).size() == 3);
    CHECK(mg::current(e1, revs) == std::vector<std::string>{"l3"});
    // And two downgrades at once undo each revision once.
    std::thread d1([&] { try { mg::downgrade(e1, revs, "base"); } catch (const std::exception& x) { err1 = x.what(); } });
    if (memory) d1.join();
    std::thread d2([&] { try { mg::downgrade(e2, revs, "base"); } catch (const std::exception& x) { err2 = x.what(); } });
    if (!memory) d1.join();
    d2.join();
    CHECK(err1 == "");
    CHECK(err2 == "");
    CHECK(mg::applied(e1).empty());
    CHECK_FALSE(e1.connect().has_table("lk_log"));
    // Next round: the version table exists (the first round also raced its creation).
  }
}
