// athanor/orm/detail/run_rows.hpp — running a typed statement that gives rows (a select, a
// compound) through one compiled function: each statement type adds a table of three
// pointers and a two-line run(), each row type one function that reads a row into its Rows.
#pragma once

#include <algorithm>  // std::min
#include <atomic>     // std::atomic
#include <cstdint>    // std::int64_t, std::uint32_t, UINT32_MAX
#include <vector>     // std::vector

#include <athanor/config.hpp>
#include <athanor/driver/driver.hpp>
#include <athanor/engine/connection.hpp>  // ConnectionImpl, its execute_rows defined with it
#include <athanor/orm/detail/compile_cache.hpp>
#include <athanor/orm/rows.hpp>

namespace athanor::orm::detail {

/// What one statement type hands to run_statement: its SQL cache and how to compile and
/// collect a statement of the type given by address (`collect` null when nothing binds).
/// A constant table per type (statement_run<S>): no function body for it.
struct StatementRun {
  bool cacheable;
  CompileCache* cache;
  Compiled (*make)(const void* stmt, const Dialect&);
  void (*collect)(const void* stmt, Collected& out);
  std::atomic<std::uint32_t>* rows_seen;  ///< rows_seen<S>
};
/// `s.collect(out)` of a statement of type S given by address.
template <class S>
void collect_erased(const void* s, Collected& out) {
  static_cast<const S*>(s)->collect(out);
}
/// How the values of a statement of type S are collected, given by address: collect_erased<S>,
/// or a function of its own (a typed select: select.hpp); null when S binds nothing.
using CollectFn = void (*)(const void* stmt, Collected& out);
template <class S>
inline constexpr CollectFn collect_of = S::binds ? &collect_erased<S> : nullptr;
/// How many rows the last execution of a statement of type S gave (any connection, any thread:
/// a hint, read and written relaxed). The next execution's Rows reserve that many at once.
template <class S>
constinit inline std::atomic<std::uint32_t> rows_seen{0};
/// The table of statement type S.
template <class S>
inline constexpr StatementRun statement_run{S::cacheable, &compile_cache<S>, compile_of<S>, collect_of<S>, &rows_seen<S>};

/// Runs `stmt` on `c`: its values collected into the thread's kept vector, its SQL from the
/// type's cache, each row handed to `on_row(ctx, statement)`. Out of line: before, each
/// statement type's run() inlined the value lease, the cache look-up's shared_ptr and the row
/// loop's thunk (about a third of the code -O2 made for a statement of the Chinook corpus
/// outside its SQL building).
/// Returns the rows affected. `on_row` null: rows are not read (an UPDATE or DELETE).
ATHANOR_DECL std::int64_t run_statement(athanor::detail::ConnectionImpl& c, const StatementRun& run, const void* stmt,
                                        void (*on_row)(void* ctx, driver::Statement&), void* ctx);
#if ATHANOR_DEFINITIONS
ATHANOR_DECL std::int64_t run_statement(athanor::detail::ConnectionImpl& c, const StatementRun& run, const void* stmt,
                                        void (*on_row)(void* ctx, driver::Statement&), void* ctx) {
  CollectedLease values;
  if (run.collect) run.collect(stmt, values.values());
  const auto sql = compiled_sql(run.cacheable, *run.cache, *c.engine->dialect, run.make, stmt);
  if (!on_row) on_row = [](void*, driver::Statement&) {};
  return c.execute_rows(*sql, values.values(), on_row, ctx);
}
#endif

/// Where the rows of one execution go: the Rows being filled and the reader of their type.
template <class Result, class Reader>
struct RowSink {
  Rows<Result>* out;
  const Reader* reader;
};
/// Reads one row into a RowSink<Result, Reader>: one function per row type and reader (shared
/// by every statement of that shape), where execute_typed made three (itself, its thunk and
/// the caller's lambda).
template <class Result, class Reader>
void read_row_into(void* ctx, driver::Statement& st) {
  auto& sink = *static_cast<RowSink<Result, Reader>*>(ctx);
  if constexpr (requires(std::vector<Result>& v) { sink.reader->read_back(v, st); })
    sink.reader->read_back(*sink.out, st);  // in place: no move per row
  else
    sink.out->push_back(sink.reader->read(st));
}
/// The rows of statement `stmt` (of the type `run` describes, statement_run<S>), read by
/// `reader`: one function per row type and reader, not per statement type.
/// The Rows are reserved at the count the statement's type gave last time (rows_seen), up to
/// rows_hint_bytes of them: a statement run in a loop (a page of 100 users, a user's 10 posts)
/// fills its vector without growing it, each growth a malloc and a move and destruction of
/// every row so far (W6a: 4 of them for 10 posts, ~15 moves of a Post). Fewer than half of them
/// read: shrunk, so a Rows never keeps more room than growing it would have left (under 2x).
inline constexpr std::size_t rows_hint_bytes = 64 * 1024;
template <class Result, class Reader>
Rows<Result> run_rows(athanor::detail::ConnectionImpl& c, const StatementRun& run, const void* stmt, const Reader& reader) {
  Rows<Result> out;
  // One row (a lookup by key) reserves nothing: the first row's insertion allocates as much.
  if (std::size_t seen = run.rows_seen->load(std::memory_order_relaxed); seen > 1)
    out.reserve(std::min(seen, rows_hint_bytes / sizeof(Result) + 1));
  RowSink<Result, Reader> sink{&out, &reader};
  run_statement(c, run, stmt, &read_row_into<Result, Reader>, &sink);
  run.rows_seen->store(static_cast<std::uint32_t>(std::min<std::size_t>(out.size(), UINT32_MAX)), std::memory_order_relaxed);
  if (out.capacity() > 2 * out.size()) out.shrink_to_fit();
  return out;
}

}  // namespace athanor::orm::detail
