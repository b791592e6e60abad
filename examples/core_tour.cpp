// examples/core_tour.cpp — athanor's Core ("functional approach") end to end on SQLite:
// a schema, DDL, inserts, queries with joins and aggregates, an update, a delete, and a
// transaction that rolls back. Run: ./dev demo   (or: core_tour --url URL --echo)
#include <athanor/athanor.hpp>

#include <iostream>
#include <string>

namespace orm = athanor;

int main(int argc, char** argv) {
  std::string url = "sqlite://";
  bool echo = false;
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    if (a == "--url" && i + 1 < argc) url = argv[++i];
    if (a == "--echo") echo = true;
  }
  auto engine = orm::create_engine(url, {.echo = echo, .echo_sink = {}, .pool = {}});
  std::cout << "engine: " << engine.to_string() << "\n";

  orm::MetaData metadata;
  orm::Table users{"users", metadata,
                   orm::Column{"id", orm::Integer{}, orm::primary_key},
                   orm::Column{"name", orm::String{50}, orm::nullable(false), orm::unique},
                   orm::Column{"email", orm::String{120}}};
  orm::Table posts{"posts", metadata,
                   orm::Column{"id", orm::Integer{}, orm::primary_key},
                   orm::Column{"user_id", orm::Integer{}, orm::nullable(false), orm::index,
                               orm::ForeignKey{"users.id", {.on_delete = orm::Action::cascade, .on_update = {}, .name = {}}}},
                   orm::Column{"title", orm::String{200}, orm::nullable(false)}};
  metadata.drop_all(engine);
  metadata.create_all(engine);

  {
    auto conn = engine.begin();  // one transaction: committed below
    auto ann = conn.execute(orm::insert(users).values({{"name", "ann"}, {"email", "ann@example.com"}}));
    auto ann_id = ann.inserted_primary_key()[0];
    auto bob = conn.execute(orm::insert(users).values({{"name", "bob"}}));
    auto bob_id = bob.inserted_primary_key()[0];
    conn.execute(orm::insert(posts).values_list({{{"user_id", ann_id}, {"title", "Hello, world"}},
                                            {{"user_id", ann_id}, {"title", "SQL with C++"}},
                                            {{"user_id", bob_id}, {"title", "bob's first post"}}}));
    conn.commit();
  }

  auto conn = engine.connect();
  std::cout << "\nusers whose name starts with 'a':\n";
  for (const orm::Row& row : conn.execute(orm::select(users).where(users.c("name").like("a%")))) {
    std::cout << "  " << row.get<int>("id") << " " << row.get<std::string>("name") << " "
              << row.get<std::optional<std::string>>("email").value_or("(no email)") << "\n";
  }

  std::cout << "\nposts per user:\n";
  auto per_user = orm::select(users.c("name"), orm::count(posts.c("id")).label("n"))
                      .outerjoin(posts, users.c("id") == posts.c("user_id"))
                      .group_by(users.c("name"))
                      .order_by(users.c("name"));
  for (auto& row : conn.execute(per_user)) {
    auto [name, n] = row.tuple<std::string, std::int64_t>();
    std::cout << "  " << name << ": " << n << "\n";
  }

  conn.execute(orm::update(users).where(users.c("name") == "bob").values({{"email", "bob@example.com"}}));
  {
    auto tx = conn.begin();
    conn.execute(orm::delete_(users).where(users.c("name") == "ann"));
    std::cout << "\ninside a transaction, after deleting ann: "
              << *conn.execute(orm::select(orm::count()).select_from(posts)).scalar<std::int64_t>()
              << " posts (ON DELETE CASCADE)\n";
  }  // not committed: rolled back
  std::cout << "after the rollback: "
            << *conn.execute(orm::select(orm::count()).select_from(posts)).scalar<std::int64_t>() << " posts\n";

  auto hostile = "Robert'); DROP TABLE users;--";
  conn.execute(orm::insert(users).values({{"name", hostile}}));
  std::cout << "a hostile name is stored verbatim: "
            << conn.execute(orm::select(users.c("name")).where(users.c("name") == hostile)).scalar_one<std::string>() << "\n";
  return 0;
}
