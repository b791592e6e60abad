// bench/workloads_libpq_pipeline.hpp — two more PostgreSQL references, hand-written on the
// libpqxx baseline's own connection (its PGconn, see pg::Conn):
// - LibpqPipeline, the baseline's pipelined twin: the statements of a workload that do not
//   depend on each other (W1's INSERTs, W3's lookups, W4's queries, W5's UPDATEs, W6a's posts
//   queries, W7's DELETEs) go through libpq's pipeline mode (libpq ≥ 14,
//   https://www.postgresql.org/docs/15/libpq-pipeline-mode.html), the same prepared
//   statements, the same transaction; W2 and W6b are one query and stay the baseline's.
// - PgMultiValues, W1 only: the users as 500-row `INSERT … VALUES (…), … RETURNING id`
//   statements prepared once, one round trip each (the bulk-insert target of issue 14).
#pragma once

#include <libpq-fe.h>

#include <charconv>
#include <set>
#include <stdexcept>

#include "workloads_pqxx_raw.hpp"

namespace bench {

namespace pg {

[[noreturn]] inline void fail(PGconn* c, const std::string& what) {
  throw std::runtime_error("libpq: " + what + ": " + PQerrorMessage(c));
}
inline void prepare(PGconn* c, const char* name, const std::string& sql) {
  PGresult* r = PQprepare(c, name, sql.c_str(), 0, nullptr);
  bool ok = PQresultStatus(r) == PGRES_COMMAND_OK;
  std::string msg = ok ? "" : PQresultErrorMessage(r);
  PQclear(r);
  if (!ok) throw std::runtime_error("libpq: prepare " + std::string(name) + ": " + msg);
}
template <class T>
T number(const PGresult* r, int row, int col) {
  const char* s = PQgetvalue(r, row, col);
  T v{};
  std::from_chars(s, s + PQgetlength(r, row, col), v);
  return v;
}
inline UserRow read_user(const PGresult* r, int row) {
  UserRow u;
  u.id = number<std::int64_t>(r, row, 0);
  u.name.assign(PQgetvalue(r, row, 1), static_cast<std::size_t>(PQgetlength(r, row, 1)));
  u.age = number<int>(r, row, 2);
  if (!PQgetisnull(r, row, 3)) u.email.emplace(PQgetvalue(r, row, 3), static_cast<std::size_t>(PQgetlength(r, row, 3)));
  return u;
}
inline PostRow read_post(const PGresult* r, int row) {
  return PostRow{number<std::int64_t>(r, row, 0), number<std::int64_t>(r, row, 1),
                 std::string(PQgetvalue(r, row, 2), static_cast<std::size_t>(PQgetlength(r, row, 2)))};
}
/// A result that must have succeeded; cleared on scope exit.
struct Result {
  PGresult* r;
  explicit Result(PGresult* res, PGconn* c) : r(res) {
    auto st = PQresultStatus(r);
    if (st != PGRES_TUPLES_OK && st != PGRES_COMMAND_OK) {
      std::string msg = r ? PQresultErrorMessage(r) : PQerrorMessage(c);
      PQclear(r);
      throw std::runtime_error("libpq: " + msg);
    }
  }
  ~Result() { PQclear(r); }
  Result(const Result&) = delete;
  Result& operator=(const Result&) = delete;
};

/// Runs `count` statements in pipeline mode: send(i) queues statement i
/// (PQsendQueryPrepared), read(i, result) takes its result. Chunks of kDepth statements each
/// end with a sync point, and the next chunk is sent before the previous one's results are
/// read, so the server always has work queued; a chunk's parameters (≤ ~60 kB here) fit the
/// socket buffer, so a blocking connection cannot deadlock against a server that waits for us
/// to read (the libpq manual's caveat about blocking mode).
template <class Send, class Read>
void pipelined(PGconn* c, std::size_t count, Send&& send, Read&& read) {
  constexpr std::size_t kDepth = 500;
  if (!PQenterPipelineMode(c)) fail(c, "PQenterPipelineMode");
  std::size_t sent = 0, done = 0;
  auto send_chunk = [&] {
    for (std::size_t end = std::min(count, sent + kDepth); sent < end; ++sent) send(sent);
    if (!PQpipelineSync(c)) fail(c, "PQpipelineSync");
  };
  auto read_chunk = [&] {
    for (std::size_t end = std::min(count, done + kDepth); done < end; ++done) {
      Result r(PQgetResult(c), c);
      read(done, r.r);
      if (PGresult* extra = PQgetResult(c)) PQclear(extra), fail(c, "more than one result for a statement");
    }
    PGresult* s = PQgetResult(c);
    bool synced = PQresultStatus(s) == PGRES_PIPELINE_SYNC;
    PQclear(s);
    if (!synced) fail(c, "no sync point where one was expected");
  };
  if (count > 0) send_chunk();
  while (done < count) {
    if (sent < count) send_chunk();
    read_chunk();
  }
  if (!PQexitPipelineMode(c)) fail(c, "PQexitPipelineMode");
}
inline void send(PGconn* c, const char* stmt, int n, const char* const* values) {
  if (!PQsendQueryPrepared(c, stmt, n, values, nullptr, nullptr, 0)) fail(c, std::string("send ") + stmt);
}

}  // namespace pg

class LibpqPipeline final : public PqxxRaw {
 public:
  std::string name() const override { return "hand-written libpq, pipelined"; }
  void open(const Target& t) override {
    PqxxRaw::open(t);
    PGconn* c = conn_->raw();
    pg::prepare(c, "pl_insert_user", "INSERT INTO users (name, age, email) VALUES ($1, $2, $3) RETURNING id");
    pg::prepare(c, "pl_user_by_id", "SELECT id, name, age, email FROM users WHERE id = $1");
    pg::prepare(c, "pl_users_by_age", "SELECT id, name, age, email FROM users WHERE age > $1 ORDER BY name LIMIT 100");
    pg::prepare(c, "pl_set_age", "UPDATE users SET age = $1 WHERE id = $2");
    pg::prepare(c, "pl_posts_of", "SELECT id, user_id, title FROM posts WHERE user_id = $1");
    pg::prepare(c, "pl_delete_user", "DELETE FROM users WHERE id = $1");
  }

