// athanor/core/compiled.hpp — `Compiled`, a statement turned into SQL text for one dialect:
// the text, and for each placeholder the value (or named parameter) bound to it.
#pragma once

#include <memory>  // std::shared_ptr
#include <string>  // std::string
#include <vector>  // std::vector

#include <athanor/core/types.hpp>
#include <athanor/core/value.hpp>

namespace athanor {

namespace detail {
struct TableData;
}

/// One placeholder of a compiled statement.
struct CompiledParam {
  std::string name;  ///< set for `bindparam("name")`, `text(":name")` and executemany columns
  Value value;       ///< the value captured in the statement (or the bindparam default)
  bool required = false;  ///< text(":name") without a value: execution must supply it
  int slot = -1;          ///< typed statements: which collected value goes here (see orm/)
};

/// A statement compiled for one dialect. Built once per statement and dialect and cached.
struct Compiled {
  /// The statement's kind (how the connection runs it and what its result holds).
  enum class Kind : unsigned char { select, insert, update, delete_, text, ddl } kind = Kind::select;  ///< this one's
  std::string sql;                    ///< the SQL text, with the dialect's placeholders
  std::vector<CompiledParam> params;  ///< one per placeholder, in order
  std::vector<std::pair<std::string, SqlType>> columns;  ///< result columns, when known
  bool returns_rows = false;  ///< a SELECT, or a statement with RETURNING
  bool implicit_returning = false;  ///< INSERT: RETURNING of the generated key, added by the compiler
  std::shared_ptr<const detail::TableData> table;  ///< INSERT: the target (for inserted_primary_key)
  std::vector<std::string> insert_columns;         ///< INSERT: the columns given values
  bool single_row = false;                         ///< INSERT of one row (or DEFAULT VALUES): it has one inserted key
  std::vector<int> insert_params;                  ///< INSERT of one row: per column, its parameter's index (-1: not bound)
  /// INSERT of one row: per primary key column, where inserted_primary_key takes its value: a
  /// parameter's index (>= 0), not_bound (given in the statement: NULL) or generated (RETURNING
  /// or the driver's last insert id). Found once here, not by name at every execution.
  std::vector<int> primary_key_from;
  static constexpr int not_bound = -1, generated = -2;  ///< primary_key_from's other values
  /// Bound values were written into the text (a window frame's offsets where the server takes
  /// no placeholder there, Capabilities::window_frame_binds): the SQL is right for these values
  /// only, so a typed statement's per-type cache does not keep it.
  bool values_in_text = false;
  /// A SELECT that returns at most one row (a typed select whose WHERE fixes its one table's
  /// primary key): its row is read and the statement reset, not stepped to its end.
  bool at_most_one_row = false;
  /// Kept for the life of the process, never changed (a typed statement's per-type cache,
  /// orm/detail/compile_cache.hpp): its address names it, so a connection may remember the
  /// prepared statement it ran as (ConnectionImpl::statement).
  bool cached = false;
};

}  // namespace athanor
