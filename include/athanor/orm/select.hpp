// athanor/orm/select.hpp — typed SELECT: `select<User>()` yields User objects,
// `select(c<&User::name>, count())` yields std::tuple<std::string, std::int64_t>. Every
// clause is part of the statement's type, so its SQL is compiled once per type and dialect.
#pragma once

#include <array>   // std::array
#include <memory>  // std::shared_ptr
#include <tuple>   // std::tuple
#include <vector>  // std::vector

#include <athanor/core/select.hpp>
#include <athanor/engine/connection.hpp>
#include <athanor/engine/stream.hpp>
#include <athanor/orm/detail/clauses.hpp>
#include <athanor/orm/detail/key_lookup.hpp>
#include <athanor/orm/detail/run_rows.hpp>
#include <athanor/orm/loading.hpp>
#include <athanor/orm/rows.hpp>

namespace athanor::orm {

/// Entities: a whole model as a result column.
template <class M>
struct Entity {
  using models = boost::mp11::mp_list<M>;  ///< the model it loads (a column list names its FROM from this)
};

template <class S, detail::fixed_string Name>
class Subquery;
template <class S, class Tuple, class Stmt>
auto make_into(const Stmt& stmt);
template <class S>
struct ScalarSubquery;
// compound.hpp and cte.hpp
template <int Op, class L, class R, class... Clauses>
class TypedCompound;
template <class S, detail::fixed_string Name, bool Recursive, class Step = void, int Op = 1>
class TypedCte;
/// The tag of `stmt.cte<"name">(orm::recursive)`: a CTE whose step names itself.
struct recursive_t {
  explicit constexpr recursive_t() = default;
};
inline constexpr recursive_t recursive{};  ///< see recursive_t

namespace detail {
template <class From, class E>
inline constexpr bool uses_only = boost::mp11::mp_all_of_q<typename E::models, boost::mp11::mp_bind_front<boost::mp11::mp_set_contains, From>>::value;
/// Whether E is a window function still waiting for its .over(…).
template <class E>
inline constexpr bool needs_over = requires { E::needs_over; };
template <class W>
struct WindowClause;
template <class C>
inline constexpr bool is_correlate = false;
template <class... M>
inline constexpr bool is_correlate<Correlate<M...>> = true;
template <class X>
inline constexpr bool is_subquery = false;
template <class S, fixed_string N>
inline constexpr bool is_subquery<Subquery<S, N>> = true;
template <class S, fixed_string N, bool R, class St, int Op>
inline constexpr bool is_subquery<TypedCte<S, N, R, St, Op>> = true;  // a FROM item with state, as a subquery
template <int Op, class A, class B>
auto set_op(const A& a, const B& b);
/// A FROM item given as a value (`join(manager, on)`, `join(sq, on)`): its state, if any.
template <class X>
auto source_object(const X& x) {
  if constexpr (is_alias<X>) return StaticSource<X>{};
  else return x;
}
/// Whether S is a typed select (not a compound, a CTE or anything else with a result type).
template <class S>
inline constexpr bool is_typed_select = false;
template <class R, class C, class F, class... K>
inline constexpr bool is_typed_select<TypedSelect<R, C, F, K...>> = true;
template <class C>
inline constexpr bool is_entity_columns = false;
template <class M, class Src>
inline constexpr bool is_entity_columns<EntityColumns<M, Src>> = true;
/// The loader options of a select of columns C: shared by the statements of a chain, null
/// while there are none; nothing (an empty type) unless C are whole objects.
struct NoLoaders {
  explicit operator bool() const { return false; }
};
template <class C>
using Loaders = std::conditional_t<is_entity_columns<C>, std::shared_ptr<const std::vector<LoadOption>>, NoLoaders>;
template <class R>
inline constexpr bool one_column = false;
template <class T>
inline constexpr bool one_column<std::tuple<T>> = true;
/// Compiling a typed select S of clauses C...: one function per statement type, which takes
/// the parts' addresses itself (compile_erased, S::compile and the clause pack's parts() were
/// three bodies per statement type).
template <class Seq, class... C>
struct SelectClauses;
template <std::size_t... I, class... C>
struct SelectClauses<std::index_sequence<I...>, C...> {
  static constexpr std::array<SelectStep, sizeof...(C)> steps{clause_step<C>...};
  template <class S>
  [[gnu::cold]] static Compiled compile(const void* self, const Dialect& d) {
    const S& s = *static_cast<const S*>(self);
    using Columns = decltype(s.cols_);
    const std::array<const void*, sizeof...(C) + 1> parts{&s.cols_, &static_cast<const PackItem<I, C>&>(s.clauses_).value...};
    Compiled c = compile_select(d, columns_step<Columns>, steps.data(), parts.data(), sizeof...(C));
    // Only a select whose WHERE compares a column of its one model with a value can be a lookup
    // by key: for the others no function is instantiated (76 bodies of the Chinook reports).
    using From = typename S::from_models;
    if constexpr (lookup_column<From, C...> >= 0) c.at_most_one_row = fixes_primary_key<From, C...>();
    return c;
  }
};
/// Whether clause K of list L has values to collect.
template <class L, class K>
using collects_at = boost::mp11::mp_bool<collects<boost::mp11::mp_at<L, K>>>;
/// The values of a typed select S of clauses L (an mp_list) whose positions K... bind: its
/// columns' and those clauses', in slot order, by one function per statement type (the
/// statement's collect(), its pack's and the collect() of each clause binding nothing were one
/// body each).
template <class S, class L, class K>
struct SelectValues;
template <class S, class L, class... K>
struct SelectValues<S, L, boost::mp11::mp_list<K...>> {
  static void collect(const void* self, Collected& out) {
    const S& s = *static_cast<const S*>(self);
    if constexpr (collects<decltype(s.cols_)>) s.cols_.collect(out);
    (static_cast<const PackItem<K::value, boost::mp11::mp_at<L, K>>&>(s.clauses_).value.collect(out), ...);
  }
};
}  // namespace detail

/// A typed SELECT. `Result` is the C++ type of one row (a model, or a std::tuple);
/// `From` the models, aliases and subqueries it reads; `Clauses` what was added, in order.
template <class Result, class Columns, class From, class... Clauses>
class TypedSelect {
 public:
  /// The statement protocol read by Session, Connection and the enclosing statements: the row
  /// type and the FROM sources.
  ///@{
  using result_type = Result;
  using from_models = From;
  static constexpr bool cacheable = Columns::cacheable && (Clauses::cacheable && ...);
  static constexpr bool binds = detail::collects<Columns> || (detail::collects<Clauses> || ...);
  ///@}
  /// Whether `correlate<…>()` named models of an enclosing statement.
  static constexpr bool correlated = (detail::is_correlate<Clauses> || ...);
  /// FOR UPDATE: a Session with read replicas runs it on the writer.
  static constexpr bool locks_rows = (std::is_same_v<Clauses, detail::ForUpdate> || ...);

