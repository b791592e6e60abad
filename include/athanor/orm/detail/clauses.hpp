// athanor/orm/detail/clauses.hpp — the pieces of a typed SELECT (result columns and
// clauses), each able to add itself to the Core tree and to collect its values (the per-type
// cache of compiled SQL is in compile_cache.hpp).
#pragma once

#include <array>        // std::array
#include <string>       // std::string, std::to_string
#include <string_view>  // std::string_view
#include <utility>      // std::index_sequence
#include <vector>       // std::vector

#include <athanor/core/select.hpp>
#include <athanor/dialect/dialect.hpp>
#include <athanor/driver/driver.hpp>
#include <athanor/orm/detail/compile_cache.hpp>
#include <athanor/orm/detail/members.hpp>
#include <athanor/orm/expr.hpp>  // with alias.hpp

namespace athanor::orm::detail {

/// Building a typed SELECT's Core tree: the select list (`ColumnsStep`), then each clause added
/// to the select so far (`SelectStep`). A statement type keeps a static table of these and hands
/// it to build_select / compile_select, compiled once: each type then adds a table of pointers,
/// not its own inlined and optimised copy of the whole chain, which was most of the code -O2
/// generated per statement. The SQL is built once per type and dialect: the indirect calls are
/// not on the execution path, and the steps are cold (optimised for size).
/// A clause's step is its own static `step` when it has one (the clauses below, EntityColumns:
/// one body each, where a wrapper calling its member function made two), else the wrapper.
using ColumnsStep = athanor::Select (*)(const void* cols, Builder& b);
using SelectStep = athanor::Select (*)(const void* clause, const athanor::Select& s, Builder& b);
template <class C>
[[gnu::cold]] athanor::Select to_core_step(const void* c, Builder& b) {
  return static_cast<const C*>(c)->to_core(b);
}
template <class C>
[[gnu::cold]] athanor::Select apply_step(const void* c, const athanor::Select& s, Builder& b) {
  return static_cast<const C*>(c)->apply(s, b);
}
template <class C>
inline constexpr ColumnsStep columns_step = &to_core_step<C>;
template <class C>
  requires requires { C::step; }
inline constexpr ColumnsStep columns_step<C> = &C::step;
template <class C>
inline constexpr SelectStep clause_step = &apply_step<C>;
template <class C>
  requires requires { C::step; }
inline constexpr SelectStep clause_step<C> = &C::step;
/// `s` with `terms` added to its ORDER BY (`order`) or GROUP BY.
ATHANOR_DECL athanor::Select add_terms(const athanor::Select& s, std::vector<Expr> terms, bool order);
/// The one step function of a select list and of an ORDER BY / GROUP BY list of operands E...
/// (see Operands, which does the same for a node).
template <class Seq, class... E>
struct ListOperands;
template <std::size_t... I, class... E>
struct ListOperands<std::index_sequence<I...>, E...> {
  /// The select list C (`cols`: a Pack<E...>).
  template <class C>
  [[gnu::cold]] static athanor::Select columns(const void* self, Builder& b) {
    const auto& p = static_cast<const C*>(self)->cols;
    const std::array<const void*, sizeof...(E)> parts{&static_cast<const PackItem<I, E>&>(p).value...};
    return athanor::select(build_exprs(b, Operands<std::index_sequence<I...>, E...>::steps.data(), parts.data(), sizeof...(E)));
  }
  /// `s` and the terms of list L (`e`: a Pack<E...>), ORDER BY or GROUP BY as L says.
  template <class L>
  [[gnu::cold]] static athanor::Select terms(const void* self, const athanor::Select& s, Builder& b) {
    const auto& p = static_cast<const L*>(self)->e;
    const std::array<const void*, sizeof...(E)> parts{&static_cast<const PackItem<I, E>&>(p).value...};
    return add_terms(s, build_exprs(b, Operands<std::index_sequence<I...>, E...>::steps.data(), parts.data(), sizeof...(E)), L::order);
  }
};
/// The Core select of columns `cols` (read from parts[0]) and `n` clauses (steps[i] reads
/// parts[i + 1]).
ATHANOR_DECL athanor::Select build_select(Builder& b, ColumnsStep cols, const SelectStep* steps, const void* const* parts,
                                          std::size_t n);
/// The same built with a fresh Builder and compiled for `d`.
ATHANOR_DECL Compiled compile_select(const Dialect& d, ColumnsStep cols, const SelectStep* steps, const void* const* parts,
                                     std::size_t n);
#if ATHANOR_DEFINITIONS
ATHANOR_DECL athanor::Select add_terms(const athanor::Select& s, std::vector<Expr> terms, bool order) {
  athanor::Select out = s;
  for (auto& x : terms) out = order ? out.order_by(std::move(x)) : out.group_by(std::move(x));
  return out;
}
ATHANOR_DECL athanor::Select build_select(Builder& b, ColumnsStep cols, const SelectStep* steps, const void* const* parts,
                                          std::size_t n) {
  athanor::Select s = cols(parts[0], b);
  for (std::size_t i = 0; i < n; ++i) s = steps[i](parts[i + 1], s, b);
  return s;
}
ATHANOR_DECL Compiled compile_select(const Dialect& d, ColumnsStep cols, const SelectStep* steps, const void* const* parts,
                                     std::size_t n) {
  Builder b;
  return d.compile(build_select(b, cols, steps, parts, n).node());
}
#endif

template <class R>
struct RowReader;
/// Whole objects of model M, read from `Src` (M itself or an alias of it).
template <class M, class Src = M>
struct EntityColumns {
  static constexpr bool cacheable = true;
  static constexpr bool binds = false;
  athanor::Select to_core(Builder& b) const { return step(this, b); }
  [[gnu::cold]] static athanor::Select step(const void*, Builder&) { return athanor::select(from_of<Src>()); }
  void collect(Collected&) const {}
  /// The FROM item the objects come from (joinedload joins onto it).
  static const FromClause& source() { return from_of<Src>(); }
  M read(driver::Statement& st) const {
    M obj{};
    read_members(member_reads<M>(), &obj, st, 0, []() -> const athanor::detail::TableData& { return model_info<M>().table.data(); });
    return obj;
  }
  /// read(), the object made in place at the end of `out` (no move and destruction of a temporary).
  void read_back(std::vector<M>& out, driver::Statement& st) const {
    M& obj = out.emplace_back();
    try {
      read_members(member_reads<M>(), &obj, st, 0, []() -> const athanor::detail::TableData& { return model_info<M>().table.data(); });
    } catch (...) {
      out.pop_back();
      throw;
    }
  }
  /// The reader of these rows: the model's, whatever its source (a constant: no function of
  /// each columns type for a statement's run() to call).
  static constexpr RowReader<M> row_reader{};
  RowReader<M> reader() const { return {}; }
};

/// Whether E is a column as such (of a model, an alias or a subquery): the expressions that
/// read NULL when their source is the optional side of an outer join.
template <class E>
inline constexpr bool is_bare_column = false;
template <auto Pm>
inline constexpr bool is_bare_column<Col<Pm>> = true;
template <class A, auto Pm>
inline constexpr bool is_bare_column<AliasCol<A, Pm>> = true;
template <class E, fixed_string N>
inline constexpr bool is_bare_column<Labelled<E, N>> = is_bare_column<E>;
/// The C++ type a result column E is read as: std::optional of its type when E is a column
/// of a source in `Nullable` (outer-joined); SQLAlchemy gives None there, we say so in the type.
template <class E, class Nullable, bool Column = is_bare_column<E> && !is_nullable_v<typename E::value_type>>
inline constexpr bool reads_null = false;  // a variable, not a constexpr function: no function body per column
template <class E, class Nullable>
inline constexpr bool reads_null<E, Nullable, true> = boost::mp11::mp_contains<Nullable, boost::mp11::mp_front<typename E::models>>::value;
template <class E, class Nullable>
using result_column_t = std::conditional_t<reads_null<E, Nullable>, std::optional<typename E::value_type>, typename E::value_type>;

/// The member pointer behind a result column that is a model's column as such (`Pm`), for
/// naming it in messages; `found` is false for any other expression.
template <class E>
struct column_member {
  static constexpr bool found = false;
};
template <auto Pm>
struct column_member<Col<Pm>> {
  static constexpr bool found = true;
  static constexpr auto pointer = Pm;
};
template <class A, auto Pm>
struct column_member<AliasCol<A, Pm>> : column_member<Col<Pm>> {};
template <class E, fixed_string N>
struct column_member<Labelled<E, N>> : column_member<E> {};
/// How a NULL in result column i read into a type that cannot hold it is named: the model's
/// table.column for a model's column as such (`table` set), the result label otherwise.
struct ResultColumnName {
  const athanor::detail::TableData& (*table)();
  std::size_t column;
};
template <auto Pm>
const athanor::detail::TableData& table_data_of() {
  return model_info<model_of<Pm>>().table.data();
}
template <class E>
constexpr ResultColumnName result_column_name() {
  if constexpr (column_member<E>::found) return {&table_data_of<column_member<E>::pointer>, column_index<column_member<E>::pointer>};
  else return {nullptr, 0};
}
/// The names of result columns E..., one static table per column list.
template <class... E>
inline constexpr ResultColumnName result_column_names[] = {result_column_name<E>()...};
/// How a NULL in a result column of C++ type T is named: T's spelling, empty when T holds NULL.
template <class T>
constexpr std::string_view null_type_name() {
  if constexpr (is_nullable_v<T>) return {};
  else return athanor::detail::type_name<T>();
}
/// After `e` was thrown reading a typed row of `n` columns: when it is the NULL of a column
/// whose type cannot hold it (`types[i]` not empty: null_type_name), throws the DataError that
/// names the column (`names`: as above; null for a row whose columns are unknown, as a
/// compound's). Out of line, with the row type's names as a static table: each row type's
/// reader then keeps a call in its exception handler, not one inlined check per column.
ATHANOR_DECL void name_null_results(const DataError& e, driver::Statement& st, const ResultColumnName* names,
                                    const std::string_view* types, std::size_t n);
#if ATHANOR_DEFINITIONS
ATHANOR_DECL void name_null_results(const DataError& e, driver::Statement& st, const ResultColumnName* names,
                                    const std::string_view* types, std::size_t n) {
  for (std::size_t k = 0; k < n; ++k) {
    const int i = static_cast<int>(k);
    if (types[k].empty() || !is_null_read(e, st, i)) continue;
    if (names && names[k].table) null_member_error(names[k].table(), names[k].column, types[k]);
    athanor::detail::null_error("result column '" + st.column_name(i) + "' (index " + std::to_string(k) + ")",
                                "read it as std::optional<" + std::string(types[k]) + ">");
  }
}
#endif
/// Reads the rows of one row type, whatever statement selected them: one instance per row type
/// (std::tuple of the column types, or a model), shared by every statement of that shape; what
/// is per statement (the column names of a NULL error) is a pointer to a static table.
template <class R>
struct RowReader {
  R read(driver::Statement& st) const { return EntityColumns<R>{}.read(st); }
  /// read(), the object made in place at the end of `out`.
  void read_back(std::vector<R>& out, driver::Statement& st) const { EntityColumns<R>{}.read_back(out, st); }
};
template <class... T>
struct RowReader<std::tuple<T...>> {
  const ResultColumnName* names = nullptr;
  std::tuple<T...> read(driver::Statement& st) const { return read_(st, std::index_sequence_for<T...>{}); }