  std::uint64_t w1_insert(const Data& d) override {
    pqxx::work tx(*conn_);
    PGconn* c = conn_->raw();
    ids_.assign(d.users.size(), 0);
    pg::pipelined(
        c, d.users.size(),
        [&](std::size_t i) {
          auto& u = d.users[i];
          char age[16];
          *std::to_chars(age, age + sizeof age - 1, u.age).ptr = '\0';
          const char* v[3] = {u.name.c_str(), age, u.email ? u.email->c_str() : nullptr};
          pg::send(c, "pl_insert_user", 3, v);
        },
        [&](std::size_t i, const PGresult* r) { ids_[i] = pg::number<std::int64_t>(r, 0, 0); });
    tx.commit();
    std::uint64_t cs = 0;
    for (auto id : ids_) cs += static_cast<std::uint64_t>(id);
    return cs;
  }
  std::uint64_t w3_get(const Data& d) override {
    pqxx::work tx(*conn_);
    PGconn* c = conn_->raw();
    std::vector<UserRow> found;
    found.reserve(d.lookups.size());
    pg::pipelined(
        c, d.lookups.size(),
        [&](std::size_t i) {
          char id[24];
          *std::to_chars(id, id + sizeof id - 1, d.lookups[i]).ptr = '\0';
          const char* v[1] = {id};
          pg::send(c, "pl_user_by_id", 1, v);
        },
        [&](std::size_t, const PGresult* r) {
          if (PQntuples(r) > 0) found.push_back(pg::read_user(r, 0));
        });
    tx.commit();
    return checksum(found);
  }
  std::uint64_t w4_filter(const Data& d) override {
    pqxx::work tx(*conn_);
    PGconn* c = conn_->raw();
    std::uint64_t cs = 0;
    pg::pipelined(
        c, d.ages.size(),
        [&](std::size_t i) {
          char age[16];
          *std::to_chars(age, age + sizeof age - 1, d.ages[i]).ptr = '\0';
          const char* v[1] = {age};
          pg::send(c, "pl_users_by_age", 1, v);
        },
        [&](std::size_t, const PGresult* r) {
          std::vector<UserRow> page;
          for (int row = 0, n = PQntuples(r); row < n; ++row) page.push_back(pg::read_user(r, row));
          cs += checksum(page);
        });
    tx.commit();
    return cs;
  }
  std::uint64_t w5_update() override {
    pqxx::work tx(*conn_);
    PGconn* c = conn_->raw();
    std::uint64_t cs = 0;
    std::vector<std::pair<std::int64_t, int>> rows;
    for (auto row : tx.exec_prepared("every_4th")) rows.emplace_back(row[0].as<std::int64_t>(), row[1].as<int>());
    pg::pipelined(
        c, rows.size(),
        [&](std::size_t i) {
          char age[16], id[24];
          *std::to_chars(age, age + sizeof age - 1, rows[i].second + 1).ptr = '\0';
          *std::to_chars(id, id + sizeof id - 1, rows[i].first).ptr = '\0';
          const char* v[2] = {age, id};
          pg::send(c, "pl_set_age", 2, v);
        },
        [&](std::size_t i, const PGresult*) {
          cs += static_cast<std::uint64_t>(rows[i].first) + static_cast<std::uint64_t>(rows[i].second + 1);
        });
    tx.commit();
    return cs;
  }
  std::uint64_t w6_lazy(int page) override {
    pqxx::work tx(*conn_);
    PGconn* c = conn_->raw();
    std::vector<std::pair<UserRow, std::vector<PostRow>>> out;
    for (auto row : tx.exec_prepared("users_upto", page)) out.emplace_back(pg::read_user(row), std::vector<PostRow>{});
    pg::pipelined(
        c, out.size(),
        [&](std::size_t i) {
          char id[24];
          *std::to_chars(id, id + sizeof id - 1, out[i].first.id).ptr = '\0';
          const char* v[1] = {id};
          pg::send(c, "pl_posts_of", 1, v);
        },
        [&](std::size_t i, const PGresult* r) {
          for (int row = 0, n = PQntuples(r); row < n; ++row) out[i].second.push_back(pg::read_post(r, row));
        });
    tx.commit();
    return checksum(out);
  }
  std::uint64_t w7_delete() override {
    pqxx::work tx(*conn_);
    PGconn* c = conn_->raw();
    std::uint64_t cs = 0;
    std::vector<std::int64_t> ids;
    for (auto row : tx.exec_prepared("every_10th")) ids.push_back(row[0].as<std::int64_t>());
    pg::pipelined(
        c, ids.size(),
        [&](std::size_t i) {
          char id[24];
          *std::to_chars(id, id + sizeof id - 1, ids[i]).ptr = '\0';
          const char* v[1] = {id};
          pg::send(c, "pl_delete_user", 1, v);
        },
        [&](std::size_t i, const PGresult*) { cs += static_cast<std::uint64_t>(ids[i]); });
    tx.commit();
    return cs;
  }
};

class PgMultiValues final : public PqxxRaw {
 public:
  static constexpr std::size_t kRows = 500;
  std::string name() const override { return "hand-written libpq, 500-row multi-VALUES"; }
  bool runs(const std::string& workload) const override { return workload == "W1"; }

