// bench/workloads_sqlite_raw.hpp — the baseline: hand-written sqlite3 C API code, the way a
// careful C/C++ programmer writes it: statements prepared once per workload, values bound
// with SQLITE_STATIC, columns read straight into plain structs, one transaction per workload.
#pragma once

#include <sqlite3.h>

#include <charconv>
#include <stdexcept>
#include <unordered_map>

#include "runner.hpp"

namespace bench {

/// The hand-written DDL: the same text athanor's create_all emits (checked at start-up).
inline constexpr const char* kSchemaSql[] = {
    R"(CREATE TABLE "users" ("id" INTEGER NOT NULL, "name" VARCHAR(50) NOT NULL, "age" INTEGER NOT NULL, "email" VARCHAR(120), )"
    R"(PRIMARY KEY ("id")))",
    R"(CREATE INDEX "ix_users_name" ON "users" ("name"))",
    R"(CREATE TABLE "posts" ("id" INTEGER NOT NULL, "user_id" INTEGER NOT NULL, "title" VARCHAR(200) NOT NULL, PRIMARY KEY ("id"), )"
    R"(CONSTRAINT "fk_posts_user_id_users" FOREIGN KEY ("user_id") REFERENCES "users" ("id") ON DELETE CASCADE))",
    R"(CREATE INDEX "ix_posts_user_id" ON "posts" ("user_id"))",
};

namespace raw {

[[noreturn]] inline void fail(sqlite3* db, const char* what) {
  throw std::runtime_error(std::string("sqlite3: ") + what + ": " + sqlite3_errmsg(db));
}
inline void exec(sqlite3* db, const char* sql) {
  if (sqlite3_exec(db, sql, nullptr, nullptr, nullptr) != SQLITE_OK) fail(db, sql);
}

/// The thin RAII wrapper any hand-written code has.
class Stmt {
 public:
  Stmt(sqlite3* db, const char* sql) : db_(db) {
    if (sqlite3_prepare_v2(db, sql, -1, &s_, nullptr) != SQLITE_OK) fail(db, sql);
  }
  ~Stmt() { sqlite3_finalize(s_); }
  Stmt(const Stmt&) = delete;
  Stmt& operator=(const Stmt&) = delete;
  operator sqlite3_stmt*() const { return s_; }
  /// sqlite3_step, throwing on error; true while there is a row.
  bool step() {
    int rc = sqlite3_step(s_);
    if (rc == SQLITE_ROW) return true;
    if (rc != SQLITE_DONE) fail(db_, "step");
    return false;
  }
  void reset() { sqlite3_reset(s_); }
  void text(int i, const std::string& s) { sqlite3_bind_text(s_, i, s.data(), static_cast<int>(s.size()), SQLITE_STATIC); }
  std::string column_text(int i) const {
    auto* p = reinterpret_cast<const char*>(sqlite3_column_text(s_, i));
    return std::string(p, static_cast<std::size_t>(sqlite3_column_bytes(s_, i)));
  }

