// test/orm/blog_db.hpp — the blog models' tables (test/orm/models.hpp) made afresh on the test
// backend for one test case and dropped after it, with a row count by plain SQL.
#pragma once

#include "orm/models.hpp"
#include "support/requirements.hpp"

namespace blog {

struct BlogDb {
  athanor::Engine engine;
  orm::Registry registry;
  explicit BlogDb(athanor::EngineOptions o = {}) : BlogDb(test::engine(std::move(o))) {}
  /// The tables made afresh on `e` (a second database: test::fresh_url()).
  explicit BlogDb(athanor::Engine e) : engine(std::move(e)) {
    registry.map<User, Post, Comment, Tag, PostTag, Account>();
    registry.metadata().drop_all(engine);
    registry.metadata().create_all(engine);
  }
  ~BlogDb() {
    try {
      registry.metadata().drop_all(engine);
    } catch (...) {
    }
  }
  BlogDb(const BlogDb&) = delete;
  BlogDb& operator=(const BlogDb&) = delete;
  std::int64_t count(const char* table) {
    auto conn = engine.connect();
    return conn.exec_driver_sql(std::string("SELECT count(*) FROM ") + table).scalar_one<std::int64_t>();
  }
};

/// Users 1..n named "u1".."un", committed.
inline void add_users(orm::sessionmaker& Session, int n) {
  auto s = Session();
  std::vector<User> users;
  for (int k = 1; k <= n; ++k) users.push_back(User{.id = k, .name = "u" + std::to_string(k)});
  s.add_all(std::move(users));
  s.commit();
}

}  // namespace blog
