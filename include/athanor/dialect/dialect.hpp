// athanor/dialect/dialect.hpp — `Dialect`: what one SQL flavour says differently, as
// capability data plus small hooks the compiler calls (SQLAlchemy's dialect + compiler
// pair; Diesel's `SqlDialect`). Defaults (ANSI) live in ansi.hpp; each backend file
// overrides only what differs. Core never names a backend; everything here may.
#pragma once

#include <string>       // std::string
#include <string_view>  // std::string_view
#include <vector>       // std::vector

#include <athanor/config.hpp>
#include <athanor/core/column.hpp>
#include <athanor/core/compiled.hpp>
#include <athanor/core/error.hpp>
#include <athanor/core/isolation.hpp>

namespace athanor {

class Compiler;
namespace detail {
struct ExprNode;
struct InsertNode;
struct StatementNode;
}  // namespace detail

/// What a dialect can do; tests ask for capabilities, never for database names.
struct Capabilities {
  bool returning_insert = true;   ///< INSERT … RETURNING
  bool returning_update = true;   ///< UPDATE … RETURNING
  bool returning_delete = true;   ///< DELETE … RETURNING
  bool nulls_ordering = true;     ///< ORDER BY … NULLS FIRST/LAST (emulated when false)
  bool full_outer_join = true;    ///< FULL OUTER JOIN (when false: ArgumentError, naming a rewrite)
  bool for_update = true;         ///< SELECT … FOR UPDATE
  bool native_boolean = true;     ///< a BOOLEAN type with TRUE/FALSE
  bool transactional_ddl = true;  ///< CREATE/DROP roll back with the transaction
  bool native_ilike = false;      ///< ILIKE; when false ilike() is written as lower(a) LIKE lower(b)
  /// In LIKE without ESCAPE, `\` escapes `%`, `_` and itself (PostgreSQL, MariaDB; not the
  /// SQL standard nor SQLite). A typed-DSL like() asks for this on every backend: where the
  /// server lacks it, the compiler writes ``ESCAPE '\'`` (node flag 8).
  bool like_backslash_escape = false;
  bool intersect_except = true;   ///< INTERSECT and EXCEPT (when false: ArgumentError, naming a rewrite)
  /// INTERSECT ALL / EXCEPT ALL (bag semantics: duplicates kept as many times as both sides
  /// hold them, or as many more times the left holds them).
  bool intersect_except_all = true;
  /// `WITH … UPDATE` / `WITH … DELETE`; when false the compiler writes the WITH clause inside
  /// each subquery of the statement instead (`… WHERE id IN (WITH t AS (…) SELECT …)`).
  bool cte_before_dml = true;
  /// A compound's member may be a parenthesised compound, `A EXCEPT (B UNION C)`; when false
  /// (SQLite) the compiler writes the member as `SELECT * FROM (B UNION C)`.
  bool parenthesised_compound_members = true;
  /// INTERSECT binds tighter than UNION and EXCEPT (the SQL standard: PostgreSQL, MariaDB);
  /// when false (SQLite) all of them bind alike, left to right.
  bool intersect_binds_tighter = true;
  /// A grouped compound is materialised like a derived table, whose columns need distinct
  /// names (MariaDB: "Duplicate column name"): its first select names every column.
  bool compound_group_unique_names = false;
  bool upsert_conflict_target = true;  ///< upsert names the conflicting columns (ON CONFLICT (…))
  bool check_constraints = true;  ///< CREATE TABLE writes CHECK constraints (the table's and enum columns')
  bool strict_types = true;       ///< a value of the wrong type for a column is refused (DataError)
  bool infinity = true;           ///< stores ±inf in floating columns
  bool nan = true;                ///< stores NaN in floating columns
  bool implicit_returning = false;  ///< fetch generated keys with RETURNING (no last-insert-id)
  bool cheap_last_insert_id = false;  ///< the driver reports the generated key for free
  /// The database runs inside this process (SQLite): a statement costs no round trip, so the
  /// unit of work sends one row per prepared statement, the cheapest there, where a server
  /// gets many rows per statement.
  bool in_process = false;
  bool cast_bare_binds = false;     ///< CAST a bound value that nothing beside it types (alone in a select list, both sides of an operator, before IS [NOT] NULL): the server infers parameter types from context only
  bool numbered_placeholders = false;  ///< placeholders name their parameter ($1): a bound value used twice in a statement is one parameter, written twice
  /// The operator of integer division when `/` of two integers is not one (MariaDB: DIV;
  /// null: `/` truncates, as on SQLite and PostgreSQL).
  const char* integer_divide = nullptr;
  /// A window frame's offsets (`ROWS BETWEEN ? PRECEDING …`) may be placeholders; when false
  /// (MariaDB) they are written as integer literals.
  bool window_frame_binds = true;
  /// lag/lead take a third argument, the default where no row is that far; when false (MariaDB)
  /// the compiler writes a CASE over lag(1, n) instead.
  bool lag_lead_default = true;
  /// An aggregate or a scalar subquery may stand as it is left of IN (SELECT …); when false
  /// (MariaDB 10.11, whose semi-join answers `HAVING max(x) IN (SELECT y …)` with no row, `NOT
  /// IN` with every row, and which compares `(SELECT sum(1) FROM t) IN (SELECT 1 FROM u WHERE
  /// u.id = o.id)` as true wherever the correlated subquery has a row) the compiler writes it
  /// as `coalesce(…)`, which the server evaluates like any value.
  bool aggregate_left_of_in_select = true;
  /// sum() of BIGINT is NUMERIC (PostgreSQL), so an integer division of a sum would be exact
  /// (`sum(x) / 2` is 62.5, where the others give 62): the compiler casts such an operand to
  /// BIGINT, the type Core gives a sum of integers.
  bool sum_of_integers_is_numeric = false;
  /// An index on an integer column is looked up with a fractional constant as it is; when
  /// false (MariaDB 10.11 rounds it first: `int_col = 2.5` and `int_col IN (2.5)` find the row
  /// holding 2 when int_col is indexed, prepared or not) the compiler writes such a constant as
  /// CAST(… AS DOUBLE) / CAST(… AS DECIMAL(…)), which the server compares exactly, still by index.
  bool index_lookup_keeps_fractions = true;
  /// The optimizer switches (MariaDB's SET STATEMENT optimizer_switch='…' FOR, the only form
  /// the compiler writes) of a statement that holds both a window function and an IN (SELECT …)
  /// (or an IN list in its JSON array form) anywhere: MariaDB 10.11 merges a derived table or
  /// CTE into such a select and then loses rows (`SELECT max(d.s) OVER () FROM (SELECT s FROM t)
  /// AS d WHERE d.s IN (SELECT s FROM u)` returns none); materialised, it is right.
  const char* window_with_semi_join_switch = nullptr;
  /// An integer left of IN (SELECT an INT / SMALLINT / BOOLEAN value) may be wider than that
  /// value's type; when false (MariaDB 10.11, whose lookup of a value beyond the column's range,
  /// in the materialised subquery or the column's index alike, answers "not found" whatever
  /// NULLs the column holds: `3000000000 NOT IN (SELECT i …)` is 1 where i holds a NULL, NULL
  /// is right) the compiler writes the subquery's value as CAST(… AS the widest integer).
  bool wide_left_of_in_select = true;
  /// A select without FROM may have a WHERE; when false (MariaDB 10.11, which, for a FROM-less
  /// subquery whose WHERE reads the outer row, keeps the first false answer for every later
  /// outer row: `(SELECT count(*) WHERE EXISTS (… a1.s …))` gave 0 from then on) the compiler
  /// gives such a select the one-row FROM `(SELECT 1) AS athanor_one`, which is evaluated per row.
  bool where_without_from = true;
  /// A column of a derived table or CTE may stand bare as the argument of min()/max() or of a
  /// window function; when false (MariaDB 10.11, which, having merged a derived table whose
  /// column is a constant (`(SELECT 'abc' AS c …) AS d`) into a statement where d is on the NULL
  /// side of an outer join, keeps the constant for NULL-extended rows there: `max(d.c)` is 'abc'
  /// where count(d.c) is 0, and `sum(d.c) OVER ()` counts rows that have no d) the compiler
  /// writes such an argument as `coalesce(column)`, which is NULL on those rows.
  bool derived_column_as_aggregate_argument = true;
  /// The optimizer switches (as window_with_semi_join_switch) of a statement with a derived
  /// table or CTE on the NULL side of an outer join, anywhere in it: MariaDB 10.11 merges it and
  /// then reads its constant columns as the constants on NULL-extended rows inside correlated
  /// subqueries too (`… LEFT JOIN (SELECT 1.5 AS c …) AS d ON false WHERE EXISTS (SELECT … WHERE 1
  /// < d.c)` kept every row, `(SELECT d.c)` was 1.5, `d.c IN (SELECT …)` 0 where NULL is right),
  /// which coalesce() does not mend; materialised, it is right.
  const char* null_side_derived_switch = nullptr;
  /// min()/max() of a column may stand in the HAVING of a select without GROUP BY; when false
  /// (MariaDB 10.11, which over a join that yields no row read `max(users.id)` there as the
  /// index's last key, so `SELECT count(*) FROM users JOIN posts ON posts.score > 1000 HAVING
  /// max(users.id) IS NOT NULL` gave a row) the compiler writes the column as `coalesce(column)`.
  bool having_min_max_of_column = true;
  /// A SELECT DISTINCT of constants only may have an OFFSET; when false (MariaDB 10.11, which
  /// reads such a select as one row and drops the OFFSET: `SELECT DISTINCT 'b' FROM t LIMIT 10
  /// OFFSET 4` gives a row) the compiler writes it as `SELECT * FROM (SELECT DISTINCT …) AS
  /// athanor_distinct LIMIT … OFFSET …`; its ORDER BY goes, as it orders one row at most.
  bool distinct_constants_offset = true;
  /// A window's PARTITION BY / ORDER BY may hold constants; when false (MariaDB 10.11, where a
  /// window whose keys are all constants (`rank() OVER (ORDER BY 3)`, `sum(x) OVER (PARTITION BY
  /// 3)`, or a derived table's constant column) makes another window of the select, `sum(1) OVER
  /// (PARTITION BY i)`, sum over the wrong partitions) the compiler leaves out what keeps the
  /// meaning: constant PARTITION BY keys; an ORDER BY of constants only under an aggregate
  /// without a frame (all rows are peers: the whole partition either way); and writes rank() /
  /// dense_rank() over an ORDER BY of constants only as 1, which they are.
  bool window_constant_keys = true;
  /// A query giving how far behind its primary a replica is, in seconds (NULL: unknown), for
  /// ReplicaOptions::max_lag; null where the server cannot tell.
  const char* replica_lag_sql = nullptr;
  /// The most placeholders one statement may hold; bulk inserts split their rows to stay under it.
  std::size_t max_params = 32766;
  /// The most rows one multi-row INSERT of a flush carries (a power of two; fewer where
  /// max_params or the driver's message size, driver::Connection::max_message_bytes, says so).
  /// Past a few hundred rows a longer statement saves little of the client's or server's work
  /// per row, and its text is kept in the flush's statement cache for each row count.
  std::size_t insert_rows_max = 512;
  /// The longest identifier the server keeps whole (0: no limit); longer ones are refused by
  /// `quote` instead of being cut short by the server. Counted in bytes, or in characters
  /// when `identifier_length_in_characters`.
  std::size_t max_identifier_length = 0;
  bool identifier_length_in_characters = false;  ///< max_identifier_length counts characters, not bytes
  /// Identifiers hold characters up to U+FFFF only (4-byte UTF-8 refused by `quote`).
  bool identifiers_bmp_only = false;
};

/// The SQL flavour of one backend. Stateless after construction; shared by an Engine's connections.
/// The out-of-line hooks are declared ATHANOR_DECL: header-only, they are `inline` here too, so
/// the class has no key function and its vtable (with the SQL compiler it pulls in) is compiled
/// only where a dialect is constructed, not in every file that includes this header. Their
/// bodies (ansi.hpp) come with each backend's dialect header, so a file that only calls a
/// Dialect's virtual functions (compile(), quote()…) parses no compiler (issue 17).
class Dialect {
 public:
  virtual ~Dialect() = default;
  /// "sqlite", "postgresql", "mysql".
  virtual std::string_view name() const = 0;
  /// The name users see in messages ("SQLite", "PostgreSQL", "MySQL/MariaDB").
  virtual std::string_view display_name() const = 0;
  /// What this flavour can do; the compiler and the ORM branch on it.
  const Capabilities& capabilities() const { return caps_; }

