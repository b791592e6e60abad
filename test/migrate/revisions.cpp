// test/migrate/revisions.cpp — revisions and their execution (issue 15, step 3): a model
// walked through six revisions (add tables; add a column with a backfill then NOT NULL; rename
// a column; add an index and a foreign key; change a type; drop a column), upgraded one at a
// time with the schema diff against that version's models empty after each, then downgraded
// one at a time the same way and to "base". Also: several heads refused with their names,
// an edited applied revision refused by checksum, an upgrade resumed after a failed step, and
// the offline SQL is what upgrade() runs; an index built CONCURRENTLY (PostgreSQL: outside the
// revision's transaction, claimed by its version row; resumed after a failure; two upgraders).
#include "support/backend.hpp"
#include "support/printing.hpp"
#include "support/empty_database.hpp"
#include "support/first_column.hpp"

#include <athanor/migrate/autogenerate.hpp>
#include <athanor/migrate/upgrade.hpp>

#include <fstream>
#include <thread>
#include <sstream>

#include "generated/revision_i0.hpp"  // written by autogenerate (the test below checks it still is)

using namespace athanor;
namespace mg = athanor::migrate;

namespace {
using test::empty_database;

std::vector<std::string> user_tables(Engine& engine) {
  std::vector<std::string> out;
  for (auto& n : Inspector(engine).table_names())
    if (n != mg::version_table) out.push_back(n);
  return out;
}

/// The models as revision `v` leaves them (0: nothing).
MetaData models(int v) {
  MetaData md;
  if (v < 1) return md;
  std::vector<Column> cols{Column{"id", Integer{}, primary_key}, Column{v >= 3 ? "full_name" : "name", String{40}, nullable(false)}};
  if (v < 6) cols.push_back(Column{"age", v >= 5 ? SqlType(BigInteger{}) : SqlType(Integer{})});
  if (v >= 2) cols.push_back(Column{"email", String{80}, nullable(false)});
  auto users = std::make_shared<detail::TableData>();
  users->name = "rv_users";
  for (auto& c : cols) users->columns.push_back(c.def());
  if (v >= 4) users->indexes.push_back(Index{"ix_rv_users_email", {"email"}});
  Table::finish(*users);
  md.add(users);
  auto posts = std::make_shared<detail::TableData>();
  posts->name = "rv_posts";
  posts->columns.push_back(Column{"id", Integer{}, primary_key}.def());
  posts->columns.push_back(Column{"user_id", Integer{}}.def());
  posts->columns.push_back(Column{"title", String{50}}.def());
  if (v >= 4) posts->columns[1].foreign_keys.push_back(ForeignKey{"rv_users.id"});
  Table::finish(*posts);
  md.add(posts);
  return md;
}

mg::Revisions six() {
  mg::Revisions revs;
  revs.add({.id = "r1", .parents = {}, .message = "users and posts",
            .up = [](mg::Ops& op) {
              op.create_table("rv_users", Column{"id", Integer{}, primary_key}, Column{"name", String{40}, nullable(false)},
                              Column{"age", Integer{}});
              op.create_table("rv_posts", Column{"id", Integer{}, primary_key}, Column{"user_id", Integer{}}, Column{"title", String{50}});
            },
            .down = [](mg::Ops& op) {
              op.drop_table("rv_posts");
              op.drop_table("rv_users");
            }});
  revs.add({.id = "r2", .parents = {"r1"}, .message = "users.email, backfilled, then NOT NULL",
            .up = [](mg::Ops& op) {
              op.add_column("rv_users", Column{"email", String{80}});
              op.execute({{"mysql", "UPDATE rv_users SET email = CONCAT(name, '@example.org')"},
                          {"*", "UPDATE rv_users SET email = name || '@example.org'"}});
              op.data("count the backfill", [](Connection& c) {
                auto r = c.exec_driver_sql("SELECT count(*) FROM rv_users WHERE email IS NULL");
                if (r.all().at(0).get<std::int64_t>(0) != 0) throw std::runtime_error("backfill left NULLs");
              });
              op.alter_column("rv_users", Column{"email", String{80}, nullable(false)});
            },
            .down = [](mg::Ops& op) { op.drop_column("rv_users", "email"); }});
  revs.add({.id = "r3", .parents = {"r2"}, .message = "rename users.name to full_name",
            .up = [](mg::Ops& op) { op.rename_column("rv_users", "name", "full_name"); },
            .down = [](mg::Ops& op) { op.rename_column("rv_users", "full_name", "name"); }});
  revs.add({.id = "r4", .parents = {"r3"}, .message = "index on email, posts.user_id references users",
            .up = [](mg::Ops& op) {
              op.create_index("rv_users", Index{"ix_rv_users_email", {"email"}});
              op.add_foreign_key("rv_posts", ForeignKeyConstraint{{"user_id"}, {"rv_users.id"}});
            },
            .down = [](mg::Ops& op) {
              op.drop_foreign_key("rv_posts", "fk_rv_posts_user_id_rv_users");
              op.drop_index("rv_users", "ix_rv_users_email");
            }});
  revs.add({.id = "r5", .parents = {"r4"}, .message = "users.age becomes bigint",
            .up = [](mg::Ops& op) { op.alter_column("rv_users", Column{"age", BigInteger{}}); },
            .down = [](mg::Ops& op) { op.alter_column("rv_users", Column{"age", Integer{}}); }});
  revs.add({.id = "r6", .parents = {"r5"}, .message = "drop users.age",
            .up = [](mg::Ops& op) { op.drop_column("rv_users", "age"); },
            .down = [](mg::Ops& op) { op.add_column("rv_users", Column{"age", BigInteger{}}); }});
  return revs;
}

}  // namespace

