// athanor/orm/detail/rel_info.hpp — what the ORM knows of one relationship: its member, its
// target model, the options from configure(), and (resolved on first use, from the foreign
// keys of both tables) which columns link the two sides.
#pragma once

#include <cstddef>  // std::ptrdiff_t
#include <memory>  // std::shared_ptr
#include <mutex>   // std::once_flag
#include <string>  // std::string
#include <vector>  // std::vector

#include <athanor/core/detail/compiled_slots.hpp>

namespace athanor::orm {
enum class Lazy : unsigned char;
namespace detail {

struct ModelOps;
struct InstanceBase;
struct RelationBase;

enum class RelKind : unsigned char {
  many_to_one,  ///< the foreign key is on the owner (Post::author)
  one_to_many,  ///< the foreign key is on the target (User::posts)
  one_to_one,   ///< a One<T> whose foreign key is on the target (User::auth)
  many_to_many, ///< through an association model (secondary) with a foreign key to each side
};

struct RelInfo {
  std::string name;
  bool many = false;
  const ModelOps& (*owner)() = nullptr;
  const ModelOps& (*target)() = nullptr;
  const ModelOps& (*secondary)() = nullptr;  ///< many-to-many: the association model
  RelationBase& (*member)(InstanceBase&) = nullptr;
  /// Where the member is in its owner's Instance, from the InstanceBase (RelationBase::owner()).
  std::ptrdiff_t member_offset = 0;
  /// Sets loaded results (no cascades). The items are moved out of the vector, which is left
  /// empty with its capacity: a lazy load hands over the same vector each time (no malloc).
  void (*set)(RelationBase&, std::vector<std::shared_ptr<InstanceBase>>&&) = nullptr;
  /// The in-memory side of back_populates: add (or set) / remove without cascades.
  void (*link)(RelationBase&, const std::shared_ptr<InstanceBase>&) = nullptr;
  void (*unlink)(RelationBase&, const std::shared_ptr<InstanceBase>&) = nullptr;
  /// Calls `fn(object, ctx)` for each related object held now, without loading and without
  /// copying a pointer (the cycle collector counts references, orm/detail/cycles.hpp).
  void (*visit)(const RelationBase&, void (*fn)(InstanceBase&, void*), void* ctx) = nullptr;
  /// The related objects held now (without loading), through visit.
  std::vector<std::shared_ptr<InstanceBase>> items(const RelationBase& r) const;
  /// Drops the related objects held (the relationship is unloaded again).
  void (*release)(RelationBase&) = nullptr;

  // options (configure())
  std::string foreign_key;     ///< the linking column's name, when two foreign keys could link the tables
  std::string back_populates;  ///< the member on the target that mirrors this one
  bool cascade_delete = false;
  bool delete_orphan = false;
  bool passive_deletes = false;
  Lazy lazy{};

  // resolved on first use
  mutable std::once_flag once;
  mutable RelKind kind{};
  mutable std::vector<std::size_t> local;   ///< owner's columns
  mutable std::vector<std::size_t> remote;  ///< target's columns, pairwise with local
  mutable const RelInfo* back = nullptr;
  /// many-to-many: the association's columns pointing at the owner (pairwise with local)
  /// and at the target (pairwise with remote).
  mutable std::vector<std::size_t> secondary_local, secondary_remote;
  void resolve() const;
  /// The lazy loader's SELECT, per dialect, kept as long as the relationship's description (the
  /// program): marked Compiled::cached, so that a connection runs it again on the driver
  /// statement it last ran as, without looking its text up (~70 instructions a lazy load in ORM
  /// W6a), and read without a lock (orm/detail/relation_loaders.hpp).
  mutable athanor::detail::CompiledSlots lazy_sql;
};

}  // namespace detail

/// Options of one relationship, chained in configure():
/// `m.relationship<&User::posts>().back_populates("author").cascade("all, delete-orphan");`
class RelationOptions {
 public:
  /// Options that write into the relationship's description (Mapper::relationship() makes one).
  explicit RelationOptions(detail::RelInfo& r) : r_(r) {}
  /// The member on the other model that mirrors this one; setting either side updates both
  /// in memory. Declaring it on one side is enough (that is SQLAlchemy's backref).
  RelationOptions& back_populates(std::string member) { return r_.back_populates = std::move(member), *this; }
  /// The foreign key column to use when two could link the tables.
  RelationOptions& foreign_key(std::string column) { return r_.foreign_key = std::move(column), *this; }
  /// "save-update" (always), "delete", "delete-orphan", "all" (= save-update, delete), comma separated.
  RelationOptions& cascade(std::string_view spec) {
    r_.cascade_delete = spec.find("all") != std::string_view::npos ||
                        spec.find("delete") != std::string_view::npos;
    r_.delete_orphan = spec.find("delete-orphan") != std::string_view::npos;
    if (r_.delete_orphan && spec.find("all") == std::string_view::npos) {
      auto plain = spec.find("delete");
      r_.cascade_delete = plain != std::string_view::npos && spec.substr(plain, 13) != "delete-orphan";
    }
    return *this;
  }
  /// Leave deleting children to the database's ON DELETE CASCADE: nothing is loaded to delete them.
  RelationOptions& passive_deletes(bool on = true) { return r_.passive_deletes = on, *this; }
  /// How the relationship loads when no query option says otherwise (Lazy; default: on access).
  RelationOptions& lazy(Lazy l) { return r_.lazy = l, *this; }
  /// Many-to-many through an association model S (two foreign keys, one to each side):
  /// `m.relationship<&Post::tags>().secondary<PostTag>()`. Map S in the Registry too.
  template <class S>
  RelationOptions& secondary();

 private:
  detail::RelInfo& r_;
};

}  // namespace athanor::orm
