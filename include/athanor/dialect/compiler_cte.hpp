// athanor/dialect/compiler_cte.hpp — the Compiler's common table expressions: the CTEs a
// statement names, gathered from its FROM items and expressions, and the WITH clause written
// before it. Included by compiler_select.hpp.
#pragma once

#include <algorithm>  // std::any_of

#include <athanor/config.hpp>
#include <athanor/dialect/compiler.hpp>

namespace athanor {

#if ATHANOR_DEFINITIONS
ATHANOR_DECL void Compiler::collect_ctes(const detail::FromNode& f) {
  using K = detail::FromNode::Kind;
  if (f.kind == K::cte) {
    for (auto* c : ctes_)
      if (c->name == f.name) return;
    ctes_.push_back(&f);
    collect_ctes(*f.select);
  } else if (f.kind == K::join) {
    collect_ctes(*f.left), collect_ctes(*f.right), collect_ctes(f.on);
  } else if (f.kind == K::subquery) {
    collect_ctes(*f.select);
  }
}
ATHANOR_DECL void Compiler::collect_ctes(const Expr& e) {
  if (!e.ptr()) return;  // not `!e`: that builds a SQL NOT
  const auto& n = e.node();
  if (n.from) collect_ctes(*n.from);
  if (n.select) collect_ctes(*n.select);
  for (auto& a : n.args) collect_ctes(a);
}
ATHANOR_DECL void Compiler::collect_ctes(const detail::SelectNode& s) {
  for (auto& [op, part] : s.compound) collect_ctes(*part);
  for (auto& f : s.froms) collect_ctes(*f);
  for (auto* v : {&s.columns, &s.where, &s.group_by, &s.having, &s.order_by})
    for (auto& e : *v) collect_ctes(e);
  for (auto& w : s.windows) collect_ctes(w.second);
}
ATHANOR_DECL void Compiler::with_clause() {
  if (ctes_.empty()) return;
  bool recursive = std::any_of(ctes_.begin(), ctes_.end(), [](auto* c) { return c->recursive; });
  out() += recursive ? "WITH RECURSIVE " : "WITH ";
  // Bodies in reverse discovery order: a CTE is defined before the CTEs that use it.
  for (std::size_t i = ctes_.size(); i-- > 0;) {
    auto& c = *ctes_[i];
    ident(c.name);
    if (!c.columns.empty()) {
      out() += " (";
      for (std::size_t k = 0; k < c.columns.size(); ++k) out() += k ? ", " : "", ident(c.columns[k].first);
      out() += ')';
    }
    out() += " AS (", select(*c.select, false), out() += i ? "), " : ") ";
  }
}

#endif  // ATHANOR_DEFINITIONS

}  // namespace athanor
