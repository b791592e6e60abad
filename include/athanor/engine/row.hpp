// athanor/engine/row.hpp — `Row`, one row of a Core result: values by index or by name,
// read as C++ types with `get<T>`.
#pragma once

#include <memory>       // std::shared_ptr
#include <string>       // std::string
#include <string_view>  // std::string_view
#include <tuple>        // std::tuple
#include <vector>       // std::vector

#include <athanor/core/detail/convert.hpp>

namespace athanor {

/// A result row. **Example**: `row.get<int>("id")`, `row.get<std::optional<std::string>>(1)`,
/// `auto [id, name] = row.tuple<int, std::string>();`
class Row {
 public:
  /// A row of `values`, named by `keys` (shared by the rows of one result).
  Row(std::shared_ptr<const std::vector<std::string>> keys, std::vector<Value> values)
      : keys_(std::move(keys)), values_(std::move(values)) {}

  /// The number of columns.
  std::size_t size() const { return values_.size(); }
  /// The column names.
  const std::vector<std::string>& keys() const { return *keys_; }
  /// The values, in column order.
  const std::vector<Value>& values() const { return values_; }
  /// Column `i`, as at(i).
  const Value& operator[](std::size_t i) const { return at(i); }
  /// The column named `name` (ArgumentError when there is none).
  const Value& operator[](std::string_view name) const { return values_[index(name)]; }
  /// Column `i` (ArgumentError when there is none).
  const Value& at(std::size_t i) const {
    if (i >= values_.size()) {
      throw ArgumentError("[athanor.argument.row_index] row has " + std::to_string(values_.size()) +
                          " columns, index " + std::to_string(i) + " asked");
    }
    return values_[i];
  }
  /// Column `i` as T: a DataError when the value does not fit T, NULL included (read
  /// std::optional<T> or Value there).
  template <class T>
  T get(std::size_t i) const { return get_<T>(at(i), i); }
  /// The column named `name` as T, as get(i).
  template <class T>
  T get(std::string_view name) const {
    auto i = index(name);
    return get_<T>(values_[i], i);
  }
  /// The whole row as a tuple of C++ types (as many types as columns).
  template <class... T>
  std::tuple<T...> tuple() const {
    if (sizeof...(T) != values_.size()) {
      throw ArgumentError("[athanor.argument.row_tuple] row has " + std::to_string(values_.size()) +
                          " columns, the tuple " + std::to_string(sizeof...(T)));
    }
    return tuple_<T...>(std::index_sequence_for<T...>{});
  }
  /// The position of the column named `name` (ArgumentError when there is none).
  std::size_t index(std::string_view name) const {
    for (std::size_t i = 0; i < keys_->size(); ++i)
      if ((*keys_)[i] == name) return i;
    throw ArgumentError("[athanor.argument.unknown_column] the result has no column '" + std::string(name) + "'");
  }

 private:
  /// Value `i` as T; a NULL read as a T that cannot hold it names the column (the same test
  /// from_value starts with, so the compiler keeps one).
  template <class T>
  T get_(const Value& v, std::size_t i) const {
    if constexpr (!detail::is_optional<T>::value && !std::is_same_v<T, Value>) {  // a Value holds NULL
      if (v.is_null()) detail::null_column_error<T>(i < keys_->size() ? std::string_view((*keys_)[i]) : "?", i);
    }
    return detail::from_value<T>(v);
  }
  template <class... T, std::size_t... I>
  std::tuple<T...> tuple_(std::index_sequence<I...>) const {
    return std::tuple<T...>(get_<T>(values_[I], I)...);
  }
  std::shared_ptr<const std::vector<std::string>> keys_;
  std::vector<Value> values_;
};

}  // namespace athanor
