// athanor/orm/detail/association_rows.hpp — many-to-many links as rows of the association
// table: recorded when objects are linked or unlinked in memory, written at flush.
#pragma once

#include <athanor/config.hpp>
#include <athanor/orm/detail/relation_keys.hpp>

namespace athanor::orm::detail {

#if ATHANOR_DEFINITIONS
ATHANOR_DECL void SessionCore::record_link(const RelInfo& info, const std::shared_ptr<InstanceBase>& owner,
                                     const std::shared_ptr<InstanceBase>& target, bool add) {
  // One association row, whichever side it was made from (both sides may be declared).
  auto same = [&](const Link& l) {
    return (l.info == &info && l.owner == owner && l.target == target) ||
           (l.info == info.back && l.owner == target && l.target == owner);
  };
  auto& undo = add ? links_removed : links_added;
  if (auto it = std::find_if(undo.begin(), undo.end(), same); it != undo.end()) {
    undo.erase(it);  // added then removed (or the reverse) before a flush: nothing to write
    return;
  }
  auto& list = add ? links_added : links_removed;
  if (std::none_of(list.begin(), list.end(), same)) list.push_back({&info, owner, target});
}

/// Writes association rows: removed links first, then added ones (both sides have keys now).
ATHANOR_DECL void SessionCore::flush_links() {
  if (links_removed.empty() && links_added.empty()) return;  // every flush without many-to-many changes
  auto run = [&](const std::vector<Link>& links, bool add) {
    for (auto& l : links) {
      const RelInfo& info = *l.info;
      const ModelOps& a = info.secondary();
      const auto& at = a.table();
      const Compiled& sql = statement((add ? "LA" : "LD") + info.owner().table().name + "." + info.name, [&] {
        Builder b;
        if (add) {
          Values v;
          for (auto c : info.secondary_local) v.emplace_back(at.columns[c].name, b.bind(Value()));
          for (auto c : info.secondary_remote) v.emplace_back(at.columns[c].name, b.bind(Value()));
          return engine.dialect().compile(athanor::insert(a.info->table).values(v).node());
        }
        Expr cond;
        for (auto* cols : {&info.secondary_local, &info.secondary_remote}) {
          for (auto c : *cols) {
            Expr e = a.info->table.unchecked_c(at.columns[c].name) == b.bind(Value());
            cond = cond ? (cond && e) : e;
          }
        }
        return engine.dialect().compile(athanor::delete_(a.info->table).where(cond).node());
      });
      std::vector<Value> values;
      for (auto c : info.local) values.push_back(l.owner->ops->get(*l.owner, c));
      for (auto c : info.remote) values.push_back(l.target->ops->get(*l.target, c));
      impl().execute_typed(sql, values, [](driver::Statement&) {});
    }
  };
  auto removed = std::move(links_removed);
  auto added = std::move(links_added);
  links_removed.clear(), links_added.clear();
  run(removed, false);
  run(added, true);
}

#endif  // ATHANOR_DEFINITIONS

}  // namespace athanor::orm::detail
