// test/orm/session.cpp — Session: add, flush, commit, identity map, get, delete_, rollback,
// expire/refresh, expunge, merge, autoflush, optimistic concurrency, scopes. Every backend.
#include "orm/blog_db.hpp"

#include <map>
#include <set>
#include <thread>

using namespace blog;
using orm::c;

namespace {
struct Db : BlogDb {
  using BlogDb::BlogDb;
  /// A users row committed by a Session of its own (no transaction left open).
  void commit_user(int id, std::string name) {
    orm::Session s(engine);
    s.add(User{.id = id, .name = std::move(name)});
    s.commit();
  }
};
}  // namespace

TEST_CASE("add and commit insert rows and fetch generated keys") {
  Db db;
  orm::sessionmaker Session{db.engine};
  auto s = Session();
  auto ann = s.add(User{.name = "ann"});
  auto bob = s.add(User{.name = "bob", .email = "bob@example.com"});
  CHECK(ann.is_pending());
  s.commit();
  CHECK(ann.is_persistent());
  CHECK(ann->id > 0);
  CHECK(bob->id > ann->id);
  CHECK(db.count("users") == 2);
  CHECK(bob->email.get() == std::optional<std::string>("bob@example.com"));
  CHECK(ann->visits == 0);  // the server default, read back after commit
}

TEST_CASE("the identity map gives one object per row") {
  Db db;
  orm::sessionmaker Session{db.engine};
  auto s = Session();
  auto ann = s.add(User{.name = "ann"});
  s.flush();
  auto again = s.get<User>(ann->id.get());
  CHECK(again == ann);
  auto listed = s.scalars(orm::select<User>().where(c<&User::name> == "ann"));
  REQUIRE(listed.size() == 1);
  CHECK(listed[0] == ann);
  CHECK_FALSE(s.get<User>(987654));
}

TEST_CASE("get() finds one object per row whatever form the key is given in, held or read by its SELECT") {
  Db db;
  for (int id : {7, 8}) db.commit_user(id, "u" + std::to_string(id));
  orm::sessionmaker Session{db.engine};
  // Each form first in a Session of its own (the SELECT binds it, converted to the column's
  // type where it is not an integer), then every form in the same Session (the identity map).
  auto form = [](orm::Session& s, int id, int k) -> orm::Ptr<User> {
    switch (k) {
      case 0: return s.get<User>(id);
      case 1: return s.get<User>(std::int64_t{id});
      case 2: return s.get<User>(static_cast<short>(id));
      case 3: return s.get<User>(std::to_string(id));
      default: return s.get<User>(static_cast<double>(id));
    }
  };
  for (int id : {7, 8}) {
    for (int first = 0; first < 5; ++first) {
      auto s = Session();
      auto held = form(s, id, first);
      REQUIRE(held);
      CHECK(held->id.get() == id);
      CHECK(held->name.get() == "u" + std::to_string(id));
      for (int k = 0; k < 5; ++k) CHECK(form(s, id, k) == held);
    }
  }
  auto s = Session();
  CHECK_FALSE(s.get<User>(9));                        // no row: an empty Ptr
  CHECK_FALSE(s.get<User>(std::string("9")));
  CHECK_FALSE(s.get<User>(std::int64_t{1} << 40));   // beyond the member's type: no row either
  CHECK(s.get<User>(7) == s.get<User>(std::string("7")));
}

TEST_CASE("only changed columns are updated and a no-op assignment writes nothing") {
  std::vector<std::string> log;
  Db db({.echo = true, .echo_sink = [&](std::string_view l) { log.emplace_back(l); }, .pool = {}});
  orm::sessionmaker Session{db.engine};
  auto s = Session();
  auto ann = s.add(User{.name = "ann", .email = "a@x"});
  s.flush();
  int id = ann->id;
  s.commit();
  ann->name = "ann";  // same value
  log.clear();
  s.flush();
  CHECK(std::none_of(log.begin(), log.end(), [](auto& l) { return l.rfind("UPDATE", 0) == 0; }));
  ann->name = "Ann";
  ann->email.mut() = "ann@x";  // in-place change through mutable access
  log.clear();
  s.flush();
  REQUIRE(std::count_if(log.begin(), log.end(), [](auto& l) { return l.rfind("UPDATE", 0) == 0; }) == 1);
  auto update = *std::find_if(log.begin(), log.end(), [](auto& l) { return l.rfind("UPDATE", 0) == 0; });
  CHECK(update.find("name") != std::string::npos);
  CHECK(update.find("email") != std::string::npos);
  CHECK(update.find("visits") == std::string::npos);
  s.commit();
  auto s2 = Session();
  CHECK(s2.get<User>(id)->name.get() == "Ann");
}

TEST_CASE("commit expires objects; they reload on access") {
  Db db;
  orm::sessionmaker Session{db.engine};
  auto s = Session();
  auto ann = s.add(User{.name = "ann"});
  s.commit();
  CHECK(ann.is_expired());
  {
    auto conn = db.engine.connect();
    conn.exec_driver_sql("UPDATE users SET visits = 7");
  }
  CHECK(ann->visits == 7);
  CHECK_FALSE(ann.is_expired());
}

TEST_CASE("expire_on_commit off keeps the values") {
  Db db;
  orm::sessionmaker Session{db.engine, {.expire_on_commit = false, .autoflush = true}};
  auto s = Session();
  auto ann = s.add(User{.name = "ann"});
  s.commit();
  CHECK_FALSE(ann.is_expired());
  CHECK(ann->name.get() == "ann");
}

TEST_CASE("delete_ removes the row; rollback brings it back") {
  Db db;
  orm::sessionmaker Session{db.engine};
  auto s = Session();
  auto ann = s.add(User{.name = "ann"});
  s.add(Post{.user_id = 0, .title = "x"}) ;
  s.rollback();
  auto bob = s.add(User{.name = "bob"});
  s.commit();
  CHECK(db.count("users") == 1);
  s.delete_(bob);
  s.flush();
  CHECK(s.scalars(orm::select<User>()).empty());
  s.rollback();
  CHECK(db.count("users") == 1);
  CHECK(bob->name.get() == "bob");
  s.delete_(bob);
  s.commit();
  CHECK(db.count("users") == 0);
  (void)ann;
}