  /// The SQL text and bound values of any statement node in this flavour (a Compiler does the
  /// work). Through a pointer that Dialect's constructor (dialect/ansi.hpp) sets, so that callers
  /// need the Dialect only: the compiler's code is compiled where a dialect is constructed
  /// (create_engine; issue 17), not in every file that runs SQL.
  /// **Example**: `engine.dialect().compile(select(users).node()).sql`
  Compiled compile(const detail::StatementNode& n) const { return compile_(*this, n); }

  // --- hooks (defaults in ansi.hpp) ---
  /// Writes a quoted identifier; rejects a NUL byte, an empty name, or one longer than
  /// Capabilities::max_identifier_length (see check_identifier).
  virtual ATHANOR_DECL void quote(std::string& out, std::string_view ident) const;
  /// Writes the placeholder of the 1-based parameter `index`.
  virtual void placeholder(std::string& out, std::size_t index) const { (void)index, out += '?'; }
  /// The DDL name of a type.
  virtual ATHANOR_DECL void type_name(std::string& out, const SqlType& t) const;
  /// The type name inside CAST(… AS type) (default: type_name).
  virtual ATHANOR_DECL void cast_type_name(std::string& out, const SqlType& t) const;
  /// Type (and keywords) of an autoincrementing integer primary-key column (default: type_name).
  virtual ATHANOR_DECL void autoincrement_type(std::string& out, const SqlType& t) const;
  /// A literal in DDL (server defaults), where parameters cannot be bound.
  virtual ATHANOR_DECL void literal(std::string& out, const Value& v) const;
  /// ` LIMIT … OFFSET …`, either part absent when its Expr is empty.
  virtual ATHANOR_DECL void limit_offset(Compiler& c, const Expr& limit, const Expr& offset) const;
  /// String concatenation of `a` and `b` (`a || b` by default).
  virtual ATHANOR_DECL void concat(Compiler& c, const Expr& a, const Expr& b) const;
  /// A function call: portable functions go to portable_function(), now() is CURRENT_TIMESTAMP,
  /// excluded() the upsert's proposed row; any other name is written as it is, if it is a plain name.
  virtual ATHANOR_DECL void function(Compiler& c, const detail::ExprNode& f) const;
  /// A function athanor spells per backend so that all give one answer (round, ceil, floor,
  /// mod, greatest, least, substr, extract, current_date: `f.text`; core/functions.hpp).
  /// Defaults (standard SQL, as PostgreSQL takes it) in portable_functions.hpp.
  virtual ATHANOR_DECL void portable_function(Compiler& c, const detail::ExprNode& f) const;
  /// The conflict clause of an upsert (`ON CONFLICT (…) DO UPDATE SET …` / `DO NOTHING` by default).
  virtual ATHANOR_DECL void upsert(Compiler& c, const detail::InsertNode& n) const;
  /// `x IN (elements of one bound JSON array)`: one prepared statement whatever the
  /// list's length. `n.args[0]` is x, `n.args[1]` the bind, `n.flags & 1` NOT.
  virtual ATHANOR_DECL void in_array(Compiler& c, const detail::ExprNode& n) const;
  /// `INSERT INTO t` of a row where every column takes its default.
  virtual void insert_default_values(std::string& out) const { out += " DEFAULT VALUES"; }
  /// The statement that opens a transaction.
  virtual std::string_view begin_sql() const { return "BEGIN"; }
  /// The statements that open a transaction at `level` (none: at the connection's level).
  /// Default, standard SQL: `BEGIN ISOLATION LEVEL SERIALIZABLE`, one statement. A level the
  /// backend cannot give throws ArgumentError naming the dialect (rule 7).
  virtual std::vector<std::string> begin_statements(std::optional<IsolationLevel> level) const {
    if (!level) return {std::string(begin_sql())};
    return {std::string(begin_sql()) + " ISOLATION LEVEL " + std::string(sql_name(*level))};
  }
  /// SQL that gives a new connection the engine's `isolation_level` once; empty (the default):
  /// the engine's level is written into each transaction's begin_statements() instead, which
  /// costs nothing where BEGIN travels with the first statement and survives a transaction pooler.
  virtual std::string connection_isolation_sql(IsolationLevel level) const { return (void)level, std::string(); }
  /// SQL that returns a row when table `?1` exists.
  virtual std::string has_table_sql() const = 0;

