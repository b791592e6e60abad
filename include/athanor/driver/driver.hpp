// athanor/driver/driver.hpp — the interface every client-library adapter implements:
// prepare, bind, step, read, map errors. Drivers know nothing of SQL dialects; the
// engine layer picks one from the URL. Nothing here includes a client library header.
#pragma once

#include <cstddef>      // std::size_t
#include <cstdint>      // std::int64_t
#include <memory>       // std::unique_ptr
#include <span>         // std::span
#include <string>       // std::string
#include <string_view>  // std::string_view
#include <type_traits>  // std::decay_t, std::is_same_v

#include <athanor/core/detail/convert.hpp>
#include <athanor/core/detail/visit_value.hpp>
#include <athanor/core/error.hpp>
#include <athanor/core/value.hpp>

namespace athanor::driver {

/// What a typed reader wants from one result column (Statement::read_row): the representation
/// its C++ type reads without conversion, or `value` for any other type (dates, bools, bytes…).
enum class Want : std::uint8_t { int64, float64, text, value };

/// One column of the current row as read_row found it. `got` says which member holds it:
/// `i` (int64), `d` (float64), `text`/`size` (text, not NUL-terminated, may hold NUL bytes), or
/// nothing: the column is NULL (`null`), or not in the wanted representation (`other`: a
/// conversion, or a Want::value column), which the reader then reads through the per-column
/// calls (value(), get_int64()…) as before. Text points into the driver's row and stays valid
/// until next(), reset() or execute(); a per-column read of another column leaves it valid.
struct Cell {
  enum class Got : std::uint8_t { null, int64, float64, text, other };
  Got got;
  union {
    std::int64_t i;
    double d;
    const char* text;
  };
  std::size_t size;
};

/// About how many bytes `values` take in a client/server message (a Bind or COM_STMT_EXECUTE
/// packet): their text and binary lengths, and a few bytes of framing each. For keeping a
/// batch under the server's largest message (Connection::max_message_bytes).
/// One switch on each value's alternative: the chain of five std::get_if it replaced took ~17
/// instructions a number, paid by every Core execution (ConnectionImpl's kept values).
inline std::size_t message_bytes(std::span<const Value> values) {
  std::size_t n = 0;
  for (auto& v : values) {
    n += 16 + athanor::detail::visit_value(
                  [](const auto& x) -> std::size_t {
                    using X = std::decay_t<decltype(x)>;
                    if constexpr (std::is_same_v<X, std::string> || std::is_same_v<X, Bytes>) return x.size();
                    else if constexpr (std::is_same_v<X, Decimal> || std::is_same_v<X, Json>) return x.text.size();
                    else if constexpr (std::is_same_v<X, Uuid>) return 36;
                    else return 0;
                  },
                  v);
  }
  return n;
}

/// A prepared statement, owned and cached by its Connection.
class Statement {
 public:
  virtual ~Statement() = default;
  /// Binds `params` to the placeholders and runs the statement. The values must stay
  /// alive until the rows are read (`next` returns false) or `reset` is called.
  virtual void execute(std::span<const Value> params) = 0;
  /// Moves to the next result row; false when there is none.
  virtual bool next() = 0;
  /// The number of columns of the result.
  virtual int column_count() const = 0;
  /// The name of result column `column` (from 0), as the server labels it.
  virtual std::string column_name(int column) const = 0;
  /// The current row's value in `column`, as the backend gave it.
  virtual Value value(int column) const = 0;
  /// Typed reads for the typed (ORM) path, without a Value in between where the driver can.
  /// The defaults go through `value()`; a conversion that would lose data throws DataError.
  ///@{
  virtual bool is_null(int column) const { return value(column).is_null(); }
  virtual std::int64_t get_int64(int column) const { return athanor::detail::from_value<std::int64_t>(value(column)); }
  virtual double get_double(int column) const { return athanor::detail::from_value<double>(value(column)); }
  virtual std::string get_text(int column) const { return athanor::detail::from_value<std::string>(value(column)); }
  ///@}
  /// Reads columns `first` … `first + want.size() - 1` of the current row into `out` (one cell
  /// each), in one call per row instead of one or two per column: the typed reads' path. A
  /// cell holds a value only where it is exactly what the typed read of that column would give;
  /// anything else is `other`, left to the per-column reads. More columns wanted than the
  /// result has throws DataError. This default asks is_null() per column (every value is then
  /// `other`); drivers override it.
  virtual void read_row(int first, std::span<const Want> want, Cell* out) const {
    check_width(first, want.size());
    for (std::size_t k = 0; k < want.size(); ++k) out[k].got = is_null(first + static_cast<int>(k)) ? Cell::Got::null : Cell::Got::other;
  }
  /// Rows changed by the last INSERT/UPDATE/DELETE.
  virtual std::int64_t rows_affected() const = 0;
  /// Runs the statement once for each of `rows` parameter rows, `params` holding them one
  /// after the other (`rows` × the statement's parameter count) and returns the rows affected
  /// by all of them. For INSERT/UPDATE/DELETE: result rows, if any, are discarded. Drivers
  /// send the rows in few round trips where their client library can (PostgreSQL's pipeline
  /// mode, MariaDB's bulk array binding); this default runs them one by one. The first failing
  /// row throws as `execute` would; the rows after it do not run, and those before it are left
  /// to the caller's transaction (the engine runs a batch inside one). The connection is
  /// usable afterwards (the transaction, after a failure, only to roll back).
  virtual std::int64_t execute_batch(std::span<const Value> params, std::size_t rows) {
    if (rows == 0) return 0;
    std::size_t width = params.size() / rows;
    std::int64_t total = 0;
    for (std::size_t r = 0; r < rows; ++r) {
      execute(params.subspan(r * width, width));
      while (next()) {  // rows (RETURNING) are read to their end, as a single execute's caller does
      }
      std::int64_t n = rows_affected();
      reset();
      if (n > 0) total += n;
    }
    return total;
  }
  /// A batch's result row: `execution` is the parameter row (0 … rows-1) whose execution
  /// returned it, the statement is positioned on it (read it with value(), get_int64()…).
  using BatchRow = void (*)(void* ctx, std::size_t execution, Statement& st);
  /// execute_batch, the result rows (RETURNING) handed to `on_row(ctx, execution, *this)` in
  /// the order of the executions instead of discarded. PostgreSQL runs the executions in one
  /// pipeline; this default runs them one by one.
  virtual std::int64_t execute_batch_rows(std::span<const Value> params, std::size_t rows, BatchRow on_row, void* ctx) {
    if (rows == 0) return 0;
    std::size_t width = params.size() / rows;
    std::int64_t total = 0;
    for (std::size_t r = 0; r < rows; ++r) {
      execute(params.subspan(r * width, width));
      while (next()) on_row(ctx, r, *this);
      std::int64_t n = rows_affected();
      reset();
      if (n > 0) total += n;
    }
    return total;
  }
  /// Frees the results; the statement can run again.
  virtual void reset() = 0;

