// test/migrate/rename_table.cpp — a table renamed by a migration (issue 15: "renames turned
// into drop + add, data lost"). A table with rows, a primary key, an index, a UNIQUE, a CHECK,
// a foreign key to another table and one from another table pointing at it is renamed by a
// revision's op.rename_table: after the upgrade the reflected schema equals the renamed models
// (the diff is empty and every index and constraint has the name create_all would give them),
// the rows are there, and both foreign keys still refuse a violating row; the downgrade brings
// the old names back the same way. Autogenerate writes op.rename_table for a model declaring
// `renamed_from`, proposes the rename when a dropped and an added table have the same columns,
// and writes it once the proposal is accepted; a DROP still needs allow_drop.
#include "support/backend.hpp"
#include "support/printing.hpp"
#include "support/empty_database.hpp"

#include <athanor/migrate/autogenerate.hpp>
#include <athanor/migrate/upgrade.hpp>
#include <athanor/orm.hpp>

using namespace athanor;
namespace mg = athanor::migrate;

namespace {
using test::empty_database;

/// The models before (`renamed` false: rt_users) and after the rename (rt_accounts). `declare`:
/// the renamed table says `renamed_from("rt_users")`.
MetaData models(bool renamed, bool declare = false) {
  MetaData md;
  Table orgs{"rt_orgs", md, Column{"id", Integer{}, primary_key}, Column{"name", String{40}}};
  std::string users = renamed ? "rt_accounts" : "rt_users";
  auto t = std::make_shared<detail::TableData>();
  t->name = users;
  t->columns.push_back(Column{"id", Integer{}, primary_key}.def());
  t->columns.push_back(Column{"org_id", Integer{}, nullable(false), ForeignKey{"rt_orgs.id"}}.def());
  t->columns.push_back(Column{"email", String{80}, nullable(false), unique}.def());
  t->columns.push_back(Column{"name", String{40}, nullable(false), athanor::index}.def());
  t->columns.push_back(Column{"kind", Enum{"staff", "guest"}}.def());  // VARCHAR and CHECK ck_<table>_kind_enum
  t->checks.push_back(CheckConstraint{"name <> ''", ""});
  t->indexes.push_back(Index{"rt_by_org", {"org_id"}});  // a name of its own: it stays
  if (renamed && declare) t->renamed_from = "rt_users";
  Table::finish(*t);
  md.add(t);
  Table posts{"rt_posts", md, Column{"id", Integer{}, primary_key}, Column{"user_id", Integer{}, ForeignKey{users + ".id"}},
              Column{"title", String{50}}};
  return md;
}

mg::Revisions revisions() {
  mg::Revisions revs;
  revs.add({.id = "t1", .parents = {}, .message = "orgs, users, posts",
            .up = [](mg::Ops& op) {
              op.create_table("rt_orgs", Column{"id", Integer{}, primary_key}, Column{"name", String{40}});
              op.create_table("rt_users", Column{"id", Integer{}, primary_key},
                              Column{"org_id", Integer{}, nullable(false), ForeignKey{"rt_orgs.id"}},
                              Column{"email", String{80}, nullable(false), unique}, Column{"name", String{40}, nullable(false), athanor::index},
                              Column{"kind", Enum{"staff", "guest"}}, CheckConstraint{"name <> ''", ""},
                              Index{"rt_by_org", {"org_id"}});
              op.create_table("rt_posts", Column{"id", Integer{}, primary_key}, Column{"user_id", Integer{}, ForeignKey{"rt_users.id"}},
                              Column{"title", String{50}});
            },
            .down = [](mg::Ops& op) {
              op.drop_table("rt_posts");
              op.drop_table("rt_users");
              op.drop_table("rt_orgs");
            }});
  revs.add({.id = "t2", .parents = {"t1"}, .message = "users become accounts",
            .up = [](mg::Ops& op) { op.rename_table("rt_users", "rt_accounts"); },
            .down = [](mg::Ops& op) { op.rename_table("rt_accounts", "rt_users"); }});
  return revs;
}

std::vector<std::string> rows(Engine& engine, const std::string& sql) {
  std::vector<std::string> out;
  auto conn = engine.connect();
  auto result = conn.exec_driver_sql(sql);
  for (auto& row : result.all()) {
    std::string line;
    for (std::size_t i = 0; i < row.size(); ++i) {
      const Value& v = row[i];
      line += i ? "|" : "";
      if (auto* n = std::get_if<std::int64_t>(&v.variant())) line += std::to_string(*n);
      else if (auto* t = std::get_if<std::string>(&v.variant())) line += *t;
      else line += "?";
    }
    out.push_back(line);
  }
  return out;
}

void fill(Engine& engine) {
  auto conn = engine.connect();
  conn.exec_driver_sql("INSERT INTO rt_orgs (id, name) VALUES (1, 'acme'), (2, 'initech')");
  // The keys generated (ids 1 and 2 of fresh tables), so that the sequence is used on PostgreSQL.
  conn.exec_driver_sql("INSERT INTO rt_users (org_id, email, name, kind) VALUES (1, 'ann@x.org', 'ann', 'staff')");
  conn.exec_driver_sql("INSERT INTO rt_users (org_id, email, name, kind) VALUES (2, 'bob@x.org', 'bob', 'guest')");
  conn.exec_driver_sql("INSERT INTO rt_posts (id, user_id, title) VALUES (1, 2, 'hello'), (2, 1, 'again')");
}

/// The database behind `engine` is `md`: the diff (the comparison the six-version walk makes)
/// is empty, and the reflected tables print as the models do, names of indexes and
/// constraints included.
void matches(Engine& engine, const MetaData& md) {
  CHECK(mg::diff(md, engine).describe() == std::vector<std::string>{});
  MetaData reflected;
  std::vector<std::string> names;
  for (auto* t : md.sorted_tables()) names.push_back(t->name);
  reflect(reflected, engine, names);
  CHECK(canonical(reflected, engine.dialect()) == canonical(md, engine.dialect()));
}

/// The rows of the users' table `users` and of the posts, whatever it is called, and both
/// foreign keys still enforced.
void rows_intact(Engine& engine, const std::string& users) {
  CHECK(rows(engine, "SELECT id, org_id, email, name, kind FROM " + users + " ORDER BY id") ==
        std::vector<std::string>{"1|1|ann@x.org|ann|staff", "2|2|bob@x.org|bob|guest"});
  CHECK(rows(engine, "SELECT p.title, u.name FROM rt_posts p JOIN " + users + " u ON u.id = p.user_id ORDER BY p.id") ==
        std::vector<std::string>{"hello|bob", "again|ann"});
  auto conn = engine.connect();
  CHECK_THROWS_AS(conn.exec_driver_sql("INSERT INTO rt_posts (id, user_id, title) VALUES (9, 99, 'orphan')"), IntegrityError);
  CHECK_THROWS_AS(conn.exec_driver_sql("INSERT INTO " + users + " (id, org_id, email, name) VALUES (9, 99, 'z@x.org', 'z')"), IntegrityError);
  CHECK_THROWS_AS(conn.exec_driver_sql("INSERT INTO " + users + " (id, org_id, email, name) VALUES (9, 1, 'ann@x.org', 'z')"), IntegrityError);
  if (engine.dialect().capabilities().check_constraints) {
    CHECK_THROWS_AS(conn.exec_driver_sql("INSERT INTO " + users + " (id, org_id, email, name) VALUES (9, 1, 'z@x.org', '')"), IntegrityError);
    CHECK_THROWS_AS(conn.exec_driver_sql("INSERT INTO " + users + " (id, org_id, email, name, kind) VALUES (9, 1, 'z@x.org', 'z', 'boss')"),
                    IntegrityError);
  }
  CHECK(rows(engine, "SELECT count(*) FROM rt_posts") == std::vector<std::string>{"2"});
}

// The same table in two versions of an ORM model: rt_things was rt_items.
struct RtItemV1 {
  orm::Mapped<int> id;
  orm::Mapped<std::string> label;
  static void configure(orm::Mapper<RtItemV1>& m) {
    m.column<&RtItemV1::id>().primary_key();
    m.column<&RtItemV1::label>().length(40).index();
  }
};
ATHANOR_MODEL(RtItemV1, "rt_items", id, label)
struct RtItemV2 {
  orm::Mapped<int> id;
  orm::Mapped<std::string> label;
  static void configure(orm::Mapper<RtItemV2>& m) {
    m.renamed_from("rt_items");
    m.column<&RtItemV2::id>().primary_key();
    m.column<&RtItemV2::label>().length(40).index();
  }
};
ATHANOR_MODEL(RtItemV2, "rt_things", id, label)

}  // namespace

