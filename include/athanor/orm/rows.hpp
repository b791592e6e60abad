// athanor/orm/rows.hpp — `Rows<R>`, the rows a typed select gives: a std::vector of its row
// type with SQLAlchemy's result vocabulary (one(), first(), one_or_none(), all()).
#pragma once

#include <optional>  // std::optional
#include <utility>   // std::as_const, std::move
#include <vector>    // std::vector

#include <athanor/core/error.hpp>

namespace athanor::orm {

/// The rows of a typed select: a std::vector of its row type (std::tuple of the selected
/// columns' C++ types, in select order, or the model of `select<M>()`).
/// **Example**: `std::vector<std::tuple<std::string, std::int64_t>> rows = session.execute(stmt);`
template <class R>
class Rows : public std::vector<R> {
 public:
  using std::vector<R>::vector;
  /// SQLAlchemy's result vocabulary. Exactly one row: NoResultFound / MultipleResultsFound otherwise.
  const R& one() const& {
    if (this->empty()) throw NoResultFound();
    if (this->size() > 1) throw MultipleResultsFound();
    return this->front();
  }
  /// On a temporary (`session.execute(stmt).one()`): the row itself, not a reference into it.
  R one() && { return std::move(const_cast<R&>(std::as_const(*this).one())); }
  /// The first row, or nothing.
  std::optional<R> first() const { return this->empty() ? std::nullopt : std::optional<R>(this->front()); }
  /// One row or none: MultipleResultsFound when more.
  std::optional<R> one_or_none() const {
    if (this->size() > 1) throw MultipleResultsFound();
    return first();
  }
  /// Every row.
  const std::vector<R>& all() const { return *this; }
  /// Reading the rows as another row type is a compile error that says so.
  template <class U>
  operator std::vector<U>() const {
    constexpr bool same_row_type = std::is_same_v<U, R>;
    static_assert(same_row_type,
                  "athanor: the result rows are std::tuple<the selected columns' types, in select order> (R in the "
                  "instantiation line), not the row type asked for (U); read them with auto or as that std::tuple");
    if constexpr (same_row_type) return std::vector<U>(this->begin(), this->end());
    else return {};
  }
};

}  // namespace athanor::orm
