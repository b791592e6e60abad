// athanor/orm/compound.hpp — typed set operations (included by select.hpp): `union_(a, b)`,
// `a.union_all(b)`, `intersect`, `intersect_all`, `except_`, `except_all` of typed selects
// whose row types agree, with the compound's own ORDER BY / LIMIT / OFFSET over its result
// columns (`cmp.c<1>().desc()`). The parts are in the type: compiled once per type and dialect.
#pragma once

#include <array>    // std::array
#include <cstddef>  // std::size_t
#include <memory>   // std::shared_ptr
#include <string>   // std::string, std::to_string

#include <athanor/orm/select.hpp>

namespace athanor::orm {

namespace detail {
template <class X>
inline constexpr bool is_compound = false;
template <int Op, class L, class R, class... C>
inline constexpr bool is_compound<TypedCompound<Op, L, R, C...>> = true;
/// What a set operation takes: a typed select or a compound of them.
template <class X>
inline constexpr bool is_query = is_typed_select<X> || is_compound<X>;

/// The SQL of each operator, by the `Op` of TypedCompound.
inline constexpr const char* set_op_sql[] = {"UNION", "UNION ALL", "INTERSECT", "INTERSECT ALL", "EXCEPT", "EXCEPT ALL"};

/// Whether rows of type B may follow rows of type A in one compound: -1 when they agree, -2
/// for another number of columns, -3 for objects of another model (or objects beside columns),
/// else the position of the first column whose C++ type differs. std::optional<T> agrees with
/// T; numbers of different C++ types do not (the servers would widen them, a guess we refuse).
template <class A, class B>
constexpr int row_mismatch() {
  if constexpr (is_tuple<A> && is_tuple<B>) {
    if constexpr (std::tuple_size_v<A> != std::tuple_size_v<B>) {
      return -2;
    } else {
      return []<std::size_t... I>(std::index_sequence<I...>) {
        int bad = -1;
        ((bad < 0 && !std::is_same_v<strip_optional_t<std::tuple_element_t<I, A>>, strip_optional_t<std::tuple_element_t<I, B>>>
              ? (bad = static_cast<int>(I))
              : 0),
         ...);
        return bad;
      }(std::make_index_sequence<std::tuple_size_v<A>>{});
    }
  } else if constexpr (!is_tuple<A> && !is_tuple<B> && std::is_same_v<A, B>) {
    return -1;
  } else {
    return -3;
  }
}
/// The row type of a compound: a column is std::optional when it is in any part (a NULL may
/// come from that part); objects stay objects.
template <class A, class B>
using merge_column_t = std::conditional_t<is_nullable_v<A> || is_nullable_v<B>, std::optional<strip_optional_t<A>>, A>;
template <class A, class B>
struct merge_rows {
  using type = A;
};
template <class... A, class... B>
struct merge_rows<std::tuple<A...>, std::tuple<B...>> {
  using type = std::tuple<merge_column_t<A, B>...>;
};
template <class A, class B>
using merge_rows_t = typename merge_rows<A, B>::type;

/// The two parts of a compound, held by value (a select of numbers is trivially copied).
template <class L, class R>
struct CompoundParts {
  L l;
  R r;
};
/// The Core compound `l <op> r` (op: set_op_sql's position), then `n` clauses (steps[i]
/// reads clauses[i]): one compiled function for every compound type (see SelectStep).
ATHANOR_DECL athanor::Select build_compound(const athanor::Select& l, const athanor::Select& r, int op, Builder& b,
                                           const SelectStep* steps, const void* const* clauses, std::size_t n);
#if ATHANOR_DEFINITIONS
ATHANOR_DECL athanor::Select build_compound(const athanor::Select& l, const athanor::Select& r, int op, Builder& b,
                                           const SelectStep* steps, const void* const* clauses, std::size_t n) {
  athanor::Select s;
  switch (op) {
    case 0: s = l.union_(r); break;
    case 1: s = l.union_all(r); break;
    case 2: s = l.intersect(r); break;
    case 3: s = l.intersect_all(r); break;
    case 4: s = l.except_(r); break;
    default: s = l.except_all(r); break;
  }
  for (std::size_t i = 0; i < n; ++i) s = steps[i](clauses[i], s, b);
  return s;
}
#endif
template <int Op, class L, class R, class... C>
struct outer_models<TypedCompound<Op, L, R, C...>> {
  using type = boost::mp11::mp_list<>;
};

/// The position of column K (`c<I>()` or `c<&M::member>()`) in rows of type R whose columns
/// `cols` lists (a TupleColumns), or npos.
inline constexpr std::size_t npos = static_cast<std::size_t>(-1);
template <class R, class Cols, auto K>
constexpr std::size_t position_of() {
  if constexpr (std::is_integral_v<decltype(K)>) {
    if constexpr (is_tuple<R>) return std::cmp_less_equal(0, K) && std::cmp_less(K, std::tuple_size_v<R>) ? std::size_t(K) : npos;
    else return npos;
  } else if constexpr (is_tuple<R>) {
    constexpr std::size_t i = boost::mp11::mp_find<typename column_list<Cols>::type, Col<K>>::value;
    return i < std::tuple_size_v<R> ? i : npos;
  } else {
    return std::is_same_v<model_of<K>, R> ? std::size_t(column_index<K>) : npos;
  }
}
/// The select list labelled c0, c1… (expressions have no name of their own): how a compound's
/// ORDER BY, a CTE's column list and a subquery's columns refer to them, on every server.
inline athanor::Select label_columns(const athanor::Select& s) {
  auto n = std::make_shared<athanor::detail::SelectNode>(s.node());
  for (std::size_t i = 0; i < n->columns.size(); ++i) n->columns[i] = n->columns[i].label("c" + std::to_string(i));
  return athanor::Select(std::move(n));
}
/// The Core select of a part; `inner`: inside another statement (correlates nothing), `label`:
/// the first select of the compound, which names the result columns.
template <class P>
athanor::Select part_core(const P& p, Builder& b, bool inner, bool label) {
  if constexpr (is_compound<P>) {
    return p.build(b, inner, label);
  } else {
    athanor::Select s = inner ? inner_select(p, b) : p.to_core(b);
    if constexpr (is_tuple<typename P::result_type>) return label ? label_columns(s) : s;
    else return s;
  }
}
}  // namespace detail

/// A column of a compound's result, `cmp.c<1>()`: its name (c1, or the member's column for a
/// compound of objects), unqualified as a compound's ORDER BY wants it.
template <class Tag, std::size_t I, class T, auto Pm = 0>
struct CompoundCol : Methods<CompoundCol<Tag, I, T, Pm>, T> {
  /// The TypedExpr protocol.
  ///@{
  using value_type = T;
  using models = boost::mp11::mp_list<Tag>;
  static constexpr bool cacheable = true;
  Expr to_core(detail::Builder&) const {
    if constexpr (std::is_integral_v<decltype(Pm)>) return Expr::make(athanor::detail::ExprKind::column, {}, "c" + std::to_string(I), {});
    else return Expr::make(athanor::detail::ExprKind::column, {}, std::string(detail::column_name<Pm>()), {});
  }
  void collect(detail::Collected&) const {}
  ///@}
};

/// `L <op> R` of typed selects (or compounds), op one of detail::set_op_sql; `Clauses`: the
/// compound's own ORDER BY, LIMIT and OFFSET. Rows are std::tuple (a column std::optional when
/// it is in any part) or objects of one model. Chains keep Core's left-to-right meaning:
/// `a.union_(b).intersect(c)` is (A UNION B) INTERSECT C on every server.
/// **Example**:
/// ```
/// auto names = orm::union_(select(c<&User::name>), select(c<&Tag::label>));
/// session.execute(names.order_by(names.c<0>().desc()).limit(3));  // Rows<std::tuple<std::string>>
/// ```
template <int Op, class L, class R, class... Clauses>
class TypedCompound {
 public:
  /// What its result columns name as their source, whatever clauses follow.
  using compound_tag = TypedCompound<Op, L, R>;
  /// The statement protocol (see TypedSelect); `Parts`: the two operands.
  ///@{
  using result_type = detail::merge_rows_t<typename L::result_type, typename R::result_type>;
  using from_models = boost::mp11::mp_list<>;
  static constexpr bool cacheable = L::cacheable && R::cacheable && (Clauses::cacheable && ...);
  static constexpr bool binds = detail::collects<L> || detail::collects<R> || (detail::collects<Clauses> || ...);
  static constexpr bool correlated = false;

