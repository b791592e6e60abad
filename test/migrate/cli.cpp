// test/migrate/cli.cpp — the `athanor` command (issue 15, the command): athanor::cli::main
// called with captured output and exit codes on each backend (a walk revision --autogenerate →
// upgrade → current → check → downgrade, with the revisions the command wrote compiled in;
// stamp; a merge of two heads; errors), and the migration lock: two upgrades at once (two
// engines, two threads) apply each revision once.
// The "sqlite" run (in memory) uses a file for the walks: every command opens its own engine,
// and a new in-memory database each time would forget the last command's work.
#include "support/backend.hpp"
#include "support/printing.hpp"
#include "support/empty_database.hpp"
#include "support/first_column.hpp"

#include <athanor/cli.hpp>
#include <athanor/migrate/upgrade.hpp>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <thread>
#include <unistd.h>

// Written by `revision --autogenerate` (the walk below checks that it still writes them so).
#include "generated/c1_users.hpp"
#include "generated/c2_users_email.hpp"

using namespace athanor;
namespace mg = athanor::migrate;

namespace {
using test::empty_database;

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

struct Run {
  int code = 0;
  std::string out, err;
};

/// `athanor ARGS…` for `models` and `revs` (null: the installed program, none).
Run run_cli(const MetaData* models, const mg::Revisions* revs, std::vector<std::string> args) {
  std::vector<const char*> argv{"athanor"};
  for (auto& a : args) argv.push_back(a.c_str());
  std::ostringstream out, err;
  int argc = static_cast<int>(argv.size());
  Run r;
  r.code = models ? athanor::cli::main(argc, argv.data(), *models, *revs, out, err) : athanor::cli::main(argc, argv.data(), out, err);
  r.out = out.str(), r.err = err.str();
  return r;
}

/// The database the commands use: the test's own (a file for in-memory SQLite).
std::string walk_url() {
  if (test::backend() != "sqlite") return test::url();
  static auto path = std::filesystem::temp_directory_path() / ("athanor_migrate_cli_" + std::to_string(::getpid()) + ".db");
  return "sqlite:///" + path.string();
}

/// A directory of its own for the files the commands write.
std::filesystem::path out_dir(const std::string& name) {
  auto d = std::filesystem::temp_directory_path() / ("athanor_cli_" + name + "_" + test::run_name() + "_" + std::to_string(::getpid()));
  std::filesystem::remove_all(d);
  return d;
}

std::string slurp(const std::filesystem::path& p) {
  std::ifstream in(p);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

/// The models: v1 users(id, name); v2 with a nullable email and an index on it.
MetaData models(int v) {
  MetaData md;
  if (v < 1) return md;
  if (v == 1) Table("cl_users", md, Column{"id", Integer{}, primary_key}, Column{"name", String{40}, nullable(false)});
  else Table("cl_users", md, Column{"id", Integer{}, primary_key}, Column{"name", String{40}, nullable(false)}, Column{"email", String{80}},
             Index{"ix_cl_users_email", {"email"}});
  return md;
}

std::vector<std::string> user_tables(const std::string& url) {
  auto engine = create_engine(url);
  std::vector<std::string> out;
  for (auto& n : Inspector(engine).table_names())
    if (n != mg::version_table) out.push_back(n);
  return out;
}

void reset(const std::string& url) {
  auto engine = create_engine(url);
  empty_database(engine);
}

}  // namespace

TEST_CASE("cli: usage, help and typed errors, with their exit codes") {
  mg::Revisions none;
  auto md = models(1);
  auto r = run_cli(nullptr, nullptr, {});
  CHECK(r.code == 2);
  CHECK(r.err.rfind("error: [athanor.cli.usage] no command given\n", 0) == 0);
  r = run_cli(nullptr, nullptr, {"--help"});
  CHECK(r.code == 0);
  for (auto* c : {"revision", "upgrade", "downgrade", "current", "history", "heads", "merge", "check", "stamp", "inspect", "codegen"})
    CHECK(r.out.find("\n  " + std::string(c) + " ") != std::string::npos);
  CHECK(r.out.find("need a program of the application's own") != std::string::npos);
  r = run_cli(&md, &none, {"upgrade", "-h"});
  CHECK(r.code == 0);
  CHECK(r.out.rfind("usage: athanor upgrade [TARGET] [--sql [--from REV]]\n", 0) == 0);
  CHECK(run_cli(&md, &none, {"frobnicate"}).code == 2);
  r = run_cli(&md, &none, {"downgrade"});
  CHECK(r.code == 2);
  CHECK(r.err.rfind("error: [athanor.cli.usage] downgrade needs an argument", 0) == 0);
  r = run_cli(&md, &none, {"upgrade", "--bogus"});
  CHECK(r.code == 2);
  CHECK(r.err.rfind("error: [athanor.cli.usage] upgrade takes no --bogus\n", 0) == 0);
  CHECK(run_cli(&md, &none, {"revision", "--autogenerate"}).code == 2);  // no -m
  CHECK(run_cli(&md, &none, {"current", "a", "b"}).code == 2);
  CHECK(run_cli(&md, &none, {"upgrade", "--url"}).code == 2);             // --url without its value
  CHECK(run_cli(&md, &none, {"revision", "-m", "x", "--rev-id", "a-b"}).code == 2);
  // Typed errors: one line, exit 1.
  r = run_cli(&md, &none, {"current", "--url", "nonsense://x"});
  CHECK(r.code == 1);
  CHECK(r.err == "error: [athanor.argument.url] malformed database URL: unknown backend 'nonsense' (use sqlite, postgresql or mysql)\n");
  r = run_cli(&md, &none, {"current", "--url", "postgresql://ann:s3cr3t@127.0.0.1:1/db"});
  CHECK(r.code == 1);
#if ATHANOR_WITH_POSTGRESQL
  CHECK(r.err.rfind("error: [athanor.operational.connect] cannot connect to PostgreSQL at 127.0.0.1:1", 0) == 0);
#endif
  CHECK(r.err.find("s3cr3t") == std::string::npos);
  CHECK(std::count(r.err.begin(), r.err.end(), '\n') == 1);
  // Commands that need models, revisions or a database say so.
  r = run_cli(nullptr, nullptr, {"check"});
  CHECK(r.code == 1);
  CHECK(r.err.rfind("error: [athanor.cli.no_models] check needs the application's models", 0) == 0);
  r = run_cli(nullptr, nullptr, {"revision", "--autogenerate", "-m", "x", "--url", walk_url()});
  CHECK(r.err.rfind("error: [athanor.cli.no_models] revision --autogenerate needs", 0) == 0);
  for (auto* c : {"upgrade", "heads", "stamp"}) {
    r = run_cli(nullptr, nullptr, {c, "--url", walk_url()});
    INFO(c);
    CHECK(r.code == 1);
    CHECK(r.err.rfind("error: [athanor.cli.no_revisions] " + std::string(c) + " needs the application's revisions", 0) == 0);
  }
  r = run_cli(nullptr, nullptr, {"current", "--url", "sqlite://"});
  CHECK(r.code == 0);
  CHECK(r.out == "base (no revision applied)\n");
  CHECK(r.err == "warning: sqlite:// is an in-memory database: it lives only as long as this command\n");
  // The installed program's offline upgrade: the version table's DDL.
  r = run_cli(nullptr, nullptr, {"upgrade", "--sql", "--dialect", "mariadb"});
  CHECK(r.code == 0);
  CHECK(r.out.rfind("CREATE TABLE IF NOT EXISTS `athanor_version` (", 0) == 0);
  CHECK(r.out.find("\n-- this program registers no revisions\n") != std::string::npos);
  CHECK(run_cli(nullptr, nullptr, {"upgrade", "--sql", "--dialect", "oracle"}).code == 2);
  // revision without --autogenerate: an empty one on the head, for steps written by hand.
  mg::Revisions one;
  one.add(revision_c1());
  auto dir = out_dir("empty");
  r = run_cli(&md, &one, {"revision", "-m", "Fix the data!", "--rev-id", "e1", "--out", dir.string()});
  CHECK(r.code == 0);
  auto text = slurp(dir / "e1_fix_the_data.hpp");
  CHECK(text.find("    .parents = {\"c1\"},\n    .message = \"Fix the data!\",\n    .up = [](migrate::Ops& op) {\n    },\n") != std::string::npos);
  std::filesystem::remove_all(dir);
  if (!std::getenv("ATHANOR_URL")) {
    r = run_cli(nullptr, nullptr, {"codegen"});
    CHECK(r.code == 1);
    CHECK(r.err == "error: [athanor.cli.no_url] codegen needs a database: pass --url URL or set ATHANOR_URL\n");
  }
}

TEST_CASE("cli: a walk from the first model to an applied change and back") {
  const std::string url = walk_url();
  reset(url);
  auto dir = out_dir("walk");
  auto generated = std::string(test::env("ATHANOR_SOURCE_ROOT", ".")) + "/test/migrate/generated/";
  mg::Revisions revs;
  auto v1 = models(1), v2 = models(2);
  const Dialect& d = create_engine(url).dialect();

  // No revision yet: check fails, and names what is missing.
  auto r = run_cli(&v1, &revs, {"check", "--url", url});
  CHECK(r.code == 1);
  CHECK(r.out == "  create table cl_users\n");
  CHECK(r.err == "error: [athanor.cli.check] the models differ from the revisions at base (1 change): write a revision with "
                 "`revision --autogenerate -m MESSAGE`\n");

  // revision --autogenerate against the (empty) database writes c1; the file checked in is it.
  r = run_cli(&v1, &revs, {"revision", "--autogenerate", "-m", "users", "--rev-id", "c1", "--out", dir.string(), "--url", url});
  CHECK(r.code == 0);
  CHECK(r.err == "");
  CHECK(r.out == "  create table cl_users\nwrote " + (dir / "c1_users.hpp").string() +
                     "\nreview it, include it and register it: revisions.add(revision_c1());\n");
  CHECK(slurp(dir / "c1_users.hpp") == slurp(generated + "c1_users.hpp"));
  // Written again: refused, the file is there.
  r = run_cli(&v1, &revs, {"revision", "--autogenerate", "-m", "users", "--rev-id", "c1", "--out", dir.string(), "--url", url});
  CHECK(r.code == 1);
  CHECK(r.err.rfind("error: [athanor.cli.exists] ", 0) == 0);
  revs.add(revision_c1());

  // upgrade: progress lines and a summary.
  r = run_cli(&v1, &revs, {"upgrade", "--url", url});
  CHECK(r.code == 0);
  CHECK(r.out.rfind("[1/1] upgrade c1: users\n[1/1] upgrade c1: done in ", 0) == 0);
  CHECK(r.out.find("\nupgraded 1 revision in ") != std::string::npos);
  CHECK(r.out.substr(r.out.size() - 14) == "; current: c1\n");
  CHECK(user_tables(url) == std::vector<std::string>{"cl_users"});
  CHECK(run_cli(&v1, &revs, {"current", "--url", url}).out == "c1 (head): users\n");
  r = run_cli(&v1, &revs, {"upgrade", "--url", url});
  CHECK(r.out == "nothing to upgrade; current: c1\n");
  r = run_cli(&v1, &revs, {"check", "--url", url});
  CHECK(r.code == 0);
  CHECK(r.out == "the models and the revisions agree (head: c1)\n");

  // The models change: check fails; the database is at the head, so autogenerate may run.
  r = run_cli(&v2, &revs, {"check", "--url", url});
  CHECK(r.code == 1);
  CHECK(r.out == "  add column cl_users.email\n  create index cl_users.ix_cl_users_email\n");
  r = run_cli(&v2, &revs, {"revision", "--autogenerate", "-m", "users.email", "--rev-id", "c2", "--out", dir.string(), "--url", url});
  CHECK(r.code == 0);
  CHECK(slurp(dir / "c2_users_email.hpp") == slurp(generated + "c2_users_email.hpp"));
  // The same revision offline, from the revisions alone.
  auto offline = out_dir("walk_offline");
  r = run_cli(&v2, &revs, {"revision", "--autogenerate", "--offline", "-m", "users.email", "--rev-id", "c2", "--out", offline.string(), "--url", url});
  CHECK(r.code == 0);
  CHECK(slurp(offline / "c2_users_email.hpp") == slurp(generated + "c2_users_email.hpp"));
  revs.add(revision_c2());
  CHECK(run_cli(&v2, &revs, {"check", "--url", url}).code == 0);
  // autogenerate needs the database at the head.
  r = run_cli(&v2, &revs, {"revision", "--autogenerate", "-m", "more", "--out", dir.string(), "--url", url});
  CHECK(r.code == 1);
  CHECK(r.err == "error: [athanor.cli.not_up_to_date] the database is at c1, not at the head c2: run upgrade first (autogenerate "
                 "compares the models with the database)\n");

  // Offline SQL, as the library writes it.
  r = run_cli(&v2, &revs, {"upgrade", "--sql", "--url", url});
  CHECK(r.code == 0);
  CHECK(r.out == mg::upgrade_sql(d, revs));
  CHECK(run_cli(&v2, &revs, {"upgrade", "c2", "--sql", "--from", "c1", "--url", url}).out == mg::upgrade_sql(d, revs, "c1", "c2"));
  r = run_cli(&v2, &revs, {"downgrade", "base", "--sql", "--dialect", "postgresql"});
  CHECK(r.out.find("-- revision c2 (down): users.email\n") == 0);
  CHECK(r.out.find("DROP TABLE \"cl_users\"") != std::string::npos);

  r = run_cli(&v2, &revs, {"upgrade", "--url", url, "--echo"});
  CHECK(r.code == 0);
  CHECK(r.out.find("[1/1] upgrade c2: users.email\n") == 0);
  CHECK(r.err.find("ix_cl_users_email") != std::string::npos);  // the SQL, echoed
  CHECK(run_cli(&v2, &revs, {"current", "--url", url}).out == "c2 (head): users.email\n");
  CHECK(mg::diff(v2, *std::make_unique<Engine>(create_engine(url))).empty());
  r = run_cli(&v2, &revs, {"history", "--url", url});
  CHECK(r.out == "c1 -> c2 (head), users.email [applied]\n<base> -> c1, users [applied]\n");
  CHECK(run_cli(&v2, &revs, {"heads"}).out == "c2 (head): users.email\n");
  // The installed program (no revisions) reads the version table.
  r = run_cli(nullptr, nullptr, {"history", "--url", url});
  CHECK(r.out == "c1  checksum " + revs.checksum("c1", d) + "\nc2  checksum " + revs.checksum("c2", d) + "\n");
  CHECK(run_cli(nullptr, nullptr, {"current", "--url", url}).out == "applied: c1, c2 (the heads among them need the application's revisions)\n");
  r = run_cli(nullptr, nullptr, {"inspect", url});
  CHECK(r.code == 0);
  CHECK(r.out.find("table cl_users\n  column id ") != std::string::npos);
  CHECK(r.out.find("  column email ") != std::string::npos);
  CHECK(r.out.rfind("-- " + URL::parse(url).render(true) + " (", 0) == 0);
  if (auto pw = URL::parse(url).password; !pw.empty()) {  // never printed, nor echoed
    CHECK(r.out.find(pw) == std::string::npos);
    auto e = run_cli(nullptr, nullptr, {"inspect", url, "--echo"});
    CHECK(e.err.find(pw) == std::string::npos);
    CHECK(e.out.find(pw) == std::string::npos);
  }

  // codegen: what the library writes for the same options, the URL's password hidden.
  {
    Engine engine = create_engine(url);
    r = run_cli(nullptr, nullptr, {"codegen", url, "--namespace", "app::db", "--tables", "cl_users"});
    CHECK(r.code == 0);
    CHECK(r.out == mg::codegen(engine, {.namespace_ = "app::db", .tables = {"cl_users"}}));
    CHECK(r.out.find("namespace app::db {") != std::string::npos);
    CHECK(r.out.find("struct ClUsers") != std::string::npos);
    r = run_cli(nullptr, nullptr, {"codegen", url, "--exclude", "cl_users", "--no-relationships"});
    CHECK(r.code == 0);
    CHECK(r.out == mg::codegen(engine, {.exclude_tables = {"cl_users"}, .relationships = false}));
    CHECK(r.out.find("cl_users") == std::string::npos);
    if (auto pw = URL::parse(url).password; !pw.empty()) CHECK(r.out.find(pw) == std::string::npos);
  }

  // Downgrade one revision, then all.
  r = run_cli(&v2, &revs, {"downgrade", "c1", "--url", url});
  CHECK(r.code == 0);
  CHECK(r.out.rfind("[1/1] downgrade c2: users.email\n[1/1] downgrade c2: done in ", 0) == 0);
  CHECK(r.out.find("\ndowngraded 1 revision in ") != std::string::npos);
  CHECK(run_cli(&v2, &revs, {"current", "--url", url}).out == "c1: users\n");
  CHECK(migrate::diff(v1, *std::make_unique<Engine>(create_engine(url))).empty());
  r = run_cli(&v2, &revs, {"downgrade", "nope", "--url", url});
  CHECK(r.code == 1);
  CHECK(r.err == "error: [athanor.revision.unknown] no revision 'nope' is registered\n");
  r = run_cli(&v2, &revs, {"upgrade", "nope", "--url", url});
  CHECK(r.code == 1);
  CHECK(r.err == "error: [athanor.revision.unknown] no revision 'nope' is registered\n");
  r = run_cli(&v2, &revs, {"downgrade", "base", "--url", url});
  CHECK(r.code == 0);
  CHECK(r.out.substr(r.out.size() - 16) == "; current: base\n");
  CHECK(run_cli(&v2, &revs, {"current", "--url", url}).out == "base (no revision applied)\n");
  CHECK(user_tables(url).empty());
  std::filesystem::remove_all(dir);
  std::filesystem::remove_all(offline);
}

TEST_CASE("cli: stamp, and an edited revision's checksum accepted") {
  const std::string url = walk_url();
  reset(url);
  mg::Revisions revs;
  revs.add(revision_c1());
  revs.add(revision_c2());
  auto v1 = models(1), v2 = models(2);
  // A database made without revisions, at c1's schema: stamp records c1, runs nothing.
  create_engine(url).create_all(v1);
  auto r = run_cli(&v2, &revs, {"stamp", "c1", "--url", url});
  CHECK(r.code == 0);
  CHECK(r.out == "recorded as applied: c1\ncurrent: c1\n");
  CHECK(user_tables(url) == std::vector<std::string>{"cl_users"});
  r = run_cli(&v2, &revs, {"upgrade", "--url", url});
  CHECK(r.code == 0);
  CHECK(r.out.find("upgraded 1 revision") != std::string::npos);
  CHECK(migrate::diff(v2, *std::make_unique<Engine>(create_engine(url))).empty());
  CHECK(run_cli(&v2, &revs, {"stamp"}).code == 2);

  // c2 edited after it ran: refused by checksum; stamp --accept-checksum records the new one.
  mg::Revisions edited;
  edited.add(revision_c1());
  auto c2 = revision_c2();
  c2.up = [](mg::Ops& op) {
    op.add_column("cl_users", Column{"email", String{80}});
    op.create_index("cl_users", Index{"ix_cl_users_email", {"email"}, true});
  };
  edited.add(c2);
  r = run_cli(&v2, &edited, {"upgrade", "--url", url});
  CHECK(r.code == 1);
  CHECK(r.err.rfind("error: [athanor.revision.checksum] revision c2 was applied with checksum ", 0) == 0);
  r = run_cli(&v2, &edited, {"stamp", "--accept-checksum", "--url", url});
  CHECK(r.code == 0);
  CHECK(r.out == "checksum accepted: c2\ncurrent: c2\n");
  r = run_cli(&v2, &edited, {"upgrade", "--url", url});
  CHECK(r.code == 0);
  CHECK(r.out == "nothing to upgrade; current: c2\n");
  // stamp base forgets every row (the schema stays).
  r = run_cli(&v2, &edited, {"stamp", "base", "--url", url});
  CHECK(r.out == "recorded as not applied: c1, c2\ncurrent: base\n");
  CHECK(user_tables(url) == std::vector<std::string>{"cl_users"});
  reset(url);
}

TEST_CASE("cli: two heads are reported, refused by upgrade, and merged") {
  const std::string url = walk_url();
  reset(url);
  auto dir = out_dir("merge");
  mg::Revisions revs;
  revs.add(revision_c1());
  revs.add({.id = "b1", .parents = {"c1"}, .message = "branch one",
            .up = [](mg::Ops& op) { op.add_column("cl_users", Column{"one", Integer{}}); },
            .down = [](mg::Ops& op) { op.drop_column("cl_users", "one"); }});
  revs.add({.id = "b2", .parents = {"c1"}, .message = "branch two",
            .up = [](mg::Ops& op) { op.add_column("cl_users", Column{"two", Integer{}}); },
            .down = [](mg::Ops& op) { op.drop_column("cl_users", "two"); }});
  auto md = models(1);
  auto r = run_cli(&md, &revs, {"heads"});
  CHECK(r.out == "b1 (head): branch one\nb2 (head): branch two\n2 heads: join them with `merge -m MESSAGE b1 b2`\n");
  r = run_cli(&md, &revs, {"upgrade", "--url", url});
  CHECK(r.code == 1);
  CHECK(r.err.rfind("error: [athanor.revision.multiple_heads] the revisions have 2 heads (b1, b2)", 0) == 0);
  r = run_cli(&md, &revs, {"merge", "-m", "join the branches", "--rev-id", "m1", "--out", dir.string()});
  CHECK(r.code == 0);
  CHECK(r.out.rfind("merging b1, b2\nwrote " + (dir / "m1_join_the_branches.hpp").string() + "\n", 0) == 0);
  auto text = slurp(dir / "m1_join_the_branches.hpp");
  CHECK(text.find("inline athanor::migrate::Revision revision_m1() {") != std::string::npos);
  CHECK(text.find("    .parents = {\"b1\", \"b2\"},\n") != std::string::npos);
  CHECK(text.find("    .up = [](migrate::Ops& op) {\n    },\n") != std::string::npos);
  CHECK(run_cli(&md, &revs, {"merge", "-m", "x", "c1"}).code == 1);   // one parent is no merge
  CHECK(run_cli(&md, &revs, {"merge", "-m", "x", "b1", "zz"}).err == "error: [athanor.revision.unknown] no revision 'zz' is registered\n");
  revs.add({.id = "m1", .parents = {"b1", "b2"}, .message = "join the branches"});  // what the file says
  CHECK(run_cli(&md, &revs, {"heads"}).out == "m1 (head): join the branches\n");
  r = run_cli(&md, &revs, {"upgrade", "--url", url});
  CHECK(r.code == 0);
  CHECK(r.out.find("[4/4] upgrade m1: join the branches\n") != std::string::npos);
  CHECK(r.out.find("upgraded 4 revisions in ") != std::string::npos);
  CHECK(run_cli(&md, &revs, {"current", "--url", url}).out == "m1 (head): join the branches\n");
  r = run_cli(&md, &revs, {"downgrade", "b1", "--url", url});
  CHECK(r.code == 0);
  CHECK(r.out.find("downgraded 2 revisions") != std::string::npos);
  CHECK(run_cli(&md, &revs, {"current", "--url", url}).out == "b1: branch one\n");
  reset(url);
  std::filesystem::remove_all(dir);
}

TEST_CASE("migration lock: two upgrades at once apply each revision once") {
  Engine e1 = test::engine();
  empty_database(e1);
  // In-memory SQLite is one connection: the second engine would be another database.
  Engine e2 = test::backend() == "sqlite" ? e1 : create_engine(test::url());
  auto revs = slow_revisions();
  for (int round = 0; round < 2; ++round) {
    INFO("round " << round);
    std::string err1, err2;
    std::vector<std::string> ran1, ran2;
    auto run = [&](Engine& e, std::string& err) {
      try {
        (&e == &e1 ? ran1 : ran2) = mg::upgrade(e, revs);
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
    // Between them, each revision ran once.
    auto both = ran1;
    both.insert(both.end(), ran2.begin(), ran2.end());
    std::sort(both.begin(), both.end());
    CHECK(both == std::vector<std::string>{"l1", "l2", "l3"});
    CHECK(test::first_column(e1, "SELECT rev FROM lk_log ORDER BY rev") == std::vector<std::string>{"l1", "l2", "l3"});
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

TEST_CASE("migration lock on MariaDB: a lock row of a live connection is waited for, a dead one's taken over") {
  if (test::backend() != "mysql") return;  // elsewhere the server's own locks, released with the transaction
  Engine engine = test::engine();
  empty_database(engine);
  auto revs = slow_revisions();
  mg::upgrade(engine, revs, "l1");
  // Another connection holds the lock (the row names it): upgrade waits, then gives up.
  auto holder = engine.connect();
  holder.exec_driver_sql("INSERT INTO athanor_version (revision, checksum, steps_done, complete) VALUES ('athanor:lock', 'feedfacefeedface', CONNECTION_ID(), 0)");
  mg::RunOptions quick;
  quick.lock_wait = std::chrono::milliseconds(300);
  CHECK_THROWS_WITH_AS(mg::upgrade(engine, revs, "head", quick),
                       doctest::Contains("[athanor.revision.locked] another upgrade (connection "), mg::RevisionError);
  CHECK(mg::current(engine, revs) == std::vector<std::string>{"l1"});
  CHECK(mg::applied(engine).size() == 1);  // the lock row is not a revision
  // Its connection gone (a killed upgrade): the row is stale, the next upgrade takes it over.
  holder.exec_driver_sql("UPDATE athanor_version SET steps_done = 999999999 WHERE revision = 'athanor:lock'");
  CHECK(mg::upgrade(engine, revs, "head", quick) == std::vector<std::string>{"l2", "l3"});
  CHECK(test::first_column(engine, "SELECT revision FROM athanor_version ORDER BY revision") == std::vector<std::string>{"l1", "l2", "l3"});
  mg::downgrade(engine, revs, "base");
}

TEST_CASE("revision --autogenerate: a column added with index and unique gets each once") {
  const std::string url = walk_url();
  reset(url);
  auto dir = out_dir("flags");
  mg::Revisions revs;
  revs.add({.id = "f1", .parents = {}, .message = "flags",
            .up = [](mg::Ops& op) { op.create_table("cl_flags", Column{"id", Integer{}, primary_key}); },
            .down = [](mg::Ops& op) { op.drop_table("cl_flags"); }});
  MetaData md;
  Table("cl_flags", md, Column{"id", Integer{}, primary_key}, Column{"code", String{10}, unique}, Column{"tag", String{10}, athanor::index});
  auto r = run_cli(&md, &revs, {"revision", "--autogenerate", "--offline", "-m", "codes", "--rev-id", "f2", "--out", dir.string(), "--url", url});
  CHECK(r.code == 0);
  auto text = slurp(dir / "f2_codes.hpp");
  // The calls below are the ones written (checked here), run as they are.
  CHECK(text.find("    .up = [](migrate::Ops& op) {\n"
                  "      op.add_column(\"cl_flags\", Column{\"code\", String{10}});\n"
                  "      op.add_column(\"cl_flags\", Column{\"tag\", String{10}});\n"
                  "      op.create_index(\"cl_flags\", Index{\"ix_cl_flags_tag\", {\"tag\"}});\n"
                  "      op.add_unique(\"cl_flags\", UniqueConstraint{{\"code\"}, \"uq_cl_flags_code\"});\n"
                  "    },\n") != std::string::npos);
  INFO(text);
  revs.add({.id = "f2", .parents = {"f1"}, .message = "codes",
            .up = [](mg::Ops& op) {
              op.add_column("cl_flags", Column{"code", String{10}});
              op.add_column("cl_flags", Column{"tag", String{10}});
              op.create_index("cl_flags", Index{"ix_cl_flags_tag", {"tag"}});
              op.add_unique("cl_flags", UniqueConstraint{{"code"}, "uq_cl_flags_code"});
            },
            .down = [](mg::Ops& op) {
              op.drop_unique("cl_flags", "uq_cl_flags_code");
              op.drop_index("cl_flags", "ix_cl_flags_tag");
              op.drop_column("cl_flags", "tag");
              op.drop_column("cl_flags", "code");
            }});
  CHECK(text.find("    .down = [](migrate::Ops& op) {\n"
                  "      op.drop_unique(\"cl_flags\", \"uq_cl_flags_code\");\n"
                  "      op.drop_index(\"cl_flags\", \"ix_cl_flags_tag\");\n"
                  "      op.drop_column(\"cl_flags\", \"tag\");\n"
                  "      op.drop_column(\"cl_flags\", \"code\");\n"
                  "    },\n") != std::string::npos);
  CHECK(run_cli(&md, &revs, {"check", "--url", url}).code == 0);
  r = run_cli(&md, &revs, {"upgrade", "--url", url});
  CHECK(r.code == 0);
  CHECK(r.err == "");
  auto engine = create_engine(url);
  CHECK(mg::diff(md, engine).describe() == std::vector<std::string>{});
  r = run_cli(&md, &revs, {"downgrade", "f1", "--url", url});
  CHECK(r.code == 0);
  CHECK(r.err == "");
  reset(url);
  std::filesystem::remove_all(dir);
}

TEST_CASE("revision --autogenerate --rename: a proposed table and column rename accepted from the command line") {
  const std::string url = walk_url();
  reset(url);
  auto dir = out_dir("rename");
  mg::Revisions revs;
  revs.add({.id = "n1", .parents = {}, .message = "old names",
            .up = [](mg::Ops& op) {
              op.create_table("cl_old", Column{"id", Integer{}, primary_key}, Column{"label", String{20}});
              op.create_table("cl_keep", Column{"id", Integer{}, primary_key}, Column{"age", Integer{}});
            },
            .down = [](mg::Ops& op) {
              op.drop_table("cl_keep");
              op.drop_table("cl_old");
            }});
  MetaData md;
  Table("cl_new", md, Column{"id", Integer{}, primary_key}, Column{"label", String{20}});
  Table("cl_keep", md, Column{"id", Integer{}, primary_key}, Column{"years", Integer{}});
  auto gen = [&](std::vector<std::string> extra) {
    std::vector<std::string> args{"revision", "--autogenerate", "--offline", "-m", "new names", "--rev-id", "n2", "--out", dir.string(), "--url", url};
    args.insert(args.end(), extra.begin(), extra.end());
    std::filesystem::remove_all(dir);
    return run_cli(&md, &revs, args);
  };
  // Without --rename: the renames are proposed, with the option that accepts each.
  auto r = gen({});
  CHECK(r.code == 0);
  INFO(r.out);
  CHECK(r.out.find("  proposed: rename table cl_old -> cl_new?\n") != std::string::npos);
  CHECK(r.out.find("  proposed: rename column cl_keep.age -> years?\n") != std::string::npos);
  CHECK(r.out.find("  (to accept: --rename cl_old:cl_new)\n") != std::string::npos);
  CHECK(r.out.find("  (to accept: --rename cl_keep.age:years)\n") != std::string::npos);
  CHECK(slurp(dir / "n2_new_names.hpp").find("op.rename_table") == std::string::npos);
  // Accepted: the revision renames, and running it leaves the models' schema with the rows.
  r = gen({"--rename", "cl_old:cl_new,cl_keep.age:years"});
  CHECK(r.code == 0);
  CHECK(r.out.find("proposed:") == std::string::npos);
  auto text = slurp(dir / "n2_new_names.hpp");
  INFO(text);
  CHECK(text.find("op.rename_table(\"cl_old\", \"cl_new\");") != std::string::npos);
  CHECK(text.find("op.rename_column(\"cl_keep\", \"age\", \"years\");") != std::string::npos);
  CHECK(text.find("drop_table") == std::string::npos);
  revs.add({.id = "n2", .parents = {"n1"}, .message = "new names",
            .up = [](mg::Ops& op) {
              op.rename_table("cl_old", "cl_new");
              op.rename_column("cl_keep", "age", "years");
            },
            .down = [](mg::Ops& op) {
              op.rename_column("cl_keep", "years", "age");
              op.rename_table("cl_new", "cl_old");
            }});
  CHECK(run_cli(&md, &revs, {"check", "--url", url}).code == 0);
  REQUIRE(run_cli(&md, &revs, {"upgrade", "n1", "--url", url}).code == 0);
  create_engine(url).connect().exec_driver_sql("INSERT INTO cl_old (id, label) VALUES (1, 'kept')");
  r = run_cli(&md, &revs, {"upgrade", "--url", url});
  CHECK(r.code == 0);
  CHECK(r.err == "");
  auto engine = create_engine(url);
  CHECK(mg::diff(md, engine).describe() == std::vector<std::string>{});
  CHECK(test::first_column(engine, "SELECT label FROM cl_new") == std::vector<std::string>{"kept"});
  // A malformed list is a usage error (exit code 2).
  r = gen({"--rev-id", "n3", "--rename", "cl_old"});
  CHECK(r.code == 2);
  CHECK(r.err.find("--rename takes OLD:NEW") != std::string::npos);
  reset(url);
  std::filesystem::remove_all(dir);
}
