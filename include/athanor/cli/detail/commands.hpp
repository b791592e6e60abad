// athanor/cli/detail/commands.hpp — the table of `athanor`'s commands: revision, upgrade,
// downgrade, current, history, heads, merge, check, stamp, inspect, codegen, each with its
// usage, help, options and body.
#pragma once

#include <string>  // std::string
#include <vector>  // std::vector

#include <athanor/cli/detail/context.hpp>

namespace athanor::cli::detail {

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

}  // namespace athanor::cli::detail