TEST_CASE("a flush that violates a constraint raises, changes nothing, and the session recovers after rollback") {
  Db db;
  orm::sessionmaker Session{db.engine};
  auto s = Session();
  s.add(User{.name = "ann"});
  s.commit();
  s.add(User{.name = "zoe"});
  s.add(User{.name = "ann"});  // duplicate
  CHECK_THROWS_AS(s.flush(), athanor::IntegrityError);
  CHECK_THROWS_WITH_AS(s.flush(),
                       "[athanor.orm.rollback_needed] this Session's transaction was rolled back after an error during flush or "
                       "commit; call rollback()",
                       athanor::Error);
  s.rollback();
  CHECK(db.count("users") == 1);  // zoe was not committed either
  auto zoe = s.add(User{.name = "zoe"});
  s.commit();
  CHECK(db.count("users") == 2);
  CHECK(zoe->id > 0);
}

TEST_CASE("a duplicate in the middle of a batched flush rolls all of it back; fixed and added again, all of it commits") {
  int inserts = 0;
  Db db({.echo = true, .echo_sink = [&](std::string_view l) { inserts += l.rfind("INSERT INTO", 0) == 0; }, .pool = {}});
  orm::sessionmaker Session{db.engine};
  auto s = Session();
  s.add(User{.name = "u57"});  // committed: the 57th new object below takes its name
  s.commit();
  std::vector<orm::Ptr<User>> users;
  for (int i = 1; i <= 100; ++i) users.push_back(s.add(User{.name = "u" + std::to_string(i) + (i == 57 ? "" : "-new")}));
  inserts = 0;
  auto msg = test::error_message([&] { s.flush(); });
  INFO("message: " << msg);
  CHECK(msg.rfind("[athanor.integrity.unique] users.name: duplicate value", 0) == 0);
  // 56 rows were written before the duplicate: one INSERT each on SQLite; on a server the
  // first INSERT of the batch (64 rows) holds it.
  CHECK(inserts == (db.engine.dialect().capabilities().in_process ? 57 : 1));
  CHECK(db.count("users") == 1);  // what was written went with the flush's transaction
  // As in SQLAlchemy: every new object of the failed transaction is transient again, those
  // already written included; nothing claims a row that does not exist.
  CHECK(std::all_of(users.begin(), users.end(), [](auto& u) { return u.is_transient(); }));
  CHECK_THROWS_AS(s.scalars(orm::select<User>()), athanor::Error);  // refused until rollback()
  s.rollback();
  CHECK(db.count("users") == 1);
  CHECK(s.scalars(orm::select<User>()).size() == 1);
  users[56]->name = "u57-new";  // the fix
  for (auto& u : users) s.add(u);
  s.commit();
  CHECK(db.count("users") == 101);
  CHECK(std::all_of(users.begin(), users.end(), [](auto& u) { return u.is_persistent(); }));
  std::set<int> ids;
  for (auto& u : users) ids.insert(u->id);
  CHECK(ids.size() == 100);
  CHECK(*ids.begin() > 0);
  CHECK(users[56]->name.get() == "u57-new");
}

TEST_CASE("autoflush makes pending objects visible to queries") {
  Db db;
  orm::sessionmaker Session{db.engine};
  auto s = Session();
  s.add(User{.name = "ann"});
  auto n = s.execute(orm::select(orm::count()).select_from<User>());
  CHECK(std::get<0>(n.at(0)) == 1);
}

TEST_CASE("inserts go parents first and deletes children first") {
  Db db;
  orm::sessionmaker Session{db.engine};
  auto s = Session();
  auto ann = s.add(User{.id = 10, .name = "ann"});
  s.add(Post{.user_id = 10, .title = "p1"});
  s.commit();  // the posts row needs its user row first (foreign key)
  CHECK(db.count("posts") == 1);
  auto post = s.scalars(orm::select<Post>()).at(0);
  s.delete_(post);
  s.delete_(s.get<User>(10));
  s.commit();
  CHECK(db.count("users") == 0);
  (void)ann;
}

TEST_CASE("refresh, expunge and merge") {
  Db db;
  orm::sessionmaker Session{db.engine};
  auto s = Session();
  auto ann = s.add(User{.name = "ann"});
  s.commit();
  int id = ann->id;
  ann->name = "changed";
  s.refresh(ann);  // autoflush writes the change first, then reloads it
  CHECK(ann->name.get() == "changed");
  s.expunge(ann);
  CHECK(ann.is_detached());
  CHECK(s.get<User>(id) != ann);
  User detached{.id = id, .name = "merged"};
  auto merged = s.merge(detached);
  s.commit();
  CHECK(s.get<User>(id)->name.get() == "merged");
  CHECK(merged->id == id);
}

TEST_CASE("an expired object whose session is gone raises DetachedInstanceError") {
  Db db;
  orm::Ptr<User> ann;
  {
    orm::Session s(db.engine);
    ann = s.add(User{.name = "ann"});
    s.commit();
  }
  CHECK_THROWS_WITH_AS((void)ann->name.get(),
                       "[athanor.orm.detached] this users object is expired and not bound to a Session; its attributes cannot be loaded",
                       athanor::DetachedInstanceError);
}

TEST_CASE("a Session that ends without commit rolls back; transaction() commits or rolls back") {
  Db db;
  orm::sessionmaker Session{db.engine};
  {
    auto s = Session();
    s.add(User{.name = "lost"});
    s.flush();
  }
  CHECK(db.count("users") == 0);
  auto s = Session();
  orm::transaction(s, [](orm::Session& t) { t.add(User{.name = "kept"}); });
  CHECK(db.count("users") == 1);
  CHECK_THROWS_AS(orm::transaction(s,
                                   [](orm::Session& t) {
                                     t.add(User{.name = "gone"});
                                     t.flush();
                                     throw std::runtime_error("boom");
                                   }),
                  std::runtime_error);
  CHECK(db.count("users") == 1);
}

TEST_CASE("a version column detects a concurrent change (StaleDataError)") {
  Db db;
  orm::sessionmaker Session{db.engine, {.expire_on_commit = false, .autoflush = true}};
  auto s1 = Session();
  s1.add(Account{.code = "A", .balance = 10, .version = 1});
  s1.commit();
  auto s2 = Session();
  auto a2 = s2.get<Account>(std::string("A"));
  s2.commit();  // a2 stays loaded at version 1; no transaction is held meanwhile
  auto a1 = s1.get<Account>(std::string("A"));
  a1->balance = 20;
  s1.commit();
  CHECK(a1->version == 2);
  a2->balance = 30;
  CHECK_THROWS_AS(s2.commit(), athanor::StaleDataError);
  s2.rollback();
  CHECK(s2.get<Account>(std::string("A"))->balance == 20);
}