 protected:
  /// read_row's check that the columns wanted exist: a reader built for another statement's
  /// columns must not read past the row (SQLite would give NULLs, the servers' libraries fail).
  void check_width(int first, std::size_t wanted) const {
    if (first < 0 || static_cast<std::size_t>(first) + wanted > static_cast<std::size_t>(column_count())) {
      throw DataError("[athanor.data.columns] the result has " + std::to_string(column_count()) + " columns; columns " +
                      std::to_string(first) + " to " + std::to_string(first + static_cast<int>(wanted) - 1) + " were read");
    }
  }
};

/// One connection to a database.
class Connection {
 public:
  virtual ~Connection() = default;
  /// The prepared statement for `sql`, from this connection's cache when it ran before.
  virtual Statement& prepare(const std::string& sql) = 0;
  /// Runs SQL without parameters or results (BEGIN, COMMIT, SAVEPOINT, SET …).
  virtual void exec(std::string_view sql) = 0;
  /// The key generated by the last INSERT (auto-increment / rowid), or 0.
  virtual std::int64_t last_insert_id() = 0;
  /// A cheap round trip; false when the connection is no longer usable.
  virtual bool ping() = 0;
  /// The server version as "major.minor.patch" for dialect choices.
  virtual std::string server_version() const = 0;
  /// The largest message the server accepts from the client, in bytes (a statement's
  /// parameters travel in one): 0 when there is no bound to keep (an in-process database).
  /// Multi-row INSERTs keep each statement's values under it (message_bytes).
  virtual std::size_t max_message_bytes() { return 0; }
  /// How many of the statements prepare() returned have been finalized since the connection
  /// opened (evicted from its cache, the cache cleared): while the count stays the same, a
  /// Statement it returned is still alive, and its caller may keep the reference and skip the
  /// lookup by SQL text (ConnectionImpl::statement). -1, the default: the driver does not
  /// count, and a reference is good only until the next prepare().
  virtual std::int64_t statements_dropped() const { return -1; }
};

}  // namespace athanor::driver
