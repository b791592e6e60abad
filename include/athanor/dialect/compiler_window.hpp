// athanor/dialect/compiler_window.hpp — the Compiler's window functions: a window's
// definition (PARTITION BY, ORDER BY, frame), `OVER (…)` or `OVER name`, and the calls that
// take one. Included by compiler_select.hpp.
#pragma once

#include <athanor/config.hpp>
#include <athanor/dialect/compiler.hpp>

namespace athanor {

#if ATHANOR_DEFINITIONS
ATHANOR_DECL void Compiler::window(const detail::ExprNode& w, bool definition) {
  auto l = detail::WindowLayout::of(w.flags);
  if (!definition && w.args.empty() && !l.unit && !w.text.empty()) return ident(w.text);  // OVER name
  out() += '(';
  const char* sep = "";
  if (!w.text.empty()) ident(w.text), sep = " ";
  std::size_t k = 0;
  // Capabilities::window_constant_keys: what constants can be left out without changing the meaning.
  bool constants_out = !d_.capabilities().window_constant_keys && !definition && w.text.empty();
  for (int i = 0, n = 0; i < l.partitions; ++i, ++k) {
    if (constants_out && constant_value(w.args[k])) continue;  // one partition either way
    out() += n ? ", " : sep, out() += n++ ? "" : "PARTITION BY ", expr(w.args[k]), sep = " ";
  }
  if (constants_out && window_aggregate_ && !l.unit && constant_orders(w)) {
    k += static_cast<std::size_t>(l.orders);  // all rows peers: the frame is the whole partition, as without ORDER BY
  } else {
    for (int i = 0; i < l.orders; ++i) out() += i ? ", " : sep, out() += i ? "" : "ORDER BY ", expr(w.args[k++]), sep = " ";
  }
  if (l.unit) {
    auto offset = [](int b) { return b == FrameBound::preceding || b == FrameBound::following; };
    // RANGE n PRECEDING measures from the one ORDER BY key; every server refuses it otherwise.
    if (l.unit == Frame::range && (offset(l.start) || offset(l.end)) && l.orders != 1 && w.text.empty()) {
      throw ArgumentError("[athanor.argument.window] a RANGE frame with an offset needs exactly one order_by key (a number); "
                          "order by one key, or use rows_between");
    }
    out() += sep, out() += l.unit == Frame::rows ? "ROWS BETWEEN " : "RANGE BETWEEN ";
    auto bound = [&](int b) {
      static constexpr const char* words[] = {"UNBOUNDED PRECEDING", " PRECEDING", "CURRENT ROW", " FOLLOWING", "UNBOUNDED FOLLOWING"};
      if (offset(b)) {
        const auto& o = w.args[k++].node();
        if (o.kind == detail::ExprKind::bind && !d_.capabilities().window_frame_binds) {
          inline_literal(o.value), c_.values_in_text = true;  // an integer (core/window.hpp checks it)
        } else {
          expr(w.args[k - 1]);
        }
      }
      out() += words[b];
    };
    bound(l.start), out() += " AND ", bound(l.end);
  }
  out() += ')';
}

ATHANOR_DECL void Compiler::over(const detail::ExprNode& o) {
  const auto& f = o.args[0].node();
  const auto& w = o.args[1].node();
  if (!d_.capabilities().window_constant_keys && f.kind == detail::ExprKind::function && f.args.empty() &&
      (f.text == "rank" || f.text == "dense_rank") && constant_orders(w)) {
    out() += '1';  // Capabilities::window_constant_keys: every row is its partition's first peer
    return;
  }
  if (f.kind != detail::ExprKind::function || f.flags == 0) {
    auto* outer = window_function_;
    window_function_ = &f;  // an aggregate over the window: its arguments, see the K::function case of expr_
    expr(o.args[0]);
    window_function_ = outer;
    out() += " OVER ";
    bool aggregate = window_aggregate_;
    window_aggregate_ = holds_aggregate(o.args[0]);
    window(w, false);
    window_aggregate_ = aggregate;
    return;
  }
  bool lag = f.text == "lag";
  if ((lag || f.text == "lead") && f.args.size() > 2 && !d_.capabilities().lag_lead_default) {
    // No default argument: `lag(1, n)` over the same window is NULL exactly where no row is n
    // back (1 is never NULL), so CASE WHEN lag(1, n) OVER w IS NULL THEN default ELSE lag(e, n) OVER w END.
    out() += "CASE WHEN ", out() += f.text, out() += "(1, ", expr(f.args[1]), out() += ") OVER ", window(w, false);
    out() += " IS NULL THEN ", expr(f.args[2]), out() += " ELSE ";
    window_call(f, 2), out() += " OVER ", window(w, false), out() += " END";
    return;
  }
  window_call(f, f.args.size()), out() += " OVER ", window(w, false);
}

ATHANOR_DECL void Compiler::window_call(const detail::ExprNode& f, std::size_t args) {
  out() += f.text, out() += '(';  // a name of core/window.hpp's own
  for (std::size_t i = 0; i < args; ++i) {
    if (i) out() += ", ";
    // PostgreSQL has ntile(integer), lag(anyelement, integer…): a bigint parameter finds none.
    Expr arg = f.args[i];
    if ((f.flags >> i & 1) && is_bare_bind(arg)) {
      out() += "CAST(", expr(arg), out() += " AS ", d_.cast_type_name(out(), Integer{}), out() += ')';
    } else {
      if (!d_.capabilities().derived_column_as_aggregate_argument) coalesce_derived_column(arg);  // see the Capabilities flag
      expr(arg);
    }
  }
  out() += ')';
}

#endif  // ATHANOR_DEFINITIONS

}  // namespace athanor
