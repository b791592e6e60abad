// athanor/orm/relation_query.hpp — `RelationQuery`: a query over one object's collection
// (`user->posts.query().where(…).all()`), run in the object's Session; Many::query() and
// WriteOnly::query() make it. Used by orm/session.hpp; it needs no Session type.
#pragma once

#include <athanor/orm/detail/session_core.hpp>
#include <athanor/orm/ptr.hpp>
#include <athanor/orm/relationship.hpp>
#include <athanor/orm/rows.hpp>
#include <athanor/orm/select.hpp>

namespace athanor::orm {

namespace detail {
/// Runs a `select<M>()` in a session: objects through the identity map, then loader options.
template <class M, class S>
Rows<Ptr<M>> scalars(SessionCore& core, const S& stmt) {
  auto objects = core.load_objects(ops_for<M>(), object_query(stmt));
  Rows<Ptr<M>> out;  // what Session::scalars returns: no second vector of all the objects
  out.reserve(objects.size());
  for (auto& o : objects) out.emplace_back(std::static_pointer_cast<Instance<M>>(std::move(o)));
  return out;
}
}  // namespace detail

/// A query over one object's collection (`user->posts.query()`), chained like a select.
template <class T, class Stmt>
class RelationQuery {
 public:
  /// The query `stmt` run in session `s` (Many::query() and WriteOnly::query() make it).
  RelationQuery(std::shared_ptr<detail::SessionCore> s, Stmt stmt) : s_(std::move(s)), stmt_(std::move(stmt)) {}
  /// Clauses added to the select, as TypedSelect's.
  ///@{
  template <class E>
  auto where(E e) const { return make(stmt_.where(std::move(e))); }
  template <class... E>
  auto order_by(E... e) const { return make(stmt_.order_by(std::move(e)...)); }
  auto limit(std::int64_t n) const { return make(stmt_.limit(n)); }
  auto offset(std::int64_t n) const { return make(stmt_.offset(n)); }
  ///@}
  /// Runs the query (after an autoflush).
  std::vector<Ptr<T>> all() const {
    s_->check_usable();
    if (s_->options.autoflush) s_->flush(false);
    return detail::scalars<T>(*s_, stmt_);
  }
  const Stmt& statement() const { return stmt_; }  ///< The typed select (the collection's condition and the clauses given).

 private:
  template <class S>
  RelationQuery<T, S> make(S s) const { return RelationQuery<T, S>(s_, std::move(s)); }
  std::shared_ptr<detail::SessionCore> s_;
  Stmt stmt_;
};

namespace detail {
template <class T>
auto relation_query(const RelationBase& r) {
  auto* owner = r.owner();
  auto* info = r.info();
  auto s = owner && owner->session ? owner->session->shared_from_this() : nullptr;
  if (!s) throw DetachedInstanceError("[athanor.orm.detached] query(): the collection's object is not bound to a Session");
  info->resolve();
  const auto& target = info->target();
  const auto& t = target.table();
  Expr cond;
  const bool m2m = info->kind == detail::RelKind::many_to_many;
  if (m2m) {  // target.key IN (SELECT … FROM association WHERE owner key)
    const auto& a = info->secondary();
    Expr own;
    for (std::size_t k = 0; k < info->local.size(); ++k) {
      Expr e = a.info->table.unchecked_c(a.table().columns[info->secondary_local[k]].name) == Expr(owner->ops->get(*owner, info->local[k]));
      own = own ? (own && e) : e;
    }
    cond = target.info->table.unchecked_c(t.columns[info->remote[0]].name)
               .in_(athanor::select(a.info->table.unchecked_c(a.table().columns[info->secondary_remote[0]].name)).where(own));
  }
  for (std::size_t k = 0; !m2m && k < info->local.size(); ++k) {
    Expr e = target.info->table.unchecked_c(t.columns[info->remote[k]].name, t.columns[info->remote[k]].type) ==
             Expr(owner->ops->get(*owner, info->local[k]));
    cond = cond ? (cond && e) : e;
  }
  auto stmt = select<T>().where(core_expr<bool>(cond));
  return RelationQuery<T, decltype(stmt)>(std::move(s), std::move(stmt));
}
}  // namespace detail

template <class T>
auto Many<T>::query() const {
  return detail::relation_query<T>(*this);
}
template <class T>
auto WriteOnly<T>::query() const {
  return detail::relation_query<T>(*this);
}

}  // namespace athanor::orm
