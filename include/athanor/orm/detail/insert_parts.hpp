// athanor/orm/detail/insert_parts.hpp — the pieces of a typed INSERT: the assignment
// `c<&M::a> = v` and the rule for its value, a bound value, `excluded<&M::a>`, the
// client-side defaults bound per execution, and the one non-template call that hands the
// parts to Core's insert (compiled once per statement type and dialect).
#pragma once

#include <optional>  // std::optional

#include <athanor/core/dml.hpp>
#include <athanor/dialect/excluded.hpp>
#include <athanor/orm/detail/clauses.hpp>

namespace athanor::orm::detail {

/// Whether a value of type V can be written into a column of C++ type T: a value the column
/// compares with (update's set() rule), or NULL (std::nullopt, an empty std::optional) for a
/// std::optional column only.
template <class T, class V>
constexpr bool insertable() {
  using U = std::remove_cvref_t<V>;
  if constexpr (TypedExpr<U>) return comparable_with<T, typename U::value_type> && (is_nullable_v<T> || !is_nullable_v<typename U::value_type>);
  else if constexpr (std::is_same_v<U, std::nullopt_t>) return is_nullable_v<T>;
  else if constexpr (is_nullable_v<U>) return is_nullable_v<T> && comparable_with<T, typename U::value_type>;
  else return comparable_with<T, U>;
}

/// The bound Value of `v` for a column of type T (insertable<T, V>): numbers keep their own
/// type as in update's set(); anything else becomes the column's type first.
template <class T, class V>
Value insert_value(V&& v) {
  using U = std::remove_cvref_t<V>;
  using A = strip_optional_t<T>;
  if constexpr (std::is_same_v<U, std::nullopt_t>) return Value();
  else if constexpr (is_nullable_v<U>) return v ? insert_value<T>(*v) : Value();
  else if constexpr (std::is_arithmetic_v<U> && std::is_arithmetic_v<A>) return column_traits<U>::to_value(v);
  else return column_traits<A>::to_value(A(std::forward<V>(v)));
}

/// A value bound as it is, typed T for the DSL.
template <class T>
struct Bound : Methods<Bound<T>, T> {
  using value_type = T;
  using models = boost::mp11::mp_list<>;
  static constexpr bool cacheable = true;
  Value v;
  explicit Bound(Value value) : v(std::move(value)) {}
  Expr to_core(Builder& b) const { return b.bind(v); }
  void collect(Collected& out) const { out.push_back(v); }
};

/// `c<&M::a> = e`: column Pm gets the typed expression E.
template <auto Pm, class E>
struct Assignment {
  static constexpr auto column = Pm;
  using expr = E;
  E e;
};
template <class A>
inline constexpr bool is_assignment = false;
template <auto Pm, class E>
inline constexpr bool is_assignment<Assignment<Pm, E>> = true;

template <auto Pm, class V>
auto assign(V&& v) {
  using T = value_of<Pm>;
  constexpr bool ok = insertable<T, V>();
  static_assert(ok, "athanor: c<&M::col> = v needs a value of the column's type (std::nullopt only for a std::optional "
                    "column); convert the value, or declare the member Mapped<std::optional<T>>");
  if constexpr (ok) {
    if constexpr (TypedExpr<std::remove_cvref_t<V>>) return Assignment<Pm, std::remove_cvref_t<V>>{std::forward<V>(v)};
    else return Assignment<Pm, Bound<T>>{Bound<T>(insert_value<T>(std::forward<V>(v)))};
  }
}

/// Names the row an upsert proposed (EXCLUDED / VALUES()) among an expression's models.
template <class M>
struct excluded_row {};

/// `excluded<&M::a>`: the value the conflicting INSERT proposed for column a.
template <auto Pm>
struct Excluded : Methods<Excluded<Pm>, value_of<Pm>> {
  using value_type = value_of<Pm>;
  using models = boost::mp11::mp_list<excluded_row<model_of<Pm>>>;
  static constexpr bool cacheable = true;
  Expr to_core(Builder&) const { return athanor::excluded(column_name<Pm>()); }
  void collect(Collected&) const {}
};

/// What a typed INSERT gives Core's insert, built once per statement type.
struct InsertParts {
  std::vector<std::string> columns;     ///< the named columns, then those with client-side defaults
  std::vector<std::vector<Expr>> rows;  ///< VALUES, in `columns` order
  std::optional<athanor::Select> from;  ///< INSERT … SELECT
  bool upsert = false;                  ///< ON CONFLICT (DO NOTHING when `set` is empty)
  std::vector<std::string> conflict;
  Values set;
  std::vector<Expr> returning;
  std::optional<FromClause> returning_all;  ///< RETURNING every column of the table
};
ATHANOR_DECL Compiled compile_insert(const Dialect& d, const Table& t, const InsertParts& p);
/// The columns of `t` with a client-side default that `given` does not name. A typed insert
/// binds their values per execution (a default_factory runs per row, as in SQLAlchemy),
/// where Core's insert would keep the value of the first compile.
ATHANOR_DECL std::vector<const ColumnDef*> defaulted_columns(const Table& t, std::initializer_list<const char*> given);
#if ATHANOR_DEFINITIONS
ATHANOR_DECL Compiled compile_insert(const Dialect& d, const Table& t, const InsertParts& p) {
  auto stmt = athanor::insert(t);
  if (p.from) {
    stmt = stmt.from_select(p.columns, *p.from);
  } else if (!p.rows.empty()) {
    std::vector<Values> rows;
    rows.reserve(p.rows.size());
    for (auto& r : p.rows) {
      Values& v = rows.emplace_back();
      for (std::size_t i = 0; i < r.size(); ++i) v.emplace_back(p.columns[i], r[i]);
    }
    stmt = stmt.values_list(rows);
  }
  if (p.upsert) stmt = stmt.on_conflict_do_update(p.conflict, p.set);
  if (p.returning_all) stmt = stmt.returning(*p.returning_all);
  for (auto& e : p.returning) stmt = stmt.returning(e);
  return d.compile(stmt.node());
}
ATHANOR_DECL std::vector<const ColumnDef*> defaulted_columns(const Table& t, std::initializer_list<const char*> given) {
  std::vector<const ColumnDef*> out;
  for (auto& c : t.node()->table->columns) {
    if (!c.default_value && !c.default_factory) continue;
    bool named = false;
    for (auto* g : given) named = named || c.name == g;
    if (!named) out.push_back(&c);
  }
  return out;
}
#endif
/// defaulted_columns of model M for the named columns Pm…, found once.
template <class M, auto... Pm>
const std::vector<const ColumnDef*>& defaults_for() {
  static const auto cols = defaulted_columns(table_of<M>(), {column_name<Pm>()...});
  return cols;
}
inline Value default_of(const ColumnDef& c) { return c.default_factory ? c.default_factory() : *c.default_value; }

}  // namespace athanor::orm::detail
