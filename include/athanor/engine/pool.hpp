// athanor/engine/pool.hpp — `Pool`, the thread-safe connection pool inside an Engine, and its
// options: size, overflow, checkout timeout, recycle age, pre-ping on checkout, disposal.
// The implementation (SQLAlchemy's QueuePool, and its StaticPool for in-memory SQLite) is
// engine/detail/queue_pool.hpp, which create_engine includes.
#pragma once

#include <chrono>   // std::chrono::steady_clock
#include <cstddef>  // std::size_t
#include <memory>   // std::shared_ptr
#include <mutex>    // std::recursive_mutex

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

/// The connections of an Engine (SQLAlchemy's Pool): `engine.pool()`. create_engine makes the
/// one implementation, detail::QueuePool: up to pool_size connections kept open, max_overflow
/// more under load, a checkout waiting at most `timeout`; in-memory SQLite shares one connection
/// instead, its users taking turns. An interface, so that a file that only uses an Engine parses
/// neither the pool's waiting (<condition_variable>) nor its queue (issue 17).
class Pool {
 public:
  using Clock = std::chrono::steady_clock;  ///< for timeouts and ages

  /// A checked-out connection; give it back with `Pool::checkin`.
  struct Lease {
    std::shared_ptr<driver::Connection> conn;  ///< the connection
    Clock::time_point created;  ///< when it was opened (for `recycle`)
    std::recursive_mutex* shared_mutex = nullptr;  ///< set when the connection is shared
  };

  virtual ~Pool() = default;
  Pool(const Pool&) = delete;
  Pool& operator=(const Pool&) = delete;

  /// A connection: an idle one (recycled or pinged as the options say), a new one, or the first
  /// returned within `timeout` (else an OperationalError).
  virtual Lease checkout() = 0;

  /// Returns a connection. `broken` connections (lost link, failed reset) are closed.
  virtual void checkin(Lease lease, bool broken) = 0;

  /// Called when a connection is found dead: the others were opened to the same server, which
  /// most likely restarted or dropped its clients, so the idle ones are closed now and those in
  /// use when they come back; new ones open on demand (SQLAlchemy's pool invalidation on
  /// disconnect). One failure instead of one per stale connection, with or without pre_ping.
  virtual void invalidate() = 0;

  /// Closes every idle connection; connections in use close when returned.
  virtual void dispose() = 0;

  virtual std::size_t size() const = 0;  ///< Connections open (idle or checked out).
  virtual std::size_t checked_out() const = 0;  ///< Connections checked out now.
  virtual std::size_t idle() const = 0;  ///< Idle connections.
  /// Connections dropped because they were too old, failed the pre-ping or were idle when
  /// another one was found dead (`invalidate`).
  virtual std::size_t invalidated() const = 0;
  const PoolOptions& options() const { return options_; }  ///< The options it was made with.
  /// Shared mode: who holds the one connection's transaction (nullptr: nobody).
  virtual const void* shared_owner() const = 0;
  virtual void set_shared_owner(const void* o) = 0;  ///< Shared mode: sets who holds the one connection's transaction.

 protected:
  explicit Pool(PoolOptions options) : options_(options) {}  ///< For an implementation.
  PoolOptions options_;  ///< The options it was made with.
};

}  // namespace athanor