  std::uint64_t w1_insert(const Data& d) override {
    pqxx::work tx(*conn_);
    PGconn* c = conn_->raw();
    ids_.clear();
    ids_.reserve(d.users.size());
    std::vector<std::string> ages(kRows);
    std::vector<const char*> v(kRows * 3);
    for (std::size_t at = 0; at < d.users.size(); at += kRows) {
      std::size_t rows = std::min(kRows, d.users.size() - at);
      std::string name = "mv_insert_" + std::to_string(rows);
      if (prepared_.insert(name).second) pg::prepare(c, name.c_str(), sql(rows));  // once per connection and length
      for (std::size_t i = 0; i < rows; ++i) {
        auto& u = d.users[at + i];
        ages[i] = std::to_string(u.age);
        v[i * 3] = u.name.c_str(), v[i * 3 + 1] = ages[i].c_str(), v[i * 3 + 2] = u.email ? u.email->c_str() : nullptr;
      }
      pg::Result r(PQexecPrepared(c, name.c_str(), static_cast<int>(rows * 3), v.data(), nullptr, nullptr, 0), c);
      for (int row = 0, n = PQntuples(r.r); row < n; ++row) ids_.push_back(pg::number<std::int64_t>(r.r, row, 0));
    }
    tx.commit();
    std::uint64_t cs = 0;
    for (auto id : ids_) cs += static_cast<std::uint64_t>(id);
    return cs;
  }
  void open(const Target& t) override {
    PqxxRaw::open(t);
    prepared_.clear();
  }

 private:
  static std::string sql(std::size_t rows) {
    std::string s = "INSERT INTO users (name, age, email) VALUES ";
    for (std::size_t i = 0; i < rows; ++i) {
      s += (i ? ", ($" : "($") + std::to_string(i * 3 + 1) + ", $" + std::to_string(i * 3 + 2) + ", $" + std::to_string(i * 3 + 3) + ")";
    }
    return s + " RETURNING id";
  }
  std::set<std::string> prepared_;  // statement names prepared on this connection
};

}  // namespace bench
