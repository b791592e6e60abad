// bench/workloads_pqxx_raw.hpp — the PostgreSQL baseline: hand-written libpqxx 6.4 code, the
// way a careful programmer writes it: statements prepared once per connection, values passed
// to exec_prepared, columns read straight into plain structs, one transaction per workload.
// Also the untimed set-up every PostgreSQL contestant shares (posts, counts, the schema).
// The connection is libpqxx's own, opened through a connection policy that keeps libpq's
// PGconn reachable (libpqxx 6.4 hides it otherwise): the pipelined twin
// (workloads_libpq_pipeline.hpp) drives libpq's pipeline mode on that same PGconn, as
// athanor's driver does (include/athanor/driver/postgresql.hpp, detail::Policy).
#pragma once

#include <libpq-fe.h>
#include <pqxx/pqxx>

#include <charconv>
#include <unordered_map>

#include <athanor/engine/url.hpp>

#include "runner.hpp"

namespace bench {

/// The hand-written DDL; the schema check compares it with what create_all made.
inline constexpr const char* kPostgresSchemaSql[] = {
    R"(CREATE TABLE "users" ("id" SERIAL NOT NULL, "name" VARCHAR(50) NOT NULL, "age" INTEGER NOT NULL, "email" VARCHAR(120), )"
    R"(PRIMARY KEY ("id")))",
    R"(CREATE INDEX "ix_users_name" ON "users" ("name"))",
    R"(CREATE TABLE "posts" ("id" SERIAL NOT NULL, "user_id" INTEGER NOT NULL, "title" VARCHAR(200) NOT NULL, PRIMARY KEY ("id"), )"
    R"(CONSTRAINT "fk_posts_user_id_users" FOREIGN KEY ("user_id") REFERENCES "users" ("id") ON DELETE CASCADE))",
    R"(CREATE INDEX "ix_posts_user_id" ON "posts" ("user_id"))",
};

namespace pg {

/// connect_direct (what pqxx::connection is) that keeps the PGconn it opens; libpqxx's
/// documented extension point (connectionpolicy.hxx).
class Policy final : public pqxx::connect_direct {
 public:
  explicit Policy(const std::string& options) : connect_direct(options) {}
  handle do_startconnect(handle h) override { return raw = connect_direct::do_startconnect(h); }
  handle do_completeconnect(handle h) override { return raw = connect_direct::do_completeconnect(h); }
  handle do_dropconnect(handle h) noexcept override { return raw = connect_direct::do_dropconnect(h); }
  handle do_disconnect(handle h) noexcept override { return raw = connect_direct::do_disconnect(h); }
  PGconn* raw = nullptr;
};
/// An athanor URL as libpq takes it: without the options only athanor reads
/// (prepared_statements, statement_timeout), which libpq refuses as unknown URI parameters.
inline std::string libpq_url(const std::string& url) {
  auto u = athanor::URL::parse(url);
  u.query.erase("prepared_statements");
  u.query.erase("statement_timeout");
  return u.render(false);
}
/// pqxx::connection with the policy reachable (what basic_connection does), on an athanor URL.
class Conn final : public pqxx::connection_base {
 public:
  explicit Conn(const std::string& url) : connection_base(policy_), policy_(libpq_url(url)) { init(); }
  ~Conn() noexcept { close(); }
  PGconn* raw() const { return policy_.raw; }

