// athanor/orm/sharding.hpp — a Session over several databases that each hold part of the rows
// (SQLAlchemy's horizontal_shard extension): a chooser sends each new object to its shard, a
// query runs on the shards it names (all by default), get() asks the shards a key may be on.
// One Session per shard keeps each shard's identity map, so the shard id is part of an
// object's identity: user 1 of shard "eu" and user 1 of shard "us" are two objects.
#pragma once

#include <functional>  // std::function
#include <map>         // std::map
#include <string>      // std::string
#include <vector>      // std::vector

#include <athanor/orm/session.hpp>

namespace athanor::orm {

/// What a shard chooser sees of a new object: its table and its column values by name.
class ShardKey {
 public:
  ShardKey(const detail::ModelOps& ops, const detail::InstanceBase& obj) : ops_(ops), obj_(obj) {}
  const std::string& table() const { return ops_.table().name; }  ///< the object's table
  /// The value of the column `name` (ArgumentError for a column the table has not).
  Value value(std::string_view name) const {
    const auto& cols = ops_.table().columns;
    for (std::size_t c = 0; c < cols.size(); ++c)
      if (cols[c].name == name) return ops_.get(obj_, c);
    throw ArgumentError("[athanor.argument.unknown_column] shard chooser: table " + table() + " has no column " + std::string(name));
  }

 private:
  const detail::ModelOps& ops_;
  const detail::InstanceBase& obj_;
};

/// How a ShardedSession places and finds rows.
struct ShardOptions {
  /// The shard of a new object (and of the objects its relationships hold, which go with it).
  std::function<std::string(const ShardKey&)> shard_chooser;
  /// The shards get() asks for a table's primary key, in order (default: every shard).
  std::function<std::vector<std::string>(const std::string& table, const std::vector<Value>& pk)> identity_chooser{};
  SessionOptions session{};  ///< each shard's Session
};

/// A Session over shards: one Session per shard, behind one interface.
/// **Example**:
/// ```
/// orm::ShardedSession s({{"eu", eu_engine}, {"us", us_engine}},
///                       {.shard_chooser = [](const orm::ShardKey& k) { return k.value("region").as<std::string>(); }});
/// s.add(User{.name = "ann", .region = "eu"});
/// s.commit();                                          // each shard's COMMIT in turn
/// auto all = s.scalars(select<User>());                // every shard's rows
/// auto eu = s.scalars(select<User>(), {"eu"});         // one shard's
/// ```
/// Not atomic across shards: commit() flushes every shard first (a constraint violation stops
/// it before any COMMIT), then commits each in turn; a shard lost between two COMMITs leaves the
/// others committed. ORDER BY and LIMIT apply per shard; results come shard after shard.
class ShardedSession {
 public:
  /// Sessions on `shards` (id → engine), placed by `options.shard_chooser` (required).
  ShardedSession(const std::map<std::string, Engine>& shards, ShardOptions options) : options_(std::move(options)) {
    if (shards.empty()) throw ArgumentError("[athanor.argument.shard] ShardedSession needs at least one shard");
    if (!options_.shard_chooser) throw ArgumentError("[athanor.argument.shard] ShardedSession needs a shard_chooser");
    for (const auto& [id, engine] : shards) ids_.push_back(id), sessions_.emplace(id, Session(engine, options_.session));
  }

  /// Adds a new object to the shard the chooser names for it.
  template <Model M>
  Ptr<M> add(M obj) {
    auto inst = std::make_shared<detail::Instance<M>>(std::move(obj));
    inst->ops = &detail::ops_for<M>();
    Ptr<M> p(std::move(inst));
    return shard(options_.shard_chooser(ShardKey(*p.instance()->ops, *p.instance()))).add(p);
  }
  /// The object of model M with this key from the first shard (of identity_chooser's list, or
  /// all) that holds it; an empty Ptr when none does.
  template <Model M, class... K>
  Ptr<M> get(K&&... pk) {
    std::vector<Value> key{Value(pk)...};
    for (const auto& id : candidates(detail::ops_for<M>().table().name, key))
      if (auto p = shard(id).template get<M>(pk...)) return p;
    return {};
  }
  /// The object with this key on one shard.
  template <Model M, class... K>
  Ptr<M> get_from(const std::string& shard_id, K&&... pk) { return shard(shard_id).template get<M>(std::forward<K>(pk)...); }
  /// Marks an object for deletion in the shard that holds it.
  template <Model M>
  void delete_(const Ptr<M>& p) { owner(p).delete_(p); }

  /// The objects (or first columns) of a typed select on `shards` (empty: all), shard after shard.
  template <class S>
  auto scalars(const S& stmt, const std::vector<std::string>& shards = {}) {
    decltype(sessions_.begin()->second.scalars(stmt)) out;
    for (const auto& id : chosen(shards))
      for (auto&& x : shard(id).scalars(stmt)) out.push_back(std::move(x));
    return out;
  }
  /// A typed select's rows from `shards` (all by default), shard after shard; or a typed
  /// update/delete run on each, its row counts added.
  template <class S>
  auto execute(const S& stmt, const std::vector<std::string>& shards = {}) {
    using R = decltype(sessions_.begin()->second.execute(stmt));
    R out{};
    for (const auto& id : chosen(shards)) {
      auto r = shard(id).execute(stmt);
      if constexpr (std::is_arithmetic_v<R>) out += r;
      else for (auto&& x : r) out.push_back(std::move(x));
    }
    return out;
  }

  void flush() {  ///< Flushes every shard.
    for (auto& [id, s] : sessions_) s.flush();
  }
  /// Flushes every shard, then commits each (see the class comment: not atomic across shards).
  void commit() {
    flush();
    for (auto& [id, s] : sessions_) s.commit();
  }
  void rollback() {  ///< Rolls every shard back.
    for (auto& [id, s] : sessions_) s.rollback();
  }
  void close() {  ///< Closes every shard's Session.
    for (auto& [id, s] : sessions_) s.close();
  }

  /// The Session of one shard (ArgumentError for an unknown id), for anything shard-local.
  Session& shard(const std::string& id) {
    auto it = sessions_.find(id);
    if (it == sessions_.end()) throw ArgumentError("[athanor.argument.shard] no shard named \"" + id + "\"");
    return it->second;
  }
  /// The id of the shard whose Session holds `p` (ArgumentError when none does).
  template <Model M>
  const std::string& shard_of(const Ptr<M>& p) const {
    for (const auto& [id, s] : sessions_)
      if (s.contains(p)) return id;
    throw ArgumentError("[athanor.argument.shard] the object is in none of the shards' Sessions");
  }
  const std::vector<std::string>& shard_ids() const { return ids_; }  ///< Every shard, in id order.

 private:
  template <Model M>
  Session& owner(const Ptr<M>& p) { return shard(shard_of(p)); }
  std::vector<std::string> candidates(const std::string& table, const std::vector<Value>& pk) const {
    return options_.identity_chooser ? options_.identity_chooser(table, pk) : ids_;
  }
  const std::vector<std::string>& chosen(const std::vector<std::string>& shards) const { return shards.empty() ? ids_ : shards; }

  ShardOptions options_;
  std::vector<std::string> ids_;
  std::map<std::string, Session> sessions_;
};

}  // namespace athanor::orm
