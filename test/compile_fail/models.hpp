// test/compile_fail/models.hpp — two small models for the compile-fail cases.
#pragma once
#include <athanor/engine.hpp>  // create_engine (not declared by orm.hpp alone)
#include <athanor/orm.hpp>
namespace cf {
namespace orm = athanor::orm;
struct User {
  orm::Mapped<int> id;
  orm::Mapped<std::string> name;
  static void configure(orm::Mapper<User>& m) { m.column<&User::id>().primary_key(); }
};
struct Post {
  orm::Mapped<int> id;
  orm::Mapped<int> user_id;
  static void configure(orm::Mapper<Post>& m) { m.column<&Post::id>().primary_key(); }
};
ATHANOR_MODEL(User, "users", id, name)
ATHANOR_MODEL(Post, "posts", id, user_id)
}  // namespace cf
using cf::Post;
using cf::User;
using athanor::orm::c;
namespace orm = athanor::orm;
