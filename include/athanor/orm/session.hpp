// athanor/orm/session.hpp — `Session` and `sessionmaker`: the identity map (one object per
// row), the unit of work (add, delete_, flush, commit, rollback) and typed queries. RAII:
// a Session rolls back what is not committed when it goes out of scope.
#pragma once

#include <athanor/config.hpp>
#include <athanor/orm/detail/attach.hpp>
#include <athanor/orm/detail/unit_of_work.hpp>
#include <athanor/orm/dml.hpp>
#include <athanor/orm/ptr.hpp>
#include <athanor/orm/relation_query.hpp>
#include <athanor/orm/relationship.hpp>
#include <athanor/orm/select.hpp>
#include <athanor/engine/retry.hpp>

namespace athanor::orm {

/// A unit of work over one Engine.
/// **Example**:
/// ```
/// auto session = Session();                         // from a sessionmaker
/// auto ann = session.add(User{.name = "ann"});
/// session.commit();                                  // INSERT, COMMIT; ann->id is set
/// for (auto& u : session.scalars(select<User>().where(c<&User::name>.like("a%")))) …
/// ```
class Session {
 public:
  /// A Session on `engine`; it connects when a statement first needs it.
  ATHANOR_DECL Session(Engine engine, SessionOptions options = {});
  /// A Session that reads from `replicas`' readers until it first uses the writer `engine`
  /// (a flush, a DML statement, connection(), FOR UPDATE), and from the writer after that.
  ATHANOR_DECL Session(Engine engine, std::shared_ptr<detail::Replicas> replicas, SessionOptions options = {});
  /// Movable, not copyable: one Session is one unit of work.
  ///@{
  Session(Session&&) noexcept = default;
  Session& operator=(Session&&) noexcept = default;
  ///@}
  ATHANOR_DECL ~Session();

  /// Adds a new object (pending until flush), with the objects its relationships hold
  /// (cascade save-update); returns its handle.
  template <Model M>
  Ptr<M> add(M obj) {
    core_->check_usable();
    // From the Session's arena, as loaded objects are: one malloc per 16 KiB instead of one per
    // object, and the objects of a bulk add side by side (their flush and the Session's close
    // walk them in order). The object outlives the Session as any loaded one does.
    std::shared_ptr<detail::Instance<M>> inst;
    {
      detail::ArenaScope scope(core_->arena);
      inst = std::allocate_shared<detail::Instance<M>>(detail::ArenaAllocator<detail::Instance<M>>(), std::move(obj));
    }
    inst->ops = &detail::ops_for<M>();
    core_->add_object(inst, "add()");
    return Ptr<M>(std::move(inst));
  }
  /// Adds an object again, as SQLAlchemy does: a transient one (new, expunged while pending,
  /// or whose INSERT was rolled back) is inserted; a detached one (its Session closed, or
  /// expunged) is attached with its identity, and its changes are UPDATEs; one marked for
  /// deletion here is kept. Raises ArgumentError, changing nothing, for an object of another
  /// open Session ([athanor.orm.other_session]), a deleted one ([athanor.orm.deleted]) or a
  /// detached one whose key this Session holds in another object ([athanor.orm.identity_conflict]:
  /// merge() it instead); the same for the objects its relationships hold.
  template <Model M>
  Ptr<M> add(const Ptr<M>& p) {
    core_->check_usable();
    core_->add_object(p.instance(), "add()");
    return p;
  }
  /// Adds new objects, as add() does each.
  template <Model M>
  std::vector<Ptr<M>> add_all(std::vector<M> objs) {
    std::vector<Ptr<M>> out;
    out.reserve(objs.size());
    for (auto& o : objs) out.push_back(add(std::move(o)));
    return out;
  }
  /// The object of model M with this primary key: from the identity map when loaded, else
  /// one SELECT; an empty Ptr when there is no such row.
  template <Model M, class... K>
  Ptr<M> get(K&&... pk) {
    core_->check_usable();
    auto& ops = detail::ops_for<M>();
    if (sizeof...(K) != ops.info->primary_key.size()) {
      throw ArgumentError("[athanor.argument.primary_key] get(): table " + ops.table().name + " has a primary key of " +
                          std::to_string(ops.info->primary_key.size()) + " columns");
    }
    detail::Spare<Value> values(core_->spare_values);  // no vector allocated per get()
    ((*values).push_back(Value(std::forward<K>(pk))), ...);
    auto found = core_->get(ops, *values);
    return Ptr<M>(std::static_pointer_cast<detail::Instance<M>>(std::move(found)));
  }
  /// Marks an object for deletion at the next flush (with cascade delete along its
  /// relationships). A detached object is attached first, as add() does; a pending one just
  /// leaves the Session. Raises ArgumentError for a new object, a deleted one, or one of
  /// another open Session.
  template <Model M>
  void delete_(const Ptr<M>& p) {
    core_->check_usable();
    core_->delete_object(p.instance());
  }

