// athanor/orm/detail/session_core.hpp — the Session's state: its connection and
// transaction, the identity map, pending inserts and deletes, and the unit of work that
// flushes them (inserts parents first, deletes children first, only changed columns).
#pragma once

#include <algorithm>      // std::stable_sort
#include <typeinfo>       // std::type_info
#include <unordered_map>  // std::unordered_map

#include <athanor/config.hpp>
#include <athanor/engine/engine.hpp>
#include <athanor/orm/detail/cycles.hpp>
#include <athanor/orm/detail/model_ops.hpp>
#include <athanor/orm/loading.hpp>
#include <athanor/orm/replicas.hpp>

namespace athanor::orm {

/// Options of a Session (see sessionmaker).
struct SessionOptions {
  bool expire_on_commit = true;  ///< objects reload on first access after commit()
  bool autoflush = true;         ///< flush before each query
  bool raiseload = false;        ///< every lazy load throws (find N+1 patterns in tests)
  /// The isolation level of the Session's transactions (unset: the engine's); Session::begin(level)
  /// chooses one for the next transaction only.
  std::optional<IsolationLevel> isolation_level{};
};

namespace detail {

/// Whether a statement locks the rows it reads (FOR UPDATE), so that only the writer may run it.
template <class S>
constexpr bool locks_rows = [] {
  if constexpr (requires { S::locks_rows; }) return S::locks_rows;
  return false;
}();

/// A `select<M>()` as the Session loads it, without its type: everything below the typed
/// statement (identity map, joinedload, selectin loaders) is compiled once, not per statement.
struct ObjectQuery {
  const void* stmt;
  const std::type_info& type;  ///< keys the joinedload SQL
  const std::vector<LoadOption>& loaders;
  const FromClause& source;    ///< the objects' FROM item (the model's table or an alias)
  bool locks_rows;  ///< SELECT … FOR UPDATE: the writer's, never a reader's
  std::shared_ptr<const Compiled> (*compiled)(const void* stmt, const Dialect&);
  athanor::Select (*to_core)(const void* stmt, Builder&);
  void (*collect)(const void* stmt, Collected&);
};
template <class S>
ObjectQuery object_query(const S& s) {
  return {&s,
          typeid(S),
          s.loaders(),
          s.columns().source(),
          locks_rows<S>,
          [](const void* p, const Dialect& d) { return static_cast<const S*>(p)->compiled(d); },
          [](const void* p, Builder& b) { return static_cast<const S*>(p)->to_core(b); },
          [](const void* p, Collected& out) { static_cast<const S*>(p)->collect(out); }};
}

/// One use of a vector that the Session keeps for its capacity: a vector per get() or lazy
/// load was a malloc and a free each (and a lazy load's list grew row by row). Taken out of
/// its place for the scope (so that a nested use, as a lazy load inside an autoflush, takes
/// another) and given back emptied, unless it grew large (one large load keeps no memory).
template <class T>
class Spare {
 public:
  explicit Spare(std::vector<T>& home) : home_(home), v_(std::move(home)) { v_.clear(); }
  Spare(const Spare&) = delete;
  Spare& operator=(const Spare&) = delete;
  ~Spare() {
    v_.clear();
    if (v_.capacity() <= 256 && v_.capacity() > home_.capacity()) home_ = std::move(v_);
  }
  std::vector<T>& operator*() { return v_; }

 private:
  std::vector<T>& home_;
  std::vector<T> v_;
};

struct SessionCore : std::enable_shared_from_this<SessionCore> {
  SessionCore(Engine e, SessionOptions o) : engine(std::move(e)), options(o) {}
  /// Defined once (orm/detail/object_loading.hpp, issue 17): the destruction of every member below was
  /// compiled in each file that opened a Session. Detaches what it still tracks (objects loaded
  /// through a RelationQuery that outlived its Session): no object points at a gone Session.
  ATHANOR_DECL ~SessionCore();

