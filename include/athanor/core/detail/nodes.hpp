// athanor/core/detail/nodes.hpp — the node structs of the expression tree. Builders in
// core/ create them; the compiler in dialect/ reads them. Users never touch them.
#pragma once

#include <memory>  // std::shared_ptr
#include <string>  // std::string
#include <vector>  // std::vector

#include <athanor/core/detail/compiled_slots.hpp>
#include <athanor/core/types.hpp>
#include <athanor/core/value.hpp>

namespace athanor {
class Expr;
struct Compiled;
class Dialect;

namespace detail {

struct TableData;
struct FromNode;
struct SelectNode;

enum class ExprKind : unsigned char {
  column,        ///< text = column name, from = table/alias/subquery
  bind,          ///< value; text = parameter name when named
  null,          ///< NULL literal
  unary,         ///< text = prefix operator ("NOT", "-"), args[0]
  postfix,       ///< text = suffix ("IS NULL", "IS NOT NULL"), args[0]
  binary,        ///< text = operator, args[0] op args[1]
  concat,        ///< args[0] || args[1] (dialect hook)
  logical,       ///< text = "AND"/"OR", args... (parenthesised)
  function,      ///< text = function name, args
  case_,         ///< args = when0, then0, when1, then1, … [, else] ; flags = has else
  cast,          ///< args[0] AS type
  label,         ///< args[0] AS text
  in_list,       ///< args[0] [NOT] IN (args[1..]); flags bit 1 = NOT
  in_select,     ///< args[0] [NOT] IN (select); flags bit 1 = NOT
  between,       ///< args[0] BETWEEN args[1] AND args[2]
  like,          ///< args[0] LIKE args[1] [ESCAPE args[2]]; flags bit 1 = ilike, bit 2 = NOT, bit 3 = `\` escapes (Capabilities::like_backslash_escape)
  exists,        ///< EXISTS (select)
  scalar_select, ///< (select)
  ordering,      ///< args[0] ASC/DESC [NULLS FIRST/LAST]; flags: 1 = desc, 2 = nulls first, 4 = nulls last
  star,          ///< * (count(*))
  raw,           ///< text written verbatim (text() fragments); params in args as binds
  in_array,      ///< args[0] [NOT] IN (the elements of the JSON array bound as args[1]); flags bit 1 = NOT
  literal,       ///< value written into the SQL text by the dialect's quoting (inline_literal())
  window,        ///< a window: args = PARTITION BY items, ORDER BY items, frame offsets; text = the named window it builds on; flags = detail::WindowLayout (core/window.hpp)
  over,          ///< args[0] OVER args[1] (a window); a function node's flags there mark its INTEGER arguments
};

struct ExprNode {
  ExprKind kind{};
  SqlType type;
  std::string text;
  std::vector<Expr> args;
  Value value;
  std::shared_ptr<const FromNode> from;
  std::shared_ptr<const SelectNode> select;
  int flags = 0;
};

struct StatementNode {
  enum class Kind : unsigned char { select, compound, insert, update, delete_, text, ddl } kind;
  explicit StatementNode(Kind k) : kind(k) {}
  StatementNode(const StatementNode& o) : kind(o.kind) {}
  StatementNode& operator=(const StatementNode& o) { kind = o.kind; return *this; }
  virtual ~StatementNode() = default;
  /// Its compiled form per dialect: SQL text depends only on the statement and the dialect, so
  /// it is built once however often it runs (a copy, which a builder then changes, starts empty).
  mutable CompiledSlots cache;
};

}  // namespace detail
}  // namespace athanor