  /// Throws ArgumentError "[athanor.argument.unsupported] <Dialect> has no <what>; <fix>".
  [[noreturn]] void unsupported(std::string_view what, std::string_view fix) const {
    throw ArgumentError("[athanor.argument.unsupported] " + std::string(display_name()) + " has no " +
                        std::string(what) + "; " + std::string(fix));
  }
  /// Throws ArgumentError `[athanor.argument.identifier] …` for an identifier that is empty, holds
  /// a NUL byte, or is longer than the dialect's limit (naming its first characters and the limit).
  ATHANOR_DECL void check_identifier(std::string_view ident) const;

 protected:
  /// Sets compile()'s compiler. Defined with the hooks' default bodies (ansi.hpp), which each
  /// backend's dialect header includes: only a file that constructs a dialect compiles the compiler.
  ATHANOR_DECL Dialect();
  Capabilities caps_;  ///< Set by each backend's constructor, where it differs from the defaults.

 private:
  Compiled (*compile_)(const Dialect&, const detail::StatementNode&);
};

}  // namespace athanor

// The hooks' default bodies are in ansi.hpp, with the compiler they call: included by each
// backend's dialect header (which constructs one), not here, so that a file that only runs SQL
// through a Dialect& parses neither (issue 17). check_identifier, called without a compiler:
#if ATHANOR_DEFINITIONS
#include <athanor/dialect/impl/dialect.ipp>
#endif
