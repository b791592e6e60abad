// test/orm/relationships.cpp — One/Many relationships on every backend: lazy loading (N+1),
// selectinload (2 queries), raiseload, back_populates in memory, cascades (save-update,
// delete, delete-orphan, passive_deletes), a self-referential tree, relationship queries.
#include "orm/models.hpp"
#include "support/backend.hpp"

using namespace blog;
using orm::c;

namespace {
struct Db {
  std::vector<std::string> log;
  athanor::Engine engine;
  orm::Registry registry;
  explicit Db()
      : engine(test::engine({.echo = true, .echo_sink = [this](std::string_view l) { log.emplace_back(l); }, .pool = {}})) {
    registry.map<User, Post, Comment, Tag, PostTag, Account>();
    registry.metadata().drop_all(engine);
    registry.metadata().create_all(engine);
  }
  ~Db() {
    try {
      registry.metadata().drop_all(engine);
    } catch (...) {
    }
  }
  std::int64_t count(const char* table) {
    auto conn = engine.connect();
    return conn.exec_driver_sql(std::string("SELECT count(*) FROM ") + table).scalar_one<std::int64_t>();
  }
  int selects() const {
    return static_cast<int>(std::count_if(log.begin(), log.end(), [](auto& l) { return l.rfind("SELECT", 0) == 0; }));
  }
  /// Three users with 2, 1 and 0 posts.
  void seed() {
    orm::Session s(engine);
    auto ann = s.add(User{.name = "ann"});
    ann->posts.push_back(Post{.title = "a1"});
    ann->posts.push_back(Post{.title = "a2"});
    auto bob = s.add(User{.name = "bob"});
    bob->posts.push_back(Post{.title = "b1"});
    s.add(User{.name = "cy"});
    s.commit();
    log.clear();
  }
};
std::vector<std::string> titles(const orm::Many<Post>& posts) {
  std::vector<std::string> out;
  for (auto& p : posts) out.push_back(p->title);
  std::sort(out.begin(), out.end());
  return out;
}
using Strings = std::vector<std::string>;
}  // namespace

TEST_CASE("appending to a collection adds the object, sets its foreign key and the back reference") {
  Db db;
  orm::Session s(db.engine);
  auto ann = s.add(User{.name = "ann"});
  auto post = ann->posts.push_back(Post{.title = "hello"});
  CHECK(post.is_pending());                 // cascade save-update
  CHECK(post->author.get() == ann);         // back_populates, before any flush
  s.commit();
  CHECK(post->user_id == ann->id);
  CHECK(db.count("posts") == 1);
}

TEST_CASE("setting a many-to-one puts the object in the other side's collection") {
  Db db;
  db.seed();
  orm::Session s(db.engine);
  auto ann = s.scalars(orm::select<User>().where(c<&User::name> == "ann")).at(0);
  auto cy = s.scalars(orm::select<User>().where(c<&User::name> == "cy")).at(0);
  CHECK(cy->posts.empty());
  auto post = ann->posts[0];
  post->author = cy;
  CHECK(cy->posts.size() == 1);   // in memory, before the flush
  CHECK(ann->posts.size() == 1);
  std::string title = post->title;
  s.commit();
  orm::Session s2(db.engine);
  auto cy2 = s2.scalars(orm::select<User>().where(c<&User::name> == "cy")).at(0);
  CHECK(titles(cy2->posts) == Strings{title});
}

TEST_CASE("lazy loading issues one query per collection (N+1); selectinload issues two in all") {
  Db db;
  db.seed();
  {
    orm::Session s(db.engine);
    auto users = s.scalars(orm::select<User>().order_by(c<&User::name>));
    std::size_t n = 0;
    for (auto& u : users) n += u->posts.size();
    CHECK(n == 3);
    CHECK(db.selects() == 1 + 3);  // N+1
  }
  db.log.clear();
  {
    orm::Session s(db.engine);
    auto users = s.scalars(orm::select<User>().order_by(c<&User::name>).options(orm::selectinload(&User::posts)));
    REQUIRE(users.size() == 3);
    CHECK(titles(users[0]->posts) == Strings{"a1", "a2"});
    CHECK(titles(users[1]->posts) == Strings{"b1"});
    CHECK(users[2]->posts.empty());
    CHECK(db.selects() == 2);
  }
}