TEST_CASE("six revisions up one at a time and down again: the diff against each version is empty") {
  Engine engine = test::engine();
  empty_database(engine);
  auto revs = six();
  CHECK(revs.heads() == std::vector<std::string>{"r6"});
  CHECK(mg::current(engine, revs).empty());
  for (int v = 1; v <= 6; ++v) {
    std::string id = "r" + std::to_string(v);
    INFO("upgrade to " << id);
    mg::upgrade(engine, revs, id);
    CHECK(mg::current(engine, revs) == std::vector<std::string>{id});
    CHECK(mg::diff(models(v), engine).describe() == std::vector<std::string>{});
    if (v == 1) {
      auto conn = engine.connect();
      conn.exec_driver_sql("INSERT INTO rv_users (id, name, age) VALUES (1, 'ann', 30)");
      conn.exec_driver_sql("INSERT INTO rv_users (id, name, age) VALUES (2, 'bob', 40)");
      conn.exec_driver_sql("INSERT INTO rv_posts (id, user_id, title) VALUES (1, 2, 'hello')");
    }
    if (v == 2) CHECK(test::first_column(engine, "SELECT email FROM rv_users ORDER BY id") == std::vector<std::string>{"ann@example.org", "bob@example.org"});
    if (v == 3) CHECK(test::first_column(engine, "SELECT full_name FROM rv_users ORDER BY id") == std::vector<std::string>{"ann", "bob"});
    if (v == 5) CHECK(test::first_column(engine, "SELECT full_name FROM rv_users WHERE age = 40") == std::vector<std::string>{"bob"});
  }
  mg::upgrade(engine, revs, "r5");  // nothing to do: r5 is applied
  CHECK(mg::applied(engine).size() == 6);
  CHECK(test::first_column(engine, "SELECT title FROM rv_posts p JOIN rv_users u ON u.id = p.user_id") == std::vector<std::string>{"hello"});
  for (int v = 5; v >= 1; --v) {
    std::string id = "r" + std::to_string(v);
    INFO("downgrade to " << id);
    mg::downgrade(engine, revs, id);
    CHECK(mg::current(engine, revs) == std::vector<std::string>{id});
    CHECK(mg::diff(models(v), engine).describe() == std::vector<std::string>{});
  }
  CHECK(test::first_column(engine, "SELECT name FROM rv_users ORDER BY id") == std::vector<std::string>{"ann", "bob"});
  mg::downgrade(engine, revs, "base");
  CHECK(user_tables(engine) == std::vector<std::string>{});
  CHECK(mg::applied(engine).empty());
  // And up to head in one call.
  mg::upgrade(engine, revs);
  CHECK(mg::current(engine, revs) == std::vector<std::string>{"r6"});
  CHECK(mg::diff(models(6), engine).describe() == std::vector<std::string>{});
  mg::downgrade(engine, revs, "base");
  CHECK(user_tables(engine) == std::vector<std::string>{});
}