  using Parts = detail::CompoundParts<L, R>;
  ///@}

  /// A result column: `c<I>()` by position, or `c<&M::member>()` as the first select names it.
  template <auto K>
  auto c() const {
    using Cols = std::remove_cvref_t<decltype(std::declval<const TypedCompound&>().columns())>;
    constexpr std::size_t i = detail::position_of<result_type, Cols, K>();
    constexpr bool ok = i != detail::npos;
    static_assert(ok, "athanor: cmp.c<K>() takes the position of a result column (0 for the first) or a member the "
                      "first select selects (c<&M::member>())");
    if constexpr (ok) {
      if constexpr (detail::is_tuple<result_type>) return CompoundCol<compound_tag, i, std::tuple_element_t<i, result_type>>{};
      else return CompoundCol<compound_tag, i, detail::value_of<K>, K>{};
    }
  }
  /// ORDER BY of the whole compound, over its result columns: `cmp.order_by(cmp.c<1>().desc())`.
  template <class... E>
  auto order_by(E... e) const {
    constexpr bool ok = ((TypedExpr<E> && detail::uses_only<boost::mp11::mp_list<compound_tag>, E>) && ...);
    static_assert(ok, "athanor: a compound's order_by() names its result columns (cmp.order_by(cmp.c<1>().desc())), "
                      "not the columns of its selects' models");
    if constexpr (ok) return Next<detail::List<detail::order_tag, E...>>{parts_, clauses_.append(detail::List<detail::order_tag, E...>{{{{static_cast<E&&>(e)}...}}})};
  }
  /// LIMIT of the whole compound.
  auto limit(std::int64_t n) const { return Next<detail::Limit<false>>{parts_, clauses_.append(detail::Limit<false>{Val<std::int64_t>(n)})}; }
  /// OFFSET of the whole compound.
  auto offset(std::int64_t n) const { return Next<detail::Limit<true>>{parts_, clauses_.append(detail::Limit<true>{Val<std::int64_t>(n)})}; }