TEST_CASE("typed update and delete") {
  Db db;
  orm::sessionmaker Session{db.engine};
  auto s = Session();
  s.add_all(std::vector<User>{User{.name = "a"}, User{.name = "b"}, User{.name = "c"}});
  s.commit();
  CHECK(s.execute(orm::update<User>().set(c<&User::visits>, c<&User::visits> + 5).where(c<&User::name> != "c")) == 2);
  CHECK(s.execute(orm::delete_<User>().where(c<&User::name> == "c")) == 1);
  s.commit();
  auto rows = s.execute(orm::select(c<&User::name>, c<&User::visits>).order_by(c<&User::name>));
  REQUIRE(rows.size() == 2);
  CHECK(rows[0] == std::tuple<std::string, int>{"a", 5});
  CHECK(rows[1] == std::tuple<std::string, int>{"b", 5});
}

namespace {
/// The statements of a flush, by their first word.
int count_statements(const std::vector<std::string>& log, std::string_view verb) {
  return static_cast<int>(std::count_if(log.begin(), log.end(), [&](auto& l) { return l.rfind(verb, 0) == 0; }));
}
}  // namespace

TEST_CASE("add() of a detached object attaches it again: its change is an UPDATE of the changed columns, not a new row") {
  std::vector<std::string> log;
  Db db({.echo = true, .echo_sink = [&](std::string_view l) { log.emplace_back(l); }, .pool = {}});
  orm::sessionmaker Session{db.engine};
  {
    auto s = Session();
    s.add(User{.id = 7, .name = "ann", .email = "a@x"});
    s.commit();
  }
  orm::Ptr<User> ann;
  {
    auto s1 = Session();
    ann = s1.get<User>(7);
  }  // s1 closes: ann is detached, with its identity
  REQUIRE(ann.is_detached());
  ann->name = "Ann";
  auto s2 = Session();
  log.clear();
  CHECK(s2.add(ann) == ann);
  CHECK(ann.is_persistent());
  CHECK(s2.get<User>(7) == ann);  // in s2's identity map
  s2.commit();
  CHECK(count_statements(log, "INSERT") == 0);
  REQUIRE(count_statements(log, "UPDATE") == 1);
  auto update = *std::find_if(log.begin(), log.end(), [](auto& l) { return l.rfind("UPDATE", 0) == 0; });
  CHECK(update.find("name") != std::string::npos);
  CHECK(update.find("email") == std::string::npos);
  CHECK(db.count("users") == 1);
  auto s3 = Session();
  CHECK(s3.get<User>(7)->name.get() == "Ann");
  // expunge() detaches too: the object comes back with its identity.
  auto again = s3.get<User>(7);
  s3.expunge(again);
  CHECK(again.is_detached());
  again->email = "ann@x";
  s3.add(again);
  s3.commit();
  CHECK(db.count("users") == 1);
  CHECK(Session().get<User>(7)->email.get() == std::optional<std::string>("ann@x"));
}

TEST_CASE("add() of a detached object whose key the Session already holds raises; both stay usable") {
  Db db;
  orm::sessionmaker Session{db.engine};
  orm::Ptr<User> ann;
  {
    auto s = Session();
    ann = s.add(User{.id = 7, .name = "ann"});
    s.commit();
    (void)ann->name.get();  // loaded before the session closes
  }
  ann->name = "detached";
  auto s2 = Session();
  auto held = s2.get<User>(7);
  CHECK_THROWS_WITH_AS(s2.add(ann),
                       "[athanor.orm.identity_conflict] add(): this Session already holds another users object with the key "
                       "(id=7); merge() the detached one into it instead",
                       athanor::ArgumentError);
  CHECK(ann.is_detached());
  CHECK(s2.get<User>(7) == held);
  held->visits = 3;
  s2.commit();
  s2.merge(*ann);  // what the message advises: the detached object's values win
  s2.commit();
  auto row = Session().get<User>(7);
  CHECK(row->name.get() == "detached");
  CHECK(row->visits == 0);
  CHECK(db.count("users") == 1);
}

TEST_CASE("expunge() of a new object and rollback() of its INSERT leave it transient: add() inserts it once") {
  Db db;
  orm::sessionmaker Session{db.engine};
  auto s = Session();
  auto zoe = s.add(User{.name = "zoe"});
  s.expunge(zoe);
  CHECK(zoe.is_transient());
  s.commit();
  CHECK(db.count("users") == 0);
  s.add(zoe);
  s.flush();
  s.rollback();  // the INSERT is undone: zoe is new again
  CHECK(zoe.is_transient());
  auto s2 = Session();
  s2.add(zoe);
  s2.commit();
  CHECK(zoe.is_persistent());
  CHECK(db.count("users") == 1);
  CHECK(s2.get<User>(zoe->id.get()) == zoe);
}

TEST_CASE("a deleted object is not added again silently; a delete not yet flushed is undone by add()") {
  Db db;
  orm::sessionmaker Session{db.engine};
  auto s = Session();
  auto ann = s.add(User{.id = 7, .name = "ann"});
  auto acc = s.add(Account{.code = "A", .balance = 1, .version = 1});
  s.commit();
  s.delete_(acc);
  s.add(acc);  // SQLAlchemy: add() takes the object out of the deleted set
  s.delete_(ann);
  s.flush();
  std::string deleted =
      "[athanor.orm.deleted] add(): this users object (id=7) was deleted; add a new object to insert its row again";
  CHECK_THROWS_WITH_AS(s.add(ann), deleted.c_str(), athanor::ArgumentError);
  s.commit();
  CHECK(ann.is_detached());
  CHECK_THROWS_WITH_AS(s.add(ann), deleted.c_str(), athanor::ArgumentError);
  auto s2 = Session();
  CHECK_THROWS_WITH_AS(s2.add(ann), deleted.c_str(), athanor::ArgumentError);
  s2.commit();
  CHECK(db.count("users") == 0);
  CHECK(db.count("accounts") == 1);
}

TEST_CASE("delete_() of a detached object attaches and deletes it; a deleted one is refused") {
  Db db;
  orm::sessionmaker Session{db.engine};
  orm::Ptr<User> ann;
  {
    auto s = Session();
    ann = s.add(User{.id = 7, .name = "ann"});
    s.commit();
  }
  auto s2 = Session();
  s2.delete_(ann);
  s2.commit();
  CHECK(db.count("users") == 0);
  CHECK_THROWS_WITH_AS(Session().delete_(ann),
                       "[athanor.orm.deleted] delete_(): this users object (id=7) was deleted; add a new object to insert its "
                       "row again",
                       athanor::ArgumentError);
  auto s3 = Session();
  auto zoe = orm::Ptr<User>(std::make_shared<orm::detail::Instance<User>>(User{.name = "zoe"}));
  zoe.instance()->ops = &orm::detail::ops_for<User>();
  CHECK_THROWS_WITH_AS(s3.delete_(zoe),
                       "[athanor.orm.not_persistent] delete_(): this users object (not yet inserted) has no row to delete",
                       athanor::ArgumentError);
}