TEST_CASE("two heads: upgrade refuses and names them; a merge revision joins them") {
  Engine engine = test::engine();
  empty_database(engine);
  mg::Revisions revs;
  revs.add({.id = "a1", .parents = {}, .message = "t",
            .up = [](mg::Ops& op) { op.create_table("rv_t", Column{"id", Integer{}, primary_key}); },
            .down = [](mg::Ops& op) { op.drop_table("rv_t"); }});
  revs.add({.id = "b1", .parents = {"a1"}, .message = "x",
            .up = [](mg::Ops& op) { op.add_column("rv_t", Column{"x", Integer{}}); },
            .down = [](mg::Ops& op) { op.drop_column("rv_t", "x"); }});
  revs.add({.id = "c1", .parents = {"a1"}, .message = "y",
            .up = [](mg::Ops& op) { op.add_column("rv_t", Column{"y", Integer{}}); },
            .down = [](mg::Ops& op) { op.drop_column("rv_t", "y"); }});
  CHECK(revs.heads() == std::vector<std::string>{"b1", "c1"});
  CHECK_THROWS_WITH_AS(mg::upgrade(engine, revs),
                       "[athanor.revision.multiple_heads] the revisions have 2 heads (b1, c1): merge them with a revision whose "
                       "parents are all of them, e.g. .parents = {\"b1\", \"c1\"}",
                       mg::RevisionError);
  CHECK(mg::current(engine, revs).empty());
  revs.add({.id = "m1", .parents = {"b1", "c1"}, .message = "merge"});
  CHECK(revs.history() == std::vector<std::string>{"b1, c1 -> m1 (head) (merge point), merge", "a1 -> c1, y", "a1 -> b1, x",
                                                   "<base> -> a1, t"});
  mg::upgrade(engine, revs);
  CHECK(mg::current(engine, revs) == std::vector<std::string>{"m1"});
  MetaData md;
  Table{"rv_t", md, Column{"id", Integer{}, primary_key}, Column{"x", Integer{}}, Column{"y", Integer{}}};
  CHECK(mg::diff(md, engine).describe() == std::vector<std::string>{});
  mg::downgrade(engine, revs, "b1");
  CHECK(mg::current(engine, revs) == std::vector<std::string>{"b1"});
  mg::downgrade(engine, revs, "base");
  CHECK(user_tables(engine) == std::vector<std::string>{});
}

TEST_CASE("an applied revision edited since is refused by its checksum") {
  Engine engine = test::engine();
  empty_database(engine);
  auto make = [](bool edited) {
    mg::Revisions revs;
    revs.add({.id = "k1", .parents = {}, .message = "t",
              .up = [edited](mg::Ops& op) {
                if (edited) op.create_table("rv_k", Column{"id", Integer{}, primary_key}, Column{"extra", Integer{}});
                else op.create_table("rv_k", Column{"id", Integer{}, primary_key});
              },
              .down = [](mg::Ops& op) { op.drop_table("rv_k"); }});
    return revs;
  };
  mg::upgrade(engine, make(false));
  auto edited = make(true);
  const Dialect& d = engine.dialect();
  std::string was = make(false).checksum("k1", d), now = edited.checksum("k1", d);
  CHECK(was != now);
  CHECK(mg::applied(engine).at(0).checksum == was);
  CHECK_THROWS_WITH_AS(mg::upgrade(engine, edited),
                       ("[athanor.revision.checksum] revision k1 was applied with checksum " + was + " but its " +
                        std::string(d.display_name()) + " SQL now has checksum " + now +
                        ": an applied revision was edited; undo the edit and write a new revision instead")
                           .c_str(),
                       mg::RevisionError);
  mg::downgrade(engine, make(false), "base");
  CHECK(user_tables(engine) == std::vector<std::string>{});
}

