// athanor/core/constraints.hpp — table constraints and indexes: `ForeignKey`,
// `ForeignKeyConstraint`, `PrimaryKeyConstraint`, `UniqueConstraint`, `CheckConstraint`, `Index`.
#pragma once

#include <initializer_list>  // std::initializer_list
#include <string>            // std::string
#include <vector>            // std::vector

namespace athanor {

/// ON DELETE / ON UPDATE actions of a foreign key.
enum class Action : unsigned char { unspecified, no_action, restrict, cascade, set_null, set_default };

/// A column-level foreign key: `ForeignKey{"users.id", {.on_delete = Action::cascade}}`.
struct ForeignKey {
  /// What happens to the referring rows, and the constraint's name.
  struct Options {
    Action on_delete = Action::unspecified;  ///< ON DELETE (unspecified: none written)
    Action on_update = Action::unspecified;  ///< ON UPDATE (unspecified: none written)
    std::string name{};  ///< constraint name; generated when empty (initialized: `{.on_delete = …}` draws no -Wextra warning)
  };
  std::string target;  ///< "table.column"
  Options options{};   ///< actions and name
};

/// A foreign key over several columns: `ForeignKeyConstraint{{"a", "b"}, {"t.a", "t.b"}}`.
struct ForeignKeyConstraint {
  std::vector<std::string> columns;  ///< the referring columns of this table
  std::vector<std::string> targets;  ///< "table.column" each, same table
  ForeignKey::Options options{};     ///< actions and name
};

/// A composite primary key: `PrimaryKeyConstraint{{"order_id", "line"}}`.
struct PrimaryKeyConstraint {
  std::vector<std::string> columns;  ///< the key's columns, in order
};

/// `UniqueConstraint{{"first", "last"}, "uq_people_name"}`.
struct UniqueConstraint {
  std::vector<std::string> columns;  ///< unique together
  std::string name;  ///< generated when empty
};

/// A CHECK constraint given as SQL text, written into the DDL as is (it is schema, not data):
/// `CheckConstraint{"price >= 0", "ck_price_positive"}`.
struct CheckConstraint {
  std::string sqltext;  ///< the condition, as SQL
  std::string name;  ///< generated when empty
};

/// An index: `Index{"ix_users_name", {"name"}}`, `Index{"ux_email", {"email"}, true}`.
struct Index {
  std::string name;                  ///< the index's name
  std::vector<std::string> columns;  ///< its columns, in order
  bool unique = false;               ///< a UNIQUE index
};

}  // namespace athanor