TEST_CASE("op.rename_table: upgrade renames the table and its convention names, rows and foreign keys kept; downgrade undoes it") {
  Engine engine = test::engine();
  empty_database(engine);
  auto revs = revisions();
  mg::upgrade(engine, revs, "t1");
  fill(engine);
  matches(engine, models(false));

  mg::upgrade(engine, revs, "t2");
  CHECK(mg::current(engine, revs) == std::vector<std::string>{"t2"});
  matches(engine, models(true));
  rows_intact(engine, "rt_accounts");
  {
    Inspector in(engine);
    auto tables = in.table_names();
    CHECK(std::find(tables.begin(), tables.end(), "rt_users") == tables.end());
  }
  if (engine.dialect().name() == "postgresql") {  // what PostgreSQL named after the table follows it
    CHECK(rows(engine, "SELECT conname::text FROM pg_constraint WHERE contype = 'p' AND conrelid = 'rt_accounts'::regclass") ==
          std::vector<std::string>{"rt_accounts_pkey"});
    CHECK(rows(engine, "SELECT pg_get_serial_sequence('rt_accounts', 'id')").at(0).ends_with("rt_accounts_id_seq"));
  }

  mg::downgrade(engine, revs, "t1");
  CHECK(mg::current(engine, revs) == std::vector<std::string>{"t1"});
  matches(engine, models(false));
  rows_intact(engine, "rt_users");

  // Again up and down, now that each name has been used once (PostgreSQL's sequences follow).
  mg::upgrade(engine, revs);
  matches(engine, models(true));
  rows_intact(engine, "rt_accounts");
  {
    auto conn = engine.connect();
    conn.exec_driver_sql("INSERT INTO rt_accounts (org_id, email, name) VALUES (1, 'cy@x.org', 'cy')");  // the key is still generated
    CHECK(rows(engine, "SELECT count(*) FROM rt_accounts") == std::vector<std::string>{"3"});
    conn.exec_driver_sql("DELETE FROM rt_accounts WHERE email = 'cy@x.org'");
  }
  mg::downgrade(engine, revs, "base");
}

