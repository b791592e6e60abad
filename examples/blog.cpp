// examples/blog.cpp — the seed scenario end to end, with athanor's ORM: a blog with users,
// their one-to-one login record (a salted scrypt password hash) and their posts.
// Run: ./dev demo            (embedded SQLite, in memory)
//      blog --url postgresql://user@host/db   or   --url mysql://…   and --echo for the SQL.
// The demo creates the tables users, user_auth and posts. In a database that already has one
// of them it stops without touching anything, unless --reset lets it drop and recreate them.
// athanor::create_engine takes a URL of every backend built in, and so compiles every driver. A
// program on one backend can include <athanor/orm.hpp> and that backend's header instead, and
// call its create_engine, which compiles no other driver: bench/compile_time.sh builds this file
// so with -DBLOG_SQLITE_ONLY (--url then takes SQLite URLs only).
#ifdef BLOG_SQLITE_ONLY
#  include <athanor/backend/sqlite.hpp>
#  include <athanor/orm.hpp>
using athanor::sqlite::create_engine;
#else
#  include <athanor/athanor.hpp>
using athanor::create_engine;
#endif
#include <athanor/auth.hpp>

#include <iostream>
#include <string>

namespace orm = athanor::orm;
using orm::c;
using orm::Mapped;

namespace blog {
struct UserAuth;
struct Post;

struct User {
  Mapped<int> id;
  Mapped<std::string> name;
  Mapped<std::optional<std::string>> email;
  orm::One<UserAuth> auth;  // one-to-one: the row in user_auth that points here
  orm::Many<Post> posts;    // one-to-many
  static void configure(orm::Mapper<User>& m) {
    m.column<&User::id>().primary_key();
    m.column<&User::name>().length(50).unique();
    m.column<&User::email>().length(120);
    m.relationship<&User::auth>().back_populates("user").cascade("all, delete-orphan");
    m.relationship<&User::posts>().back_populates("author").cascade("all, delete-orphan");
  }
};

struct UserAuth {
  Mapped<int> id;
  Mapped<int> user_id;
  Mapped<orm::PasswordHash> password;
  orm::One<User> user;
  /// The setter hashes: the plain password is never stored.
  void set_password(std::string_view plain) { password = orm::PasswordHash::hash(plain); }
  /// Verifies in constant time.
  bool check_password(std::string_view plain) const { return password->verify(plain); }
  static void configure(orm::Mapper<UserAuth>& m) {
    m.column<&UserAuth::id>().primary_key();
    m.column<&UserAuth::user_id>().unique().foreign_key("users.id", {.on_delete = orm::Action::cascade});
  }
};

struct Post {
  Mapped<int> id;
  Mapped<int> user_id;
  Mapped<std::string> title;
  orm::One<User> author;
  static void configure(orm::Mapper<Post>& m) {
    m.column<&Post::id>().primary_key();
    m.column<&Post::user_id>().foreign_key("users.id", {.on_delete = orm::Action::cascade});
    m.column<&Post::title>().length(200);
  }
};

ATHANOR_MODEL(User, "users", id, name, email, auth, posts)
ATHANOR_MODEL(UserAuth, "user_auth", id, user_id, password, user)
ATHANOR_MODEL(Post, "posts", id, user_id, title, author)
}  // namespace blog

using blog::Post;
using blog::User;
using blog::UserAuth;

/// Logs in by name and password: the user, or nothing.
orm::Ptr<User> login(orm::Session& session, const std::string& name, std::string_view password) {
  auto found = session.scalars(orm::select<User>().where(c<&User::name> == name));
  if (found.empty() || !found[0]->auth || !found[0]->auth->check_password(password)) return {};
  return found[0];
}

