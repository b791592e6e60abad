// athanor/orm/prepared.hpp — prepared typed statements: `orm::param<T>()` placeholders in a
// typed select, and the handle `conn.prepare(stmt)` returns, which runs the statement again
// and again with new values for its placeholders. The statement is built, its values
// collected and its SQL compiled once, in prepare(); each call only converts its arguments
// into the bound values (a vector kept by the handle) and runs.
#pragma once

#include <array>     // std::array
#include <cstddef>   // std::size_t
#include <memory>    // std::weak_ptr
#include <optional>  // std::optional
#include <string>    // std::string
#include <utility>   // std::forward
#include <vector>    // std::vector

#include <boost/mp11/algorithm.hpp>

#include <athanor/engine/connection.hpp>
#include <athanor/orm/functions.hpp>  // NamedFunc
#include <athanor/orm/select.hpp>

namespace athanor::orm {

/// A placeholder for a value given at each run of a prepared statement (`conn.prepare`):
/// `select<User>().where(c<&User::id> == param<int>())`, then `q(42)`. T is the C++ type
/// of the value (std::optional<T> to allow NULL); the placeholders of a statement take the
/// arguments of `q(…)` in their order of appearance in it (select list, then the clauses in
/// the order they were added, each left to right).
template <class T>
struct Param : Methods<Param<T>, T> {
  /// The TypedExpr protocol.
  ///@{
  using value_type = T;
  using models = boost::mp11::mp_list<>;
  static constexpr bool cacheable = true;
  /// A bind of T's SQL type (a value of T stands in while the SQL is compiled, so that the
  /// SQL is the one a literal of T gives: the same cached text and the same casts).
  Expr to_core(detail::Builder& b) const {
    using U = detail::strip_optional_t<T>;
    return b.bind(column_traits<U>::to_value(U{}));
  }
  void collect(detail::Collected& out) const {
    if (!out.params) {
      throw ArgumentError(
          "[athanor.argument.unbound_param] a statement holding orm::param<T>() runs only prepared: "
          "auto q = conn.prepare(stmt); q(values…)");
    }
    out.params->push_back(out.size());
    out.emplace_back();
  }
  ///@}
};
/// The placeholder of a value given when a prepared statement runs (see Param).
/// **Example**: `auto q = conn.prepare(select<User>().where(c<&User::id> == param<int>())); auto rows = q(7);`
template <class T>
Param<T> param() {
  return {};
}

namespace detail {
/// The types of the `param<T>()` placeholders of X, in order of appearance (the order its
/// collect() meets them). Expressions not listed here give none; prepare() checks at run
/// time that it found as many placeholders as this says, so a placeholder in an expression
/// this does not look into is an error there, never a value bound in the wrong place.
template <class X>
struct params_of {
  using type = boost::mp11::mp_list<>;
};
template <class... X>
using params_cat = boost::mp11::mp_append<typename params_of<X>::type...>;
template <class T>
struct params_of<Param<T>> {
  using type = boost::mp11::mp_list<T>;
};
template <class K, class T, class... A>
struct params_of<Node<K, T, A...>> {
  using type = params_cat<A...>;
};
template <class R, class... A>
struct params_of<NamedFunc<R, A...>> {
  using type = params_cat<A...>;
};
template <class T, class F, class... A>
struct params_of<CoreFn<T, F, A...>> {
  using type = params_cat<A...>;
};
template <class E, fixed_string N>
struct params_of<Labelled<E, N>> {
  using type = params_cat<E>;
};
template <class N, class... E>
struct params_of<TupleColumns<N, E...>> {
  using type = params_cat<E...>;
};
template <class E>
struct params_of<Where<E>> {
  using type = params_cat<E>;
};
template <class E>
struct params_of<Having<E>> {
  using type = params_cat<E>;
};
template <class Tag, class... E>
struct params_of<List<Tag, E...>> {
  using type = params_cat<E...>;
};
template <class Src, class On, int F>
struct params_of<Join<Src, On, F>> {
  using type = params_cat<Src, On>;
};
template <class S>
struct params_of<Exists<S>> {
  using type = params_cat<S>;
};
template <class D, class S, bool Not>
struct params_of<InSelect<D, S, Not>> {
  using type = params_cat<D, S>;
};
template <class S>
struct params_of<ScalarSubquery<S>> {
  using type = params_cat<S>;
};
template <class R, class C, class F, class... K>
struct params_of<TypedSelect<R, C, F, K...>> {
  using type = params_cat<C, K...>;
};
template <class S>
using params_of_t = typename params_of<S>::type;

/// The check of `q(args…)` against the placeholders' types `Params` (an mp_list): as many
/// arguments, each convertible to its placeholder's type.
template <class Params, class... A>
constexpr bool args_fit() {
  if constexpr (boost::mp11::mp_size<Params>::value != sizeof...(A)) {
    return false;
  } else {
    return []<class... T>(boost::mp11::mp_list<T...>) {
      return (std::is_convertible_v<A, T> && ...);
    }(Params{});
  }
}
}  // namespace detail

/// A typed select prepared on one connection (`conn.prepare(stmt)`): run it with the values
/// of its `param<T>()` placeholders, in order. The SQL was compiled once; the driver keeps
/// the statement prepared in its connection's cache (re-preparing it, transparently, if
/// the cache let it go for others). Usable while its connection is open: afterwards a
/// call throws ArgumentError (`athanor.argument.prepared_closed`).
/// **Example**:
/// ```
/// auto by_id = conn.prepare(orm::select<User>().where(c<&User::id> == orm::param<int>()));
/// for (int id : ids) if (auto u = by_id.first(id)) use(*u);
/// ```
template <class S>
class Prepared {
 public:
  using result_type = typename S::result_type;  ///< the C++ type of a row
  /// The placeholders' C++ types, in order (an mp_list).
  using params = detail::params_of_t<S>;
  static constexpr std::size_t arity = boost::mp11::mp_size<params>::value;  ///< how many values a call takes

