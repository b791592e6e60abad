// bench/runner.hpp — what each contestant implements: one method per workload of DESIGN §5,
// each returning a checksum of what it read or wrote so that the harness can check that
// the three implementations did the same work.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "models.hpp"

namespace bench {

/// Where a run goes: a SQLite file or memory, or a PostgreSQL or MariaDB database.
struct Target {
  std::string backend;  // "sqlite", "postgresql" or "mysql"
  std::string path;     // SQLite: file path, or ":memory:"
  std::string url;      // a server: the database's URL (athanor's form; libpq takes it as it is)
};

/// Order-independent checksums, the same formula in every implementation.
inline std::uint64_t user_sum(std::int64_t id, int age, std::size_t name_len, bool has_email) {
  return static_cast<std::uint64_t>(id) * 1000003u + static_cast<std::uint64_t>(age) * 101u + name_len * 7u + (has_email ? 1u : 0u);
}
inline std::uint64_t post_sum(std::int64_t id, std::int64_t user_id, std::size_t title_len) {
  return static_cast<std::uint64_t>(id) * 7919u + static_cast<std::uint64_t>(user_id) * 13u + title_len;
}

inline std::uint64_t sum(const UserRow& u) { return user_sum(u.id, u.age, u.name.size(), u.email.has_value()); }
inline std::uint64_t sum(const PostRow& p) { return post_sum(p.id, p.user_id, p.title.size()); }

/// `*x` for handles (Ptr<User>), `x` for values.
template <class T>
const auto& deref(const T& x) {
  if constexpr (requires { *x; }) return *x;
  else return x;
}
/// The checksum of a list of rows (or of handles to them).
template <class R>
std::uint64_t checksum(const std::vector<R>& rows) {
  std::uint64_t cs = 0;
  for (auto& r : rows) cs += sum(deref(r));
  return cs;
}
/// W6's checksum: each user, and each of its posts that names it (`sum` of the row types).
template <class U, class P>
std::uint64_t checksum(const std::vector<std::pair<U, std::vector<P>>>& out) {
  std::uint64_t cs = 0;
  for (auto& [u, posts] : out) {
    cs += sum(deref(u));
    for (auto& p : posts) cs += sum(deref(p)) * (deref(p).user_id == deref(u).id ? 1 : 0);
  }
  return cs;
}

class Runner {
 public:
  virtual ~Runner() = default;
  virtual std::string name() const = 0;
  /// Whether it runs workload `id` ("W1"…): a reference may run W1 only.
  virtual bool runs(const std::string& id) const { return !id.empty(); }
  /// Whether its time of workload `id` is reported: a reference may run W1 as the baseline
  /// does only to make the data of the workloads it is a reference for.
  virtual bool reports(const std::string& id) const { return runs(id); }
  /// A fresh database with the schema (not timed).
  virtual void open(const Target& t) = 0;
  virtual void close() = 0;
  /// The schema as the database reports it (sqlite_master), to check all are equal.
  virtual std::string schema() = 0;
  /// W6 setup, not timed: 10 posts per user, through the same raw code for everyone.
  virtual void insert_posts(std::size_t posts_per_user) = 0;
  /// Planner statistics after W1 and after the W6 set-up (not timed): on a server, ANALYZE, so
  /// that every contestant's database plans W4 alike rather than as autovacuum happened to
  /// analyze it (without it the hand-written W4 on PostgreSQL ran 4x slower than athanor's,
  /// by the plan alone). SQLite: nothing (no statistics unless asked, for everyone alike).
  virtual void analyze() {}
  /// users and posts left, after W7 (not timed).
  virtual std::pair<std::int64_t, std::int64_t> counts() = 0;

  /// W1: insert every user of `d` in one transaction; keep their generated ids.
  virtual std::uint64_t w1_insert(const Data& d) = 0;
  /// W2: load all users as objects.
  virtual std::uint64_t w2_load_all() = 0;
  /// W3: one primary-key lookup per id of d.lookups (min(N, 20 000) distinct ids).
  virtual std::uint64_t w3_get(const Data& d) = 0;
  /// W4: `age > ? ORDER BY name LIMIT 100` once per threshold of d.ages.
  virtual std::uint64_t w4_filter(const Data& d) = 0;
  /// W5: load the users with id % 4 = 0, add 1 to each one's age, commit.
  virtual std::uint64_t w5_update() = 0;
  /// W6 lazy: a page of `page` users (id <= page), then each one's posts with one query per
  /// user (N+1).
  virtual std::uint64_t w6_lazy(int page) = 0;
  /// W6 eager: all users, then all their posts in one query (user_id IN …), grouped in memory.
  virtual std::uint64_t w6_eager() = 0;
  /// W7: delete the users with id % 10 = 0, one by one; posts go by ON DELETE CASCADE.
  virtual std::uint64_t w7_delete() = 0;

 protected:
  std::vector<std::int64_t> ids_;  // W1's generated ids
};

}  // namespace bench
