// bench/workloads_mysql_raw.hpp — the MariaDB baseline: hand-written MariaDB Connector/C code
// on its prepared-statement API, as its manual teaches (mysql_stmt_init, mysql_stmt_prepare,
// mysql_stmt_bind_param with MYSQL_BIND arrays, mysql_stmt_execute, mysql_stmt_bind_result
// into fixed buffers, mysql_stmt_fetch; https://mariadb.com/kb/en/api-prepared-statement-functions/):
// statements prepared once per connection, one round trip per statement, one transaction per
// workload, columns read straight into plain structs. Also the untimed set-up every MariaDB
// contestant shares (posts, counts, the schema) and the 500-row multi-VALUES W1 reference.
#pragma once

#include <mysql.h>

#include <charconv>
#include <cstring>
#include <memory>
#include <stdexcept>
#include <unordered_map>

#include "runner.hpp"

namespace bench {

/// The hand-written DDL; the schema check compares it with what create_all made.
inline constexpr const char* kMysqlSchemaSql[] = {
    "CREATE TABLE `users` (`id` INTEGER NOT NULL AUTO_INCREMENT, `name` VARCHAR(50) NOT NULL, `age` INTEGER NOT NULL, "
    "`email` VARCHAR(120), PRIMARY KEY (`id`))",
    "CREATE INDEX `ix_users_name` ON `users` (`name`)",
    "CREATE TABLE `posts` (`id` INTEGER NOT NULL AUTO_INCREMENT, `user_id` INTEGER NOT NULL, `title` VARCHAR(200) NOT NULL, "
    "PRIMARY KEY (`id`), CONSTRAINT `fk_posts_user_id_users` FOREIGN KEY (`user_id`) REFERENCES `users` (`id`) ON DELETE CASCADE)",
    "CREATE INDEX `ix_posts_user_id` ON `posts` (`user_id`)",
};

namespace my {

[[noreturn]] inline void fail(MYSQL* db, const std::string& what) {
  throw std::runtime_error("mysql: " + what + ": " + mysql_error(db));
}
inline void exec(MYSQL* db, const std::string& sql) {
  if (mysql_real_query(db, sql.data(), sql.size())) fail(db, sql);
}

/// A connection to the database of an athanor-style URL (mysql://user:pw@host:port/db?unix_socket=…),
/// in utf8mb4, with the session settings athanor's driver makes (UTC, strict sql_mode).
struct Conn {
  MYSQL* db = nullptr;
  explicit Conn(const std::string& url) {
    auto u = athanor::URL::parse(url);
    db = mysql_init(nullptr);
    if (!db) throw std::bad_alloc{};
    mysql_options(db, MYSQL_SET_CHARSET_NAME, "utf8mb4");
    auto socket = u.option("unix_socket", "");
    auto opt = [](const std::string& s) { return s.empty() ? nullptr : s.c_str(); };
    if (!mysql_real_connect(db, opt(u.host), opt(u.username), u.password.c_str(), opt(u.database),
                            static_cast<unsigned>(u.port.value_or(0)), opt(socket), 0)) {
      std::string msg = mysql_error(db);
      mysql_close(db);
      throw std::runtime_error("mysql: connect: " + msg);
    }
    exec(db, "SET time_zone = '+00:00', autocommit = 1, sql_mode = 'STRICT_ALL_TABLES,ERROR_FOR_DIVISION_BY_ZERO,"
             "NO_ZERO_DATE,NO_ZERO_IN_DATE,NO_ENGINE_SUBSTITUTION'");
  }
  ~Conn() { mysql_close(db); }
  Conn(const Conn&) = delete;
  Conn& operator=(const Conn&) = delete;
};

/// The thin RAII wrapper any hand-written code has around MYSQL_STMT.
class Stmt {
 public:
  Stmt(MYSQL* db, const std::string& sql) : db_(db), s_(mysql_stmt_init(db)) {
    if (!s_) my::fail(db, "mysql_stmt_init");
    if (mysql_stmt_prepare(s_, sql.data(), sql.size())) fail(sql);
  }
  ~Stmt() { mysql_stmt_close(s_); }
  Stmt(const Stmt&) = delete;
  Stmt& operator=(const Stmt&) = delete;
  operator MYSQL_STMT*() const { return s_; }
  void bind_params(MYSQL_BIND* b) {
    if (mysql_stmt_bind_param(s_, b)) fail("bind_param");
  }
  void bind_result(MYSQL_BIND* b) {
    if (mysql_stmt_bind_result(s_, b)) fail("bind_result");
  }
  void execute() {
    if (mysql_stmt_execute(s_)) fail("execute");
  }
  /// mysql_stmt_fetch into the bound buffers; false at the end of the rows.
  bool fetch() {
    int rc = mysql_stmt_fetch(s_);
    if (rc == 0) return true;
    if (rc == MYSQL_NO_DATA) return false;
    if (rc == MYSQL_DATA_TRUNCATED) throw std::runtime_error("mysql: a column did not fit its buffer");
    fail("fetch");
  }
  void free_result() { mysql_stmt_free_result(s_); }
  std::int64_t insert_id() const { return static_cast<std::int64_t>(mysql_stmt_insert_id(s_)); }

