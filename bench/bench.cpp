// bench/bench.cpp — athanor's benchmark (DESIGN §5): each workload timed for the ORM path,
// the typed Core path and hand-written code on the backend's C/C++ client (the sqlite3 C API,
// libpqxx, MariaDB Connector/C prepared statements), in one run, at two sizes N side by side
// (10 000 and 200 000 users by default: a ratio that grows with N is a cost per row that
// grows); prints the median of each over several repetitions and the ratios athanor /
// hand-written.
//
//   bench [--n N[,N…]] [--reps K] [--reps-large K] [--json FILE] [--no-memory] [--no-file]
//         [--budget SECONDS] [--core-insert bindparam|values_list] [--lazy-users L] [--dir DIR]
//         [--url postgresql://…]      (PostgreSQL too: databases <prefix>0, 1, … there, one per contestant)
//         [--mysql-url mysql://…]     (MariaDB too: databases <prefix>0, 1, … there, one per contestant)
//         [--db-prefix P]             (the server databases' names, default athanor_bench_)
//         [--only W2,W3] [--skip hand|core|orm|prep|pipe|mval|bulk]   (profiling: W1 always runs, it makes the data,
//         except with --only W1)
//   ./dev bench                        (N = 10 000 and 200 000, SQLite file and memory; ~4 min on 2 cores)
//   ./dev bench --n 10000              (one N only)
//   ./dev bench --postgresql --mysql   (throwaway PostgreSQL and MariaDB servers too, as ./dev test)
//   bench/instructions.sh build-bench/bench/bench --n 10000 --only W2   (instructions per row, callgrind)
//
// --reps (default 5) is the number of repetitions at N ≤ 50 000, --reps-large (default 3)
// above: a run at 200 000 users takes ~20× as long. On a server, two more references run:
// - "pipe" (PostgreSQL): the libpqxx baseline's pipelined twin, libpq's pipeline mode on the
//   same connection for the statements of a workload that do not depend on each other
//   (workloads_libpq_pipeline.hpp); ORM/pipe is its ratio column.
// - "prep" (every backend, W3 and W6a only): the typed Core with its lookups prepared
//   (conn.prepare with orm::param<T>()); prep/hand is its ratio column.
// - "mval" (PostgreSQL and MariaDB, W1 only): the users as 500-row multi-VALUES INSERTs by
//   hand, ids by RETURNING; ORM/mval on W1 is the bulk-insert target (≤ 1.0 wanted).
// - "bulk" (MariaDB, W5 and W7 only): the baseline's UPDATEs and DELETEs bound as arrays
//   (Connector/C's STMT_ATTR_ARRAY_SIZE), MariaDB's counterpart of the pipelined twin.
//
// A small harness of our own rather than Google Benchmark: the workloads are a stateful chain
// (W1 creates the rows W2…W7 use, W7 deletes some), each repetition needs a fresh database set
// up outside the timed region, and the output is one table of ratios between implementations
// of each workload. Google Benchmark's model (repeat one function until the time is stable,
// PauseTiming around set-up) fits that poorly; a median of k whole runs, with the contestants
// interleaved per workload so that machine noise hits them alike, is simpler and is what the
// table needs.
//
// Reported: the median wall-clock time of each contestant per workload, and the median CPU
// time of the process (the figure to trust on a machine shared with others for SQLite; on a
// server the wall-clock table is the one that sees round trips, the CPU table only the
// client's share). A read-only workload that took longer than --budget seconds is not
// repeated for that contestant (marked *). Every workload returns a checksum of what it read
// or wrote; the run fails when the contestants disagree, or when the schemas or the rows left
// after W7 differ.
#include <sqlite3.h>
#include <time.h>
#if __has_include(<valgrind/callgrind.h>)
#  include <valgrind/callgrind.h>  // per-workload instruction counts under callgrind (no-ops otherwise)
#endif
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <functional>
#include <iostream>
#include <map>
#include <memory>
#include <sstream>

#include "workloads_athanor.hpp"
#include "workloads_sqlite_raw.hpp"
#if ATHANOR_WITH_POSTGRESQL
#  include "workloads_libpq_pipeline.hpp"
#endif

