// athanor/orm/replicas.hpp — read replicas for Sessions: a Session reads from a reader engine
// until it writes, then from the writer (read-your-writes), as SQLAlchemy's get_bind recipe
// for a primary and its followers. Core connections choose their engine themselves.
#pragma once

#include <atomic>     // std::atomic
#include <chrono>     // std::chrono::steady_clock
#include <cstddef>    // std::size_t
#include <memory>     // std::shared_ptr
#include <optional>   // std::optional
#include <stdexcept>  // std::exception
#include <vector>     // std::vector

#include <athanor/engine/engine.hpp>

namespace athanor::orm {

/// Chooses which reader a Session's read transaction tries first; the others follow in order
/// when it is down or too far behind. Replace it to route by locality, weight or load.
class ReadPolicy {
 public:
  virtual ~ReadPolicy() = default;
  /// The index, in [0, readers), of the reader to try first. Called from many threads.
  virtual std::size_t choose(std::size_t readers) = 0;
};

/// Each read transaction takes the next reader (the default policy).
class RoundRobin final : public ReadPolicy {
 public:
  std::size_t choose(std::size_t readers) override { return next_.fetch_add(1, std::memory_order_relaxed) % readers; }

 private:
  std::atomic<std::size_t> next_{0};
};

/// The readers of a sessionmaker, and what to do when they cannot serve.
/// **Example**: `sessionmaker Session{writer, {.readers = {replica1, replica2}, .max_lag = 5s}};`
struct ReplicaOptions {
  std::vector<Engine> readers;  ///< engines of the replicas, all of the writer's dialect
  std::shared_ptr<ReadPolicy> policy{};  ///< default: RoundRobin
  /// A reader further behind its primary than this is skipped (0: no limit). Only where the
  /// server can tell (PostgreSQL: pg_last_xact_replay_timestamp()); an ArgumentError elsewhere.
  std::chrono::milliseconds max_lag{0};
  /// A reader that failed to connect is not tried again for this long.
  std::chrono::milliseconds down_for{std::chrono::seconds(10)};
  /// When no reader can serve: read from the writer (true) or raise OperationalError
  /// ([athanor.operational.no_reader]).
  bool fallback_to_writer = true;
};

namespace detail {

/// The readers shared by the Sessions of one sessionmaker: which are down, and until when.
class Replicas {
 public:
  Replicas(const Engine& writer, ReplicaOptions o) : options_(std::move(o)), down_until_(options_.readers.size()) {
    if (!options_.policy) options_.policy = std::make_shared<RoundRobin>();
    for (const auto& r : options_.readers) {
      if (r.dialect().name() != writer.dialect().name()) {
        throw ArgumentError("[athanor.argument.replica] a reader (" + std::string(r.dialect().display_name()) +
                            ") must have the writer's dialect (" + std::string(writer.dialect().display_name()) + ")");
      }
      if (options_.max_lag.count() > 0 && !r.dialect().capabilities().replica_lag_sql) {
        throw ArgumentError("[athanor.argument.replica] max_lag: " + std::string(r.dialect().display_name()) +
                            " cannot tell a replica's lag");
      }
    }
  }
  bool empty() const { return options_.readers.empty(); }

  /// A transaction on a reader that is up and recent enough, or nothing (read from the writer).
  std::optional<Connection> begin_read() {
    const std::size_t n = options_.readers.size();
    if (n == 0) return std::nullopt;
    const std::size_t first = options_.policy->choose(n) % n;
    for (std::size_t k = 0; k < n; ++k) {
      const std::size_t i = (first + k) % n;
      if (now() < down_until_[i].load(std::memory_order_relaxed)) continue;
      try {
        auto c = options_.readers[i].begin();
        if (recent_enough(c, options_.readers[i])) return c;
      } catch (const OperationalError&) {  // cannot connect: skip it for a while
        mark_down(i);
      }
    }
    if (options_.fallback_to_writer) return std::nullopt;
    throw OperationalError("[athanor.operational.no_reader] no reader can serve: each is down or further behind than max_lag");
  }
  /// A reader whose connection broke while in use: skipped for a while, as one that cannot connect.
  void mark_down(Connection& c) {
    for (std::size_t i = 0; i < options_.readers.size(); ++i)
      if (&options_.readers[i].pool() == c.impl().engine->pool.get()) mark_down(i);
  }

 private:
  static std::int64_t now() { return std::chrono::steady_clock::now().time_since_epoch().count(); }
  void mark_down(std::size_t i) {
    auto until = std::chrono::steady_clock::now() + options_.down_for;
    down_until_[i].store(until.time_since_epoch().count(), std::memory_order_relaxed);
  }
  bool recent_enough(Connection& c, const Engine& e) const {
    if (options_.max_lag.count() <= 0) return true;
    // NULL: the server cannot say (no transaction replayed yet): not known to be recent.
    auto lag = c.exec_driver_sql(e.dialect().capabilities().replica_lag_sql).scalar<double>();
    return lag && *lag * 1000.0 <= static_cast<double>(options_.max_lag.count());
  }

  ReplicaOptions options_;
  std::vector<std::atomic<std::int64_t>> down_until_;  ///< steady_clock ticks; 0: up
};

}  // namespace detail
}  // namespace athanor::orm