int main(int argc, char** argv) {
  std::string url = "sqlite://";
  bool echo = false, reset = false;
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    if (a == "--url" && i + 1 < argc) url = argv[++i];
    else if (a == "--echo") echo = true;
    else if (a == "--reset") reset = true;
    else {
      std::cerr << "usage: blog [--url URL] [--echo] [--reset]\n";
      return 2;
    }
  }
  try {
    auto engine = create_engine(url, {.echo = echo});
    std::cout << "== athanor blog demo on " << engine.to_string() << "\n\n";
    orm::Registry registry;
    registry.map<User, UserAuth, Post>();
    if (!engine.url().is_memory()) {  // never drop what a user's database holds without being told
      std::string found;
      auto conn = engine.connect();
      for (const auto* table : registry.metadata().sorted_tables())
        if (conn.has_table(table->name)) found += (found.empty() ? "" : ", ") + table->name;
      if (!found.empty() && !reset) {
        std::cerr << "This database already has the table(s) " << found << ", which the demo would drop and recreate.\n"
                  << "Nothing was changed. Run again with --reset to let it, or point --url at an empty database.\n";
        return 2;
      }
    }
    registry.metadata().drop_all(engine);
    registry.metadata().create_all(engine);  // tables, foreign keys, indexes
    orm::sessionmaker Session{engine};

    std::cout << "1. Creating users, their passwords and posts\n";
    {
      auto session = Session();
      for (auto [name, password] : {std::pair{"ann", "correct horse battery staple"}, std::pair{"bob", "hunter2"}}) {
        auto user = session.add(User{.name = name, .email = std::string(name) + "@example.com"});
        UserAuth auth;
        auth.set_password(password);
        user->auth = session.add(std::move(auth));
      }
      auto ann = session.scalars(orm::select<User>().where(c<&User::name> == "ann")).at(0);
      ann->posts.push_back(Post{.title = "Hello, world"});
      ann->posts.push_back(Post{.title = "Why C++ needs an ORM"});
      ann->posts.push_back(Post{.title = "Typed queries, checked by the compiler"});
      session.scalars(orm::select<User>().where(c<&User::name> == "bob")).at(0)->posts.push_back(Post{.title = "bob was here"});
      session.commit();  // one transaction: users first, then user_auth and posts with their keys
      std::cout << "   ann has id " << ann->id << ", her stored password is " << ann->auth->password->phc().substr(0, 30) << "…\n\n";
    }

    std::cout << "2. Logging in\n";
    {
      auto session = Session();
      std::cout << "   ann / right password: " << (login(session, "ann", "correct horse battery staple") ? "welcome" : "denied") << "\n";
      std::cout << "   ann / wrong password: " << (login(session, "ann", "Correct horse battery staple") ? "welcome" : "denied") << "\n";
      std::cout << "   nobody / any:         " << (login(session, "nobody", "x") ? "welcome" : "denied") << "\n\n";
    }

    std::cout << "3. Listing posts lazily (one query per user: N+1)\n";
    {
      auto session = Session();
      for (auto& user : session.scalars(orm::select<User>().order_by(c<&User::name>))) {
        std::cout << "   " << user->name.get() << ":";
        for (auto& post : user->posts) std::cout << " [" << post->title.get() << "]";
        std::cout << "\n";
      }
    }
    std::cout << "   … and eagerly (selectinload: two queries in all)\n";
    {
      auto session = Session();
      auto users = session.scalars(orm::select<User>().order_by(c<&User::name>).options(orm::selectinload(&User::posts)));
      for (auto& user : users) std::cout << "   " << user->name.get() << ": " << user->posts.size() << " posts\n";
      std::cout << "\n";
    }

    std::cout << "4. Filtering: ann's posts whose title mentions C++, posts per user, a subquery and an alias\n";
    {
      auto session = Session();
      auto ann = login(session, "ann", "correct horse battery staple");
      for (auto& post : ann->posts.query().where(c<&Post::title>.like("%C++%")).order_by(c<&Post::title>).all())
        std::cout << "   " << post->title.get() << "\n";
      auto counts = session.execute(orm::select(c<&User::name>, orm::count(c<&Post::id>))
                                        .outerjoin<Post>(c<&User::id> == c<&Post::user_id>)
                                        .group_by(c<&User::name>)
                                        .order_by(c<&User::name>));
      for (auto [name, n] : counts) std::cout << "   " << name << " wrote " << n << "\n";
      // Outer join: the joined model's columns come as std::optional (nullopt: no post).
      auto titles = session.execute(orm::select(c<&User::name>, c<&Post::title>)
                                        .outerjoin<Post>(c<&User::id> == c<&Post::user_id>)
                                        .order_by(c<&User::name>, c<&Post::title>));
      for (auto& [name, title] : titles) std::cout << "   " << name << ": " << title.value_or("(no posts)") << "\n";
      // EXISTS, correlated on the outer model: who wrote about C++?
      auto cpp_writers = session.scalars(
          orm::select<User>().where(orm::exists<Post>(c<&Post::user_id> == c<&User::id> && c<&Post::title>.like("%C++%"))));
      for (auto& user : cpp_writers) std::cout << "   " << user->name.get() << " wrote about C++\n";
      // An alias: posts twice in one statement, pairs of posts by the same author.
      constexpr auto later = orm::aliased<Post, "later">;
      auto pairs = session.execute(orm::select(c<&Post::title>, later.c<&Post::title>)
                                       .join(later, c<&Post::user_id> == later.c<&Post::user_id> && c<&Post::id> < later.c<&Post::id>)
                                       .order_by(c<&Post::id>, later.c<&Post::id>));
      for (auto [first, then] : pairs) std::cout << "   \"" << first << "\", then \"" << then << "\"\n";
      std::cout << "\n";
    }

    std::cout << "5. Deleting bob: his login and posts go with him (cascade)\n";
    {
      auto session = Session();
      auto bob = session.scalars(orm::select<User>().where(c<&User::name> == "bob")).at(0);
      session.delete_(bob);
      session.commit();
      auto left = session.execute(orm::select(orm::count()).select_from<Post>());
      auto auths = session.execute(orm::select(orm::count()).select_from<UserAuth>());
      std::cout << "   posts left: " << std::get<0>(left.at(0)) << ", logins left: " << std::get<0>(auths.at(0)) << "\n";
    }
    return 0;
  } catch (const athanor::Error& e) {
    std::cerr << "error: " << e.what() << "\n";
    return 1;
  }
}