namespace {

using bench::Data;
using bench::Runner;

struct Workload {
  const char* id;
  const char* title;
  bool read_only;  // may be skipped in later repetitions when over budget
  std::function<std::uint64_t(Runner&, const Data&)> run;
};

std::vector<Workload> workloads() {
  return {
      {"W1", "insert N users, get ids", false, [](Runner& r, const Data& d) { return r.w1_insert(d); }},
      {"W2", "load all N as objects", true, [](Runner& r, const Data&) { return r.w2_load_all(); }},
      {"W3", "min(N,20k) primary-key lookups", true, [](Runner& r, const Data& d) { return r.w3_get(d); }},
      {"W4", "age>? ORDER BY name LIMIT 100 x1000", true, [](Runner& r, const Data& d) { return r.w4_filter(d); }},
      {"W5", "update 1/4 of users, commit", false, [](Runner& r, const Data&) { return r.w5_update(); }},
      {"W6a", "page of users + posts, lazy (N+1)", true, [](Runner& r, const Data& d) { return r.w6_lazy(d.lazy_page); }},
      {"W6b", "users + posts, eager (2 queries)", true, [](Runner& r, const Data&) { return r.w6_eager(); }},
      {"W7", "delete 1/10 of users (cascade)", false, [](Runner& r, const Data&) { return r.w7_delete(); }},
  };
}

struct Options {
  std::vector<std::size_t> ns = {10000, 200000};
  int reps = 5;        // at N <= kLargeN
  int reps_large = 3;  // above
  static constexpr std::size_t kLargeN = 50000;
  std::string json;
  bool file = true;
  bool memory = true;
  double budget_s = 4.0;
  std::string core_insert = "bindparam";
  std::string dir;
  int lazy_page = 1000;
  std::string only;        // workloads to run (W1 always runs: it makes the data), e.g. "W2,W3"
  std::string skip;        // contestants to leave out: "hand", "core", "orm", "pipe", "mval", "bulk" (for profiling)
  std::string url;         // PostgreSQL server (any database there): runs the PostgreSQL setting too
  std::string mysql_url;   // MariaDB server: runs the MariaDB setting too
  std::string db_prefix = "athanor_bench_";  // server databases <prefix>0, <prefix>1…
  int reps_for(std::size_t n) const { return n > kLargeN ? reps_large : reps; }
};

[[noreturn]] void usage(const char* msg) {
  std::cerr << "bench: " << msg << "\n"
            << "usage: bench [--n N[,N…]] [--reps K] [--reps-large K] [--json FILE] [--no-memory] [--no-file]\n"
            << "             [--budget SECONDS] [--core-insert bindparam|values_list] [--lazy-users L] [--dir DIR]\n"
            << "             [--url postgresql://…] [--mysql-url mysql://…] [--db-prefix P]\n"
            << "             [--only W2,W3] [--skip hand|core|orm|prep|pipe|mval|bulk]\n"
            << "  --n: the sizes, side by side (default 10000,200000); --reps: repetitions at N <= 50000\n"
            << "  (default 5), --reps-large: above (default 3); --db-prefix: server databases P0, P1… (default athanor_bench_)\n";
  std::exit(2);
}

Options parse(int argc, char** argv) {
  Options o;
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    auto value = [&]() -> std::string {
      if (i + 1 >= argc) usage(("missing value after " + a).c_str());
      return argv[++i];
    };
    if (a == "--n") {
      o.ns.clear();
      std::stringstream list(value());
      for (std::string n; std::getline(list, n, ',');) o.ns.push_back(std::stoul(n));
    } else if (a == "--reps") o.reps = std::max(1, std::stoi(value()));
    else if (a == "--reps-large") o.reps_large = std::max(1, std::stoi(value()));
    else if (a == "--json") o.json = value();
    else if (a == "--memory") o.memory = true;
    else if (a == "--no-memory") o.memory = false;
    else if (a == "--no-file") o.file = false;
    else if (a == "--budget") o.budget_s = std::stod(value());
    else if (a == "--core-insert") o.core_insert = value();
    else if (a == "--dir") o.dir = value();
    else if (a == "--lazy-users") o.lazy_page = std::stoi(value());
    else if (a == "--only") o.only = "," + value() + ",";
    else if (a == "--skip") o.skip = "," + value() + ",";
    else if (a == "--url") o.url = value();
    else if (a == "--mysql-url") o.mysql_url = value();
    else if (a == "--db-prefix") o.db_prefix = value();
    else if (a == "-h" || a == "--help") usage("help");
    else usage(("unknown argument " + a).c_str());
  }
  if (o.core_insert != "bindparam" && o.core_insert != "values_list") usage("--core-insert takes bindparam or values_list");
  if (o.ns.empty()) usage("--n takes at least one size");
  for (auto n : o.ns) {
    if (n < 10) usage("--n must be at least 10");
  }
  for (char ch : o.db_prefix) {
    if (!std::isalnum(static_cast<unsigned char>(ch)) && ch != '_') usage("--db-prefix takes letters, digits and _");
  }
  return o;
}

