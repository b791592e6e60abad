// athanor/orm/expr.hpp — the typed expression DSL: `c<&User::name>`, values, operators and
// functions as expression templates. Each type encodes the expression's shape; values live
// in the objects. The shape compiles once (through the Core compiler) per statement type and
// dialect; each execution only collects the values. Misuse fails with one sentence.
#pragma once

#include <boost/mp11/algorithm.hpp>
#include <boost/mp11/set.hpp>

#include <array>    // std::array
#include <cstddef>  // std::size_t
#include <string>   // std::string
#include <utility>  // std::pair
#include <vector>   // std::vector

#include <athanor/config.hpp>
#include <athanor/core/detail/json_array.hpp>
#include <athanor/core/functions.hpp>
#include <athanor/orm/detail/fixed_string.hpp>
#include <athanor/orm/detail/pack.hpp>
#include <athanor/orm/model.hpp>

namespace athanor::orm {

namespace detail {
/// Numbers the binds while the Core tree of a statement type is built (once), and keeps the
/// FROM items built on the way (subqueries, by type) so that every reference shares one.
struct Builder {
  int next_slot = 0;
  std::vector<std::pair<const void*, FromClause>> sources;
  /// Building a Core tree to hand to Core (`orm::core(e)`): binds keep their value and take
  /// no slot, as Core binds (a slot would point into another statement's values).
  bool for_core = false;
  Builder() = default;
  explicit Builder(int first_slot) : next_slot(first_slot) {}
  Expr bind(Value v) {
    auto e = Expr::make_bind(std::move(v));
    if (e.node().kind != athanor::detail::ExprKind::bind) e = Expr::make(athanor::detail::ExprKind::bind, SqlType{}, "", {});
    if (!for_core) const_cast<athanor::detail::ExprNode&>(e.node()).flags = ++next_slot;
    return e;
  }
  /// The FROM item of key `k`, made by `make()` on its first reference in the statement.
  template <class F>
  FromClause source(const void* k, F&& make) {
    for (auto& [key, from] : sources)
      if (key == k) return from;
    FromClause f = make();
    sources.emplace_back(k, f);
    return f;
  }
  /// The Core expression of key `k` (a labelled expression, by type), made by `make()` on its
  /// first reference: the select list and ORDER BY / GROUP BY then hold the same node, which
  /// the compiler writes as the label's name there.
  std::vector<std::pair<const void*, Expr>> shared;
  template <class F>
  Expr shared_expr(const void* k, F&& make) {
    for (auto& [key, e] : shared)
      if (key == k) return e;
    Expr e = make();
    shared.emplace_back(k, e);
    return e;
  }
};
/// The values of one execution, in slot order. A subquery referenced twice (a column and
/// its join) gives its values once, at its first reference, as the Builder numbered them.
struct Collected : std::vector<Value> {
  std::vector<const void*> seen;
  /// While a statement is prepared (orm/prepared.hpp): the positions of its `param<T>()`
  /// placeholders, in order of appearance. Null otherwise: a placeholder then has no value.
  std::vector<std::size_t>* params = nullptr;
  bool first(const void* k) {
    for (auto* s : seen)
      if (s == k) return false;
    seen.push_back(k);
    return true;
  }
};
/// The Core trees of typed operands (a node's arguments, a select list), built by one compiled
/// loop: each operand type contributes a pointer to its to_core. An inlined
/// `std::vector<Expr>{e.to_core(b)...}` per expression shape was the largest single share of the
/// code -O2 optimised for each statement (its copies, destructors and unwinding), for a tree
/// built once per statement type and dialect (so the steps are cold: optimised for size).
using ExprStep = Expr (*)(const void* e, Builder& b);
template <class E>
[[gnu::cold]] Expr expr_step(const void* e, Builder& b) {
  return static_cast<const E*>(e)->to_core(b);
}
ATHANOR_DECL std::vector<Expr> build_exprs(Builder& b, const ExprStep* steps, const void* const* parts, std::size_t n);
#if ATHANOR_DEFINITIONS
ATHANOR_DECL std::vector<Expr> build_exprs(Builder& b, const ExprStep* steps, const void* const* parts, std::size_t n) {
  std::vector<Expr> out;
  out.reserve(n);
  for (std::size_t i = 0; i < n; ++i) out.push_back(steps[i](parts[i], b));
  return out;
}
#endif
/// The step of operand type E in such a table: expr_step<E>, or a function of E's own that
/// builds its tree without going through its to_core (a node, a column: see below).
template <class E>
inline constexpr ExprStep step_of = &expr_step<E>;
/// `{e.to_core(b)...}`, in order.
template <class... E>
std::vector<Expr> to_core_all(Builder& b, const E&... e) {
  static constexpr std::array<ExprStep, sizeof...(E)> steps{step_of<E>...};
  const std::array<const void*, sizeof...(E)> parts{&e...};
  return build_exprs(b, steps.data(), parts.data(), sizeof...(E));
}
/// The operands E... of a pack, by position: the steps of their types, and the one step
/// function of each type that builds its tree from such a pack (a node here, a select list and
/// an ORDER BY / GROUP BY in clauses.hpp). That function takes the members' addresses itself:
/// before, a node's tree took three bodies (expr_step, to_core and pack_to_core), each through
/// g++'s early passes; now one, reached by address from its parent's table (step_of).
template <class Seq, class... E>
struct Operands;
template <std::size_t... I, class... E>
struct Operands<std::index_sequence<I...>, E...> {
  static constexpr std::array<ExprStep, sizeof...(E)> steps{step_of<E>...};
  /// The tree of node N (`args`: a Pack<E...>), made by its kind from its operands' trees.
  template <class N>
  [[gnu::cold]] static Expr node(const void* self, Builder& b) {
    const auto& p = static_cast<const N*>(self)->args;
    const std::array<const void*, sizeof...(E)> parts{&static_cast<const PackItem<I, E>&>(p).value...};
    return N::kind::build(build_exprs(b, steps.data(), parts.data(), sizeof...(E)));
  }
};
/// A distinct address per type, for the keys above.
template <class T>
inline constexpr char type_key = 0;
struct typed_tag {};

template <class T>
struct strip_optional { using type = T; };
template <class T>
struct strip_optional<std::optional<T>> { using type = T; };
template <class T>
using strip_optional_t = typename strip_optional<std::remove_cvref_t<T>>::type;
/// athanor::Decimal (NUMERIC), a number of the DSL beside the arithmetic types.
template <class T>
inline constexpr bool is_decimal = std::is_same_v<strip_optional_t<T>, Decimal>;
/// A number of the DSL: an arithmetic type other than bool, or a Decimal.
template <class T>
inline constexpr bool is_numeric = (std::is_arithmetic_v<strip_optional_t<T>> && !std::is_same_v<strip_optional_t<T>, bool>) ||
                                   is_decimal<T>;

template <class L1, class L2>
using merge = boost::mp11::mp_set_union<L1, L2>;

/// Whether T (an expression, a clause, a FROM item) has values to collect: false when its type
/// says `binds = false` (a column, a join's ON of columns, an ORDER BY list). A statement then
/// calls collect() only on its parts that bind, and the parts that do not add no collect()
/// function bodies (nor their operands').
template <class T>
inline constexpr bool collects = true;
template <class T>
  requires requires { T::binds; }
inline constexpr bool collects<T> = T::binds;
}  // namespace detail

/// A typed SQL expression of the ORM DSL.
/// The protocol, read by the statements (not by programs): `value_type` (the C++ type a row
/// reads), `models` (the models it refers to, for FROM), `cacheable` (whether its SQL is the
/// same whatever its values), `to_core(Builder&)` (its Core tree) and `collect(Collected&)`
/// (its bound values, in the order to_core numbered them).
template <class E>
concept TypedExpr = std::is_base_of_v<detail::typed_tag, E>;

/// Whether a value of C++ type V can stand beside a column of type T (`==`, `<`, `in_`…):
/// the same type, both numbers, both text, or a T constructible from V. A Decimal stands
/// beside a Decimal or an integer, not a double (whose binary fraction is not the decimal
/// one: 0.1 is 0.1000000000000000055…) nor text.
template <class T, class V>
concept comparable_with = [] {
  using A = detail::strip_optional_t<T>;
  using B = detail::strip_optional_t<V>;
  if constexpr (std::is_same_v<A, B>) return true;
  else if constexpr (detail::is_decimal<A> || detail::is_decimal<B>) return detail::is_numeric<A> && detail::is_numeric<B> && !std::is_floating_point_v<A> && !std::is_floating_point_v<B>;
  else if constexpr (std::is_arithmetic_v<A> && std::is_arithmetic_v<B>) return !std::is_same_v<A, bool> && !std::is_same_v<B, bool>;
  else if constexpr (std::is_convertible_v<B, std::string_view> && std::is_convertible_v<A, std::string_view>) return true;
  else if constexpr (std::is_enum_v<A> || std::is_enum_v<B>) return false;
  else return std::is_constructible_v<A, B> && !std::is_arithmetic_v<A> && !std::is_convertible_v<B, std::string_view>;
}();

namespace detail {
template <class E>
struct value_type_of { using type = typename E::value_type; };
template <class T>
concept BoolExpr = TypedExpr<T> && std::is_same_v<strip_optional_t<typename T::value_type>, bool>;
}  // namespace detail

template <class D, class T>
struct Methods;
template <class Result, class Columns, class From, class... Clauses>
class TypedSelect;
template <class D, class S, bool Not>
struct InSelect;

/// A bound value of type T (the column's type it stands beside).
template <class T>
struct Val : Methods<Val<T>, T> {
  /// The TypedExpr protocol.
  ///@{
  using value_type = T;
  using models = boost::mp11::mp_list<>;
  static constexpr bool cacheable = true;
  ///@}
  T v;  ///< the value, converted by column_traits<T> when bound
  /// Binds `value`.
  explicit Val(T value) : v(std::move(value)) {}
  /// The TypedExpr protocol.
  ///@{
  Expr to_core(detail::Builder& b) const { return b.bind(column_traits<T>::to_value(v)); }
  void collect(detail::Collected& out) const { out.push_back(column_traits<T>::to_value(v)); }
  ///@}
};

namespace detail {
/// `c<&M::a> = v` (orm/insert.hpp): checked there, as update's set() is.
template <auto Pm, class V>
auto assign(V&& v);
}  // namespace detail

/// A column of a model: `c<&User::name>`.
template <auto Pm>
struct Col : Methods<Col<Pm>, detail::value_of<Pm>> {
  /// The TypedExpr protocol (`model`: the model the column belongs to).
  ///@{
  using value_type = detail::value_of<Pm>;
  using model = detail::model_of<Pm>;
  using models = boost::mp11::mp_list<model>;
  static constexpr bool cacheable = true;
  static constexpr bool binds = false;
  Expr to_core(detail::Builder& b) const { return step(this, b); }
  void collect(detail::Collected&) const {}
  /// The column's tree, as a step of its parent's table (detail::step_of): one body per column
  /// where expr_step and to_core made two.
  [[gnu::cold]] static Expr step(const void*, detail::Builder&) {
    auto& t = table_of<model>();
    return t.unchecked_c(detail::column_name<Pm>(), t.columns()[detail::column_index<Pm>].type);
  }
  ///@}
  /// The typed assignment `c<&User::name> = "ann"` of `insert<User>().values(…)` and of an
  /// upsert's update (orm/insert.hpp). It assigns nothing: `c<…>` is a constant.
  template <class V>
  auto operator=(V&& v) const { return detail::assign<Pm>(std::forward<V>(v)); }
};
template <auto Pm>
/// The column `Pm` of its model as a typed expression: `c<&User::name> == "ann"`.
inline constexpr Col<Pm> c{};

/// Wraps a value as `Val<T>` for a column of type T, or passes a typed expression through.
template <class T, class V>
auto operand(V&& v) {
  if constexpr (TypedExpr<std::remove_cvref_t<V>>) {
    return std::forward<V>(v);
  } else {
    // Numbers keep their own type (age > 2.5 must not become age > 2, price > 3 binds 3); the rest takes the column's.
    constexpr bool number = (std::is_arithmetic_v<std::decay_t<V>> || detail::is_decimal<V>) &&
                            (std::is_arithmetic_v<detail::strip_optional_t<T>> || detail::is_decimal<T>);
    using U = std::conditional_t<number, std::decay_t<V>, detail::strip_optional_t<T>>;
    return Val<U>(U(std::forward<V>(v)));
  }
}

/// Any node with children: `Kind` renders them; value type T; models merged.
template <class Kind, class T, class... A>
struct Node : Methods<Node<Kind, T, A...>, T> {
  /// The TypedExpr protocol (`args`: the children, built by `Kind::build`).
  ///@{
  using value_type = T;
  using models = boost::mp11::mp_fold<boost::mp11::mp_list<typename A::models...>, boost::mp11::mp_list<>, detail::merge>;
  static constexpr bool cacheable = (A::cacheable && ...);
  static constexpr bool binds = (detail::collects<A> || ...);
  /// No constructor: an aggregate, built in place by the function that makes it
  /// (`Node<K, T, A, B>{{}, {{{a}, {b}}}}`), so each node type adds no constructor body to compile.
  using kind = Kind;  ///< what makes its tree from its operands' (detail::Operands::node)
  detail::Pack<A...> args;
  Expr to_core(detail::Builder& b) const { return detail::step_of<Node>(this, b); }
  void collect(detail::Collected& out) const {
    if constexpr (binds) args.collect(out);
  }
  ///@}
};

namespace op {
template <const char* Sql>
struct compare {
  static Expr build(std::vector<Expr> a) { return Expr::make(athanor::detail::ExprKind::binary, Expr::boolean(), Sql, std::move(a)); }
};
template <const char* Sql>
struct logical {
  static Expr build(std::vector<Expr> a) { return Sql[0] == 'A' ? a[0] && a[1] : a[0] || a[1]; }
};
template <const char* Sql>
struct arith {
  static Expr build(std::vector<Expr> a) {
    auto t = Expr::arith_type(a[0].type(), a[1].type());
    return Expr::make(athanor::detail::ExprKind::binary, t, Sql, std::move(a));
  }
};
struct concat { static Expr build(std::vector<Expr> a) { return athanor::concat(a[0], a[1]); } };
struct not_ { static Expr build(std::vector<Expr> a) { return !a[0]; } };
template <bool Not>
struct is_null { static Expr build(std::vector<Expr> a) { return Not ? a[0].is_not(null) : a[0].is_(null); } };
template <int Flags>
struct like {
  static Expr build(std::vector<Expr> a) { return Expr::make(athanor::detail::ExprKind::like, Expr::boolean(), "", std::move(a), Flags); }
};
/// LIKE with the fixed escape character `/` of contains()/startswith()/endswith(), written
/// in the SQL (a constant of the type, so the SQL still compiles once).
template <int Flags>
struct like_escaped {
  static Expr build(std::vector<Expr> a) {
    a.push_back(athanor::inline_literal(Value(std::string("/"))));
    return Expr::make(athanor::detail::ExprKind::like, Expr::boolean(), "", std::move(a), Flags);
  }
};
/// `a / b` with a Decimal side, as `(a * 1.0) / b`: SQLite stores a NUMERIC without fraction
/// as an INTEGER and would divide two of them as integers (7 / 2 = 3); elsewhere `* 1.0`
/// (a NUMERIC constant) changes nothing but one more digit of scale.
struct decimal_divide {
  static Expr build(std::vector<Expr> a) {
    auto t = a[0].type();
    auto one = Expr::make(athanor::detail::ExprKind::raw, Numeric{}, "1.0", {});
    auto scaled = Expr::make(athanor::detail::ExprKind::binary, t, "*", {std::move(a[0]), std::move(one)});
    return Expr::make(athanor::detail::ExprKind::binary, t, "/", {std::move(scaled), std::move(a[1])});
  }
};
struct between { static Expr build(std::vector<Expr> a) { return a[0].between(a[1], a[2]); } };
template <int Flags>
struct order {
  static Expr build(std::vector<Expr> a) {
    auto t = a[0].type();
    return Expr::make(athanor::detail::ExprKind::ordering, std::move(t), "", std::move(a), Flags);
  }
};
template <bool Not>
struct in_array {
  static Expr build(std::vector<Expr> a) { return Expr::make(athanor::detail::ExprKind::in_array, Expr::boolean(), "", std::move(a), Not); }
};
inline constexpr char eq[] = "=", ne[] = "<>", lt[] = "<", le[] = "<=", gt[] = ">", ge[] = ">=";
inline constexpr char and_[] = "AND", or_[] = "OR";
inline constexpr char plus[] = "+", minus[] = "-", times[] = "*", divide[] = "/", modulo[] = "%";
}  // namespace op

namespace detail {
/// Whether E holds a window function, which WHERE and HAVING cannot test (orm/window.hpp
/// specialises it for window functions; every node with typed children passes it on).
template <class E>
inline constexpr bool has_window = false;
template <class K, class T, class... A>
inline constexpr bool has_window<Node<K, T, A...>> = (has_window<A> || ...);
/// A node's and a column's steps: their one function each (see Operands).
template <class K, class T, class... A>
inline constexpr ExprStep step_of<Node<K, T, A...>> = &Operands<std::index_sequence_for<A...>, A...>::template node<Node<K, T, A...>>;
template <auto Pm>
inline constexpr ExprStep step_of<Col<Pm>> = &Col<Pm>::step;
}  // namespace detail

/// A list bound as one JSON array: the SQL does not depend on the list's length.
template <class T>
struct ValList : Methods<ValList<T>, T> {
  /// The TypedExpr protocol.
  ///@{
  using value_type = T;
  using models = boost::mp11::mp_list<>;
  static constexpr bool cacheable = true;
  ///@}
  std::vector<T> v;  ///< the list, bound as one JSON array
  /// The list as the JSON array text that is bound.
  Value encode() const {
    std::vector<Value> values;
    values.reserve(v.size());
    for (auto& x : v) values.push_back(column_traits<T>::to_value(x));
    return Value(athanor::detail::json_array(values));
  }
  /// The TypedExpr protocol.
  ///@{
  Expr to_core(detail::Builder& b) const { return b.bind(encode()); }
  void collect(detail::Collected& out) const { out.push_back(encode()); }
  ///@}
};

}  // namespace athanor::orm

#include <athanor/orm/expr_methods.hpp>  // with operators.hpp, aggregates.hpp, core_expr.hpp
#include <athanor/orm/label.hpp>
// Last: aliases are expressions' sources. (Not before expr_methods.hpp: each include level
// is one more line in every diagnostic, and compile_fail/ allows 25.)
#include <athanor/orm/alias.hpp>