  /// This compound, then another set operation with `b` (left to right: (this) UNION b).
  ///@{
  template <class B>
  auto union_(const B& b) const { return detail::set_op<0>(*this, b); }
  template <class B>
  auto union_all(const B& b) const { return detail::set_op<1>(*this, b); }
  template <class B>
  auto intersect(const B& b) const { return detail::set_op<2>(*this, b); }
  template <class B>
  auto intersect_all(const B& b) const { return detail::set_op<3>(*this, b); }
  template <class B>
  auto except_(const B& b) const { return detail::set_op<4>(*this, b); }
  template <class B>
  auto except_all(const B& b) const { return detail::set_op<5>(*this, b); }

  ///@}
  /// The compound as a FROM item named `Name` with typed columns (see Subquery).
  template <detail::fixed_string Name>
  auto subquery() const { return Subquery<TypedCompound, Name>(*this); }
  /// The compound as a common table expression (see TypedSelect::cte).
  template <detail::fixed_string Name>
  auto cte() const { return TypedCte<TypedCompound, Name, false>(*this); }
  /// `(SELECT … UNION …)` of one column as a value, typed std::optional.
  auto scalar_subquery() const {
    static_assert(detail::one_column<result_type>, "athanor: scalar_subquery() takes a compound of one column");
    if constexpr (detail::one_column<result_type>) return ScalarSubquery<TypedCompound>(*this);
  }

