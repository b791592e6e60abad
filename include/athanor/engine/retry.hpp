// athanor/engine/retry.hpp — `TransactionOptions` and `transaction(engine, f, options)`: a unit
// of work run in one transaction and run again, after a rollback, when the server gave up on it
// because of a concurrent one (TransactionConflict). The ORM's transaction(session, …) shares
// the loop (detail::run_with_retries); drivers know nothing of it.
#pragma once

#include <chrono>       // std::chrono::milliseconds
#include <functional>   // std::function
#include <optional>     // std::optional
#include <type_traits>  // std::is_void_v

#include <athanor/config.hpp>
#include <athanor/engine/engine.hpp>

namespace athanor {

/// How `transaction(…, f, options)` runs `f`.
/// **Example**: `transaction(engine, f, {.retries = 5, .isolation = IsolationLevel::serializable})`
struct TransactionOptions {
  /// Runs of `f` after the first, each after a rollback, when it failed with a TransactionConflict
  /// (serialization failure, deadlock, lock timeout). 0: run once.
  int retries = 0;
  /// The transaction's isolation level (unset: the engine's).
  std::optional<IsolationLevel> isolation{};
  /// The wait before the n-th retry is a random time between half and all of
  /// min(max_backoff, backoff × 2ⁿ⁻¹) ("equal jitter"): conflicting clients spread out.
  std::chrono::milliseconds backoff{10};
  std::chrono::milliseconds max_backoff{1000};
  /// Also retry these errors (e.g. a lost connection before COMMIT); the default retries
  /// TransactionConflict only. CommitResultUnknown is never retried, whatever this says.
  std::function<bool(const Error&)> retry_if{};
  /// Called before each retry with its number (1, 2, …) and the error that caused it (logging, metrics).
  std::function<void(int, const Error&)> on_retry{};
};

namespace detail {
/// The wait before retry `n` (1-based) of `o` (random, see TransactionOptions::backoff).
ATHANOR_DECL std::chrono::milliseconds retry_delay(const TransactionOptions& o, int n);
/// Sleeps for retry_delay(o, n). Out of line with retry_delay, so that <random> and <thread>
/// are parsed only where it is defined (engine/impl/retry.ipp; issue 17).
ATHANOR_DECL void retry_pause(const TransactionOptions& o, int n);

/// Runs `attempt()` (which begins, runs and commits one transaction, and rolls it back when
/// it throws) until it returns, re-running it on the errors `o` names, at most o.retries times.
template <class A>
decltype(auto) run_with_retries(const TransactionOptions& o, A&& attempt) {
  for (int n = 1;; ++n) {
    try {
      return attempt();
    } catch (const CommitResultUnknown&) {
      throw;  // it may have been stored: running it again could store it twice
    } catch (const Error& e) {
      bool retryable = dynamic_cast<const TransactionConflict*>(&e) || (o.retry_if && o.retry_if(e));
      if (!retryable || n > o.retries)
        throw;
      if (o.on_retry)
        o.on_retry(n, e);
      retry_pause(o, n);
    }
  }
}
}  // namespace detail

/// Runs `f(conn)` in a transaction of `engine`'s and commits; rolls back and rethrows when `f`
/// throws. With `options.retries`, a TransactionConflict (at any statement, or at COMMIT) rolls
/// back and runs `f` again on a fresh transaction, with backoff; when they run out, the last
/// error is thrown. A connection lost during COMMIT throws CommitResultUnknown and is not retried.
/// **Example**:
/// ```
/// int n = transaction(engine, [&](Connection& c) {
///   return c.execute(update(accounts).values({{"balance", accounts.c("balance") - 10}})…).rowcount();
/// }, {.retries = 5, .isolation = IsolationLevel::serializable});
/// ```
template <class F>
decltype(auto) transaction(const Engine& engine, F&& f, const TransactionOptions& options = {}) {
  return detail::run_with_retries(options, [&]() -> decltype(auto) {
    auto conn = engine.begin(options.isolation);  // rolls back when it goes, unless committed
    if constexpr (std::is_void_v<decltype(f(conn))>) {
      f(conn);
      conn.commit();
    } else {
      decltype(auto) r = f(conn);
      conn.commit();
      return r;
    }
  });
}

}  // namespace athanor

#if ATHANOR_DEFINITIONS
#include <athanor/engine/impl/retry.ipp>
#endif
