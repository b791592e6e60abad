// athanor/core/metadata.hpp — `MetaData`, the collection of a schema's tables, and the
// entry point of `create_all` / `drop_all` (which an Engine or Connection carries out).
#pragma once

#include <algorithm>  // std::find_if
#include <memory>     // std::shared_ptr
#include <string>     // std::string
#include <vector>     // std::vector

#include <athanor/core/detail/from_node.hpp>
#include <athanor/core/error.hpp>

namespace athanor {

/// The tables of a schema.
/// **Example**: `MetaData md; Table users{"users", md, …}; md.create_all(engine);`
class MetaData {
 public:
  /// Creates every table, foreign key and index, parents before children. With `checkfirst`,
  /// tables that exist already are left alone. `bind` is an Engine or a Connection.
  template <class Bind>
  void create_all(Bind& bind, bool checkfirst = true) const {
    bind.create_all(*this, checkfirst);
  }
  /// Drops every table, children before parents.
  template <class Bind>
  void drop_all(Bind& bind, bool checkfirst = true) const {
    bind.drop_all(*this, checkfirst);
  }

  /// Adds a table (Table's constructor does; ArgumentError when the name is taken).
  void add(std::shared_ptr<detail::TableData> t) {
    if (find(t->name)) throw ArgumentError("[athanor.argument.table] table " + t->name + " is already defined in this MetaData");
    if (!t->naming) t->naming = naming_;
    tables_.push_back(std::move(t));
  }
  /// The table named `name`, or nullptr.
  const detail::TableData* find(std::string_view name) const {
    auto it = std::find_if(tables_.begin(), tables_.end(), [&](auto& t) { return t->name == name; });
    return it == tables_.end() ? nullptr : it->get();
  }
  /// The table named `name` (ArgumentError when there is none).
  std::shared_ptr<detail::TableData> table_data(std::string_view name) const {
    for (auto& t : tables_)
      if (t->name == name) return t;
    throw ArgumentError("[athanor.argument.unknown_table] no table '" + std::string(name) + "' in this MetaData");
  }

  /// Tables ordered so that every table comes after the tables its foreign keys reference.
  std::vector<const detail::TableData*> sorted_tables() const {
    std::vector<const detail::TableData*> out;
    std::vector<int> state(tables_.size(), 0);  // 0 new, 1 visiting, 2 done
    auto visit = [&](auto& self, std::size_t i) -> void {
      if (state[i]) return;  // done, or a cycle: keep declaration order for the rest
      state[i] = 1;
      for (auto& fk : tables_[i]->foreign_keys) {
        for (std::size_t j = 0; j < tables_.size(); ++j)
          if (j != i && tables_[j]->name == fk.ref_table) self(self, j);
      }
      state[i] = 2;
      out.push_back(tables_[i].get());
    };
    for (std::size_t i = 0; i < tables_.size(); ++i) visit(visit, i);
    return out;
  }
  std::size_t size() const { return tables_.size(); }  ///< The number of tables.

  /// The names given to constraints and indexes declared without one (see NamingConvention).
  const NamingConvention& naming_convention() const { return *naming_; }
  /// Replaces the naming convention, for the tables added so far and those added later.
  void naming_convention(NamingConvention nc) { *naming_ = std::move(nc); }

 private:
  std::shared_ptr<NamingConvention> naming_ = std::make_shared<NamingConvention>();
  std::vector<std::shared_ptr<detail::TableData>> tables_;
};

}  // namespace athanor
