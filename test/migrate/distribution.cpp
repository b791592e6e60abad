// test/migrate/distribution.cpp — what a schema needs on Citus and Galera (issue 18). No Citus
// package exists for Debian 12, so the multi-tenant models below are checked as Citus would
// check them, made on the backend under test (their composite keys enforced by a real server),
// and the statements that would distribute them are checked as text. Galera: every table has
// a primary key, and athanor's own SQL takes no lock that Galera does not replicate.
#include "orm/models.hpp"
#include "support/backend.hpp"

#include <athanor/dialect/postgresql.hpp>
#include <athanor/migrate/distribution.hpp>

#include <filesystem>
#include <fstream>
#include <sstream>

namespace tenants {
namespace orm = athanor::orm;
using orm::Mapped;

struct Country {  // small and read everywhere: a reference table
  Mapped<std::string> code;
  Mapped<std::string> name;
  static void configure(orm::Mapper<Country>& m) {
    m.column<&Country::code>().primary_key().length(2);
    m.column<&Country::name>().length(60);
  }
};
struct Project {  // distributed by tenant_id: the key starts with it
  Mapped<int> tenant_id;
  Mapped<int> id;
  Mapped<std::string> name;
  Mapped<std::string> country;
  static void configure(orm::Mapper<Project>& m) {
    m.column<&Project::tenant_id>().primary_key();
    m.column<&Project::id>().primary_key().autoincrement(false);
    m.column<&Project::name>().length(80);
    m.column<&Project::country>().length(2).foreign_key("countries.code");
    m.unique({"tenant_id", "name"});
  }
};
struct Task {
  Mapped<int> tenant_id;
  Mapped<int> id;
  Mapped<int> project_id;
  Mapped<std::string> title;
  static void configure(orm::Mapper<Task>& m) {
    m.column<&Task::tenant_id>().primary_key();
    m.column<&Task::id>().primary_key().autoincrement(false);
    m.column<&Task::title>().length(80);
    m.foreign_key({"tenant_id", "project_id"}, {"projects.tenant_id", "projects.id"}, {.on_delete = orm::Action::cascade});
  }
};
ATHANOR_MODEL(Country, "countries", code, name)
ATHANOR_MODEL(Project, "projects", tenant_id, id, name, country)
ATHANOR_MODEL(Task, "tasks", tenant_id, id, project_id, title)
}  // namespace tenants

namespace {
const athanor::Distribution by_tenant{.distributed = {{"projects", "tenant_id"}, {"tasks", "tenant_id"}}, .reference = {"countries"}};

bool mentions(const std::vector<std::string>& problems, const std::string& part) {
  for (auto& p : problems)
    if (p.find(part) != std::string::npos) return true;
  return false;
}
}  // namespace

TEST_CASE("multi-tenant models keyed by their distribution column pass Citus's rules, and work on every backend") {
  athanor::orm::Registry registry;
  registry.map<tenants::Country, tenants::Project, tenants::Task>();
  auto& md = registry.metadata();
  CHECK(athanor::citus_problems(md, by_tenant).empty());
  CHECK(athanor::galera_problems(md).empty());

  // The statements that distribute them, reference table first, the rest co-located.
  auto ddl = athanor::citus_ddl(md, by_tenant, athanor::PostgresqlDialect{});
  REQUIRE(ddl.size() == 3);
  CHECK(ddl[0] == "SELECT create_reference_table('\"countries\"')");
  CHECK(ddl[1] == "SELECT create_distributed_table('\"projects\"', 'tenant_id')");
  CHECK(ddl[2] == "SELECT create_distributed_table('\"tasks\"', 'tenant_id', colocate_with => '\"projects\"')");

  // The schema as the models make it, on a real server: the composite keys hold.
  auto engine = test::engine();
  md.drop_all(engine);
  md.create_all(engine);
  {
    athanor::orm::Session s(engine);
    s.add(tenants::Country{.code = "FR", .name = "France"});
    s.add(tenants::Project{.tenant_id = 1, .id = 1, .name = "roof", .country = "FR"});
    s.add(tenants::Project{.tenant_id = 2, .id = 1, .name = "roof", .country = "FR"});  // same id, same name: another tenant
    s.commit();
    s.add(tenants::Task{.tenant_id = 2, .id = 1, .project_id = 1, .title = "tiles"});
    s.commit();
    s.add(tenants::Task{.tenant_id = 3, .id = 1, .project_id = 1, .title = "no such project for tenant 3"});
    CHECK_THROWS_AS(s.commit(), athanor::IntegrityError);
    s.rollback();
    s.add(tenants::Project{.tenant_id = 1, .id = 2, .name = "roof", .country = "FR"});  // a tenant's names are unique
    CHECK_THROWS_AS(s.commit(), athanor::IntegrityError);
    s.rollback();
  }
  md.drop_all(engine);
}

