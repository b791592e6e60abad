// athanor/orm/select.hpp — typed SELECT: `select<User>()` yields User objects,
// `select(c<&User::name>, count())` yields std::tuple<std::string, std::int64_t>. Every
// clause is part of the statement's type, so its SQL is compiled once per type and dialect.
#pragma once

#include <tuple>  // std::tuple

#include <athanor/core/select.hpp>
#include <athanor/engine/connection.hpp>
#include <athanor/orm/detail/clauses.hpp>
#include <athanor/orm/loading.hpp>

namespace athanor::orm {

/// Entities: a whole model as a result column.
template <class M>
struct Entity {
  using models = boost::mp11::mp_list<M>;
};

namespace detail {
template <class From, class E>
inline constexpr bool uses_only = boost::mp11::mp_all_of_q<typename E::models, boost::mp11::mp_bind_front<boost::mp11::mp_set_contains, From>>::value;
}  // namespace detail

/// A typed SELECT. `Result` is the C++ type of one row (a model, or a std::tuple);
/// `From` the models in FROM; `Clauses` what was added, in order.
template <class Result, class Columns, class From, class... Clauses>
class TypedSelect {
 public:
  using result_type = Result;
  using from_models = From;
  static constexpr bool cacheable = Columns::cacheable && (Clauses::cacheable && ...);

  TypedSelect(Columns cols, std::tuple<Clauses...> clauses, std::vector<LoadOption> loaders = {})
      : cols_(std::move(cols)), clauses_(std::move(clauses)), loaders_(std::move(loaders)) {}

  /// Loader options for the relationships of the loaded objects: `.options(selectinload(&User::posts))`.
  template <class... O>
  TypedSelect options(O... o) const {
    TypedSelect s = *this;
    (s.loaders_.push_back(std::move(o)), ...);
    return s;
  }
  const std::vector<LoadOption>& loaders() const { return loaders_; }

  /// WHERE (several calls are joined with AND).
  template <class E>
  auto where(E e) const {
    constexpr bool is_condition = detail::BoolExpr<E>;
    static_assert(is_condition, "athanor: where() takes a condition (c<&User::id> == 3, like, in_, is_null…)");
    constexpr bool in_statement = detail::uses_only<From, E>;
    static_assert(!is_condition || in_statement,
                  "athanor: the condition uses a column of a model that is not in the statement; join<Model>(on) it first");
    if constexpr (is_condition && in_statement) return add(detail::Where<E>{std::move(e)});
  }
  template <class E>
  auto filter(E e) const { return where(std::move(e)); }
  template <class... E>
  auto order_by(E... e) const {
    constexpr bool in_statement = (detail::uses_only<From, E> && ...);
    static_assert((TypedExpr<E> && ...), "athanor: order_by() takes columns or expressions (c<&User::name>.desc())");
    static_assert(in_statement, "athanor: order_by() names a column of a model that is not in the statement; join<Model>(on) it first");
    if constexpr (in_statement) return add(detail::List<detail::order_tag, E...>{{std::move(e)...}});
  }
  template <class... E>
  auto group_by(E... e) const {
    constexpr bool in_statement = (detail::uses_only<From, E> && ...);
    static_assert(in_statement, "athanor: group_by() names a column of a model that is not in the statement");
    if constexpr (in_statement) return add(detail::List<detail::group_tag, E...>{{std::move(e)...}});
  }
  template <class E>
  auto having(E e) const {
    static_assert(detail::BoolExpr<E>, "athanor: having() takes a condition (count() > 2)");
    return add(detail::Having<E>{std::move(e)});
  }
  auto limit(std::int64_t n) const { return add(detail::Limit<false>{Val<std::int64_t>(n)}); }
  auto offset(std::int64_t n) const { return add(detail::Limit<true>{Val<std::int64_t>(n)}); }
  auto distinct() const { return add(detail::Distinct{}); }
  auto with_for_update() const { return add(detail::ForUpdate{}); }
  /// FROM model N, for selects whose columns name no model (`select(count()).select_from<User>()`).
  template <class N>
  auto select_from() const {
    static_assert(Model<N>, "athanor: select_from<N>() takes a model declared with ATHANOR_MODEL");
    return add<boost::mp11::mp_set_push_back<From, N>>(detail::SelectFrom<N>{});
  }
  /// INNER JOIN of model N on a condition.
  template <class N, class On>
  auto join(On on) const { return join_<N, 0>(std::move(on)); }
  /// LEFT OUTER JOIN of model N on a condition.
  template <class N, class On>
  auto outerjoin(On on) const { return join_<N, 1>(std::move(on)); }