  /// Writes pending changes in the current transaction. When a statement fails the whole
  /// transaction is rolled back at once, new objects are transient again (add them anew to
  /// retry), and the Session refuses work until rollback(), as in SQLAlchemy.
  void flush() { core_->flush(); }
  /// Flushes and commits; objects expire (reload on next access) unless expire_on_commit is off.
  /// A failed COMMIT (lost connection…) is handled as a failed flush.
  void commit() {
    if (core_->conn) core_->conn->impl().check_idle();  // inside a stream's loop: an error, the transaction kept
    if (core_->reader) core_->reader->impl().check_idle();
    core_->commit();
  }
  /// Rolls back: new objects leave the session, the rest expire back to the committed state.
  void rollback() { core_->rollback(); }
  /// Reloads an object's row now.
  template <Model M>
  void refresh(const Ptr<M>& p) {
    core_->check_here(*p.instance(), "refresh()");
    autoflush();
    core_->refresh(*p.instance());
  }
  /// Marks an object (or all) to reload on next access.
  template <Model M>
  void expire(const Ptr<M>& p) { p.instance()->expired = true; }
  void expire_all() { core_->expire_all(); }  ///< Every object of the Session.
  /// Detaches an object: the session forgets it. A pending object is transient again; the
  /// others are detached and keep their identity (add() attaches them again).
  template <Model M>
  void expunge(const Ptr<M>& p) { core_->expunge_object(p.instance()); }
  /// Copies `obj`'s state onto the object with its primary key (loaded if needed), or adds it.
  template <Model M>
  Ptr<M> merge(const M& obj) {
    auto& ops = detail::ops_for<M>();
    detail::Instance<M> probe;
    probe.obj = obj, probe.ops = &ops;
    std::vector<Value> pk;
    for (auto k : ops.info->primary_key) pk.push_back(ops.get(probe, k));
    Ptr<M> target(std::static_pointer_cast<detail::Instance<M>>(core_->get(ops, pk)));
    if (!target) return add(obj);
    M& into = *target;  // loads an expired object, and marks it for the next flush
    for (const auto& slot : *ops.slots) slot.ops->copy(detail::member_at(&into, slot), detail::member_at(&obj, slot));
    return target;
  }
  /// Rolls back and detaches every object.
  void close() { core_->close(); }

