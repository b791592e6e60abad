// athanor/engine/pool.hpp — `Pool`, the thread-safe connection pool inside an Engine
// (SQLAlchemy's QueuePool): size, overflow, checkout timeout, recycle age, pre-ping on
// checkout, disposal. An in-memory SQLite engine uses one shared connection instead
// (SQLAlchemy's StaticPool), since each new connection would be a new, empty database.
#pragma once

#include <chrono>              // std::chrono::steady_clock
#include <condition_variable>  // std::condition_variable
#include <deque>               // std::deque
#include <functional>          // std::function
#include <memory>              // std::unique_ptr, std::shared_ptr
#include <mutex>               // std::mutex

#include <athanor/config.hpp>
#include <athanor/core/error.hpp>
#include <athanor/driver/driver.hpp>

namespace athanor {

/// Pool settings (part of EngineOptions).
struct PoolOptions {
  std::size_t pool_size = 5;                        ///< connections kept open
  std::size_t max_overflow = 10;                    ///< extra connections allowed under load
  std::chrono::milliseconds timeout{30000};         ///< wait at most this long for a free connection
  std::chrono::seconds recycle{-1};                 ///< reopen connections older than this (-1: never)
  bool pre_ping = false;                            ///< test each connection on checkout
};

/// The connections of an Engine: up to pool_size kept open, max_overflow more under load,
/// a checkout waiting at most `timeout` (SQLAlchemy's QueuePool). In-memory SQLite shares one
/// connection instead (`shared_single`), its users taking turns.
class Pool {
 public:
  using Factory = std::function<std::unique_ptr<driver::Connection>()>;  ///< opens a new driver connection
  using Clock = std::chrono::steady_clock;  ///< for timeouts and ages

  /// A checked-out connection; give it back with `Pool::checkin`.
  struct Lease {
    std::shared_ptr<driver::Connection> conn;  ///< the connection
    Clock::time_point created;  ///< when it was opened (for `recycle`)
    std::recursive_mutex* shared_mutex = nullptr;  ///< set when the connection is shared
  };

  /// A pool opening connections with `factory`; `shared_single`: one connection shared by all.
  Pool(Factory factory, PoolOptions options, bool shared_single)
      : factory_(std::move(factory)), options_(options), shared_(shared_single) {}
  ATHANOR_DECL ~Pool();
  Pool(const Pool&) = delete;
  Pool& operator=(const Pool&) = delete;

  /// A connection: an idle one (recycled or pinged as the options say), a new one, or the first
  /// returned within `timeout` (else an OperationalError).
  ATHANOR_DECL Lease checkout();

  /// Returns a connection. `broken` connections (lost link, failed reset) are closed.
  ATHANOR_DECL void checkin(Lease lease, bool broken);

  /// Called when a connection is found dead: the others were opened to the same server, which
  /// most likely restarted or dropped its clients, so the idle ones are closed now and those in
  /// use when they come back; new ones open on demand (SQLAlchemy's pool invalidation on
  /// disconnect). One failure instead of one per stale connection, with or without pre_ping.
  ATHANOR_DECL void invalidate();

  /// Closes every idle connection; connections in use close when returned.
  ATHANOR_DECL void dispose();

  std::size_t size() const { std::lock_guard l(mutex_); return total_; }  ///< Connections open (idle or checked out).
  std::size_t checked_out() const { std::lock_guard l(mutex_); return out_; }  ///< Connections checked out now.
  std::size_t idle() const { std::lock_guard l(mutex_); return idle_.size(); }  ///< Idle connections.
  /// Connections dropped because they were too old, failed the pre-ping or were idle when
  /// another one was found dead (`invalidate`).
  std::size_t invalidated() const { std::lock_guard l(mutex_); return invalidated_; }
  const PoolOptions& options() const { return options_; }  ///< The options it was made with.
  /// Shared mode: who holds the one connection's transaction (nullptr: nobody).
  const void* shared_owner() const { std::lock_guard l(mutex_); return shared_owner_; }
  void set_shared_owner(const void* o) { std::lock_guard l(mutex_); shared_owner_ = o; }  ///< Shared mode: sets who holds the one connection's transaction.

 private:
  struct Idle {
    std::shared_ptr<driver::Connection> conn;
    Clock::time_point created;
  };
  Factory factory_;
  PoolOptions options_;
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

// Defined once with ATHANOR_SEPARATE_COMPILATION (issue 17): every file that made an Engine or
// ran a statement compiled the pool's locking and waiting.
#if ATHANOR_DEFINITIONS
ATHANOR_DECL Pool::~Pool() { dispose(); }

ATHANOR_DECL Pool::Lease Pool::checkout() {
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

ATHANOR_DECL void Pool::checkin(Lease lease, bool broken) {
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

ATHANOR_DECL void Pool::invalidate() {
  std::lock_guard lock(mutex_);
  if (shared_) return;
  invalidated_at_ = Clock::now();
  total_ -= idle_.size(), invalidated_ += idle_.size();
  idle_.clear();
  available_.notify_all();
}

ATHANOR_DECL void Pool::dispose() {
  std::lock_guard lock(mutex_);
  total_ -= idle_.size();
  idle_.clear();
  if (shared_ && single_ && out_ == 0) single_.reset(), --total_;
  available_.notify_all();
}
#endif  // ATHANOR_DEFINITIONS

}  // namespace athanor
