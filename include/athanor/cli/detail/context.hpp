// athanor/cli/detail/context.hpp — what a command of `athanor` runs with (Context: models,
// revisions, arguments, output streams) and is (Command: name, usage, help, options, body),
// and the small helpers the commands share (printing the current revisions, revision files).
#pragma once

#include <algorithm>   // std::find
#include <chrono>      // std::chrono::steady_clock
#include <concepts>    // std::convertible_to
#include <cstdio>      // std::snprintf
#include <cstdlib>     // std::getenv
#include <filesystem>  // std::filesystem::path
#include <fstream>     // std::ofstream
#include <functional>  // std::function
#include <iostream>    // std::cout
#include <ostream>     // std::ostream
#include <set>         // std::set
#include <string>      // std::string
#include <vector>      // std::vector

#include <athanor/cli/detail/args.hpp>
#include <athanor/engine/create_engine.hpp>
#include <athanor/migrate/autogenerate.hpp>
#include <athanor/migrate/codegen.hpp>
#include <athanor/migrate/inspect.hpp>
#include <athanor/migrate/upgrade.hpp>

namespace athanor::cli::detail {

/// What a command runs with.
struct Context {
  const MetaData* models = nullptr;           ///< null: the program has no models
  const migrate::Revisions* revisions = nullptr;
  Args args;
  std::ostream& out;
  std::ostream& err;