  /// Loader options for the relationships of the loaded objects: `.options(selectinload(&User::posts))`.
  template <class... O>
  TypedSelect options(O... o) const {
    constexpr bool objects = detail::is_entity_columns<Columns>;
    static_assert(objects, "athanor: options() says how the relationships of loaded objects load; it takes a select of "
                           "whole objects (select<User>().options(selectinload(&User::posts)))");
    TypedSelect s = *this;
    if constexpr (objects) {
      auto all = loaders_ ? std::make_shared<std::vector<LoadOption>>(*loaders_) : std::make_shared<std::vector<LoadOption>>();
      (all->push_back(std::move(o)), ...);
      s.loaders_ = std::move(all);
    }
    return s;
  }
  /// The loader options given to options().
  const std::vector<LoadOption>& loaders() const {
    static const std::vector<LoadOption> none;
    if constexpr (detail::is_entity_columns<Columns>) return loaders_ ? *loaders_ : none;
    else return none;
  }

  /// WHERE (several calls are joined with AND).
  template <class E>
  auto where(E e) const {
    constexpr bool is_condition = detail::BoolExpr<E>;
    static_assert(is_condition, "athanor: where() takes a condition (c<&User::id> == 3, like, in_, is_null…)");
    constexpr bool in_statement = detail::uses_only<From, E>;
    static_assert(!is_condition || in_statement,
                  "athanor: the condition uses a column of a model that is not in the statement; join<Model>(on) it first "
                  "(in a subquery: correlate<Model>() to name the enclosing statement's model)");
    constexpr bool no_window = !detail::has_window<E>;
    static_assert(!is_condition || !in_statement || no_window,
                  "athanor: where() cannot test a window function (rows are filtered before windows are computed); "
                  "select it in a subquery and filter the subquery");
    if constexpr (is_condition && in_statement && no_window) return Next<detail::Where<E>>{cols_, clauses_.append(detail::Where<E>{static_cast<E&&>(e)}), loaders_};
  }
  /// Another spelling of where() (SQLAlchemy has both).
  template <class E>
  auto filter(E e) const { return where(static_cast<E&&>(e)); }
  /// ORDER BY, each term a column or expression, `.desc()`, `.asc_nulls_first()`….
  template <class... E>
  auto order_by(E... e) const {
    constexpr bool in_statement = (detail::uses_only<From, E> && ...);
    static_assert((TypedExpr<E> && ...), "athanor: order_by() takes columns or expressions (c<&User::name>.desc())");
    static_assert(in_statement, "athanor: order_by() names a column of a model that is not in the statement; join<Model>(on) it first");
    if constexpr (in_statement) return Next<detail::List<detail::order_tag, E...>>{cols_, clauses_.append(detail::List<detail::order_tag, E...>{{{{static_cast<E&&>(e)}...}}}), loaders_};
  }
  /// GROUP BY: `select(c<&Post::user_id>, count()).group_by(c<&Post::user_id>)`.
  template <class... E>
  auto group_by(E... e) const {
    constexpr bool in_statement = (detail::uses_only<From, E> && ...);
    static_assert(in_statement, "athanor: group_by() names a column of a model that is not in the statement");
    if constexpr (in_statement) return Next<detail::List<detail::group_tag, E...>>{cols_, clauses_.append(detail::List<detail::group_tag, E...>{{{{static_cast<E&&>(e)}...}}}), loaders_};
  }
  /// HAVING, a condition over the groups: `.having(count() > 2)`.
  template <class E>
  auto having(E e) const {
    static_assert(detail::BoolExpr<E>, "athanor: having() takes a condition (count() > 2)");
    static_assert(!detail::has_window<E>, "athanor: having() cannot test a window function (groups are filtered before "
                                          "windows are computed); select it in a subquery and filter the subquery");
    return Next<detail::Having<E>>{cols_, clauses_.append(detail::Having<E>{static_cast<E&&>(e)}), loaders_};
  }
  /// `WINDOW name AS (…)` for the functions `.over(w)`: `.window(w)`, `w = orm::window<"w">(…)` (orm/window.hpp).
  template <class W>
  auto window(W w) const {
    constexpr bool named = requires { W::name; typename W::models; };
    static_assert(named, "athanor: window() takes a named window (auto w = orm::window<\"w\">(orm::order_by(…))");
    constexpr bool in_statement = [] {
      if constexpr (named) return detail::uses_only<From, W>;
      else return false;
    }();
    static_assert(!named || in_statement,
                  "athanor: the window names a column of a model that is not in the statement; join<Model>(on) it first");
    if constexpr (in_statement) return Next<detail::WindowClause<W>>{cols_, clauses_.append(detail::WindowClause<W>{static_cast<W&&>(w)}), loaders_};
  }
  /// LIMIT n, bound as a value.
  auto limit(std::int64_t n) const { return Next<detail::Limit<false>>{cols_, clauses_.append(detail::Limit<false>{Val<std::int64_t>(n)}), loaders_}; }
  /// OFFSET n, bound as a value.
  auto offset(std::int64_t n) const { return Next<detail::Limit<true>>{cols_, clauses_.append(detail::Limit<true>{Val<std::int64_t>(n)}), loaders_}; }
  /// SELECT DISTINCT.
  auto distinct() const { return Next<detail::Distinct>{cols_, clauses_.append(detail::Distinct{}), loaders_}; }
  /// SELECT … FOR UPDATE: locks the selected rows until the transaction ends (an ArgumentError on
  /// SQLite, which locks the whole database).
  auto with_for_update() const { return Next<detail::ForUpdate>{cols_, clauses_.append(detail::ForUpdate{}), loaders_}; }
  /// FROM model (or alias) N, for selects whose columns name no model (`select(count()).select_from<User>()`).
  template <class N>
  auto select_from() const {
    static_assert(detail::Source<N>,
                  "athanor: select_from<N>() takes a model declared with ATHANOR_MODEL (or an Alias of one)");
    if constexpr (detail::Source<N>) return select_from_(detail::StaticSource<N>{});
  }
  /// FROM an alias or a subquery given as a value: `select_from(sq)`.
  template <class X>
  auto select_from(const X& x) const {
    constexpr bool ok = detail::is_alias<X> || detail::is_subquery<X>;
    static_assert(ok, "athanor: select_from(x) takes an alias, a subquery or a CTE; a model goes in select_from<M>()");
    if constexpr (ok) return select_from_(detail::source_object(x));
  }
  /// INNER JOIN of model (or alias) N on a condition. (Each join calls join_ itself: a step
  /// between them was one more function body per join of each statement.)
  template <class N, class On>
  auto join(On on) const {
    static_assert(detail::Source<N>, "athanor: join<N>() takes a model declared with ATHANOR_MODEL (or an Alias of one)");
    if constexpr (detail::Source<N>) return join_<0>(detail::StaticSource<N>{}, static_cast<On&&>(on));
  }
  /// LEFT OUTER JOIN of model (or alias) N on a condition.
  template <class N, class On>
  auto outerjoin(On on) const {
    static_assert(detail::Source<N>, "athanor: join<N>() takes a model declared with ATHANOR_MODEL (or an Alias of one)");
    if constexpr (detail::Source<N>) return join_<1>(detail::StaticSource<N>{}, static_cast<On&&>(on));
  }
  /// INNER JOIN of an alias or subquery value: `join(manager, c<&Employee::manager_id> == manager.c<&Employee::id>)`.
  template <class X, class On>
  auto join(const X& x, On on) const {
    static_assert(joinable_value<X>, "athanor: join(x, on) takes an alias, a subquery or a CTE; join a model with join<M>(on)");
    if constexpr (joinable_value<X>) return join_<0>(detail::source_object(x), static_cast<On&&>(on));
  }
  /// LEFT OUTER JOIN of an alias or subquery value; its columns read as std::optional.
  template <class X, class On>
  auto outerjoin(const X& x, On on) const {
    static_assert(joinable_value<X>, "athanor: join(x, on) takes an alias, a subquery or a CTE; join a model with join<M>(on)");
    if constexpr (joinable_value<X>) return join_<1>(detail::source_object(x), static_cast<On&&>(on));
  }
  /// Lets this select, used inside another statement (exists, in_, scalar_subquery), name
  /// the columns of models of that statement: `select(c<&Post::id>).correlate<User>().where(c<&Post::user_id> == c<&User::id>)`.
  template <class... M>
  auto correlate() const {
    static_assert((detail::Source<M> && ...), "athanor: correlate<M…>() takes models (or aliases) of the enclosing statement");
    return Next<detail::Correlate<M...>, detail::merge<From, boost::mp11::mp_list<M...>>>{cols_, clauses_.append(detail::Correlate<M...>{}), loaders_};
  }
  /// `(SELECT …)` of one column as a value, typed std::optional (no row gives NULL):
  /// `select(c<&User::name>, select(count()).select_from<Post>().correlate<User>().where(…).scalar_subquery())`.
  auto scalar_subquery() const {
    static_assert(detail::one_column<Result>, "athanor: scalar_subquery() takes a select of one column (select(count())…)");
    if constexpr (detail::one_column<Result>) return ScalarSubquery<TypedSelect>(*this);
  }
  /// This select as a FROM item named `Name`, whose columns are typed: `sq.c<0>()`, `sq.c<&Post::user_id>()`.
  /// **Example**: `auto sq = select(c<&Post::user_id>, count()).group_by(c<&Post::user_id>).subquery<"counts">();`
  template <detail::fixed_string Name>
  auto subquery() const { return Subquery<TypedSelect, Name>(*this); }
  /// This select as a common table expression `name` (WITH name AS (…)), a FROM item whose
  /// columns are typed like a subquery's: `t.c<0>()`, `t.c<&M::member>()` (cte.hpp).
  /// **Example**: `auto t = select(c<&Post::user_id>, count()).group_by(c<&Post::user_id>).cte<"counts">();`
  template <detail::fixed_string Name>
  auto cte() const { return TypedCte<TypedSelect, Name, false>(*this); }
  /// The anchor of a recursive CTE; `t.union_all(step)` adds the step that names `t`.
  template <detail::fixed_string Name>
  auto cte(recursive_t) const { return TypedCte<TypedSelect, Name, true>(*this); }
  /// Set operations with a typed select (or compound) of the same row type (compound.hpp).
  /// **Example**: `select(c<&User::name>).union_(select(c<&Tag::label>))`
  template <class B>
  auto union_(const B& b) const { return detail::set_op<0>(*this, b); }
  /// UNION ALL (duplicates kept).
  template <class B>
  auto union_all(const B& b) const { return detail::set_op<1>(*this, b); }
  /// INTERSECT.
  template <class B>
  auto intersect(const B& b) const { return detail::set_op<2>(*this, b); }
  /// INTERSECT ALL (an ArgumentError on SQLite, which has none).
  template <class B>
  auto intersect_all(const B& b) const { return detail::set_op<3>(*this, b); }
  /// EXCEPT.
  template <class B>
  auto except_(const B& b) const { return detail::set_op<4>(*this, b); }
  /// EXCEPT ALL (an ArgumentError on SQLite, which has none).
  template <class B>
  auto except_all(const B& b) const { return detail::set_op<5>(*this, b); }

