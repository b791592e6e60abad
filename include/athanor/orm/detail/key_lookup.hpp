// athanor/orm/detail/key_lookup.hpp — whether a typed select is a lookup by primary key
// (`select<User>().where(c<&User::id> == 7)`): it returns at most one row, so its execution
// reads that row and resets the statement instead of stepping it to its end (on SQLite that
// second step runs the VM to its halt: ~190 instructions a lookup, callgrind, bench W3).
#pragma once

#include <cstddef>  // std::size_t
#include <type_traits>  // std::is_same_v

#include <boost/mp11/list.hpp>

#include <athanor/orm/detail/clauses.hpp>
#include <athanor/orm/expr.hpp>
#include <athanor/orm/mapper.hpp>

namespace athanor::orm {
template <class T>
struct Param;  // orm/prepared.hpp
}  // namespace athanor::orm

namespace athanor::orm::detail {

/// A value fixed for the whole statement (not read from a row): a bound value or a placeholder.
template <class X>
inline constexpr bool is_fixed_value = false;
template <class T>
inline constexpr bool is_fixed_value<Val<T>> = true;
template <class T>
inline constexpr bool is_fixed_value<Param<T>> = true;

/// For a condition `c<&M::col> == value` on model M: the column's position in M, else -1.
template <class M, class E>
inline constexpr int key_compared = -1;
template <class M, auto Pm, class V>
  requires(std::is_same_v<model_of<Pm>, M> && is_fixed_value<V>)
inline constexpr int key_compared<M, Node<op::compare<op::eq>, bool, Col<Pm>, V>> = static_cast<int>(column_index<Pm>);

/// Per clause: the column a WHERE fixes (see key_compared); -1 for a WHERE fixing none or a
/// clause that keeps the row count at most the WHERE's (ORDER BY, GROUP BY, LIMIT, DISTINCT,
/// FOR UPDATE); -2 for any other clause (a JOIN, which may multiply rows, or one not known here).
template <class M, class K>
inline constexpr int clause_key = -2;
template <class M, class E>
inline constexpr int clause_key<M, Where<E>> = key_compared<M, E>;
template <class M, class Tag, class... E>
inline constexpr int clause_key<M, List<Tag, E...>> = -1;
template <class M, bool Offset>
inline constexpr int clause_key<M, Limit<Offset>> = -1;
template <class M>
inline constexpr int clause_key<M, Distinct> = -1;
template <class M>
inline constexpr int clause_key<M, ForUpdate> = -1;

/// The column of model M that a select FROM `From` with `Clauses` compares with a value in its
/// WHERE, when its FROM is M alone and no clause can add rows; -1 otherwise.
template <class From, class... Clauses>
inline constexpr int lookup_column = -1;
template <class M, class... Clauses>
inline constexpr int lookup_column<boost::mp11::mp_list<M>, Clauses...> = [] {
  int col = -1;
  for (int k : {clause_key<M, Clauses>..., -1}) {
    if (k == -2) return -1;
    if (k >= 0) col = k;
  }
  return col;
}();

/// Whether a select FROM `From` with `Clauses` returns at most one row: its WHERE compares the
/// primary key of its one model (a single column, which the model's registration knows, hence
/// at run time, once per statement type when it is compiled) with a value.
template <class From, class... Clauses>
bool fixes_primary_key() {
  constexpr int col = lookup_column<From, Clauses...>;
  if constexpr (col < 0) {
    return false;
  } else {
    const auto& pk = model_info<boost::mp11::mp_front<From>>().primary_key;
    return pk.size() == 1 && pk[0] == static_cast<std::size_t>(col);
  }
}

}  // namespace athanor::orm::detail
