// athanor/migrate/diff.hpp — autogenerate: `migrate::diff(models, engine)` compares a MetaData
// with the database's reflected schema and returns the operations (Diff) that bring the database
// to the models; `migrate::render` writes them per dialect, `migrate::apply` runs them.
// Include it where you migrate (not included by <athanor/athanor.hpp>).
#pragma once

#include <athanor/migrate/compare.hpp>
#include <athanor/migrate/inspect.hpp>
#include <athanor/migrate/operations.hpp>
#include <athanor/migrate/render.hpp>

namespace athanor::migrate {

/// The table where migrate::upgrade records the applied revisions; diff() leaves it alone.
inline constexpr const char* version_table = "athanor_version";

/// The operations that bring the database behind `bind` (an Engine or a Connection) to
/// `target`: its tables are reflected (those `options.include_table` lets in) and compared.
/// **Example**:
/// ```
/// auto d = migrate::diff(registry.metadata(), engine);          // drops refused
/// for (auto& line : d.describe()) std::cout << line << '\n';
/// auto script = migrate::render(d, engine.dialect());             // std::cout << script.text();
/// auto conn = engine.connect(); migrate::apply(conn, script);
/// ```
template <class Bind>
Diff diff(const MetaData& target, Bind& bind, const DiffOptions& options = {}) {
  MetaData current;
  current.naming_convention(target.naming_convention());
  {
    Inspector insp(bind);
    std::vector<std::string> names;
    for (auto& n : insp.table_names())
      if (n != version_table && (!options.include_table || options.include_table(n))) names.push_back(n);
    if (!names.empty()) reflect(current, bind, names);  // (an empty list would mean all of them)
  }
  return compare(target, current, bind.dialect(), options);
}

}  // namespace athanor::migrate
