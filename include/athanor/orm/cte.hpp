// athanor/orm/cte.hpp — typed common table expressions (included by select.hpp):
// `stmt.cte<"name">()` is a FROM item with typed columns (`t.c<0>()`, `t.c<&M::member>()`)
// that the statement's WITH clause defines once; `cte<"t">(orm::recursive)` plus
// `t.union_all(step)` is a WITH RECURSIVE. The bodies are in the type: compiled once.
#pragma once

#include <memory>       // std::shared_ptr
#include <string>       // std::string
#include <string_view>  // std::string_view

#include <athanor/orm/compound.hpp>

namespace athanor::orm {

namespace detail {
/// The Core body of a CTE: a select of columns names them c0, c1… (the WITH clause lists
/// them: `WITH t (c0, c1) AS (…)`); a compound names them itself.
template <class S>
athanor::Select cte_body(const S& s, Builder& b) {
  if constexpr (is_typed_select<S> && is_tuple<typename S::result_type>) return label_columns(s.to_core(b));
  else return s.to_core(b);
}
template <class S, class Step>
struct cte_row {
  using type = merge_rows_t<typename S::result_type, typename Step::result_type>;
};
template <class S>
struct cte_row<S, void> {
  using type = typename S::result_type;
};
}  // namespace detail

/// A common table expression: `S` its body (a typed select or compound), `Name` its name,
/// `Recursive` whether it is the anchor of a WITH RECURSIVE, `Step` (with `Op`: 1 UNION ALL,
/// 0 UNION) the recursive step once added. Select its columns, `join(t, on)` or
/// `select_from(t)` it; the statement's WITH clause defines it once, before the CTEs that read it.
/// **Example** (a manager chain, with depth):
/// ```
/// auto t = select(c<&Employee::id>, c<&Employee::name>, Val<std::int64_t>(0)).where(c<&Employee::manager_id>.is_null())
///              .cte<"chain">(orm::recursive);
/// auto chain = t.union_all(select(c<&Employee::id>, c<&Employee::name>, t.c<2>() + 1)
///                              .join(t, c<&Employee::manager_id> == t.c<0>()));
/// session.execute(select(chain.c<1>(), chain.c<2>()).select_from(chain));
/// ```
template <class S, detail::fixed_string Name, bool Recursive, class Step, int Op>
class TypedCte {
 public:
  /// The FROM-item protocol (see Subquery): itself as `source`, the row type.
  ///@{
  using source = TypedCte;
  using result_type = typename detail::cte_row<S, Step>::type;
  ///@}
  /// What SubqueryCol asks of its source.
  struct select_type {
    /// Whether the CTE's SQL is the same whatever its values.
    static constexpr bool cacheable = S::cacheable && [] {
      if constexpr (std::is_void_v<Step>) return true;
      else return Step::cacheable;
    }();
  };
  static constexpr std::string_view name = Name.view();  ///< the name in WITH name AS (…)

  /// The CTE of `s` (TypedSelect::cte() makes it).
  explicit TypedCte(S s) : s_(std::make_shared<const S>(std::move(s))) {}
  /// Anchor `s` and recursive `step` (union_all() makes it; a null step: the anchor alone).
  TypedCte(std::shared_ptr<const S> s, std::shared_ptr<const Step> step) : s_(std::move(s)), step_(std::move(step)) {}

  /// A column: `c<I>()` (position in the select list) or `c<&M::member>()`.
  template <auto K>
  auto c() const {
    using Cols = std::remove_cvref_t<decltype(std::declval<const S&>().columns())>;
    constexpr std::size_t i = detail::position_of<result_type, Cols, K>();
    constexpr bool ok = i != detail::npos;
    static_assert(ok, "athanor: t.c<K>() takes the position of a column of the CTE (0 for the first) or a member its "
                      "select selects (c<&M::member>())");
    if constexpr (ok) {
      if constexpr (detail::is_tuple<result_type>) return SubqueryCol<TypedCte, i, std::tuple_element_t<i, result_type>>(*this);
      else return SubqueryCol<TypedCte, i, detail::value_of<K>>(*this);
    }
  }

  /// The recursive step, a select that names this CTE: `t.union_all(select(…t.c<0>()…).join(t, on))`.
  /// Its row type must agree with the anchor's, column by column (as in a union).
  template <class T>
  auto union_all(const T& step) const { return recurse<1>(step); }
  /// The step with UNION: rows already found are not added again (ends cycles).
  template <class T>
  auto union_(const T& step) const { return recurse<0>(step); }