 private:
  sqlite3* db_;
  sqlite3_stmt* s_ = nullptr;
};

inline UserRow read_user(Stmt& s) {
  UserRow u;
  u.id = sqlite3_column_int64(s, 0);
  u.name = s.column_text(1);
  u.age = sqlite3_column_int(s, 2);
  if (sqlite3_column_type(s, 3) != SQLITE_NULL) u.email = s.column_text(3);
  return u;
}
inline PostRow read_post(Stmt& s) {
  return PostRow{sqlite3_column_int64(s, 0), sqlite3_column_int64(s, 1), s.column_text(2)};
}

/// 10 posts per user (W6 setup for every contestant; not timed).
inline void insert_posts(sqlite3* db, const std::vector<std::int64_t>& user_ids, std::size_t per_user) {
  exec(db, "BEGIN");
  Stmt ins(db, "INSERT INTO posts (user_id, title) VALUES (?, ?)");
  std::string title;
  for (auto id : user_ids) {
    for (std::size_t k = 0; k < per_user; ++k) {
      title = "post " + std::to_string(k) + " of user " + std::to_string(id);
      sqlite3_bind_int64(ins, 1, id);
      ins.text(2, title);
      ins.step();
      ins.reset();
    }
  }
  exec(db, "COMMIT");
}
inline std::pair<std::int64_t, std::int64_t> counts(sqlite3* db) {
  Stmt u(db, "SELECT count(*) FROM users"), p(db, "SELECT count(*) FROM posts");
  u.step(), p.step();
  return {sqlite3_column_int64(u, 0), sqlite3_column_int64(p, 0)};
}
inline std::string schema(sqlite3* db) {
  Stmt s(db, "SELECT sql FROM sqlite_master WHERE sql IS NOT NULL ORDER BY name");
  std::string out;
  while (s.step()) out += s.column_text(0) + ";\n";
  return out;
}

}  // namespace raw

class SqliteRaw final : public Runner {
 public:
  std::string name() const override { return "hand-written sqlite3"; }
  void open(const Target& t) override {
    if (sqlite3_open_v2(t.path.c_str(), &db_, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, nullptr) != SQLITE_OK) {
      raw::fail(db_, "open");
    }
    // The settings athanor's driver and URL apply: foreign keys on, WAL, synchronous=NORMAL.
    raw::exec(db_, "PRAGMA foreign_keys = ON");
    if (t.path != ":memory:") raw::exec(db_, "PRAGMA journal_mode = WAL"), raw::exec(db_, "PRAGMA synchronous = NORMAL");
    for (auto* sql : kSchemaSql) raw::exec(db_, sql);
    ids_.clear();
  }
  void close() override {
    sqlite3_close_v2(db_);
    db_ = nullptr;
  }
  std::string schema() override { return raw::schema(db_); }
  void insert_posts(std::size_t per_user) override { raw::insert_posts(db_, ids_, per_user); }
  std::pair<std::int64_t, std::int64_t> counts() override { return raw::counts(db_); }

