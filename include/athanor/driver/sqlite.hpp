// athanor/driver/sqlite.hpp — the SQLite adapter on the sqlite3 C API: open, prepare
// (cached), bind, step, read, and map result codes to athanor's exceptions.
// Only the engine layer includes this header.
#pragma once

#include <sqlite3.h>

#include <charconv>  // std::from_chars
#include <cmath>     // std::isnan, std::isfinite
#include <memory>    // std::unique_ptr
#include <string>  // std::string
#include <vector>  // std::vector

#include <athanor/core/detail/convert.hpp>
#include <athanor/core/detail/visit_value.hpp>
#include <athanor/core/error.hpp>
#include <athanor/driver/detail/statement_cache.hpp>
#include <athanor/driver/url.hpp>

namespace athanor::driver::sqlite {

/// Throws the athanor exception for a failed sqlite3 call (extended result codes:
/// https://sqlite.org/rescode.html).
[[noreturn]] inline void raise(sqlite3* db, int rc) {
  int ext = db ? sqlite3_extended_errcode(db) : rc;
  std::string msg = db ? sqlite3_errmsg(db) : sqlite3_errstr(rc);
  auto after_colon = [&] {
    auto p = msg.find(": ");
    return p == std::string::npos ? std::string() : msg.substr(p + 2);
  };
  switch (ext) {
    case SQLITE_CONSTRAINT_UNIQUE:
    case SQLITE_CONSTRAINT_PRIMARYKEY:
      throw IntegrityError("[athanor.integrity.unique] " + after_colon() + ": duplicate value");
    case SQLITE_CONSTRAINT_NOTNULL:
      throw IntegrityError("[athanor.integrity.not_null] " + after_colon() + ": NULL in a NOT NULL column");
    case SQLITE_CONSTRAINT_FOREIGNKEY:
      throw IntegrityError("[athanor.integrity.foreign_key] a foreign key does not match a row of the referenced table");
    case SQLITE_CONSTRAINT_CHECK:
      throw IntegrityError("[athanor.integrity.check] check constraint " + after_colon() + " failed");
    // A WAL reader whose snapshot is older than the last commit cannot write: a serialization
    // failure, which no waiting cures (https://sqlite.org/rescode.html#busy_snapshot).
    case SQLITE_BUSY_SNAPSHOT: throw SerializationFailure("[athanor.operational.serialization] " + msg);
    default: break;
  }
  switch (rc & 0xff) {
    case SQLITE_CONSTRAINT: throw IntegrityError("[athanor.integrity] " + msg);
    case SQLITE_MISMATCH:
    case SQLITE_TOOBIG:
    case SQLITE_RANGE: throw DataError("[athanor.data] " + msg);
    // The busy timeout ran out, or SQLite refused to wait because waiting could deadlock (a
    // transaction that read wants to write while another writes: https://sqlite.org/c3ref/busy_handler.html).
    case SQLITE_BUSY: throw LockTimeout("[athanor.operational] " + msg);
    case SQLITE_ERROR:
      if (msg.rfind("no such table", 0) == 0 || msg.rfind("no such column", 0) == 0 || msg.find("syntax error") != std::string::npos ||
          msg.find("already exists") != std::string::npos || msg.rfind("no such", 0) == 0) {
        throw ProgrammingError("[athanor.programming] " + msg);
      }
      throw DatabaseError("[athanor.database] " + msg);
    default: throw OperationalError("[athanor.operational] " + msg);
  }
}

/// A prepared statement (kept for reuse: SQLITE_PREPARE_PERSISTENT). execute() steps to the
/// first row, so a statement that fails at once throws there, not in next().
class Statement final : public driver::Statement {
 public:
  /// Prepares `sql` on `db`; a statement SQLite refuses throws as raise() maps its error.
  Statement(sqlite3* db, const std::string& sql) : db_(db) {
    int rc = sqlite3_prepare_v3(db, sql.data(), static_cast<int>(sql.size()), SQLITE_PREPARE_PERSISTENT, &stmt_, nullptr);
    if (rc != SQLITE_OK) raise(db, rc);
    param_count_ = sqlite3_bind_parameter_count(stmt_);
  }
  ~Statement() override { sqlite3_finalize(stmt_); }
  Statement(const Statement&) = delete;
  Statement& operator=(const Statement&) = delete;

