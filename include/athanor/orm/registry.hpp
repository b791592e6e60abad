// athanor/orm/registry.hpp — `Registry`: the set of mapped models and the Core MetaData
// they make, so `registry.metadata().create_all(engine)` creates their tables, foreign keys
// and indexes, and Core statements can use the same tables.
#pragma once

#include <athanor/core/metadata.hpp>
#include <athanor/orm/detail/relations.hpp>
#include <athanor/orm/mapper.hpp>

namespace athanor::orm {

/// **Example**: `Registry registry; registry.map<User, Post>(); registry.metadata().create_all(engine);`
class Registry {
 public:
  /// Maps the models; their relationships are resolved here, so a relationship that no
  /// foreign key (or more than one) could carry is an ArgumentError at mapping time.
  template <Model... M>
  Registry& map() {
    (add(table_of<M>()), ...);
    (resolve(detail::model_info<M>()), ...);
    return *this;
  }
  /// The tables of the mapped models, for create_all()/drop_all() and Core statements.
  ///@{
  MetaData& metadata() { return md_; }
  const MetaData& metadata() const { return md_; }
  ///@}

 private:
  void add(const Table& t) {
    if (!md_.find(t.name())) md_.add(std::const_pointer_cast<athanor::detail::TableData>(
        std::shared_ptr<const athanor::detail::TableData>(t.node(), t.node()->table)));
  }
  static void resolve(const detail::ModelInfo& info) {
    for (auto& r : info.relations) r->resolve();
  }
  MetaData md_;
};

}  // namespace athanor::orm