TEST_CASE("a failed step: upgrade stops, reports, and the next upgrade resumes") {
  Engine engine = test::engine();
  empty_database(engine);
  static bool fail = true;
  static int ran = 0;
  mg::Revisions revs;
  revs.add({.id = "f1", .parents = {}, .message = "t",
            .up = [](mg::Ops& op) { op.create_table("rv_f", Column{"id", Integer{}, primary_key}); },
            .down = [](mg::Ops& op) { op.drop_table("rv_f"); }});
  revs.add({.id = "f2", .parents = {"f1"}, .message = "b, a failing step, c",
            .up = [](mg::Ops& op) {
              op.add_column("rv_f", Column{"b", Integer{}});
              op.data("fails once", [](Connection&) {
                ++ran;
                if (fail) throw std::runtime_error("step failed on purpose");
              });
              op.add_column("rv_f", Column{"c", Integer{}});
            },
            .down = [](mg::Ops& op) {
              op.drop_column("rv_f", "c");
              op.drop_column("rv_f", "b");
            }});
  CHECK_THROWS_WITH_AS(mg::upgrade(engine, revs), "step failed on purpose", std::runtime_error);
  auto rows = mg::applied(engine);
  MetaData md;
  if (engine.dialect().capabilities().transactional_ddl) {
    // The failed revision rolled back whole: f1 applied, f2 not, no column b.
    REQUIRE(rows.size() == 1);
    CHECK(rows[0].id == "f1");
    Table{"rv_f", md, Column{"id", Integer{}, primary_key}};
  } else {
    // Each DDL committed by itself: f2 is recorded half applied, one step (ADD COLUMN b) done.
    REQUIRE(rows.size() == 2);
    CHECK((rows[1].id == "f2" && !rows[1].complete && rows[1].steps_done == 1));
    CHECK(mg::current(engine, revs) == std::vector<std::string>{"f1"});
    CHECK_THROWS_WITH_AS(mg::downgrade(engine, revs, "base"),
                         "[athanor.revision.partial] revision f2 is half applied (1 steps done): run upgrade to finish it before downgrading",
                         mg::RevisionError);
    Table{"rv_f", md, Column{"id", Integer{}, primary_key}, Column{"b", Integer{}}};
  }
  CHECK(mg::diff(md, engine).describe() == std::vector<std::string>{});
  fail = false;
  mg::upgrade(engine, revs);  // resumes: b is not added twice
  CHECK(ran == 2);
  CHECK(mg::current(engine, revs) == std::vector<std::string>{"f2"});
  MetaData full;
  Table{"rv_f", full, Column{"id", Integer{}, primary_key}, Column{"b", Integer{}}, Column{"c", Integer{}}};
  CHECK(mg::diff(full, engine).describe() == std::vector<std::string>{});
  mg::downgrade(engine, revs, "base");
  CHECK(user_tables(engine) == std::vector<std::string>{});
}

TEST_CASE("offline SQL is the SQL upgrade() runs") {
  std::string echoed;
  Engine engine = test::engine({.echo = true, .echo_sink = [&](std::string_view line) { echoed += std::string(line) + "\n"; }});
  empty_database(engine);
  auto revs = six();
  std::string offline = mg::upgrade_sql(engine.dialect(), revs);
  echoed.clear();
  mg::upgrade(engine, revs);
  int statements = 0;
  std::size_t at = 0;
  for (std::size_t nl; (nl = offline.find('\n', at)) != std::string::npos; at = nl + 1) {
    std::string line = offline.substr(at, nl - at);
    if (line.empty() || line.starts_with("--") || line == "BEGIN;" || line == "COMMIT;") continue;
    REQUIRE(line.back() == ';');
    line.pop_back();
    INFO(line);
    CHECK(echoed.find(line + "  [0 parameters]") != std::string::npos);
    ++statements;
  }
  CHECK(statements > 12);
  CHECK(offline.find("-- data step: count the backfill") != std::string::npos);
  mg::downgrade(engine, revs, "base");
}