  void execute(std::span<const Value> params) override {
    if (!reset_) sqlite3_reset(stmt_);
    reset_ = false;
    if (static_cast<int>(params.size()) != param_count_) {
      throw ArgumentError("[athanor.argument.params] the statement takes " + std::to_string(param_count_) +
                          " parameters, " + std::to_string(params.size()) + " given");
    }
    scratch_.clear();  // bind_text's texts: reserved so that none moves while bound
    if (scratch_.capacity() < params.size()) scratch_.reserve(params.size());
    for (int i = 0; i < static_cast<int>(params.size()); ++i) bind(i + 1, params[i]);
    step_rc_ = sqlite3_step(stmt_);
    changes_ = sqlite3_changes64(db_);
    columns_ = -1;
    if (step_rc_ != SQLITE_ROW && step_rc_ != SQLITE_DONE) {
      int rc = step_rc_;
      sqlite3_reset(stmt_);
      raise(db_, rc);
    }
    first_ = true;
  }
  bool next() override {
    if (first_) {
      first_ = false;
      return step_rc_ == SQLITE_ROW;
    }
    if (step_rc_ != SQLITE_ROW) return false;
    step_rc_ = sqlite3_step(stmt_);
    if (step_rc_ == SQLITE_ROW) return true;
    // A statement with RETURNING counts its changes when it finishes, not at its first row.
    if (step_rc_ == SQLITE_DONE) changes_ = sqlite3_changes64(db_);
    if (step_rc_ != SQLITE_DONE) {
      int rc = step_rc_;
      sqlite3_reset(stmt_);
      raise(db_, rc);
    }
    return false;
  }
  int column_count() const override { return sqlite3_column_count(stmt_); }
  std::string column_name(int c) const override { return sqlite3_column_name(stmt_, c); }
  // Each read takes the column's value once (sqlite3_column_value) and asks it for its type and
  // contents: sqlite3_column_type followed by sqlite3_column_int64 looked the column up twice,
  // each time through the connection's mutex hooks. The value is the statement's own, read on
  // the connection's one thread (SQLITE_OPEN_NOMUTEX), as sqlite3_column_value's note requires.
  Value value(int c) const override {
    sqlite3_value* v = sqlite3_column_value(stmt_, c);
    switch (sqlite3_value_type(v)) {
      case SQLITE_INTEGER: return Value(static_cast<std::int64_t>(sqlite3_value_int64(v)));
      case SQLITE_FLOAT: return Value(sqlite3_value_double(v));
      case SQLITE_TEXT: {
        auto* p = reinterpret_cast<const char*>(sqlite3_value_text(v));
        return Value(std::string(p, static_cast<std::size_t>(sqlite3_value_bytes(v))));
      }
      case SQLITE_BLOB: {
        auto* p = static_cast<const std::byte*>(sqlite3_value_blob(v));
        return Value(Bytes(p, p + sqlite3_value_bytes(v)));
      }
      default: return Value();
    }
  }
  // Typed reads: straight from the column when SQLite holds the expected storage class,
  // else through value() and its checked conversions (text in an INTEGER column…).
  bool is_null(int c) const override { return sqlite3_column_type(stmt_, c) == SQLITE_NULL; }
  std::int64_t get_int64(int c) const override {
    sqlite3_value* v = sqlite3_column_value(stmt_, c);
    if (sqlite3_value_type(v) == SQLITE_INTEGER) return sqlite3_value_int64(v);
    return driver::Statement::get_int64(c);
  }
  double get_double(int c) const override {
    sqlite3_value* v = sqlite3_column_value(stmt_, c);
    if (sqlite3_value_type(v) == SQLITE_FLOAT) return sqlite3_value_double(v);
    return driver::Statement::get_double(c);
  }
  std::string get_text(int c) const override {
    sqlite3_value* v = sqlite3_column_value(stmt_, c);
    if (sqlite3_value_type(v) != SQLITE_TEXT) return driver::Statement::get_text(c);
    auto* p = reinterpret_cast<const char*>(sqlite3_value_text(v));
    return std::string(p, static_cast<std::size_t>(sqlite3_value_bytes(v)));
  }
  // The row in one call: each column's value taken once, kept when its storage class is the one
  // wanted (what get_int64/get_double/get_text return without converting), else `other`.
  void read_row(int first, std::span<const Want> want, Cell* out) const override {
    if (columns_ < 0) columns_ = sqlite3_column_count(stmt_);  // once an execution, not once a row
    if (first < 0 || first + static_cast<int>(want.size()) > columns_) check_width(first, want.size());
    for (std::size_t k = 0; k < want.size(); ++k) {
      sqlite3_value* v = sqlite3_column_value(stmt_, first + static_cast<int>(k));
      Cell& c = out[k];
      int type = sqlite3_value_type(v);
      if (type == SQLITE_NULL) c.got = Cell::Got::null;
      else if (want[k] == Want::int64 && type == SQLITE_INTEGER) c.got = Cell::Got::int64, c.i = sqlite3_value_int64(v);
      else if (want[k] == Want::float64 && type == SQLITE_FLOAT) c.got = Cell::Got::float64, c.d = sqlite3_value_double(v);
      else if (want[k] == Want::text && type == SQLITE_TEXT) {
        c.got = Cell::Got::text, c.text = reinterpret_cast<const char*>(sqlite3_value_text(v));
        c.size = static_cast<std::size_t>(sqlite3_value_bytes(v));
      } else c.got = Cell::Got::other;
    }
  }
  std::int64_t rows_affected() const override { return changes_; }
  // The bindings stay: execute() binds every parameter again (it checks their count), and
  // nothing reads them in between (sqlite3_clear_bindings cost a call per execution).
  void reset() override { sqlite3_reset(stmt_), reset_ = true; }