  Engine engine;
  SessionOptions options;
  std::optional<Connection> conn;
  /// Read replicas (sessionmaker's ReplicaOptions), and the read transaction on one of them.
  std::shared_ptr<Replicas> replicas;
  std::optional<Connection> reader;
  /// The writer's connection has been used: from then on this Session reads from the writer,
  /// so that it sees what it wrote whatever the replicas' lag (read-your-writes).
  bool on_writer = false;
  bool needs_rollback = false;
  /// Where loaded objects are allocated (they outlive it: see ObjectArena).
  ObjectArena arena;
  std::unordered_map<const ModelOps*, IdentityMap> identity;
  std::vector<std::shared_ptr<InstanceBase>> pending;
  std::vector<std::shared_ptr<InstanceBase>> deleted;
  std::vector<std::shared_ptr<InstanceBase>> inserted_in_tx;  ///< to undo on rollback
  std::vector<std::shared_ptr<InstanceBase>> deleted_in_tx;   ///< to restore on rollback
  std::unordered_map<std::string, std::shared_ptr<const Compiled>> statements;  ///< flush SQL by shape
  /// refresh()'s SELECT by primary key for the model it last loaded (one of `statements`).
  std::pair<const ModelOps*, std::shared_ptr<const Compiled>> refresh_sql;
  std::vector<std::shared_ptr<InstanceBase>> orphans;  ///< removed from a delete-orphan collection
  /// Objects reached through a Ptr since the last flush: what an autoflush examines, so it
  /// costs what was touched, not the size of the identity map. flush()/commit() examine all.
  /// Not owning: each is tracked here (identity map, pending, or a flushed DELETE), and leaves
  /// this list when it leaves the Session (forget()).
  std::vector<InstanceBase*> touched;
  /// Many-to-many: association rows to insert / delete at the next flush.
  struct Link {
    const RelInfo* info;
    std::shared_ptr<InstanceBase> owner, target;
  };
  std::vector<Link> links_added, links_removed;
  void record_link(const RelInfo& info, const std::shared_ptr<InstanceBase>& owner, const std::shared_ptr<InstanceBase>& target,
                   bool add);
  void flush_links();
  int flushes = 0;
  /// A relationship changed in memory (relate, unrelate), or an object entered, since the last
  /// full flush: until then every autoflush copies keys across relationships (sync). Clear, an
  /// autoflush whose touched objects changed no column skips that: the last full flush copied
  /// the keys, and what was loaded since holds its related rows by those keys (issue 14: the
  /// syncs were half of the autoflush before each lazy load of ORM W6a, ~1.2 k instructions).
  bool relinked = false;

  // relationships (orm/detail/relations.hpp lists the files)
  std::shared_ptr<InstanceBase> load_instance(const ModelOps& ops, driver::Statement& st, int first = 0);
  /// load_instance with the model's identity map already looked up (once per query, not per row).
  std::shared_ptr<InstanceBase> load_instance(IdentityMap& map, const ModelOps& ops, driver::Statement& st, int first = 0);
  void load_relation(RelationBase& r);
  void sync(InstanceBase& i);
  void cascade_add(const std::shared_ptr<InstanceBase>& i);
  void cascade_delete(const std::shared_ptr<InstanceBase>& i);
  /// save-update, for one object and its cascade (orm/detail/attach.hpp): a new object
  /// becomes pending; a detached one (it has a row and an identity) persistent again, with the
  /// changes made to it meanwhile; one already here stays as it is. An object of another open
  /// Session, a deleted one, or a second object for a key held here raises ArgumentError.
  void add_pending(const std::shared_ptr<InstanceBase>& i, const char* op = "add()");
  /// Session::add(): checks the whole cascade first (nothing changes when it raises), then
  /// adds; an object marked for deletion here (not yet flushed) is kept instead.
  void add_object(const std::shared_ptr<InstanceBase>& i, const char* op);
  /// Raises what add_pending would raise for `i` or an object its cascade reaches.
  void check_add(const std::shared_ptr<InstanceBase>& i, const char* op);
  /// Session::delete_(): a detached object is attached first (SQLAlchemy's delete of a
  /// detached object); a new one or one of another Session raises.
  void delete_object(const std::shared_ptr<InstanceBase>& i);
  /// Session::expunge(): a pending object is transient again, the others detached.
  void expunge_object(const std::shared_ptr<InstanceBase>& i);
  /// Raises unless `i` is in this Session (expunge(), refresh()).
  void check_here(const InstanceBase& i, const char* op) const;
  /// An INSERT just took the key of `old`, held here: its row was deleted by another
  /// transaction since it was loaded. It leaves the identity map as deleted; with unsaved
  /// changes the flush fails (StaleDataError) rather than write them into the new row.
  void evict_stale(const std::shared_ptr<InstanceBase>& old);
  void delete_instance(const std::shared_ptr<InstanceBase>& i);
  /// Eager loading: the relationship of `owners` in one IN query per 10 000 keys; returns the
  /// targets (when `want_children`: a deeper level of the loader needs them).
  std::vector<std::shared_ptr<InstanceBase>> selectin(const std::vector<std::shared_ptr<InstanceBase>>& owners, const RelInfo& info,
                                                      bool want_children = true);
  void apply_loader(const std::vector<std::shared_ptr<InstanceBase>>& owners, const ModelOps& ops, const LoadOption& option,
                    std::size_t depth);
  /// Session::get(): the object with primary key values `pk`, from the identity map (refreshed
  /// when expired), else after an autoflush, else by one SELECT; null when there is no row.
  std::shared_ptr<InstanceBase> get(const ModelOps& ops, const std::vector<Value>& pk);
  /// Vectors kept between get()s and lazy loads for their capacity (see Spare).
  std::vector<Value> spare_values;
  std::vector<std::shared_ptr<InstanceBase>> spare_objects;
  /// The objects of a `select<M>()`, one per row through the identity map, with its loader options applied.
  std::vector<std::shared_ptr<InstanceBase>> load_objects(const ModelOps& ops, const ObjectQuery& q);
  /// load_objects with a joinedload: the relationship's table LEFT OUTER JOINed, owners de-duplicated.
  std::vector<std::shared_ptr<InstanceBase>> load_joined(const ModelOps& ops, const ObjectQuery& q, const LoadOption& joined);