TEST_CASE("an object of another open Session is refused by add(), delete_(), expunge() and relationships; both stay usable") {
  Db db;
  // No transaction is held while the other Session works (an in-memory database has one connection).
  orm::sessionmaker Session{db.engine, {.expire_on_commit = false, .autoflush = true}};
  db.commit_user(7, "ann");
  auto s1 = Session();
  auto ann = s1.get<User>(7);
  s1.commit();  // ann stays in s1
  auto s2 = Session();
  auto other = [](const char* op, const char* what) {
    return std::string("[athanor.orm.other_session] ") + op + ": this " + what +
           " is attached to another open Session; expunge() it there first, or merge() it into this one";
  };
  CHECK_THROWS_WITH_AS(s2.delete_(ann), other("delete_()", "users object (id=7)").c_str(), athanor::ArgumentError);
  CHECK_THROWS_WITH_AS(s2.add(ann), other("add()", "users object (id=7)").c_str(), athanor::ArgumentError);
  CHECK_THROWS_WITH_AS(s2.expunge(ann), "[athanor.orm.not_in_session] expunge(): this users object (id=7) is not in this Session",
                       athanor::ArgumentError);
  CHECK_THROWS_WITH_AS(s2.refresh(ann), "[athanor.orm.not_in_session] refresh(): this users object (id=7) is not in this Session",
                       athanor::ArgumentError);
  // Cascades: a new object of s2 that refers to ann, and ann taking an object of s2 (both ways).
  Post post{.user_id = 7, .title = "p"};
  post.author = ann;
  CHECK_THROWS_WITH_AS(s2.add(std::move(post)), other("add()", "users object (id=7)").c_str(), athanor::ArgumentError);
  auto p2 = s2.add(Post{.user_id = 7, .title = "p2"});
  CHECK_THROWS_WITH_AS(p2->author = ann, other("posts.author", "users object (id=7)").c_str(), athanor::ArgumentError);
  CHECK_THROWS_WITH_AS(ann->posts.push_back(p2), other("users.posts", "posts object (not yet inserted)").c_str(),
                       athanor::ArgumentError);
  CHECK(ann->posts.empty());
  CHECK(p2.is_pending());
  ann->name = "Ann";  // s1's change is kept, and s2's work too
  s1.commit();
  s2.commit();
  auto s3 = Session();
  CHECK(s3.get<User>(7)->name.get() == "Ann");
  CHECK(s3.get<Post>(p2->id.get())->author->name.get() == "Ann");
  CHECK(db.count("posts") == 1);
  CHECK(db.count("users") == 1);
}

// Found by the state machine (test/orm/state_machine.cpp), each shrunk to these steps.
TEST_CASE("get() of a key its own autoflush inserts returns that object, not a second one for the row") {
  Db db;
  orm::sessionmaker Session{db.engine};
  auto s = Session();
  auto zoe = s.add(User{.id = 9, .name = "zoe"});
  CHECK(s.get<User>(9) == zoe);
  CHECK(s.scalars(orm::select<User>()).at(0) == zoe);
}

TEST_CASE("get() autoflushes what was changed, and a lookup with nothing to write sends only its SELECT") {
  std::vector<std::string> log;
  Db db({.echo = true, .echo_sink = [&](std::string_view l) { log.emplace_back(l); }, .pool = {}});
  for (int id = 1; id <= 3; ++id) db.commit_user(id, "u" + std::to_string(id));
  {
    orm::Session s(db.engine);
    s.add(Post{.id = 7, .user_id = 1, .title = "t"});
    s.commit();
  }
  auto starts = [&](const char* word) {
    return std::count_if(log.begin(), log.end(), [&](auto& l) { return l.rfind(word, 0) == 0; });
  };
  orm::sessionmaker Session{db.engine, {.expire_on_commit = false, .autoflush = true}};
  auto s = Session();
  auto one = s.get<User>(1);
  REQUIRE(one);
  one->name = "changed";
  log.clear();
  auto two = s.get<User>(2);  // the change goes first, then the lookup
  REQUIRE(two);
  CHECK(starts("UPDATE") == 1);
  CHECK(starts("SELECT") == 1);
  log.clear();
  auto three = s.get<User>(3);
  CHECK(three->name.get() == "u3");
  CHECK(starts("UPDATE") == 0);
  CHECK(starts("SELECT") == 1);
  // Lookups of two models in turn, and again after close(): each reads its own table's row.
  for (int round = 0; round < 2; ++round) {
    auto post = s.get<Post>(7);
    REQUIRE(post);
    CHECK(post->title.get() == "t");
    auto user = s.get<User>(1);
    REQUIRE(user);
    CHECK(user->name.get() == "changed");
    CHECK_FALSE(s.get<Post>(8));
    if (round == 0) s.commit(), s.close();
  }
}

TEST_CASE("an object inserted and deleted in a transaction that rolls back is transient; add() inserts it") {
  Db db;
  orm::sessionmaker Session{db.engine};
  auto s = Session();
  auto zoe = s.add(User{.name = "zoe"});
  s.flush();
  s.delete_(zoe);
  s.flush();
  s.rollback();
  CHECK(zoe.is_transient());
  auto bob = s.add(User{.name = "bob"});
  s.flush();
  s.delete_(bob);  // marked only
  s.rollback();
  CHECK(bob.is_transient());
  s.delete_(s.add(User{.name = "tom"}));  // a pending object just leaves the Session…
  auto tom = s.scalars(orm::select<User>()).empty();
  CHECK(tom);
  s.add(zoe);
  s.add(bob);
  s.commit();
  CHECK(db.count("users") == 2);
}

TEST_CASE("delete_() of a pending object takes it out of the Session: add() takes it again, here or elsewhere") {
  Db db;
  orm::sessionmaker Session{db.engine};
  auto s = Session();
  auto zoe = s.add(User{.name = "zoe"});
  s.delete_(zoe);
  CHECK(zoe.is_transient());
  s.add(zoe);
  s.commit();
  CHECK(db.count("users") == 1);
  auto bob = s.add(User{.name = "bob"});
  s.delete_(bob);
  auto s2 = Session();
  s2.add(bob);
  s2.commit();
  CHECK(db.count("users") == 2);
}

