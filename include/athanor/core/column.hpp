// athanor/core/column.hpp — `Column`, one column of a Core `Table`, and the options it
// takes (`primary_key`, `nullable(false)`, `unique`, `index`, `default_`, `server_default`,
// `autoincrement`, `ForeignKey`). The ORM builds the same definitions from model options.
#pragma once

#include <functional>  // std::function
#include <optional>    // std::optional
#include <string>      // std::string
#include <type_traits>  // std::is_invocable_r_v
#include <utility>     // std::move
#include <vector>      // std::vector

#include <athanor/core/constraints.hpp>
#include <athanor/core/expression.hpp>
#include <athanor/core/types.hpp>

namespace athanor {

/// What a Column is: the data a Table keeps for each of its columns.
struct ColumnDef {
  std::string name;           ///< the column's name in SQL
  SqlType type;               ///< its SQL type
  bool nullable = true;       ///< NULL allowed (false: NOT NULL)
  bool primary_key = false;   ///< part of the primary key
  std::optional<bool> autoincrement;  ///< unset: "auto" (a lone integer primary key)
  bool unique = false;        ///< UNIQUE
  bool index = false;         ///< an index of its own (create_all makes it)
  std::optional<Value> default_value;           ///< client-side default, bound on INSERT
  std::function<Value()> default_factory;       ///< client-side default computed per row
  std::optional<Expr> server_default;           ///< DDL DEFAULT (a literal, `now()` or `text`)
  std::vector<ForeignKey> foreign_keys;  ///< REFERENCES of this column
  /// Its former name: a schema diff renames a column of this name instead of dropping it and
  /// adding this one (the rows keep their values). Empty: none.
  std::string renamed_from;
};

namespace detail {
struct PrimaryKeyTag { void apply(ColumnDef& c) const { c.primary_key = true, c.nullable = false; } };
struct UniqueTag { void apply(ColumnDef& c) const { c.unique = true; } };
struct IndexTag { void apply(ColumnDef& c) const { c.index = true; } };
struct NullableOpt { bool value; void apply(ColumnDef& c) const { c.nullable = value; } };
struct AutoincrementOpt { bool value; void apply(ColumnDef& c) const { c.autoincrement = value; } };
struct DefaultOpt {
  std::optional<Value> value;
  std::function<Value()> factory;
  void apply(ColumnDef& c) const { c.default_value = value, c.default_factory = factory; }
};
struct ServerDefaultOpt { Expr value; void apply(ColumnDef& c) const { c.server_default = value; } };
struct RenamedFromOpt { std::string name; void apply(ColumnDef& c) const { c.renamed_from = name; } };
}  // namespace detail

/// Column options.  **Example**: `Column{"id", Integer{}, primary_key}`
inline constexpr detail::PrimaryKeyTag primary_key{};
inline constexpr detail::UniqueTag unique{};  ///< Column option: UNIQUE.
inline constexpr detail::IndexTag index{};  ///< Column option: an index on the column.
/// Column option: the same as `index`, under a name that `using namespace athanor` cannot make
/// ambiguous with POSIX `index()` of <strings.h> (which <cstring> and many headers bring in).
inline constexpr detail::IndexTag indexed{};
/// Column option: NULL allowed or not (`nullable(false)`: NOT NULL).
inline detail::NullableOpt nullable(bool v) { return {v}; }
/// Column option: whether the database generates the key (default: a lone integer primary key does).
inline detail::AutoincrementOpt autoincrement(bool v) { return {v}; }
/// A client-side default, bound as a parameter when an INSERT leaves the column out.
inline detail::DefaultOpt default_(Value v) { return {std::move(v), {}}; }
/// A client-side default computed for each inserted row: `default_([] { return Value(new_id()); })`.
/// (A template, so that `default_(0)` is the value 0, not a null std::function.)
template <class F>
  requires std::is_invocable_r_v<Value, F&>
detail::DefaultOpt default_(F f) {
  return {std::nullopt, std::function<Value()>(std::move(f))};
}
/// A DDL default: a value (rendered as a quoted literal), `now()`, or `text("…")`.
inline detail::ServerDefaultOpt server_default(Expr e) { return {std::move(e)}; }
/// Column option for migrations: the column was called `old` (a diff writes RENAME COLUMN).
/// Also a Table item: the table was called `old` (a diff writes the table's rename).
inline detail::RenamedFromOpt renamed_from(std::string old) { return {std::move(old)}; }

template <class O>
concept ColumnOption = requires(const O& o, ColumnDef& c) { o.apply(c); } || std::is_same_v<std::decay_t<O>, ForeignKey>;

/// A column of a Core Table.
/// **Example**: `Column{"email", String{120}, nullable(false), unique}`
class Column {
 public:
  /// Column `name` of SQL type `type`, then options in any order.
  template <class... O>
  Column(std::string name, SqlType type, O&&... options) {
    static_assert((ColumnOption<O> && ...),
                  "athanor: Column takes a name, a type, then options (primary_key, nullable(false), unique, "
                  "index (or indexed), default_(v), server_default(v), autoincrement(b), ForeignKey{\"table.column\"})");
    def_.name = std::move(name), def_.type = std::move(type);
    (apply(std::forward<O>(options)), ...);
  }
  /// What was declared.
  ///@{
  const ColumnDef& def() const { return def_; }
  ColumnDef& def() { return def_; }
  ///@}

 private:
  template <class O>
  void apply(O&& o) {
    if constexpr (std::is_same_v<std::decay_t<O>, ForeignKey>) {
      def_.foreign_keys.push_back(std::forward<O>(o));
    } else {
      o.apply(def_);
    }
  }
  ColumnDef def_;
};

}  // namespace athanor