TEST_CASE("autogenerate: the diff as the C++ source of a revision; drops only when allowed") {
  Engine engine = test::engine();
  empty_database(engine);
  auto revs = six();
  mg::Revisions upto5;
  for (auto& r : revs.all())
    if (r.id != "r6") upto5.add(r);
  mg::upgrade(engine, upto5);
  const std::string head =
      "// Revision g7: drop users.age\n"
      "// Written by athanor::migrate::autogenerate: review it (add data steps where rows need them),\n"
      "// then register it: revisions.add(revision_g7());\n#pragma once\n\n#include <athanor/migrate/revision.hpp>\n\n"
      "inline athanor::migrate::Revision revision_g7() {\n  using namespace athanor;\n  return {\n"
      "    .id = \"g7\",\n    .parents = {\"r5\"},\n    .message = \"drop users.age\",\n    .up = [](migrate::Ops& op) {\n";
  // Against the database, and against the revisions' own schema (no connection): the same text.
  auto refused = mg::autogenerate(models(6), engine, upto5, "drop users.age", {}, "g7");
  CHECK(refused.source == head + "      // refused (pass allow_drop to write it): drop column rv_users.age\n"
                                 "    },\n    .down = [](migrate::Ops& op) {\n    },\n  };\n}\n");
  auto allowed = mg::autogenerate(models(6), engine, upto5, "drop users.age", {.allow_drop = true}, "g7");
  const std::string expected = head + "      op.drop_column(\"rv_users\", \"age\");\n"
                                      "    },\n    .down = [](migrate::Ops& op) {\n"
                                      "      op.add_column(\"rv_users\", Column{\"age\", BigInteger{}});\n    },\n  };\n}\n";
  CHECK(allowed.source == expected);
  CHECK(mg::autogenerate(models(6), upto5, engine.dialect(), "drop users.age", {.allow_drop = true}, "g7").source == expected);
  // From nothing: the whole schema as create_table calls.
  mg::Revisions none;
  auto first = mg::autogenerate(models(4), none, engine.dialect(), "initial", {}, "i0");
  CHECK(first.source.find("    .parents = {},\n") != std::string::npos);
  CHECK(first.source.find("      op.create_table(\"rv_users\",\n        Column{\"id\", Integer{}, primary_key},\n"
                          "        Column{\"full_name\", String{40}, nullable(false)},\n") != std::string::npos);
  CHECK(first.source.find("ForeignKeyConstraint{{\"user_id\"}, {\"rv_users.id\"}, {.name = \"fk_rv_posts_user_id_rv_users\"}}") !=
        std::string::npos);
  CHECK(first.source.find("      op.drop_table(\"rv_users\");\n") != std::string::npos);
  mg::downgrade(engine, upto5, "base");
}

TEST_CASE("a revision autogenerate wrote compiles, runs, and leaves nothing to diff") {
  Engine engine = test::engine();
  empty_database(engine);
  MetaData md;
  Table users{"rv_users", md, Column{"id", Integer{}, primary_key}, Column{"full_name", String{40}, nullable(false)},
              Column{"email", String{80}, nullable(false), athanor::index},
              Column{"active", Boolean{}, nullable(false), server_default(true)}, Column{"kind", Enum{"a", "b"}}, Column{"score", Integer{}},
              UniqueConstraint{{"full_name"}, ""}, CheckConstraint{"score >= 0", "ck_rv_users_score"}};
  Table posts{"rv_posts", md, Column{"id", Integer{}, primary_key},
              Column{"user_id", Integer{}, ForeignKey{"rv_users.id", {.on_delete = Action::cascade}}}, Column{"title", String{50}}};
  std::ifstream in(test::env("ATHANOR_SOURCE_ROOT", ".") + "/test/migrate/generated/revision_i0.hpp");
  REQUIRE(in);
  std::stringstream saved;
  saved << in.rdbuf();
  mg::Revisions revs;
  CHECK(mg::autogenerate(md, revs, engine.dialect(), "initial schema", {}, "i0").source == saved.str());
  revs.add(revision_i0());
  mg::upgrade(engine, revs);
  CHECK(mg::diff(md, engine).describe() == std::vector<std::string>{});
  CHECK(mg::autogenerate(md, engine, revs, "nothing", {}, "n1").source.find(".up = [](migrate::Ops& op) {\n    },") != std::string::npos);
  mg::downgrade(engine, revs, "base");
  CHECK(user_tables(engine) == std::vector<std::string>{});
}

namespace {
mg::Revisions concurrent_revisions() {
  mg::Revisions revs;
  revs.add({.id = "c1", .parents = {}, .message = "table",
            .up = [](mg::Ops& op) { op.create_table("rv_c", Column{"id", Integer{}, primary_key}, Column{"code", String{20}}); },
            .down = [](mg::Ops& op) { op.drop_table("rv_c"); }});
  revs.add({.id = "c2", .parents = {"c1"}, .message = "a column, and a unique index built concurrently",
            .up = [](mg::Ops& op) {
              op.add_column("rv_c", Column{"note", String{20}});
              op.create_index("rv_c", Index{"", {"code"}, true}, mg::concurrently);
            },
            .down = [](mg::Ops& op) {
              op.drop_index("rv_c", "ix_rv_c_code", mg::concurrently);
              op.drop_column("rv_c", "note");
            }});
  return revs;
}
bool has_index(Engine& engine, const std::string& name) {
  Inspector in(engine);
  for (auto& ix : in.indexes("rv_c"))
    if (ix.name == name) return true;
  for (auto& u : in.unique_constraints("rv_c"))  // a unique index reflects as one where the backend says so
    if (u.name == name) return true;
  return false;
}
}  // namespace