double median(std::vector<double> v) {
  if (v.empty()) return 0;
  std::sort(v.begin(), v.end());
  return v.size() % 2 ? v[v.size() / 2] : (v[v.size() / 2 - 1] + v[v.size() / 2]) / 2;
}

struct Setting {
  std::string name;         // "sqlite-file" / "sqlite-memory" / "postgresql" / "mariadb"
  std::string description;  // stated in the output
  bool memory;
  std::string backend = "sqlite";
  std::string url;          // a server's URL (any database there)
};

/// The URL of database `name` on the server of `url`.
std::string with_database(const std::string& url, const std::string& name) {
  auto u = athanor::URL::parse(url);
  u.database = name;
  return u.render(false);
}

/// samples[workload][contestant] in ms.
using Samples = std::vector<std::vector<std::vector<double>>>;

/// One contestant: the runner and its short key ("hand", "core", "orm", "prep", "pipe", "mval", "bulk").
struct Contestant {
  std::string key;
  std::unique_ptr<Runner> runner;
};

/// What one setting at one N gave.
struct Result {
  std::size_t n = 0;
  int reps = 0;
  std::vector<std::string> keys;
  std::vector<std::string> names;
  Samples wall, cpu;
};

/// CPU time of the process (single-threaded: the CPU time of the workload), for a machine
/// shared with others, where wall-clock time includes waiting for a core.
double cpu_ms() {
  timespec ts{};
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) * 1e3 + static_cast<double>(ts.tv_nsec) / 1e6;
}

/// Callgrind's count of the instructions between the two (nothing when not under callgrind).
void instructions_start() {
#ifdef CALLGRIND_START_INSTRUMENTATION
  CALLGRIND_ZERO_STATS;
  CALLGRIND_START_INSTRUMENTATION;
#endif
}
void instructions_stop([[maybe_unused]] const std::string& what) {
#ifdef CALLGRIND_START_INSTRUMENTATION
  CALLGRIND_STOP_INSTRUMENTATION;
  CALLGRIND_DUMP_STATS_AT(what.c_str());
#endif
}