  /// The statement as a Core Select (binds numbered by slot).
  athanor::Select to_core(detail::Builder& b) const {
    athanor::Select s = cols_.to_core(b);
    std::apply([&](const auto&... c) { ((s = c.apply(s, b)), ...); }, clauses_);
    return s;
  }
  /// The values of this execution, in slot order.
  void collect(detail::Collected& out) const {
    cols_.collect(out);
    std::apply([&](const auto&... c) { (c.collect(out), ...); }, clauses_);
  }
  /// The SQL for `d`: compiled once per statement type and dialect when cacheable.
  std::shared_ptr<const Compiled> compiled(const Dialect& d) const {
    if constexpr (cacheable) {
      return detail::compile_cache<TypedSelect>(d, [&] { return compile(d); });
    } else {
      return std::make_shared<const Compiled>(compile(d));
    }
  }
  /// Runs on a connection: every row as a `Result`.
  std::vector<Result> run(athanor::detail::ConnectionImpl& c) const {
    detail::Collected values;
    collect(values);
    std::vector<Result> out;
    c.execute_typed(*compiled(*c.engine->dialect), values, [&](driver::Statement& st) { out.push_back(read(st)); });
    return out;
  }
  /// Reads one row of a driver statement into a `Result`.
  Result read(driver::Statement& st) const { return cols_.read(st); }
  const Columns& columns() const { return cols_; }

 private:
  Compiled compile(const Dialect& d) const {
    detail::Builder b;
    return Compiler(d).compile(to_core(b).node());
  }
  template <class NewFrom = From, class C>
  auto add(C clause) const {
    return TypedSelect<Result, Columns, NewFrom, Clauses..., C>(cols_, std::tuple_cat(clauses_, std::tuple<C>(std::move(clause))), loaders_);
  }
  template <class N, int Flags, class On>
  auto join_(On on) const {
    static_assert(Model<N>, "athanor: join<N>() takes a model declared with ATHANOR_MODEL");
    using Joined = boost::mp11::mp_set_push_back<From, N>;
    constexpr bool ok = detail::BoolExpr<On> && detail::uses_only<Joined, On>;
    static_assert(ok, "athanor: join<N>(on) needs a condition over the joined model and models already in the statement");
    if constexpr (ok) return add<Joined>(detail::Join<N, On, Flags>{std::move(on)});
  }

  Columns cols_;
  std::tuple<Clauses...> clauses_;
  std::vector<LoadOption> loaders_;
};

/// `SELECT` of whole objects of model M.  **Example**: `select<User>().where(c<&User::id> > 3)`
template <Model M>
auto select() {
  return TypedSelect<M, detail::EntityColumns<M>, boost::mp11::mp_list<M>>(detail::EntityColumns<M>{}, {});
}
/// `SELECT` of typed columns and expressions: rows are std::tuple of their C++ types.
template <TypedExpr... E>
  requires(sizeof...(E) > 0)
auto select(E... e) {
  using From = boost::mp11::mp_fold<boost::mp11::mp_list<typename E::models...>, boost::mp11::mp_list<>, detail::merge>;
  using Cols = detail::TupleColumns<E...>;
  return TypedSelect<std::tuple<typename E::value_type...>, Cols, From>(Cols{{std::move(e)...}}, {});
}
using athanor::select;

}  // namespace athanor::orm