TEST_CASE("an UPDATE whose row another Session deleted raises StaleDataError instead of losing the change") {
  Db db;
  orm::sessionmaker Session{db.engine, {.expire_on_commit = false, .autoflush = true}};
  db.commit_user(7, "ann");
  auto s1 = Session();
  auto ann = s1.get<User>(7);
  s1.commit();
  {
    auto s2 = Session();
    s2.delete_(s2.get<User>(7));
    s2.commit();
  }
  ann->name = "Ann";
  CHECK_THROWS_WITH_AS(s1.commit(),
                       "[athanor.orm.stale] UPDATE of table users expected to match 1 row, matched 0 (the row changed or was "
                       "deleted since it was loaded)",
                       athanor::StaleDataError);
  s1.rollback();
  CHECK(db.count("users") == 0);
}

TEST_CASE("a change to an object reached while transient, made after add() and its INSERT, is autoflushed") {
  Db db;
  orm::sessionmaker Session{db.engine};
  auto s = Session();
  auto zoe = s.add(User{.name = "zoe"});
  s.flush();
  s.rollback();  // transient again
  zoe->name = "zoe2";
  s.add(zoe);
  s.flush();
  zoe->email = "z@x";
  CHECK(s.scalars(orm::select<User>().where(c<&User::email> == "z@x")).size() == 1);
}

TEST_CASE("close() leaves an object inserted and deleted in its transaction transient") {
  Db db;
  orm::sessionmaker Session{db.engine};
  auto s = Session();
  auto zoe = s.add(User{.name = "zoe"});
  s.flush();
  s.delete_(zoe);
  s.flush();
  s.close();
  CHECK(zoe.is_transient());
  auto s2 = Session();
  s2.add(zoe);
  s2.commit();
  CHECK(db.count("users") == 1);
}

TEST_CASE("an autoflush writes only its own Session's objects") {
  Db db;
  orm::sessionmaker Session{db.engine, {.expire_on_commit = false, .autoflush = true}};
  auto s0 = Session();
  auto zoe = s0.add(User{.name = "zoe"});
  s0.delete_(zoe);  // pending: it leaves s0
  auto s1 = Session();
  s1.add(zoe);
  s1.commit();
  zoe->email = "z@x";  // s1's change
  (void)s0.scalars(orm::select<User>());
  s0.rollback();
  s1.commit();
  CHECK(Session().get<User>(zoe->id.get())->email.get() == std::optional<std::string>("z@x"));
}

TEST_CASE("a row deleted by another Session whose key a new row takes: the stale object's change fails, not lands on the new row") {
  Db db;
  orm::sessionmaker Session{db.engine, {.expire_on_commit = false, .autoflush = true}};
  auto s1 = Session();
  auto ann = s1.add(User{.name = "ann"});
  s1.commit();
  {
    auto s2 = Session();
    s2.delete_(s2.get<User>(ann->id.get()));
    s2.commit();
  }
  ann->email = "a@x";
  s1.add(User{.name = "bob"});  // SQLite gives bob ann's rowid
  auto msg = test::error_message([&] { s1.commit(); });
  CHECK(msg.rfind("[athanor.orm.stale] ", 0) == 0);
  s1.rollback();
  CHECK(db.count("users") == 0);
}

TEST_CASE("add() of a detached object whose row this transaction deleted is refused; rollback brings the deleted one back") {
  Db db;
  orm::sessionmaker Session{db.engine};
  auto s0 = Session();
  auto ann = s0.add(User{.id = 7, .name = "ann"});
  s0.commit();
  orm::Ptr<User> old;
  {
    auto s = Session();
    old = s.get<User>(7);
  }
  s0.delete_(ann);
  s0.flush();
  CHECK_THROWS_WITH_AS(s0.add(old),
                       "[athanor.orm.identity_conflict] add(): this Session already holds another users object with the key "
                       "(id=7); merge() the detached one into it instead",
                       athanor::ArgumentError);
  s0.rollback();
  CHECK(s0.get<User>(7) == ann);
  CHECK(old.is_detached());
  CHECK(db.count("users") == 1);
}

// Identity keys: a single integer key is held as the integer, any other key as text. Both
// forms must keep one object per row and never one object for two rows.
TEST_CASE("text primary keys that look like integers are distinct rows, and each has one object") {
  Db db;
  orm::sessionmaker Session{db.engine};
  {
    auto s = Session();
    for (const char* code : {"7", "07", "-0", "0", "+7", "7x", "abc", "9223372036854775807", "9223372036854775808"})
      s.add(Account{.code = code, .balance = 1, .version = 1});
    s.commit();
  }
  auto s = Session();
  auto all = s.scalars(orm::select<Account>());
  REQUIRE(all.size() == 9);
  std::set<const void*> distinct;
  for (auto& a : all) {
    distinct.insert(a.get());
    auto again = s.get<Account>(a->code.get());
    CHECK(again == a);  // the same object through get() as through the query
    CHECK(again->code.get() == a->code.get());
  }
  CHECK(distinct.size() == 9);
  CHECK(s.get<Account>(std::string("7")) != s.get<Account>(std::string("07")));
  CHECK(s.get<Account>(std::string("0")) != s.get<Account>(std::string("-0")));
  CHECK(s.get<Account>(std::string("7"))->code.get() == "7");
  CHECK(s.get<Account>(std::string("07"))->code.get() == "07");
  CHECK_FALSE(s.get<Account>(std::string("007")));
  // Loading again gives the same objects.
  auto twice = s.scalars(orm::select<Account>().order_by(c<&Account::code>));
  for (auto& a : twice) CHECK(distinct.count(a.get()) == 1);
}

TEST_CASE("composite primary keys whose joined values look alike are distinct rows") {
  Db db;
  orm::sessionmaker Session{db.engine};
  {
    auto s = Session();
    auto u = s.add(User{.name = "ann"});
    s.flush();
    for (int id : {1, 12, 23, 3}) s.add(Post{.id = id, .user_id = u->id.get(), .title = "p"}), s.add(Tag{.id = id, .label = std::to_string(id)});
    s.flush();
    s.add(PostTag{.post_id = 1, .tag_id = 23});
    s.add(PostTag{.post_id = 12, .tag_id = 3});
    s.commit();
  }
  auto s = Session();
  auto links = s.scalars(orm::select<PostTag>());
  REQUIRE(links.size() == 2);
  CHECK(links[0] != links[1]);
  auto a = s.get<PostTag>(1, 23), b = s.get<PostTag>(12, 3);
  REQUIRE(a);
  REQUIRE(b);
  CHECK(a != b);
  CHECK((a == links[0] || a == links[1]));
  CHECK((b == links[0] || b == links[1]));
  CHECK(a->tag_id == 23);
  CHECK(b->tag_id == 3);
  CHECK_FALSE(s.get<PostTag>(1, 3));
  CHECK_FALSE(s.get<PostTag>(123, 0));
}