  /// The Core FROM item, built at the first reference in the statement being built.
  FromClause from(detail::Builder& b) const {
    return b.source(&detail::type_key<TypedCte>, [&]() -> FromClause {
      if constexpr (std::is_void_v<Step>) {
        return detail::cte_body(*s_, b).cte(std::string(name), Recursive);
      } else {
        // The anchor's FROM item (which the step names) under the same name, its body
        // extended by the step: the WITH clause defines the name once, with both.
        athanor::Cte anchor(TypedCte<S, Name, Recursive>(s_, nullptr).from(b).node());
        athanor::Select step = step_->to_core(b);
        return Op == 1 ? anchor.union_all(step) : anchor.union_(step);
      }
    });
  }
  /// Its values, once per statement (at its first reference, as `from` numbered them).
  void collect(detail::Collected& out) const {
    if (!out.first(&detail::type_key<TypedCte>)) return;
    if constexpr (std::is_void_v<Step>) {
      s_->collect(out);
    } else {
      TypedCte<S, Name, Recursive>(s_, nullptr).collect(out);
      step_->collect(out);
    }
  }

 private:
  template <int StepOp, class T>
  auto recurse(const T& step) const {
    constexpr bool ok = Recursive && std::is_void_v<Step>;
    static_assert(ok, "athanor: t.union_all(step) adds the step of a recursive CTE, once: make the anchor with "
                      "stmt.cte<\"name\">(orm::recursive)");
    constexpr bool query = detail::is_typed_select<T>;
    static_assert(!ok || query, "athanor: the step of a recursive CTE is a typed select (orm::select(…)) that names the CTE");
    if constexpr (ok && query) {
      constexpr int bad = detail::row_mismatch<typename S::result_type, typename T::result_type>();
      static_assert(bad != -2, "athanor: recursive cte union_all(): the step has another number of columns than the anchor's");
      static_assert(bad != -3, "athanor: recursive cte union_all(): the step reads objects of another model than the anchor's (or objects beside columns)");
      static_assert(detail::column_agrees<bad, 0>, "athanor: recursive cte union_all(): column 0 of the step has another type than the anchor's (columns count from 0; a std::optional of the same type agrees; numbers of different C++ types are refused, not widened: cast one)");
      static_assert(detail::column_agrees<bad, 1>, "athanor: recursive cte union_all(): column 1 of the step has another type than the anchor's (columns count from 0; a std::optional of the same type agrees; numbers of different C++ types are refused, not widened: cast one)");
      static_assert(detail::column_agrees<bad, 2>, "athanor: recursive cte union_all(): column 2 of the step has another type than the anchor's (columns count from 0; a std::optional of the same type agrees; numbers of different C++ types are refused, not widened: cast one)");
      static_assert(detail::column_agrees<bad, 3>, "athanor: recursive cte union_all(): column 3 of the step has another type than the anchor's (columns count from 0; a std::optional of the same type agrees; numbers of different C++ types are refused, not widened: cast one)");
      static_assert(detail::column_agrees<bad, 4>, "athanor: recursive cte union_all(): column 4 of the step has another type than the anchor's (columns count from 0; a std::optional of the same type agrees; numbers of different C++ types are refused, not widened: cast one)");
      static_assert(detail::column_agrees<bad, 5>, "athanor: recursive cte union_all(): column 5 of the step has another type than the anchor's (columns count from 0; a std::optional of the same type agrees; numbers of different C++ types are refused, not widened: cast one)");
      static_assert(detail::column_agrees<bad, 6>, "athanor: recursive cte union_all(): column 6 of the step has another type than the anchor's (columns count from 0; a std::optional of the same type agrees; numbers of different C++ types are refused, not widened: cast one)");
      static_assert(detail::column_agrees<bad, 7>, "athanor: recursive cte union_all(): column 7 of the step has another type than the anchor's (columns count from 0; a std::optional of the same type agrees; numbers of different C++ types are refused, not widened: cast one)");
      static_assert(detail::column_agrees<bad, 8>, "athanor: recursive cte union_all(): column 8 of the step has another type than the anchor's (columns count from 0; a std::optional of the same type agrees; numbers of different C++ types are refused, not widened: cast one)");
      static_assert(detail::column_agrees<bad, 9>, "athanor: recursive cte union_all(): column 9 of the step has another type than the anchor's (columns count from 0; a std::optional of the same type agrees; numbers of different C++ types are refused, not widened: cast one)");
      static_assert(bad < 10, "athanor: recursive cte union_all(): a column past the tenth of the step has another type than the anchor's");
      if constexpr (bad == -1) return TypedCte<S, Name, true, T, StepOp>(s_, std::make_shared<const T>(step));
    }
  }

  std::shared_ptr<const S> s_;
  std::shared_ptr<const Step> step_;
};

}  // namespace athanor::orm
