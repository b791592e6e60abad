// test/orm/models.hpp — the models the ORM tests share: the seed's blog (User, Post) plus
// a versioned Account.
#pragma once

#include <athanor/athanor.hpp>

namespace blog {
namespace orm = athanor::orm;
using orm::Mapped;

struct Post;
struct Comment;
struct Tag;
struct PostTag;

struct User {
  Mapped<int> id;
  Mapped<std::string> name;
  Mapped<std::optional<std::string>> email;
  Mapped<int> visits;
  orm::Many<Post> posts;
  orm::WriteOnly<Post> post_log;  // the same rows, never loaded in full
  static void configure(orm::Mapper<User>& m) {
    m.column<&User::id>().primary_key();
    m.column<&User::name>().length(50).unique();
    m.column<&User::email>().length(120);
    m.column<&User::visits>().server_default(0);
    m.relationship<&User::posts>().back_populates("author").cascade("all, delete-orphan");
  }
};
struct Post {
  Mapped<int> id;
  Mapped<int> user_id;
  Mapped<std::string> title;
  Mapped<std::optional<double>> score;
  orm::One<User> author;
  orm::Many<Comment> comments;
  orm::Many<Tag> tags;  // many-to-many through PostTag
  static void configure(orm::Mapper<Post>& m) {
    m.column<&Post::id>().primary_key();
    m.column<&Post::user_id>().foreign_key("users.id", {.on_delete = orm::Action::cascade, .on_update = {}, .name = {}});
    m.column<&Post::title>().length(200);
    m.relationship<&Post::comments>().cascade("all").passive_deletes();
    m.relationship<&Post::tags>().secondary<PostTag>().back_populates("posts");
  }
};
struct Tag {
  Mapped<int> id;
  Mapped<std::string> label;
  orm::Many<Post> posts;
  static void configure(orm::Mapper<Tag>& m) {
    m.column<&Tag::id>().primary_key();
    m.column<&Tag::label>().length(40).unique();
    m.relationship<&Tag::posts>().secondary<PostTag>();
  }
};
/// The association table of Post.tags / Tag.posts.
struct PostTag {
  Mapped<int> post_id;
  Mapped<int> tag_id;
  static void configure(orm::Mapper<PostTag>& m) {
    m.column<&PostTag::post_id>().primary_key().foreign_key("posts.id", {.on_delete = orm::Action::cascade, .on_update = {}, .name = {}});
    m.column<&PostTag::tag_id>().primary_key().foreign_key("tags.id", {.on_delete = orm::Action::cascade, .on_update = {}, .name = {}});
  }
};
/// A tree of comments (self-referential): parent / replies.
struct Comment {
  Mapped<int> id;
  Mapped<int> post_id;
  Mapped<std::optional<int>> parent_id;
  Mapped<std::string> body;
  orm::One<Post> post;
  orm::One<Comment> parent;
  orm::Many<Comment> replies;
  static void configure(orm::Mapper<Comment>& m) {
    m.column<&Comment::id>().primary_key();
    m.column<&Comment::post_id>().foreign_key("posts.id", {.on_delete = orm::Action::cascade, .on_update = {}, .name = {}});
    m.column<&Comment::parent_id>().foreign_key("comments.id", {.on_delete = orm::Action::cascade, .on_update = {}, .name = {}});
    m.column<&Comment::body>().type(orm::Text{});
    m.relationship<&Comment::replies>().back_populates("parent").cascade("all");
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
ATHANOR_MODEL(User, "users", id, name, email, visits, posts, post_log)
ATHANOR_MODEL(Post, "posts", id, user_id, title, score, author, comments, tags)
ATHANOR_MODEL(Tag, "tags", id, label, posts)
ATHANOR_MODEL(PostTag, "post_tags", post_id, tag_id)
ATHANOR_MODEL(Comment, "comments", id, post_id, parent_id, body, post, parent, replies)
ATHANOR_MODEL(Account, "accounts", code, balance, version)
}  // namespace blog