TEST_CASE("joinedload loads owners and collections in one query, owners de-duplicated") {
  Db db;
  db.seed();
  orm::Session s(db.engine);
  auto users = s.scalars(orm::select<User>().order_by(c<&User::name>).options(orm::joinedload(&User::posts)));
  REQUIRE(users.size() == 3);
  CHECK(titles(users[0]->posts) == Strings{"a1", "a2"});
  CHECK(titles(users[1]->posts) == Strings{"b1"});
  CHECK(users[2]->posts.empty());
  CHECK(db.selects() == 1);
  auto posts = s.scalars(orm::select<Post>().options(orm::joinedload(&Post::author)));
  CHECK(posts.size() == 3);
  CHECK(db.selects() == 2);
}

TEST_CASE("a many-to-one already in the identity map loads without a query") {
  Db db;
  db.seed();
  orm::Session s(db.engine);
  auto users = s.scalars(orm::select<User>());
  auto posts = s.scalars(orm::select<Post>());
  db.log.clear();
  for (auto& p : posts) CHECK(!p->author->name.get().empty());
  CHECK(db.selects() == 0);
}

TEST_CASE("nested selectinload loads two levels in three queries") {
  Db db;
  {
    orm::Session s(db.engine);
    auto ann = s.add(User{.name = "ann"});
    auto p = ann->posts.push_back(Post{.title = "p"});
    p->comments.push_back(Comment{.body = "first"});
    p->comments.push_back(Comment{.body = "second"});
    s.commit();
  }
  db.log.clear();
  orm::Session s(db.engine);
  auto users = s.scalars(orm::select<User>().options(orm::selectinload(&User::posts).selectinload(&Post::comments)));
  CHECK(users.at(0)->posts.at(0)->comments.size() == 2);
  CHECK(db.selects() == 3);
}

TEST_CASE("raiseload, per query and per session, throws instead of loading") {
  Db db;
  db.seed();
  orm::Session s(db.engine);
  auto users = s.scalars(orm::select<User>().options(orm::raiseload(&User::posts)));
  CHECK_THROWS_WITH_AS((void)users.at(0)->posts.size(),
                       "[athanor.orm.raiseload] users.posts is not loaded and lazy loading is off (raiseload); load it with selectinload()",
                       athanor::Error);
  s.close();
  orm::Session strict(db.engine, {.expire_on_commit = true, .autoflush = true, .raiseload = true});
  auto posts = strict.scalars(orm::select<Post>());
  CHECK_THROWS_AS((void)posts.at(0)->comments.size(), athanor::Error);
}

TEST_CASE("cascade delete removes the children; delete-orphan deletes a removed child") {
  Db db;
  db.seed();
  orm::Session s(db.engine);
  auto ann = s.scalars(orm::select<User>().where(c<&User::name> == "ann")).at(0);
  auto bob = s.scalars(orm::select<User>().where(c<&User::name> == "bob")).at(0);
  s.delete_(ann);
  s.commit();
  CHECK(db.count("users") == 2);
  CHECK(db.count("posts") == 1);
  auto b1 = bob->posts.at(0);
  bob->posts.remove(b1);
  s.commit();
  CHECK(db.count("posts") == 0);  // the orphan went
}

TEST_CASE("passive_deletes leaves unloaded children to ON DELETE CASCADE") {
  Db db;
  {
    orm::Session s(db.engine);
    auto ann = s.add(User{.name = "ann"});
    auto p = ann->posts.push_back(Post{.title = "p"});
    p->comments.push_back(Comment{.body = "c"});
    s.commit();
  }
  db.log.clear();
  orm::Session s(db.engine);
  auto post = s.scalars(orm::select<Post>()).at(0);
  s.delete_(post);
  s.commit();
  CHECK(std::none_of(db.log.begin(), db.log.end(), [](auto& l) { return l.find("FROM \"comments\"") != std::string::npos ||
                                                                              l.find("FROM `comments`") != std::string::npos; }));
  CHECK(db.count("comments") == 0);
}