  /// Prepares `stmt` on connection `c` (Connection::prepare calls this).
  Prepared(const S& stmt, athanor::detail::ConnectionImpl& c) : stmt_(stmt), conn_(&c), anchor_(c.anchor()) {
    c.drv();  // a closed connection: its error now
    compiled_ = stmt_.compiled(*c.engine->dialect);
    detail::Collected slots;
    std::vector<std::size_t> at;
    slots.params = &at;
    stmt_.collect(slots);
    if (at.size() != arity) {
      throw ArgumentError(
          "[athanor.argument.param_position] the statement holds " + std::to_string(at.size()) +
          " orm::param<T>() placeholders, but only " + std::to_string(arity) +
          " where a prepared statement can type them (conditions, the select list, ORDER BY, GROUP BY, HAVING, "
          "JOIN … ON, through operators, functions, exists, in_(select) and scalar subqueries; not in a subquery in FROM, "
          "a CASE, a window or a label used twice)");
    }
    // The values in placeholder order, each placeholder's slot found once here.
    const Compiled& cs = *compiled_;
    values_.reserve(cs.params.size());
    for (auto& p : cs.params) values_.push_back(p.slot >= 0 ? slots[static_cast<std::size_t>(p.slot)] : p.value);
    std::array<bool, arity + 1> placed{};
    for (std::size_t j = 0; j < cs.params.size(); ++j) {
      for (std::size_t i = 0; i < arity; ++i) {
        if (cs.params[j].slot != static_cast<int>(at[i])) continue;
        if (!placed[i]) pos_[i] = j, placed[i] = true;
        else copies_.emplace_back(i, j);  // the same value bound twice (a dialect repeating an expression)
      }
    }
    for (std::size_t i = 0; i < arity; ++i) {
      if (!placed[i]) {
        throw ArgumentError("[athanor.argument.param_position] orm::param<T>() number " + std::to_string(i + 1) +
                            " stands where the SQL takes no bound value (a value written into the SQL text)");
      }
    }
  }