 private:
  Policy policy_;
};

inline void drop_tables(pqxx::connection_base& c) {
  pqxx::nontransaction tx(c);
  tx.exec("DROP TABLE IF EXISTS posts, users CASCADE");
}
/// 10 posts per user (W6 set-up for every contestant; not timed): one INSERT … SELECT on the
/// server, in the order of the ids and then k, so that every contestant's posts get the same ids.
inline void insert_posts(pqxx::connection_base& c, const std::vector<std::int64_t>& user_ids, std::size_t per_user) {
  std::string ids = "{";
  char buf[24];
  for (auto id : user_ids) {
    if (ids.size() > 1) ids += ',';
    ids.append(buf, std::to_chars(buf, buf + sizeof buf, id).ptr);
  }
  ids += '}';
  pqxx::work tx(c);
  tx.exec_params0("INSERT INTO posts (user_id, title) SELECT u.id, 'post ' || k || ' of user ' || u.id "
                  "FROM unnest($1::integer[]) WITH ORDINALITY AS u(id, ord) CROSS JOIN generate_series(0, $2 - 1) AS k "
                  "ORDER BY u.ord, k",
                  ids, static_cast<int>(per_user));
  tx.commit();
}
inline void analyze(pqxx::connection_base& c) {
  pqxx::nontransaction tx(c);
  tx.exec("ANALYZE users, posts");
}
inline std::pair<std::int64_t, std::int64_t> counts(pqxx::connection_base& c) {
  pqxx::work tx(c);
  auto r = tx.exec1("SELECT (SELECT count(*) FROM users), (SELECT count(*) FROM posts)");
  return {r[0].as<std::int64_t>(), r[1].as<std::int64_t>()};
}
/// Columns, constraints and indexes as the server reports them.
inline std::string schema(pqxx::connection_base& c) {
  pqxx::work tx(c);
  std::string out;
  for (auto row : tx.exec(
           "SELECT table_name || '.' || column_name || ' ' || data_type || coalesce('(' || character_maximum_length || ')', '') "
           "|| ' ' || is_nullable || ' ' || coalesce(column_default, '') FROM information_schema.columns "
           "WHERE table_schema = current_schema() ORDER BY 1"))
    out += row[0].c_str(), out += ";\n";
  for (auto row : tx.exec("SELECT conname || ' ' || pg_get_constraintdef(oid) FROM pg_constraint "
                          "WHERE connamespace = current_schema()::regnamespace ORDER BY 1"))
    out += row[0].c_str(), out += ";\n";
  for (auto row : tx.exec("SELECT indexdef FROM pg_indexes WHERE schemaname = current_schema() ORDER BY 1"))
    out += row[0].c_str(), out += ";\n";
  return out;
}

inline UserRow read_user(const pqxx::row& r) {
  UserRow u;
  u.id = r[0].as<std::int64_t>();
  u.name = std::string(r[1].c_str(), r[1].size());
  u.age = r[2].as<int>();
  if (!r[3].is_null()) u.email = std::string(r[3].c_str(), r[3].size());
  return u;
}
inline PostRow read_post(const pqxx::row& r) {
  return PostRow{r[0].as<std::int64_t>(), r[1].as<std::int64_t>(), std::string(r[2].c_str(), r[2].size())};
}

}  // namespace pg

class PqxxRaw : public Runner {
 public:
  std::string name() const override { return "hand-written libpqxx"; }
  void open(const Target& t) override {
    conn_ = std::make_unique<pg::Conn>(t.url);
    // Through a transaction pooler (the URL says prepared_statements=false for athanor) the
    // baselines keep their named statements: a lone client gets its last server session back
    // (PgBouncer reuses the most recent one), where the previous repetition's connection left
    // the same names prepared. They are dropped first; several clients would not work at all.
    if (athanor::URL::parse(t.url).option("prepared_statements") == "false") pqxx::nontransaction(*conn_).exec("DEALLOCATE ALL");
    pg::drop_tables(*conn_);
    pqxx::work tx(*conn_);
    for (auto* sql : kPostgresSchemaSql) tx.exec(sql);
    tx.commit();
    conn_->prepare("insert_user", "INSERT INTO users (name, age, email) VALUES ($1, $2, $3) RETURNING id");
    conn_->prepare("all_users", "SELECT id, name, age, email FROM users");
    conn_->prepare("user_by_id", "SELECT id, name, age, email FROM users WHERE id = $1");
    conn_->prepare("users_by_age", "SELECT id, name, age, email FROM users WHERE age > $1 ORDER BY name LIMIT 100");
    conn_->prepare("every_4th", "SELECT id, age FROM users WHERE id % 4 = 0");
    conn_->prepare("set_age", "UPDATE users SET age = $1 WHERE id = $2");
    conn_->prepare("users_upto", "SELECT id, name, age, email FROM users WHERE id <= $1");
    conn_->prepare("posts_of", "SELECT id, user_id, title FROM posts WHERE user_id = $1");
    conn_->prepare("posts_of_any", "SELECT id, user_id, title FROM posts WHERE user_id = ANY($1::integer[])");
    conn_->prepare("every_10th", "SELECT id FROM users WHERE id % 10 = 0");
    conn_->prepare("delete_user", "DELETE FROM users WHERE id = $1");
    ids_.clear();
  }
  void close() override {
    if (conn_) pg::drop_tables(*conn_);
    conn_.reset();
  }
  std::string schema() override { return pg::schema(*conn_); }
  void insert_posts(std::size_t per_user) override { pg::insert_posts(*conn_, ids_, per_user); }
  std::pair<std::int64_t, std::int64_t> counts() override { return pg::counts(*conn_); }
  void analyze() override { pg::analyze(*conn_); }

