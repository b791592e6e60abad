// athanor/engine/impl/queue_pool.ipp — QueuePool's locking and waiting, where
// ATHANOR_DEFINITIONS is set (engine/detail/queue_pool.hpp includes it).
#pragma once

#include <string>  // std::to_string

#include <athanor/core/error.hpp>

namespace athanor::detail {

ATHANOR_DECL QueuePool::~QueuePool() { dispose(); }

ATHANOR_DECL Pool::Lease QueuePool::checkout() {
  std::unique_lock lock(mutex_);
  if (shared_) {
    if (!single_) single_ = std::shared_ptr<driver::Connection>(factory_()), ++total_;
    ++out_;
    return {single_, created_single_, &shared_mutex_};
  }
  auto deadline = Clock::now() + options_.timeout;
  for (;;) {
    while (!idle_.empty()) {
      Idle item = std::move(idle_.front());
      idle_.pop_front();
      bool old = options_.recycle.count() >= 0 && Clock::now() - item.created > options_.recycle;
      lock.unlock();  // a ping is a round trip: not under the lock
      bool alive = !old && (!options_.pre_ping || item.conn->ping());
      lock.lock();
      if (alive) {
        ++out_;
        return {std::move(item.conn), item.created, nullptr};
      }
      --total_;  // dropped: stale or dead; open a fresh one below
      ++invalidated_;
    }
    if (total_ < options_.pool_size + options_.max_overflow) {
      ++total_;
      lock.unlock();
      try {
        auto c = std::shared_ptr<driver::Connection>(factory_());
        lock.lock();
        ++out_;
        return {std::move(c), Clock::now(), nullptr};
      } catch (...) {
        lock.lock();
        --total_;
        available_.notify_one();
        throw;
      }
    }
    if (available_.wait_until(lock, deadline) == std::cv_status::timeout && idle_.empty() &&
        total_ >= options_.pool_size + options_.max_overflow) {
      throw OperationalError("[athanor.operational.pool_timeout] pool limit of size " + std::to_string(options_.pool_size) +
                             " overflow " + std::to_string(options_.max_overflow) + " reached; no connection freed within " +
                             std::to_string(options_.timeout.count()) + " ms");
    }
  }
}

ATHANOR_DECL void QueuePool::checkin(Lease lease, bool broken) {
  std::lock_guard lock(mutex_);
  --out_;
  if (shared_) {
    if (broken) single_.reset(), --total_;
    return;
  }
  if (broken || lease.created <= invalidated_at_ || idle_.size() >= options_.pool_size) {
    --total_;
  } else {
    idle_.push_back({std::move(lease.conn), lease.created});
  }
  available_.notify_one();
}

ATHANOR_DECL void QueuePool::invalidate() {
  std::lock_guard lock(mutex_);
  if (shared_) return;
  invalidated_at_ = Clock::now();
  total_ -= idle_.size(), invalidated_ += idle_.size();
  idle_.clear();
  available_.notify_all();
}

ATHANOR_DECL void QueuePool::dispose() {
  std::lock_guard lock(mutex_);
  total_ -= idle_.size();
  idle_.clear();
  if (shared_ && single_ && out_ == 0) single_.reset(), --total_;
  available_.notify_all();
}

}  // namespace athanor::detail