  /// Objects of a typed `select<M>()`: one Ptr per row, the same Ptr for the same row. For
  /// `select(c<…>, …)`: the first column of every row. `.one()`, `.first()`, `.one_or_none()`,
  /// `.all()` as SQLAlchemy's ScalarResult.
  template <class R, class Cols, class From, class... C>
  auto scalars(const TypedSelect<R, Cols, From, C...>& stmt) {
    autoflush();
    if constexpr (Model<R>) {
      return detail::scalars<R>(*core_, stmt);
    } else {
      Rows<std::tuple_element_t<0, R>> out;  // read from the stream: no tuple vector in between
      for (auto&& row : stmt.stream(core_->read_impl(detail::locks_rows<TypedSelect<R, Cols, From, C...>>))) out.push_back(std::move(std::get<0>(row)));
      return out;
    }
  }
  /// The first column of the first row of a typed select (no row, or NULL: nothing). Reads one
  /// row and stops, as SQLAlchemy's Session.scalar.
  /// **Example**: `std::optional<std::int64_t> n = session.scalar(select(count()).select_from<User>());`
  template <class R, class Cols, class From, class... C>
  auto scalar(const TypedSelect<R, Cols, From, C...>& stmt) {
    constexpr bool rows = !Model<R>;
    static_assert(rows, "athanor: scalar() takes select(c<…>, …); for objects use first() or get<M>(pk)");
    if constexpr (rows) {
      using T = detail::strip_optional_t<std::tuple_element_t<0, R>>;
      std::optional<T> out;
      for (auto&& row : stream(stmt)) {
        out = std::move(std::get<0>(row));
        break;
      }
      return out;
    }
  }
  /// Objects of a typed compound of `select<M>()`s: `session.scalars(union_(select<User>().where(a), select<User>().where(b)))`.
  template <class S>
    requires requires { typename S::compound_tag; }
  auto scalars(const S& stmt) {
    using M = typename S::result_type;
    static_assert(Model<M>, "athanor: scalars() takes a compound of select<Model>(); use execute() for tuples");
    autoflush();
    return detail::scalars<M>(*core_, stmt);
  }
  /// The first object of a typed select, or an empty Ptr.
  template <class S>
  auto first(const S& stmt) {
    auto all = scalars(stmt.limit(1));
    return all.empty() ? std::remove_cvref_t<decltype(all[0])>{} : all[0];
  }
  /// Rows of a typed select as tuples, the row count of a typed update/delete, or what a
  /// typed insert gives (orm::InsertResult, or its RETURNING rows).
  template <class S>
    requires requires(const S& s, athanor::detail::ConnectionImpl& c) { s.run(c); }
  auto execute(const S& stmt) {
    autoflush();
    // A select reads (from a reader, with read replicas); the rest writes.
    constexpr bool reads = requires(const S& s, athanor::detail::ConnectionImpl& c) { s.stream(c); } && !detail::locks_rows<S>;
    auto r = stmt.run(reads ? core_->read_impl() : core_->impl());
    // A bulk change (update, delete, an upsert that updates): reload objects. A typed insert
    // otherwise leaves the identity map alone, as SQLAlchemy's Core insert through a session.
    if constexpr (std::is_same_v<decltype(r), std::int64_t> || requires { requires S::changes_existing_rows; }) core_->expire_all();
    return r;
  }
  /// The rows of a typed select (or `.into<S>()` of one) one at a time, without a vector of
  /// all of them: `for (auto&& [name, n] : session.stream(stmt)) …`. Single pass; until the
  /// loop ends (its last row, a break, an exception) the Session runs no other statement
  /// ([athanor.argument.stream_open]). Rows, not objects: objects go through the identity map.
  template <class S>
    requires requires(const S& s, athanor::detail::ConnectionImpl& c) { s.stream(c); }
  auto stream(const S& stmt) {
    constexpr bool rows = !Model<typename S::result_type>;
    static_assert(rows, "athanor: stream() reads the rows of select(c<…>, …) or .into<S>(); the objects of select<Model>() go "
                        "through the identity map: use scalars()");
    if constexpr (rows) {
      autoflush();
      return stmt.stream(core_->read_impl(detail::locks_rows<S>));
    }
  }
  /// Calls `f(row)` for each row of a typed select, streamed as by stream().
  /// **Example**: `session.for_each(stmt, [&](auto&& row) { total += std::get<1>(row); });`
  template <class S, class F>
  void for_each(const S& stmt, F&& f) {
    for (auto&& row : stream(stmt)) f(std::move(row));
  }
  /// Begins the Session's transaction now, at isolation level `level` (SQLAlchemy:
  /// `session.connection(execution_options={"isolation_level": …})`); ArgumentError when one is
  /// open already, as a level cannot change in the middle of a transaction.
  /// **Example**: `session.begin(IsolationLevel::serializable); … session.commit();`
  void begin(std::optional<IsolationLevel> level = {}) {
    core_->check_usable();
    if (core_->conn) {
      throw ArgumentError(
          "[athanor.argument.transaction] the Session's transaction is already open; commit() or rollback() it before "
          "begin()");
    }
    core_->next_isolation = level;
    try {
      core_->connection();
    } catch (...) {
      core_->next_isolation.reset();
      throw;
    }
  }
  /// Whether nothing waits to be flushed (no pending add, no pending delete).
  bool nothing_pending() const { return core_->pending.empty() && core_->deleted.empty(); }
  /// The connection of the current transaction (begun if needed), for Core statements.
  Connection& connection() { return core_->connection(); }
  const Engine& engine() const { return core_->engine; }  ///< The Engine the Session connects through.
  /// Whether the object is in this Session (pending, persistent, or deleted not yet committed).
  template <Model M>
  bool contains(const Ptr<M>& p) const { return p && p.instance()->session == core_.get(); }
  /// Whether a transaction is open (begun by the first statement since commit/rollback), on
  /// the writer or on a reader.
  bool in_transaction() const { return core_->conn.has_value() || core_->reader.has_value(); }
  /// Whether the open read transaction is on a reader (read replicas; see ReplicaOptions).
  bool reading_from_replica() const { return core_->reader.has_value() && !core_->on_writer; }
  /// Number of flushes that wrote something, for tests.
  int flush_count() const { return core_->flushes; }

