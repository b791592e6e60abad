// athanor/driver/detail/pg_statement.hpp — the PostgreSQL driver's prepared statement: prepared
// with each parameter's type on first use, run with libpq, read by type OID, and batches sent
// through libpq's pipeline. Out-of-line code in driver/impl/pg_statement.ipp (one execution,
// reads) and driver/impl/pg_pipeline.ipp (batches and the held-back BEGIN).
#pragma once

#include <cstddef>  // std::size_t
#include <cstdint>  // std::int64_t
#include <span>     // std::span
#include <string>   // std::string
#include <vector>   // std::vector

#include <athanor/config.hpp>
#include <athanor/driver/detail/pg_session.hpp>
#include <athanor/driver/driver.hpp>

namespace athanor::driver::postgresql {

/// A server-side prepared statement. It is prepared on first execution, when the values and
/// so the parameter types are known, under a name unique to its connection; the same SQL run
/// with values of other types (2.5 where 2 was bound) is prepared again for those types and
/// both preparations are kept (a few at most). A NULL fits a slot of any type.
class Statement final : public driver::Statement {
 public:
  /// `sql` for the connection of `s`; nothing is sent to the server before the first execute().
  Statement(detail::Session& s, std::string sql) : s_(s), sql_(std::move(sql)), placeholders_(placeholders(sql_)) {}
  ATHANOR_DECL ~Statement() override;
  Statement(const Statement&) = delete;
  Statement& operator=(const Statement&) = delete;

  ATHANOR_DECL void execute(std::span<const Value> params) override;
  /// The rows go through libpq's pipeline mode (libpq 14+:
  /// https://www.postgresql.org/docs/current/libpq-pipeline-mode.html): every row's Bind and
  /// Execute are sent without waiting for the one before, so a batch costs a round trip per
  /// chunk instead of one per row. libpqxx 6.4 has no pipeline (its pipeline class sends plain
  /// SQL text, without parameters or prepared statements); the statements here already run
  /// through libpq on the PGconn our connection policy owns (see detail::Policy), so the
  /// pipeline is driven on that same PGconn, entered and left within this call while libpqxx
  /// is idle. Outside BEGIN … COMMIT the pipeline's rows form one implicit transaction (all or
  /// none); inside one, a failing row aborts the transaction as a single statement would.
  std::int64_t execute_batch(std::span<const Value> params, std::size_t rows) override {
    return execute_batch_rows(params, rows, nullptr, nullptr);
  }
  /// The same pipeline, each answer's rows (RETURNING) handed to `on_row` as it is read: the
  /// flush's multi-row INSERTs of one length go as one batch, the server inserting one chunk
  /// while the client binds the next and reads the keys of the one before.
  ATHANOR_DECL std::int64_t execute_batch_rows(std::span<const Value> params, std::size_t rows, BatchRow on_row, void* ctx) override;
  bool next() override {
    if (next_ >= rows_) return false;
    row_ = next_++;
    return true;
  }
  int column_count() const override { return static_cast<int>(oids_.size()); }
  std::string column_name(int c) const override { return PQfname(result_.get(), c); }
  ATHANOR_DECL Value value(int c) const override;
  // Typed reads (the ORM path) straight from the field's text where that text is already
  // the answer; other types go through value().
  bool is_null(int c) const override { return PQgetisnull(result_.get(), row_, c) != 0; }
  ATHANOR_DECL std::int64_t get_int64(int c) const override;
  ATHANOR_DECL std::string get_text(int c) const override;
  // The row in one call, by the same rules as get_int64/get_text: integers parsed from their
  // text, the text types' text as it is; anything else `other`.
  ATHANOR_DECL void read_row(int first, std::span<const Want> want, Cell* out) const override;
  std::int64_t rows_affected() const override { return affected_; }
  void reset() override {
    result_.reset();
    oids_.clear();
    rows_ = next_ = 0, row_ = -1;
  }

 private:
  /// One server-side preparation of the SQL, for one list of parameter types.
  struct Prepared {
    std::string name;
    std::vector<pqxx::oid> types;  ///< as declared; 0 = left to the server
    bool stale = true;             ///< not (or no longer) prepared on the server
  };
  /// At most this many preparations a statement: SQL bound with ever new type mixes (a Core
  /// statement whose values change type) re-prepares instead of growing without bound.
  static constexpr std::size_t max_preparations = 4;

  /// The highest `$n` in the SQL text: the parameter count of SQL the compiler wrote. Text in
  /// quotes or comments is not skipped, so this never undercounts a hand-written statement.
  ATHANOR_DECL static std::size_t placeholders(const std::string& sql);
  ATHANOR_DECL static bool ok(const PGresult* r);
  [[noreturn]] ATHANOR_DECL void fail(const PGresult* r);
  const char* text(int c) const { return PQgetvalue(result_.get(), row_, c); }
  std::size_t length(int c) const { return static_cast<std::size_t>(PQgetlength(result_.get(), row_, c)); }