  /// Runs with these values for the placeholders: every row.
  template <class... A>
  Rows<result_type> operator()(A&&... args) {
    Rows<result_type> out;
    run(std::forward<A>(args)...)([&](driver::Statement& st) {
      bool one = compiled_->at_most_one_row;  // a lookup by primary key: no step to the end after its row
      while (st.next()) {
        out.push_back(stmt_.read(st));
        if (one) break;
      }
    });
    return out;
  }
  /// The first row, or nothing; the rows after it are not read.
  template <class... A>
  std::optional<result_type> first(A&&... args) {
    std::optional<result_type> out;
    run(std::forward<A>(args)...)([&](driver::Statement& st) {
      if (st.next()) out.emplace(stmt_.read(st));
    });
    return out;
  }
  /// Exactly one row: NoResultFound / MultipleResultsFound otherwise.
  template <class... A>
  result_type one(A&&... args) {
    auto r = one_or_none(std::forward<A>(args)...);
    if (!r) throw NoResultFound();
    return std::move(*r);
  }
  /// One row or none: MultipleResultsFound when more.
  template <class... A>
  std::optional<result_type> one_or_none(A&&... args) {
    std::optional<result_type> out;
    bool more = false;
    run(std::forward<A>(args)...)([&](driver::Statement& st) {
      if (st.next()) out.emplace(stmt_.read(st)), more = st.next();
    });
    if (more) throw MultipleResultsFound();
    return out;
  }
  /// The SQL it runs.
  const std::string& sql() const { return compiled_->sql; }

 private:
  /// Binds the arguments, then returns the runner of the statement: `run(args…)(on_rows)`.
  template <class... A>
  auto run(A&&... args) {
    constexpr bool fit = detail::args_fit<params, A...>();
    static_assert(fit,
                  "athanor: the arguments of a prepared statement's call must match its orm::param<T>() placeholders "
                  "in number and order, each convertible to its T (the placeholders: the Param<T> in S, in order; the arguments: A)");
    if constexpr (fit) {
      auto& c = connection();
      bind(std::make_index_sequence<arity>{}, std::forward<A>(args)...);
      for (auto [i, j] : copies_) values_[j] = values_[pos_[i]];
      return [this, &c](auto&& on_rows) {
        c.executed(compiled_->sql, values_, [&](driver::Statement& st) {
          on_rows(st);
          return 0;
        });
      };
    } else {
      return [](auto&&) {};
    }
  }
  template <std::size_t... I, class... A>
  void bind(std::index_sequence<I...>, A&&... args) {
    ((values_[pos_[I]] = column_traits<boost::mp11::mp_at_c<params, I>>::to_value(
          static_cast<boost::mp11::mp_at_c<params, I>>(std::forward<A>(args)))),
     ...);
  }
  athanor::detail::ConnectionImpl& connection() {
    if (anchor_.expired() || !conn_->lease.conn) {
      throw ArgumentError(
          "[athanor.argument.prepared_closed] the prepared statement's connection was closed or destroyed; prepare it "
          "again on an open connection");
    }
    return *conn_;
  }

  S stmt_;  ///< reads the rows
  athanor::detail::ConnectionImpl* conn_;
  std::weak_ptr<const void> anchor_;  ///< expired once conn_ is gone
  std::shared_ptr<const Compiled> compiled_;
  std::vector<Value> values_;                               ///< in placeholder order, the placeholders' rewritten per call
  std::array<std::size_t, arity + 1> pos_{};               ///< where placeholder i's value goes in values_
  std::vector<std::pair<std::size_t, std::size_t>> copies_;  ///< further places of a placeholder's value (i, j)
};

/// Connection::prepare's work, found by argument-dependent lookup: a typed select.
template <class S>
  requires detail::is_typed_select<S>
Prepared<S> prepare_statement(const S& stmt, athanor::detail::ConnectionImpl& c) {
  return Prepared<S>(stmt, c);
}

}  // namespace athanor::orm
