// athanor/orm/label.hpp — `expr.label<"name">()`: a typed expression under a name (`AS name`
// in the select list), which ORDER BY and GROUP BY then write as that name, as SQLAlchemy's
// label references do. A subquery's labelled column is reachable by it: `sq.c<"name">()`.
#pragma once

#include <string>       // std::string
#include <string_view>  // std::string_view

#include <athanor/orm/expr.hpp>

namespace athanor::orm {

/// `e AS Name`, typed as e. Every reference to this label type in one statement is one Core
/// node (built once, through the Builder, as a subquery's FROM item is), so that the compiler
/// recognises the select list's label in ORDER BY / GROUP BY and writes its name there; its
/// values are collected once, at the first reference. A statement therefore holds one
/// expression per label type: two labels of the same name and expression type are one.
/// **Example**:
/// ```
/// auto n = orm::count().label<"n">();
/// select(c<&Post::user_id>, n).group_by(c<&Post::user_id>).order_by(n.desc());  // … ORDER BY n DESC
/// ```
template <class E, detail::fixed_string Name>
struct Labelled : Methods<Labelled<E, Name>, typename E::value_type> {
  /// The TypedExpr protocol (`label_name`: Name, `e`: the expression).
  ///@{
  using value_type = typename E::value_type;
  using models = typename E::models;
  static constexpr bool cacheable = E::cacheable;
  static constexpr bool binds = detail::collects<E>;
  static constexpr std::string_view label_name = Name.view();
  E e;
  explicit Labelled(E x) : e(std::move(x)) {}
  Expr to_core(detail::Builder& b) const {
    return b.shared_expr(&detail::type_key<Labelled>, [&] { return e.to_core(b).label(std::string(label_name)); });
  }
  void collect(detail::Collected& out) const {
    if constexpr (binds)
      if (out.first(&detail::type_key<Labelled>)) e.collect(out);
  }
  ///@}
};
namespace detail {
template <class E, fixed_string Name>
inline constexpr bool has_window<Labelled<E, Name>> = has_window<E>;
}  // namespace detail

namespace detail {
/// The label of a result column type E, or "" when it has none.
template <class E>
constexpr std::string_view label_of() {
  if constexpr (requires { E::label_name; }) return E::label_name;
  else return {};
}
/// The position of the column labelled `name` among E…, or sizeof…(E).
template <class... E>
constexpr std::size_t find_label(std::string_view name, boost::mp11::mp_list<E...>) {
  constexpr std::string_view labels[] = {label_of<E>()..., {}};
  for (std::size_t i = 0; i < sizeof...(E); ++i)
    if (labels[i] == name) return i;
  return sizeof...(E);
}
}  // namespace detail

}  // namespace athanor::orm
