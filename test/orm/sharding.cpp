// test/orm/sharding.cpp — ShardedSession (issue 18): three databases of the backend under test
// (three SQLite files or in-memory databases, three PostgreSQL or MariaDB databases), users
// placed by the first letter of their name. Each property is checked against a model the test
// keeps in C++: which shard holds which user, read back by plain SQL from each database.
#include "orm/models.hpp"
#include "support/backend.hpp"

#include <athanor/orm/sharding.hpp>

#include <map>
#include <set>

using namespace blog;
using orm::c;

namespace {

struct Shards {
  std::map<std::string, athanor::Engine> engines;
  orm::Registry registry;
  Shards() {
    registry.map<User, Post, Comment, Tag, PostTag, Account>();
    for (const char* id : {"a-h", "i-p", "q-z"}) {
      auto e = athanor::create_engine(test::fresh_url(std::string("_shard_") + id[0]));
      registry.metadata().drop_all(e);
      registry.metadata().create_all(e);
      engines.emplace(id, e);
    }
  }
  ~Shards() {
    for (auto& [id, e] : engines) {
      try {
        registry.metadata().drop_all(e);
      } catch (...) {
      }
    }
  }
  /// The user names each shard's database holds, by plain SQL.
  std::map<std::string, std::set<std::string>> stored() {
    std::map<std::string, std::set<std::string>> out;
    for (auto& [id, e] : engines) {
      auto conn = e.connect();
      auto rows = conn.exec_driver_sql("SELECT name FROM users");
      out[id];
      for (auto& r : rows.all()) out[id].insert(r.get<std::string>(0));
    }
    return out;
  }
};

std::string shard_for(const std::string& name) { return name[0] <= 'h' ? "a-h" : name[0] <= 'p' ? "i-p" : "q-z"; }

orm::ShardOptions by_first_letter() {
  return {.shard_chooser = [](const orm::ShardKey& k) { return shard_for(k.value("name").as<std::string>()); }};
}

const std::vector<std::string> names = {"ann", "bob", "cat", "ida", "joe", "kim", "pat", "quinn", "rob", "sue", "tom", "zed"};

}  // namespace

TEST_CASE("new objects go to the chooser's shard, with what their relationships hold") {
  Shards db;
  orm::ShardedSession s(db.engines, by_first_letter());
  std::map<std::string, std::set<std::string>> model;
  for (auto& n : names) {
    auto u = s.add(User{.name = n});
    u->posts.push_back(Post{.title = n + "'s first"});
    model[shard_for(n)].insert(n);
  }
  s.commit();
  CHECK(db.stored() == model);
  for (auto& [id, e] : db.engines) {  // each post beside its author
    auto conn = e.connect();
    auto rows = conn.exec_driver_sql("SELECT u.name, p.title FROM posts p JOIN users u ON u.id = p.user_id");
    CHECK(rows.size() == model[id].size());
    for (auto& r : rows.all()) CHECK(r.get<std::string>(1) == r.get<std::string>(0) + "'s first");
  }
}

TEST_CASE("queries run on every shard or on the ones named; the shard is part of an object's identity") {
  Shards db;
  {
    orm::ShardedSession s(db.engines, by_first_letter());
    for (auto& n : names) s.add(User{.name = n});
    s.commit();
  }
  orm::ShardedSession s(db.engines, by_first_letter());
  std::set<std::string> all, some;
  for (auto& u : s.scalars(orm::select<User>())) all.insert(u->name);
  CHECK(all == std::set<std::string>(names.begin(), names.end()));
  for (auto& u : s.scalars(orm::select<User>(), {"i-p"})) {
    some.insert(u->name);
    CHECK(shard_for(u->name) == "i-p");
  }
  CHECK(some == db.stored()["i-p"]);
  auto counted = s.execute(orm::select(c<&User::name>).order_by(c<&User::name>), {"a-h", "q-z"});
  CHECK(counted.size() == db.stored()["a-h"].size() + db.stored()["q-z"].size());

  // Every shard numbers its own rows from 1: the key 1 is a different user on each shard.
  std::set<std::string> firsts;
  for (auto& id : s.shard_ids()) {
    auto u = s.get_from<User>(id, 1);
    REQUIRE(u);
    CHECK(s.shard_of(u) == id);
    CHECK(shard_for(u->name) == id);
    firsts.insert(u->name);
    CHECK(s.get_from<User>(id, 1) == u);  // one object per (shard, key)
  }
  CHECK(firsts.size() == 3);
  // get() asks the shards in turn (or those identity_chooser names).
  CHECK(s.get<User>(1) == s.get_from<User>("a-h", 1));
  s.close();  // in-memory SQLite: one connection per database, held by a Session's transaction
  orm::ShardOptions last_first = by_first_letter();
  last_first.identity_chooser = [](const std::string& table, const std::vector<athanor::Value>&) {
    CHECK(table == "users");
    return std::vector<std::string>{"q-z", "a-h"};
  };
  orm::ShardedSession t(db.engines, last_first);
  CHECK(shard_for(t.get<User>(1)->name) == "q-z");
  CHECK_FALSE(t.get<User>(999));
}

TEST_CASE("updates, deletes and lazy loads reach the object's own shard") {
  Shards db;
  {
    orm::ShardedSession s(db.engines, by_first_letter());
    for (auto& n : names) s.add(User{.name = n})->posts.push_back(Post{.title = n});
    s.commit();
  }
  orm::ShardedSession s(db.engines, by_first_letter());
  CHECK(s.execute(orm::update<User>().set(c<&User::visits>, 3)) == static_cast<std::int64_t>(names.size()));
  for (auto& u : s.scalars(orm::select<User>())) {
    CHECK(u->visits == 3);
    REQUIRE(u->posts.size() == 1);  // a lazy load, through the user's shard
    CHECK(u->posts[0]->title.get() == u->name.get());
  }
  auto joe = s.scalars(orm::select<User>().where(c<&User::name> == "joe"), {"i-p"}).one();
  s.delete_(joe);
  s.commit();
  auto stored = db.stored();
  CHECK(stored["i-p"].count("joe") == 0);
  CHECK(stored["i-p"].size() == 3);
}

TEST_CASE("a constraint violation on one shard stops commit() before any shard commits") {
  Shards db;
  orm::ShardedSession s(db.engines, by_first_letter());
  s.add(User{.name = "sue"});
  s.commit();
  s.add(User{.name = "ann"});  // a-h: valid
  s.add(User{.name = "sue"});  // q-z: a second "sue", refused by the unique constraint
  CHECK_THROWS_AS(s.commit(), athanor::IntegrityError);
  s.rollback();
  auto stored = db.stored();
  CHECK(stored["a-h"].empty());  // ann's flush was rolled back with the rest
  CHECK(stored["q-z"] == std::set<std::string>{"sue"});
  s.add(User{.name = "bob"});  // usable after rollback()
  s.commit();
  CHECK(db.stored()["a-h"] == std::set<std::string>{"bob"});
  CHECK_THROWS_WITH_AS(s.shard("nowhere"), doctest::Contains("[athanor.argument.shard]"), athanor::ArgumentError);
  orm::ShardOptions bad = {.shard_chooser = [](const orm::ShardKey& k) { return k.value("nope").as<std::string>(); }};
  orm::ShardedSession t(db.engines, bad);
  CHECK_THROWS_WITH_AS(t.add(User{.name = "x"}), doctest::Contains("has no column nope"), athanor::ArgumentError);
}