TEST_CASE("offline SQL of a table rename, per dialect") {
  Engine engine = test::engine();
  auto revs = revisions();
  std::string sql = mg::upgrade_sql(engine.dialect(), revs);
  INFO(sql);
  std::string d(engine.dialect().name());
  auto has = [&](const std::string& s) { return sql.find(s) != std::string::npos; };
  if (d == "postgresql") {
    CHECK(has("ALTER TABLE \"rt_users\" RENAME TO \"rt_accounts\";"));
    CHECK(has("ALTER SEQUENCE IF EXISTS \"rt_users_id_seq\" RENAME TO \"rt_accounts_id_seq\";"));
    CHECK(has("ALTER INDEX IF EXISTS \"rt_users_pkey\" RENAME TO \"rt_accounts_pkey\";"));
    CHECK(has("ALTER INDEX \"ix_rt_users_name\" RENAME TO \"ix_rt_accounts_name\";"));
    CHECK(has("ALTER TABLE \"rt_accounts\" RENAME CONSTRAINT \"uq_rt_users_email\" TO \"uq_rt_accounts_email\";"));
    CHECK(has("ALTER TABLE \"rt_posts\" RENAME CONSTRAINT \"fk_rt_posts_user_id_rt_users\" TO \"fk_rt_posts_user_id_rt_accounts\";"));
  } else if (d == "mysql") {
    CHECK(has("RENAME TABLE `rt_users` TO `rt_accounts`;"));
    CHECK(has("ALTER TABLE `rt_accounts` RENAME INDEX `ix_rt_users_name` TO `ix_rt_accounts_name`;"));
    CHECK(has("ALTER TABLE `rt_posts` DROP FOREIGN KEY `fk_rt_posts_user_id_rt_users`;"));
  } else {
    // The constraint names live in the CREATE TABLE text: both tables are rebuilt (their indexes with them).
    CHECK(has("PRAGMA legacy_alter_table=OFF;\nALTER TABLE \"rt_users\" RENAME TO \"rt_accounts\";"));
    CHECK(has("CONSTRAINT \"uq_rt_accounts_email\" UNIQUE"));
    CHECK(has("CREATE INDEX \"ix_rt_accounts_name\" ON \"rt_accounts\""));
    CHECK(has("CONSTRAINT \"fk_rt_posts_user_id_rt_accounts\" FOREIGN KEY (\"user_id\") REFERENCES \"rt_accounts\""));
    CHECK(has("PRAGMA foreign_key_check(\"rt_posts\")"));
  }
  CHECK(!has("DROP TABLE \"rt_users\""));
  CHECK(!has("RENAME TO \"rt_by_org"));

  // Against the schema the revisions make (no database: autogenerate --offline, `check`).
  mg::Revisions first;
  first.add(revs.at("t1"));
  auto offline = mg::compare_revisions(models(true, true), first, engine.dialect());
  REQUIRE(!offline.operations.empty());
  CHECK(offline.operations[0].describe() == "rename table rt_users -> rt_accounts");
  CHECK(offline.refused.empty());
  CHECK(mg::compare_revisions(models(true), revs, engine.dialect()).empty());  // at t2, nothing left

  // Mistakes are caught when the revision's steps are computed.
  mg::Revisions bad;
  bad.add({.id = "b1", .parents = {}, .message = "one table",
            .up = [](mg::Ops& op) { op.create_table("rt_a", Column{"id", Integer{}, primary_key}); },
            .down = [](mg::Ops& op) { op.drop_table("rt_a"); }});
  bad.add({.id = "b2", .parents = {"b1"}, .message = "no such table",
            .up = [](mg::Ops& op) { op.rename_table("rt_nope", "rt_b"); }, .down = [](mg::Ops&) {}});
  CHECK_THROWS_WITH_AS(mg::upgrade_sql(engine.dialect(), bad), doctest::Contains("[athanor.revision.unknown_table]"), ArgumentError);
  mg::Revisions taken;
  taken.add({.id = "c1", .parents = {}, .message = "two tables",
             .up = [](mg::Ops& op) {
               op.create_table("rt_a", Column{"id", Integer{}, primary_key});
               op.create_table("rt_b", Column{"id", Integer{}, primary_key});
               op.rename_table("rt_a", "rt_b");
             },
             .down = [](mg::Ops&) {}});
  CHECK_THROWS_WITH_AS(mg::upgrade_sql(engine.dialect(), taken), doctest::Contains("[athanor.revision.table_exists]"), ArgumentError);
}