TEST_CASE("a large load keeps one object per row, and a deleted key taken again gets a new object") {
  Db db;
  orm::sessionmaker Session{db.engine};
  constexpr int n = 3000;
  add_users(Session, n);
  orm::Ptr<User> kept;
  {
    auto s = Session();
    auto first = s.scalars(orm::select<User>());
    REQUIRE(first.size() == n);
    auto second = s.scalars(orm::select<User>().order_by(c<&User::id>.desc()));
    REQUIRE(second.size() == n);
    std::set<const void*> distinct;
    for (auto& u : first) distinct.insert(u.get());
    CHECK(distinct.size() == n);
    for (auto& u : second) {
      CHECK(distinct.count(u.get()) == 1);
      CHECK(u->name.get() == "u" + std::to_string(u->id.get()));
    }
    CHECK(s.get<User>(n / 2) == second[n - n / 2]);
    // A deleted row's key used again by an INSERT: a new object, not the deleted one.
    auto gone = s.get<User>(17);
    s.delete_(gone);
    s.flush();
    auto fresh = s.add(User{.id = 17, .name = "again"});
    s.flush();
    CHECK(fresh != gone);
    CHECK(s.get<User>(17) == fresh);
    CHECK(s.get<User>(17)->name.get() == "again");
    s.rollback();  // the delete and the insert undone: the old object holds the key again
    CHECK(s.get<User>(17) == gone);
    CHECK(gone->name.get() == "u17");
    kept = s.get<User>(42);
  }  // closed: the objects outlive it, detached
  CHECK(kept.is_detached());
  CHECK(kept->name.get() == "u42");
  auto s = Session();
  s.add(kept);  // attached again: it is the row's object there
  CHECK(s.get<User>(42) == kept);
}

TEST_CASE("the identity map's table agrees with a reference map through inserts, erases and growth") {
  // orm::detail::IdentityMap is an open-addressing table whose erase moves later slots back
  // (issue 14, helper obj): random operations on keys that collide by design (multiples of
  // 2^20, negatives, consecutive runs, integer-looking and composite text) against std::map.
  namespace d = orm::detail;
  std::uint64_t x = 88172645463325252ull;
  auto next = [&] { return x ^= x << 13, x ^= x >> 7, x ^= x << 17, x; };
  auto key = [&](std::uint64_t r) {
    switch (r % 6) {
      case 0: return d::IdentityKey(static_cast<std::int64_t>(r % 5000));
      case 1: return d::IdentityKey(static_cast<std::int64_t>((r % 300) << 20));
      case 2: return d::IdentityKey(-static_cast<std::int64_t>(r % 300));
      case 3: return d::IdentityKey(std::to_string(r % 400) + "\x1f");  // an integer's text: the integer key
      case 4: return d::IdentityKey("t" + std::to_string(r % 400) + "\x1f");
      default: return d::IdentityKey(std::to_string(r % 20) + "\x1f" + std::to_string(r % 17) + "\x1f");
    }
  };
  d::IdentityMap map;
  std::map<std::string, std::shared_ptr<d::InstanceBase>> ref;  // by the key's text
  for (int step = 0; step < 60000; ++step) {
    auto r = next();
    auto k = key(r >> 8);
    auto op = r % 8;
    if (op < 4) {
      auto obj = std::make_shared<d::Instance<User>>();
      auto [it, made] = map.try_emplace(k);
      CHECK(made == !ref.count(k.str()));
      if (made) it->second = obj, ref[k.str()] = obj;
    } else if (op < 7) {
      CHECK(map.erase(k) == ref.erase(k.str()));
    } else {
      auto it = map.find(k);
      auto want = ref.find(k.str());
      REQUIRE((it == map.end()) == (want == ref.end()));
      if (it != map.end()) CHECK(it->second == want->second);
    }
    if (step % 5000 == 0 || step == 59999) {
      REQUIRE(map.size() == ref.size());
      std::size_t seen = 0;
      for (auto& [mk, obj] : map) {
        ++seen;
        auto want = ref.find(mk.str());
        REQUIRE(want != ref.end());
        CHECK(want->second == obj);
      }
      CHECK(seen == ref.size());
      for (auto& [text, obj] : ref) CHECK(map.find(d::IdentityKey(text))->second == obj);
    }
  }
  // Keys copy, move and compare by value; the integer and its canonical text are one key.
  d::IdentityKey a(std::string("12\x1f")), b(std::int64_t(12)), c(std::string("12\x1f" "3\x1f"));
  CHECK(a == b);
  CHECK(a.is_integer());
  d::IdentityKey c2 = c;
  CHECK(c2 == c);
  CHECK(c2.str() == "12\x1f" "3\x1f");
  d::IdentityKey c3 = std::move(c2);
  CHECK(c3 == c);
  CHECK(c2.empty());
  CHECK_FALSE(c == a);
  CHECK(sizeof(d::IdentityKey) == 16);
}

TEST_CASE("expunging every third of many objects: their keys load new objects, the others stay the same") {
  Db db;
  orm::sessionmaker Session{db.engine};
  constexpr int n = 2000;
  add_users(Session, n);
  std::vector<orm::Ptr<User>> kept;
  {
    auto s = Session();
    auto all = s.scalars(orm::select<User>().order_by(c<&User::id>));
    REQUIRE(all.size() == n);
    for (int k = 0; k < n; k += 3) s.expunge(all[k]);
    auto again = s.scalars(orm::select<User>().order_by(c<&User::id>));
    REQUIRE(again.size() == n);
    for (int k = 0; k < n; ++k) {
      CHECK((again[k] == all[k]) == (k % 3 != 0));
      CHECK(again[k]->id.get() == k + 1);
      CHECK(s.get<User>(k + 1) == again[k]);
    }
    for (int k = 0; k < n; k += 7) kept.push_back(again[k]);
  }  // closed: every kept object stays valid, detached, with its values
  for (auto& u : kept) {
    CHECK(u.is_detached());
    CHECK(u->name.get() == "u" + std::to_string(u->id.get()));
  }
}

