// athanor/orm/subquery.hpp — typed selects inside statements (included by select.hpp):
// `exists(…)`, `c<&User::id>.in_(select(…))`, `scalar_subquery()`, `subquery<"name">()` (a
// FROM item with typed columns). The inner select is part of the outer statement's type, so
// the SQL still compiles once per type and dialect; only its values are collected per run.
#pragma once

#include <cstddef>      // std::size_t
#include <memory>       // std::shared_ptr
#include <string>       // std::string, std::to_string
#include <string_view>  // std::string_view
#include <utility>      // std::cmp_less

#include <athanor/orm/select.hpp>

namespace athanor::orm {

namespace detail {
/// The models of the enclosing statement a select names (its correlate<…>() lists): what a
/// subquery expression asks of the statement it stands in.
template <class C>
struct outer_of {
  using type = boost::mp11::mp_list<>;
};
template <class... M>
struct outer_of<Correlate<M...>> {
  using type = boost::mp11::mp_list<M...>;
};
template <class S>
struct outer_models;
template <class R, class Cols, class From, class... C>
struct outer_models<TypedSelect<R, Cols, From, C...>> {
  using type = boost::mp11::mp_unique<boost::mp11::mp_append<boost::mp11::mp_list<>, typename outer_of<C>::type...>>;
};
template <class S>
using outer_models_t = typename outer_models<S>::type;

template <class R>
inline constexpr bool is_tuple = false;
template <class... T>
inline constexpr bool is_tuple<std::tuple<T...>> = true;
template <class C>
struct column_list;
template <class N, class... E>
struct column_list<TupleColumns<N, E...>> {
  using type = boost::mp11::mp_list<E...>;
};

inline bool has_from(const athanor::detail::FromNode& n, const athanor::detail::FromNode* x) {
  return &n == x || (n.kind == athanor::detail::FromNode::Kind::join && (has_from(*n.left, x) || has_from(*n.right, x)));
}
/// The Core select of a subquery expression. Its own models and aliases go in its FROM by
/// name, and it correlates exactly the correlate<…>() ones (Core's explicit correlate(), none
/// when there are none): left to itself, the compiler would correlate the tables the enclosing
/// select also reads (`posts.id IN (SELECT posts.id …)` inside a select of posts). A
/// correlate<…>() that leaves the subquery no FROM is an ArgumentError at compilation.
template <class S>
athanor::Select inner_select(const S& stmt, Builder& b) {
  if constexpr (requires { typename S::compound_tag; }) return stmt.build(b, true, false);  // each part so (compound.hpp)
  else {
  athanor::Select s = stmt.to_core(b);
  using Outer = outer_models_t<S>;
  s = [&]<class... O>(boost::mp11::mp_list<O...>) { return s.correlate(from_of<O>()...); }(Outer{});
  [&]<class... F>(boost::mp11::mp_list<F...>) {
    (
        [&] {
          if constexpr (Source<F> && !boost::mp11::mp_contains<Outer, F>::value) {
            const FromClause& f = from_of<F>();
            bool present = false;
            for (auto& x : s.node().froms) present = present || has_from(*x, f.node().get());
            if (!present) s = s.select_from(f);
          }
        }(),
        ...);
  }(typename S::from_models{});
  return s;
  }
}

/// The C++ type of a scalar subquery: its one column's, as std::optional.
template <class S>
using scalar_t = std::optional<strip_optional_t<std::tuple_element_t<0, typename S::result_type>>>;

/// `SELECT 1` of `exists<M>(…)`.
struct One : Methods<One, int> {
  using value_type = int;
  using models = boost::mp11::mp_list<>;
  static constexpr bool cacheable = true;
  Expr to_core(Builder&) const { return Expr::make(athanor::detail::ExprKind::raw, Integer{}, "1", {}); }
  void collect(Collected&) const {}
};
}  // namespace detail

/// `EXISTS (SELECT …)`, a condition.
template <class S>
struct Exists : Methods<Exists<S>, bool> {
  /// The TypedExpr protocol (`stmt`: the select).
  ///@{
  using value_type = bool;
  using models = detail::outer_models_t<S>;
  static constexpr bool cacheable = S::cacheable;
  S stmt;
  explicit Exists(S s) : stmt(std::move(s)) {}
  Expr to_core(detail::Builder& b) const { return athanor::exists(detail::inner_select(stmt, b)); }
  void collect(detail::Collected& out) const { stmt.collect(out); }
  ///@}
};

/// `EXISTS (select)`: correlated when the select names models of the outer statement.
/// **Example**:
/// `select<User>().where(exists(select(c<&Post::id>).correlate<User>().where(c<&Post::user_id> == c<&User::id>)))`
template <class R, class C, class F, class... K>
auto exists(const TypedSelect<R, C, F, K...>& stmt) {
  return Exists<TypedSelect<R, C, F, K...>>(stmt);
}
/// `EXISTS (SELECT 1 FROM m WHERE condition)`; the condition's other models correlate.
/// **Example**: `select<User>().where(!exists<Post>(c<&Post::user_id> == c<&User::id>))` (users without posts)
template <class M, class Cond>
  requires detail::Source<M>
auto exists(Cond cond) {
  constexpr bool ok = detail::BoolExpr<Cond>;
  static_assert(ok, "athanor: exists<M>(condition) takes a condition (exists<Post>(c<&Post::user_id> == c<&User::id>))");
  if constexpr (ok) {
    auto inner = [&]<class... Outer>(boost::mp11::mp_list<Outer...>) {
      return select(detail::One{}).template select_from<M>().template correlate<Outer...>();
    }(boost::mp11::mp_remove<typename Cond::models, M>{});
    return exists(inner.where(std::move(cond)));
  }
}
using athanor::exists;

/// `lhs [NOT] IN (SELECT …)`: `c<&User::id>.in_(select(c<&Post::user_id>))`.
template <class D, class S, bool Not>
struct InSelect : Methods<InSelect<D, S, Not>, bool> {
  /// The TypedExpr protocol (`lhs`: the tested expression, `stmt`: the select).
  ///@{
  using value_type = bool;
  using models = detail::merge<typename D::models, detail::outer_models_t<S>>;
  static constexpr bool cacheable = D::cacheable && S::cacheable;
  D lhs;
  S stmt;
  InSelect(D l, S s) : lhs(std::move(l)), stmt(std::move(s)) {}
  Expr to_core(detail::Builder& b) const {
    Expr l = lhs.to_core(b);
    auto s = detail::inner_select(stmt, b);
    return Not ? l.not_in(s) : l.in_(s);
  }
  void collect(detail::Collected& out) const { lhs.collect(out), stmt.collect(out); }
  ///@}
};

/// `(SELECT x …)` as a value of x's type; std::optional since no row gives NULL.
template <class S>
struct ScalarSubquery : Methods<ScalarSubquery<S>, detail::scalar_t<S>> {
  /// The TypedExpr protocol (`stmt`: the select).
  ///@{
  using value_type = detail::scalar_t<S>;
  using models = detail::outer_models_t<S>;
  static constexpr bool cacheable = S::cacheable;
  S stmt;
  explicit ScalarSubquery(S s) : stmt(std::move(s)) {}
  Expr to_core(detail::Builder& b) const { return detail::inner_select(stmt, b).scalar_subquery(); }
  void collect(detail::Collected& out) const { stmt.collect(out); }
  ///@}
};

/// Column I of a subquery, of C++ type T.
template <class Sq, std::size_t I, class T>
struct SubqueryCol : Methods<SubqueryCol<Sq, I, T>, T> {
  /// The TypedExpr protocol (`sq`: the subquery).
  ///@{
  using value_type = T;
  using models = boost::mp11::mp_list<Sq>;
  static constexpr bool cacheable = Sq::select_type::cacheable;
  static constexpr bool binds = detail::collects<Sq>;
  Sq sq;
  explicit SubqueryCol(Sq s) : sq(std::move(s)) {}
  Expr to_core(detail::Builder& b) const {
    auto f = sq.from(b);
    const auto& [name, type] = f.node()->columns[I];
    return f.unchecked_c(name, type);
  }
  void collect(detail::Collected& out) const {
    if constexpr (binds) sq.collect(out);
  }
  ///@}
};
namespace detail {
template <class Sq, std::size_t I, class T>
inline constexpr bool is_bare_column<SubqueryCol<Sq, I, T>> = true;
}

/// A select as a FROM item named `Name` (`(SELECT …) AS name`), from `stmt.subquery<"name">()`.
/// Its columns are typed: `sq.c<0>()` by position, `sq.c<&Post::user_id>()` by the column it
/// selects, `sq.c<"n">()` by its label (`count().label<"n">()`). Select them, join it (`join(sq, on)`) or `select_from(sq)`; a statement holds one
/// subquery of a given type (the name is in the type).
/// **Example**:
/// ```
/// auto counts = select(c<&Post::user_id>, count()).group_by(c<&Post::user_id>).subquery<"counts">();
/// select(c<&User::name>, counts.c<1>()).join(counts, c<&User::id> == counts.c<0>());
/// ```
template <class S, detail::fixed_string Name>
class Subquery {
 public:
  /// The FROM-item protocol read by the statements: itself as `source`, its select's type, its name.
  ///@{
  using source = Subquery;
  using select_type = S;
  static constexpr std::string_view name = Name.view();
  static constexpr bool binds = detail::collects<S>;
  ///@}
  /// Keeps `s`: by value when it is trivially copied (no string or list among its values: a
  /// statement of such subqueries is then trivially copied and destroyed too, and adds no copy
  /// constructor or destructor per type), else shared, so that copies of the subquery are cheap.
  explicit Subquery(S s) : s_(keep(std::move(s))) {}

