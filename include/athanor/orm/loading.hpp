// athanor/orm/loading.hpp — loader options for a query: `selectinload(&User::posts)` (one
// extra IN query per relationship, chunked), nestable with `.selectinload(&Post::tags)`, and
// `raiseload(&User::posts)` (touching the relationship throws: finds N+1 patterns).
#pragma once

#include <string>  // std::string
#include <vector>  // std::vector

#include <athanor/orm/relationship.hpp>

namespace athanor::orm {

/// How a query loads a relationship path.
struct LoadOption {
  /// selectinload, raiseload or joinedload (the functions below make each).
  enum class Strategy : unsigned char { selectin, raise, joined } strategy = Strategy::selectin;  ///< this path's
  std::vector<std::string> path;  ///< relationship member names, from the queried model

  /// Continues the path: `selectinload(&User::posts).selectinload(&Post::comments)`.
  template <class M, class R>
  LoadOption selectinload(R M::*member) const {
    LoadOption o = *this;
    o.path.push_back(name_of(member));
    return o;
  }

  /// The name of relationship `member` in M's ATHANOR_MODEL list.
  template <class M, class R>
  static std::string name_of(R M::*member) {
    static_assert(detail::is_relation_member<R>::value, "athanor: loader options take a One<T> or Many<T> member (&User::posts)");
    std::string name;
    boost::mp11::mp_for_each<detail::relations_of<M>>([&](auto D) {
      if constexpr (std::is_same_v<std::remove_cv_t<decltype(D.pointer)>, R M::*>) {
        if (D.pointer == member) name = D.name;
      }
    });
    return name;
  }
};

/// Loads the relationship for all the query's objects in one extra query (IN over their keys).
template <class M, class R>
LoadOption selectinload(R M::*member) {
  return LoadOption{LoadOption::Strategy::selectin, {LoadOption::name_of(member)}};
}
/// Loads the relationship in the same query (LEFT OUTER JOIN, through the association table
/// for a many-to-many; owners de-duplicated; each collection in primary key order, as lazy
/// loading and selectinload give it). One level. A query with limit()/offset() (or distinct,
/// group_by) becomes a subquery the join goes around, so that the limit counts owners.
template <class M, class R>
LoadOption joinedload(R M::*member) {
  return LoadOption{LoadOption::Strategy::joined, {LoadOption::name_of(member)}};
}
/// Makes touching the relationship of the query's objects throw instead of loading.
template <class M, class R>
LoadOption raiseload(R M::*member) {
  return LoadOption{LoadOption::Strategy::raise, {LoadOption::name_of(member)}};
}

}  // namespace athanor::orm