  /// The statement as a Core Select (binds numbered by slot).
  athanor::Select to_core(detail::Builder& b) const {
    const auto parts = clauses_.parts(&cols_);
    return detail::build_select(b, detail::columns_step<Columns>, steps.data(), parts.data(), steps.size());
  }
  /// The values of this execution, in slot order.
  void collect(detail::Collected& out) const {
    if constexpr (detail::collects<Columns>) cols_.collect(out);
    if constexpr ((detail::collects<Clauses> || ...)) clauses_.collect(out);
  }
  /// The SQL for `d`: compiled once per statement type and dialect when cacheable.
  std::shared_ptr<const Compiled> compiled(const Dialect& d) const {
    static_assert(!correlated,
                  "athanor: a select with correlate<…>() runs only inside another statement (exists, in_, scalar_subquery)");
    return detail::compiled_sql(cacheable, detail::compile_cache<TypedSelect>, d, detail::compile_of<TypedSelect>, this);
  }
  /// The SQL for `d`, built anew.
  Compiled compile(const Dialect& d) const { return detail::compile_of<TypedSelect>(this, d); }
  /// Runs on a connection: every row as a `Result`.
  Rows<Result> run(athanor::detail::ConnectionImpl& c) const {
    static_assert(!correlated,
                  "athanor: a select with correlate<…>() runs only inside another statement (exists, in_, scalar_subquery)");
    return detail::run_rows<Result>(c, detail::statement_run<TypedSelect>, this, Columns::row_reader);
  }
  /// Runs on a connection and keeps the statement open: its rows one at a time, as a
  /// single-pass range (see Stream for what stays open and what memory it uses).
  Stream<Result, detail::RowReader<Result>> stream(athanor::detail::ConnectionImpl& c) const {
    detail::Collected values;
    collect(values);
    auto open = c.open_stream(*compiled(*c.engine->dialect), std::move(static_cast<std::vector<Value>&>(values)));
    return Stream<Result, detail::RowReader<Result>>(std::move(open), cols_.reader());
  }
  /// The same statement, its rows read into the caller's aggregate S (one member per column,
  /// in select order) instead of std::tuple: `session.execute(stmt.into<Report>())`.
  template <class S>
  auto into() const { return make_into<S, Result>(*this); }
  /// Reads one row of a driver statement into a `Result`.
  Result read(driver::Statement& st) const { return cols_.read(st); }
  const Columns& columns() const { return cols_; }  ///< The select list (what Subquery and the compounds look at).