 private:
  void bind_text(int i, std::string s) {
    scratch_.push_back(std::move(s));
    check(sqlite3_bind_text64(stmt_, i, scratch_.back().data(), scratch_.back().size(), SQLITE_STATIC, SQLITE_UTF8));
  }
  /// A Decimal as the number a NUMERIC column would store it as (an INTEGER, or a REAL when
  /// its 15 significant digits hold it exactly: https://sqlite.org/datatype3.html#type_affinity),
  /// so that it compares and computes as a number beside expressions, which have no affinity
  /// (bound as text, `sum(price) > '5'` would compare a number with a text: always false).
  void bind_decimal(int i, const std::string& s) {
    const char *b = s.data(), *e = s.data() + s.size();
    std::int64_t n{};
    if (auto r = std::from_chars(b, e, n); r.ec == std::errc{} && r.ptr == e) return check(sqlite3_bind_int64(stmt_, i, n));
    int digits = 0, zeros = 0;  // significant digits, and trailing zeros after the point
    bool point = false, lead = true;
    for (const char* p = b; p != e && *p != 'e' && *p != 'E'; ++p) {
      if (*p == '.') point = true;
      else if (*p >= '0' && *p <= '9' && !(lead && *p == '0')) lead = false, ++digits, zeros = (*p == '0' && point) ? zeros + 1 : 0;
    }
    double d{};
    if (auto r = std::from_chars(b, e, d); r.ec == std::errc{} && r.ptr == e && digits - zeros <= 15 && std::isfinite(d)) {
      return check(sqlite3_bind_double(stmt_, i, d));
    }
    bind_text(i, s);
  }
  void bind(int i, const Value& v) {
    athanor::detail::visit_value(
        [&](const auto& x) {
          using X = std::decay_t<decltype(x)>;
          if constexpr (std::is_same_v<X, std::monostate>) check(sqlite3_bind_null(stmt_, i));
          else if constexpr (std::is_same_v<X, bool>) check(sqlite3_bind_int(stmt_, i, x ? 1 : 0));
          else if constexpr (std::is_same_v<X, std::int64_t>) check(sqlite3_bind_int64(stmt_, i, x));
          else if constexpr (std::is_same_v<X, double>) check(sqlite3_bind_double(stmt_, i, not_nan(i, x)));
          else if constexpr (std::is_same_v<X, std::string>)
            check(sqlite3_bind_text64(stmt_, i, x.data(), x.size(), SQLITE_STATIC, SQLITE_UTF8));
          else if constexpr (std::is_same_v<X, Bytes>)
            check(sqlite3_bind_blob64(stmt_, i, x.empty() ? "" : static_cast<const void*>(x.data()), x.size(), SQLITE_STATIC));
          else if constexpr (std::is_same_v<X, Decimal>) bind_decimal(i, x.text);
          else bind_text(i, athanor::detail::value_to_text(v));
        },
        v);
  }
  void check(int rc) {
    if (rc != SQLITE_OK) raise(db_, rc);
  }
  // SQLite has no NaN: sqlite3_bind_double leaves a NaN as NULL (sqlite3VdbeMemSetDouble in
  // vdbemem.c), which would silently lose the value. ±inf are stored and read back.
  static double not_nan(int i, double x) {
    if (std::isnan(x)) {
      throw DataError("[athanor.data.nan] parameter " + std::to_string(i) +
                      ": SQLite cannot store NaN (it would become NULL)");
    }
    return x;
  }

