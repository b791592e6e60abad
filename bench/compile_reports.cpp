// bench/compile_reports.cpp — the compile cost of real typed statements: the Chinook reporting
// corpus (test/chinook/queries_*.hpp), each statement built and executed on a Connection (so its
// SQL compilation and row reading are instantiated), nothing else. bench/compile_time.sh --chinook
// compiles it with no report (-DCHINOOK_BENCH_REPORTS=0), the first part (=1) and all (=2), header-only
// and with ATHANOR_SEPARATE_COMPILATION; the differences divided by the reports added give the
// cost of one typed statement. Not linked or run: it is only compiled.
#ifndef CHINOOK_BENCH_REPORTS
#define CHINOOK_BENCH_REPORTS 2
#endif

#include "chinook/models.hpp"
#if CHINOOK_BENCH_REPORTS >= 1
#include "chinook/queries_a.hpp"
#endif
#if CHINOOK_BENCH_REPORTS >= 2 && __has_include("chinook/queries_b.hpp")
#include "chinook/queries_b.hpp"
#endif
#if CHINOOK_BENCH_REPORTS >= 2 && __has_include(<athanor/orm/case.hpp>)
#include "chinook/queries_money.hpp"
#endif
#if CHINOOK_BENCH_REPORTS >= 2 && __has_include(<athanor/orm/window.hpp>)
#include "chinook/queries_window.hpp"
#endif
#if CHINOOK_BENCH_REPORTS >= 2 && __has_include(<athanor/orm/functions.hpp>)
#include "chinook/queries_functions.hpp"
#endif
#if CHINOOK_BENCH_REPORTS >= 2 && __has_include(<athanor/orm/compound.hpp>)
#include "chinook/queries_compound.hpp"
#endif

namespace chinook {
template <class R>
void sink(const R& rows) {
  volatile std::size_t n = rows.size();
  (void)n;
}
/// Runs every report of the corpus once.
void run_reports(athanor::Connection& conn) {
  orm::Registry registry;
  map_all(registry);
#define CHINOOK_RUN(name, ordered) sink(conn.execute(reports::name()));
#if CHINOOK_BENCH_REPORTS >= 1
  CHINOOK_REPORTS_A(CHINOOK_RUN)
#endif
#if CHINOOK_BENCH_REPORTS >= 2 && defined(CHINOOK_REPORTS_B)
  CHINOOK_REPORTS_B(CHINOOK_RUN)
#endif
#if CHINOOK_BENCH_REPORTS >= 2 && defined(CHINOOK_REPORTS_MONEY)
  CHINOOK_REPORTS_MONEY(CHINOOK_RUN)
#endif
#if CHINOOK_BENCH_REPORTS >= 2 && defined(CHINOOK_REPORTS_WINDOW)
  CHINOOK_REPORTS_WINDOW(CHINOOK_RUN)
#endif
#if CHINOOK_BENCH_REPORTS >= 2 && defined(CHINOOK_REPORTS_FUNCTIONS)
  CHINOOK_REPORTS_FUNCTIONS(CHINOOK_RUN)
#endif
#if CHINOOK_BENCH_REPORTS >= 2 && defined(CHINOOK_REPORTS_COMPOUND)
  CHINOOK_REPORTS_COMPOUND(CHINOOK_RUN)
#endif
  (void)conn;
}
}  // namespace chinook