TEST_CASE("a schema that Citus would refuse: each rule named") {
  athanor::orm::Registry registry;
  registry.map<blog::User, blog::Post, blog::Comment, blog::Tag, blog::PostTag, blog::Account>();
  auto& md = registry.metadata();
  // The blog keys its rows by a global id: sharded by user, its keys and links do not hold.
  athanor::Distribution by_user{.distributed = {{"users", "id"}, {"posts", "user_id"}}, .reference = {"tags"}};
  auto problems = athanor::citus_problems(md, by_user);
  CHECK(mentions(problems, "posts: the primary key (id) does not include the distribution column user_id"));
  CHECK(mentions(problems, "users: UNIQUE (name) does not include the distribution column id"));
  CHECK(mentions(problems, "foreign key comments → posts (post_id) joins a local table and a distributed one"));
  CHECK(mentions(problems, "foreign key post_tags → posts (post_id) joins a local table and a distributed one"));
  CHECK_FALSE(mentions(problems, "posts → users"));  // user_id = users.id: the distribution columns, co-located
  CHECK_THROWS_WITH_AS(athanor::citus_ddl(md, by_user, athanor::PostgresqlDialect{}), doctest::Contains("[athanor.argument.citus]"),
                       athanor::ArgumentError);
  athanor::Distribution wrong{.distributed = {{"posts", "author"}, {"nowhere", "x"}}, .reference = {"users"}};
  problems = athanor::citus_problems(md, wrong);
  CHECK(mentions(problems, "distributed table nowhere is not in the MetaData"));
  CHECK(mentions(problems, "posts: no distribution column author"));
}

TEST_CASE("Galera: a table without a primary key is named") {
  athanor::MetaData md;
  athanor::Table keyed{"keyed", md, athanor::Column{"id", athanor::Integer{}, athanor::primary_key}};
  athanor::Table log{"event_log", md, athanor::Column{"at", athanor::DateTimeType{}}, athanor::Column{"what", athanor::Text{}}};
  CHECK(athanor::galera_problems(md) == std::vector<std::string>{"event_log: no primary key"});
}

TEST_CASE("athanor's SQL takes no lock that Galera does not replicate, nor a session-level one a pooler would strand") {
  // LOCK TABLES and GET_LOCK are not certified across a Galera cluster; a session-level
  // advisory lock outlives the transaction behind PgBouncer's transaction pooling.
  std::string source = test::env("ATHANOR_SOURCE_ROOT");  // set by meson test
  auto root = (source.empty() ? std::filesystem::absolute(__FILE__).parent_path().parent_path().parent_path()
                              : std::filesystem::path(source)) / "include";
  REQUIRE(std::filesystem::exists(root));
  int files = 0;
  for (auto& f : std::filesystem::recursive_directory_iterator(root)) {
    if (!f.is_regular_file()) continue;
    std::stringstream text;
    text << std::ifstream(f.path()).rdbuf();
    std::string s = text.str();
    for (auto& c : s) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    ++files;
    INFO(f.path().string());
    CHECK(s.find("LOCK TABLES") == std::string::npos);
    CHECK(s.find("GET_LOCK(") == std::string::npos);
    CHECK(s.find("PG_ADVISORY_LOCK(") == std::string::npos);
  }
  CHECK(files > 50);
}