TEST_CASE("autogenerate: a model's renamed_from gives op.rename_table, not a create and a refused drop") {
  Engine engine = test::engine();
  empty_database(engine);
  models(false).create_all(engine);
  fill(engine);
  auto d = mg::diff(models(true, true), engine);
  REQUIRE(!d.operations.empty());
  CHECK(d.operations[0].describe() == "rename table rt_users -> rt_accounts");
  CHECK(d.refused.empty());
  CHECK(d.proposed_renames.empty());
  for (auto& op : d.operations)
    CHECK((op.kind == mg::Operation::Kind::rename_table || op.kind == mg::Operation::Kind::rename_constraint));
  mg::Revisions none;
  auto rev = mg::detail::write_revision(d, none, "users become accounts", engine.dialect(), "abc");
  INFO(rev.source);
  CHECK(rev.source.find("op.rename_table(\"rt_users\", \"rt_accounts\");") != std::string::npos);
  CHECK(rev.source.find("op.rename_table(\"rt_accounts\", \"rt_users\");") != std::string::npos);
  CHECK(rev.source.find("create_table") == std::string::npos);
  auto conn = engine.connect();
  mg::apply(conn, mg::render(d, engine.dialect()));
  conn.close();
  matches(engine, models(true));
  rows_intact(engine, "rt_accounts");
  empty_database(engine);
}