  sqlite3* db_;
  sqlite3_stmt* stmt_ = nullptr;
  int step_rc_ = SQLITE_DONE;
  bool first_ = false;
  bool reset_ = true;  ///< reset() ran since the last execute(): nothing to reset there
  std::int64_t changes_ = 0;
  // The SQL's parameters, counted once: a re-prepare after a schema change compiles the same
  // text, so the count stays (a column count may change: `SELECT *` after ALTER TABLE).
  int param_count_ = 0;
  // read_row()'s column count, read at its first row after execute() (-1: not yet): the first
  // step re-prepares a statement whose schema changed, so the count holds from there on.
  mutable int columns_ = -1;
  std::vector<std::string> scratch_;  // text forms of dates, UUIDs… bound SQLITE_STATIC
};

/// Options of a SQLite connection.
struct Options {
  std::string path;           ///< file name, or ":memory:"
  bool read_only = false;     ///< SQLITE_OPEN_READONLY: nothing written, no file created
  int busy_timeout_ms = 5000;  ///< wait this long for a lock before SQLITE_BUSY
  std::string journal_mode;   ///< e.g. "WAL"; empty: SQLite's default
  std::string synchronous;    ///< e.g. "NORMAL"; empty: SQLite's default
};

/// One SQLite database handle, opened with SQLITE_OPEN_NOMUTEX: one thread uses it at a time.
class Connection final : public driver::Connection {
 public:
  /// Opens `o.path` (created unless read-only; `file:` URIs taken), turns foreign keys on and
  /// sets the options' pragmas; OperationalError when the database cannot be opened.
  explicit Connection(const Options& o) {
    int flags = (o.read_only ? SQLITE_OPEN_READONLY : SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE) | SQLITE_OPEN_NOMUTEX |
                SQLITE_OPEN_URI;
    int rc = sqlite3_open_v2(o.path.c_str(), &db_, flags, nullptr);
    if (rc != SQLITE_OK) {
      std::string msg = db_ ? sqlite3_errmsg(db_) : sqlite3_errstr(rc);
      sqlite3_close(db_);
      throw OperationalError("[athanor.operational.connect] cannot open SQLite database '" + o.path + "': " + msg);
    }
    sqlite3_extended_result_codes(db_, 1);
    sqlite3_busy_timeout(db_, o.busy_timeout_ms);
    exec("PRAGMA foreign_keys = ON");
    if (!o.journal_mode.empty()) exec("PRAGMA journal_mode = " + safe_word(o.journal_mode));
    if (!o.synchronous.empty()) exec("PRAGMA synchronous = " + safe_word(o.synchronous));
  }
  ~Connection() override {
    cache_.clear();
    sqlite3_close_v2(db_);
  }
  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;

  driver::Statement& prepare(const std::string& sql) override {
    if (auto* s = cache_.find(sql)) return *s;
    return cache_.put(sql, std::make_unique<Statement>(db_, sql));
  }
  void exec(std::string_view sql) override {
    std::string s(sql);
    char* err = nullptr;
    int rc = sqlite3_exec(db_, s.c_str(), nullptr, nullptr, &err);
    sqlite3_free(err);
    if (rc != SQLITE_OK) raise(db_, rc);
  }
  std::int64_t last_insert_id() override { return sqlite3_last_insert_rowid(db_); }
  std::int64_t statements_dropped() const override { return cache_.dropped(); }
  bool ping() override { return true; }  // an embedded database has no link to lose
  std::string server_version() const override { return sqlite3_libversion(); }
  /// The sqlite3 handle, for what athanor does not wrap.
  sqlite3* handle() const { return db_; }

 private:
  static std::string safe_word(const std::string& w) {
    for (char c : w)
      if (!std::isalpha(static_cast<unsigned char>(c))) throw ArgumentError("[athanor.argument.url] invalid SQLite pragma value '" + w + "'");
    return w;
  }
  sqlite3* db_ = nullptr;
  detail::StatementCache cache_;
};

}  // namespace athanor::driver::sqlite

namespace athanor::detail {

/// A SQLite connection from a URL: `sqlite://` (in memory), `sqlite:///relative.db`,
/// `sqlite:////absolute.db`, with `?mode=ro`, `?timeout=` (seconds), `?journal_mode=`, `?synchronous=`.
inline std::unique_ptr<driver::Connection> sqlite_connect(const URL& url) {
  driver::sqlite::Options o;
  o.path = url.is_memory() ? ":memory:" : url.database;
  o.read_only = url.option("mode") == "ro";
  if (auto t = url.option("timeout"); !t.empty()) {
    double seconds = 0;
    auto [end, ec] = std::from_chars(t.data(), t.data() + t.size(), seconds);
    if (ec != std::errc{} || end != t.data() + t.size() || !(seconds >= 0 && seconds <= 86400)) {
      throw ArgumentError("[athanor.argument.url] the SQLite ?timeout= option takes seconds (0 to 86400)");
    }
    o.busy_timeout_ms = static_cast<int>(seconds * 1000);
  }
  o.journal_mode = url.option("journal_mode");
  o.synchronous = url.option("synchronous");
  return std::make_unique<driver::sqlite::Connection>(o);
}

}  // namespace athanor::detail
