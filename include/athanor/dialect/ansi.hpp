// athanor/dialect/ansi.hpp — the default (ANSI SQL) bodies of the Dialect hooks; a backend
// dialect overrides only the hooks where its flavour differs.
#pragma once

#include <algorithm>  // std::any_of
#include <charconv>  // std::to_chars
#include <cmath>     // std::isfinite

#include <athanor/config.hpp>
#include <athanor/core/detail/convert.hpp>
#include <athanor/dialect/compiler.hpp>
#include <athanor/dialect/excluded.hpp>  // excluded(), before this file had it
#include <athanor/dialect/portable_functions.hpp>  // portable_function's default body

namespace athanor {

#if ATHANOR_DEFINITIONS
ATHANOR_DECL Dialect::Dialect()
    : compile_([](const Dialect& d, const detail::StatementNode& n) { return Compiler(d).compile(n); }) {}

ATHANOR_DECL void Dialect::cast_type_name(std::string& out, const SqlType& t) const { type_name(out, t); }

ATHANOR_DECL void Dialect::autoincrement_type(std::string& out, const SqlType& t) const { type_name(out, t); }

ATHANOR_DECL void Dialect::quote(std::string& out, std::string_view ident) const {
  // Identifiers given at run time are quoted, never trusted: the quote character is
  // doubled (SQL-92 §5.2).
  check_identifier(ident);
  out += '"';
  for (char c : ident) (c == '"' ? out += "\"\"" : out += c);
  out += '"';
}

ATHANOR_DECL void Dialect::type_name(std::string& out, const SqlType& t) const {
  switch (t.kind) {
    case TypeKind::null: out += "TEXT"; break;
    case TypeKind::integer: out += "INTEGER"; break;
    case TypeKind::big_integer: out += "BIGINT"; break;
    case TypeKind::small_integer: out += "SMALLINT"; break;
    case TypeKind::boolean: out += "BOOLEAN"; break;
    case TypeKind::float_: out += "REAL"; break;
    case TypeKind::double_: out += "DOUBLE PRECISION"; break;
    case TypeKind::numeric:
      out += "NUMERIC(" + std::to_string(t.precision) + ", " + std::to_string(t.scale) + ")";
      break;
    case TypeKind::string:
    case TypeKind::enum_:
      if (t.length > 0) {
        out += "VARCHAR(" + std::to_string(t.length) + ")";
      } else {
        out += "VARCHAR";
      }
      break;
    case TypeKind::text: out += "TEXT"; break;
    case TypeKind::binary: out += "BLOB"; break;
    case TypeKind::date: out += "DATE"; break;
    case TypeKind::datetime: out += t.timezone ? "TIMESTAMP WITH TIME ZONE" : "TIMESTAMP"; break;
    case TypeKind::time: out += "TIME"; break;
    case TypeKind::json: out += "JSON"; break;
    case TypeKind::uuid: out += "UUID"; break;
  }
}

ATHANOR_DECL void Dialect::literal(std::string& out, const Value& v) const {
  if (v.is_null()) {
    out += "NULL";
  } else if (auto* b = std::get_if<bool>(&v.variant())) {
    out += caps_.native_boolean ? (*b ? "TRUE" : "FALSE") : (*b ? "1" : "0");
  } else if (v.holds<std::int64_t>() || v.holds<double>() || v.holds<Decimal>()) {
    if (auto* d = std::get_if<double>(&v.variant()); d && !std::isfinite(*d)) {
      throw ArgumentError("[athanor.argument.literal] a non-finite number cannot be a DDL default");
    }
    // A Decimal is the caller's text, written unquoted: it must be a number and nothing else
    // ([+-]digits[.digits][e[+-]digits]), or it could end the DEFAULT clause and add SQL.
    auto number = [](std::string_view s) {
      std::size_t i = !s.empty() && (s[0] == '-' || s[0] == '+'), digits = 0;
      auto run = [&] {
        std::size_t n = 0;
        for (; i < s.size() && s[i] >= '0' && s[i] <= '9'; ++i) ++n;
        return n;
      };
      digits = run();
      if (i < s.size() && s[i] == '.') ++i, digits += run();
      if (digits && i < s.size() && (s[i] == 'e' || s[i] == 'E')) {
        i += 1 + (i + 1 < s.size() && (s[i + 1] == '-' || s[i + 1] == '+'));
        if (!run()) return false;
      }
      return digits > 0 && i == s.size();
    };
    if (auto* d = std::get_if<Decimal>(&v.variant()); d && !number(d->text)) {
      throw ArgumentError("[athanor.argument.literal] a Decimal DDL default is not a decimal number");
    }
    out += detail::value_to_text(v);
  } else {
    // DDL cannot take bound parameters: quote the text, doubling quotes (and refusing NUL).
    std::string s = detail::value_to_text(v);
    if (s.find('\0') != std::string::npos) throw ArgumentError("[athanor.argument.literal] a DDL literal contains a NUL byte");
    out += '\'';
    for (char c : s) (c == '\'' ? out += "''" : out += c);
    out += '\'';
  }
}

ATHANOR_DECL void Dialect::limit_offset(Compiler& c, const Expr& limit, const Expr& offset) const {
  if (limit) c.out() += " LIMIT ", c.expr(limit);
  if (offset) c.out() += " OFFSET ", c.expr(offset);
}

ATHANOR_DECL void Dialect::concat(Compiler& c, const Expr& a, const Expr& b) const {
  c.operand(a), c.out() += " || ", c.operand(b);
}

ATHANOR_DECL void Dialect::function(Compiler& c, const detail::ExprNode& f) const {
  if (f.flags & detail::portable_function) {
    if (detail::whole_already(f)) return detail::fn_arg(c, f.args[0]);
    return portable_function(c, f);
  }
  if (f.text == "now" && f.args.empty()) {
    c.out() += "CURRENT_TIMESTAMP";
    return;
  }
  // excluded()'s own node only: func("__excluded", …) from a user is an ordinary call.
  if (f.text == "__excluded" && f.args.size() == 1 && f.args[0].node().kind == detail::ExprKind::raw) {
    c.out() += "excluded.", c.ident(f.args[0].node().text);
    return;
  }
  // Function names come from code, not from users; still, only a plain name is written.
  for (char ch : f.text) {
    if (!(std::isalnum(static_cast<unsigned char>(ch)) || ch == '_' || ch == '.')) {
      throw ArgumentError("[athanor.argument.function] '" + f.text + "' is not a function name");
    }
  }
  c.out() += f.text, c.out() += '(', c.arguments(f.args), c.out() += ')';
}

ATHANOR_DECL void Dialect::upsert(Compiler& c, const detail::InsertNode& n) const {
  // ON CONFLICT (SQLite ≥ 3.24, PostgreSQL ≥ 9.5): https://sqlite.org/lang_upsert.html
  c.out() += " ON CONFLICT";
  if (!n.conflict_columns.empty()) {
    c.out() += " (";
    for (std::size_t i = 0; i < n.conflict_columns.size(); ++i) c.out() += i ? ", " : "", c.ident(n.conflict_columns[i]);
    c.out() += ')';
  } else if (!n.upsert_set.empty()) {
    throw ArgumentError("[athanor.argument.upsert] on_conflict_do_update needs the conflicting columns");
  }
  if (n.upsert_set.empty()) {
    c.out() += " DO NOTHING";
    return;
  }
  c.out() += " DO UPDATE SET ";
  // Columns of the existing row are written table.column: unqualified, PostgreSQL finds
  // them ambiguous with EXCLUDED's (https://www.postgresql.org/docs/current/sql-insert.html).
  bool q = c.qualify;
  c.qualify = true;
  for (std::size_t i = 0; i < n.upsert_set.size(); ++i) {
    if (i) c.out() += ", ";
    c.column_name(n.upsert_set[i].first), c.out() += " = ", c.expr(n.upsert_set[i].second);
  }
  c.qualify = q;
}

ATHANOR_DECL void Dialect::in_array(Compiler&, const detail::ExprNode&) const {
  unsupported("IN over a bound array", "use in_() with a list of expressions");
}

#endif  // ATHANOR_DEFINITIONS

}  // namespace athanor
