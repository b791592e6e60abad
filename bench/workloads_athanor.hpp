// bench/workloads_athanor.hpp — the same workloads through athanor: the typed Core path
// (typed statements executed on a Connection) and the ORM path (Session, identity map,
// unit of work). Written as a user of the library would write them, nothing prepared by hand.
#pragma once

#include <unordered_map>

#include "runner.hpp"
#include "workloads_sqlite_raw.hpp"
#if ATHANOR_WITH_POSTGRESQL
#  include "workloads_pqxx_raw.hpp"
#endif
#if ATHANOR_WITH_MYSQL
#  include "workloads_mysql_raw.hpp"
#endif

namespace bench {

using orm::c;

inline std::uint64_t sum(const User& u) { return user_sum(u.id, u.age, u.name->size(), u.email->has_value()); }
inline std::uint64_t sum(const Post& p) { return post_sum(p.id, p.user_id, p.title->size()); }

/// What both athanor contestants share: the Engine, the schema through create_all, and the
/// untimed set-up and checks (done on the driver's sqlite3 handle, as the baseline does).
class AthanorBase : public Runner {
 protected:
  template <class F>
  auto with_handle(F&& f) {
    auto conn = engine_->connect();
    return f(dynamic_cast<athanor::driver::sqlite::Connection&>(conn.driver_connection()).handle());
  }
 public:
  void open(const Target& t) override {
    std::string url = t.backend != "sqlite"     ? t.url
                      : t.path == ":memory:"    ? "sqlite://"
                                                : "sqlite:///" + t.path + "?journal_mode=WAL&synchronous=NORMAL";
    engine_.emplace(athanor::create_engine(url));
    registry_.map<User, Post>();
#if ATHANOR_WITH_POSTGRESQL
    if (t.backend == "postgresql") setup_ = std::make_unique<pg::Conn>(t.url);  // the untimed set-up and checks
#endif
#if ATHANOR_WITH_MYSQL
    if (t.backend == "mysql") my_setup_ = std::make_unique<my::Conn>(t.url);
#endif
    if (t.backend != "sqlite") registry_.metadata().drop_all(*engine_);
    registry_.metadata().create_all(*engine_);
    ids_.clear();
  }
  void close() override {
#if ATHANOR_WITH_POSTGRESQL
    if (setup_) registry_.metadata().drop_all(*engine_), setup_.reset();
#endif
#if ATHANOR_WITH_MYSQL
    if (my_setup_) registry_.metadata().drop_all(*engine_), my_setup_.reset();
#endif
    engine_.reset();
  }
  std::string schema() override {
#if ATHANOR_WITH_POSTGRESQL
    if (setup_) return pg::schema(*setup_);
#endif
#if ATHANOR_WITH_MYSQL
    if (my_setup_) return my::schema(my_setup_->db);
#endif
    return with_handle([](sqlite3* db) { return raw::schema(db); });
  }
  void insert_posts(std::size_t per_user) override {
#if ATHANOR_WITH_POSTGRESQL
    if (setup_) return pg::insert_posts(*setup_, ids_, per_user);
#endif
#if ATHANOR_WITH_MYSQL
    if (my_setup_) return my::insert_posts(my_setup_->db, ids_, per_user);
#endif
    with_handle([&](sqlite3* db) { return raw::insert_posts(db, ids_, per_user), 0; });
  }
  void analyze() override {
#if ATHANOR_WITH_POSTGRESQL
    if (setup_) pg::analyze(*setup_);
#endif
#if ATHANOR_WITH_MYSQL
    if (my_setup_) my::analyze(my_setup_->db);
#endif
  }
  std::pair<std::int64_t, std::int64_t> counts() override {
#if ATHANOR_WITH_POSTGRESQL
    if (setup_) return pg::counts(*setup_);
#endif
#if ATHANOR_WITH_MYSQL
    if (my_setup_) return my::counts(my_setup_->db);
#endif
    return with_handle([](sqlite3* db) { return raw::counts(db); });
  }

 protected:
  std::optional<athanor::Engine> engine_;
  orm::Registry registry_;
#if ATHANOR_WITH_POSTGRESQL
  std::unique_ptr<pg::Conn> setup_;
#endif
#if ATHANOR_WITH_MYSQL
  std::unique_ptr<my::Conn> my_setup_;
#endif
};

/// The typed Core path: `conn.execute(orm::select<User>()…)`, `orm::update<User>()…`.
class AthanorCore : public AthanorBase {
 public:
  /// W1 through "bindparam" (one Core INSERT with bindparam() executed per row; the default,
  /// the faster) or "values_list" (multi-row INSERT … RETURNING id, 1000 rows per statement).
  explicit AthanorCore(std::string insert_mode = "bindparam") : insert_mode_(std::move(insert_mode)) {}
  std::string name() const override { return "athanor typed Core"; }

