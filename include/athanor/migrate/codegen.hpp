// athanor/migrate/codegen.hpp — code generation (sqlacodegen's job): `migrate::codegen(engine)`
// reflects a live database and returns a C++ header of ORM models as a user would write them:
// structs of `Mapped<T>` members, `configure` with keys, lengths, uniques, indexes, CHECKs and
// foreign keys (actions and names kept), ATHANOR_MODEL, and `One`/`Many` relationships inferred
// from the foreign keys as sqlacodegen infers them:
//   - a foreign key → many-to-one on its table (`One<Parent>`) and one-to-many on the referred
//     one (`Many<Child>`);
//   - a foreign key whose columns are the table's primary key or a UNIQUE constraint/index →
//     one-to-one (`One<>` on both sides);
//   - a table of exactly two foreign keys whose columns are all of its columns (an association
//     table) → many-to-many between the two referred tables, `secondary<Association>()`.
// Names are made C++: a struct is the table's name in PascalCase, a relationship the foreign
// key's column without its `_id`/`Id` (else the referred table) in snake_case, collections
// plural; keywords get a trailing `_`, a leading digit a prefix, and a relationship that meets
// a column's or another relationship's name a `_` or a number. A column is mapped by a member
// of its own name (athanor has no other column naming), so a column whose name is no C++
// identifier is left out, with a comment saying so (a table that needs it in its primary key is
// left out entirely). The output is deterministic: tables sorted by name, columns in table
// order, constraints and relationships sorted.
//
// Not included by <athanor/athanor.hpp>. The `athanor codegen URL` command calls codegen(Engine&).
// The parts: migrate/detail/codegen_plan.hpp (models and relationships), codegen_names.hpp; the
// header written in migrate/impl/codegen.ipp.
#pragma once

#include <string>  // std::string
#include <vector>  // std::vector

#include <athanor/config.hpp>
#include <athanor/migrate/diff.hpp>  // version_table
#include <athanor/migrate/inspect.hpp>

namespace athanor::migrate {

/// What codegen() writes.
struct CodegenOptions {
  std::string namespace_ = "models";        ///< the namespace of the models (may be nested: "app::db")
  std::vector<std::string> tables{};        ///< only these tables (empty: all but athanor_version)
  std::vector<std::string> exclude_tables{};///< never these
  bool relationships = true;                ///< infer One/Many relationships from the foreign keys
  /// What the header comment says made it (the `athanor` command passes its command line, with
  /// the URL's password hidden). Empty: "athanor codegen <URL, password hidden>" from an Engine,
  /// "athanor::migrate::codegen()" from an Inspector.
  std::string command{};
};

/// The header of models for the tables `insp` reads (see the file comment).
ATHANOR_DECL std::string codegen(Inspector& insp, const CodegenOptions& options = {});

/// The header of models for the database behind `engine`.
/// **Example**: `std::ofstream("models.hpp") << migrate::codegen(engine, {.namespace_ = "shop"});`
inline std::string codegen(Engine& engine, const CodegenOptions& options = {}) {
  Inspector insp(engine);
  if (!options.command.empty()) return codegen(insp, options);
  CodegenOptions o = options;
  o.command = "athanor codegen " + engine.url().to_string();  // URL::to_string hides the password
  return codegen(insp, o);
}

namespace detail {
/// The header for these reflected tables (codegen()'s work, without a database).
ATHANOR_DECL std::string codegen_tables(std::vector<ReflectedTable> tables, const CodegenOptions& options);
}  // namespace detail

}  // namespace athanor::migrate

#if ATHANOR_DEFINITIONS
#  include <athanor/migrate/impl/codegen.ipp>
#endif