 private:
  /// The next statement of a chain: clause C appended, built in place by each clause method
  /// as `Next<C>{cols_, clauses_.append(clause), loaders_}` (no function of its own per step).
  template <class C, class NewFrom = From>
  using Next = TypedSelect<Result, Columns, NewFrom, Clauses..., C>;
  template <class Src>
  auto select_from_(Src src) const {
    return Next<detail::SelectFrom<Src>, boost::mp11::mp_set_push_back<From, typename Src::source>>{
        cols_, clauses_.append(detail::SelectFrom<Src>{static_cast<Src&&>(src)}), loaders_};
  }
  /// What join(x, on) takes: an alias, a subquery or a CTE.
  template <class X>
  static constexpr bool joinable_value = detail::is_alias<X> || detail::is_subquery<X>;
  template <int Flags, class Src, class On>
  auto join_(Src src, On on) const {
    using Joined = boost::mp11::mp_set_push_back<From, typename Src::source>;
    constexpr bool ok = detail::BoolExpr<On> && detail::uses_only<Joined, On>;
    static_assert(ok, "athanor: join<N>(on) needs a condition over the joined model and models already in the statement");
    if constexpr (ok) {
      detail::Join<Src, On, Flags> j{static_cast<Src&&>(src), static_cast<On&&>(on)};
      if constexpr (Flags == 1 && requires { cols_.template outer_joined<typename Src::source>(); }) {
        // LEFT OUTER JOIN: the joined source's columns read NULL where it has no row.
        auto cols = cols_.template outer_joined<typename Src::source>();
        using Cols = decltype(cols);
        return TypedSelect<typename Cols::result_type, Cols, Joined, Clauses..., decltype(j)>{
            static_cast<Cols&&>(cols), clauses_.append(static_cast<decltype(j)&&>(j)), {}};
      } else {
        return Next<decltype(j), Joined>{cols_, clauses_.append(static_cast<decltype(j)&&>(j)), loaders_};
      }
    }
  }

