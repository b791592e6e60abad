// examples/core_tour.cpp — athanor's Core ("functional approach") end to end on SQLite:
// a schema, DDL, inserts, queries with joins and aggregates, an update, a delete, and a
// transaction that rolls back. Run: ./dev demo   (or: core_tour --url URL --echo)
#include <athanor/athanor.hpp>

#include <iostream>
#include <string>

namespace db = athanor;  // Core: tables and expressions (athanor::orm holds the typed DSL)

int main(int argc, char** argv) {
  std::string url = "sqlite://";
  bool echo = false;
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    if (a == "--url" && i + 1 < argc) url = argv[++i];
    if (a == "--echo") echo = true;
  }
  auto engine = db::create_engine(url, {.echo = echo});
  std::cout << "engine: " << engine.to_string() << "\n";

  db::MetaData metadata;
  db::Table users{"users", metadata,
                   db::Column{"id", db::Integer{}, db::primary_key},
                   db::Column{"name", db::String{50}, db::nullable(false), db::unique},
                   db::Column{"email", db::String{120}}};
  db::Table posts{"posts", metadata,
                   db::Column{"id", db::Integer{}, db::primary_key},
                   db::Column{"user_id", db::Integer{}, db::nullable(false), db::index,
                               db::ForeignKey{"users.id", {.on_delete = db::Action::cascade}}},
                   db::Column{"title", db::String{200}, db::nullable(false)}};
  metadata.drop_all(engine);
  metadata.create_all(engine);

  {
    auto conn = engine.begin();  // one transaction: committed below
    auto ann = conn.execute(db::insert(users).values({{"name", "ann"}, {"email", "ann@example.com"}}));
    auto ann_id = ann.inserted_primary_key()[0];
    auto bob = conn.execute(db::insert(users).values({{"name", "bob"}}));
    auto bob_id = bob.inserted_primary_key()[0];
    conn.execute(db::insert(posts).values_list({{{"user_id", ann_id}, {"title", "Hello, world"}},
                                            {{"user_id", ann_id}, {"title", "SQL with C++"}},
                                            {{"user_id", bob_id}, {"title", "bob's first post"}}}));
    conn.commit();
  }

  auto conn = engine.connect();
  std::cout << "\nusers whose name starts with 'a':\n";
  for (const db::Row& row : conn.execute(db::select(users).where(users.c("name").like("a%")))) {
    std::cout << "  " << row.get<int>("id") << " " << row.get<std::string>("name") << " "
              << row.get<std::optional<std::string>>("email").value_or("(no email)") << "\n";
  }

  std::cout << "\nposts per user:\n";
  auto per_user = db::select(users.c("name"), db::count(posts.c("id")).label("n"))
                      .outerjoin(posts, users.c("id") == posts.c("user_id"))
                      .group_by(users.c("name"))
                      .order_by(users.c("name"));
  for (auto& row : conn.execute(per_user)) {
    auto [name, n] = row.tuple<std::string, std::int64_t>();
    std::cout << "  " << name << ": " << n << "\n";
  }

  conn.execute(db::update(users).where(users.c("name") == "bob").values({{"email", "bob@example.com"}}));
  {
    auto tx = conn.begin();
    conn.execute(db::delete_(users).where(users.c("name") == "ann"));
    std::cout << "\ninside a transaction, after deleting ann: "
              << *conn.execute(db::select(db::count()).select_from(posts)).scalar<std::int64_t>()
              << " posts (ON DELETE CASCADE)\n";
  }  // not committed: rolled back
  std::cout << "after the rollback: "
            << *conn.execute(db::select(db::count()).select_from(posts)).scalar<std::int64_t>() << " posts\n";

  auto hostile = "Robert'); DROP TABLE users;--";
  conn.execute(db::insert(users).values({{"name", hostile}}));
  std::cout << "a hostile name is stored verbatim: "
            << conn.execute(db::select(users.c("name")).where(users.c("name") == hostile)).scalar_one<std::string>() << "\n";
  return 0;
}