  /// The statement protocol (see TypedSelect).
  ///@{
  athanor::Select to_core(detail::Builder& b) const { return build(b, false, true); }
  ///@}
  /// The Core compound; `inner`: used inside another statement; `label`: name the columns c0…
  athanor::Select build(detail::Builder& b, bool inner, bool label) const {
    const athanor::Select l = detail::part_core(parts_.l, b, inner, label);
    const athanor::Select r = detail::part_core(parts_.r, b, inner, false);
    const auto clauses = clauses_.parts(nullptr);
    return detail::build_compound(l, r, Op, b, steps.data(), clauses.data() + 1, sizeof...(Clauses));
  }
  /// The statement protocol (see TypedSelect).
  ///@{
  void collect(detail::Collected& out) const {
    if constexpr (detail::collects<L>) parts_.l.collect(out);
    if constexpr (detail::collects<R>) parts_.r.collect(out);
    if constexpr ((detail::collects<Clauses> || ...)) clauses_.collect(out);
  }
  std::shared_ptr<const Compiled> compiled(const Dialect& d) const {
    return detail::compiled_sql(cacheable, detail::compile_cache<TypedCompound>, d, &detail::compile_erased<TypedCompound>, this);
  }
  Compiled compile(const Dialect& d) const {
    detail::Builder b;
    return d.compile(to_core(b).node());
  }
  ///@}
  /// Runs on a connection: every row as a `result_type`.
  Rows<result_type> run(athanor::detail::ConnectionImpl& c) const {
    return detail::run_rows<result_type>(c, detail::statement_run<TypedCompound>, this, detail::RowReader<result_type>{});
  }
  result_type read(driver::Statement& st) const { return detail::RowReader<result_type>{}.read(st); }  ///< Reads one row of a driver statement.
  /// The first select's columns (what `c<&M::member>()` and session.scalars() look at).
  const auto& columns() const { return parts_.l.columns(); }
  /// No loader options on a compound: session.scalars() loads the objects as such.
  const std::vector<LoadOption>& loaders() const {
    static const std::vector<LoadOption> none;
    return none;
  }

 private:
  /// The compound with clause C appended, built in place by order_by/limit/offset (no function
  /// of its own per step).
  template <class C>
  using Next = TypedCompound<Op, L, R, Clauses..., C>;
  /// How to add each clause to the Core compound (see detail::SelectStep).
  static constexpr std::array<detail::SelectStep, sizeof...(Clauses)> steps{detail::clause_step<Clauses>...};

