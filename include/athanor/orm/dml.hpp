// athanor/orm/dml.hpp — typed UPDATE and DELETE over a model: `update<User>().set(c<&User::name>,
// "bob").where(c<&User::id> == 1)`, `delete_<User>().where(…)`. Compiled once per type.
#pragma once

#include <array>    // std::array
#include <cstddef>  // std::ptrdiff_t, std::size_t

#include <athanor/core/dml.hpp>
#include <athanor/orm/select.hpp>

namespace athanor::orm {

namespace detail {
template <auto Pm, class E>
struct Set {
  static constexpr bool cacheable = E::cacheable;
  static constexpr auto pointer = Pm;
  E e;
  void apply(Values& v, Builder& b) const { v.emplace_back(column_name<Pm>(), e.to_core(b)); }
  void collect(Collected& out) const { e.collect(out); }
};
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
/// SET values (column `names[i]`) then `wheres` conditions, steps[i] building parts[i].
ATHANOR_DECL Compiled compile_dml_parts(const Dialect& d, const Table& table, bool delete_, const char* const* names,
                                        const ExprStep* steps, const void* const* parts, std::size_t sets, std::size_t wheres);
#if ATHANOR_DEFINITIONS
ATHANOR_DECL Compiled compile_dml_parts(const Dialect& d, const Table& table, bool delete_, const char* const* names,
                                        const ExprStep* steps, const void* const* parts, std::size_t sets, std::size_t wheres) {
  Builder b;  // SET binds are numbered first, as they come first in the SQL
  std::vector<Expr> built = build_exprs(b, steps, parts, sets + wheres);
  Values values;
  values.reserve(sets);
  for (std::size_t i = 0; i < sets; ++i) values.emplace_back(names[i], std::move(built[i]));
  built.erase(built.begin(), built.begin() + static_cast<std::ptrdiff_t>(sets));
  return compile_dml(d, table, delete_, values, built);
}
#endif
}  // namespace detail

/// A typed UPDATE (Delete = false) or DELETE (Delete = true) of model M.
template <class M, bool Delete, class Sets, class Wheres>
class TypedDml;

/// The statement, its SET assignments `S` and WHERE conditions `W` in its type.
template <class M, bool Delete, class... S, class... W>
class TypedDml<M, Delete, std::tuple<S...>, std::tuple<W...>> {
 public:
  using result_type = std::int64_t;  ///< Execution gives the number of rows changed.
  static constexpr bool cacheable = (S::cacheable && ...) && (W::cacheable && ...);  ///< Whether its SQL is the same whatever its values.
  /// The statement `update<M>()`/`delete_<M>()` and each method here build.
  TypedDml(detail::Pack<S...> s, detail::Pack<W...> w) : sets_(std::move(s)), wheres_(std::move(w)) {}

  /// SET column = value (or expression: `c<&M::visits> + 1`).
  template <auto Pm, class V>
  auto set(Col<Pm>, V&& value) const {
    static_assert(!Delete, "athanor: set() belongs to update<M>(), not delete_<M>()");
    static_assert(std::is_same_v<detail::model_of<Pm>, M>, "athanor: set() names a column of another model");
    using T = detail::value_of<Pm>;
    constexpr bool ok = detail::can_compare<Col<Pm>, V>;
    static_assert(ok, "athanor: set() needs a value of the column's type");
    if constexpr (ok) {
      auto e = operand<T>(std::forward<V>(value));
      using E = decltype(e);
      return TypedDml<M, Delete, std::tuple<S..., detail::Set<Pm, E>>, std::tuple<W...>>(
          sets_.append(detail::Set<Pm, E>{std::move(e)}), wheres_);
    }
  }
  /// WHERE, over M's columns (several calls are joined with AND).
  template <class E>
  auto where(E e) const {
    constexpr bool ok = detail::BoolExpr<E> && detail::uses_only<boost::mp11::mp_list<M>, E>;
    static_assert(ok, "athanor: where() takes a condition over the updated/deleted model's columns");
    if constexpr (ok) {
      return TypedDml<M, Delete, std::tuple<S...>, std::tuple<W..., detail::Where<E>>>(
          sets_, wheres_.append(detail::Where<E>{std::move(e)}));
    }
  }

  std::shared_ptr<const Compiled> compiled(const Dialect& d) const { return detail::compiled_sql(*this, d); }  ///< The SQL for `d`, compiled once per statement type and dialect when cacheable.
  /// The SQL for `d`, built anew. SET binds come first in the SQL, then the WHERE binds.
  Compiled compile(const Dialect& d) const {
    return sets_.apply([&](const auto&... s) {
      return wheres_.apply([&](const auto&... w) {
        static constexpr std::array<const char*, sizeof...(S)> names{detail::column_name<S::pointer>()...};
        static constexpr std::array<detail::ExprStep, sizeof...(S) + sizeof...(W)> steps{
            &detail::expr_step<decltype(S::e)>..., &detail::expr_step<decltype(W::e)>...};
        const std::array<const void*, sizeof...(S) + sizeof...(W)> parts{&s.e..., &w.e...};
        return detail::compile_dml_parts(d, table_of<M>(), Delete, names.data(), steps.data(), parts.data(), sizeof...(S),
                                         sizeof...(W));
      });
    });
  }
  /// The values of one execution: SET values, then WHERE values.
  void collect(detail::Collected& out) const {
    sets_.apply([&](const auto&... s) { (s.collect(out), ...); });
    wheres_.apply([&](const auto&... w) { (w.collect(out), ...); });
  }
  /// Runs on a connection; returns the number of rows changed.
  std::int64_t run(athanor::detail::ConnectionImpl& c) const {
    detail::Collected values;
    collect(values);
    return c.execute_typed(*compiled(*c.engine->dialect), values, [](driver::Statement&) {});
  }

 private:
  detail::Pack<S...> sets_;
  detail::Pack<W...> wheres_;
};

/// `UPDATE` of model M.  **Example**: `update<User>().set(c<&User::name>, "bob").where(c<&User::id> == 1)`
template <Model M>
auto update() { return TypedDml<M, false, std::tuple<>, std::tuple<>>({}, {}); }
/// `DELETE` of model M.  **Example**: `delete_<User>().where(c<&User::name> == "bob")`
template <Model M>
auto delete_() { return TypedDml<M, true, std::tuple<>, std::tuple<>>({}, {}); }
using athanor::delete_;
using athanor::update;

}  // namespace athanor::orm