  /// How to build the SQL after the select list: each clause in order (see detail::SelectStep).
  static constexpr auto& steps = detail::SelectClauses<std::index_sequence_for<Clauses...>, Clauses...>::steps;

 public:
  /// The statement's parts, for the statement's own functions only. Public, and no constructor,
  /// so that the statement is an aggregate: each step of a chain of clauses is then built in
  /// place by the one before, without a constructor of its own (a function body per step).
  Columns cols_;
  detail::Pack<Clauses...> clauses_;
  /// Shared by the statements a chain of clause methods makes, null while there are none: each
  /// clause then copies a null pointer, not a vector (a typed statement is rebuilt per execution).
  /// Only a select of whole objects has them: a select of columns whose operands hold no string
  /// is then trivially copied and destroyed, and its chain of clauses adds no copy constructor
  /// or destructor per step (each a function body g++ optimises).
  [[no_unique_address]] detail::Loaders<Columns> loaders_;
};

/// `SELECT` of whole objects of model M (or of an alias of it).
/// **Example**: `select<User>().where(c<&User::id> > 3)`, `select<Manager>()`
template <class M>
  requires detail::Source<M>
auto select() {
  using Obj = detail::source_model_t<M>;
  return TypedSelect<Obj, detail::EntityColumns<Obj, M>, boost::mp11::mp_list<M>>{{}, {}, {}};
}
/// `select(manager)`: whole objects of an alias.
template <class M, detail::fixed_string Name>
auto select(Alias<M, Name>) {
  return select<Alias<M, Name>>();
}
/// `SELECT` of typed columns and expressions: rows are std::tuple of their C++ types.
template <TypedExpr... E>
  requires(sizeof...(E) > 0)
auto select(E... e) {
  static_assert(!(detail::needs_over<E> || ...),
                "athanor: a window function needs .over(…) (orm::row_number().over(orm::order_by(c<&M::id>)))");
  using From = boost::mp11::mp_fold<boost::mp11::mp_list<typename E::models...>, boost::mp11::mp_list<>, detail::merge>;
  using Cols = detail::TupleColumns<boost::mp11::mp_list<>, E...>;
  return TypedSelect<typename Cols::result_type, Cols, From>{Cols{{{{static_cast<E&&>(e)}...}}}, {}, {}};
}
using athanor::select;

namespace detail {
template <class R, class Cols, class F, class... C>
inline constexpr CompileFn compile_of<TypedSelect<R, Cols, F, C...>> =
    &SelectClauses<std::index_sequence_for<C...>, C...>::template compile<TypedSelect<R, Cols, F, C...>>;
template <class R, class Cols, class F, class... C>
inline constexpr CollectFn collect_of<TypedSelect<R, Cols, F, C...>> =
    TypedSelect<R, Cols, F, C...>::binds
        ? &SelectValues<TypedSelect<R, Cols, F, C...>, boost::mp11::mp_list<C...>,
                        boost::mp11::mp_copy_if_q<boost::mp11::mp_iota_c<sizeof...(C)>,
                                                  boost::mp11::mp_bind_front<collects_at, boost::mp11::mp_list<C...>>>>::collect
        : nullptr;
}  // namespace detail

}  // namespace athanor::orm

// Then compound.hpp and cte.hpp, each from the end of the one before: any of them included
// first still sees the others' definitions in order.
#include <athanor/orm/subquery.hpp>
#include <athanor/orm/into.hpp>
