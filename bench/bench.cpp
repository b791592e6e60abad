// bench/bench.cpp — athanor's benchmark (DESIGN §5): each workload timed for the ORM path,
// the typed Core path and hand-written sqlite3 C API code (or libpqxx code, on PostgreSQL), in
// one run; prints the median of each over several repetitions and the ratios athanor /
// hand-written.
//
//   bench [--n N] [--reps K] [--json FILE] [--no-memory] [--no-file] [--budget SECONDS]
//         [--core-insert bindparam|values_list] [--lazy-users L] [--dir DIR]
//         [--url postgresql://…]                  (PostgreSQL too: databases athanor_bench_0..2 there)
//         [--only W2,W3] [--skip hand|core|orm]     (profiling: W1 always runs, it makes the data)
//   ./dev bench --n 200000 --json bench.json
//   ./dev bench --postgresql                         (a throwaway PostgreSQL server, as ./dev test)
//
// A small harness of our own rather than Google Benchmark: the workloads are a stateful chain
// (W1 creates the rows W2…W7 use, W7 deletes some), each repetition needs a fresh database set
// up outside the timed region, and the output is one table of ratios between three
// implementations of each workload. Google Benchmark's model (repeat one function until the
// time is stable, PauseTiming around set-up) fits that poorly; a median of k whole runs, with
// the three contestants interleaved per workload so that machine noise hits them alike, is
// simpler and is what the table needs.
//
// Reported: the median wall-clock time of each contestant per workload, and the median CPU
// time of the process (the figure to trust on a machine shared with others). A read-only
// workload that took longer than --budget seconds is not repeated for that contestant (the
// ORM's W3 and W6a are superlinear today: autoflush scans the identity map per query).
// Every workload returns a checksum of what it read or wrote; the run fails when the three
// disagree, or when the schemas or the rows left after W7 differ.
#include <sqlite3.h>
#include <time.h>
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
  std::size_t n = 10000;
  int reps = 5;
  std::string json;
  bool file = true;
  bool memory = true;
  double budget_s = 4.0;
  std::string core_insert = "bindparam";
  std::string dir;
  int lazy_page = 1000;
  std::string only;        // workloads to run (W1 always runs: it makes the data), e.g. "W2,W3"
  std::string skip;        // contestants to leave out: "hand", "core", "orm" (for profiling)
  std::string url;         // PostgreSQL server (any database there): runs the PostgreSQL setting too
};

[[noreturn]] void usage(const char* msg) {
  std::cerr << "bench: " << msg << "\n"
            << "usage: bench [--n N] [--reps K] [--json FILE] [--no-memory] [--no-file] [--budget SECONDS]\n"
            << "             [--core-insert bindparam|values_list] [--lazy-users L] [--dir DIR]\n"
            << "             [--url postgresql://…] [--only W2,W3] [--skip hand|core|orm]\n";
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
    if (a == "--n") o.n = std::stoul(value());
    else if (a == "--reps") o.reps = std::max(1, std::stoi(value()));
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
    else if (a == "-h" || a == "--help") usage("help");
    else usage(("unknown argument " + a).c_str());
  }
  if (o.core_insert != "bindparam" && o.core_insert != "values_list") usage("--core-insert takes bindparam or values_list");
  if (o.n < 10) usage("--n must be at least 10");
  return o;
}

double median(std::vector<double> v) {
  if (v.empty()) return 0;
  std::sort(v.begin(), v.end());
  return v.size() % 2 ? v[v.size() / 2] : (v[v.size() / 2 - 1] + v[v.size() / 2]) / 2;
}

struct Setting {
  std::string name;         // "sqlite-file" / "sqlite-memory" / "postgresql"
  std::string description;  // stated in the output
  bool memory;
  std::string backend = "sqlite";
};

/// The URL of database `name` on the server of `url`.
std::string with_database(const std::string& url, const std::string& name) {
  auto u = athanor::URL::parse(url);
  u.database = name;
  return u.render(false);
}

/// samples[workload][runner] in ms.
using Samples = std::vector<std::vector<std::vector<double>>>;

/// CPU time of the process (single-threaded: the CPU time of the workload), for a machine
/// shared with others, where wall-clock time includes waiting for a core.
double cpu_ms() {
  timespec ts{};
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) * 1e3 + static_cast<double>(ts.tv_nsec) / 1e6;
}