TEST_CASE("loaded objects outlive their Session, its successor and their siblings, and may be let go on another thread") {
  // Loaded objects share memory blocks (orm/detail/arena.hpp): a kept object keeps its block
  // whatever happens to the Session and to the other objects of the block.
  Db db;
  orm::sessionmaker Session{db.engine};
  constexpr int n = 1500;
  add_users(Session, n);
  std::vector<orm::Ptr<User>> kept, elsewhere;
  orm::Ptr<User> got;
  {
    auto s = Session();
    for (int round = 0; round < 2; ++round) {  // close() in the middle: the Session goes on with new blocks
      auto all = s.scalars(orm::select<User>().order_by(c<&User::id>));
      REQUIRE(all.size() == n);
      for (int k = round; k < n; k += 97) kept.push_back(all[k]);
      for (int k = 0; k < n; k += 5) elsewhere.push_back(all[k]);
      s.close();
    }
    got = s.get<User>(n);  // get() allocates from the arena too
  }  // the Session is gone, and every object not kept with it
  REQUIRE(got);
  CHECK(got->name.get() == "u" + std::to_string(n));
  std::thread t([v = std::move(elsewhere)]() mutable { v.clear(); });  // the last owners, let go on another thread
  t.join();
  for (auto& u : kept) {
    CHECK(u.is_detached());
    CHECK(u->name.get() == "u" + std::to_string(u->id.get()));
  }
  auto s = Session();
  s.add(kept[3]);  // attached again: it is that row's object in the new Session
  CHECK(s.get<User>(kept[3]->id.get()) == kept[3]);
  kept[3]->name = "renamed";
  s.commit();
  CHECK(s.get<User>(kept[3]->id.get())->name.get() == "renamed");
}

TEST_CASE("a loaded object's bookkeeping: 64 bytes beside the object, and no arena address in its control block") {
  // Issue 14: memory per loaded object is most of loading many. On a 64-bit target:
  // vptr, the weak self-reference, ops, flags with the collector's slot, session, key.
  if constexpr (sizeof(void*) == 8) CHECK(sizeof(orm::detail::InstanceBase) == 64);
  // Stateless: shared_ptr's control block stores its allocator, and an empty one takes no room.
  CHECK(std::is_empty_v<orm::detail::ArenaAllocator<orm::detail::Instance<User>>>);
  // It carves only inside an ArenaScope (its deallocate() tells carved from not by the size).
  orm::detail::ArenaAllocator<orm::detail::Instance<User>> a;
  CHECK_THROWS_AS(a.allocate(1), std::logic_error);
  orm::detail::ObjectArena outer, inner;
  {
    orm::detail::ArenaScope s1(outer);
    {
      orm::detail::ArenaScope s2(inner);
      CHECK(orm::detail::current_arena == &inner);
    }
    CHECK(orm::detail::current_arena == &outer);  // a scope gives back the one it found
  }
  CHECK(orm::detail::current_arena == nullptr);
}

TEST_CASE("two Sessions loading in turn on one thread: each object is its row's, and outlives both Sessions") {
  // Each get() then commit(), so that in-memory SQLite's one connection is free for the other.
  Db db;
  orm::sessionmaker Session{db.engine, {.expire_on_commit = false, .autoflush = true}};
  constexpr int n = 600;
  add_users(Session, n);
  std::vector<orm::Ptr<User>> a, b;
  {
    auto s = Session(), t = Session();
    for (int id = 1; id <= n; ++id) {
      a.push_back(s.get<User>(id)), s.commit();
      b.push_back(t.get<User>(n + 1 - id)), t.commit();
    }
    for (int id = 1; id <= n; ++id) {  // held: no SQL, the same objects
      CHECK(s.get<User>(id) == a[static_cast<std::size_t>(id - 1)]);
      CHECK(t.get<User>(id) == b[static_cast<std::size_t>(n - id)]);
    }
    s.close();  // retires s's arena block while t's objects live on
  }
  for (std::size_t k = 0; k < a.size(); ++k) {
    CHECK(a[k]->name.get() == "u" + std::to_string(k + 1));
    CHECK(b[k]->name.get() == "u" + std::to_string(n - k));
  }
}

// Batched UPDATEs (issue 14): consecutive objects whose UPDATE has one shape go as one batch.

TEST_CASE("a flush that changes 5 000 objects in one way sends one batched UPDATE and stores every change") {
  std::vector<std::string> log;
  Db db({.echo = true, .echo_sink = [&](std::string_view l) { log.emplace_back(l); }, .pool = {}});
  orm::sessionmaker Session{db.engine};
  {
    auto s = Session();
    for (int i = 1; i <= 5000; ++i) s.add(User{.id = i, .name = "u" + std::to_string(i)});
    s.commit();
  }
  auto s = Session();
  auto users = s.scalars(orm::select<User>().order_by(c<&User::id>));
  REQUIRE(users.size() == 5000);
  for (auto& u : users) u->visits = u->id * 2;
  users[10]->email = "x@y";  // another shape between two runs of the first
  log.clear();
  s.commit();
  // Three runs of two shapes (two when the odd one comes first or last in the flush's order).
  CHECK(count_statements(log, "UPDATE") <= 3);
  auto conn = db.engine.connect();
  CHECK(conn.exec_driver_sql("SELECT sum(visits) FROM users").scalar_one<std::int64_t>() == 5000LL * 5001);
  CHECK(conn.exec_driver_sql("SELECT email FROM users WHERE id = 11").scalar_one<std::string>() == "x@y");
}

TEST_CASE("a row deleted by another Session in the middle of an UPDATE batch: StaleDataError, nothing of the flush stays") {
  Db db;
  orm::sessionmaker Session{db.engine, {.expire_on_commit = false, .autoflush = true}};
  for (int i = 1; i <= 5; ++i) db.commit_user(i, "u" + std::to_string(i));
  auto s1 = Session();
  auto users = s1.scalars(orm::select<User>().order_by(c<&User::id>));
  s1.commit();
  {
    auto s2 = Session();
    s2.delete_(s2.get<User>(3));
    s2.commit();
  }
  for (auto& u : users) u->visits = 9;
  CHECK_THROWS_WITH_AS(s1.commit(),
                       "[athanor.orm.stale] UPDATE of table users expected to match 5 rows, matched 4 (the row changed or was "
                       "deleted since it was loaded)",
                       athanor::StaleDataError);
  s1.rollback();
  auto conn = db.engine.connect();
  CHECK(conn.exec_driver_sql("SELECT count(*) FROM users WHERE visits = 9").scalar_one<std::int64_t>() == 0);
  // The Session goes on.
  auto u1 = s1.get<User>(1);
  u1->visits = 4;
  s1.commit();
  CHECK(conn.exec_driver_sql("SELECT visits FROM users WHERE id = 1").scalar_one<int>() == 4);
}