  bool has_revisions() const { return revisions && !revisions->all().empty(); }
  const migrate::Revisions& revs() const {
    static const migrate::Revisions none;
    return revisions ? *revisions : none;
  }
  /// --url, else ATHANOR_URL; empty: none given.
  std::string url() const {
    if (args.has("--url")) return args.value("--url");
    const char* e = std::getenv("ATHANOR_URL");
    return e ? e : "";
  }
  std::string need_url() const {
    auto u = url();
    if (u.empty())
      throw ArgumentError("[athanor.cli.no_url] " + args.command + " needs a database: pass --url URL or set ATHANOR_URL");
    return u;
  }
  /// An engine for the URL; --echo writes each statement to `err` (never a password: the
  /// echo has SQL only, and the URL is rendered with the password hidden wherever it is shown).
  Engine engine(const std::string& url) const {
    EngineOptions o;
    if (args.flag("--echo")) {
      o.echo = true;
      o.echo_sink = [e = &err](std::string_view s) { *e << s << '\n'; };
    }
    if (URL::parse(url).is_memory())
      err << "warning: " << url << " is an in-memory database: it lives only as long as this command\n";
    return create_engine(url, std::move(o));
  }
  Engine engine() const { return engine(need_url()); }
  /// The dialect for offline work: --dialect, else the URL's backend (no connection), else `fallback`.
  const Dialect& dialect(const std::string& fallback = {}) const {
    URL u;
    if (args.has("--dialect")) {
      u.backend = args.value("--dialect") == "mariadb" ? "mysql" : args.value("--dialect");
      if (u.backend != "sqlite" && u.backend != "postgresql" && u.backend != "mysql")
        throw UsageError("--dialect takes sqlite, postgresql or mysql (mariadb), not '" + args.value("--dialect") + "'", args.command);
    } else if (auto s = url(); !s.empty()) {
      u = URL::parse(s);
    } else if (!fallback.empty()) {
      u.backend = fallback;
    } else {
      throw ArgumentError("[athanor.cli.no_url] " + args.command + " needs a dialect: pass --dialect NAME, --url URL or set ATHANOR_URL");
    }
    return athanor::detail::dialect_for(u);
  }
  const MetaData& need_models(const std::string& what) const {
    if (!models)
      throw ArgumentError("[athanor.cli.no_models] " + what +
                          " needs the application's models, and this program has none: build a program of your own that "
                          "calls athanor::cli::main(argc, argv, registry, revisions)");
    return *models;
  }
  const migrate::Revisions& need_revisions(const std::string& what) const {
    if (!has_revisions())
      throw ArgumentError("[athanor.cli.no_revisions] " + what +
                          " needs the application's revisions, and this program registers none: build a program of your own "
                          "that calls athanor::cli::main(argc, argv, registry, revisions)");
    return *revisions;
  }
};

struct Command {
  const char* name;
  const char* usage;    ///< after "athanor "
  const char* summary;  ///< one line
  const char* help;     ///< the rest of --help
  std::vector<std::string> options;  ///< what it takes besides the global ones
  std::size_t min_args = 0, max_args = 0;
  std::function<int(Context&)> run;
};

inline std::string seconds(double s) {
  char b[32];
  std::snprintf(b, sizeof b, "%.2f s", s);
  return b;
}
inline std::string join(const std::vector<std::string>& v, const std::string& sep = ", ") {
  std::string s;
  for (auto& x : v) s += (s.empty() ? "" : sep) + x;
  return s;
}
/// `what` revision(s), for messages.
inline std::string plural(std::size_t n, const std::string& what) { return std::to_string(n) + " " + what + (n == 1 ? "" : "s"); }

/// "b2c3 (head): add users.email"
inline std::string describe(const migrate::Revisions& revs, const std::string& id) {
  auto h = revs.heads();
  bool head = std::find(h.begin(), h.end(), id) != h.end();
  auto* r = revs.find(id);
  return id + (head ? " (head)" : "") + (r ? ": " + r->message : std::string(" (not registered here)"));
}

inline void print_current(Context& c, Engine& engine) {
  auto rows = migrate::applied(engine);
  for (auto& a : rows)
    if (!a.complete) c.out << a.id << ": half applied (" << a.steps_done << " steps done): run upgrade to finish it\n";
  if (!c.has_revisions()) {
    std::vector<std::string> ids;
    for (auto& a : rows)
      if (a.complete) ids.push_back(a.id);
    if (ids.empty()) c.out << "base (no revision applied)\n";
    else c.out << "applied: " << join(ids) << " (the heads among them need the application's revisions)\n";
    return;
  }
  auto cur = migrate::current(engine, *c.revisions);
  if (cur.empty()) c.out << "base (no revision applied)\n";
  for (auto& id : cur) c.out << describe(*c.revisions, id) << '\n';
}

/// A file name part from a message: "Add users.email" → "add_users_email".
inline std::string slug(const std::string& message) {
  std::string s;
  for (char ch : message) {
    if (s.size() >= 40) break;
    bool alnum = (ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9');
    if (ch >= 'A' && ch <= 'Z') ch = static_cast<char>(ch - 'A' + 'a'), alnum = true;
    if (alnum) s += ch;
    else if (!s.empty() && s.back() != '_') s += '_';
  }
  while (!s.empty() && s.back() == '_') s.pop_back();
  return s;
}

/// Writes a generated revision into --out (default "migrations") as <id>_<slug>.hpp.
inline std::filesystem::path write_revision_file(Context& c, const migrate::GeneratedRevision& rev, const std::string& message) {
  std::filesystem::path dir = c.args.value("--out", "migrations");
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  auto s = slug(message);
  auto path = dir / (rev.id + (s.empty() ? "" : "_" + s) + ".hpp");
  if (std::filesystem::exists(path))
    throw ArgumentError("[athanor.cli.exists] " + path.string() + " exists already: pass another --rev-id, or remove the file");
  std::ofstream f(path);
  f << rev.source;
  f.close();
  if (!f) throw ArgumentError("[athanor.cli.write] could not write " + path.string());
  c.out << "wrote " << path.string() << "\n";
  c.out << "review it, include it and register it: revisions.add(revision_" << rev.id << "());\n";
  return path;
}

inline std::string rev_id(Context& c) {
  auto id = c.args.value("--rev-id");
  for (char ch : id)
    if (!((ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9') || ch == '_'))
      throw UsageError("--rev-id takes letters, digits and _ (it names the function revision_<id>()), not '" + id + "'", c.args.command);
  if (!id.empty() && c.revs().find(id)) throw ArgumentError("[athanor.revision.duplicate] revision id '" + id + "' is taken");
  return id;
}

inline std::string message(Context& c) {
  if (!c.args.has("--message") || c.args.value("--message").empty()) throw UsageError("-m MESSAGE is required", c.args.command);
  return c.args.value("--message");
}

/// Progress lines for upgrade/downgrade: "[1/3] upgrade l1: log table" then "… done in 0.15 s".
inline migrate::RunOptions progress(Context& c) {
  migrate::RunOptions o;
  o.progress = [&c](const migrate::Progress& p) {
    std::string head = "[" + std::to_string(p.index + 1) + "/" + std::to_string(p.count) + "] " + (p.up ? "upgrade " : "downgrade ") + p.id;
    if (!p.done) c.out << head << ": " << p.message << std::endl;
    else if (p.skipped) c.out << head << ": " << (p.up ? "applied" : "undone") << " by another run meanwhile, skipped" << std::endl;
    else c.out << head << ": done in " << seconds(p.seconds) << std::endl;
  };
  return o;
}

}  // namespace athanor::cli::detail