bool run_setting(const Options& o, const Data& data, const Setting& s, std::vector<std::unique_ptr<Runner>>& runners,
                 const std::string& dir, Samples& samples, Samples& cpu) {
  auto wl = workloads();
  samples.assign(wl.size(), std::vector<std::vector<double>>(runners.size()));
  cpu = samples;
  std::vector<std::vector<bool>> skip(wl.size(), std::vector<bool>(runners.size(), false));
  const char* keys[] = {"hand", "core", "orm"};
  for (std::size_t w = 0; w < wl.size(); ++w) {
    for (std::size_t r = 0; r < runners.size(); ++r) {
      bool wanted = o.only.empty() || w == 0 || o.only.find("," + std::string(wl[w].id) + ",") != std::string::npos;
      skip[w][r] = !wanted || (w > 0 && o.skip.find("," + std::string(keys[r]) + ",") != std::string::npos);
    }
  }
  bool ok = true;
  auto remove_db = [&](std::size_t r) {
    for (const char* suffix : {"", "-wal", "-shm", "-journal"}) std::filesystem::remove(dir + "/r" + std::to_string(r) + ".db" + suffix);
  };
  for (int rep = 0; rep < o.reps; ++rep) {
    std::cerr << "  " << s.name << " repetition " << rep + 1 << "/" << o.reps << ":" << std::flush;
    for (std::size_t r = 0; r < runners.size(); ++r) {
      if (s.backend == "postgresql") {
        runners[r]->open({"postgresql", "", with_database(o.url, "athanor_bench_" + std::to_string(r))});
      } else {
        remove_db(r);
        runners[r]->open({"sqlite", s.memory ? ":memory:" : dir + "/r" + std::to_string(r) + ".db", ""});
      }
    }
    if (rep == 0) {
      auto expected = runners[0]->schema();
      for (std::size_t r = 1; r < runners.size(); ++r) {
        if (runners[r]->schema() != expected) {
          std::cerr << "\n!! schema of " << runners[r]->name() << " differs from the hand-written one:\n"
                    << runners[r]->schema() << "--- vs ---\n" << expected;
          ok = false;
        }
      }
    }
    for (std::size_t w = 0; w < wl.size(); ++w) {
      if (std::string(wl[w].id) == "W6a") {  // set-up of W6 and W7 (not timed)
        for (std::size_t r = 0; r < runners.size(); ++r) {
          if (!skip[w][r] || !skip[w + 1][r] || !skip[w + 2][r]) runners[r]->insert_posts(Data::posts_per_user);
        }
      }
      std::cerr << " " << wl[w].id << std::flush;
      std::vector<std::uint64_t> sums(runners.size(), 0);
      std::vector<bool> ran(runners.size(), false);
      for (std::size_t k = 0; k < runners.size(); ++k) {
        std::size_t r = (k + static_cast<std::size_t>(rep) + w) % runners.size();  // rotate who goes first
        if (skip[w][r]) continue;
        double c0 = cpu_ms();
        auto t0 = std::chrono::steady_clock::now();
        sums[r] = wl[w].run(*runners[r], data);
        auto t1 = std::chrono::steady_clock::now();
        double c1 = cpu_ms();
        double ms = std::chrono::duration<double, std::milli>(t1 - t0).count();
        samples[w][r].push_back(ms);
        cpu[w][r].push_back(c1 - c0);
        ran[r] = true;
        if (wl[w].read_only && ms > o.budget_s * 1000) skip[w][r] = true;
      }
      for (std::size_t r = 1; r < runners.size(); ++r) {
        if (ran[0] && ran[r] && sums[r] != sums[0]) {
          std::cerr << "\n!! " << wl[w].id << ": " << runners[r]->name() << " checksum " << sums[r] << " != hand-written "
                    << sums[0];
          ok = false;
        }
      }
    }
    auto expected = runners[0]->counts();
    for (std::size_t r = 1; r < runners.size() && o.only.empty() && o.skip.empty(); ++r) {
      if (runners[r]->counts() != expected) {
        std::cerr << "\n!! rows left after W7 differ for " << runners[r]->name();
        ok = false;
      }
    }
    for (std::size_t r = 0; r < runners.size(); ++r) {
      runners[r]->close();
      if (s.backend != "postgresql") remove_db(r);
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

}  // namespace

int main(int argc, char** argv) {
  Options o = parse(argc, argv);
  std::string dir = o.dir;
  if (dir.empty()) {
    char tmpl[] = "/tmp/athanor-bench.XXXXXX";
    if (!mkdtemp(tmpl)) usage("cannot create a temporary directory");
    dir = tmpl;
  }
  Data data(o.n);
  data.lazy_page = o.lazy_page;
  auto make_runners = [&](const std::string& backend) {
    std::vector<std::unique_ptr<Runner>> runners;
#if ATHANOR_WITH_POSTGRESQL
    if (backend == "postgresql") runners.push_back(std::make_unique<bench::PqxxRaw>());
#endif
    if (backend == "sqlite") runners.push_back(std::make_unique<bench::SqliteRaw>());
    runners.push_back(std::make_unique<bench::AthanorCore>(o.core_insert));
    runners.push_back(std::make_unique<bench::AthanorOrm>());
    return runners;
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
    pqxx::connection admin(o.url);
    std::string version;
    {
      pqxx::nontransaction tx(admin);
      version = tx.exec1("SHOW server_version")[0].c_str();
      for (int r = 0; r < 3; ++r) {
        std::string db = "athanor_bench_" + std::to_string(r);
        if (tx.exec_params("SELECT 1 FROM pg_database WHERE datname = $1", db).empty()) tx.exec("CREATE DATABASE " + db);
      }
    }
    settings.push_back({"postgresql",
                        "PostgreSQL " + version + " at " + athanor::URL::parse(o.url).render() +
                            ", one database per contestant (athanor_bench_0..2), libpqxx " + PQXX_VERSION +
                            " for the hand-written code; hand-written W6b: posts WHERE user_id = ANY($1::integer[])",
                        false, "postgresql"});
#else
    usage("--url: this build has no PostgreSQL backend (libpqxx-dev)");
#endif
  }
  std::cout << "athanor benchmark: N = " << o.n << " users (W6: " << Data::posts_per_user << " posts each), median of "
            << o.reps << " repetitions, times in ms\n"
            << "Each workload runs in one transaction for all three contestants; statements are prepared once\n"
            << "(by hand in the baseline, by athanor's per-connection cache otherwise).\n"
            << "typed Core W1: " << (o.core_insert == "values_list" ? "insert(users).values_list(1000 rows).returning(id) per 1000 rows"
                                                                    : "one insert(users).values(bindparam…) executed per row, id from inserted_primary_key()")
            << "\nW6a: N+1 over the users with id <= " << o.lazy_page << " (--lazy-users); W6b: all N users, posts by one IN query"
            << "\nORM W6: User::posts relationship, lazy loader (N+1) and selectinload(&User::posts);"
            << "\n        Core and hand-written W6b: posts WHERE user_id IN (one JSON array bound), grouped in memory\n";

  std::ostringstream json;
  json << "{\n  \"n\": " << o.n << ",\n  \"reps\": " << o.reps << ",\n  \"posts_per_user\": " << Data::posts_per_user
       << ",\n  \"core_insert\": \"" << o.core_insert << "\",\n  \"settings\": [";
  bool all_ok = true;
  auto wl = workloads();
  for (std::size_t si = 0; si < settings.size(); ++si) {
    auto& s = settings[si];
    Samples samples, cpu;
    auto runners = make_runners(s.backend);
    all_ok = run_setting(o, data, s, runners, dir, samples, cpu) && all_ok;
    std::cout << "\n" << s.name << ": " << s.description << "\n";
    json << (si ? "," : "") << "\n    {\"name\": \"" << s.name << "\", \"description\": \"" << s.description << "\", \"workloads\": [";
    for (int table = 0; table < 2; ++table) {
      const Samples& t = table == 0 ? samples : cpu;
      std::printf("%s\n%-4s %-38s %12s %12s %12s %10s %10s\n",
                  table == 0 ? "wall-clock time, median (ms):" : "CPU time of the process, median (ms; less sensitive to a busy machine):",
                  "", "workload", "hand-written", "typed Core", "ORM", "Core/hand", "ORM/hand");
      for (std::size_t w = 0; w < wl.size(); ++w) {
        double m[3];
        for (int r = 0; r < 3; ++r) m[r] = median(t[w][static_cast<std::size_t>(r)]);
        bool partial = false;  // a contestant stopped repeating it (over --budget)
        for (auto& v : t[w]) partial = partial || (!v.empty() && v.size() < static_cast<std::size_t>(o.reps));
        auto cell = [](double v) { return v > 0 ? fmt(v) : std::string("-"); };
        auto ratio = [](double a, double b) { return a > 0 && b > 0 ? fmt(a / b) + "x" : std::string("-"); };
        std::printf("%-4s %-38s %12s %12s %12s %10s %10s%s\n", wl[w].id, wl[w].title, cell(m[0]).c_str(), cell(m[1]).c_str(),
                    cell(m[2]).c_str(), ratio(m[1], m[0]).c_str(), ratio(m[2], m[0]).c_str(),
                    partial ? "  (over --budget: fewer samples)" : "");
        if (table == 1) continue;
        double c[3];
        for (int r = 0; r < 3; ++r) c[r] = median(cpu[w][static_cast<std::size_t>(r)]);
        json << (w ? "," : "") << "\n      {\"id\": \"" << wl[w].id << "\", \"title\": \"" << wl[w].title << "\", \"hand_ms\": " << m[0]
             << ", \"core_ms\": " << m[1] << ", \"orm_ms\": " << m[2] << ", \"core_ratio\": " << m[1] / m[0]
             << ", \"orm_ratio\": " << m[2] / m[0] << ", \"cpu\": {\"hand_ms\": " << c[0] << ", \"core_ms\": " << c[1]
             << ", \"orm_ms\": " << c[2] << ", \"core_ratio\": " << c[1] / c[0] << ", \"orm_ratio\": " << c[2] / c[0]
             << "}, \"samples\": [" << t[w][0].size() << ", " << t[w][1].size() << ", " << t[w][2].size() << "]}";
      }
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
