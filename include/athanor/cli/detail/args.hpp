// athanor/cli/detail/args.hpp — the command line of `athanor` split into a command, its
// positional arguments, options with a value and flags, checked against what the command
// takes (anything else is a usage error: exit code 2).
#pragma once

#include <map>     // std::map
#include <set>     // std::set
#include <string>  // std::string
#include <vector>  // std::vector

#include <athanor/core/error.hpp>

namespace athanor::cli::detail {

/// A mistake in the command line (exit code 2, unlike a failure of the command: 1).
class UsageError : public ArgumentError {
 public:
  explicit UsageError(const std::string& what, std::string command = {})
      : ArgumentError("[athanor.cli.usage] " + what), command(std::move(command)) {}
  std::string command;  ///< the command whose --help to point at (empty: the program's)
};

/// Options that take a value (`--url URL` or `--url=URL`), with their short spellings.
inline const std::map<std::string, std::string>& value_options() {
  static const std::map<std::string, std::string> m{{"--url", "--url"},       {"-m", "--message"},  {"--message", "--message"},
                                                    {"--rev-id", "--rev-id"}, {"--out", "--out"},   {"--dialect", "--dialect"},
                                                    {"--from", "--from"},     {"--namespace", "--namespace"},
                                                    {"--tables", "--tables"}, {"--exclude", "--exclude"},
                                                    {"--rename", "--rename"}};
  return m;
}

struct Args {
  std::string command;
  std::vector<std::string> positional;
  std::map<std::string, std::string> values;  ///< by long name
  std::set<std::string> flags;                ///< by long name ("--help" for -h too)

  bool flag(const std::string& f) const { return flags.count(f) != 0; }
  std::string value(const std::string& name, const std::string& fallback = {}) const {
    auto it = values.find(name);
    return it == values.end() ? fallback : it->second;
  }
  bool has(const std::string& name) const { return values.count(name) != 0; }
};

/// Splits argv (without the program name). Global options may stand before or after the
/// command; `--` ends the options.
inline Args parse(const std::vector<std::string>& argv) {
  Args a;
  bool options = true;
  for (std::size_t i = 0; i < argv.size(); ++i) {
    std::string s = argv[i];
    if (options && s == "--") {
      options = false;
      continue;
    }
    if (options && s.size() > 1 && s[0] == '-') {
      std::string name = s, value;
      bool inline_value = false;
      if (auto eq = s.find('='); eq != std::string::npos && s.rfind("--", 0) == 0) {
        name = s.substr(0, eq), value = s.substr(eq + 1), inline_value = true;
      }
      auto& vo = value_options();
      if (auto it = vo.find(name); it != vo.end()) {
        if (!inline_value) {
          if (i + 1 >= argv.size()) throw UsageError(name + " needs a value", a.command);
          value = argv[++i];
        }
        a.values[it->second] = value;
        continue;
      }
      if (inline_value) throw UsageError(name + " takes no value", a.command);
      a.flags.insert(name == "-h" ? "--help" : name);
      continue;
    }
    if (a.command.empty()) a.command = s;
    else a.positional.push_back(s);
  }
  return a;
}

/// A rename the user accepts, as `revision --autogenerate --rename` spells it: `OLD:NEW` for a
/// table, `TABLE.OLD:NEW` for a column; several joined by commas.
struct RenameArg {
  std::string table;  ///< empty: OLD/NEW name a table
  std::string from, to;
};

inline std::vector<RenameArg> parse_renames(const std::string& list) {
  std::vector<RenameArg> out;
  std::size_t start = 0;
  while (start <= list.size()) {
    auto end = list.find(',', start);
    if (end == std::string::npos) end = list.size();
    std::string item = list.substr(start, end - start);
    auto colon = item.find(':');
    if (colon == std::string::npos || colon == 0 || colon + 1 == item.size() || item.find(':', colon + 1) != std::string::npos)
      throw UsageError("--rename takes OLD:NEW (a table) or TABLE.OLD:NEW (a column), comma-separated, not '" + item + "'",
                       "revision");
    RenameArg r;
    std::string old = item.substr(0, colon);
    r.to = item.substr(colon + 1);
    if (auto dot = old.find('.'); dot != std::string::npos) r.table = old.substr(0, dot), r.from = old.substr(dot + 1);
    else r.from = old;
    if (r.from.empty() || (old.find('.') != std::string::npos && r.table.empty()))
      throw UsageError("--rename takes OLD:NEW (a table) or TABLE.OLD:NEW (a column), not '" + item + "'", "revision");
    out.push_back(std::move(r));
    start = end + 1;
  }
  return out;
}

}  // namespace athanor::cli::detail
