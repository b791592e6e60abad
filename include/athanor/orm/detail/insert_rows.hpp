// athanor/orm/detail/insert_rows.hpp — what a typed INSERT is made of: its rows (one row of
// values(), the rows of rows(), a typed select), its upsert, and the compile-time checks of
// the rows and columns it is given. Each part adds itself to the InsertParts handed to Core
// (once per statement type) and collects its values per execution, in the same order.
#pragma once

#include <athanor/orm/detail/insert_parts.hpp>
#include <athanor/orm/select.hpp>

namespace athanor::orm::detail {
/// The single row of `values(…)` (none yet: INSERT of the defaults).
template <class... A>
struct OneRow {
  static constexpr bool cacheable = (A::expr::cacheable && ...);
  Pack<A...> a;
  template <class M>
  void build(InsertParts& p, Builder& b) const {
    p.columns = {column_name<A::column>()...};
    auto& defaults = defaults_for<M, A::column...>();
    std::vector<Expr> row;
    a.apply([&](const auto&... x) { (row.push_back(x.e.to_core(b)), ...); });
    for (auto* d : defaults) p.columns.push_back(d->name), row.push_back(b.bind(Value()));
    if (!p.columns.empty()) p.rows.push_back(std::move(row));
  }
  template <class M>
  void collect(Collected& out) const {
    a.apply([&](const auto&... x) { (x.e.collect(out), ...); });
    for (auto* d : defaults_for<M, A::column...>()) out.push_back(default_of(*d));
  }
};
/// `columns<&M::a, …>()` before its rows().
template <auto... Pm>
struct ColumnsOnly {
  static constexpr bool cacheable = true;
};
/// The rows of `rows(…)`, converted to bound values once (row-major), shared by copies.
template <auto... Pm>
struct ManyRows {
  static constexpr bool cacheable = true;
  std::shared_ptr<const std::vector<Value>> values;
  std::size_t count = 0;
  /// Rows per statement: as many as the placeholders allow (a margin left for the upsert's
  /// and returning's), at most 1000 — longer statements gained nothing measurable.
  template <class M>
  static std::size_t per_statement(const Dialect& d) {
    std::size_t cols = sizeof...(Pm) + defaults_for<M, Pm...>().size();
    std::size_t room = d.capabilities().max_params > 100 ? d.capabilities().max_params - 100 : 1;
    return std::max<std::size_t>(1, std::min<std::size_t>(1000, room / cols));
  }
  template <class M>
  void build(InsertParts& p, Builder& b, std::size_t n) const {
    auto& defaults = defaults_for<M, Pm...>();
    p.columns = {column_name<Pm>()...};
    for (auto* d : defaults) p.columns.push_back(d->name);
    for (std::size_t r = 0; r < n; ++r) {
      auto& row = p.rows.emplace_back();
      for (std::size_t i = 0; i < p.columns.size(); ++i) row.push_back(b.bind(Value()));
    }
  }
  template <class M>
  void collect(Collected& out, std::size_t first, std::size_t n) const {
    auto& defaults = defaults_for<M, Pm...>();
    for (std::size_t r = first; r < first + n; ++r) {
      for (std::size_t i = 0; i < sizeof...(Pm); ++i) out.push_back((*values)[r * sizeof...(Pm) + i]);
      for (auto* d : defaults) out.push_back(default_of(*d));
    }
  }
};
/// `from_select<&M::a, …>(select)`. Client-side defaults are not added (as Core's from_select).
template <class S, auto... Pm>
struct FromSelect {
  static constexpr bool cacheable = S::cacheable;
  S s;
  template <class M>
  void build(InsertParts& p, Builder& b) const { p.columns = {column_name<Pm>()...}, p.from = s.to_core(b); }
  template <class M>
  void collect(Collected& out) const { s.collect(out); }
};

template <auto... K>
struct Keys {};
/// No upsert (Active false), or ON CONFLICT (K…) DO NOTHING / DO UPDATE SET A….
template <bool Active, class K, class... A>
struct OnConflict;
template <bool Active, auto... K, class... A>
struct OnConflict<Active, Keys<K...>, A...> {
  static constexpr bool cacheable = (A::expr::cacheable && ...);
  static constexpr bool updates = sizeof...(A) > 0;
  Pack<A...> a;
  void build(InsertParts& p, Builder& b) const {
    if constexpr (Active) {
      p.upsert = true, p.conflict = {column_name<K>()...};
      a.apply([&](const auto&... x) { (p.set.emplace_back(column_name<std::remove_cvref_t<decltype(x)>::column>(), x.e.to_core(b)), ...); });
    }
  }
  void collect(Collected& out) const {
    a.apply([&](const auto&... x) { (x.e.collect(out), ...); });
  }
};

struct NoReturning {
  static constexpr bool cacheable = true;
};
template <class T>
inline constexpr bool is_tuple_columns = false;
template <class... E>
inline constexpr bool is_tuple_columns<TupleColumns<boost::mp11::mp_list<>, E...>> = true;

/// Whether each element of a rows() row (a std::tuple, or the model itself) fits column Pm….
template <class M, class Row, auto... Pm>
inline constexpr bool row_fits = std::is_same_v<Row, M>;
template <class M, class... V, auto... Pm>
inline constexpr bool row_fits<M, std::tuple<V...>, Pm...> = [] {
  if constexpr (sizeof...(V) == sizeof...(Pm)) return (insertable<value_of<Pm>, V>() && ...);
  else return false;
}();

/// Column I of a from_select's row (type R) against the column Pm it goes into: the error,
/// if any, names I, Pm and R in its "In instantiation of" line.
template <std::size_t I, auto Pm, class R>
constexpr bool from_select_column_fits() {
  constexpr bool ok = insertable<value_of<Pm>, R>();
  static_assert(ok, "athanor: from_select(): the select's column I (type R) does not fit the column Pm named at its "
                    "position (same type needed; a std::optional one only into a std::optional member: use coalesce())");
  return ok;
}
template <class Row, auto... Pm, std::size_t... I>
constexpr bool from_select_fits(std::index_sequence<I...>) {
  return (from_select_column_fits<I, Pm, std::tuple_element_t<I, Row>>() && ...);
}
/// Appends the bound values of one rows() tuple (clang 14 loses Pm… in a lambda here).
template <auto... Pm, class Tuple, std::size_t... I>
void push_row(std::vector<Value>& out, const Tuple& row, std::index_sequence<I...>) {
  (out.push_back(insert_value<value_of<Pm>>(std::get<I>(row))), ...);
}
template <class R>
inline constexpr std::size_t row_width = 0;
template <class... T>
inline constexpr std::size_t row_width<std::tuple<T...>> = sizeof...(T);
template <class T>
inline constexpr bool is_columns_only = false;
template <auto... Pm>
inline constexpr bool is_columns_only<ColumnsOnly<Pm...>> = true;
/// The row type RETURNING reads.
template <class M, class Ret>
struct returning_row { using type = M; };
template <class M, class... E>
struct returning_row<M, TupleColumns<boost::mp11::mp_list<>, E...>> {
  using type = typename TupleColumns<boost::mp11::mp_list<>, E...>::result_type;
};
template <class T>
inline constexpr bool is_many_rows = false;
template <auto... Pm>
inline constexpr bool is_many_rows<ManyRows<Pm...>> = true;
template <class A, class M>
inline constexpr bool assigns_column_of = false;
template <auto Pm, class E, class M>
inline constexpr bool assigns_column_of<Assignment<Pm, E>, M> = std::is_same_v<model_of<Pm>, M>;
template <class A, class From>
inline constexpr bool assignment_uses_only = false;
template <auto Pm, class E, class From>
inline constexpr bool assignment_uses_only<Assignment<Pm, E>, From> = uses_only<From, E>;
template <class A>
struct assigned_col { using type = void; };
template <auto Pm, class E>
struct assigned_col<Assignment<Pm, E>> { using type = Col<Pm>; };
template <class... A>
inline constexpr bool distinct_columns = boost::mp11::mp_is_set<boost::mp11::mp_list<typename assigned_col<A>::type...>>::value;

/// The key of the row a one-row insert created: the bound value of a given key column, the
/// row of the implicit RETURNING, or the driver's last insert id.
ATHANOR_DECL std::vector<Value> inserted_key(athanor::detail::ConnectionImpl& c, const Compiled& sql,
                                             const std::vector<Value>& slots, const Value* returned);
#if ATHANOR_DEFINITIONS
ATHANOR_DECL std::vector<Value> inserted_key(athanor::detail::ConnectionImpl& c, const Compiled& sql,
                                             const std::vector<Value>& slots, const Value* returned) {
  std::vector<Value> bound;
  bound.reserve(sql.params.size());
  for (auto& p : sql.params) bound.push_back(p.slot >= 0 ? slots[static_cast<std::size_t>(p.slot)] : p.value);
  std::vector<Row> rows;
  if (returned) rows.emplace_back(std::make_shared<const std::vector<std::string>>(1), std::vector<Value>{*returned});
  return c.primary_key(sql, rows, bound);
}
#endif
}  // namespace athanor::orm::detail