  /// A column: `c<I>()` (position in the select list) or `c<&M::member>()`.
  template <auto K>
  auto c() const {
    using R = typename S::result_type;
    if constexpr (std::is_integral_v<decltype(K)>) {
      constexpr bool ok = [] {
        if constexpr (detail::is_tuple<R>) return std::cmp_less_equal(0, K) && std::cmp_less(K, std::tuple_size_v<R>);
        else return false;
      }();
      static_assert(ok, "athanor: sq.c<I>() takes the position of a column of a select of columns (0 for the first)");
      if constexpr (ok) return SubqueryCol<Subquery, std::size_t(K), std::tuple_element_t<std::size_t(K), R>>(*this);
    } else if constexpr (detail::is_tuple<R>) {
      using Cols = typename detail::column_list<std::remove_cvref_t<decltype(std::declval<const S&>().columns())>>::type;
      constexpr std::size_t i = boost::mp11::mp_find<Cols, Col<K>>::value;
      constexpr bool ok = i < std::tuple_size_v<R>;
      static_assert(ok, "athanor: sq.c<&M::member>() names a column the subquery does not select (or use sq.c<I>())");
      if constexpr (ok) return SubqueryCol<Subquery, i, std::tuple_element_t<i, R>>(*this);
    } else {
      constexpr bool ok = std::is_same_v<detail::model_of<K>, R>;
      static_assert(ok, "athanor: sq.c<&M::member>() names a member of another model than the subquery's select<M>()");
      if constexpr (ok) return SubqueryCol<Subquery, detail::column_index<K>, detail::value_of<K>>(*this);
    }
  }