 private:
  [[noreturn]] void fail(const std::string& what) {
    throw std::runtime_error("mysql: " + what + ": " + mysql_stmt_error(s_));
  }
  MYSQL* db_;
  MYSQL_STMT* s_;
};

inline MYSQL_BIND bind(enum_field_types type, void* buffer, unsigned long size = 0, unsigned long* length = nullptr,
                       my_bool* is_null = nullptr) {
  MYSQL_BIND b;
  std::memset(&b, 0, sizeof b);
  b.buffer_type = type;
  b.buffer = buffer;
  b.buffer_length = size;
  b.length = length;
  b.is_null = is_null;
  return b;
}

/// The parameters (name, age, email) of one user's INSERT, pointing into the row itself.
struct UserParams {
  unsigned long name_len = 0, email_len = 0;
  my_bool email_null = 0;
  int age = 0;
  void set(const UserRow& u, MYSQL_BIND* b) {
    name_len = u.name.size(), age = u.age, email_null = !u.email;
    email_len = u.email ? u.email->size() : 0;
    b[0] = bind(MYSQL_TYPE_STRING, const_cast<char*>(u.name.data()), name_len, &name_len);
    b[1] = bind(MYSQL_TYPE_LONG, &age);
    b[2] = bind(MYSQL_TYPE_STRING, u.email ? const_cast<char*>(u.email->data()) : nullptr, email_len, &email_len, &email_null);
  }
};

/// Result buffers for (id, name, age, email): VARCHAR(50) and VARCHAR(120) of utf8mb4 fit.
struct UserOut {
  std::int64_t id = 0;
  char name[200];
  unsigned long name_len = 0;
  int age = 0;
  char email[480];
  unsigned long email_len = 0;
  my_bool email_null = 0;
  MYSQL_BIND b[4];
  explicit UserOut(Stmt& s) {
    b[0] = bind(MYSQL_TYPE_LONGLONG, &id);
    b[1] = bind(MYSQL_TYPE_STRING, name, sizeof name, &name_len);
    b[2] = bind(MYSQL_TYPE_LONG, &age);
    b[3] = bind(MYSQL_TYPE_STRING, email, sizeof email, &email_len, &email_null);
    s.bind_result(b);
  }
  UserRow row() const {
    UserRow u;
    u.id = id;
    u.name.assign(name, name_len);
    u.age = age;
    if (!email_null) u.email.emplace(email, email_len);
    return u;
  }
};
struct PostOut {
  std::int64_t id = 0, user_id = 0;
  char title[800];
  unsigned long title_len = 0;
  MYSQL_BIND b[3];
  explicit PostOut(Stmt& s) {
    b[0] = bind(MYSQL_TYPE_LONGLONG, &id);
    b[1] = bind(MYSQL_TYPE_LONGLONG, &user_id);
    b[2] = bind(MYSQL_TYPE_STRING, title, sizeof title, &title_len);
    s.bind_result(b);
  }
  PostRow row() const { return PostRow{id, user_id, std::string(title, title_len)}; }
};

/// Rows of a plain query through the text protocol (set-up and checks only).
inline std::vector<std::vector<std::string>> query(MYSQL* db, const std::string& sql) {
  exec(db, sql);
  std::vector<std::vector<std::string>> out;
  MYSQL_RES* res = mysql_store_result(db);
  if (!res) return out;
  unsigned n = mysql_num_fields(res);
  while (MYSQL_ROW row = mysql_fetch_row(res)) {
    out.emplace_back();
    for (unsigned i = 0; i < n; ++i) out.back().push_back(row[i] ? row[i] : "NULL");
  }
  mysql_free_result(res);
  return out;
}

inline void drop_tables(MYSQL* db) { exec(db, "DROP TABLE IF EXISTS posts, users"); }

/// A JSON array of the ids: "[1,2,3]".
inline std::string json_ids(const std::vector<std::int64_t>& ids) {
  std::string s = "[";
  char buf[24];
  for (auto id : ids) {
    if (s.size() > 1) s += ',';
    s.append(buf, std::to_chars(buf, buf + sizeof buf, id).ptr);
  }
  return s += ']';
}

/// 10 posts per user (W6 set-up for every contestant; not timed): one INSERT … SELECT on the
/// server over the ids as a JSON array and the Sequence engine's seq_0_to_9, in the order of
/// the ids and then k, so that every contestant's posts get the same ids.
inline void insert_posts(MYSQL* db, const std::vector<std::int64_t>& user_ids, std::size_t per_user) {
  Stmt ins(db, "INSERT INTO posts (user_id, title) SELECT j.id, CONCAT('post ', s.seq, ' of user ', j.id) FROM JSON_TABLE(?, "
               "'$[*]' COLUMNS (ord FOR ORDINALITY, id BIGINT PATH '$')) AS j CROSS JOIN seq_0_to_" +
                   std::to_string(per_user - 1) + " AS s ORDER BY j.ord, s.seq");
  std::string ids = json_ids(user_ids);
  unsigned long len = ids.size();
  MYSQL_BIND b = bind(MYSQL_TYPE_STRING, ids.data(), len, &len);
  ins.bind_params(&b);
  exec(db, "START TRANSACTION");
  ins.execute();
  if (mysql_commit(db)) fail(db, "commit");
}
inline void analyze(MYSQL* db) { query(db, "ANALYZE TABLE users, posts"); }
inline std::pair<std::int64_t, std::int64_t> counts(MYSQL* db) {
  auto r = query(db, "SELECT (SELECT count(*) FROM users), (SELECT count(*) FROM posts)");
  return {std::stoll(r.at(0).at(0)), std::stoll(r.at(0).at(1))};
}
/// Columns, foreign keys and indexes as the server reports them.
inline std::string schema(MYSQL* db) {
  std::string out;
  for (const char* sql :
       {"SELECT CONCAT_WS(' ', table_name, column_name, column_type, is_nullable, IFNULL(column_default, '-'), extra, "
        "collation_name) FROM information_schema.columns WHERE table_schema = DATABASE() ORDER BY table_name, ordinal_position",
        "SELECT CONCAT_WS(' ', constraint_name, table_name, referenced_table_name, update_rule, delete_rule) FROM "
        "information_schema.referential_constraints WHERE constraint_schema = DATABASE() ORDER BY 1",
        "SELECT CONCAT_WS(' ', table_name, index_name, seq_in_index, column_name, non_unique) FROM information_schema.statistics "
        "WHERE table_schema = DATABASE() ORDER BY 1"}) {
    for (auto& row : query(db, sql)) out += row.at(0) + ";\n";
  }
  return out;
}

}  // namespace my

class MysqlRaw : public Runner {
 public:
  std::string name() const override { return "hand-written Connector/C"; }
  void open(const Target& t) override {
    conn_ = std::make_unique<my::Conn>(t.url);
    db_ = conn_->db;
    my::drop_tables(db_);
    for (auto* sql : kMysqlSchemaSql) my::exec(db_, sql);
    insert_user_ = std::make_unique<my::Stmt>(db_, "INSERT INTO users (name, age, email) VALUES (?, ?, ?)");
    all_users_ = std::make_unique<my::Stmt>(db_, "SELECT id, name, age, email FROM users");
    user_by_id_ = std::make_unique<my::Stmt>(db_, "SELECT id, name, age, email FROM users WHERE id = ?");
    users_by_age_ = std::make_unique<my::Stmt>(db_, "SELECT id, name, age, email FROM users WHERE age > ? ORDER BY name LIMIT 100");
    every_4th_ = std::make_unique<my::Stmt>(db_, "SELECT id, age FROM users WHERE id % 4 = 0");
    set_age_ = std::make_unique<my::Stmt>(db_, "UPDATE users SET age = ? WHERE id = ?");
    users_upto_ = std::make_unique<my::Stmt>(db_, "SELECT id, name, age, email FROM users WHERE id <= ?");
    posts_of_ = std::make_unique<my::Stmt>(db_, "SELECT id, user_id, title FROM posts WHERE user_id = ?");
    // The IN list bound as one JSON array, as athanor does on MariaDB (one statement, any length).
    posts_of_any_ = std::make_unique<my::Stmt>(
        db_, "SELECT id, user_id, title FROM posts WHERE user_id IN (SELECT v FROM JSON_TABLE(?, '$[*]' COLUMNS (v BIGINT PATH '$')) AS j)");
    every_10th_ = std::make_unique<my::Stmt>(db_, "SELECT id FROM users WHERE id % 10 = 0");
    delete_user_ = std::make_unique<my::Stmt>(db_, "DELETE FROM users WHERE id = ?");
    ids_.clear();
  }
  void close() override {
    insert_user_.reset(), all_users_.reset(), user_by_id_.reset(), users_by_age_.reset(), every_4th_.reset(), set_age_.reset();
    users_upto_.reset(), posts_of_.reset(), posts_of_any_.reset(), every_10th_.reset(), delete_user_.reset();
    if (conn_) my::drop_tables(db_);
    conn_.reset();
    db_ = nullptr;
  }
  std::string schema() override { return my::schema(db_); }
  void insert_posts(std::size_t per_user) override { my::insert_posts(db_, ids_, per_user); }
  std::pair<std::int64_t, std::int64_t> counts() override { return my::counts(db_); }
  void analyze() override { my::analyze(db_); }