 public:
  /// The compound's parts, for its own functions only: public, and no constructor, so that it
  /// is an aggregate built in place (see TypedSelect). Held by value: a compound of selects
  /// of numbers is trivially copied, and a clause step copies no shared pointer.
  Parts parts_;
  detail::Pack<Clauses...> clauses_;
};

namespace detail {
/// Whether column I agrees (row_mismatch gave another position, or -1). A named constant: the
/// diagnostic then shows our sentence without the comparison.
template <int Bad, int I>
inline constexpr bool column_agrees = Bad != I;
template <int Op, class A, class B>
auto set_op(const A& a, const B& b) {
  constexpr bool queries = is_query<A> && is_query<B>;
  static_assert(queries, "athanor: union_()/intersect()/except_() take typed selects (orm::select(…)) or compounds of them");
  if constexpr (queries) {
    constexpr int bad = row_mismatch<typename A::result_type, typename B::result_type>();
    // One assertion per position: the first line of the error says which column differs.
    static_assert(bad != -2, "athanor: union_()/intersect()/except_(): the second select has another number of columns than the first select's");
    static_assert(bad != -3, "athanor: union_()/intersect()/except_(): the second select reads objects of another model than the first select's (or objects beside columns)");
    static_assert(column_agrees<bad, 0>, "athanor: union_()/intersect()/except_(): column 0 of the second select has another type than the first select's (columns count from 0; a std::optional of the same type agrees; numbers of different C++ types are refused, not widened: cast one)");
    static_assert(column_agrees<bad, 1>, "athanor: union_()/intersect()/except_(): column 1 of the second select has another type than the first select's (columns count from 0; a std::optional of the same type agrees; numbers of different C++ types are refused, not widened: cast one)");
    static_assert(column_agrees<bad, 2>, "athanor: union_()/intersect()/except_(): column 2 of the second select has another type than the first select's (columns count from 0; a std::optional of the same type agrees; numbers of different C++ types are refused, not widened: cast one)");
    static_assert(column_agrees<bad, 3>, "athanor: union_()/intersect()/except_(): column 3 of the second select has another type than the first select's (columns count from 0; a std::optional of the same type agrees; numbers of different C++ types are refused, not widened: cast one)");
    static_assert(column_agrees<bad, 4>, "athanor: union_()/intersect()/except_(): column 4 of the second select has another type than the first select's (columns count from 0; a std::optional of the same type agrees; numbers of different C++ types are refused, not widened: cast one)");
    static_assert(column_agrees<bad, 5>, "athanor: union_()/intersect()/except_(): column 5 of the second select has another type than the first select's (columns count from 0; a std::optional of the same type agrees; numbers of different C++ types are refused, not widened: cast one)");
    static_assert(column_agrees<bad, 6>, "athanor: union_()/intersect()/except_(): column 6 of the second select has another type than the first select's (columns count from 0; a std::optional of the same type agrees; numbers of different C++ types are refused, not widened: cast one)");
    static_assert(column_agrees<bad, 7>, "athanor: union_()/intersect()/except_(): column 7 of the second select has another type than the first select's (columns count from 0; a std::optional of the same type agrees; numbers of different C++ types are refused, not widened: cast one)");
    static_assert(column_agrees<bad, 8>, "athanor: union_()/intersect()/except_(): column 8 of the second select has another type than the first select's (columns count from 0; a std::optional of the same type agrees; numbers of different C++ types are refused, not widened: cast one)");
    static_assert(column_agrees<bad, 9>, "athanor: union_()/intersect()/except_(): column 9 of the second select has another type than the first select's (columns count from 0; a std::optional of the same type agrees; numbers of different C++ types are refused, not widened: cast one)");
    static_assert(bad < 10, "athanor: union_()/intersect()/except_(): a column past the tenth of the second select has another type than the first select's");
    if constexpr (bad == -1) return TypedCompound<Op, A, B>{{a, b}, {}};
  }
}
}  // namespace detail

/// `a UNION b` (distinct rows). **Example**: `orm::union_(select(c<&User::name>), select(c<&Tag::label>))`
template <class A, class B>
auto union_(const A& a, const B& b) { return detail::set_op<0>(a, b); }
/// `a UNION ALL b` (every row of both).
template <class A, class B>
auto union_all(const A& a, const B& b) { return detail::set_op<1>(a, b); }
/// `a INTERSECT b` (distinct rows in both).
template <class A, class B>
auto intersect(const A& a, const B& b) { return detail::set_op<2>(a, b); }
/// `a INTERSECT ALL b`: an ArgumentError on dialects without it (SQLite).
template <class A, class B>
auto intersect_all(const A& a, const B& b) { return detail::set_op<3>(a, b); }
/// `a EXCEPT b` (distinct rows of a not in b).
template <class A, class B>
auto except_(const A& a, const B& b) { return detail::set_op<4>(a, b); }
/// `a EXCEPT ALL b`: an ArgumentError on dialects without it (SQLite).
template <class A, class B>
auto except_all(const A& a, const B& b) { return detail::set_op<5>(a, b); }
using athanor::union_;
using athanor::union_all;
/// `EXISTS (SELECT … UNION …)`.
template <int Op, class L, class R, class... C>
auto exists(const TypedCompound<Op, L, R, C...>& cmp) {
  return Exists<TypedCompound<Op, L, R, C...>>(cmp);
}

}  // namespace athanor::orm

#include <athanor/orm/cte.hpp>
