// athanor/dialect/compiler_dml.hpp — the Compiler's INSERT, UPDATE, DELETE, text() and DDL.
#pragma once

#include <athanor/config.hpp>
#include <athanor/dialect/compiler.hpp>

namespace athanor {

#if ATHANOR_DEFINITIONS
ATHANOR_DECL Compiled Compiler::compile(const detail::StatementNode& n) {
  using K = detail::StatementNode::Kind;
  switch (n.kind) {
    case K::select:
    case K::compound: {
      auto& s = static_cast<const detail::SelectNode&>(n);
      c_.kind = Compiled::Kind::select, c_.returns_rows = true;
      reuse_binds_ = true;
      collect_ctes(s);
      with_clause();
      select(s, false);
      const detail::SelectNode* first = &s;  // a compound's columns are its first select's, however nested
      while (!first->compound.empty()) first = first->compound.front().second.get();
      for (auto& e : first->columns) c_.columns.emplace_back(e.name(), e.type());
      break;
    }
    case K::insert: insert(static_cast<const detail::InsertNode&>(n)); break;
    case K::update: update(static_cast<const detail::UpdateNode&>(n)); break;
    case K::delete_: delete_(static_cast<const detail::DeleteNode&>(n)); break;
    case K::text: text(static_cast<const detail::TextNode&>(n)); break;
    case K::ddl: ddl(static_cast<const detail::DdlNode&>(n)); break;
  }
  // Optimizer switches for this statement only (https://mariadb.com/kb/en/set-statement/):
  // a prepared statement keeps them too.
  std::string switches;
  const auto& caps = d_.capabilities();
  if (caps.window_with_semi_join_switch && wrote_window_ && wrote_in_select_) switches = caps.window_with_semi_join_switch;
  if (caps.null_side_derived_switch && wrote_null_side_derived_ && switches.empty()) switches = caps.null_side_derived_switch;
  if (!switches.empty()) c_.sql.insert(0, "SET STATEMENT optimizer_switch='" + switches + "' FOR ");
  return std::move(c_);
}

ATHANOR_DECL void Compiler::returning(const std::vector<Expr>& r, bool supported, const char* stmt) {
  if (r.empty()) return;
  if (!supported) d_.unsupported(std::string(stmt) + " … RETURNING", "run a SELECT after the statement");
  c_.returns_rows = true;
  out() += " RETURNING ";
  for (std::size_t i = 0; i < r.size(); ++i) {
    if (i) out() += ", ";
    label_as_ = true, expr(r[i]), label_as_ = false;
    c_.columns.emplace_back(r[i].name(), r[i].type());
  }
}

ATHANOR_DECL void Compiler::insert(const detail::InsertNode& n) {
  c_.kind = Compiled::Kind::insert, c_.table = n.table, c_.insert_columns = n.columns;
  qualify = false;
  out() += "INSERT INTO ", ident(n.table->name);
  if (n.columns.empty() && !n.from_select) {
    d_.insert_default_values(out());
    c_.single_row = true;
  } else {
    out() += " (";
    for (std::size_t i = 0; i < n.columns.size(); ++i) out() += i ? ", " : "", column_name(n.columns[i]);
    out() += ')';
    if (n.from_select) {
      out() += ' ';
      qualify = true;
      collect_ctes(*n.from_select);
      with_clause();
      select(*n.from_select, false);
      qualify = false;
    } else {
      out() += " VALUES ";
      c_.single_row = n.rows.size() == 1;
      for (std::size_t r = 0; r < n.rows.size(); ++r) {
        out() += r ? ", (" : "(";
        for (std::size_t i = 0; i < n.rows[r].size(); ++i) {
          if (i) out() += ", ";
          // Where each column's value is bound, so that inserted_primary_key can report a
          // key given at execution (bindparam) as well as one given in the statement.
          bool bound = n.rows[r][i].node().kind == detail::ExprKind::bind;
          if (c_.single_row) c_.insert_params.push_back(bound ? static_cast<int>(c_.params.size()) : -1);
          expr(n.rows[r][i]);
        }
        out() += ')';
      }
    }
  }
  if (n.upsert) d_.upsert(*this, n);
  qualify = true;
  returning(n.returning, d_.capabilities().returning_insert, "INSERT");
  // Where the driver cannot report a generated key (PostgreSQL), ask for it with RETURNING.
  if (d_.capabilities().implicit_returning && n.returning.empty() && c_.single_row) {
    for (auto& c : n.table->columns) {
      if (is_autoincrement(*n.table, c) && std::find(n.columns.begin(), n.columns.end(), c.name) == n.columns.end()) {
        out() += " RETURNING ", ident(c.name);
        c_.implicit_returning = true;
      }
    }
  }
  if (c_.single_row) {
    for (auto& name : n.table->primary_key) {
      auto it = std::find(n.columns.begin(), n.columns.end(), name);
      if (it == n.columns.end()) c_.primary_key_from.push_back(Compiled::generated);
      else c_.primary_key_from.push_back(c_.insert_params[static_cast<std::size_t>(it - n.columns.begin())]);
    }
  }
}

ATHANOR_DECL void Compiler::update(const detail::UpdateNode& n) {
  c_.kind = Compiled::Kind::update;
  if (n.values.empty()) throw ArgumentError("[athanor.argument.values] update of " + n.table->name + " sets no column");
  std::vector<Expr> read = n.where;
  for (auto& v : n.values) read.push_back(v.second);
  dml_with(read);
  out() += "UPDATE ", ident(n.table->name), out() += " SET ";
  scopes_.push_back({&n.table->from});  // subqueries in SET and WHERE correlate to the updated table
  for (std::size_t i = 0; i < n.values.size(); ++i) {
    if (i) out() += ", ";
    column_name(n.values[i].first), out() += " = ", expr(n.values[i].second);
  }
  where(" WHERE ", n.where);
  scopes_.pop_back();
  ctes_in_subqueries_ = false;
  returning(n.returning, d_.capabilities().returning_update, "UPDATE");
}

ATHANOR_DECL void Compiler::delete_(const detail::DeleteNode& n) {
  c_.kind = Compiled::Kind::delete_;
  dml_with(n.where);
  out() += "DELETE FROM ", ident(n.table->name);
  scopes_.push_back({&n.table->from});  // subqueries in WHERE correlate to the deleted table
  where(" WHERE ", n.where);
  scopes_.pop_back();
  ctes_in_subqueries_ = false;
  returning(n.returning, d_.capabilities().returning_delete, "DELETE");
}

ATHANOR_DECL void Compiler::text(const detail::TextNode& n) {
  c_.kind = Compiled::Kind::text, c_.returns_rows = true;  // known only after execution
  for (std::size_t i = 0; i < n.pieces.size(); ++i) {
    if (i % 2 == 0) {
      out() += n.pieces[i];
      continue;
    }
    Value v;
    bool given = false;  // bindparams({{"x", null}}) gives NULL: not a missing value
    for (auto& [name, value] : n.bound)
      if (name == n.pieces[i]) v = value, given = true;
    bind(v, n.pieces[i]);
    c_.params.back().required = !given;
  }
}

ATHANOR_DECL void Compiler::column_ddl(const detail::TableData& t, const ColumnDef& c) {
  ident(c.name), out() += ' ';
  bool autoinc = is_autoincrement(t, c);
  autoinc ? d_.autoincrement_type(out(), c.type) : d_.type_name(out(), c.type);
  if (!c.nullable) out() += " NOT NULL";
  if (c.server_default) {
    out() += " DEFAULT ";
    auto& e = *c.server_default;
    if (e.node().kind == detail::ExprKind::bind) {
      d_.literal(out(), e.node().value);
    } else {
      out() += '(', expr(e), out() += ')';
    }
  }
}

ATHANOR_DECL void Compiler::create_table(const detail::TableData& t, bool guard) {
  out() += guard ? "CREATE TABLE IF NOT EXISTS " : "CREATE TABLE ";
  ident(t.name), out() += " (";
  for (std::size_t i = 0; i < t.columns.size(); ++i) out() += i ? ", " : "", column_ddl(t, t.columns[i]);
  auto names = [&](const std::vector<std::string>& cols) {
    out() += " (";
    for (std::size_t i = 0; i < cols.size(); ++i) out() += i ? ", " : "", ident(cols[i]);
    out() += ')';
  };
  // Names of constraints declared without one: the table's NamingConvention, cut to what the
  // server keeps (canonical() and the schema diff compute the same names).
  auto named = [&](const std::string& name) {
    out() += ", CONSTRAINT ", ident(detail::fit_identifier(name, d_.capabilities().max_identifier_length));
  };
  if (!t.primary_key.empty()) out() += ", PRIMARY KEY", names(t.primary_key);
  for (auto& c : t.columns) {
    // unique + index: the unique index that create_all adds is the one rule (SQLAlchemy's
    // Column(unique=True, index=True)); a UNIQUE constraint too would be a second structure.
    if (c.unique && !c.index && !(t.primary_key.size() == 1 && t.primary_key[0] == c.name)) {
      named(t.unique_name({{c.name}, ""})), out() += " UNIQUE", names({c.name});
    }
  }
  for (auto& u : t.uniques) {
    named(t.unique_name(u)), out() += " UNIQUE";
    names(u.columns);
  }
  static constexpr const char* actions[] = {"", "NO ACTION", "RESTRICT", "CASCADE", "SET NULL", "SET DEFAULT"};
  for (auto& fk : t.foreign_keys) {
    auto& o = fk.options;
    named(t.foreign_key_name(fk));
    out() += " FOREIGN KEY", names(fk.columns), out() += " REFERENCES ", ident(fk.ref_table), names(fk.ref_columns);
    if (o.on_delete != Action::unspecified) out() += " ON DELETE ", out() += actions[static_cast<int>(o.on_delete)];
    if (o.on_update != Action::unspecified) out() += " ON UPDATE ", out() += actions[static_cast<int>(o.on_update)];
  }
  if (d_.capabilities().check_constraints) {
    int k = 0;
    for (auto& ck : t.checks) {
      named(t.check_name(ck, ck.name.empty() ? ++k : 0));
      out() += " CHECK (", out() += ck.sqltext, out() += ')';
    }
    for (auto& c : t.columns) {
      if (c.type.kind != TypeKind::enum_ || !c.type.enum_values) continue;
      named(t.enum_check_name(c.name)), out() += " CHECK (", ident(c.name);
      out() += " IN (";
      for (std::size_t i = 0; i < c.type.enum_values->size(); ++i) out() += i ? ", " : "", d_.literal(out(), (*c.type.enum_values)[i]);
      out() += "))";
    }
  }
  out() += ')';
}

ATHANOR_DECL void Compiler::ddl(const detail::DdlNode& n) {
  using Op = detail::DdlNode::Op;
  c_.kind = Compiled::Kind::ddl;
  switch (n.op) {
    case Op::create_table: create_table(*n.table, n.guard); break;
    case Op::drop_table: out() += n.guard ? "DROP TABLE IF EXISTS " : "DROP TABLE ", ident(n.table->name); break;
    case Op::create_index:
      out() += n.index.unique ? "CREATE UNIQUE INDEX " : "CREATE INDEX ";
      ident(detail::fit_identifier(n.table->index_name(n.index), d_.capabilities().max_identifier_length));
      out() += " ON ", ident(n.table->name), out() += " (";
      for (std::size_t i = 0; i < n.index.columns.size(); ++i) out() += i ? ", " : "", ident(n.index.columns[i]);
      out() += ')';
      break;
    case Op::drop_index: out() += "DROP INDEX ", ident(n.index.name); break;
  }
}

#endif  // ATHANOR_DEFINITIONS

}  // namespace athanor
