// bench/compile/baseline.cpp — the yardstick of bench/compile_time.sh --check: plain C++ of the
// kind a program without an ORM is made of (the standard containers, strings, <sqlite3.h>, a
// class with virtual functions, a little of <algorithm> and <iostream>), nothing of athanor's.
// Its compile time measures the machine's speed and load, so athanor's files are checked as a
// ratio to it, both compiled in the same run.
#include <sqlite3.h>

#include <algorithm>
#include <cstdint>
#include <functional>
#include <iostream>
#include <map>
#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <unordered_map>
#include <vector>

namespace baseline {

struct User {
  std::int64_t id = 0;
  std::string name;
  std::optional<std::string> email;
  std::vector<std::string> tags;
};

class Store {
 public:
  virtual ~Store() = default;
  virtual void put(const User& u) = 0;
  virtual std::optional<User> get(std::int64_t id) = 0;
  virtual std::vector<User> all() = 0;
};

class SqliteStore final : public Store {
 public:
  explicit SqliteStore(const std::string& path) {
    if (sqlite3_open(path.c_str(), &db_) != SQLITE_OK) fail("open");
    exec("CREATE TABLE IF NOT EXISTS users (id INTEGER PRIMARY KEY, name TEXT NOT NULL, email TEXT)");
  }
  ~SqliteStore() override {
    for (auto& [sql, stmt] : cache_) sqlite3_finalize(stmt);
    sqlite3_close(db_);
  }
  void put(const User& u) override {
    auto* st = prepare("INSERT OR REPLACE INTO users (id, name, email) VALUES (?, ?, ?)");
    sqlite3_bind_int64(st, 1, u.id);
    sqlite3_bind_text(st, 2, u.name.data(), static_cast<int>(u.name.size()), SQLITE_STATIC);
    if (u.email) sqlite3_bind_text(st, 3, u.email->data(), static_cast<int>(u.email->size()), SQLITE_STATIC);
    else sqlite3_bind_null(st, 3);
    if (sqlite3_step(st) != SQLITE_DONE) fail("insert");
    sqlite3_reset(st);
  }
  std::optional<User> get(std::int64_t id) override {
    auto* st = prepare("SELECT id, name, email FROM users WHERE id = ?");
    sqlite3_bind_int64(st, 1, id);
    std::optional<User> out;
    if (sqlite3_step(st) == SQLITE_ROW) out = read(st);
    sqlite3_reset(st);
    return out;
  }
  std::vector<User> all() override {
    auto* st = prepare("SELECT id, name, email FROM users ORDER BY id");
    std::vector<User> out;
    while (sqlite3_step(st) == SQLITE_ROW) out.push_back(read(st));
    sqlite3_reset(st);
    return out;
  }

 private:
  static User read(sqlite3_stmt* st) {
    User u;
    u.id = sqlite3_column_int64(st, 0);
    u.name = reinterpret_cast<const char*>(sqlite3_column_text(st, 1));
    if (sqlite3_column_type(st, 2) != SQLITE_NULL) u.email = reinterpret_cast<const char*>(sqlite3_column_text(st, 2));
    return u;
  }
  sqlite3_stmt* prepare(const std::string& sql) {
    auto it = cache_.find(sql);
    if (it != cache_.end()) return it->second;
    sqlite3_stmt* st = nullptr;
    if (sqlite3_prepare_v2(db_, sql.c_str(), -1, &st, nullptr) != SQLITE_OK) fail("prepare");
    cache_.emplace(sql, st);
    return st;
  }
  void exec(const char* sql) {
    if (sqlite3_exec(db_, sql, nullptr, nullptr, nullptr) != SQLITE_OK) fail(sql);
  }
  [[noreturn]] void fail(const std::string& what) { throw std::runtime_error(what + ": " + sqlite3_errmsg(db_)); }

  sqlite3* db_ = nullptr;
  std::unordered_map<std::string, sqlite3_stmt*> cache_;
};

}  // namespace baseline

std::unique_ptr<baseline::Store> open_store(const std::string& path) {
  return std::make_unique<baseline::SqliteStore>(path);
}

std::map<std::string, std::vector<std::int64_t>> by_domain(baseline::Store& store) {
  std::map<std::string, std::vector<std::int64_t>> out;
  auto users = store.all();
  std::sort(users.begin(), users.end(), [](const auto& a, const auto& b) { return a.name < b.name; });
  for (const auto& u : users) {
    if (!u.email) continue;
    auto at = u.email->find('@');
    out[at == std::string::npos ? std::string() : u.email->substr(at + 1)].push_back(u.id);
  }
  std::function<void(const std::string&)> log = [](const std::string& s) { std::clog << s << '\n'; };
  for (const auto& [domain, ids] : out) log(domain + ": " + std::to_string(ids.size()));
  return out;
}
