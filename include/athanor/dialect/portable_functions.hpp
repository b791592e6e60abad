// athanor/dialect/portable_functions.hpp — the default spelling (standard SQL, as PostgreSQL
// takes it) of the functions athanor makes give one answer on every backend: round, ceil,
// floor, mod, greatest, least, substr, extract, current_date (built in core/functions.hpp).
// sqlite.hpp and mysql.hpp override Dialect::portable_function where their servers differ.
#pragma once

#include <string>  // std::string

#include <athanor/config.hpp>
#include <athanor/core/functions.hpp>

// The helpers come before compiler.hpp, which ends by including ansi.hpp, which uses them:
// templates, so that Compiler and Dialect need only be complete where they are called.
namespace athanor::detail {

/// A function argument written alone: a bare bound value cast to its own type where the dialect
/// needs it (Capabilities::cast_bare_binds: `EXTRACT(YEAR FROM $1)` has no type to resolve
/// to), an operator expression in parentheses.
template <class C>
void fn_arg(C& c, const Expr& e) {
  if (e.node().kind == ExprKind::bind) return c.arguments({e});
  c.operand(e);
}
/// extract()'s field (a raw node made by core extract(), checked again: it becomes SQL text).
template <class D>
const std::string& extract_field(const D& d, const ExprNode& f) {
  const auto& field = f.args.at(0).node().text;
  if (f.args[0].node().kind != ExprKind::raw || !is_extract_field(field)) d.unsupported("extract() field '" + field + "'", "use year, month, day, hour, minute, second, dow, doy, quarter or week");
  return field;
}
/// round/ceil/floor of an integer is that integer (and reads back as one: SQLite's round(5) is 5.0).
inline bool whole_already(const ExprNode& f) {
  return (f.text == "round" || f.text == "ceil" || f.text == "floor") && f.args.at(0).type().is_integer();
}

}  // namespace athanor::detail

#include <athanor/dialect/compiler.hpp>

namespace athanor {

#if ATHANOR_DEFINITIONS
ATHANOR_DECL void Dialect::portable_function(Compiler& c, const detail::ExprNode& f) const {
  using detail::fn_arg;
  const auto& a = f.args;
  const std::string& n = f.text;
  if (n == "round") {
    // PostgreSQL has no round(double precision, integer), and its round(double precision) rounds
    // half to even (rint): the double is rounded as NUMERIC (its 15 significant digits, float8 →
    // numeric), half away from zero like SQLite, and read back as a double
    // (https://www.postgresql.org/docs/current/functions-math.html).
    bool exact = a[0].type().kind == TypeKind::numeric;
    c.out() += exact ? "round(" : "CAST(round(CAST(";
    c.expr(a[0]);
    if (!exact) c.out() += " AS NUMERIC)";
    if (a.size() > 1) c.out() += ", CAST(", c.expr(a[1]), c.out() += " AS INTEGER)";
    c.out() += exact ? ")" : ") AS DOUBLE PRECISION)";
  } else if (n == "ceil" || n == "floor") {
    c.out() += n, c.out() += '(', fn_arg(c, a[0]), c.out() += ')';
  } else if (n == "mod") {
    // Division by zero is an error on PostgreSQL, NULL on SQLite and MariaDB: NULL everywhere.
    c.out() += "mod(", fn_arg(c, a[0]), c.out() += ", NULLIF(", fn_arg(c, a[1]), c.out() += ", 0))";
  } else if (n == "greatest" || n == "least") {
    // PostgreSQL's GREATEST/LEAST skip NULLs; MariaDB's and SQLite's max()/min() give NULL when
    // any argument is NULL (https://www.postgresql.org/docs/current/functions-conditional.html#FUNCTIONS-GREATEST-LEAST):
    // the stricter answer everywhere.
    c.out() += "CASE WHEN ";
    for (std::size_t i = 0; i < a.size(); ++i) c.out() += i ? " OR " : "", fn_arg(c, a[i]), c.out() += " IS NULL";
    c.out() += " THEN NULL ELSE ", c.out() += n == "greatest" ? "GREATEST(" : "LEAST(", c.arguments(a), c.out() += ") END";
  } else if (n == "substr") {
    // Positions are INTEGER (PostgreSQL has no substr(text, bigint), and binds of 64-bit
    // integers are BIGINT there).
    c.out() += "substr(", fn_arg(c, a[0]);
    for (std::size_t i = 1; i < a.size(); ++i) c.out() += ", CAST(", c.expr(a[i]), c.out() += " AS ", cast_type_name(c.out(), Integer{}), c.out() += ')';
    c.out() += ')';
  } else if (n == "extract") {
    // EXTRACT gives numeric on PostgreSQL ≥ 14, with the fraction of the seconds: whole seconds
    // (trunc) as an integer. DOW is 0 = Sunday; WEEK is the ISO 8601 week
    // (https://www.postgresql.org/docs/current/functions-datetime.html#FUNCTIONS-DATETIME-EXTRACT).
    std::string field = detail::extract_field(*this, f);
    for (char& ch : field) ch = static_cast<char>(ch - 'a' + 'A');
    c.out() += field == "SECOND" ? "CAST(trunc(EXTRACT(" : "CAST(EXTRACT(", c.out() += field, c.out() += " FROM ";
    fn_arg(c, a[1]);
    c.out() += field == "SECOND" ? ")) AS INTEGER)" : ") AS INTEGER)";
  } else if (n == "current_date") {
    c.out() += "CURRENT_DATE";
  } else {
    unsupported("portable function " + n + "()", "use func()");
  }
}
#endif  // ATHANOR_DEFINITIONS

}  // namespace athanor
