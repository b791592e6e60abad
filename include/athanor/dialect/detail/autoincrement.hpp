// athanor/dialect/detail/autoincrement.hpp — which column of a table is its generated key.
// The compiler asks it for DDL and INSERT; the ORM's mapper asks it once per model without
// the compiler (issue 17: a file that only declares models does not parse the SQL compiler).
#pragma once

#include <athanor/core/column.hpp>
#include <athanor/core/detail/from_node.hpp>

namespace athanor::detail {

/// Whether `c` is `t`'s generated key: its sole primary-key column, of an integer type, and
/// then autoincrement(b) if given, else only when it has no foreign key and no default.
inline bool is_autoincrement(const TableData& t, const ColumnDef& c) {
  if (t.primary_key.size() != 1 || t.primary_key[0] != c.name || !c.type.is_integer()) return false;
  if (c.autoincrement) return *c.autoincrement;
  return c.foreign_keys.empty() && !c.server_default.has_value() && !c.default_value.has_value() && !c.default_factory;
}

}  // namespace athanor::detail