  std::uint64_t w1_insert(const Data& d) override {
    raw::exec(db_, "BEGIN");
    raw::Stmt ins(db_, "INSERT INTO users (name, age, email) VALUES (?, ?, ?)");
    ids_.clear();
    ids_.reserve(d.users.size());
    std::uint64_t cs = 0;
    for (auto& u : d.users) {
      ins.text(1, u.name);
      sqlite3_bind_int(ins, 2, u.age);
      if (u.email) ins.text(3, *u.email);
      else sqlite3_bind_null(ins, 3);
      ins.step();
      ins.reset();
      ids_.push_back(sqlite3_last_insert_rowid(db_));
      cs += static_cast<std::uint64_t>(ids_.back());
    }
    raw::exec(db_, "COMMIT");
    return cs;
  }
  std::uint64_t w2_load_all() override {
    raw::exec(db_, "BEGIN");
    std::vector<UserRow> users;
    {
      raw::Stmt s(db_, "SELECT id, name, age, email FROM users");
      while (s.step()) users.push_back(raw::read_user(s));
    }
    raw::exec(db_, "COMMIT");
    std::uint64_t cs = 0;
    cs += checksum(users);
    return cs;
  }
  std::uint64_t w3_get(const Data& d) override {
    raw::exec(db_, "BEGIN");
    std::vector<UserRow> found;
    found.reserve(d.lookups.size());
    {
      raw::Stmt s(db_, "SELECT id, name, age, email FROM users WHERE id = ?");
      for (auto id : d.lookups) {
        sqlite3_bind_int64(s, 1, id);
        if (s.step()) found.push_back(raw::read_user(s));
        s.reset();
      }
    }
    raw::exec(db_, "COMMIT");
    std::uint64_t cs = 0;
    cs += checksum(found);
    return cs;
  }
  std::uint64_t w4_filter(const Data& d) override {
    raw::exec(db_, "BEGIN");
    std::uint64_t cs = 0;
    {
      raw::Stmt s(db_, "SELECT id, name, age, email FROM users WHERE age > ? ORDER BY name LIMIT 100");
      for (int age : d.ages) {
        std::vector<UserRow> page;
        sqlite3_bind_int(s, 1, age);
        while (s.step()) page.push_back(raw::read_user(s));
        s.reset();
        cs += checksum(page);
      }
    }
    raw::exec(db_, "COMMIT");
    return cs;
  }
  std::uint64_t w5_update() override {
    raw::exec(db_, "BEGIN");
    std::uint64_t cs = 0;
    {
      std::vector<std::pair<std::int64_t, int>> rows;
      raw::Stmt sel(db_, "SELECT id, age FROM users WHERE id % 4 = 0");
      while (sel.step()) rows.emplace_back(sqlite3_column_int64(sel, 0), sqlite3_column_int(sel, 1));
      raw::Stmt upd(db_, "UPDATE users SET age = ? WHERE id = ?");
      for (auto& [id, age] : rows) {
        sqlite3_bind_int(upd, 1, age + 1);
        sqlite3_bind_int64(upd, 2, id);
        upd.step();
        upd.reset();
        cs += static_cast<std::uint64_t>(id) + static_cast<std::uint64_t>(age + 1);
      }
    }
    raw::exec(db_, "COMMIT");
    return cs;
  }
  std::uint64_t w6_lazy(int page) override {
    raw::exec(db_, "BEGIN");
    std::vector<std::pair<UserRow, std::vector<PostRow>>> out;
    {
      raw::Stmt us(db_, "SELECT id, name, age, email FROM users WHERE id <= ?");
      sqlite3_bind_int(us, 1, page);
      while (us.step()) out.emplace_back(raw::read_user(us), std::vector<PostRow>{});
      raw::Stmt ps(db_, "SELECT id, user_id, title FROM posts WHERE user_id = ?");
      for (auto& [u, posts] : out) {
        sqlite3_bind_int64(ps, 1, u.id);
        while (ps.step()) posts.push_back(raw::read_post(ps));
        ps.reset();
      }
    }
    raw::exec(db_, "COMMIT");
    return checksum(out);
  }
  std::uint64_t w6_eager() override {
    raw::exec(db_, "BEGIN");
    std::vector<std::pair<UserRow, std::vector<PostRow>>> out;
    {
      raw::Stmt us(db_, "SELECT id, name, age, email FROM users");
      std::unordered_map<std::int64_t, std::size_t> index;
      std::string ids = "[";
      char buf[24];
      while (us.step()) {
        out.emplace_back(raw::read_user(us), std::vector<PostRow>{});
        index.emplace(out.back().first.id, out.size() - 1);
        if (ids.size() > 1) ids += ',';
        ids.append(buf, std::to_chars(buf, buf + sizeof buf, out.back().first.id).ptr);
      }
      ids += ']';
      // The IN list bound as one JSON array, as athanor does on SQLite (one statement, any length).
      raw::Stmt ps(db_, "SELECT id, user_id, title FROM posts WHERE user_id IN (SELECT value FROM json_each(?))");
      ps.text(1, ids);
      while (ps.step()) {
        auto p = raw::read_post(ps);
        out[index.at(p.user_id)].second.push_back(std::move(p));
      }
    }
    raw::exec(db_, "COMMIT");
    return checksum(out);
  }
  std::uint64_t w7_delete() override {
    raw::exec(db_, "BEGIN");
    std::uint64_t cs = 0;
    {
      std::vector<std::int64_t> ids;
      raw::Stmt sel(db_, "SELECT id FROM users WHERE id % 10 = 0");
      while (sel.step()) ids.push_back(sqlite3_column_int64(sel, 0));
      raw::Stmt del(db_, "DELETE FROM users WHERE id = ?");
      for (auto id : ids) {
        sqlite3_bind_int64(del, 1, id);
        del.step();
        del.reset();
        cs += static_cast<std::uint64_t>(id);
      }
    }
    raw::exec(db_, "COMMIT");
    return cs;
  }

 private:
  sqlite3* db_ = nullptr;
};

}  // namespace bench