TEST_CASE("autogenerate: an ORM model's m.renamed_from") {
  Engine engine = test::engine();
  empty_database(engine);
  orm::Registry v1, v2;
  v1.map<RtItemV1>();
  v2.map<RtItemV2>();
  v1.metadata().create_all(engine);
  {
    orm::Session s(engine);
    s.add(RtItemV1{.label = "first"});
    s.add(RtItemV1{.label = "second"});
    s.commit();
  }
  auto d = mg::diff(v2.metadata(), engine);
  CHECK(d.describe() == std::vector<std::string>{"rename table rt_items -> rt_things", "rename index rt_things.ix_rt_items_label -> ix_rt_things_label"});
  auto conn = engine.connect();
  mg::apply(conn, mg::render(d, engine.dialect()));
  conn.close();
  CHECK(mg::diff(v2.metadata(), engine).describe() == std::vector<std::string>{});
  orm::Session s(engine);
  std::vector<std::string> got;
  for (auto& p : s.scalars(orm::select<RtItemV2>().order_by(orm::c<&RtItemV2::id>))) got.push_back(*p->label);
  CHECK(got == std::vector<std::string>{"first", "second"});
  s.close();
  empty_database(engine);
}

TEST_CASE("autogenerate without a declaration: the rename is proposed; accepted, it is written as op.rename_table") {
  Engine engine = test::engine();
  empty_database(engine);
  models(false).create_all(engine);
  fill(engine);
  auto d = mg::diff(models(true), engine);
  // (rt_posts now refers to rt_accounts: its foreign key moves there.)
  CHECK(d.describe() == std::vector<std::string>{"drop foreign key rt_posts.fk_rt_posts_user_id_rt_users", "create table rt_accounts",
                                                 "add foreign key rt_posts.fk_rt_posts_user_id_rt_accounts", "refused: drop table rt_users",
                                                 "proposed: rename table rt_users -> rt_accounts?"});
  // Nothing drops the table without the confirmation.
  auto text = mg::render(d, engine.dialect()).text();
  CHECK(text.find("DROP TABLE \"rt_users\"") == std::string::npos);
  CHECK(text.find("DROP TABLE `rt_users`") == std::string::npos);
  mg::Revisions none;
  auto rev = mg::detail::write_revision(d, none, "users become accounts", engine.dialect(), "abc");
  CHECK(rev.source.find("// proposed: rename table rt_users -> rt_accounts?") != std::string::npos);
  CHECK(rev.source.find("// refused (pass allow_drop to write it): drop table rt_users") != std::string::npos);
  CHECK(rev.source.find("op.drop_table(\"rt_users\")") == std::string::npos);

  REQUIRE(d.proposed_renames.size() == 1);
  CHECK(d.proposed_renames[0] == mg::RenameProposal::of_table("rt_users", "rt_accounts"));
  auto accepted = mg::diff(models(true), engine, {.renames = d.proposed_renames});
  REQUIRE(!accepted.operations.empty());
  CHECK(accepted.operations[0].describe() == "rename table rt_users -> rt_accounts");
  CHECK(accepted.refused.empty());
  auto rev2 = mg::detail::write_revision(accepted, none, "users become accounts", engine.dialect(), "abd");
  CHECK(rev2.source.find("op.rename_table(\"rt_users\", \"rt_accounts\");") != std::string::npos);
  auto conn = engine.connect();
  mg::apply(conn, mg::render(accepted, engine.dialect()));
  conn.close();
  matches(engine, models(true));
  rows_intact(engine, "rt_accounts");
  empty_database(engine);
}

TEST_CASE("a table dropped and another added with other columns: no proposal") {
  Engine engine = test::engine();
  empty_database(engine);
  MetaData a, b;
  Table t1{"rt_old", a, Column{"id", Integer{}, primary_key}, Column{"x", String{10}}};
  Table t2{"rt_new", b, Column{"id", Integer{}, primary_key}, Column{"x", String{20}}};
  a.create_all(engine);
  auto d = mg::diff(b, engine);
  CHECK(d.describe() == std::vector<std::string>{"create table rt_new", "refused: drop table rt_old"});
  empty_database(engine);
}
