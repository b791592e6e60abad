// athanor/engine/detail/queue_pool.hpp — `QueuePool`, the Pool that create_engine makes
// (SQLAlchemy's QueuePool; one shared connection for in-memory SQLite, its StaticPool). Only
// create_engine and src.hpp include it: other files reach it through Pool's virtual functions.
#pragma once

#include <chrono>              // std::chrono::steady_clock
#include <condition_variable>  // std::condition_variable
#include <deque>               // std::deque
#include <functional>          // std::function
#include <memory>              // std::unique_ptr, std::shared_ptr
#include <mutex>               // std::mutex

#include <athanor/config.hpp>
#include <athanor/engine/pool.hpp>

namespace athanor::detail {

/// The Pool of every Engine: up to pool_size connections kept open, max_overflow more under
/// load, a checkout waiting at most `timeout`; with `shared_single`, one connection for all.
class QueuePool final : public Pool {
 public:
  using Factory = std::function<std::unique_ptr<driver::Connection>()>;  ///< opens a new driver connection

  /// A pool opening connections with `factory`; `shared_single`: one connection shared by all.
  QueuePool(Factory factory, PoolOptions options, bool shared_single)
      : Pool(options), factory_(std::move(factory)), shared_(shared_single) {}
  ATHANOR_DECL ~QueuePool() override;

  /// A connection: an idle one (recycled or pinged as the options say), a new one, or the first
  /// returned within `timeout` (else an OperationalError).
  ATHANOR_DECL Lease checkout() override;

  /// Returns a connection. `broken` connections (lost link, failed reset) are closed.
  ATHANOR_DECL void checkin(Lease lease, bool broken) override;

  /// Called when a connection is found dead: the others were opened to the same server, which
  /// most likely restarted or dropped its clients, so the idle ones are closed now and those in
  /// use when they come back; new ones open on demand (SQLAlchemy's pool invalidation on
  /// disconnect). One failure instead of one per stale connection, with or without pre_ping.
  ATHANOR_DECL void invalidate() override;

  /// Closes every idle connection; connections in use close when returned.
  ATHANOR_DECL void dispose() override;

  std::size_t size() const override { std::lock_guard l(mutex_); return total_; }
  std::size_t checked_out() const override { std::lock_guard l(mutex_); return out_; }
  std::size_t idle() const override { std::lock_guard l(mutex_); return idle_.size(); }
  std::size_t invalidated() const override { std::lock_guard l(mutex_); return invalidated_; }
  const void* shared_owner() const override { std::lock_guard l(mutex_); return shared_owner_; }
  void set_shared_owner(const void* o) override { std::lock_guard l(mutex_); shared_owner_ = o; }

 private:
  struct Idle {
    std::shared_ptr<driver::Connection> conn;
    Clock::time_point created;
  };
  Factory factory_;
  bool shared_;
  mutable std::mutex mutex_;
  std::condition_variable available_;
  std::deque<Idle> idle_;
  std::size_t total_ = 0, out_ = 0, invalidated_ = 0;
  Clock::time_point invalidated_at_{};  ///< connections opened until then are not reused
  std::shared_ptr<driver::Connection> single_;
  Clock::time_point created_single_ = Clock::now();
  std::recursive_mutex shared_mutex_;
  const void* shared_owner_ = nullptr;
};

}  // namespace athanor::detail

#if ATHANOR_DEFINITIONS
#include <athanor/engine/impl/queue_pool.ipp>
#endif