  /// A labelled column: `c<"n">()` for a column selected as `expr.label<"n">()`.
  template <detail::fixed_string Label>
  auto c() const {
    using R = typename S::result_type;
    if constexpr (detail::is_tuple<R>) {
      using Cols = typename detail::column_list<std::remove_cvref_t<decltype(std::declval<const S&>().columns())>>::type;
      constexpr std::size_t i = detail::find_label(Label.view(), Cols{});
      constexpr bool ok = i < std::tuple_size_v<R>;
      static_assert(ok, "athanor: sq.c<\"label\">() names no labelled column of the subquery (label one with .label<\"n\">(), or use sq.c<I>())");
      if constexpr (ok) return SubqueryCol<Subquery, i, std::tuple_element_t<i, R>>(*this);
    } else {
      static_assert(detail::is_tuple<R>, "athanor: sq.c<\"label\">() names a labelled column of a select of columns");
    }
  }

  /// The Core FROM item, built at the first reference in the statement being built.
  FromClause from(detail::Builder& b) const {
    return b.source(&detail::type_key<Subquery>, [&] {
      athanor::Select inner = stmt_().to_core(b);
      if constexpr (detail::is_tuple<typename S::result_type>) {  // name the columns c0, c1… (expressions have none)
        auto n = std::make_shared<athanor::detail::SelectNode>(inner.node());
        for (std::size_t i = 0; i < n->columns.size(); ++i)  // a label keeps its name (sq.c<"n">())
          if (n->columns[i].node().kind != athanor::detail::ExprKind::label) n->columns[i] = n->columns[i].label("c" + std::to_string(i));
        inner = athanor::Select(std::move(n));
      }
      return FromClause(inner.subquery(std::string(name)));
    });
  }
  /// Its values, once per statement (at its first reference, as `from` numbered them).
  void collect(detail::Collected& out) const {
    if constexpr (binds)
      if (out.first(&detail::type_key<Subquery>)) stmt_().collect(out);
  }

 private:
  static constexpr bool by_value = std::is_trivially_copyable_v<S> && std::is_trivially_destructible_v<S>;
  static auto keep(S s) {
    if constexpr (by_value) return s;
    else return std::make_shared<const S>(std::move(s));
  }
  const S& stmt_() const {
    if constexpr (by_value) return s_;
    else return *s_;
  }
  std::conditional_t<by_value, S, std::shared_ptr<const S>> s_;
};

}  // namespace athanor::orm

#include <athanor/orm/compound.hpp>  // set operations, then CTEs (see select.hpp's end)
