// athanor/orm/detail/flush_statements.hpp — the Session's look-up of the flush's compiled
// statements (its own map, then the process's cache of flush_sql.hpp, else compiled), and
// the primary-key condition the UPDATE, DELETE and refresh statements end with.
#pragma once

#include <athanor/config.hpp>
#include <athanor/core/dml.hpp>
#include <athanor/orm/detail/flush_sql.hpp>
#include <athanor/orm/detail/session_core.hpp>
#include <athanor/orm/expr.hpp>

namespace athanor::orm::detail {

#if ATHANOR_DEFINITIONS
/// The flush's statement of `shape` for `ops`'s model: the one this Session used before, else
/// the process's (shared_flush_sql: a new Session does not compile it again), else `make()`'s.
/// The Session keeps what it used, so a run of one shape looks up no shared cache, takes no lock;
/// its key names the model too (two models may map tables of one name).
template <class F>
const std::shared_ptr<const Compiled>& flush_slot(SessionCore& s, const ModelOps& ops, const std::string& shape, F&& make) {
  auto& slot = s.statements[shape + '@' + std::to_string(reinterpret_cast<std::uintptr_t>(&ops))];
  if (!slot) {
    using Fn = std::remove_reference_t<F>;
    slot = shared_flush_sql(s.engine.dialect(), ops, shape, [](void* f) -> Compiled { return (*static_cast<Fn*>(f))(); },
                            const_cast<void*>(static_cast<const void*>(&make)));
  }
  return slot;
}
template <class F>
const Compiled& flush_sql(SessionCore& s, const ModelOps& ops, const std::string& shape, F&& make) {
  return *flush_slot(s, ops, shape, std::forward<F>(make));
}

/// `pk1 = ? AND pk2 = ?` with slot-numbered binds.
ATHANOR_DECL Expr pk_condition(const ModelOps& ops, Builder& b) {
  Expr cond;
  for (auto k : ops.info->primary_key) {
    auto& col = ops.table().columns[k];
    Expr e = ops.info->table.unchecked_c(col.name, col.type) == b.bind(Value());
    cond = cond ? (cond && e) : e;
  }
  return cond;
}

/// The models of `objects`, each once, in the order they first appear (the tables a flush's
/// INSERTs or DELETEs touch, before they are put in foreign key order).
ATHANOR_DECL std::vector<const ModelOps*> models_of(const std::vector<std::shared_ptr<InstanceBase>>& objects) {
  std::vector<const ModelOps*> models;
  for (auto& i : objects)
    if (std::find(models.begin(), models.end(), i->ops) == models.end()) models.push_back(i->ops);
  return models;
}

#endif  // ATHANOR_DEFINITIONS

}  // namespace athanor::orm::detail
