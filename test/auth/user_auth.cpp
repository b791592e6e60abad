// test/auth/user_auth.cpp — DESIGN's UserAuth pattern through the ORM on every backend: a
// Mapped<PasswordHash> column stored, committed, loaded in a new Session and checked;
// rehash-on-login; a tampered row read back as the typed error.
#include <athanor/athanor.hpp>
#include <athanor/auth.hpp>

#include "support/backend.hpp"

namespace accounts {
namespace orm = athanor::orm;
using orm::Mapped;

struct User {
  Mapped<int> id;
  Mapped<std::string> name;
  static void configure(orm::Mapper<User>& m) {
    m.column<&User::id>().primary_key();
    m.column<&User::name>().length(50).unique();
  }
};

struct UserAuth {
  Mapped<int> id;
  Mapped<int> user_id;  // one-to-one with User: a unique foreign key
  Mapped<orm::PasswordHash> password;

  void set_password(std::string_view plain, orm::ScryptParams params = orm::ScryptParams::recommended()) {
    password = orm::PasswordHash::hash(plain, params);
  }
  bool check_password(std::string_view plain) const { return password->verify(plain); }

  static void configure(orm::Mapper<UserAuth>& m) {
    m.column<&UserAuth::id>().primary_key();
    m.column<&UserAuth::user_id>().foreign_key("users.id", {.on_delete = orm::Action::cascade, .on_update = {}, .name = {}}).unique();
  }
};

ATHANOR_MODEL(User, "users", id, name)
ATHANOR_MODEL(UserAuth, "user_auth", id, user_id, password)
}  // namespace accounts

using namespace accounts;
using orm::c;

namespace {
struct Db {
  athanor::Engine engine = test::engine();
  orm::Registry registry;
  Db() {
    registry.map<User, UserAuth>();
    registry.metadata().drop_all(engine);
    registry.metadata().create_all(engine);
  }
  ~Db() {
    try {
      registry.metadata().drop_all(engine);
    } catch (...) {
    }
  }
  std::string stored_password(int user_id) {
    auto conn = engine.connect();
    return conn.exec_driver_sql("SELECT password FROM user_auth WHERE user_id = " + std::to_string(user_id))
        .scalar_one<std::string>();
  }
};

// Adds a user with a password; returns the user's id.
int add_user(orm::sessionmaker& Session, const std::string& name, std::string_view password, orm::ScryptParams params) {
  auto s = Session();
  auto user = s.add(User{.name = name});
  s.flush();
  UserAuth auth{.user_id = user->id.get()};
  auth.set_password(password, params);
  s.add(std::move(auth));
  s.commit();
  return user->id;
}

orm::Ptr<UserAuth> auth_of(orm::Session& s, int user_id) {
  auto found = s.scalars(orm::select<UserAuth>().where(c<&UserAuth::user_id> == user_id));
  REQUIRE(found.size() == 1);
  return found[0];
}
}  // namespace

TEST_CASE("a password set through the ORM is stored as a PHC string and checked in a new session") {
  Db db;
  orm::sessionmaker Session{db.engine};
  int ann = add_user(Session, "ann", "correct horse battery staple", orm::ScryptParams::recommended());

  auto stored = db.stored_password(ann);
  CHECK(stored.rfind("$scrypt$ln=17,r=8,p=1$", 0) == 0);
  CHECK(stored.find("correct horse") == std::string::npos);

  auto s = Session();
  auto auth = auth_of(s, ann);
  CHECK(auth->password->phc() == stored);
  CHECK(auth->check_password("correct horse battery staple"));
  CHECK_FALSE(auth->check_password("Correct horse battery staple"));
  CHECK_FALSE(auth->check_password(""));
  CHECK_FALSE(auth->password->needs_rehash());
}

TEST_CASE("an old, weaker hash is upgraded at login and the new one is what is stored") {
  Db db;
  orm::sessionmaker Session{db.engine};
  int bob = add_user(Session, "bob", "s3cret", {.log2_n = 12, .r = 8, .p = 1});
  CHECK(db.stored_password(bob).rfind("$scrypt$ln=12,r=8,p=1$", 0) == 0);
  {
    auto s = Session();
    auto auth = auth_of(s, bob);
    REQUIRE(auth->check_password("s3cret"));
    if (auth->password->needs_rehash()) auth->set_password("s3cret");  // the login flow
    CHECK(auth->password.modified());
    s.commit();
  }
  CHECK(db.stored_password(bob).rfind("$scrypt$ln=17,r=8,p=1$", 0) == 0);
  auto s = Session();
  auto auth = auth_of(s, bob);
  CHECK(auth->check_password("s3cret"));
  CHECK_FALSE(auth->check_password("s3cret "));
  CHECK_FALSE(auth->password->needs_rehash());
}

TEST_CASE("a tampered password row raises [athanor.auth.phc] when it is loaded") {
  Db db;
  orm::sessionmaker Session{db.engine};
  int cat = add_user(Session, "cat", "meow", {.log2_n = 10, .r = 8, .p = 1});
  {
    auto conn = db.engine.begin();
    conn.exec_driver_sql("UPDATE user_auth SET password = '$scrypt$ln=30,r=8,p=1$c2FsdHNhbHRzYWx0c2FsdA$aGFzaA'");
    conn.commit();
  }
  auto s = Session();
  CHECK_THROWS_WITH_AS(auth_of(s, cat), "[athanor.auth.phc] ln=30 is out of range 1..20", athanor::ArgumentError);
}