  std::uint64_t w1_insert(const Data& d) override {
    auto& users = orm::table_of<User>();
    auto conn = engine_->begin();
    ids_.clear();
    ids_.reserve(d.users.size());
    std::uint64_t cs = 0;
    if (insert_mode_ == "values_list") {
      for (std::size_t at = 0; at < d.users.size(); at += 1000) {
        std::vector<athanor::Values> rows;
        for (std::size_t i = at; i < std::min(at + 1000, d.users.size()); ++i) {
          auto& u = d.users[i];
          rows.push_back({{"name", u.name}, {"age", u.age}, {"email", u.email}});
        }
        for (auto& row : conn.execute(athanor::insert(users).values_list(rows).returning(users.c("id")))) {
          ids_.push_back(row.get<std::int64_t>(0));
        }
      }
    } else {
      auto stmt = athanor::insert(users).values(
          {{"name", athanor::bindparam("name")}, {"age", athanor::bindparam("age")}, {"email", athanor::bindparam("email")}});
      for (auto& u : d.users) {
        auto r = conn.execute(stmt, {{"name", u.name}, {"age", u.age}, {"email", u.email}});
        ids_.push_back(athanor::detail::from_value<std::int64_t>(r.inserted_primary_key().at(0)));
      }
    }
    conn.commit();
    for (auto id : ids_) cs += static_cast<std::uint64_t>(id);
    return cs;
  }
  std::uint64_t w2_load_all() override {
    auto conn = engine_->begin();
    auto users = conn.execute(orm::select<User>());
    conn.commit();
    std::uint64_t cs = 0;
    cs += checksum(users);
    return cs;
  }
  std::uint64_t w3_get(const Data& d) override {
    auto conn = engine_->begin();
    std::vector<User> found;
    found.reserve(d.lookups.size());
    for (auto id : d.lookups) {
      auto r = conn.execute(orm::select<User>().where(c<&User::id> == static_cast<int>(id)));
      if (!r.empty()) found.push_back(std::move(r[0]));
    }
    conn.commit();
    std::uint64_t cs = 0;
    cs += checksum(found);
    return cs;
  }
  std::uint64_t w4_filter(const Data& d) override {
    auto conn = engine_->begin();
    std::uint64_t cs = 0;
    for (int age : d.ages) {
      auto page = conn.execute(orm::select<User>().where(c<&User::age> > age).order_by(c<&User::name>).limit(100));
      cs += checksum(page);
    }
    conn.commit();
    return cs;
  }
  std::uint64_t w5_update() override {
    auto conn = engine_->begin();
    std::uint64_t cs = 0;
    for (auto& [id, age] : conn.execute(orm::select(c<&User::id>, c<&User::age>).where(c<&User::id> % 4 == 0))) {
      conn.execute(orm::update<User>().set(c<&User::age>, age + 1).where(c<&User::id> == id));
      cs += static_cast<std::uint64_t>(id) + static_cast<std::uint64_t>(age + 1);
    }
    conn.commit();
    return cs;
  }
  std::uint64_t w6_lazy(int page) override {
    auto conn = engine_->begin();
    std::vector<std::pair<User, std::vector<Post>>> out;
    for (auto& u : conn.execute(orm::select<User>().where(c<&User::id> <= page))) {
      auto posts = conn.execute(orm::select<Post>().where(c<&Post::user_id> == u.id.get()));
      out.emplace_back(std::move(u), std::move(posts));
    }
    conn.commit();
    return checksum(out);
  }
  std::uint64_t w6_eager() override {
    auto conn = engine_->begin();
    std::vector<std::pair<User, std::vector<Post>>> out;
    std::unordered_map<int, std::size_t> index;
    std::vector<int> ids;
    for (auto& u : conn.execute(orm::select<User>())) {
      ids.push_back(u.id);
      index.emplace(u.id, out.size());
      out.emplace_back(std::move(u), std::vector<Post>{});
    }
    for (auto& p : conn.execute(orm::select<Post>().where(c<&Post::user_id>.in_(std::move(ids))))) {
      out[index.at(p.user_id)].second.push_back(std::move(p));
    }
    conn.commit();
    return checksum(out);
  }
  std::uint64_t w7_delete() override {
    auto conn = engine_->begin();
    std::uint64_t cs = 0;
    for (auto& [id] : conn.execute(orm::select(c<&User::id>).where(c<&User::id> % 10 == 0))) {
      conn.execute(orm::delete_<User>().where(c<&User::id> == id));
      cs += static_cast<std::uint64_t>(id);
    }
    conn.commit();
    return cs;
  }