TEST_CASE("a self-referential tree: parent and replies") {
  Db db;
  int root_id = 0;
  {
    orm::Session s(db.engine);
    auto ann = s.add(User{.name = "ann"});
    auto post = ann->posts.push_back(Post{.title = "p"});
    auto root = post->comments.push_back(Comment{.body = "root"});
    auto reply = root->replies.push_back(Comment{.body = "reply"});
    reply->post = post;
    auto deep = reply->replies.push_back(Comment{.body = "deep"});
    deep->post = post;
    CHECK(reply->parent.get() == root);
    s.commit();
    root_id = root->id;
    CHECK(reply->parent_id.get() == std::optional<int>(root_id));
  }
  orm::Session s(db.engine);
  auto root = s.get<Comment>(root_id);
  REQUIRE(root->replies.size() == 1);
  CHECK(root->replies[0]->body.get() == "reply");
  CHECK(root->replies[0]->replies[0]->parent->body.get() == "reply");
  CHECK_FALSE(root->parent);
}

TEST_CASE("many-to-many through an association model: link, load both ways, unlink, delete") {
  Db db;
  db.seed();
  {
    orm::Session s(db.engine);
    auto posts = s.scalars(orm::select<Post>().order_by(c<&Post::title>));
    auto cpp = s.add(Tag{.label = "c++"});
    auto db_tag = s.add(Tag{.label = "databases"});
    posts[0]->tags.push_back(cpp);      // a1
    posts[0]->tags.push_back(db_tag);
    posts[1]->tags.push_back(cpp);      // a2
    CHECK(cpp->posts.size() == 2);      // back_populates, in memory (loaded empty while pending)
    s.commit();
  }
  CHECK(db.count("post_tags") == 3);
  {
    orm::Session s(db.engine);
    auto cpp = s.scalars(orm::select<Tag>().where(c<&Tag::label> == "c++")).at(0);
    std::vector<std::string> t;
    for (auto& p : cpp->posts) t.push_back(p->title);
    std::sort(t.begin(), t.end());
    CHECK(t == Strings{"a1", "a2"});
    db.log.clear();
    auto posts = s.scalars(orm::select<Post>().order_by(c<&Post::title>).options(orm::selectinload(&Post::tags)));
    CHECK(posts[0]->tags.size() == 2);
    CHECK(posts[1]->tags.size() == 1);
    CHECK(posts[2]->tags.empty());
    CHECK(db.selects() == 2);
    posts[0]->tags.remove(cpp);
    s.commit();
  }
  CHECK(db.count("post_tags") == 2);
  {
    orm::Session s(db.engine);
    s.delete_(s.scalars(orm::select<Post>().where(c<&Post::title> == "a1")).at(0));
    s.commit();
  }
  CHECK(db.count("post_tags") == 1);
  CHECK(db.count("tags") == 2);
}

TEST_CASE("a relationship query filters in SQL, restricted to its owner") {
  Db db;
  db.seed();
  orm::Session s(db.engine);
  auto ann = s.scalars(orm::select<User>().where(c<&User::name> == "ann")).at(0);
  auto found = ann->posts.query().where(c<&Post::title> == "a2").all();
  REQUIRE(found.size() == 1);
  CHECK(found[0]->title.get() == "a2");
  CHECK(ann->posts.query().order_by(c<&Post::title>.desc()).all().at(0)->title.get() == "a2");
  CHECK(ann->posts.query().where(c<&Post::title> == "b1").all().empty());  // bob's post
}

TEST_CASE("a write-only collection adds rows and reads them only through query()") {
  Db db;
  db.seed();
  orm::Session s(db.engine);
  auto cy = s.scalars(orm::select<User>().where(c<&User::name> == "cy")).at(0);
  db.log.clear();
  for (int i = 0; i < 5; ++i) cy->post_log.add(Post{.title = "log " + std::to_string(i)});
  CHECK(db.selects() == 0);  // adding loads nothing
  s.commit();
  CHECK(db.count("posts") == 3 + 5);
  auto last = cy->post_log.query().order_by(c<&Post::title>.desc()).limit(2).all();
  REQUIRE(last.size() == 2);
  CHECK(last[0]->title.get() == "log 4");
  auto cpp = s.add(Tag{.label = "x"});
  last[0]->tags.push_back(cpp);
  s.commit();
  CHECK(last[0]->tags.query().where(c<&Tag::label> == "x").all().size() == 1);  // many-to-many query
}

