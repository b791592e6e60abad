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
#include <concepts>    // std::convertible_to
#include <iostream>    // std::cout
#include <ostream>     // std::ostream
#include <string>      // std::string
#include <vector>      // std::vector

#include <athanor/cli/detail/args.hpp>
#include <athanor/cli/detail/commands.hpp>

namespace athanor::cli {

namespace detail {

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
