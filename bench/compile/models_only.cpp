// bench/compile/models_only.cpp — a file that only declares models: what a models header costs
// every file that includes it (bench/compile_time.sh). Issue 17 asks that such a file, which
// includes <athanor/orm.hpp>, parse neither the drivers nor the SQL compiler.
#include <optional>
#include <string>

#include <athanor/orm.hpp>

namespace models {
namespace orm = athanor::orm;
using orm::Mapped;

struct Post;
struct User {
  Mapped<int> id;
  Mapped<std::string> name;
  Mapped<std::optional<std::string>> email;
  orm::Many<Post> posts;
  static void configure(orm::Mapper<User>& m) {
    m.column<&User::name>().length(50).unique();
    m.relationship<&User::posts>().back_populates("author").cascade("all, delete-orphan");
  }
};
struct Post {
  Mapped<int> id;
  Mapped<int> user_id;
  Mapped<std::string> title;
  orm::One<User> author;
  static void configure(orm::Mapper<Post>& m) { m.column<&Post::user_id>().foreign_key("users.id").index(); }
};
ATHANOR_MODEL(User, "users", id, name, email, posts)
ATHANOR_MODEL(Post, "posts", id, user_id, title, author)

}  // namespace models