bool run_setting(const Options& o, const Data& data, const Setting& s, std::vector<Contestant>& cs, const std::string& dir,
                 int reps, Result& res) {
  auto wl = workloads();
  res.n = data.n, res.reps = reps;
  for (auto& c : cs) res.keys.push_back(c.key), res.names.push_back(c.runner->name());
  res.wall.assign(wl.size(), std::vector<std::vector<double>>(cs.size()));
  res.cpu = res.wall;
  std::vector<std::vector<bool>> skip(wl.size(), std::vector<bool>(cs.size(), false));
  std::vector<bool> complete(cs.size(), o.only.empty());  // runs every workload: its rows left after W7 are checked
  // With --only W1 no later workload needs a contestant's rows: one in --skip leaves W1 out too
  // (an A/B of the ORM and mval at N = 200 000 without the one-row-per-statement baselines).
  bool only_w1 = o.only == ",W1,";
  for (std::size_t r = 0; r < cs.size(); ++r) {
    bool skipped = o.skip.find("," + cs[r].key + ",") != std::string::npos;
    for (std::size_t w = 0; w < wl.size(); ++w) {
      bool wanted = o.only.empty() || w == 0 || o.only.find("," + std::string(wl[w].id) + ",") != std::string::npos;
      skip[w][r] = !wanted || (skipped && (w > 0 || only_w1)) || !cs[r].runner->runs(wl[w].id);
      if (skip[w][r]) complete[r] = false;
    }
  }
  bool ok = true;
  auto remove_db = [&](std::size_t r) {
    for (const char* suffix : {"", "-wal", "-shm", "-journal"}) std::filesystem::remove(dir + "/r" + std::to_string(r) + ".db" + suffix);
  };
  for (int rep = 0; rep < reps; ++rep) {
    std::cerr << "  N = " << data.n << " " << s.name << " repetition " << rep + 1 << "/" << reps << ":" << std::flush;
    for (std::size_t r = 0; r < cs.size(); ++r) {
      if (s.backend != "sqlite") {
        cs[r].runner->open({s.backend, "", with_database(s.url, o.db_prefix + std::to_string(r))});
      } else {
        remove_db(r);
        cs[r].runner->open({"sqlite", s.memory ? ":memory:" : dir + "/r" + std::to_string(r) + ".db", ""});
      }
    }
    if (rep == 0) {
      auto expected = cs[0].runner->schema();
      for (std::size_t r = 1; r < cs.size(); ++r) {
        if (cs[r].runner->schema() != expected) {
          std::cerr << "\n!! schema of " << cs[r].runner->name() << " differs from the hand-written one:\n"
                    << cs[r].runner->schema() << "--- vs ---\n" << expected;
          ok = false;
        }
      }
    }
    for (std::size_t w = 0; w < wl.size(); ++w) {
      if (std::string(wl[w].id) == "W6a") {  // set-up of W6 and W7 (not timed)
        for (std::size_t r = 0; r < cs.size(); ++r) {
          if (!skip[w][r] || !skip[w + 1][r] || !skip[w + 2][r]) cs[r].runner->insert_posts(Data::posts_per_user), cs[r].runner->analyze();
        }
      }
      std::cerr << " " << wl[w].id << std::flush;
      std::vector<std::uint64_t> sums(cs.size(), 0);
      std::vector<bool> ran(cs.size(), false);
      for (std::size_t k = 0; k < cs.size(); ++k) {
        std::size_t r = (k + static_cast<std::size_t>(rep) + w) % cs.size();  // rotate who goes first
        if (skip[w][r]) continue;
        // Under `valgrind --tool=callgrind --instr-atstart=no` each workload of each contestant is
        // one dump, "W2 orm N=10000 sqlite-file" (the machine has no PMU for perf's instruction
        // counts): bench/instructions.sh prints them per row.
        instructions_start();
        double c0 = cpu_ms();
        auto t0 = std::chrono::steady_clock::now();
        sums[r] = wl[w].run(*cs[r].runner, data);
        auto t1 = std::chrono::steady_clock::now();
        double c1 = cpu_ms();
        instructions_stop(std::string(wl[w].id) + " " + cs[r].key + " N=" + std::to_string(data.n) + " " + s.name);
        double ms = std::chrono::duration<double, std::milli>(t1 - t0).count();
        if (cs[r].runner->reports(wl[w].id)) res.wall[w][r].push_back(ms), res.cpu[w][r].push_back(c1 - c0);
        ran[r] = true;
        if (wl[w].read_only && ms > o.budget_s * 1000) skip[w][r] = true;
        if (w == 0) cs[r].runner->analyze();  // not timed
      }
      std::size_t first = std::find(ran.begin(), ran.end(), true) - ran.begin();
      for (std::size_t r = first + 1; r < cs.size(); ++r) {
        if (ran[r] && sums[r] != sums[first]) {
          std::cerr << "\n!! " << wl[w].id << ": " << cs[r].runner->name() << " checksum " << sums[r] << " != "
                    << cs[first].runner->name() << " " << sums[first];
          ok = false;
        }
      }
    }
    std::size_t first = std::find(complete.begin(), complete.end(), true) - complete.begin();
    if (first < cs.size() && o.skip.empty()) {
      auto expected = cs[first].runner->counts();
      for (std::size_t r = first + 1; r < cs.size(); ++r) {
        if (complete[r] && cs[r].runner->counts() != expected) {
          std::cerr << "\n!! rows left after W7 differ for " << cs[r].runner->name();
          ok = false;
        }
      }
    }
    for (std::size_t r = 0; r < cs.size(); ++r) {
      cs[r].runner->close();
      if (s.backend == "sqlite") remove_db(r);
    }
    std::cerr << "\n";
  }
  return ok;
}

std::string fmt(double v, int prec = 2) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.*f", prec, v);
  return buf;
}

