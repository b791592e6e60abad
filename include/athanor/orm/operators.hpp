// athanor/orm/operators.hpp — the operators of typed expressions: comparison (== != < <= > >=),
// logic (&& || !) and arithmetic (+ - * / %, + also joining two texts; Decimal kept exact).
// Each checks its operands with a named constexpr bool and a static_assert that says what is
// wrong (STYLE.md rule 8). Included by expr.hpp.
#pragma once

#include <athanor/orm/expr_methods.hpp>

namespace athanor::orm {

#define ATHANOR_ORM_COMPARE(OP, SQL)                                                                          \
  template <class L, class R>                                                                                 \
    requires(TypedExpr<std::remove_cvref_t<L>> || TypedExpr<std::remove_cvref_t<R>>)                         \
  auto operator OP(L&& l, R&& r) {                                                                            \
    constexpr bool ok = detail::can_compare<L, R>;                                                            \
    constexpr bool dec = detail::is_decimal<detail::operand_t<L>> || detail::is_decimal<detail::operand_t<R>>; \
    static_assert(ok || dec,                                                                                  \
                  "athanor: cannot compare values of these two types (a column of int with a std::string?); " \
                  "compare a column with a value or column of its own type, or use is_null() for NULL");      \
    static_assert(ok || !dec,                                                                                 \
                  "athanor: cannot compare a Decimal with this type; compare it with a Decimal "              \
                  "(c<&Item::price> > Decimal{\"9.99\"}) or an integer (a double is inexact, text no number)"); \
    if constexpr (ok) {                                                                                       \
      if constexpr (TypedExpr<std::remove_cvref_t<L>>) {                                                      \
        using T = detail::value_t<L>;                                                                         \
        auto rr = operand<T>(std::forward<R>(r));                                                             \
        return Node<op::compare<SQL>, bool, std::remove_cvref_t<L>, decltype(rr)>{{}, {{{std::forward<L>(l)}, {std::move(rr)}}}}; \
      } else {                                                                                                \
        using T = detail::value_t<R>;                                                                         \
        auto ll = operand<T>(std::forward<L>(l));                                                             \
        return Node<op::compare<SQL>, bool, decltype(ll), std::remove_cvref_t<R>>{{}, {{{std::move(ll)}, {std::forward<R>(r)}}}}; \
      }                                                                                                       \
    }                                                                                                         \
  }
ATHANOR_ORM_COMPARE(==, op::eq)
ATHANOR_ORM_COMPARE(!=, op::ne)
ATHANOR_ORM_COMPARE(<, op::lt)
ATHANOR_ORM_COMPARE(<=, op::le)
ATHANOR_ORM_COMPARE(>, op::gt)
ATHANOR_ORM_COMPARE(>=, op::ge)
#undef ATHANOR_ORM_COMPARE

#define ATHANOR_ORM_LOGICAL(OP, SQL)                                                                          \
  template <class L, class R>                                                                                 \
    requires(TypedExpr<std::remove_cvref_t<L>> || TypedExpr<std::remove_cvref_t<R>>)                         \
  auto operator OP(L&& l, R&& r) {                                                                            \
    constexpr bool ok = detail::BoolExpr<std::remove_cvref_t<L>> && detail::BoolExpr<std::remove_cvref_t<R>>; \
    static_assert(ok, "athanor: && and || join conditions (comparisons, like, in_…), not values or columns"); \
    if constexpr (ok) {                                                                                       \
      return Node<op::logical<SQL>, bool, std::remove_cvref_t<L>, std::remove_cvref_t<R>>{{}, {{{std::forward<L>(l)}, {std::forward<R>(r)}}}}; \
    }                                                                                                         \
  }
ATHANOR_ORM_LOGICAL(&&, op::and_)
ATHANOR_ORM_LOGICAL(||, op::or_)
#undef ATHANOR_ORM_LOGICAL

/// `NOT e` of a condition.
template <TypedExpr E>
auto operator!(const E& e) {
  static_assert(detail::BoolExpr<E>, "athanor: ! negates a condition, not a value or column");
  return Node<op::not_, bool, E>{{}, {e}};
}

#define ATHANOR_ORM_ARITH(OP, SQL)                                                                            \
  template <class L, class R>                                                                                 \
    requires(TypedExpr<std::remove_cvref_t<L>> || TypedExpr<std::remove_cvref_t<R>>)                         \
  auto operator OP(L&& l, R&& r) {                                                                            \
    using A = detail::operand_t<L>;                                                                           \
    using B = detail::operand_t<R>;                                                                           \
    constexpr bool text = SQL[0] == '+' && detail::is_text<A> && detail::is_text<B>;                          \
    constexpr bool ok = text || (detail::is_numeric<A> && detail::is_numeric<B>);                             \
    static_assert(ok, "athanor: arithmetic needs numbers on both sides (+ also joins two texts)");            \
    constexpr bool dec = !text && (detail::is_decimal<A> || detail::is_decimal<B>);                           \
    constexpr bool exact = !ok || !dec || (!std::is_floating_point_v<detail::strip_optional_t<A>> &&          \
                                           !std::is_floating_point_v<detail::strip_optional_t<B>> && SQL[0] != '%'); \
    static_assert(exact, "athanor: Decimal arithmetic (+ - * /) takes Decimals and integers "                 \
                         "(c<&Item::price> * 2, c<&Item::price> * Decimal{\"1.10\"}); a double would make it inexact"); \
    if constexpr (ok && exact) {                                                                              \
      using T = typename detail::arith_result<A, B, text ? 1 : dec ? 2 : 0>::type;                            \
      auto ll = operand<A>(std::forward<L>(l));                                                               \
      auto rr = operand<B>(std::forward<R>(r));                                                               \
      using K = std::conditional_t<text, op::concat, std::conditional_t<dec && SQL[0] == '/', op::decimal_divide, op::arith<SQL>>>; \
      return Node<K, T, decltype(ll), decltype(rr)>{{}, {{{std::move(ll)}, {std::move(rr)}}}};                            \
    }                                                                                                         \
  }
ATHANOR_ORM_ARITH(+, op::plus)
ATHANOR_ORM_ARITH(-, op::minus)
ATHANOR_ORM_ARITH(*, op::times)
ATHANOR_ORM_ARITH(/, op::divide)
ATHANOR_ORM_ARITH(%, op::modulo)
#undef ATHANOR_ORM_ARITH

}  // namespace athanor::orm