TEST_CASE("touching an unloaded relationship of an object whose session is gone raises") {
  Db db;
  db.seed();
  orm::Ptr<User> ann;
  {
    orm::Session s(db.engine, {.expire_on_commit = false, .autoflush = true, .raiseload = false});
    ann = s.scalars(orm::select<User>().where(c<&User::name> == "ann")).at(0);
  }
  CHECK_THROWS_WITH_AS((void)ann->posts.size(),
                       "[athanor.orm.detached] users.posts is not loaded and its object is not bound to a Session",
                       athanor::DetachedInstanceError);
}

TEST_CASE("objects that refer to each other are freed when the session closes") {
  Db db;
  db.seed();
  std::weak_ptr<orm::detail::InstanceBase> user, post;
  {
    orm::Session s(db.engine);
    auto ann = s.scalars(orm::select<User>().where(c<&User::name> == "ann").options(orm::selectinload(&User::posts))).at(0);
    REQUIRE(ann->posts.size() == 2);
    REQUIRE(ann->posts[0]->author.get() == ann);  // a cycle: ann -> posts -> author -> ann
    user = ann.instance(), post = ann->posts[0].instance();
    auto extra = ann->posts.push_back(Post{.title = "new"});  // pending, linked both ways too
    CHECK(extra->author.get() == ann);
  }
  CHECK(user.expired());
  CHECK(post.expired());
}

TEST_CASE("a detached object graph stays navigable while held and is freed once dropped") {
  Db db;
  db.seed();
  orm::Ptr<User> ann;
  std::weak_ptr<orm::detail::InstanceBase> user, post;
  {
    orm::Session s(db.engine);
    ann = s.scalars(orm::select<User>().where(c<&User::name> == "ann").options(orm::selectinload(&User::posts))).at(0);
    user = ann.instance(), post = ann->posts[0].instance();
    for (auto& p : ann->posts) REQUIRE(p->author.get() == ann);  // from the identity map: a cycle
  }
  REQUIRE(ann.is_detached());
  CHECK(ann->posts[1]->author->name.get() == "ann");  // loaded relationships survive the session
  auto kept = ann->posts[1];
  ann = {};
  CHECK(orm::collect_cycles() == 0);  // `kept` holds its author, who holds both posts
  CHECK(!user.expired());
  CHECK(kept->author->posts.size() == 2);
  kept = {};
  CHECK(orm::collect_cycles() == 3);  // ann and her two posts, held only by each other
  CHECK(user.expired());
  CHECK(post.expired());
}

namespace lonely {
struct B;
struct A {
  orm::Mapped<int> id;
  orm::Many<B> bs;  // no foreign key links a and b
  static void configure(orm::Mapper<A>& m) { m.column<&A::id>().primary_key(); }
};
struct B {
  orm::Mapped<int> id;
  static void configure(orm::Mapper<B>& m) { m.column<&B::id>().primary_key(); }
};
ATHANOR_MODEL(A, "a", id, bs)
ATHANOR_MODEL(B, "b", id)
}  // namespace lonely

TEST_CASE("a relationship no foreign key can carry is an error when the models are mapped") {
  orm::Registry r;
  CHECK_THROWS_WITH_AS((r.map<lonely::A, lonely::B>()),
                       "[athanor.orm.relationship] a.bs: no foreign key links tables a and b; declare one with "
                       "m.column<…>().foreign_key(\"table.column\")",
                       athanor::ArgumentError);
}

TEST_CASE("foreign key columns used by relationships are indexed") {
  auto& t = orm::table_of<Post>().data();
  CHECK(t.find("user_id")->index);
  CHECK(orm::table_of<Comment>().data().find("parent_id")->index);
}
