// athanor/engine/transaction.hpp — `Transaction`, a transaction or savepoint on a Connection.
// It rolls back when it goes out of scope without commit(); destructors never throw.
#pragma once

#include <string>   // std::string
#include <utility>  // std::exchange

namespace athanor {

namespace detail {
class ConnectionImpl;
}

/// A transaction or savepoint on a Connection; it rolls back at scope end without commit().
/// **Example**: `{ auto tx = conn.begin(); conn.execute(…); tx.commit(); }`
class Transaction {
 public:
  /// The transaction (level 0) or savepoint (level ≥ 1) a Connection's begin()/begin_nested() opened.
  Transaction(detail::ConnectionImpl* c, std::size_t level, int generation) : c_(c), level_(level), generation_(generation) {}
  Transaction(Transaction&& o) noexcept : c_(std::exchange(o.c_, nullptr)), level_(o.level_), generation_(o.generation_) {}  ///< Moves the transaction: `o` then rolls back nothing at its end.
  Transaction& operator=(Transaction&&) = delete;
  ~Transaction() {
    try {
      rollback();
    } catch (...) {  // a failed rollback leaves a broken connection, which the pool discards
    }
  }
  void commit();  ///< Commits (a savepoint: releases it).
  void rollback();  ///< Rolls back (a savepoint: to it, the transaction stays open).
  /// True until committed or rolled back (also through the Connection or an outer rollback).
  bool is_active() const;
  /// True for a savepoint (`begin_nested`).
  bool is_nested() const { return level_ > 0; }

 private:
  detail::ConnectionImpl* c_;
  std::size_t level_;  ///< 0: the transaction; n: the n-th savepoint
  int generation_;
};

}  // namespace athanor
