// athanor/orm/into.hpp — `stmt.into<S>()`: the rows of a typed select read straight into a
// caller's struct, member by member in select order, instead of std::tuple. Included by
// select.hpp; Session and Connection run it as they run the select.
#pragma once

#include <boost/pfr/core.hpp>  // boost::pfr::tuple_size_v, tuple_element_t: an aggregate's members

#include <athanor/orm/select.hpp>

namespace athanor::orm {

namespace detail {
/// Whether a member of type M can hold a column read as T: a NULL needs an optional member,
/// and a value goes in as by braces (`M{t}`), so a narrowing (std::int64_t into int, an
/// integer into double) or a foreign type does not fit.
template <class M, class T>
constexpr bool member_holds() {
  using A = strip_optional_t<M>;
  using B = strip_optional_t<T>;
  if constexpr (is_nullable_v<T> && !is_nullable_v<M>) return false;
  else return requires(B&& b) { A{static_cast<B&&>(b)}; };
}
/// The index of the first member of S that cannot hold its column of row tuple `Tuple`
/// (the members' count when all fit).
template <class S, class Tuple, std::size_t... I>
constexpr std::size_t first_unfit(std::index_sequence<I...>) {
  std::size_t bad = sizeof...(I);
  ((bad == sizeof...(I) && !member_holds<std::remove_cvref_t<boost::pfr::tuple_element_t<I, S>>, std::tuple_element_t<I, Tuple>>()
        ? bad = I
        : bad),
   ...);
  return bad;
}
template <class S, class Tuple, bool Aggregate = std::is_aggregate_v<S>>
inline constexpr std::size_t into_members = 0;
template <class S, class Tuple>
inline constexpr std::size_t into_members<S, Tuple, true> = boost::pfr::tuple_size_v<S>;
/// Stated for the first member that does not fit: its index, its type and the column's
/// type are this template's arguments in the diagnostic.
template <class S, std::size_t Index, class Member, class Column>
struct into_member_fits : std::false_type {
  static constexpr bool ok = sizeof(Member) == 0;  // false, once instantiated
  static_assert(ok, "athanor: into<S>(): member number Index of S (from 0) cannot hold its column (Member / Column in the "
                    "line above): a NULL-able column needs std::optional, a number no narrower type; change the member "
                    "or the select (cast, coalesce)");
};
template <class S, class Tuple, std::size_t Bad, bool Fits = (Bad == std::tuple_size_v<Tuple>)>
struct into_report : std::true_type {};
template <class S, class Tuple, std::size_t Bad>
struct into_report<S, Tuple, Bad, false>
    : into_member_fits<S, Bad, std::remove_cvref_t<boost::pfr::tuple_element_t<Bad, S>>, std::tuple_element_t<Bad, Tuple>> {};

/// What a refused into<S>() gives: runs as nothing, so that the static_assert above stays
/// the only error (no "invalid use of void" after it).
template <class S>
struct IntoRefused {
  using result_type = S;
  Rows<S> run(athanor::detail::ConnectionImpl&) const { return {}; }
};
/// Reads one row into S: the select's own reader, then each column moved into its member.
template <class S, class Reader>
struct IntoReader {
  Reader cols;
  S read(driver::Statement& st) const {
    return std::apply([](auto&&... v) { return S{std::move(v)...}; }, cols.read(st));
  }
};
}  // namespace detail

/// A typed select whose rows are read as S: `session.execute(stmt.into<Report>())` gives a
/// std::vector of Report, `session.stream(stmt.into<Report>())` one Report at a time.
/// S is an aggregate with one member per selected column, in select order (matched by
/// position, as a structured binding would); a member that cannot hold its column is a
/// compile error naming it.
template <class S, class Stmt>
class Into {
 public:
  /// Each row is an S.
  using result_type = S;
  using Reader = detail::IntoReader<S, detail::RowReader<typename Stmt::result_type>>;  ///< reads one row into an S
  static constexpr bool locks_rows = Stmt::locks_rows;  ///< FOR UPDATE (see TypedSelect)
  /// The select `stmt`, its rows read as S (stmt.into<S>() makes it).
  explicit Into(Stmt stmt) : stmt_(std::move(stmt)) {}

  /// Runs on a connection: every row as an S.
  Rows<S> run(athanor::detail::ConnectionImpl& c) const {
    detail::Collected values;
    stmt_.collect(values);
    Rows<S> out;
    Reader reader{stmt_.columns().reader()};
    c.execute_typed(*stmt_.compiled(*c.engine->dialect), values, [&](driver::Statement& st) { out.push_back(reader.read(st)); });
    return out;
  }
  /// Runs on a connection and reads the rows one at a time.
  Stream<S, Reader> stream(athanor::detail::ConnectionImpl& c) const {
    detail::Collected values;
    stmt_.collect(values);
    auto open = c.open_stream(*stmt_.compiled(*c.engine->dialect), std::move(static_cast<std::vector<Value>&>(values)));
    return Stream<S, Reader>(std::move(open), Reader{stmt_.columns().reader()});
  }
  const Stmt& statement() const { return stmt_; }  ///< The select.

 private:
  Stmt stmt_;
};

/// `stmt.into<S>()`: checks S against the row type `Tuple` of `stmt`, then wraps it.
template <class S, class Tuple, class Stmt>
auto make_into(const Stmt& stmt) {
  constexpr bool is_tuple_row = requires { std::tuple_size<Tuple>::value; };
  static_assert(is_tuple_row, "athanor: into<S>() reads the columns of select(c<…>, …) into S; select<Model>() already gives objects");
  if constexpr (is_tuple_row) {
    constexpr bool aggregate = std::is_aggregate_v<S> && !std::is_array_v<S>;
    static_assert(aggregate, "athanor: into<S>() reads rows into an aggregate struct (public members, no constructor), one member per selected column");
    constexpr bool same_count = detail::into_members<S, Tuple> == std::tuple_size_v<Tuple>;
    static_assert(!aggregate || same_count,
                  "athanor: into<S>(): S must have as many members as the select has columns, in select order (see S and Tuple above)");
    if constexpr (aggregate && same_count) {
      constexpr std::size_t bad = detail::first_unfit<S, Tuple>(std::make_index_sequence<std::tuple_size_v<Tuple>>{});
      if constexpr (detail::into_report<S, Tuple, bad>::value) return Into<S, Stmt>(stmt);
      else return detail::IntoRefused<S>{};
    } else {
      return detail::IntoRefused<S>{};
    }
  } else {
    return detail::IntoRefused<S>{};
  }
}

}  // namespace athanor::orm