TEST_CASE("an index built CONCURRENTLY: outside the transaction on PostgreSQL, plain elsewhere; a failure resumes") {
  std::string echoed;
  Engine engine = test::engine({.echo = true, .echo_sink = [&](std::string_view line) { echoed += std::string(line) + "\n"; }});
  empty_database(engine);
  bool pg = engine.dialect().name() == "postgresql";
  auto revs = concurrent_revisions();
  std::string offline = mg::upgrade_sql(engine.dialect(), revs);
  std::string c2 = offline.substr(offline.find("-- revision c2"));
  if (pg) {
    // After the revision's COMMIT, claimed by its version row (steps_done: 1 step done, then 2).
    CHECK(c2.substr(c2.find("COMMIT;\n")) ==
          "COMMIT;\n-- outside the transaction (PostgreSQL refuses CONCURRENTLY inside one)\n"
          "UPDATE \"athanor_version\" SET steps_done = -2 WHERE revision = 'c2' AND steps_done = 1;\n"
          "CREATE UNIQUE INDEX CONCURRENTLY \"ix_rv_c_code\" ON \"rv_c\" (\"code\");\n"
          "UPDATE \"athanor_version\" SET steps_done = 2 WHERE revision = 'c2';\n"
          "UPDATE \"athanor_version\" SET complete = 1 WHERE revision = 'c2';\n");
    CHECK(c2.find("INSERT INTO \"athanor_version\" (revision, checksum, steps_done, complete) VALUES ('c2', ") != std::string::npos);
    CHECK(mg::downgrade_sql(engine.dialect(), revs, "c1").find("-- revision c2 (down): a column, and a unique index built concurrently\n"
                                                               "DROP INDEX CONCURRENTLY IF EXISTS \"ix_rv_c_code\";\nBEGIN;\n") == 0);
  } else {
    CHECK(offline.find("CONCURRENTLY") == std::string::npos);
    INFO(c2);
    CHECK(c2.find("UNIQUE") != std::string::npos);
  }
  // Rows that break the unique index: the concurrent step fails (on PostgreSQL after the
  // transaction committed: the row records 1 step done; the INVALID index it left is dropped).
  mg::upgrade(engine, revs, "c1");
  engine.connect().exec_driver_sql("INSERT INTO rv_c (id, code) VALUES (1, 'a'), (2, 'a')");
  CHECK_THROWS_AS(mg::upgrade(engine, revs), IntegrityError);
  auto rows = mg::applied(engine);
  if (pg) {
    REQUIRE(rows.size() == 2);
    CHECK((rows[1].id == "c2" && !rows[1].complete && rows[1].steps_done == 1));
    CHECK(mg::current(engine, revs) == std::vector<std::string>{"c1"});
    CHECK(!has_index(engine, "ix_rv_c_code"));  // not even INVALID
    CHECK_THROWS_WITH_AS(mg::downgrade(engine, revs, "base"),
                         "[athanor.revision.partial] revision c2 is half applied (1 steps done): run upgrade to finish it before downgrading",
                         mg::RevisionError);
  } else if (engine.dialect().capabilities().transactional_ddl) {
    CHECK(rows.size() == 1);
  }
  engine.connect().exec_driver_sql("DELETE FROM rv_c WHERE id = 2");
  echoed.clear();
  mg::upgrade(engine, revs);  // resumes: the column is not added twice
  CHECK(mg::current(engine, revs) == std::vector<std::string>{"c2"});
  CHECK(has_index(engine, "ix_rv_c_code"));
  MetaData md;
  Table{"rv_c", md, Column{"id", Integer{}, primary_key}, Column{"code", String{20}}, Column{"note", String{20}},
        Index{"ix_rv_c_code", {"code"}, true}};
  CHECK(mg::diff(md, engine).describe() == std::vector<std::string>{});
  if (pg) {
    CHECK(echoed.find("ALTER TABLE") == std::string::npos);
    // An upgrade interrupted while building it (its claim left, an INVALID index left): the
    // next upgrade takes the step back, drops the INVALID index and builds it.
    mg::downgrade(engine, revs, "c1");
    CHECK(!has_index(engine, "ix_rv_c_code"));
    auto conn = engine.connect();
    conn.exec_driver_sql("INSERT INTO rv_c (id, code) VALUES (2, 'a')");
    CHECK_THROWS(conn.exec_driver_sql("CREATE UNIQUE INDEX CONCURRENTLY ix_rv_c_code ON rv_c (code)"));
    conn.exec_driver_sql("DELETE FROM rv_c WHERE id = 2");
    conn.exec_driver_sql("ALTER TABLE rv_c ADD COLUMN note VARCHAR(20)");
    conn.exec_driver_sql("INSERT INTO athanor_version (revision, checksum, steps_done, complete) VALUES ('c2', '" + revs.checksum("c2", engine.dialect()) +
                         "', -2, 0)");
    CHECK(conn.exec_driver_sql("SELECT count(*) FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid WHERE c.relname = 'ix_rv_c_code' "
                               "AND NOT i.indisvalid").all().at(0).get<std::int64_t>(0) == 1);
    CHECK(mg::upgrade(engine, revs) == std::vector<std::string>{"c2"});
    CHECK(mg::current(engine, revs) == std::vector<std::string>{"c2"});
    CHECK(mg::diff(md, engine).describe() == std::vector<std::string>{});
  }
  // Offline SQL is what ran (from c1: each statement appears in the echo).
  mg::downgrade(engine, revs, "c1");
  CHECK(!has_index(engine, "ix_rv_c_code"));
  std::string from_c1 = mg::upgrade_sql(engine.dialect(), revs, "c1");
  echoed.clear();
  mg::upgrade(engine, revs);
  std::size_t at = 0;
  for (std::size_t nl; (nl = from_c1.find('\n', at)) != std::string::npos; at = nl + 1) {
    std::string line = from_c1.substr(at, nl - at);
    if (line.empty() || line.starts_with("--") || line == "BEGIN;" || line == "COMMIT;") continue;
    line.pop_back();
    INFO(line);
    CHECK(echoed.find(line + "  [0 parameters]") != std::string::npos);
  }
  if (pg) CHECK(echoed.find("CREATE UNIQUE INDEX CONCURRENTLY") > echoed.find("COMMIT"));
  mg::downgrade(engine, revs, "base");
  CHECK(user_tables(engine) == std::vector<std::string>{});
}