  /// The preparation whose declared types are those of the values (a NULL fits any).
  ATHANOR_DECL Prepared* find();
  ATHANOR_DECL Prepared& prepare_new();
  /// Prepares the SQL under a fresh name (https://www.postgresql.org/docs/current/libpq-exec.html#LIBPQ-PQPREPARE);
  /// until that succeeds the preparation stays stale and the next execute tries again.
  ATHANOR_DECL void prepare(Prepared& p);
  /// Drops a preparation from the server. Only one that exists there: DEALLOCATE of an unknown
  /// name is an error, which would abort the caller's transaction. Refused in a failed
  /// transaction: the name just stays unused (names are never reused).
  ATHANOR_DECL void deallocate(Prepared& p);

  /// Fills values_, lengths_ and formats_ for libpq from `params`: bytea in binary,
  /// everything else as text (https://www.postgresql.org/docs/current/libpq-exec.html#LIBPQ-PQEXECPREPARED).
  /// The pointers stay valid until the next call (libpq copies them when sending).
  ATHANOR_DECL void bind(std::span<const Value> params);
  /// Runs a preparation.
  ATHANOR_DECL detail::ResultPtr run(const Prepared& p, std::span<const Value> params);
  /// Sends the held-back BEGIN, if any, alone.
  ATHANOR_DECL void begin_now();
  /// Sends, in pipeline mode, what goes before a statement: the held-back BEGIN, then the
  /// per-transaction settings (detail::Session::local_sql) after a BEGIN or outside a
  /// transaction. Returns how many queries were sent (each has one answer), or -1 when
  /// libpq refused one.
  ATHANOR_DECL int send_prelude(PGconn* c);
  /// Runs the bound values_ (preparation `p`, or when null the SQL unnamed with decl_) in one
  /// pipeline after the held-back BEGIN and the per-transaction settings (send_prelude): one
  /// round trip for all. Returns the statement's result; the prelude's own failure is thrown.
  ATHANOR_DECL detail::ResultPtr with_begin(const Prepared* p);
  /// decl_: types_ as declared to the server without a preparation (a NULL's left to it).
  ATHANOR_DECL void declared();
  /// The column types, row count and affected count of result_.
  ATHANOR_DECL void described();

  /// Rows per pipeline chunk: results are read after each chunk, so neither side's socket
  /// buffer can fill while the other waits (a chunk of DML answers is ~25 bytes a row, far
  /// below the kernel's buffers). The server is asked to flush (PQsendFlushRequest) between
  /// chunks and to sync only after the last, so the batch stays one unit of work.
  static constexpr std::size_t pipeline_chunk = 1000;
  /// A chunk also ends after about this many bytes of values: a chunk's request then fits in
  /// the kernel's socket buffer, so the client never blocks writing while the server blocks
  /// writing answers (wide RETURNING rows) that the client is not reading yet.
  static constexpr std::size_t pipeline_bytes = 64u << 10;

  /// The rows one execution after the other (the base class's), for what a pipeline cannot
  /// carry: a single row, or rows whose values differ in type.
  std::int64_t one_by_one(std::span<const Value> params, std::size_t rows, BatchRow on_row, void* ctx) {
    return on_row ? driver::Statement::execute_batch_rows(params, rows, on_row, ctx) : driver::Statement::execute_batch(params, rows);
  }
  /// Sends `rows` rows of `params` through one pipeline, with preparation `p` (or, when null,
  /// the protocol's unnamed statement, parsed with decl_ at the start of the pipeline). Returns the rows affected in all; throws the
  /// first failing row's error after the pipeline is drained and left, so the connection
  /// answers the next statement.
  ATHANOR_DECL std::int64_t pipelined(Prepared* p, std::span<const Value> params, std::size_t rows, std::size_t width,
                                      BatchRow on_row, void* ctx);

  detail::Session& s_;
  std::string sql_;
  std::size_t placeholders_;
  std::vector<Prepared> preps_;
  std::vector<pqxx::oid> types_;  ///< of the values being executed
  std::vector<pqxx::oid> decl_;    ///< types_ as declared without a preparation
  // Parameter arrays for libpq, kept between executions to reuse their memory.
  std::vector<const char*> values_;
  std::vector<int> lengths_, formats_;
  std::vector<std::string> texts_;
  detail::ResultPtr result_;
  std::vector<pqxx::oid> oids_;
  int rows_ = 0, next_ = 0, row_ = -1;
  std::int64_t affected_ = 0;
};

}  // namespace athanor::driver::postgresql

#if ATHANOR_DEFINITIONS
#  include <athanor/driver/impl/pg_statement.ipp>
#  include <athanor/driver/impl/pg_pipeline.ipp>
#endif