  std::uint64_t w1_insert(const Data& d) override {
    begin();
    ids_.clear();
    ids_.reserve(d.users.size());
    std::uint64_t cs = 0;
    my::UserParams p;
    MYSQL_BIND b[3];
    for (auto& u : d.users) {
      p.set(u, b);
      insert_user_->bind_params(b);
      insert_user_->execute();
      ids_.push_back(insert_user_->insert_id());
      cs += static_cast<std::uint64_t>(ids_.back());
    }
    commit();
    return cs;
  }
  std::uint64_t w2_load_all() override {
    begin();
    std::vector<UserRow> users;
    my::UserOut out(*all_users_);
    all_users_->execute();
    while (all_users_->fetch()) users.push_back(out.row());
    all_users_->free_result();
    commit();
    return checksum(users);
  }
  std::uint64_t w3_get(const Data& d) override {
    begin();
    std::vector<UserRow> found;
    found.reserve(d.lookups.size());
    my::UserOut out(*user_by_id_);
    std::int64_t id = 0;
    MYSQL_BIND b = my::bind(MYSQL_TYPE_LONGLONG, &id);
    user_by_id_->bind_params(&b);
    for (auto lookup : d.lookups) {
      id = lookup;
      user_by_id_->execute();
      while (user_by_id_->fetch()) found.push_back(out.row());
      user_by_id_->free_result();
    }
    commit();
    return checksum(found);
  }
  std::uint64_t w4_filter(const Data& d) override {
    begin();
    std::uint64_t cs = 0;
    my::UserOut out(*users_by_age_);
    int age = 0;
    MYSQL_BIND b = my::bind(MYSQL_TYPE_LONG, &age);
    users_by_age_->bind_params(&b);
    for (int a : d.ages) {
      age = a;
      std::vector<UserRow> page;
      users_by_age_->execute();
      while (users_by_age_->fetch()) page.push_back(out.row());
      users_by_age_->free_result();
      cs += checksum(page);
    }
    commit();
    return cs;
  }
  std::uint64_t w5_update() override {
    begin();
    std::uint64_t cs = 0;
    std::vector<std::pair<std::int64_t, int>> rows;
    {
      std::int64_t id = 0;
      int age = 0;
      MYSQL_BIND r[2] = {my::bind(MYSQL_TYPE_LONGLONG, &id), my::bind(MYSQL_TYPE_LONG, &age)};
      every_4th_->bind_result(r);
      every_4th_->execute();
      while (every_4th_->fetch()) rows.emplace_back(id, age);
      every_4th_->free_result();
    }
    std::int64_t id = 0;
    int age = 0;
    MYSQL_BIND b[2] = {my::bind(MYSQL_TYPE_LONG, &age), my::bind(MYSQL_TYPE_LONGLONG, &id)};
    set_age_->bind_params(b);
    for (auto& [row_id, row_age] : rows) {
      id = row_id, age = row_age + 1;
      set_age_->execute();
      cs += static_cast<std::uint64_t>(id) + static_cast<std::uint64_t>(age);
    }
    commit();
    return cs;
  }
  std::uint64_t w6_lazy(int page) override {
    begin();
    std::vector<std::pair<UserRow, std::vector<PostRow>>> out;
    {
      my::UserOut u(*users_upto_);
      int upto = page;
      MYSQL_BIND b = my::bind(MYSQL_TYPE_LONG, &upto);
      users_upto_->bind_params(&b);
      users_upto_->execute();
      while (users_upto_->fetch()) out.emplace_back(u.row(), std::vector<PostRow>{});
      users_upto_->free_result();
    }
    my::PostOut p(*posts_of_);
    std::int64_t user_id = 0;
    MYSQL_BIND b = my::bind(MYSQL_TYPE_LONGLONG, &user_id);
    posts_of_->bind_params(&b);
    for (auto& [u, posts] : out) {
      user_id = u.id;
      posts_of_->execute();
      while (posts_of_->fetch()) posts.push_back(p.row());
      posts_of_->free_result();
    }
    commit();
    return checksum(out);
  }
  std::uint64_t w6_eager() override {
    begin();
    std::vector<std::pair<UserRow, std::vector<PostRow>>> out;
    std::unordered_map<std::int64_t, std::size_t> index;
    std::vector<std::int64_t> ids;
    {
      my::UserOut u(*all_users_);
      all_users_->execute();
      while (all_users_->fetch()) {
        out.emplace_back(u.row(), std::vector<PostRow>{});
        index.emplace(u.id, out.size() - 1);
        ids.push_back(u.id);
      }
      all_users_->free_result();
    }
    std::string json = my::json_ids(ids);
    unsigned long len = json.size();
    MYSQL_BIND b = my::bind(MYSQL_TYPE_STRING, json.data(), len, &len);
    my::PostOut p(*posts_of_any_);
    posts_of_any_->bind_params(&b);
    posts_of_any_->execute();
    while (posts_of_any_->fetch()) out[index.at(p.user_id)].second.push_back(p.row());
    posts_of_any_->free_result();
    commit();
    return checksum(out);
  }
  std::uint64_t w7_delete() override {
    begin();
    std::uint64_t cs = 0;
    std::vector<std::int64_t> ids;
    std::int64_t id = 0;
    {
      MYSQL_BIND r = my::bind(MYSQL_TYPE_LONGLONG, &id);
      every_10th_->bind_result(&r);
      every_10th_->execute();
      while (every_10th_->fetch()) ids.push_back(id);
      every_10th_->free_result();
    }
    MYSQL_BIND b = my::bind(MYSQL_TYPE_LONGLONG, &id);
    delete_user_->bind_params(&b);
    for (auto row_id : ids) {
      id = row_id;
      delete_user_->execute();
      cs += static_cast<std::uint64_t>(id);
    }
    commit();
    return cs;
  }