 private:
  std::string insert_mode_;
};

/// The typed Core path with its lookups prepared (`conn.prepare(…)` with orm::param<T>()), as a
/// user writes a loop of lookups that runs often: W3 and W6a's per-user query. The other
/// workloads are the typed Core's: W1 and W5 run (not reported) because they make and change
/// the data W6a reads, which every contestant must read alike.
class AthanorPrepared final : public AthanorCore {
 public:
  std::string name() const override { return "athanor typed Core, prepared"; }
  bool runs(const std::string& id) const override { return id == "W1" || id == "W3" || id == "W5" || id == "W6a"; }
  bool reports(const std::string& id) const override { return id == "W3" || id == "W6a"; }
  std::uint64_t w3_get(const Data& d) override {
    auto conn = engine_->begin();
    auto by_id = conn.prepare(orm::select<User>().where(c<&User::id> == orm::param<int>()));
    std::vector<User> found;
    found.reserve(d.lookups.size());
    for (auto id : d.lookups) {
      if (auto u = by_id.first(static_cast<int>(id))) found.push_back(std::move(*u));
    }
    conn.commit();
    std::uint64_t cs = 0;
    cs += checksum(found);
    return cs;
  }
  std::uint64_t w6_lazy(int page) override {
    auto conn = engine_->begin();
    auto posts_of = conn.prepare(orm::select<Post>().where(c<&Post::user_id> == orm::param<int>()));
    std::vector<std::pair<User, std::vector<Post>>> out;
    for (auto& u : conn.execute(orm::select<User>().where(c<&User::id> <= page))) {
      auto posts = posts_of(u.id.get());
      out.emplace_back(std::move(u), std::move(posts));
    }
    conn.commit();
    return checksum(out);
  }
};

/// The ORM path: a Session per workload (a unit of work), objects through Ptr<User>.
class AthanorOrm final : public AthanorBase {
 public:
  std::string name() const override { return "athanor ORM"; }
  orm::Session session() { return orm::Session(*engine_); }

  std::uint64_t w1_insert(const Data& d) override {
    auto s = session();
    std::vector<orm::Ptr<User>> added;
    added.reserve(d.users.size());
    for (auto& u : d.users) added.push_back(s.add(User{.id = {}, .name = u.name, .age = u.age, .email = u.email}));
    s.flush();  // the generated ids are set here (read after commit, they would reload the objects)
    ids_.clear();
    ids_.reserve(added.size());
    for (auto& u : added) ids_.push_back(u->id);
    s.commit();
    std::uint64_t cs = 0;
    for (auto id : ids_) cs += static_cast<std::uint64_t>(id);
    return cs;
  }
  std::uint64_t w2_load_all() override {
    auto s = session();
    std::uint64_t cs = 0;
    for (auto& u : s.scalars(orm::select<User>())) cs += sum(*u);
    return cs;
  }
  std::uint64_t w3_get(const Data& d) override {
    auto s = session();
    std::vector<orm::Ptr<User>> found;
    found.reserve(d.lookups.size());
    for (auto id : d.lookups) {
      if (auto u = s.get<User>(static_cast<int>(id))) found.push_back(std::move(u));
    }
    std::uint64_t cs = 0;
    cs += checksum(found);
    return cs;
  }
  std::uint64_t w4_filter(const Data& d) override {
    auto s = session();
    std::uint64_t cs = 0;
    for (int age : d.ages) {
      for (auto& u : s.scalars(orm::select<User>().where(c<&User::age> > age).order_by(c<&User::name>).limit(100))) cs += sum(*u);
    }
    return cs;
  }
  std::uint64_t w5_update() override {
    auto s = session();
    std::uint64_t cs = 0;
    for (auto& u : s.scalars(orm::select<User>().where(c<&User::id> % 4 == 0))) {
      u->age = u->age + 1;
      cs += static_cast<std::uint64_t>(u->id.get()) + static_cast<std::uint64_t>(u->age.get());
    }
    s.commit();
    return cs;
  }
  /// N+1: touching `u->posts` loads each collection with one SELECT (the default lazy loader).
  std::uint64_t w6_lazy(int page) override {
    auto s = session();
    std::uint64_t cs = 0;
    for (auto& u : s.scalars(orm::select<User>().where(c<&User::id> <= page))) {
      cs += sum(*u);
      for (auto& p : u->posts) cs += sum(*p) * (p->user_id == u->id ? 1 : 0);
    }
    return cs;
  }
  /// Eager: selectinload(&User::posts), the users' posts by IN queries over their keys.
  std::uint64_t w6_eager() override {
    auto s = session();
    std::uint64_t cs = 0;
    for (auto& u : s.scalars(orm::select<User>().options(orm::selectinload(&User::posts)))) {
      cs += sum(*u);
      for (auto& p : u->posts) cs += sum(*p) * (p->user_id == u->id ? 1 : 0);
    }
    return cs;
  }
  std::uint64_t w7_delete() override {
    auto s = session();
    std::uint64_t cs = 0;
    for (auto& u : s.scalars(orm::select<User>().where(c<&User::id> % 10 == 0))) {
      cs += static_cast<std::uint64_t>(u->id.get());
      s.delete_(u);
    }
    s.commit();
    return cs;
  }
};

}  // namespace bench