std::string json_escape(const std::string& s) {
  std::string out;
  for (char ch : s) (ch == '"' || ch == '\\') ? (out += '\\', out += ch) : out += ch;
  return out;
}

/// One setting's table: per N, the hand-written median (ms), Core/hand, ORM/hand and ORM over
/// each further reference; `cpu` picks the CPU-time medians rather than wall-clock ones.
void print_table(const std::vector<const Result*>& results, bool cpu) {
  auto wl = workloads();
  std::printf("%s\n", cpu ? "CPU time of the process, median (ms; less sensitive to a busy machine; on a server only the client's share):"
                          : "wall-clock time, median (ms):");
  std::vector<std::vector<std::string>> heads;
  for (auto* r : results) {
    std::vector<std::string> h = {"hand ms", "Core/hand", "ORM/hand"};
    for (std::size_t k = 3; k < r->keys.size(); ++k) h.push_back(r->keys[k] == "prep" ? "prep/hand" : "ORM/" + r->keys[k]);
    heads.push_back(h);
  }
  std::string line = std::string(4 + 1 + 36, ' ');
  for (std::size_t i = 0; i < results.size(); ++i) {
    std::string title = "N = " + std::to_string(results[i]->n) + " (median of " + std::to_string(results[i]->reps) + ")";
    std::size_t width = 2 + 10 * heads[i].size();
    line += " | " + title + std::string(width > title.size() + 3 ? width - title.size() - 3 : 0, ' ');
  }
  std::printf("%s\n%-4s %-36s", line.c_str(), "", "workload");
  for (auto& h : heads) {
    std::printf(" |");
    for (auto& col : h) std::printf(" %9s", col.c_str());
  }
  std::printf("\n");
  for (std::size_t w = 0; w < wl.size(); ++w) {
    std::printf("%-4s %-36s", wl[w].id, wl[w].title);
    for (auto* r : results) {
      const Samples& t = cpu ? r->cpu : r->wall;
      std::vector<double> m;
      std::vector<bool> partial;
      for (auto& v : t[w]) m.push_back(median(v)), partial.push_back(!v.empty() && v.size() < static_cast<std::size_t>(r->reps));
      auto ratio = [&](std::size_t a, std::size_t b) {
        if (m[a] <= 0 || m[b] <= 0) return std::string("-");
        return fmt(m[a] / m[b]) + ((partial[a] || partial[b]) ? "x*" : "x");
      };
      std::printf(" | %9s %9s %9s", m[0] > 0 ? fmt(m[0], 1).c_str() : "-", ratio(1, 0).c_str(), ratio(2, 0).c_str());
      for (std::size_t k = 3; k < m.size(); ++k) std::printf(" %9s", (r->keys[k] == "prep" ? ratio(k, 0) : ratio(2, k)).c_str());
    }
    std::printf("\n");
  }
}

}  // namespace