 protected:
  void begin() { my::exec(db_, "START TRANSACTION"); }
  void commit() {
    if (mysql_commit(db_)) my::fail(db_, "commit");
  }
  std::unique_ptr<my::Conn> conn_;
  MYSQL* db_ = nullptr;
  std::unique_ptr<my::Stmt> insert_user_, all_users_, user_by_id_, users_by_age_, every_4th_, set_age_, users_upto_, posts_of_,
      posts_of_any_, every_10th_, delete_user_;
};

/// The bulk-insert reference of W1 (only W1): the users as 500-row multi-VALUES INSERTs by
/// hand, `INSERT … VALUES (?, ?, ?), … RETURNING id` (MariaDB ≥ 10.5) prepared once (and once
/// more for the last, shorter chunk), the ids read back from each statement's result.
class MysqlMultiValues final : public MysqlRaw {
 public:
  static constexpr std::size_t kRows = 500;
  std::string name() const override { return "hand-written Connector/C, 500-row multi-VALUES"; }
  bool runs(const std::string& workload) const override { return workload == "W1"; }

  std::uint64_t w1_insert(const Data& d) override {
    begin();
    ids_.clear();
    ids_.reserve(d.users.size());
    std::vector<my::UserParams> params(kRows);
    std::vector<MYSQL_BIND> binds(kRows * 3);
    std::unique_ptr<my::Stmt> full, last;
    for (std::size_t at = 0; at < d.users.size(); at += kRows) {
      std::size_t rows = std::min(kRows, d.users.size() - at);
      auto& stmt = rows == kRows ? full : last;
      if (!stmt) stmt = std::make_unique<my::Stmt>(db_, sql(rows));
      for (std::size_t i = 0; i < rows; ++i) params[i].set(d.users[at + i], &binds[i * 3]);
      stmt->bind_params(binds.data());
      std::int64_t id = 0;
      MYSQL_BIND r = my::bind(MYSQL_TYPE_LONGLONG, &id);
      stmt->execute();
      stmt->bind_result(&r);
      while (stmt->fetch()) ids_.push_back(id);
      stmt->free_result();
    }
    commit();
    std::uint64_t cs = 0;
    for (auto id : ids_) cs += static_cast<std::uint64_t>(id);
    return cs;
  }

