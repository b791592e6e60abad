// examples/login.cpp — storing and checking passwords with athanor on SQLite in memory:
// a User, a UserAuth row beside it (one-to-one by user_id) holding a scrypt PasswordHash,
// a correct login, a wrong one, and an old hash upgraded at login. Run: login [--echo]
#include <athanor/athanor.hpp>
#include <athanor/auth.hpp>

#include <chrono>
#include <iostream>
#include <string>

namespace orm = athanor::orm;
using orm::c;
using orm::Mapped;

struct User {
  Mapped<int> id;
  Mapped<std::string> name;
  static void configure(orm::Mapper<User>& m) {
    m.column<&User::id>().primary_key();
    m.column<&User::name>().length(50).unique();
  }
};

// The password lives in a table of its own, so that loading a User never loads its hash.
struct UserAuth {
  Mapped<int> id;
  Mapped<int> user_id;                 // -> users.id, unique: one UserAuth per User
  Mapped<orm::PasswordHash> password;  // a PHC string: "$scrypt$ln=17,r=8,p=1$<salt>$<hash>"

  // Hashes with a fresh random salt; the plain text is not kept anywhere.
  void set_password(std::string_view plain, orm::ScryptParams params = orm::ScryptParams::recommended()) {
    password = orm::PasswordHash::hash(plain, params);
  }
  // Recomputes the hash with the stored salt and compares in constant time.
  bool check_password(std::string_view plain) const { return password->verify(plain); }

  static void configure(orm::Mapper<UserAuth>& m) {
    m.column<&UserAuth::id>().primary_key();
    m.column<&UserAuth::user_id>().foreign_key("users.id", {.on_delete = orm::Action::cascade}).unique();
  }
};

ATHANOR_MODEL(User, "users", id, name)
ATHANOR_MODEL(UserAuth, "user_auth", id, user_id, password)

struct LoginResult {
  bool accepted = false;
  bool rehashed = false;
};

// Finds the user by name, then their UserAuth row, and checks the password.
LoginResult login(orm::Session& session, const std::string& name, std::string_view password) {
  auto users = session.scalars(orm::select<User>().where(c<&User::name> == name));
  if (users.empty()) return {};
  auto auths = session.scalars(orm::select<UserAuth>().where(c<&UserAuth::user_id> == users[0]->id.get()));
  if (auths.empty() || !auths[0]->check_password(password)) return {};
  auto& auth = auths[0];
  // The right moment to upgrade an old hash: the plain password is at hand and correct.
  if (auth->password->needs_rehash()) {
    auth->set_password(password);
    session.commit();
    return {true, true};
  }
  return {true, false};
}

int main(int argc, char** argv) {
  bool echo = argc > 1 && std::string(argv[1]) == "--echo";
  auto engine = orm::create_engine("sqlite://", {.echo = echo});
  orm::Registry registry;
  registry.map<User, UserAuth>();
  registry.metadata().create_all(engine);
  orm::sessionmaker Session{engine};

  {
    auto session = Session();
    auto ann = session.add(User{.name = "ann"});
    session.flush();  // ann->id is known from here
    UserAuth auth{.user_id = ann->id.get()};
    auto t0 = std::chrono::steady_clock::now();
    auth.set_password("correct horse battery staple");
    auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - t0).count();
    std::cout << "hashed ann's password in " << ms << " ms (scrypt N=2^17, r=8, p=1: slow on purpose)\n";
    session.add(std::move(auth));

    // bob's hash was made years ago with weaker parameters.
    auto bob = session.add(User{.name = "bob"});
    session.flush();
    UserAuth old{.user_id = bob->id.get()};
    old.set_password("hunter2", {.log2_n = 14, .r = 8, .p = 1});
    session.add(std::move(old));
    session.commit();
  }

  {
    auto conn = engine.connect();
    std::cout << "what the database holds for ann (never the password itself):\n  "
              << conn.exec_driver_sql("SELECT password FROM user_auth WHERE user_id = 1").scalar_one<std::string>() << "\n";
  }

  auto session = Session();
  auto show = [&](const std::string& name, std::string_view password) {
    auto r = login(session, name, password);
    std::cout << "login " << name << " with \"" << password << "\": " << (r.accepted ? "accepted" : "rejected")
              << (r.rehashed ? " (the old hash was weaker than today's parameters: rehashed and saved)" : "") << "\n";
    return r.accepted;
  };
  bool good = show("ann", "correct horse battery staple");
  bool wrong = show("ann", "correct horse battery stapler");
  bool nobody = show("zoe", "anything");
  bool upgraded = show("bob", "hunter2");
  bool again = show("bob", "hunter2");
  return good && !wrong && !nobody && upgraded && again ? 0 : 1;
}
