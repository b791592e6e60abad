// test/migrate/pitfalls.cpp — Alembic's most reported autogenerate failures (issue 15's list),
// on schemas the database wrote its own way (hand-written DDL, as an existing database has
// them), where test/migrate/diff.cpp starts from create_all:
//   - spurious Boolean diffs: MariaDB's TINYINT(1)/BOOL, PostgreSQL's boolean, SQLite's
//     BOOLEAN, each with a default spelled the backend's way, equal a model's Boolean{};
//   - unnamed constraints on SQLite (UNIQUE, CHECK, FOREIGN KEY without CONSTRAINT name): no
//     diff against the same unnamed model, and dropping them works (the table is rebuilt);
//   - enum changes: a member removed (Enum{a, b, c} → Enum{a, c}) is found and applied, and
//     the removed member is refused afterwards; a PostgreSQL native ENUM type equals the model's
//     Enum with the same members.
#include "support/backend.hpp"
#include "support/empty_database.hpp"

#include <athanor/migrate/diff.hpp>

using namespace athanor;
namespace mg = athanor::migrate;

namespace {
using test::empty_database;

std::vector<std::string> lines(Engine& engine, const MetaData& md, mg::DiffOptions options = {}) {
  return mg::diff(md, engine, options).describe();
}

void apply(Engine& engine, const MetaData& md, mg::DiffOptions options = {}) {
  auto d = mg::diff(md, engine, options);
  auto script = mg::render(d, engine.dialect());
  INFO(script.text());
  auto conn = engine.connect();
  mg::apply(conn, script);
}
}  // namespace

TEST_CASE("a boolean written by hand the backend's way is the model's Boolean: no diff") {
  Engine engine = test::engine();
  empty_database(engine);
  std::string backend = engine.dialect().name() == "postgresql" ? "postgresql" : engine.dialect().name() == "mysql" ? "mysql" : "sqlite";
  {
    auto conn = engine.connect();
    if (backend == "mysql")
      conn.exec_driver_sql("CREATE TABLE pf_flags (id INTEGER NOT NULL AUTO_INCREMENT PRIMARY KEY, "
                           "active TINYINT(1) NOT NULL DEFAULT 1, hidden BOOL DEFAULT 0)");
    else if (backend == "postgresql")
      conn.exec_driver_sql("CREATE TABLE pf_flags (id SERIAL PRIMARY KEY, active boolean NOT NULL DEFAULT true, hidden bool DEFAULT false)");
    else
      conn.exec_driver_sql("CREATE TABLE pf_flags (id INTEGER PRIMARY KEY, active BOOLEAN NOT NULL DEFAULT 1, hidden BOOLEAN DEFAULT 0)");
  }
  MetaData md;
  Table flags{"pf_flags", md, Column{"id", Integer{}, primary_key}, Column{"active", Boolean{}, nullable(false), server_default(true)},
              Column{"hidden", Boolean{}, server_default(false)}};
  CHECK(lines(engine, md) == std::vector<std::string>{});
  empty_database(engine);
}

TEST_CASE("SQLite: unnamed UNIQUE, CHECK and FOREIGN KEY written by hand diff as equal, and can be dropped") {
  Engine engine = test::engine();
  if (engine.dialect().name() != "sqlite") return;  // the other backends name every constraint
  empty_database(engine);
  {
    auto conn = engine.connect();
    conn.exec_driver_sql("CREATE TABLE pf_parent (id INTEGER PRIMARY KEY)");
    conn.exec_driver_sql("CREATE TABLE pf_child (id INTEGER PRIMARY KEY, code VARCHAR(20) NOT NULL, qty INTEGER, parent_id INTEGER, "
                         "UNIQUE (code), CHECK (qty >= 0), FOREIGN KEY (parent_id) REFERENCES pf_parent (id))");
    conn.exec_driver_sql("INSERT INTO pf_parent (id) VALUES (1)");
    conn.exec_driver_sql("INSERT INTO pf_child (id, code, qty, parent_id) VALUES (1, 'a', 5, 1)");
  }
  auto model = [](bool constraints) {
    MetaData md;
    Table parent{"pf_parent", md, Column{"id", Integer{}, primary_key}};
    if (constraints) {
      Table child{"pf_child", md, Column{"id", Integer{}, primary_key}, Column{"code", String{20}, nullable(false)},
                  Column{"qty", Integer{}}, Column{"parent_id", Integer{}, ForeignKey{"pf_parent.id"}},
                  UniqueConstraint{{"code"}, ""}, CheckConstraint{"qty >= 0", ""}};
    } else {
      Table child{"pf_child", md, Column{"id", Integer{}, primary_key}, Column{"code", String{20}, nullable(false)},
                  Column{"qty", Integer{}}, Column{"parent_id", Integer{}}};
    }
    return md;
  };
  CHECK(lines(engine, model(true)) == std::vector<std::string>{});
  auto drops = lines(engine, model(false), {.allow_drop = true});
  CHECK(drops.size() == 3);  // the foreign key, the UNIQUE and the CHECK, under the convention's names
  apply(engine, model(false), {.allow_drop = true});
  CHECK(lines(engine, model(false)) == std::vector<std::string>{});
  auto conn = engine.connect();
  conn.exec_driver_sql("INSERT INTO pf_child (id, code, qty, parent_id) VALUES (2, 'a', -1, 99)");  // nothing checks any more
  int n = 0;
  for (auto& r : conn.exec_driver_sql("SELECT count(*) FROM pf_child")) n = static_cast<int>(detail::from_value<std::int64_t>(r[0]));
  CHECK(n == 2);  // the row from before the rebuild is kept
  conn.close();
  empty_database(engine);
}

TEST_CASE("an Enum member removed is found and applied; PostgreSQL's native ENUM equals the model's Enum") {
  Engine engine = test::engine();
  empty_database(engine);
  auto model = [](bool with_b) {
    MetaData md;
    Table t{"pf_enum", md, Column{"id", Integer{}, primary_key},
            Column{"status", with_b ? Enum{"a", "b", "c"} : Enum{"a", "c"}, nullable(false), server_default("a")}};
    return md;
  };
  model(true).create_all(engine);
  CHECK(lines(engine, model(false)) == std::vector<std::string>{"alter column pf_enum.status: enum(1)[a,b,c] not null default 'a' -> enum(1)[a,c] not null default 'a'"});
  apply(engine, model(false));
  CHECK(lines(engine, model(false)) == std::vector<std::string>{});
  {
    auto conn = engine.connect();
    conn.exec_driver_sql("INSERT INTO pf_enum (id, status) VALUES (1, 'c')");
    if (engine.dialect().capabilities().check_constraints) CHECK_THROWS(conn.exec_driver_sql("INSERT INTO pf_enum (id, status) VALUES (2, 'b')"));
  }
  empty_database(engine);
  if (engine.dialect().name() == "postgresql") {
    {
      auto conn = engine.connect();
      conn.exec_driver_sql("DROP TYPE IF EXISTS pf_mood");
      conn.exec_driver_sql("CREATE TYPE pf_mood AS ENUM ('sad', 'ok')");
      conn.exec_driver_sql("CREATE TABLE pf_native (id SERIAL PRIMARY KEY, mood pf_mood NOT NULL)");
    }
    MetaData md;
    Table t{"pf_native", md, Column{"id", Integer{}, primary_key}, Column{"mood", Enum{"sad", "ok"}, nullable(false)}};
    CHECK(lines(engine, md) == std::vector<std::string>{});
    empty_database(engine);
    engine.connect().exec_driver_sql("DROP TYPE pf_mood");
  }
}
