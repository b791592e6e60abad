// athanor/orm/detail/flush_sql.hpp — the compiled SQL of the flush's statements (an INSERT of
// n rows of one shape, an UPDATE of some columns by key, a DELETE by key), shared by every
// Session of the process. Its text depends only on the dialect, the model and the shape, yet
// each new Session compiled it again: a tenth of a 10 000-row flush on PostgreSQL (the
// 512-row INSERT … RETURNING, callgrind), most of a short Session's flush.
#pragma once

#include <cstddef>  // std::size_t
#include <memory>   // std::shared_ptr
#include <string>   // std::string

#include <athanor/config.hpp>
#include <athanor/core/compiled.hpp>
#include <athanor/dialect/dialect.hpp>

#if ATHANOR_DEFINITIONS
#include <functional>     // std::hash
#include <mutex>          // std::mutex
#include <unordered_map>  // std::unordered_map
#endif

namespace athanor::orm::detail {

struct ModelOps;

/// Bounds of the process's cache (shared_flush_sql): beyond them a statement is compiled for
/// the Session that asks and kept by it alone. A flush uses a few shapes per table (the
/// columns given, and a handful of row counts, powers of two); a program that writes every
/// subset of a wide table's columns must not grow the cache without end. The largest entry,
/// a 512-row INSERT of 60 columns, holds ~30 000 parameters (~2 MB).
inline constexpr std::size_t flush_sql_max_entries = 1024;
inline constexpr std::size_t flush_sql_max_bytes = std::size_t{64} << 20;

/// The compiled statement of `shape` (the statement's kind, columns and row count, spelt as
/// the caller likes; unique per model and dialect) for `ops`'s model on `dialect`: the one
/// compiled before in this process, else `make(ctx)`'s, kept for the next Session while the
/// cache is under its bounds. Safe from any thread: a lookup holds a mutex for one hash
/// lookup, compiling runs outside it (two threads may both compile a new shape; one result is
/// kept). Dialects live as long as the program (detail::dialect_for), and so do the models'
/// ModelOps (ops_for): the pointers identify them for good.
ATHANOR_DECL std::shared_ptr<const Compiled> shared_flush_sql(const Dialect& dialect, const ModelOps& ops, const std::string& shape,
                                                              Compiled (*make)(void*), void* ctx);

#if ATHANOR_DEFINITIONS
ATHANOR_DECL std::shared_ptr<const Compiled> shared_flush_sql(const Dialect& dialect, const ModelOps& ops, const std::string& shape,
                                                              Compiled (*make)(void*), void* ctx) {
  struct Key {
    const Dialect* dialect;
    const ModelOps* ops;
    std::string shape;
    bool operator==(const Key&) const = default;
  };
  struct Hash {
    std::size_t operator()(const Key& k) const noexcept {
      std::size_t h = std::hash<std::string>{}(k.shape);
      h ^= std::hash<const void*>{}(k.ops) + 0x9e3779b97f4a7c15ull + (h << 6) + (h >> 2);
      h ^= std::hash<const void*>{}(k.dialect) + 0x9e3779b97f4a7c15ull + (h << 6) + (h >> 2);
      return h;
    }
  };
  struct Cache {
    std::mutex mutex;
    std::unordered_map<Key, std::shared_ptr<const Compiled>, Hash> map;
    std::size_t bytes = 0;
  };
  static Cache cache;  // ATHANOR_DECL is inline (or defined once): one cache in the program
  Key key{&dialect, &ops, shape};
  {
    std::lock_guard lock(cache.mutex);
    if (auto it = cache.map.find(key); it != cache.map.end()) return it->second;
  }
  auto made = std::make_shared<const Compiled>(make(ctx));
  std::size_t size = made->sql.size() + made->params.size() * sizeof(CompiledParam) + sizeof(Compiled);
  std::lock_guard lock(cache.mutex);
  if (cache.map.size() >= flush_sql_max_entries || cache.bytes + size > flush_sql_max_bytes) return made;
  auto [it, added] = cache.map.try_emplace(std::move(key), std::move(made));
  if (added) cache.bytes += size;
  return it->second;
}
#endif  // ATHANOR_DEFINITIONS

}  // namespace athanor::orm::detail
