// test/orm/models.hpp — the models the ORM tests share: the seed's blog (User, Post) plus
// a versioned Account.
#pragma once

#include <athanor/athanor.hpp>

namespace blog {
namespace orm = athanor::orm;
using orm::Mapped;

struct User {
  Mapped<int> id;
  Mapped<std::string> name;
  Mapped<std::optional<std::string>> email;
  Mapped<int> visits;
  static void configure(orm::Mapper<User>& m) {
    m.column<&User::id>().primary_key();
    m.column<&User::name>().length(50).unique();
    m.column<&User::email>().length(120);
    m.column<&User::visits>().server_default(0);
  }
};
struct Post {
  Mapped<int> id;
  Mapped<int> user_id;
  Mapped<std::string> title;
  Mapped<std::optional<double>> score;
  static void configure(orm::Mapper<Post>& m) {
    m.column<&Post::id>().primary_key();
    m.column<&Post::user_id>().foreign_key("users.id", {.on_delete = orm::Action::cascade, .on_update = {}, .name = {}}).index();
    m.column<&Post::title>().length(200);
  }
};
struct Account {
  Mapped<std::string> code;
  Mapped<std::int64_t> balance;
  Mapped<int> version;
  static void configure(orm::Mapper<Account>& m) {
    m.column<&Account::code>().primary_key().length(20);
    m.column<&Account::version>().version();
  }
};
ATHANOR_MODEL(User, "users", id, name, email, visits)
ATHANOR_MODEL(Post, "posts", id, user_id, title, score)
ATHANOR_MODEL(Account, "accounts", code, balance, version)
}  // namespace blog
