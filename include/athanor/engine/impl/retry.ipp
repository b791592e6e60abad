// athanor/engine/impl/retry.ipp — the wait between the runs of a retried transaction
// (engine/retry.hpp), where ATHANOR_DEFINITIONS is set: <random> and <thread> are parsed here
// only (issue 17).
#pragma once

#include <algorithm>  // std::min
#include <chrono>     // std::chrono::milliseconds
#include <random>     // std::minstd_rand
#include <thread>     // std::this_thread::sleep_for

namespace athanor::detail {

ATHANOR_DECL std::chrono::milliseconds retry_delay(const TransactionOptions& o, int n) {
  auto cap = o.backoff;
  for (int i = 1; i < n && cap < o.max_backoff; ++i)
    cap *= 2;
  cap = std::min(cap, o.max_backoff);
  if (cap.count() <= 0)
    return std::chrono::milliseconds(0);
  thread_local std::minstd_rand rng{std::random_device{}()};
  std::uniform_int_distribution<long long> half(0, cap.count() / 2);
  return std::chrono::milliseconds(cap.count() - cap.count() / 2 + half(rng));
}

ATHANOR_DECL void retry_pause(const TransactionOptions& o, int n) { std::this_thread::sleep_for(retry_delay(o, n)); }

}  // namespace athanor::detail
