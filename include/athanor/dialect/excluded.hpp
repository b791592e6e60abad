// athanor/dialect/excluded.hpp — `excluded(column)`, the row an upsert proposed, as each
// dialect's upsert hook writes it (Dialect::upsert, Dialect::function). An expression only:
// the typed DSL's upserts use it without the compiler (issue 17).
#pragma once

#include <string>   // std::string
#include <utility>  // std::move

#include <athanor/core/expression.hpp>

namespace athanor {

/// The row proposed for insertion, inside an upsert's SET: `excluded("name")`
/// (EXCLUDED.name on SQLite/PostgreSQL, VALUES(name) on MySQL).
inline Expr excluded(std::string column) {
  return Expr::make(detail::ExprKind::function, SqlType{}, "__excluded", {Expr::make(detail::ExprKind::raw, SqlType{}, std::move(column), {})});
}

}  // namespace athanor