int main(int argc, char** argv) {
  Options o = parse(argc, argv);
  std::string dir = o.dir;
  if (dir.empty()) {
    char tmpl[] = "/tmp/athanor-bench.XXXXXX";
    if (!mkdtemp(tmpl)) usage("cannot create a temporary directory");
    dir = tmpl;
  } else {
    std::filesystem::create_directories(dir);
  }
  auto make_contestants = [&](const std::string& backend) {
    std::vector<Contestant> cs;
#if ATHANOR_WITH_POSTGRESQL
    if (backend == "postgresql") cs.push_back({"hand", std::make_unique<bench::PqxxRaw>()});
#endif
#if ATHANOR_WITH_MYSQL
    if (backend == "mysql") cs.push_back({"hand", std::make_unique<bench::MysqlRaw>()});
#endif
    if (backend == "sqlite") cs.push_back({"hand", std::make_unique<bench::SqliteRaw>()});
    cs.push_back({"core", std::make_unique<bench::AthanorCore>(o.core_insert)});
    cs.push_back({"orm", std::make_unique<bench::AthanorOrm>()});
    cs.push_back({"prep", std::make_unique<bench::AthanorPrepared>()});
#if ATHANOR_WITH_POSTGRESQL
    if (backend == "postgresql") {
      cs.push_back({"pipe", std::make_unique<bench::LibpqPipeline>()});
      cs.push_back({"mval", std::make_unique<bench::PgMultiValues>()});
    }
#endif
#if ATHANOR_WITH_MYSQL
    if (backend == "mysql") {
      cs.push_back({"mval", std::make_unique<bench::MysqlMultiValues>()});
      cs.push_back({"bulk", std::make_unique<bench::MysqlBulk>()});
    }
#endif
    return cs;
  };

  std::vector<Setting> settings;
  if (o.file) {
    settings.push_back({"sqlite-file",
                        "SQLite " + std::string(sqlite3_libversion()) + ", one file per contestant in " + dir +
                            ", journal_mode=WAL, synchronous=NORMAL, foreign_keys=ON (athanor URL sqlite:///" + dir +
                            "/rK.db?journal_mode=WAL&synchronous=NORMAL)",
                        false});
  }
  if (o.memory) {
    settings.push_back({"sqlite-memory", "SQLite " + std::string(sqlite3_libversion()) + ", in memory (athanor URL sqlite://), foreign_keys=ON",
                        true});
  }
  if (!o.url.empty()) {
#if ATHANOR_WITH_POSTGRESQL
    // One database per contestant, as one SQLite file each: made here if missing.
    pqxx::connection admin(bench::pg::libpq_url(o.url));  // without athanor-only options
    std::string version;
    {
      pqxx::nontransaction tx(admin);
      version = tx.exec1("SHOW server_version")[0].c_str();
      for (std::size_t r = 0; r < make_contestants("postgresql").size(); ++r) {
        std::string db = o.db_prefix + std::to_string(r);
        if (tx.exec_params("SELECT 1 FROM pg_database WHERE datname = $1", db).empty()) tx.exec("CREATE DATABASE " + db);
      }
    }
    settings.push_back({"postgresql",
                        "PostgreSQL " + version + " at " + athanor::URL::parse(o.url).render() + ", one database per contestant (" +
                            o.db_prefix + "0, 1, …), libpqxx " + PQXX_VERSION + " for the hand-written code (one round trip per statement), libpq " +
                            std::to_string(PQlibVersion() / 10000) + " for its pipelined twin (pipe) and the 500-row multi-VALUES W1 (mval); "
                            "hand-written W6b: posts WHERE user_id = ANY($1::integer[])",
                        false, "postgresql", o.url});
#else
    usage("--url: this build has no PostgreSQL backend (libpqxx-dev)");
#endif
  }
  if (!o.mysql_url.empty()) {
#if ATHANOR_WITH_MYSQL
    bench::my::Conn admin(o.mysql_url);
    std::string version = bench::my::query(admin.db, "SELECT VERSION()").at(0).at(0);
    for (std::size_t r = 0; r < make_contestants("mysql").size(); ++r)
      bench::my::exec(admin.db, "CREATE DATABASE IF NOT EXISTS " + o.db_prefix + std::to_string(r));
    settings.push_back({"mariadb",
                        "MariaDB " + version + " at " + athanor::URL::parse(o.mysql_url).render() + ", one database per contestant (" +
                            o.db_prefix + "0, 1, …), MariaDB Connector/C " + mysql_get_client_info() +
                            " prepared statements (mysql_stmt_*) for the hand-written code, one round trip per statement; "
                            "mval: W1 as 500-row INSERT … VALUES … RETURNING id; bulk: W5 and W7 bound as arrays of 10 000 rows; "
                            "hand-written W6b: posts WHERE user_id IN (SELECT v FROM JSON_TABLE(?, …))",
                        false, "mysql", o.mysql_url});
#else
    usage("--mysql-url: this build has no MariaDB backend (libmariadb-dev)");
#endif
  }
  std::cout << "athanor benchmark: N = ";
  for (std::size_t i = 0; i < o.ns.size(); ++i) std::cout << (i ? " and " : "") << o.ns[i] << " (median of " << o.reps_for(o.ns[i]) << ")";
  std::cout << " users (W6: " << Data::posts_per_user << " posts each), times in ms\n"
            << "Each workload runs in one transaction for every contestant; statements are prepared once\n"
            << "(by hand in the baselines, by athanor's per-connection cache otherwise).\n"
            << "typed Core W1: " << (o.core_insert == "values_list" ? "insert(users).values_list(1000 rows).returning(id) per 1000 rows"
                                                                    : "one insert(users).values(bindparam…) executed per row, id from inserted_primary_key()")
            << "\nW6a: N+1 over the users with id <= " << o.lazy_page << " (--lazy-users); W6b: all N users, posts by one IN query"
            << "\nORM W6: User::posts relationship, lazy loader (N+1) and selectinload(&User::posts);"
            << "\n        Core and hand-written W6b: posts WHERE user_id IN (one array bound), grouped in memory"
            << "\nColumns per N: the hand-written median, Core/hand, ORM/hand, prep/hand (the typed Core with its W3 and W6a"
            << "\n  lookups prepared: conn.prepare(select<User>().where(c<&User::id> == param<int>()))), and on a server ORM"
            << "\n  over further references:"
            << "\n  ORM/pipe: the hand-written code's pipelined twin (PostgreSQL); ORM/mval: 500-row multi-VALUES INSERTs (W1 only);"
            << "\n  ORM/bulk: the hand-written UPDATEs and DELETEs bound as arrays (MariaDB, W5 and W7 only)"
            << "\n  x* = a contestant stopped repeating a read-only workload over --budget " << o.budget_s << " s (fewer samples)\n";

  bool all_ok = true;
  std::map<std::string, std::vector<Result>> results;  // by setting name, in the order of o.ns
  for (auto n : o.ns) {
    Data data(n);
    data.lazy_page = o.lazy_page;
    for (auto& s : settings) {
      auto cs = make_contestants(s.backend);
      Result res;
      all_ok = run_setting(o, data, s, cs, dir, o.reps_for(n), res) && all_ok;
      results[s.name].push_back(std::move(res));
    }
  }

  std::ostringstream json;
  json << "{\n  \"ns\": [";
  for (std::size_t i = 0; i < o.ns.size(); ++i) json << (i ? ", " : "") << o.ns[i];
  json << "],\n  \"posts_per_user\": " << Data::posts_per_user << ",\n  \"core_insert\": \"" << o.core_insert << "\",\n  \"settings\": [";
  auto wl = workloads();
  for (std::size_t si = 0; si < settings.size(); ++si) {
    auto& s = settings[si];
    std::vector<const Result*> rs;
    for (auto& r : results[s.name]) rs.push_back(&r);
    std::cout << "\n" << s.name << ": " << s.description << "\n";
    print_table(rs, false);
    print_table(rs, true);
    json << (si ? "," : "") << "\n    {\"name\": \"" << s.name << "\", \"description\": \"" << json_escape(s.description) << "\", \"runs\": [";
    for (std::size_t ri = 0; ri < rs.size(); ++ri) {
      auto& r = *rs[ri];
      json << (ri ? "," : "") << "\n      {\"n\": " << r.n << ", \"reps\": " << r.reps << ", \"contestants\": {";
      for (std::size_t k = 0; k < r.keys.size(); ++k) json << (k ? ", " : "") << "\"" << r.keys[k] << "\": \"" << json_escape(r.names[k]) << "\"";
      json << "}, \"workloads\": [";
      for (std::size_t w = 0; w < wl.size(); ++w) {
        json << (w ? "," : "") << "\n        {\"id\": \"" << wl[w].id << "\", \"title\": \"" << wl[w].title << "\"";
        for (const char* what : {"wall_ms", "cpu_ms", "samples"}) {
          const Samples& t = std::string(what) == "cpu_ms" ? r.cpu : r.wall;
          json << ", \"" << what << "\": {";
          for (std::size_t k = 0; k < r.keys.size(); ++k) {
            json << (k ? ", " : "") << "\"" << r.keys[k] << "\": ";
            if (std::string(what) == "samples") json << t[w][k].size();
            else json << (t[w][k].empty() ? std::string("null") : fmt(median(t[w][k]), 3));
          }
          json << "}";
        }
        json << "}";
      }
      json << "\n      ]}";
    }
    json << "\n    ]}";
  }
  json << "\n  ],\n  \"checks_passed\": " << (all_ok ? "true" : "false") << "\n}\n";
  if (!o.json.empty()) {
    std::ofstream(o.json) << json.str();
    std::cout << "\nwrote " << o.json << "\n";
  }
  if (o.dir.empty()) std::filesystem::remove_all(dir);
  if (!all_ok) {
    std::cout << "\n!! some checks failed (see stderr): the contestants did not do the same work\n";
    return 1;
  }
  return 0;
}