TEST_CASE("two upgrades at once build a CONCURRENTLY index once (the step is claimed by its version row)") {
  if (test::backend() != "postgresql") return;  // elsewhere the plain statement, under the lock of cli.cpp's test
  Engine e1 = test::engine();
  empty_database(e1);
  Engine e2 = create_engine(test::url());
  auto revs = concurrent_revisions();
  for (int round = 0; round < 3; ++round) {
    INFO("round " << round);
    mg::upgrade(e1, revs, "c1");
    // Enough rows that the index build takes a while, for the other upgrade to find it running.
    e1.connect().exec_driver_sql("INSERT INTO rv_c (id, code) SELECT g, 'x' || g FROM generate_series(1, 100000) g");
    std::string err1, err2;
    std::vector<std::string> ran1, ran2;
    std::thread t1([&] { try { ran1 = mg::upgrade(e1, revs); } catch (const std::exception& x) { err1 = x.what(); } });
    std::thread t2([&] { try { ran2 = mg::upgrade(e2, revs); } catch (const std::exception& x) { err2 = x.what(); } });
    t1.join();
    t2.join();
    CHECK(err1 == "");
    CHECK(err2 == "");
    // Each step ran once (a second ADD COLUMN or CREATE INDEX would have failed): one upgrade
    // may run the transaction and the other the concurrent step, then both return c2.
    CHECK((ran1 == std::vector<std::string>{"c2"} || ran2 == std::vector<std::string>{"c2"}));
    CHECK(mg::current(e1, revs) == std::vector<std::string>{"c2"});
    CHECK(has_index(e1, "ix_rv_c_code"));
    CHECK(e1.connect().exec_driver_sql("SELECT count(*) FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid "
                                       "WHERE c.relname = 'ix_rv_c_code' AND i.indisvalid").all().at(0).get<std::int64_t>(0) == 1);
    mg::downgrade(e1, revs, "base");
  }
}