  void check_usable() const {
    if (needs_rollback) {
      throw Error(
          "[athanor.orm.rollback_needed] this Session's transaction was rolled back after an error during flush or "
          "commit; call rollback()");
    }
  }
  /// The connection, inside a transaction begun on first use.
  Connection& connection() {
    if (!conn) {
      conn.emplace(engine.begin(next_isolation ? next_isolation : options.isolation_level));
      next_isolation.reset();
      on_writer = true;
    }
    return *conn;
  }
  std::optional<IsolationLevel> next_isolation;  ///< Session::begin(level): the next transaction's level
  athanor::detail::ConnectionImpl& impl() { return connection().impl(); }
  /// The connection for a read: a reader's transaction while this Session has not used the
  /// writer and a reader can serve, else the writer's. `locks`: FOR UPDATE, the writer's.
  athanor::detail::ConnectionImpl& read_impl(bool locks = false) {
    if (!replicas || on_writer || locks) return impl();
    if (reader && reader->impl().broken) replicas->mark_down(*reader), reader.reset();
    if (!reader) reader = replicas->begin_read();
    return reader ? reader->impl() : impl();
  }
  /// Ends the read transaction (commit, rollback, close): the next read sees newer rows.
  void end_read() noexcept { reader.reset(); }  // gives the connection back; its transaction rolls back

  std::shared_ptr<InstanceBase> find(const ModelOps* ops, const IdentityKey& key) {
    auto m = identity.find(ops);
    if (m == identity.end()) return nullptr;
    auto it = m->second.find(key);
    return it == m->second.end() ? nullptr : it->second;
  }

  void attach(const std::shared_ptr<InstanceBase>& i) {
    i->session = this;
    identity[i->ops][i->key] = i;
  }
  /// `i` leaves this Session: no longer bound to it nor listed as touched (the lists that own
  /// it are the caller's to update).
  void forget(InstanceBase& i) {
    i.session = nullptr;
    if (i.touched) std::erase(touched, &i), i.touched = false, ++untouched;
  }
  /// How many objects forget() took out of `touched`: flush() finds what a step appended to it
  /// by position, and a step may also take objects out (flush_inserts' evict_stale).
  std::size_t untouched = 0;
  /// What evict_stale() took out during a flush, kept until the flush ends: the flush's lists
  /// hold objects by address, and the identity map's reference may have been the last one.
  std::vector<std::shared_ptr<InstanceBase>> evicted;

  template <class F>
  const Compiled& statement(const std::string& shape, F&& make) {
    return *statement_ptr(shape, std::forward<F>(make));
  }
  template <class F>
  const std::shared_ptr<const Compiled>& statement_ptr(const std::string& shape, F&& make) {
    auto& slot = statements[shape];
    if (!slot) slot = std::make_shared<const Compiled>(make());
    return slot;
  }

  void flush(bool everything = true);
  void flush_inserts();
  void flush_updates(const std::vector<InstanceBase*>& candidates);
  void flush_deletes();
  /// SELECT of one object's row by primary key into `i`.
  void refresh(InstanceBase& i);
  /// refresh()'s and get()'s SELECT of one row of `ops` by primary key.
  const Compiled& refresh_statement(const ModelOps& ops);
  void expire_all() {
    for (auto& [ops, map] : identity)
      for (auto& [key, i] : map) i->expired = true;
  }
  void commit();
  void rollback();
  void close();
  /// close()'s part on objects: every object leaves (pending and newly inserted ones transient,
  /// the rest detached), in one walk of the identity map; returns the cycle collector's suspects.
  std::vector<std::weak_ptr<InstanceBase>> detach_all();
  /// Empties `touched` (before objects leave in bulk: forget() then searches nothing).
  void untouch_all() {
    for (auto* i : touched) i->touched = false;
    touched.clear();
  }
  /// After an error in flush or COMMIT: rolls the transaction back now and restores the
  /// objects; the Session then refuses work until rollback() (SQLAlchemy's failed flush).
  void abandon_transaction();
  /// The objects as of the last commit, once the transaction is rolled back: new ones leave
  /// the session (transient), deleted ones come back, the others expire.
  void restore_snapshot();
};

/// Orders the tables of a flush so that referenced tables come first.
inline std::vector<const ModelOps*> parents_first(std::vector<const ModelOps*> models) {
  std::vector<const ModelOps*> out;
  std::vector<int> state(models.size(), 0);
  auto visit = [&](auto& self, std::size_t i) -> void {
    if (state[i]) return;
    state[i] = 1;
    for (auto& fk : models[i]->table().foreign_keys)
      for (std::size_t j = 0; j < models.size(); ++j)
        if (j != i && models[j]->table().name == fk.ref_table) self(self, j);
    state[i] = 2;
    out.push_back(models[i]);
  };
  for (std::size_t i = 0; i < models.size(); ++i) visit(visit, i);
  return out;
}

}  // namespace detail
}  // namespace athanor::orm
