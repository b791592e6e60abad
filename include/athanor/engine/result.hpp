// athanor/engine/result.hpp — `Result`, what `Connection::execute` returns: the rows (read
// in full, so the connection is free again), the count of changed rows and inserted keys.
#pragma once

#include <map>       // std::map
#include <optional>  // std::optional
#include <vector>    // std::vector

#include <athanor/engine/row.hpp>

namespace athanor {

/// The result of a statement.
/// **Example**: `for (const Row& r : conn.execute(select(users))) …`, `result.scalar<std::int64_t>()`
class Result {
 public:
  Result() = default;
  /// A result of `rows` named by `keys`; `rowcount`: rows changed (the connection makes it).
  Result(std::shared_ptr<const std::vector<std::string>> keys, std::vector<Row> rows, std::int64_t rowcount)
      : keys_(std::move(keys)), rows_(std::move(rows)), rowcount_(rowcount) {}

  /// The rows, read in full when the statement ran.
  ///@{
  auto begin() const { return rows_.begin(); }
  auto end() const { return rows_.end(); }
  std::size_t size() const { return rows_.size(); }
  bool empty() const { return rows_.empty(); }
  const std::vector<Row>& all() const { return rows_; }
  ///@}
  /// <The column names.
  std::vector<std::string> keys() const { return keys_ ? *keys_ : std::vector<std::string>{}; }

  /// The first row, or nothing.
  std::optional<Row> first() const { return rows_.empty() ? std::nullopt : std::optional<Row>(rows_[0]); }
  /// Exactly one row: NoResultFound / MultipleResultsFound otherwise.
  const Row& one() const {
    if (rows_.empty()) throw NoResultFound();
    if (rows_.size() > 1) throw MultipleResultsFound();
    return rows_[0];
  }
  /// One row or none: MultipleResultsFound when more.
  std::optional<Row> one_or_none() const {
    if (rows_.size() > 1) throw MultipleResultsFound();
    return first();
  }
  /// The first column of the first row; nothing when there is no row (or it is NULL).
  template <class T = Value>
  std::optional<T> scalar() const {
    if (rows_.empty() || rows_[0].size() == 0 || rows_[0][0].is_null()) return std::nullopt;
    return rows_[0].get<T>(0);
  }
  /// The first column of exactly one row.
  template <class T = Value>
  T scalar_one() const { return one().template get<T>(0); }
  /// The first column of every row.
  template <class T = Value>
  std::vector<T> scalars() const {
    std::vector<T> out;
    out.reserve(rows_.size());
    for (auto& r : rows_) out.push_back(r.get<T>(0));
    return out;
  }
  /// Every row as a column-name → value map.
  std::vector<std::map<std::string, Value>> mappings() const {
    std::vector<std::map<std::string, Value>> out;
    for (auto& r : rows_) {
      auto& m = out.emplace_back();
      for (std::size_t i = 0; i < r.size(); ++i) m.emplace(r.keys()[i], r[i]);
    }
    return out;
  }
  /// Rows changed by an INSERT, UPDATE or DELETE.
  std::int64_t rowcount() const { return rowcount_; }
  /// The primary key of the row a one-row INSERT created (generated parts included).
  const std::vector<Value>& inserted_primary_key() const { return inserted_primary_key_; }
  void set_inserted_primary_key(std::vector<Value> pk) { inserted_primary_key_ = std::move(pk); }  ///< Sets it (the connection does, after an INSERT).

 private:
  std::shared_ptr<const std::vector<std::string>> keys_;
  std::vector<Row> rows_;
  std::int64_t rowcount_ = -1;
  std::vector<Value> inserted_primary_key_;
};

}  // namespace athanor