TEST_CASE("a unique violation in the middle of an UPDATE batch: IntegrityError naming the table, nothing stays, the Session goes on") {
  Db db;
  orm::sessionmaker Session{db.engine};
  {
    auto s = Session();
    for (int i = 1; i <= 2000; ++i) s.add(User{.id = i, .name = "u" + std::to_string(i)});
    s.commit();
  }
  auto s = Session();
  auto users = s.scalars(orm::select<User>().order_by(c<&User::id>));
  for (auto& u : users) u->name = "n" + std::to_string(u->id);
  users[1000]->name = "n7";  // taken by the 7th, updated earlier in the batch
  CHECK_THROWS_WITH_AS(s.commit(), doctest::Contains("[athanor.integrity.unique] users"), athanor::IntegrityError);
  s.rollback();
  CHECK(db.count("users") == 2000);
  auto conn = db.engine.connect();
  CHECK(conn.exec_driver_sql("SELECT count(*) FROM users WHERE name LIKE 'n%'").scalar_one<std::int64_t>() == 0);
  s.get<User>(5)->name = "five";
  s.commit();
  CHECK(conn.exec_driver_sql("SELECT name FROM users WHERE id = 5").scalar_one<std::string>() == "five");
}

TEST_CASE("versioned objects updated in one batch each get their next version; a concurrent change among them is stale") {
  Db db;
  orm::sessionmaker Session{db.engine, {.expire_on_commit = false, .autoflush = true}};
  auto s1 = Session();
  for (int i = 0; i < 4; ++i) s1.add(Account{.code = "A" + std::to_string(i), .balance = 10, .version = 1});
  s1.commit();
  auto accounts = s1.scalars(orm::select<Account>().order_by(c<&Account::code>));
  REQUIRE(accounts.size() == 4);
  for (auto& a : accounts) a->balance = 20;
  s1.commit();
  for (auto& a : accounts) CHECK(a->version == 2);
  {
    auto s2 = Session();
    s2.get<Account>(std::string("A2"))->balance = 99;
    s2.commit();  // A2 at version 3
  }
  for (auto& a : accounts) a->balance = 30;
  CHECK_THROWS_AS(s1.commit(), athanor::StaleDataError);
  s1.rollback();
  auto conn = db.engine.connect();
  CHECK(conn.exec_driver_sql("SELECT sum(balance) FROM accounts").scalar_one<std::int64_t>() == 20 * 3 + 99);
}

// Objects point at their Session with a plain pointer (issue 14, helper sess): every way out of
// a Session must clear it, or an object would point at a gone Session.

TEST_CASE("objects loaded by a collection query that outlives its Session leave when the query goes") {
  Db db;
  orm::sessionmaker Session{db.engine};
  add_users(Session, 3);
  {
    auto s = Session();
    for (int k = 1; k <= 4; ++k) s.add(Post{.user_id = 2, .title = "p" + std::to_string(k)});
    s.commit();
  }
  std::vector<orm::Ptr<Post>> posts;
  orm::Ptr<User> owner;
  {
    auto s = std::make_unique<orm::Session>(Session());
    owner = s->get<User>(2);
    auto q = owner->posts.query();  // holds the Session's state
    s.reset();                      // the Session ends: its objects are detached
    CHECK(owner.is_detached());
    posts = q.all();  // loaded through the state the query still holds
    REQUIRE(posts.size() == 4);
    CHECK(posts[0].is_persistent());
  }  // the query goes, and with it the last of that state: its objects leave too
  for (auto& p : posts) {
    CHECK(p.is_detached());
    CHECK(p->user_id.get() == 2);
  }
  CHECK_THROWS_AS(posts[0]->author.get(), orm::DetachedInstanceError);
  posts[1]->title = "changed while detached";  // reached through a Ptr with no Session: nothing listed
  auto s = Session();
  s.add(posts[1]);
  s.commit();
  CHECK(s.get<Post>(posts[1]->id.get())->title.get() == "changed while detached");
}

TEST_CASE("objects changed, then expunged and let go before the flush: it writes the others and only them") {
  Db db;
  orm::sessionmaker Session{db.engine};
  constexpr int n = 300;
  add_users(Session, n);
  {
    auto s = Session();
    {
      auto all = s.scalars(orm::select<User>().order_by(c<&User::id>));
      REQUIRE(all.size() == n);
      for (auto& u : all) u->name = "changed" + std::to_string(u->id.get());  // each one listed for the flush
      for (int k = 0; k < n; k += 2) s.expunge(all[k]);
    }  // the expunged objects go: nothing holds them any more
    s.commit();
  }
  auto s = Session();
  for (auto& u : s.scalars(orm::select<User>())) {
    int id = u->id.get();
    CHECK(u->name.get() == (id % 2 ? "u" : "changed") + std::to_string(id));
  }
}

TEST_CASE("close() with changed objects: they are detached, the Session goes on and writes none of them") {
  Db db;
  orm::sessionmaker Session{db.engine};
  add_users(Session, 40);
  auto s = Session();
  auto all = s.scalars(orm::select<User>().order_by(c<&User::id>));
  for (auto& u : all) u->name = "lost";
  s.close();
  for (auto& u : all) CHECK(u.is_detached());
  all[3]->name = "still lost";  // a detached object's change stays in memory only
  auto fresh = s.get<User>(4);
  CHECK(fresh != all[3]);
  CHECK(fresh->name.get() == "u4");
  s.commit();
  auto other = Session();
  for (auto& u : other.scalars(orm::select<User>())) CHECK(u->name.get() == "u" + std::to_string(u->id.get()));
}

TEST_CASE("after a rollback, each of many loaded objects is still its row's object, back to its committed values") {
  Db db;
  orm::sessionmaker Session{db.engine};
  constexpr int n = 5000;  // the identity map's table grows nine times from its 16 slots
  add_users(Session, n);
  auto s = Session();
  auto all = s.scalars(orm::select<User>().order_by(c<&User::id>));
  REQUIRE(all.size() == n);
  for (int k = 0; k < n; k += 3) all[k]->name = "rolled back " + std::to_string(k);
  s.delete_(all[1]);
  s.flush();
  auto added = s.add(User{.id = n + 1, .name = "new"});
  s.flush();
  s.rollback();
  CHECK(added.is_transient());
  for (int k = 0; k < n; ++k) {
    REQUIRE(s.get<User>(k + 1) == all[k]);
    CHECK(all[k]->name.get() == "u" + std::to_string(k + 1));
    CHECK(all[k].is_persistent());
  }
  CHECK_FALSE(s.get<User>(n + 1));
  s.close();
  for (auto& u : all) CHECK(u.is_detached());
}
