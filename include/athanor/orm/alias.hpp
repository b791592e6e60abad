// athanor/orm/alias.hpp — `aliased<M, "name">`: a model under another name, so that one
// statement can read its table twice (a self-join: employee → manager), like SQLAlchemy's
// aliased(Employee). The name is part of the type: the statement knows which columns belong
// to the alias, and its SQL still compiles once per type (`FROM employees AS manager`).
#pragma once

#include <algorithm>    // std::copy_n
#include <cstddef>      // std::size_t
#include <string>       // std::string
#include <string_view>  // std::string_view

#include <athanor/orm/expr.hpp>

namespace athanor::orm {

template <class M, detail::fixed_string Name>
struct Alias;

/// A column of an aliased model: `manager.c<&Employee::name>`, typed as the member.
template <class A, auto Pm>
struct AliasCol : Methods<AliasCol<A, Pm>, detail::value_of<Pm>> {
  /// The TypedExpr protocol.
  ///@{
  static_assert(std::is_same_v<detail::model_of<Pm>, typename A::model>,
                "athanor: this column is of another model than the alias (aliased<Employee, \"manager\">: "
                "manager.c<&Employee::name>)");
  using value_type = detail::value_of<Pm>;
  using models = boost::mp11::mp_list<A>;
  static constexpr bool cacheable = true;
  static constexpr bool binds = false;
  Expr to_core(detail::Builder&) const {
    const auto& column = table_of<typename A::model>().columns()[detail::column_index<Pm>];
    return A::from().unchecked_c(column.name, column.type);
  }
  void collect(detail::Collected&) const {}
  ///@}
};

/// Model M under the name `Name` in a statement. Use it as a type or as a value:
/// ```
/// constexpr auto manager = orm::aliased<Employee, "manager">;  // the type: orm::Alias<Employee, "manager">
/// orm::select(c<&Employee::name>, manager.c<&Employee::name>)
///     .join(manager, c<&Employee::manager_id> == manager.c<&Employee::id>);
/// session.scalars(orm::select<decltype(manager)>());            // Employee objects
/// ```
template <class M, detail::fixed_string Name>
struct Alias {
  static_assert(Model<M>, "athanor: aliased<M, \"name\">() takes a model declared with ATHANOR_MODEL");
  /// The aliased model and the alias's name.
  ///@{
  using model = M;
  static constexpr std::string_view name = Name.view();
  ///@}
  /// The Core FROM item (`employees AS manager`), one per alias type.
  static const FromClause& from() {
    static const FromClause f = table_of<M>().alias(std::string(name));
    return f;
  }
  /// A column of the alias: `Manager::c<&Employee::name>` or `manager.c<&Employee::name>`.
  template <auto Pm>
  static constexpr AliasCol<Alias, Pm> c{};
  /// The same column of the alias: `manager(c<&Employee::name>)`.
  template <auto Pm>
  constexpr AliasCol<Alias, Pm> operator()(Col<Pm>) const { return {}; }
};
/// Model M under the name `Name`, as a value: `orm::aliased<Employee, "manager">` (see Alias).
template <class M, detail::fixed_string Name>
inline constexpr Alias<M, Name> aliased{};

namespace detail {
template <class S>
inline constexpr bool is_alias = false;
template <class M, fixed_string N>
inline constexpr bool is_alias<Alias<M, N>> = true;
/// What a statement may read from by type alone: a model or an alias of one.
template <class S>
concept Source = Model<S> || is_alias<S>;

/// The model of a source, and its Core FROM item.
template <class S>
struct source_model { using type = S; };
template <class M, fixed_string N>
struct source_model<Alias<M, N>> { using type = M; };
template <class S>
using source_model_t = typename source_model<S>::type;
template <class S>
const FromClause& from_of() {
  if constexpr (is_alias<S>) return S::from();
  else return table_of<S>();
}
/// A model or alias as a FROM item of a join or select_from (subqueries carry state instead).
template <class S>
struct StaticSource {
  using source = S;
  static constexpr bool binds = false;
  FromClause from(Builder&) const { return from_of<S>(); }
  void collect(Collected&) const {}
};
}  // namespace detail

}  // namespace athanor::orm
