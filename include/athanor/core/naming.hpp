// athanor/core/naming.hpp — `NamingConvention`: the names create_all gives constraints and
// indexes that were declared without one (SQLAlchemy's `MetaData(naming_convention=…)`), so
// that every constraint has a name a migration can find and drop on every backend. Used by
// the DDL compiler, canonical() and the schema diff; a MetaData carries one for its tables.
#pragma once

#include <cstdint>  // std::uint32_t
#include <string_view>  // std::string_view
#include <utility>  // std::pair
#include <string>   // std::string
#include <vector>   // std::vector

namespace athanor {

/// Templates of generated names. Tokens: `%(table)s`, `%(column_0_name)s` (also `%(column_0)s`),
/// `%(column_0_N_name)s` (every column, joined by '_'), `%(referred_table)s`, `%(constraint_name)s`
/// (a CHECK: its ordinal among the table's unnamed checks, or `<column>_enum` for an Enum's).
/// An explicit name always wins. A name longer than the backend keeps (PostgreSQL 63 bytes,
/// MariaDB 64) is cut and ends in `_` and 8 hex digits of a hash of the whole name, so two long
/// names stay distinct and the same model always gives the same name.
/// **Example**: `md.naming_convention({.ix = "idx_%(table)s_%(column_0_N_name)s"});` before declaring tables.
struct NamingConvention {
  std::string fk = "fk_%(table)s_%(column_0_N_name)s_%(referred_table)s";  ///< FOREIGN KEY
  std::string uq = "uq_%(table)s_%(column_0_N_name)s";                     ///< UNIQUE (constraint or column `unique`)
  std::string ix = "ix_%(table)s_%(column_0_N_name)s";                     ///< an index (column `index`, or an Index without name)
  std::string ck = "ck_%(table)s_%(constraint_name)s";                     ///< CHECK
};

namespace detail {

/// `tmpl` with its tokens replaced.
inline std::string convention_name(const std::string& tmpl, const std::string& table, const std::vector<std::string>& cols,
                                   const std::string& referred = {}, const std::string& constraint_name = {}) {
  std::string all;
  for (std::size_t i = 0; i < cols.size(); ++i) all += i ? "_" : "", all += cols[i];
  const std::string first = cols.empty() ? std::string() : cols[0];
  const std::pair<const char*, const std::string*> tokens[] = {
      {"%(table)s", &table},          {"%(table_name)s", &table},        {"%(column_0_N_name)s", &all},
      {"%(column_0_name)s", &first},  {"%(column_0)s", &first},          {"%(referred_table)s", &referred},
      {"%(referred_table_name)s", &referred}, {"%(constraint_name)s", &constraint_name}};
  std::string out;
  for (std::size_t i = 0; i < tmpl.size();) {
    bool hit = false;
    for (auto& [tok, val] : tokens) {
      std::string_view t(tok);
      if (tmpl.compare(i, t.size(), t) == 0) {
        out += *val, i += t.size(), hit = true;
        break;
      }
    }
    if (!hit) out += tmpl[i++];
  }
  return out;
}

/// `name` cut to `max` bytes (0: no limit) with a hash suffix: `<prefix>_<8 hex of FNV-1a(name)>`.
/// Deterministic, so the name create_all wrote is the name a later diff computes.
inline std::string fit_identifier(const std::string& name, std::size_t max) {
  if (max == 0 || name.size() <= max || max < 12) return name;
  std::uint32_t h = 2166136261u;
  for (unsigned char c : name) h = (h ^ c) * 16777619u;
  static constexpr char hex[] = "0123456789abcdef";
  std::string suffix = "_";
  for (int s = 28; s >= 0; s -= 4) suffix += hex[(h >> s) & 0xF];
  std::size_t keep = max - suffix.size();
  while (keep > 0 && (static_cast<unsigned char>(name[keep]) & 0xC0) == 0x80) --keep;  // not inside a UTF-8 character
  return name.substr(0, keep) + suffix;
}

/// The default convention (a table outside any MetaData uses it).
inline const NamingConvention& default_naming() {
  static const NamingConvention nc;
  return nc;
}

}  // namespace detail
}  // namespace athanor