  std::uint64_t w1_insert(const Data& d) override {
    pqxx::work tx(*conn_);
    ids_.clear();
    ids_.reserve(d.users.size());
    std::uint64_t cs = 0;
    for (auto& u : d.users) {
      auto r = tx.exec_prepared1("insert_user", u.name, u.age, u.email ? u.email->c_str() : nullptr);
      ids_.push_back(r[0].as<std::int64_t>());
      cs += static_cast<std::uint64_t>(ids_.back());
    }
    tx.commit();
    return cs;
  }
  std::uint64_t w2_load_all() override {
    pqxx::work tx(*conn_);
    std::vector<UserRow> users;
    auto r = tx.exec_prepared("all_users");
    users.reserve(r.size());
    for (auto row : r) users.push_back(pg::read_user(row));
    tx.commit();
    std::uint64_t cs = 0;
    cs += checksum(users);
    return cs;
  }
  std::uint64_t w3_get(const Data& d) override {
    pqxx::work tx(*conn_);
    std::vector<UserRow> found;
    found.reserve(d.lookups.size());
    for (auto id : d.lookups) {
      auto r = tx.exec_prepared("user_by_id", id);
      if (!r.empty()) found.push_back(pg::read_user(r[0]));
    }
    tx.commit();
    std::uint64_t cs = 0;
    cs += checksum(found);
    return cs;
  }
  std::uint64_t w4_filter(const Data& d) override {
    pqxx::work tx(*conn_);
    std::uint64_t cs = 0;
    for (int age : d.ages) {
      std::vector<UserRow> page;
      for (auto row : tx.exec_prepared("users_by_age", age)) page.push_back(pg::read_user(row));
      cs += checksum(page);
    }
    tx.commit();
    return cs;
  }
  std::uint64_t w5_update() override {
    pqxx::work tx(*conn_);
    std::uint64_t cs = 0;
    std::vector<std::pair<std::int64_t, int>> rows;
    for (auto row : tx.exec_prepared("every_4th")) rows.emplace_back(row[0].as<std::int64_t>(), row[1].as<int>());
    for (auto& [id, age] : rows) {
      tx.exec_prepared0("set_age", age + 1, id);
      cs += static_cast<std::uint64_t>(id) + static_cast<std::uint64_t>(age + 1);
    }
    tx.commit();
    return cs;
  }
  std::uint64_t w6_lazy(int page) override {
    pqxx::work tx(*conn_);
    std::vector<std::pair<UserRow, std::vector<PostRow>>> out;
    for (auto row : tx.exec_prepared("users_upto", page)) out.emplace_back(pg::read_user(row), std::vector<PostRow>{});
    for (auto& [u, posts] : out)
      for (auto row : tx.exec_prepared("posts_of", u.id)) posts.push_back(pg::read_post(row));
    tx.commit();
    return checksum(out);
  }
  std::uint64_t w6_eager() override {
    pqxx::work tx(*conn_);
    std::vector<std::pair<UserRow, std::vector<PostRow>>> out;
    std::unordered_map<std::int64_t, std::size_t> index;
    std::string ids = "{";
    char buf[24];
    for (auto row : tx.exec_prepared("all_users")) {
      out.emplace_back(pg::read_user(row), std::vector<PostRow>{});
      index.emplace(out.back().first.id, out.size() - 1);
      if (ids.size() > 1) ids += ',';
      ids.append(buf, std::to_chars(buf, buf + sizeof buf, out.back().first.id).ptr);
    }
    ids += '}';
    for (auto row : tx.exec_prepared("posts_of_any", ids)) {
      auto p = pg::read_post(row);
      out[index.at(p.user_id)].second.push_back(std::move(p));
    }
    tx.commit();
    return checksum(out);
  }
  std::uint64_t w7_delete() override {
    pqxx::work tx(*conn_);
    std::uint64_t cs = 0;
    std::vector<std::int64_t> ids;
    for (auto row : tx.exec_prepared("every_10th")) ids.push_back(row[0].as<std::int64_t>());
    for (auto id : ids) {
      tx.exec_prepared0("delete_user", id);
      cs += static_cast<std::uint64_t>(id);
    }
    tx.commit();
    return cs;
  }

 protected:
  std::unique_ptr<pg::Conn> conn_;
};

}  // namespace bench
