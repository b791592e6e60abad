// athanor/cli.hpp — `athanor::cli::main`, the `athanor` command as a library entry point: an
// application links its own models and revisions into a small program and gets the migration
// commands for them (C++ cannot load a program's models at run time, so the command cannot
// find them itself, as Alembic imports env.py):
//
//     int main(int argc, char** argv) { return athanor::cli::main(argc, argv, registry, revisions()); }
//
// Commands: revision [--autogenerate], upgrade, downgrade, current, history, heads, merge,
// check, stamp, inspect, codegen (`athanor --help`, `athanor COMMAND --help`). The installed
// program `athanor` is this with no models and no revisions: inspect, codegen, current and
// history (of the version table) and `upgrade --sql` work there; the others say they need the
// application's program. Exit codes: 0 done, 1 the command failed (one line
// `error: [athanor.x.y] …`; `check`: models and revisions differ), 2 a usage error.
// Not included by <athanor/athanor.hpp>.
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
#include <athanor/engine/engine.hpp>
#include <athanor/migrate/autogenerate.hpp>
#include <athanor/migrate/codegen.hpp>
#include <athanor/migrate/inspect.hpp>
#include <athanor/migrate/upgrade.hpp>

namespace athanor::cli {

namespace detail {

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

inline std::vector<Command> commands() {
  std::vector<Command> cs;
  cs.push_back({"revision", "revision -m MESSAGE [--autogenerate [--offline] [--allow-drop] [--rename OLD:NEW,...]] [--rev-id ID] [--out DIR]",
                "write a new revision (a C++ header) into DIR (default: migrations)",
                "  --autogenerate  its up/down from the difference between the models and the database\n"
                "                  (the database must be at the head), or with --offline, the schema the\n"
                "                  revisions make (no connection; --dialect or the URL's backend)\n"
                "  --allow-drop    write DROP TABLE / DROP COLUMN (otherwise comments in the revision)\n"
                "  --rename OLD:NEW,TABLE.OLD:NEW  accept renames of tables and columns (as proposed in the\n"
                "                  output): a rename instead of a create and a refused drop\n"
                "  --rev-id ID     the revision's id (default: 12 random hex digits)\n"
                "  without --autogenerate: an empty revision, for data steps written by hand\n",
                {"--message", "--autogenerate", "--offline", "--allow-drop", "--rename", "--rev-id", "--out", "--dialect"}, 0, 0,
                [](Context& c) {
                  auto msg = message(c);
                  auto id = rev_id(c);
                  const auto& revs = c.revs();
                  migrate::Diff diff;
                  const Dialect* d = &c.dialect("sqlite");
                  if (c.args.flag("--autogenerate")) {
                    const auto& models = c.need_models("revision --autogenerate");
                    migrate::DiffOptions o;
                    o.allow_drop = c.args.flag("--allow-drop");
                    if (c.args.has("--rename"))
                      for (auto& r : detail::parse_renames(c.args.value("--rename")))
                        o.renames.push_back(r.table.empty() ? migrate::RenameProposal::of_table(r.from, r.to)
                                                            : migrate::RenameProposal{r.table, r.from, r.to});
                    if (c.args.flag("--offline")) {
                      d = &c.dialect();
                      diff = migrate::compare_revisions(models, revs, *d, o);
                    } else {
                      auto engine = c.engine();
                      d = &engine.dialect();
                      auto cur = migrate::current(engine, revs);
                      if (!revs.all().empty() && cur != std::vector<std::string>{revs.head()})
                        throw ArgumentError("[athanor.cli.not_up_to_date] the database is at " + (cur.empty() ? std::string("base") : join(cur)) +
                                            ", not at the head " + revs.head() +
                                            ": run upgrade first (autogenerate compares the models with the database)");
                      diff = migrate::diff(models, engine, o);
                    }
                    auto lines = diff.describe();
                    if (lines.empty()) c.out << "no changes detected: the revision is empty\n";
                    for (auto& l : lines) c.out << "  " << l << '\n';
                    for (auto& r : diff.proposed_renames)
                      c.out << "  (to accept: --rename " << (r.whole_table ? r.from : r.table + "." + r.from) << ':' << r.to << ")\n";
                  }
                  auto rev = migrate::detail::write_revision(diff, revs, msg, *d, id);
                  write_revision_file(c, rev, msg);
                  return 0;
                }});
  cs.push_back({"upgrade", "upgrade [TARGET] [--sql [--from REV]]", "run the revisions up to TARGET (default: head; or heads, or an id)",
                "  --sql       print the SQL instead, for --dialect or the URL's backend, without a connection\n"
                "  --from REV  with --sql: start after REV (default: base, the version table included)\n",
                {"--sql", "--from", "--dialect"}, 0, 1,
                [](Context& c) {
                  std::string target = c.args.positional.empty() ? "head" : c.args.positional[0];
                  if (c.args.flag("--sql")) {
                    const Dialect& d = c.dialect();
                    if (!c.has_revisions()) {
                      c.out << migrate::detail::version_table_ddl(d) << ";\n-- this program registers no revisions\n";
                      return 0;
                    }
                    c.out << migrate::upgrade_sql(d, c.revs(), c.args.value("--from", "base"), target);
                    return 0;
                  }
                  if (c.args.has("--from")) throw UsageError("--from goes with --sql (online, the database says where it is)", "upgrade");
                  const auto& revs = c.need_revisions("upgrade");
                  auto engine = c.engine();
                  auto start = std::chrono::steady_clock::now();
                  auto ran = migrate::upgrade(engine, revs, target, progress(c));
                  double took = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
                  c.out << (ran.empty() ? std::string("nothing to upgrade") : "upgraded " + plural(ran.size(), "revision") + " in " + seconds(took))
                        << "; current: " << join(migrate::current(engine, revs)) << '\n';
                  return 0;
                }});
  cs.push_back({"downgrade", "downgrade TARGET [--sql [--from REV]]", "undo the applied revisions TARGET does not descend from (base: all)",
                "  --sql       print the SQL instead (from --from, default the head), without a connection\n",
                {"--sql", "--from", "--dialect"}, 1, 1,
                [](Context& c) {
                  const auto& revs = c.need_revisions("downgrade");
                  std::string target = c.args.positional[0];
                  if (c.args.flag("--sql")) {
                    c.out << migrate::downgrade_sql(c.dialect(), revs, target, c.args.value("--from", "head"));
                    return 0;
                  }
                  if (c.args.has("--from")) throw UsageError("--from goes with --sql (online, the database says where it is)", "downgrade");
                  auto engine = c.engine();
                  auto start = std::chrono::steady_clock::now();
                  auto ran = migrate::downgrade(engine, revs, target, progress(c));
                  double took = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
                  auto cur = migrate::current(engine, revs);
                  c.out << (ran.empty() ? std::string("nothing to downgrade") : "downgraded " + plural(ran.size(), "revision") + " in " + seconds(took))
                        << "; current: " << (cur.empty() ? std::string("base") : join(cur)) << '\n';
                  return 0;
                }});
  cs.push_back({"current", "current", "the revisions the database is at", "", {}, 0, 0, [](Context& c) {
                  auto engine = c.engine();
                  print_current(c, engine);
                  return 0;
                }});
  cs.push_back({"history", "history", "the revisions, newest first (without revisions: the version table's rows)",
                "  with a database (--url / ATHANOR_URL), applied revisions are marked [applied]\n", {}, 0, 0, [](Context& c) {
                  if (!c.has_revisions()) {
                    auto engine = c.engine();
                    auto rows = migrate::applied(engine);
                    if (rows.empty()) c.out << "no revision applied\n";
                    for (auto& a : rows)
                      c.out << a.id << "  checksum " << a.checksum << (a.complete ? "" : "  half applied (" + std::to_string(a.steps_done) + " steps done)") << '\n';
                    return 0;
                  }
                  std::set<std::string> applied;
                  if (!c.url().empty()) {
                    auto engine = c.engine();
                    for (auto& a : migrate::applied(engine))
                      if (a.complete) applied.insert(a.id);
                  }
                  auto lines = c.revisions->history();
                  auto order = c.revisions->ordered();
                  for (std::size_t i = 0; i < lines.size(); ++i) {
                    const auto& id = order[order.size() - 1 - i]->id;  // history() is ordered() newest first
                    c.out << lines[i] << (applied.count(id) ? " [applied]" : "") << '\n';
                  }
                  return 0;
                }});
  cs.push_back({"heads", "heads", "the revisions no other one names as parent", "", {}, 0, 0, [](Context& c) {
                  const auto& revs = c.need_revisions("heads");
                  auto h = revs.heads();
                  for (auto& id : h) c.out << describe(revs, id) << '\n';
                  if (h.size() > 1) c.out << h.size() << " heads: join them with `merge -m MESSAGE " << join(h, " ") << "`\n";
                  return 0;
                }});
  cs.push_back({"merge", "merge -m MESSAGE [REV...] [--rev-id ID] [--out DIR]",
                "write a revision whose parents are REV... (default: all heads), joining branches", "", {"--message", "--rev-id", "--out"}, 0, 64,
                [](Context& c) {
                  const auto& revs = c.need_revisions("merge");
                  auto msg = message(c);
                  auto id = rev_id(c);
                  auto parents = c.args.positional.empty() ? revs.heads() : c.args.positional;
                  for (auto& p : parents) revs.at(p);
                  if (parents.size() < 2)
                    throw ArgumentError("[athanor.cli.merge] a merge needs two revisions or more; the revisions have one head (" + join(revs.heads()) +
                                        "): nothing to merge");
                  auto rev = migrate::detail::write_revision(migrate::Diff{}, parents, msg, c.dialect("sqlite"), id);
                  c.out << "merging " << join(parents) << '\n';
                  write_revision_file(c, rev, msg);
                  return 0;
                }});
  cs.push_back({"check", "check [--dialect NAME]",
                "exit 1 when the models and the revisions' head differ (for CI; no connection)",
                "  compares the models with the schema the revisions make, as `revision --autogenerate --offline`\n"
                "  would (dialect: --dialect, the URL's backend, or sqlite)\n",
                {"--dialect"}, 0, 0, [](Context& c) {
                  const auto& models = c.need_models("check");
                  const auto& revs = c.revs();
                  auto diff = migrate::compare_revisions(models, revs, c.dialect("sqlite"));
                  std::string at = revs.all().empty() ? std::string("base") : revs.head();
                  if (diff.empty()) {
                    c.out << "the models and the revisions agree (head: " << at << ")\n";
                    return 0;
                  }
                  for (auto& l : diff.describe()) c.out << "  " << l << '\n';
                  auto n = diff.operations.size() + diff.refused.size() + diff.proposed_renames.size();
                  throw ArgumentError("[athanor.cli.check] the models differ from the revisions at " + at + " (" + plural(n, "change") +
                                      "): write a revision with `revision --autogenerate -m MESSAGE`");
                }});
  cs.push_back({"stamp", "stamp [REV...] [--accept-checksum]",
                "record REV (and its ancestors) as applied without running anything; base: none",
                "  --accept-checksum  record the current checksum of applied revisions whose SQL changed\n"
                "                     (edited after they ran, or rendered differently by a newer athanor);\n"
                "                     without REV: for every applied revision\n",
                {"--accept-checksum"}, 0, 64, [](Context& c) {
                  const auto& revs = c.need_revisions("stamp");
                  if (c.args.positional.empty() && !c.args.flag("--accept-checksum"))
                    throw UsageError("name the revision to stamp (an id, head, heads or base), or pass --accept-checksum", "stamp");
                  auto engine = c.engine();
                  auto r = migrate::stamp(engine, revs, c.args.positional, c.args.flag("--accept-checksum"));
                  if (!r.added.empty()) c.out << "recorded as applied: " << join(r.added) << '\n';
                  if (!r.removed.empty()) c.out << "recorded as not applied: " << join(r.removed) << '\n';
                  if (!r.accepted.empty()) c.out << "checksum accepted: " << join(r.accepted) << '\n';
                  if (r.added.empty() && r.removed.empty() && r.accepted.empty()) c.out << "nothing to change\n";
                  auto cur = migrate::current(engine, revs);
                  c.out << "current: " << (cur.empty() ? std::string("base") : join(cur)) << '\n';
                  return 0;
                }});
  cs.push_back({"inspect", "inspect [URL]", "print the schema of a database as reflection reads it",
                "  one block per table (columns with types, keys, constraints, indexes), after the backend's\n"
                "  normalisation, as migrate::canonical() prints it; then the views\n",
                {}, 0, 1, [](Context& c) {
                  auto engine = c.engine(c.args.positional.empty() ? c.need_url() : c.args.positional[0]);
                  MetaData md;
                  reflect(md, engine);
                  c.out << "-- " << engine.url().to_string() << " (" << engine.dialect().display_name() << ")\n";
                  c.out << canonical(md, engine.dialect());
                  for (auto& v : inspect(engine).view_names()) c.out << "view " << v << '\n';
                  return 0;
                }});
  cs.push_back({"codegen", "codegen [URL] [--out FILE] [--namespace NS] [--tables T1,T2] [--exclude T1,T2] [--no-relationships]",
                "write a header of models for the tables of a database",
                "  to FILE, or to the standard output; the models go in namespace NS (default: models),\n"
                "  for the tables listed (default: all) but the excluded ones, with One/Many relationships\n"
                "  inferred from the foreign keys unless --no-relationships\n",
                {"--out", "--namespace", "--tables", "--exclude", "--no-relationships"}, 0, 1, [](Context& c) {
                  auto engine = c.engine(c.args.positional.empty() ? c.need_url() : c.args.positional[0]);
                  auto list = [&](const char* name) {
                    std::vector<std::string> names;
                    std::string all = c.args.value(name);
                    for (std::size_t b = 0; b < all.size();) {
                      auto e = std::min(all.find(',', b), all.size());
                      if (e > b) names.push_back(all.substr(b, e - b));
                      b = e + 1;
                    }
                    return names;
                  };
                  migrate::CodegenOptions o;
                  if (c.args.has("--namespace")) o.namespace_ = c.args.value("--namespace");
                  o.tables = list("--tables");
                  o.exclude_tables = list("--exclude");
                  o.relationships = !c.args.flag("--no-relationships");
                  auto source = migrate::codegen(engine, o);
                  if (!c.args.has("--out")) {
                    c.out << source;
                    return 0;
                  }
                  std::ofstream f(c.args.value("--out"));
                  f << source;
                  f.close();
                  if (!f) throw ArgumentError("[athanor.cli.write] could not write " + c.args.value("--out"));
                  c.out << "wrote " << c.args.value("--out") << '\n';
                  return 0;
                }});
  return cs;
}

inline const char* global_help =
    "global options:\n"
    "  --url URL   the database (default: the environment variable ATHANOR_URL); its password\n"
    "              is never printed\n"
    "  --echo      print each SQL statement to the standard error\n"
    "  -h, --help  this help, or a command's (athanor COMMAND --help)\n";

inline void program_help(std::ostream& o, bool models) {
  o << "usage: athanor [--url URL] [--echo] COMMAND [options]\n\ncommands:\n";
  for (auto& c : commands()) {
    std::string name = c.name;
    o << "  " << name << std::string(name.size() < 10 ? 10 - name.size() : 1, ' ') << c.summary << '\n';
  }
  o << '\n' << global_help;
  if (!models)
    o << "\nThis program has no models or revisions: revision, upgrade (except --sql), downgrade, heads, merge,\n"
         "check and stamp need a program of the application's own: athanor::cli::main(argc, argv, registry, revisions).\n";
}

inline int run(std::vector<std::string> argv, const MetaData* models, const migrate::Revisions* revisions, std::ostream& out, std::ostream& err) {
  Args args;
  try {
    args = parse(argv);
    if (args.command.empty() || args.command == "help") {
      if (args.command == "help" && !args.positional.empty()) {
        args.command = args.positional[0], args.positional.clear(), args.flags.insert("--help");
      } else if (args.flag("--help") || args.command == "help") {
        program_help(out, models != nullptr);
        return 0;
      } else {
        throw UsageError("no command given");
      }
    }
    for (auto& cmd : commands()) {
      if (args.command != cmd.name) continue;
      if (args.flag("--help")) {
        out << "usage: athanor " << cmd.usage << "\n\n" << cmd.summary << "\n\n" << cmd.help << (*cmd.help ? "\n" : "") << global_help;
        return 0;
      }
      for (auto& [name, v] : args.values)
        if (name != "--url" && std::find(cmd.options.begin(), cmd.options.end(), name) == cmd.options.end())
          throw UsageError(cmd.name + std::string(" takes no ") + name, cmd.name);
      for (auto& f : args.flags)
        if (f != "--echo" && std::find(cmd.options.begin(), cmd.options.end(), f) == cmd.options.end())
          throw UsageError(std::string(cmd.name) + (f.rfind("--", 0) == 0 ? " takes no " : ": unknown option ") + f, cmd.name);
      if (args.positional.size() < cmd.min_args) throw UsageError(std::string(cmd.name) + " needs an argument: " + cmd.usage, cmd.name);
      if (args.positional.size() > cmd.max_args)
        throw UsageError(std::string(cmd.name) + " takes " + (cmd.max_args ? "at most " + plural(cmd.max_args, "argument") : "no argument") +
                             ", not '" + args.positional[cmd.max_args] + "'",
                         cmd.name);
      Context c{models, revisions, args, out, err};
      return cmd.run(c);
    }
    throw UsageError("unknown command '" + args.command + "'");
  } catch (const UsageError& e) {
    err << "error: " << e.what() << '\n';
    err << "usage: athanor " << (e.command.empty() ? "[--url URL] [--echo] COMMAND [options]" : e.command + " …")
        << " (see athanor " << (e.command.empty() ? "" : e.command + " ") << "--help)\n";
    return 2;
  } catch (const Error& e) {
    err << "error: " << e.what() << '\n';
    return 1;
  } catch (const std::exception& e) {
    err << "error: [athanor.cli.failed] " << e.what() << '\n';
    return 1;
  }
}

inline std::vector<std::string> arguments(int argc, const char* const* argv) {
  std::vector<std::string> v;
  for (int i = 1; i < argc; ++i) v.emplace_back(argv[i]);
  return v;
}

/// A registry of models: anything with `metadata()` (orm::Registry).
template <class R>
concept HasMetadata = requires(const R& r) {
  { r.metadata() } -> std::convertible_to<const MetaData&>;
};

}  // namespace detail

/// The commands for `models` and `revisions`, writing to `out` and `err`; returns the exit
/// code (0 done, 1 failed, 2 usage error). argv[0] is the program's name, as main() gets it.
/// **Example**: `int main(int argc, char** argv) { return athanor::cli::main(argc, argv, md, revisions); }`
inline int main(int argc, const char* const* argv, const MetaData& models, const migrate::Revisions& revisions, std::ostream& out,
                std::ostream& err) {
  return detail::run(detail::arguments(argc, argv), &models, &revisions, out, err);
}
/// The same on std::cout and std::cerr.
inline int main(int argc, const char* const* argv, const MetaData& models, const migrate::Revisions& revisions) {
  return main(argc, argv, models, revisions, std::cout, std::cerr);
}
/// The same for an orm::Registry (its metadata()).
/// **Example**: `int main(int argc, char** argv) { return athanor::cli::main(argc, argv, registry, revisions); }`
template <detail::HasMetadata R>
int main(int argc, const char* const* argv, const R& registry, const migrate::Revisions& revisions, std::ostream& out, std::ostream& err) {
  return main(argc, argv, registry.metadata(), revisions, out, err);
}
/// The same for an orm::Registry, on std::cout and std::cerr.
template <detail::HasMetadata R>
int main(int argc, const char* const* argv, const R& registry, const migrate::Revisions& revisions) {
  return main(argc, argv, registry.metadata(), revisions, std::cout, std::cerr);
}
/// The commands without models or revisions: the installed `athanor` program.
inline int main(int argc, const char* const* argv, std::ostream& out, std::ostream& err) {
  return detail::run(detail::arguments(argc, argv), nullptr, nullptr, out, err);
}
/// The installed `athanor` program's main (tools/athanor.cpp), on std::cout and std::cerr.
inline int main(int argc, const char* const* argv) { return main(argc, argv, std::cout, std::cerr); }

}  // namespace athanor::cli