 private:
  template <std::size_t... I>
  std::tuple<T...> read_(driver::Statement& st, std::index_sequence<I...>) const {
    static constexpr driver::Want want[] = {want_of<T>()...};
    driver::Cell cells[sizeof...(T)];  // written by read_row
    st.read_row(0, want, cells);
    try {
      return std::tuple<T...>(from_cell<T>(cells[I], st, static_cast<int>(I))...);
    } catch (const DataError& e) {
      static constexpr std::string_view types[] = {null_type_name<T>()...};
      name_null_results(e, st, names, types, sizeof...(T));
      throw;
    }
  }
};

/// Typed result columns E...; `Nullable` lists the sources outer-joined so far.
template <class Nullable, class... E>
struct TupleColumns {
  static constexpr bool cacheable = (E::cacheable && ...);
  static constexpr bool binds = (collects<E> || ...);
  using result_type = std::tuple<result_column_t<E, Nullable>...>;
  Pack<E...> cols;
  athanor::Select to_core(Builder& b) const { return columns_step<TupleColumns>(this, b); }
  void collect(Collected& out) const {
    if constexpr (binds) cols.collect(out);
  }
  /// The reader of these columns' rows (shared by every select of the same row type), as a
  /// constant (see EntityColumns::row_reader) and by value.
  static constexpr RowReader<result_type> row_reader{result_column_names<E...>};
  RowReader<result_type> reader() const { return row_reader; }
  result_type read(driver::Statement& st) const { return reader().read(st); }
  /// The same columns once `S` is outer-joined: its columns may read NULL.
  template <class S>
  TupleColumns<boost::mp11::mp_set_push_back<Nullable, S>, E...> outer_joined() const { return {cols}; }
};
template <class E>
struct Where {
  static constexpr bool cacheable = E::cacheable;
  static constexpr bool binds = collects<E>;
  E e;
  [[gnu::cold]] static athanor::Select step(const void* c, const athanor::Select& s, Builder& b) {
    return s.where(step_of<E>(&static_cast<const Where*>(c)->e, b));
  }
  void collect(Collected& out) const {
    if constexpr (binds) e.collect(out);
  }
};
template <class E>
struct Having {
  static constexpr bool cacheable = E::cacheable;
  static constexpr bool binds = collects<E>;
  E e;
  [[gnu::cold]] static athanor::Select step(const void* c, const athanor::Select& s, Builder& b) {
    return s.having(step_of<E>(&static_cast<const Having*>(c)->e, b));
  }
  void collect(Collected& out) const {
    if constexpr (binds) e.collect(out);
  }
};
struct order_tag {};
struct group_tag {};
template <class Tag, class... E>
struct List {
  static constexpr bool cacheable = (E::cacheable && ...);
  static constexpr bool binds = (collects<E> || ...);
  static constexpr bool order = std::is_same_v<Tag, order_tag>;
  Pack<E...> e;
  void collect(Collected& out) const {
    if constexpr (binds) e.collect(out);
  }
};
template <bool Offset>
struct Limit {
  static constexpr bool cacheable = true;
  Val<std::int64_t> n;
  [[gnu::cold]] static athanor::Select step(const void* c, const athanor::Select& s, Builder& b) {
    auto v = static_cast<const Limit*>(c)->n.to_core(b);
    return Offset ? s.offset(std::move(v)) : s.limit(std::move(v));
  }
  void collect(Collected& out) const { n.collect(out); }
};
struct Distinct {
  static constexpr bool cacheable = true;
  static constexpr bool binds = false;
  [[gnu::cold]] static athanor::Select step(const void*, const athanor::Select& s, Builder&) { return s.distinct(); }
  void collect(Collected&) const {}
};
struct ForUpdate {
  static constexpr bool cacheable = true;
  static constexpr bool binds = false;
  [[gnu::cold]] static athanor::Select step(const void*, const athanor::Select& s, Builder&) { return s.with_for_update(); }
  void collect(Collected&) const {}
};
/// JOIN of a FROM item: `Src` is a StaticSource (model, alias) or a Subquery.
template <class Src, class On, int Flags>
struct Join {
  static constexpr bool cacheable = On::cacheable;
  static constexpr bool binds = collects<Src> || collects<On>;
  Src src;
  On on;
  [[gnu::cold]] static athanor::Select step(const void* c, const athanor::Select& s, Builder& b) {
    const auto& j = *static_cast<const Join*>(c);
    auto f = j.src.from(b);
    return Flags ? s.outerjoin(f, step_of<On>(&j.on, b)) : s.join(f, step_of<On>(&j.on, b));
  }
  void collect(Collected& out) const {
    if constexpr (collects<Src>) src.collect(out);
    if constexpr (collects<On>) on.collect(out);
  }
};
template <class Src>
struct SelectFrom {
  static constexpr bool cacheable = true;
  static constexpr bool binds = collects<Src>;
  Src src;
  [[gnu::cold]] static athanor::Select step(const void* c, const athanor::Select& s, Builder& b) {
    return s.select_from(static_cast<const SelectFrom*>(c)->src.from(b));
  }
  void collect(Collected& out) const {
    if constexpr (binds) src.collect(out);
  }
};
/// `correlate<M…>()`: a subquery may name models of the statement around it (their FROM
/// items stay outside); nothing to add to the SQL, the compiler correlates them.
template <class... M>
struct Correlate {
  static constexpr bool cacheable = true;
  static constexpr bool binds = false;
  [[gnu::cold]] static athanor::Select step(const void*, const athanor::Select& s, Builder&) { return s; }
  void collect(Collected&) const {}
};

/// The steps of a select list and an ORDER BY / GROUP BY list (ListOperands).
template <class Nullable, class... E>
inline constexpr ColumnsStep columns_step<TupleColumns<Nullable, E...>> =
    &ListOperands<std::index_sequence_for<E...>, E...>::template columns<TupleColumns<Nullable, E...>>;
template <class Tag, class... E>
inline constexpr SelectStep clause_step<List<Tag, E...>> = &ListOperands<std::index_sequence_for<E...>, E...>::template terms<List<Tag, E...>>;

}  // namespace athanor::orm::detail
