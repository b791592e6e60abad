// athanor/driver/detail/statement_cache.hpp — the per-connection cache of prepared
// statements, keyed by SQL text, bounded and least-recently-used first out.
#pragma once

#include <cstdint>        // std::int64_t
#include <list>           // std::list
#include <memory>         // std::unique_ptr
#include <string>         // std::string
#include <unordered_map>  // std::unordered_map

#include <athanor/driver/driver.hpp>

namespace athanor::driver::detail {

class StatementCache {
 public:
  explicit StatementCache(std::size_t capacity = 256) : capacity_(capacity) {}
  /// The cached statement for `sql`, or nullptr. The most recent one is compared first, by
  /// text, before hashing: a loop running one statement (lookups, UPDATEs by key) skips the
  /// hash of its SQL text (~4 % of the library's own cost per primary-key lookup on SQLite).
  Statement* find(const std::string& sql) {
    if (!order_.empty() && order_.front().first == sql) return order_.front().second.get();
    auto it = map_.find(sql);
    if (it == map_.end()) return nullptr;
    order_.splice(order_.begin(), order_, it->second);
    return it->second->second.get();
  }
  Statement& put(const std::string& sql, std::unique_ptr<Statement> s) {
    if (map_.size() >= capacity_) {
      map_.erase(order_.back().first);
      order_.pop_back();
      ++dropped_;
    }
    order_.emplace_front(sql, std::move(s));
    map_[sql] = order_.begin();
    return *order_.front().second;
  }
  void clear() {
    dropped_ += static_cast<std::int64_t>(map_.size());
    map_.clear(), order_.clear();
  }
  std::size_t size() const { return map_.size(); }
  /// Statements finalized so far (evicted or cleared): Connection::statements_dropped.
  std::int64_t dropped() const { return dropped_; }

 private:
  std::size_t capacity_;
  std::int64_t dropped_ = 0;
  std::list<std::pair<std::string, std::unique_ptr<Statement>>> order_;
  std::unordered_map<std::string, decltype(order_)::iterator> map_;
};

}  // namespace athanor::driver::detail
