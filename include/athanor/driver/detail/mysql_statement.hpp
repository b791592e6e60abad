// athanor/driver/detail/mysql_statement.hpp — the MySQL/MariaDB driver's prepared statement:
// parameters bound into reused buffers, rows fetched into buffers laid out by the result's
// column types, batches sent as MariaDB bulk executions. Out-of-line code in
// driver/impl/mysql_statement.ipp (one execution, reads) and driver/impl/mysql_bulk.ipp (batches).
#pragma once

#include <mysql.h>

#include <cstddef>  // std::size_t
#include <cstdint>  // std::int64_t
#include <span>     // std::span
#include <string>   // std::string
#include <vector>   // std::vector

#include <athanor/config.hpp>
#include <athanor/driver/driver.hpp>

namespace athanor::driver::mysql {

/// A prepared statement (https://mariadb.com/kb/en/api-prepared-statement-functions/).
/// Parameter and result buffers live as long as the statement and are reused by every
/// execution; only the values handed out (strings, blobs) are allocated per row.
class Statement final : public driver::Statement {
 public:
  /// Prepares `sql` on `db`; each execution that generates a key stores it in `*last_insert_id`
  /// (the connection's).
  Statement(MYSQL* db, std::string sql, std::int64_t* last_insert_id) : db_(db), sql_(std::move(sql)), last_id_(last_insert_id) {
    prepare();
  }
  ATHANOR_DECL ~Statement() override;
  Statement(const Statement&) = delete;
  Statement& operator=(const Statement&) = delete;

  ATHANOR_DECL void execute(std::span<const Value> params) override;

  /// MariaDB's bulk execution (https://mariadb.com/kb/en/bulk-insert-column-wise-binding/):
  /// the rows are bound column-wise as arrays (STMT_ATTR_ARRAY_SIZE) and sent in one
  /// COM_STMT_BULK_EXECUTE per chunk. A server that does not announce bulk operations (MySQL,
  /// MariaDB before 10.2), a statement with result rows, or a column whose values differ in
  /// type (2 here, 2.5 there) runs row by row. The affected count is the chunk's total
  /// (matched rows, with CLIENT_FOUND_ROWS).
  ATHANOR_DECL std::int64_t execute_batch(std::span<const Value> params, std::size_t rows) override;

  ATHANOR_DECL bool next() override;
  int column_count() const override { return static_cast<int>(ncols_); }
  std::string column_name(int c) const override { return fields_[c].name; }
  ATHANOR_DECL Value value(int i) const override;
  // The row in one call from the fetched buffers: integers (unsigned ones that fit), doubles
  // and text as value() gives them; anything else `other`.
  ATHANOR_DECL void read_row(int first, std::span<const Want> want, Cell* out) const override;
  std::int64_t rows_affected() const override { return affected_; }
  void reset() override {
    if (ncols_ == 0) return;
    ncols_ = 0;
    // Frees the stored rows on the client (no round trip, unlike mysql_stmt_reset). A CALL
    // may leave further result sets; they are drained so the connection stays in sync.
    mysql_stmt_free_result(stmt_);
    while (mysql_stmt_more_results(stmt_) && mysql_stmt_next_result(stmt_) == 0) mysql_stmt_free_result(stmt_);
  }

 private:
  enum class Kind : unsigned char { integer, unsigned_, double_, decimal, text, bytes, bit, date, datetime, time };
  union Fixed {
    long long i;
    double d;
    MYSQL_TIME t;
    char b;
  };
  struct Param {
    Fixed num;
    unsigned long length;
    char uuid[36];
  };
  struct Column {
    Kind kind{};
    bool varlen = false;
    Fixed num{};
    std::vector<char> buf;  // var-length values; grows to the longest seen, then stays
    unsigned long length = 0;
    my_bool is_null = 0;
    my_bool error = 0;
  };

  ATHANOR_DECL void prepare();
  [[noreturn]] void fail() { raise(mysql_stmt_errno(stmt_), mysql_stmt_error(stmt_)); }

  /// What Connector/C's MARIADB_STMT_BULK_SUPPORTED asks: a MariaDB server (not MySQL) that
  /// announces MARIADB_CLIENT_STMT_BULK_OPERATIONS in its extended capabilities.
  ATHANOR_DECL bool bulk_supported();
  /// Whether the statement is an INSERT, UPDATE, DELETE or REPLACE without RETURNING and
  /// without a subquery: a bulk execution must not return rows, and MariaDB does not say at
  /// PREPARE that RETURNING will (mysql_stmt_field_count is 0 until the first execution), so
  /// the SQL is read; and MariaDB 10.11 evaluates a subquery of a bulk execution once, for the
  /// first row's parameters (`INSERT … VALUES ((SELECT id FROM users WHERE name = ?), ?)` gave
  /// every row the first row's user).
  ATHANOR_DECL bool bulk_statement() const;
  static constexpr std::size_t bulk_bytes = 4u << 20;
  /// Each column's value type over all rows (variant index; NULLs fit any) into bulk_kind_;
  /// false when a column mixes types, which one array cannot hold.
  ATHANOR_DECL bool bulk_types(std::span<const Value> params, std::size_t rows);
  /// Binds rows [start, end) column-wise and runs them as one bulk execution.
  ATHANOR_DECL std::int64_t bulk_execute(std::span<const Value> params, std::size_t start, std::size_t end, std::size_t width);
  [[noreturn]] ATHANOR_DECL void raise(unsigned err, const std::string& msg);

  ATHANOR_DECL void bind(std::size_t i, const Value& v);

  /// Result buffers by the columns' types, rebuilt only when the result's shape changes.
  ATHANOR_DECL void setup_results();
  ATHANOR_DECL static unsigned long long shape_of(const MYSQL_FIELD& f);
  ATHANOR_DECL static void layout(const MYSQL_FIELD& f, Column& c, MYSQL_BIND& b);

  MYSQL* db_;
  MYSQL_STMT* stmt_ = nullptr;
  std::string sql_;
  std::int64_t* last_id_;
  std::vector<MYSQL_BIND> pbind_;
  std::vector<Param> pslot_;
  std::vector<MYSQL_BIND> rbind_;
  std::vector<Column> cols_;
  std::vector<unsigned long long> shape_;
  const MYSQL_FIELD* fields_ = nullptr;
  unsigned ncols_ = 0;
  bool rebind_ = false;
  std::int64_t affected_ = 0;
  // Bulk execution: whether the server can (-1: not asked yet), and the column arrays.
  int bulk_ = -1;
  struct BulkColumn {
    std::vector<char> indicator;
    std::vector<char> fixed;  ///< the fixed-size types' array (8 bytes a row; TINY's 1, packed)
    std::vector<const void*> ptrs;
    std::vector<unsigned long> lengths;
    std::vector<MYSQL_TIME> times;
    std::vector<std::string> texts;
  };
  std::vector<std::size_t> bulk_kind_;
  std::vector<BulkColumn> bulk_cols_;
  std::vector<MYSQL_BIND> bulk_bind_;
};

}  // namespace athanor::driver::mysql

#if ATHANOR_DEFINITIONS
#  include <athanor/driver/impl/mysql_statement.ipp>
#  include <athanor/driver/impl/mysql_bulk.ipp>
#endif