 private:
  static std::string sql(std::size_t rows) {
    std::string s = "INSERT INTO users (name, age, email) VALUES ";
    for (std::size_t i = 0; i < rows; ++i) s += i ? ", (?, ?, ?)" : "(?, ?, ?)";
    return s + " RETURNING id";
  }
};

/// The MariaDB counterpart of PostgreSQL's pipelined twin, for W5 and W7 only: the UPDATEs and
/// DELETEs of the baseline bound as arrays, many rows per execution (Connector/C bulk
/// operations, STMT_ATTR_ARRAY_SIZE with column-wise arrays, MariaDB ≥ 10.2;
/// https://mariadb.com/kb/en/bulk-insert-column-wise-binding/). W1 runs as the baseline's
/// (array binding gives no generated key per row) only to make the data, and is not reported.
class MysqlBulk final : public MysqlRaw {
 public:
  static constexpr std::size_t kRows = 10000;  // rows per execution
  std::string name() const override { return "hand-written Connector/C, array binding"; }
  bool runs(const std::string& workload) const override { return workload == "W1" || workload == "W5" || workload == "W7"; }
  bool reports(const std::string& workload) const override { return workload == "W5" || workload == "W7"; }

  std::uint64_t w5_update() override {
    begin();
    std::uint64_t cs = 0;
    std::vector<std::int64_t> ids;
    std::vector<int> ages;
    {
      std::int64_t id = 0;
      int age = 0;
      MYSQL_BIND r[2] = {my::bind(MYSQL_TYPE_LONGLONG, &id), my::bind(MYSQL_TYPE_LONG, &age)};
      every_4th_->bind_result(r);
      every_4th_->execute();
      while (every_4th_->fetch()) ids.push_back(id), ages.push_back(age + 1);
      every_4th_->free_result();
    }
    for (std::size_t at = 0; at < ids.size(); at += kRows) {
      unsigned rows = static_cast<unsigned>(std::min(kRows, ids.size() - at));
      MYSQL_BIND b[2] = {my::bind(MYSQL_TYPE_LONG, &ages[at]), my::bind(MYSQL_TYPE_LONGLONG, &ids[at])};
      execute_array(*set_age_, b, rows);
    }
    for (std::size_t i = 0; i < ids.size(); ++i) cs += static_cast<std::uint64_t>(ids[i]) + static_cast<std::uint64_t>(ages[i]);
    commit();
    return cs;
  }
  std::uint64_t w7_delete() override {
    begin();
    std::uint64_t cs = 0;
    std::vector<std::int64_t> ids;
    {
      std::int64_t id = 0;
      MYSQL_BIND r = my::bind(MYSQL_TYPE_LONGLONG, &id);
      every_10th_->bind_result(&r);
      every_10th_->execute();
      while (every_10th_->fetch()) ids.push_back(id);
      every_10th_->free_result();
    }
    for (std::size_t at = 0; at < ids.size(); at += kRows) {
      unsigned rows = static_cast<unsigned>(std::min(kRows, ids.size() - at));
      MYSQL_BIND b = my::bind(MYSQL_TYPE_LONGLONG, &ids[at]);
      execute_array(*delete_user_, &b, rows);
    }
    for (auto id : ids) cs += static_cast<std::uint64_t>(id);
    commit();
    return cs;
  }

 private:
  /// One execution of `s` over `rows` rows of column-wise arrays; each row must hit one row.
  void execute_array(my::Stmt& s, MYSQL_BIND* b, unsigned rows) {
    if (mysql_stmt_attr_set(s, STMT_ATTR_ARRAY_SIZE, &rows)) throw std::runtime_error("mysql: STMT_ATTR_ARRAY_SIZE refused");
    s.bind_params(b);
    s.execute();
    if (mysql_stmt_affected_rows(s) != rows) throw std::runtime_error("mysql: an array execution missed rows");
    unsigned one = 0;  // back to one row per execution for the statement's other users
    mysql_stmt_attr_set(s, STMT_ATTR_ARRAY_SIZE, &one);
  }
};

}  // namespace bench
