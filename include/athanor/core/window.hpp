// athanor/core/window.hpp — window functions: `over(f, Window{…})` (SQLAlchemy's
// `func.row_number().over(partition_by=…, order_by=…)`), frames, the ranking and value
// functions (row_number, rank, lag…). Core layer; the typed DSL (orm/window.hpp) builds
// the same nodes. The WINDOW clause itself is Select::window (core/select.hpp).
#pragma once

#include <cstdint>  // std::int64_t
#include <optional>  // std::optional
#include <string>   // std::string
#include <utility>  // std::move
#include <vector>   // std::vector

#include <athanor/core/error.hpp>
#include <athanor/core/expression.hpp>

namespace athanor {

/// One end of a window frame. Offsets are integers (rows for ROWS, the ORDER BY key's units
/// for RANGE), bound as parameters where the server takes them (else written in the SQL:
/// Capabilities::window_frame_binds).
struct FrameBound {
  /// In the order a frame runs: a start may not come after its end.
  enum Kind : unsigned char { unbounded_preceding, preceding, current_row, following, unbounded_following };
  Kind kind = current_row;  ///< which end
  std::int64_t offset = 0;  ///< n of `n PRECEDING` / `n FOLLOWING`
};
/// `UNBOUNDED PRECEDING`, `CURRENT ROW`, `UNBOUNDED FOLLOWING`.
///@{
inline constexpr FrameBound unbounded_preceding() { return {FrameBound::unbounded_preceding, 0}; }
inline constexpr FrameBound current_row() { return {FrameBound::current_row, 0}; }
inline constexpr FrameBound unbounded_following() { return {FrameBound::unbounded_following, 0}; }
///@}
/// `n PRECEDING` (n ≥ 0).
inline constexpr FrameBound preceding(std::int64_t n) { return {FrameBound::preceding, n}; }
/// `n FOLLOWING` (n ≥ 0).
inline constexpr FrameBound following(std::int64_t n) { return {FrameBound::following, n}; }

/// `ROWS|RANGE BETWEEN start AND end`.
struct Frame {
  /// ROWS (rows before and after) or RANGE (values of the ORDER BY key).
  enum Unit : unsigned char { rows = 1, range = 2 };
  Unit unit = rows;  ///< ROWS or RANGE
  /// The frame's ends.
  ///@{
  FrameBound start, end;
  ///@}
};
/// ROWS BETWEEN start AND end: `rows_between(unbounded_preceding(), current_row())`.
inline constexpr Frame rows_between(FrameBound start, FrameBound end) { return {Frame::rows, start, end}; }
/// RANGE with an offset needs exactly one ORDER BY key, of a number type here.
inline constexpr Frame range_between(FrameBound start, FrameBound end) { return {Frame::range, start, end}; }

/// A window: `OVER ([base] [PARTITION BY …] [ORDER BY …] [frame])`. `base` names a window of
/// the select's WINDOW clause that this one builds on (it may add only what the base lacks).
/// **Example**: `over(sum(t.c("x")), Window{.partition_by = {t.c("r")}, .order_by = {t.c("d")},
///                                         .frame = rows_between(unbounded_preceding(), current_row())})`
struct Window {
  std::vector<Expr> partition_by;  ///< PARTITION BY items
  std::vector<Expr> order_by;      ///< ORDER BY items (`.desc()` and the others apply)
  std::optional<Frame> frame;      ///< unset: the server's default frame
  std::string base;                ///< a window of the WINDOW clause this one builds on, or ""
};

namespace detail {
/// The layout of an ExprKind::window node's flags: how many of its args are PARTITION BY and
/// ORDER BY items (the frame's offsets follow them), the frame unit and both bound kinds.
struct WindowLayout {
  int partitions = 0, orders = 0, unit = 0, start = 0, end = 0;
  static WindowLayout of(int flags) {
    return {flags & 0xff, (flags >> 8) & 0xff, (flags >> 16) & 3, (flags >> 18) & 7, (flags >> 21) & 7};
  }
  int flags() const { return partitions | orders << 8 | unit << 16 | start << 18 | end << 21; }
};

/// The window node from its parts; the frame offsets are given as expressions (Core binds
/// them; the typed DSL gives its numbered binds).
inline Expr make_window(std::string base, std::vector<Expr> partition, std::vector<Expr> order, int unit,
                        FrameBound::Kind start, Expr start_offset, FrameBound::Kind end, Expr end_offset) {
  if (partition.size() > 0xff || order.size() > 0xff) {
    throw ArgumentError("[athanor.argument.window] a window takes at most 255 partition_by and 255 order_by items");
  }
  WindowLayout l{static_cast<int>(partition.size()), static_cast<int>(order.size()), unit, start, end};
  if (unit) {
    // SQL:2011 7.11: a frame starts no later than it ends (no UNBOUNDED FOLLOWING start, no
    // UNBOUNDED PRECEDING end, no start bound after the end bound).
    if (start == FrameBound::unbounded_following || end == FrameBound::unbounded_preceding || start > end) {
      throw ArgumentError("[athanor.argument.window] a frame's start comes after its end; write rows_between(start, end) "
                          "with start no later than end (unbounded_preceding, preceding(n), current_row, following(n), "
                          "unbounded_following)");
    }
  }
  auto args = std::move(partition);
  args.insert(args.end(), order.begin(), order.end());
  if (unit && (start == FrameBound::preceding || start == FrameBound::following)) args.push_back(std::move(start_offset));
  if (unit && (end == FrameBound::preceding || end == FrameBound::following)) args.push_back(std::move(end_offset));
  return Expr::make(ExprKind::window, SqlType{}, std::move(base), std::move(args), l.flags());
}
inline Expr frame_offset(const FrameBound& b) {
  if (b.offset < 0) throw ArgumentError("[athanor.argument.window] a frame offset is a row or value count, never negative");
  return Expr(b.offset);
}
inline Expr make_window(const Window& w) {
  if (!w.frame) return make_window(w.base, w.partition_by, w.order_by, 0, FrameBound::current_row, {}, FrameBound::current_row, {});
  auto& f = *w.frame;
  return make_window(w.base, w.partition_by, w.order_by, f.unit, f.start.kind, frame_offset(f.start), f.end.kind,
                     frame_offset(f.end));
}
/// A window function call; `integer_args` marks (bit i) the arguments the server wants as an
/// INTEGER (ntile's n, lag's offset): where binds are typed by context (Capabilities::cast_bare_binds)
/// a bound one is cast, as there is no ntile(bigint).
inline Expr window_func(const char* name, SqlType type, std::vector<Expr> args, int integer_args = 0) {
  return Expr::make(ExprKind::function, std::move(type), name, std::move(args), integer_args);
}
}  // namespace detail

/// `f OVER (window)`: f is a window function (row_number(), lag(…)…) or an aggregate
/// (sum, avg, count, min, max: a running total over an ordered window).
/// **Example**: `select(t.c("id"), over(row_number(), Window{.partition_by = {t.c("r")}, .order_by = {t.c("d").desc()}}))`
inline Expr over(const Expr& f, const Window& w = {}) {
  return Expr::make(detail::ExprKind::over, f.type(), "", {f, detail::make_window(w)});
}
/// `f OVER name`: the window `name` of the select's WINDOW clause (Select::window).
inline Expr over(const Expr& f, std::string window_name) {
  return Expr::make(detail::ExprKind::over, f.type(), "",
                    {f, detail::make_window(std::move(window_name), {}, {}, 0, FrameBound::current_row, {}, FrameBound::current_row, {})});
}

/// The row's number in its partition, from 1 (ties numbered in the order the server meets them).
inline Expr row_number() { return detail::window_func("row_number", BigInteger{}, {}); }
/// Rank with gaps after ties (1, 1, 3); dense_rank without gaps (1, 1, 2).
///@{
inline Expr rank() { return detail::window_func("rank", BigInteger{}, {}); }
inline Expr dense_rank() { return detail::window_func("dense_rank", BigInteger{}, {}); }
///@}
/// (rank - 1) / (rows in partition - 1), 0 for a single row.
inline Expr percent_rank() { return detail::window_func("percent_rank", Double{}, {}); }
/// Rows up to and including the row's peers / rows in partition.
inline Expr cume_dist() { return detail::window_func("cume_dist", Double{}, {}); }
/// The bucket 1..n of the row when the partition is split in n near-equal parts.
inline Expr ntile(const Expr& n) { return detail::window_func("ntile", BigInteger{}, {n}, 1); }
/// The value of `e` `offset` rows before (lag) or after (lead) the row; `default_` where there is
/// none (NULL without it; emulated where the server has no default argument, Capabilities::lag_lead_default).
///@{
inline Expr lag(const Expr& e, const Expr& offset = Expr(1), const Expr& default_ = {}) {
  std::vector<Expr> args{e, offset};
  if (default_) args.push_back(default_);
  return detail::window_func("lag", e.type(), std::move(args), 2);
}
inline Expr lead(const Expr& e, const Expr& offset = Expr(1), const Expr& default_ = {}) {
  std::vector<Expr> args{e, offset};
  if (default_) args.push_back(default_);
  return detail::window_func("lead", e.type(), std::move(args), 2);
}
///@}
/// The value of `e` at the first / last / n-th row of the frame (mind the default frame, which
/// ends at the current row when the window is ordered: last_value needs an explicit frame).
///@{
inline Expr first_value(const Expr& e) { return detail::window_func("first_value", e.type(), {e}); }
inline Expr last_value(const Expr& e) { return detail::window_func("last_value", e.type(), {e}); }
inline Expr nth_value(const Expr& e, const Expr& n) { return detail::window_func("nth_value", e.type(), {e, n}, 2); }
///@}

}  // namespace athanor
