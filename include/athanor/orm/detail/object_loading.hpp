// athanor/orm/detail/object_loading.hpp — rows into objects through the identity map: the
// identity key read first (one object per row, none made for a row already held), a
// `select<M>()`'s objects with its loader options, and the Session's end.
#pragma once

#include <athanor/config.hpp>
#include <athanor/orm/detail/session_core.hpp>
#include <athanor/orm/relationship.hpp>

namespace athanor::orm::detail {

#if ATHANOR_DEFINITIONS
/// The identity key of the row at `first` in `st`: as key_of(InstanceBase), but read before
/// any object is made, and for the usual single integer primary key straight from the driver
/// (no Value, no vector, no text). That key's cell is left in `cell` (got int64) when it is
/// the model's first column, for load() not to read it again.
ATHANOR_DECL IdentityKey row_key(const ModelOps& ops, driver::Statement& st, int first, driver::Cell& cell) {
  cell.got = driver::Cell::Got::other;
  if (int k = ops.integer_key; k >= 0) {
    // The key's cell alone: a row whose object is held (and not expired) reads nothing more.
    static constexpr driver::Want want[] = {driver::Want::int64};
    driver::Cell c;
    st.read_row(first + k, want, &c);
    if (c.got == driver::Cell::Got::int64) {
      if (k == 0) cell = c;
      return IdentityKey(c.i);
    }
  }
  const auto& pk = ops.info->primary_key;
  std::vector<Value> values;
  values.reserve(pk.size());
  for (auto k : pk) values.push_back(st.value(first + static_cast<int>(k)));
  return key_of(values);
}

ATHANOR_DECL std::shared_ptr<InstanceBase> SessionCore::load_instance(const ModelOps& ops, driver::Statement& st, int first) {
  return load_instance(identity[&ops], ops, st, first);
}

ATHANOR_DECL std::shared_ptr<InstanceBase> SessionCore::load_instance(IdentityMap& map, const ModelOps& ops, driver::Statement& st,
                                                                      int first) {
  // One hash lookup, on the key read first: the slot is made now and filled below (or removed
  // if loading fails); a row already held makes no object.
  driver::Cell key_cell;
  auto [it, inserted] = map.try_emplace(row_key(ops, st, first, key_cell));
  const driver::Cell* first_cell = key_cell.got == driver::Cell::Got::int64 ? &key_cell : nullptr;
  if (!inserted && it->second) {
    auto& found = it->second;
    if (found->expired) ops.load(*found, st, first, first_cell), found->expired = false;
    return found;
  }
  try {
    auto inst = ops.create(arena);
    ops.bind(*inst);
    ops.load(*inst, st, first, first_cell);
    inst->key = it->first, inst->state = State::persistent, inst->session = this;
    it->second = inst;
    return inst;
  } catch (...) {
    map.erase(it);
    throw;
  }
}

ATHANOR_DECL std::shared_ptr<InstanceBase> SessionCore::get(const ModelOps& ops, const std::vector<Value>& pk) {
  IdentityKey key = key_of(pk);
  // Looked up once (an unordered_map's elements stay where they are while others are added).
  IdentityMap& map = identity[&ops];
  auto held = [&]() -> std::shared_ptr<InstanceBase> {
    auto it = map.find(key);
    if (it == map.end() || !it->second) return nullptr;
    std::shared_ptr<InstanceBase> found = it->second;
    if (found->expired) refresh(*found);
    return found;
  };
  if (auto found = held()) return found;
  check_usable();
  int before = flushes;
  if (options.autoflush) flush(false);
  // Inserted by the autoflush: one object per row. (An autoflush with nothing to write
  // returns at once without counting a flush: then there is nothing new to look for.)
  if (flushes != before) {
    if (auto found = held()) return found;
  }
  // Integers for integer columns are bound as given. Other values are bound as the members
  // hold them (get<M>("7") binds 7 for an integer key, as refresh() would): set on the new
  // object, then read back.
  std::shared_ptr<InstanceBase> inst;
  const std::vector<Value>* bound = &pk;
  std::vector<Value> converted;
  const auto& cols = ops.info->primary_key;
  const auto& columns = ops.table().columns;
  // Converted when any key value is not already an integer for an integer column.
  bool convert = false;
  for (std::size_t n = 0; n < cols.size() && !convert; ++n)
    convert = !std::holds_alternative<std::int64_t>(pk[n].variant()) || !columns[cols[n]].type.is_integer();
  if (convert) {
    inst = ops.create(arena);
    ops.bind(*inst);
    for (std::size_t k = 0; k < cols.size(); ++k) ops.set(*inst, cols[k], pk[k]);
    for (auto c : cols) converted.push_back(ops.get(*inst, c));
    bound = &converted;
  }
  // The row straight into the object: no NoResultFound thrown and caught for a key without one.
  // At most one row (a primary key): the statement is reset after it rather than stepped to
  // its end (execute_typed's loop), which on SQLite ran the VM to its halt a second time
  // (~250 instructions per get(), callgrind).
  auto& conn = read_impl();
  const Compiled& sql = refresh_statement(ops);
  std::vector<Value> reordered;
  if (!conn.binds_in_slot_order(sql, bound->size())) reordered = conn.placeholder_values(sql, *bound, 1), bound = &reordered;
  bool found = conn.executed(sql, *bound, [&](driver::Statement& st) {
    if (!st.next()) return false;
    if (!inst) inst = ops.create(arena), ops.bind(*inst);
    ops.load(*inst, st, 0);
    return true;
  });
  if (!found) return nullptr;
  inst->state = State::persistent, inst->session = this;
  map.try_emplace(key).first->second = inst;
  inst->key = std::move(key);
  return inst;
}

ATHANOR_DECL std::vector<std::shared_ptr<InstanceBase>> SessionCore::load_objects(const ModelOps& ops, const ObjectQuery& q) {
  const LoadOption* joined = nullptr;
  for (auto& l : q.loaders) {
    if (l.strategy == LoadOption::Strategy::joined) {
      joined = &l;
      break;
    }
  }
  std::vector<std::shared_ptr<InstanceBase>> out;
  if (joined) {
    out = load_joined(ops, q, *joined);
    if (joined->path.size() > 1) {  // the levels below the joined one load as selectinload
      const RelInfo& info = *ops.info->relation(joined->path[0]);
      std::vector<std::shared_ptr<InstanceBase>> children;
      for (auto& o : out)
        for (auto& c : info.items(info.member(*o))) children.push_back(c);
      std::sort(children.begin(), children.end());
      children.erase(std::unique(children.begin(), children.end()), children.end());
      apply_loader(children, info.target(), *joined, 1);
    }
  } else {
    Collected values;
    q.collect(q.stmt, values);
    auto& map = identity[&ops];
    read_impl(q.locks_rows).execute_typed(*q.compiled(q.stmt, engine.dialect()), values,
                         [&](driver::Statement& st) { out.push_back(load_instance(map, ops, st)); });
  }
  for (auto& l : q.loaders)
    if (&l != joined) apply_loader(out, ops, l, 0);
  return out;
}

ATHANOR_DECL void SessionCore::apply_loader(const std::vector<std::shared_ptr<InstanceBase>>& owners, const ModelOps& ops,
                                      const LoadOption& option, std::size_t depth) {
  if (depth >= option.path.size() || owners.empty()) return;
  const RelInfo* info = ops.info->relation(option.path[depth]);
  if (!info) throw ArgumentError("[athanor.orm.loader] " + ops.table().name + " has no relationship '" + option.path[depth] + "'");
  bool last = depth + 1 == option.path.size();
  // A joinedload that the query's own join did not cover (a second one) loads as selectinload:
  // another query, the same objects.
  if (last && option.strategy == LoadOption::Strategy::raise) {
    for (auto& o : owners) info->member(*o).set_raises();
    return;
  }
  auto children = selectin(owners, *info, !last);  // the children are needed to load the next level
  if (last) return;
  std::sort(children.begin(), children.end());
  children.erase(std::unique(children.begin(), children.end()), children.end());
  apply_loader(children, info->target(), option, depth + 1);
}

ATHANOR_DECL SessionCore::~SessionCore() {
  try {
    collect_cycles(detach_all());
  } catch (...) {  // out of memory listing suspects: cycles among them stay
  }
}

#endif  // ATHANOR_DEFINITIONS

}  // namespace athanor::orm::detail
