// athanor/orm/dml.hpp — typed UPDATE and DELETE over a model: `update<User>().set(c<&User::name>,
// "bob").where(c<&User::id> == 1)`, `delete_<User>().where(…)`. Compiled once per type.
#pragma once

#include <array>    // std::array
#include <cstddef>  // std::size_t

#include <athanor/core/dml.hpp>
#include <athanor/orm/select.hpp>

namespace athanor::orm {

namespace detail {
template <auto Pm, class E>
struct Set {
  static constexpr bool cacheable = E::cacheable;
  static constexpr auto pointer = Pm;
  static constexpr bool binds = collects<E>;
  E e;
  void collect(Collected& out) const {
    if constexpr (binds) e.collect(out);
  }
};
/// The Core tree of the expression of clause C (a Set's value, a Where's condition) given by
/// address: one table entry of a typed UPDATE or DELETE (see ExprStep).
template <class C>
[[gnu::cold]] Expr clause_expr_step(const void* c, Builder& b) {
  return static_cast<const C*>(c)->e.to_core(b);
}
/// The UPDATE (or DELETE) of `table` with these SET items and WHERE conditions, compiled.
ATHANOR_DECL Compiled compile_dml(const Dialect& d, const Table& table, bool delete_, const Values& sets,
                                  const std::vector<Expr>& where);
#if ATHANOR_DEFINITIONS
ATHANOR_DECL Compiled compile_dml(const Dialect& d, const Table& table, bool delete_, const Values& sets,
                                  const std::vector<Expr>& where) {
  if (delete_) {
    auto stmt = athanor::delete_(table);
    for (auto& w : where) stmt = stmt.where(w);
    return d.compile(stmt.node());
  }
  auto stmt = athanor::update(table).values(sets);
  for (auto& w : where) stmt = stmt.where(w);
  return d.compile(stmt.node());
}
#endif
/// The same from a typed statement's parts, built by one compiled loop (see ExprStep): `sets`
/// SET values (column `names[i]`, steps[i] building set_parts[i]) then `wheres` conditions
/// (steps[sets + i] building where_parts[i]).
ATHANOR_DECL Compiled compile_dml_parts(const Dialect& d, const Table& table, bool delete_, const char* const* names,
                                        const ExprStep* steps, const void* const* set_parts, std::size_t sets,
                                        const void* const* where_parts, std::size_t wheres);
#if ATHANOR_DEFINITIONS
ATHANOR_DECL Compiled compile_dml_parts(const Dialect& d, const Table& table, bool delete_, const char* const* names,
                                        const ExprStep* steps, const void* const* set_parts, std::size_t sets,
                                        const void* const* where_parts, std::size_t wheres) {
  Builder b;  // SET binds are numbered first, as they come first in the SQL
  std::vector<Expr> set_values = build_exprs(b, steps, set_parts, sets);
  Values values;
  values.reserve(sets);
  for (std::size_t i = 0; i < sets; ++i) values.emplace_back(names[i], std::move(set_values[i]));
  return compile_dml(d, table, delete_, values, build_exprs(b, steps + sets, where_parts, wheres));
}
#endif
}  // namespace detail

/// A typed UPDATE (Delete = false) or DELETE (Delete = true) of model M.
template <class M, bool Delete, class Sets, class Wheres>
class TypedDml;

/// The statement, its SET assignments `S` and WHERE conditions `W` in its type. An aggregate
/// as TypedSelect is: each set()/where() builds the next statement type in place, and one whose
/// values hold no string is trivially copied and destroyed (no constructor, copy or destructor
/// per step of the chain, each a function body g++ optimises).
template <class M, bool Delete, class... S, class... W>
class TypedDml<M, Delete, std::tuple<S...>, std::tuple<W...>> {
 public:
  using result_type = std::int64_t;  ///< Execution gives the number of rows changed.
  static constexpr bool cacheable = (S::cacheable && ...) && (W::cacheable && ...);  ///< Whether its SQL is the same whatever its values.
  static constexpr bool binds = (detail::collects<S> || ...) || (detail::collects<W> || ...);  ///< Whether it has values to collect.

