// athanor/orm/case.hpp — typed `case_(when(cond, v)…, else_(v))`, whose C++ type is the
// common type of its branches: all text → std::string, numbers → their common arithmetic
// type (Decimal with integers → Decimal), else one type throughout; std::optional when a
// branch is optional or there is no else_ (no branch taken gives NULL). Values are bound.
#pragma once

#include <string>       // std::string
#include <string_view>  // std::string_view
#include <type_traits>  // std::common_type_t
#include <utility>      // std::pair
#include <vector>       // std::vector

#include <athanor/orm/expr.hpp>

namespace athanor::orm {

namespace detail {
/// The C++ type a plain value has in the DSL: string literals and views are std::string.
template <class V>
using literal_t = std::conditional_t<std::is_convertible_v<std::decay_t<V>, std::string_view>, std::string, std::decay_t<V>>;
/// A value as a typed expression (bound, of its own type); a typed expression as itself.
template <class V>
auto lift(V&& v) {
  if constexpr (TypedExpr<std::remove_cvref_t<V>>) return std::remove_cvref_t<V>(std::forward<V>(v));
  else return Val<literal_t<V>>(literal_t<V>(std::forward<V>(v)));
}
/// 1: one type throughout; 2: all text; 3: all numbers (no double beside a Decimal); 0: no common type.
template <class T0, class... T>
constexpr int branch_kind() {
  if constexpr ((std::is_same_v<strip_optional_t<T0>, strip_optional_t<T>> && ...)) return 1;
  else if constexpr (is_text<T0> && (is_text<T> && ...)) return 2;
  else if constexpr (is_numeric<T0> && (is_numeric<T> && ...)) {
    constexpr bool dec = is_decimal<T0> || (is_decimal<T> || ...);
    constexpr bool fp = std::is_floating_point_v<strip_optional_t<T0>> || (std::is_floating_point_v<strip_optional_t<T>> || ...);
    return dec && fp ? 0 : 3;
  } else return 0;
}
template <int Kind, class T0, class... T>
struct branch_common { using type = strip_optional_t<T0>; };
template <class T0, class... T>
struct branch_common<2, T0, T...> { using type = std::string; };
template <class T0, class... T>
struct branch_common<3, T0, T...> {
  using type = typename std::conditional_t<is_decimal<T0> || (is_decimal<T> || ...), std::type_identity<Decimal>,
                                           std::common_type<strip_optional_t<T0>, strip_optional_t<T>...>>::type;
};
}  // namespace detail

/// One `WHEN cond THEN value` of a case_().
template <class C, class V>
struct When {
  /// The parts case_() reads: the value's type and models, the condition and the value.
  ///@{
  using value_type = typename V::value_type;
  using models = detail::merge<typename C::models, typename V::models>;
  static constexpr bool cacheable = C::cacheable && V::cacheable;
  C cond;
  V value;
  ///@}
};
/// The `ELSE value` of a case_().
template <class V>
struct Else {
  /// The parts case_() reads: the value's type and models, and the value.
  ///@{
  using value_type = typename V::value_type;
  using models = typename V::models;
  static constexpr bool cacheable = V::cacheable;
  V value;
  ///@}
};

namespace detail {
template <class B>
inline constexpr bool is_when = false;
template <class C, class V>
inline constexpr bool is_when<When<C, V>> = true;
template <class B>
inline constexpr bool is_else = false;
template <class V>
inline constexpr bool is_else<Else<V>> = true;
}  // namespace detail

/// `CASE WHEN … THEN … [ELSE …] END`, of C++ type R.
template <class R, class... B>
struct Case;
namespace detail {
template <class C, class V>
inline constexpr bool has_window<When<C, V>> = has_window<C> || has_window<V>;
template <class V>
inline constexpr bool has_window<Else<V>> = has_window<V>;
template <class R, class... B>
inline constexpr bool has_window<Case<R, B...>> = (has_window<B> || ...);
}  // namespace detail

template <class R, class... B>
struct Case : Methods<Case<R, B...>, R> {
  /// The TypedExpr protocol (`branches`: the WHEN and ELSE parts).
  ///@{
  using value_type = R;
  using models = boost::mp11::mp_fold<boost::mp11::mp_list<typename B::models...>, boost::mp11::mp_list<>, detail::merge>;
  static constexpr bool cacheable = (B::cacheable && ...);
  detail::Pack<B...> branches;
  explicit Case(B... b) : branches{{{std::move(b)}...}} {}
  Expr to_core(detail::Builder& b) const {
    std::vector<std::pair<Expr, Expr>> whens;
    Expr otherwise;
    branches.apply([&](const auto&... x) {
      (
          [&] {
            if constexpr (detail::is_when<std::remove_cvref_t<decltype(x)>>) {
              Expr c = x.cond.to_core(b);  // in slot order: the condition, then its value
              whens.emplace_back(std::move(c), x.value.to_core(b));
            } else {
              otherwise = x.value.to_core(b);
            }
          }(),
          ...);
    });
    return athanor::case_(std::move(whens), std::move(otherwise));
  }
  void collect(detail::Collected& out) const {
    branches.apply([&](const auto&... x) {
      (
          [&] {
            if constexpr (detail::is_when<std::remove_cvref_t<decltype(x)>>) x.cond.collect(out), x.value.collect(out);
            else x.value.collect(out);
          }(),
          ...);
    });
  }
  ///@}
};

/// `WHEN condition THEN value` (a value is bound; a typed expression is written as itself).
/// **Example**: `orm::when(c<&User::age> < 18, "minor")`
template <class C, class V>
auto when(C cond, V&& value) {
  constexpr bool ok = detail::BoolExpr<C>;
  static_assert(ok, "athanor: when(condition, value) takes a condition first (orm::when(c<&User::age> < 18, \"minor\"))");
  if constexpr (ok) {
    auto v = detail::lift(std::forward<V>(value));
    return When<C, decltype(v)>{std::move(cond), std::move(v)};
  }
}
/// `ELSE value`, the last argument of case_().
template <class V>
auto else_(V&& value) {
  auto v = detail::lift(std::forward<V>(value));
  return Else<decltype(v)>{std::move(v)};
}

/// `CASE WHEN c1 THEN v1 … [ELSE e] END`, typed as the common type of its branches.
/// **Example**:
/// `select(c<&User::name>, orm::case_(orm::when(c<&User::age> < 18, "minor"), orm::else_("adult")))`
/// reads std::tuple<std::string, std::string>; without else_, std::optional<std::string>.
template <class... B>
auto case_(B... b) {
  constexpr bool shape = [] {
    constexpr std::size_t n = sizeof...(B);
    constexpr bool whens[] = {detail::is_when<B>..., false};
    constexpr bool elses[] = {detail::is_else<B>..., false};
    if (n == 0) return false;
    for (std::size_t i = 0; i + 1 < n; ++i)
      if (!whens[i]) return false;
    return whens[n - 1] || (elses[n - 1] && n > 1);
  }();
  static_assert(shape, "athanor: case_() takes when(condition, value)… and at most one else_(value), last "
                       "(orm::case_(orm::when(c<&User::age> < 18, \"minor\"), orm::else_(\"adult\")))");
  if constexpr (shape) {
    constexpr int kind = detail::branch_kind<typename B::value_type...>();
    static_assert(kind != 0, "athanor: case_() branches must have one type (all text, all numbers, or the same type; "
                             "a Decimal beside integers only); orm::cast<T>() a branch to make them agree");
    if constexpr (kind != 0) {
      using T = typename detail::branch_common<kind, typename B::value_type...>::type;
      constexpr bool optional = !(detail::is_else<B> || ...) || (is_nullable_v<typename B::value_type> || ...);
      using R = std::conditional_t<optional, std::optional<T>, T>;
      return Case<R, B...>(std::move(b)...);
    }
  }
}

}  // namespace athanor::orm