 private:
  void autoflush() {
    core_->check_usable();
    if (core_->options.autoflush) core_->flush(false);
  }
  std::shared_ptr<detail::SessionCore> core_;
};

/// Makes Sessions bound to one Engine: `sessionmaker Session{engine}; auto s = Session();`
/// With read replicas, `sessionmaker Session{writer, {.readers = {replica}}}`: each Session
/// reads from a reader until it writes (see ReplicaOptions).
class sessionmaker {
 public:
  /// The factory, with the options each Session gets.
  explicit sessionmaker(Engine engine, SessionOptions options = {}) : engine_(std::move(engine)), options_(options) {}
  /// The factory of Sessions that read from `replicas.readers` (ArgumentError: a reader of
  /// another dialect, or max_lag where the backend cannot tell a lag).
  sessionmaker(Engine writer, ReplicaOptions replicas, SessionOptions options = {})
      : engine_(std::move(writer)), options_(options), replicas_(std::make_shared<detail::Replicas>(engine_, std::move(replicas))) {}
  ATHANOR_DECL Session operator()() const;  ///< A new Session.

 private:
  Engine engine_;
  SessionOptions options_;
  std::shared_ptr<detail::Replicas> replicas_;
};

/// Runs `f(session)` in a transaction and commits, as transaction(s, f); with `options.retries`,
/// a TransactionConflict (serialization failure, deadlock, lock timeout; in `f`, its flushes or
/// COMMIT) rolls the Session back and runs `f` again, with backoff and jitter, up to that many
/// times; then the last error is thrown. After each rollback the Session is usable and as of its
/// last commit: objects added by the failed run are transient again, the others expired. A
/// connection lost during COMMIT throws CommitResultUnknown and `f` is not run again. The Session
/// must hold no open transaction and nothing pending when called (a retry would lose it):
/// ArgumentError otherwise.
/// **Example**:
/// ```
/// transaction(session, [&](Session& s) {
///   auto a = s.get<Account>(1);
///   a->balance = *a->balance - 10;
/// }, {.retries = 5, .isolation = IsolationLevel::serializable});
/// ```
template <class F>
decltype(auto) transaction(Session& s, F&& f, const TransactionOptions& options) {
  if (s.in_transaction() || !s.nothing_pending()) {
    throw ArgumentError(
        "[athanor.argument.transaction] transaction(session, f, options) runs f in a transaction of its own: commit or "
        "roll back the Session's open transaction and pending changes first");
  }
  return athanor::detail::run_with_retries(options, [&]() -> decltype(auto) {
    // Begun on the writer even with read replicas: f's reads and writes are one transaction,
    // which is what a conflict is detected over.
    s.begin(options.isolation);
    return transaction(s, f);
  });
}

/// Runs `f(session)` and commits; rolls back and rethrows when `f` throws.
/// **Example**: `transaction(session, [&](Session& s) { s.add(User{.name = "ann"}); });`
template <class F>
decltype(auto) transaction(Session& s, F&& f) {
  try {
    if constexpr (std::is_void_v<decltype(f(s))>) {
      f(s);
      s.commit();
    } else {
      decltype(auto) r = f(s);
      s.commit();
      return r;
    }
  } catch (...) {
    s.rollback();
    throw;
  }
}


}  // namespace athanor::orm

#if ATHANOR_DEFINITIONS
#  include <athanor/orm/impl/session.ipp>
#endif