  /// SET column = value (or expression: `c<&M::visits> + 1`).
  template <auto Pm, class V>
  auto set(Col<Pm>, V&& value) const {
    static_assert(!Delete, "athanor: set() belongs to update<M>(), not delete_<M>()");
    static_assert(std::is_same_v<detail::model_of<Pm>, M>, "athanor: set() names a column of another model");
    using T = detail::value_of<Pm>;
    constexpr bool ok = detail::can_compare<Col<Pm>, V>;
    static_assert(ok, "athanor: set() needs a value of the column's type");
    if constexpr (ok) {
      using E = decltype(operand<T>(std::forward<V>(value)));
      return TypedDml<M, Delete, std::tuple<S..., detail::Set<Pm, E>>, std::tuple<W...>>{
          sets_.append(detail::Set<Pm, E>{operand<T>(std::forward<V>(value))}), wheres_};
    }
  }
  /// WHERE, over M's columns (several calls are joined with AND).
  template <class E>
  auto where(E e) const {
    constexpr bool ok = detail::BoolExpr<E> && detail::uses_only<boost::mp11::mp_list<M>, E>;
    static_assert(ok, "athanor: where() takes a condition over the updated/deleted model's columns");
    if constexpr (ok) {
      return TypedDml<M, Delete, std::tuple<S...>, std::tuple<W..., detail::Where<E>>>{
          sets_, wheres_.append(detail::Where<E>{static_cast<E&&>(e)})};
    }
  }

  /// The SQL for `d`, compiled once per statement type and dialect when cacheable.
  std::shared_ptr<const Compiled> compiled(const Dialect& d) const {
    return detail::compiled_sql(cacheable, detail::compile_cache<TypedDml>, d, &detail::compile_erased<TypedDml>, this);
  }
  /// The SQL for `d`, built anew by one compiled loop over the static tables below. SET binds
  /// come first in the SQL, then the WHERE binds.
  Compiled compile(const Dialect& d) const {
    const auto sets = sets_.parts(nullptr);
    const auto wheres = wheres_.parts(nullptr);
    return detail::compile_dml_parts(d, table_of<M>(), Delete, names.data(), steps.data(), sets.data() + 1, sizeof...(S),
                                     wheres.data() + 1, sizeof...(W));
  }
  /// The values of one execution: SET values, then WHERE values (only the parts that have any).
  void collect(detail::Collected& out) const {
    if constexpr ((detail::collects<S> || ...)) sets_.collect(out);
    if constexpr ((detail::collects<W> || ...)) wheres_.collect(out);
  }
  /// Runs on a connection; returns the number of rows changed.
  std::int64_t run(athanor::detail::ConnectionImpl& c) const {
    return detail::run_statement(c, detail::statement_run<TypedDml>, this, nullptr, nullptr);
  }

 private:
  /// The SET columns' names, then how to build each SET value and WHERE condition (a Set's or
  /// a Where's expression, see detail::clause_expr_step).
  static constexpr std::array<const char*, sizeof...(S)> names{detail::column_name<S::pointer>()...};
  static constexpr std::array<detail::ExprStep, sizeof...(S) + sizeof...(W)> steps{&detail::clause_expr_step<S>...,
                                                                                    &detail::clause_expr_step<W>...};

 public:
  /// The statement's parts, for its own functions only: public, and no constructor, so that the
  /// statement is an aggregate built in place by the step before (see TypedSelect).
  detail::Pack<S...> sets_;
  detail::Pack<W...> wheres_;
};

/// `UPDATE` of model M.  **Example**: `update<User>().set(c<&User::name>, "bob").where(c<&User::id> == 1)`
template <Model M>
auto update() { return TypedDml<M, false, std::tuple<>, std::tuple<>>{}; }
/// `DELETE` of model M.  **Example**: `delete_<User>().where(c<&User::name> == "bob")`
template <Model M>
auto delete_() { return TypedDml<M, true, std::tuple<>, std::tuple<>>{}; }
using athanor::delete_;
using athanor::update;

}  // namespace athanor::orm
