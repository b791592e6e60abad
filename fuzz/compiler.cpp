// fuzz/compiler.cpp — libFuzzer target for the Core compiler (./dev fuzz). FuzzedDataProvider
// turns the input into a schema of 1–3 tables and one statement (SELECT with joins, subqueries,
// CTEs and compounds; INSERT with upsert and RETURNING; UPDATE; DELETE; DDL; text()), compiled
// for SQLite, PostgreSQL and MySQL. Allowed outcomes: SQL text, or an athanor::Error.
// Invariants: one placeholder per parameter, in order; no value in the SQL text (every text
// value carries the marker "#v", which no identifier can hold); quotes balanced, and every
// quoted identifier is one of the names handed out. Statements also run on in-memory SQLite
// (database errors are fine there), which must be left without tables afterwards.
#include <fuzzer/FuzzedDataProvider.h>

#include <chrono>       // std::chrono::year, month, day, microseconds
#include <cstddef>      // std::size_t, std::byte
#include <cstdint>      // std::int64_t, std::uint8_t
#include <cstdio>       // std::fprintf
#include <cstdlib>      // std::abort
#include <limits>       // std::numeric_limits
#include <memory>       // std::make_shared
#include <set>          // std::set
#include <string>       // std::string
#include <string_view>  // std::string_view
#include <vector>       // std::vector

#include <athanor/core.hpp>
#include <athanor/dialect/mysql.hpp>
#include <athanor/dialect/postgresql.hpp>
#include <athanor/dialect/sqlite.hpp>
#include <athanor/engine.hpp>

namespace {

using namespace athanor;

constexpr std::string_view marker = "#v";

[[noreturn]] void broken(const char* what, const std::string& sql) {
  std::fprintf(stderr, "invariant broken: %s\nSQL: %s\n", what, sql.c_str());
  std::abort();
}

enum class Kind { dml, ddl, text };

/// Checks one compiled statement: placeholders, values, quoting (see the header comment).
void check_sql(const Dialect& d, const Compiled& c, Kind kind, const std::set<std::string>& names) {
  if (kind == Kind::text) return;  // the SQL is the caller's own text
  const std::string& s = c.sql;
  bool mysql = d.name() == "mysql", dollar = d.name() == "postgresql";
  char ident_quote = mysql ? '`' : '"';
  std::size_t placeholders = 0;
  std::string unquoted;  // the SQL without its quoted identifiers and strings
  for (std::size_t i = 0; i < s.size(); ++i) {
    char q = s[i];
    if (q != ident_quote && q != '\'' && !(mysql && q == '"')) unquoted += q;
    if (q == ident_quote || q == '\'' || (mysql && q == '"')) {
      std::string token;
      bool closed = false;
      for (++i; i < s.size(); ++i) {
        // MySQL strings escape with a backslash too (no NO_BACKSLASH_ESCAPES); identifiers do not.
        if (mysql && q != '`' && s[i] == '\\' && i + 1 < s.size()) {
          token += s[++i];
        } else if (s[i] == q && i + 1 < s.size() && s[i + 1] == q) {
          token += q, ++i;
        } else if (s[i] == q) {
          closed = true;
          break;
        } else {
          token += s[i];
        }
      }
      if (!closed) broken("an unterminated quote", s);
      // DDL also quotes generated constraint names (uq_<table>_<column>…).
      // A compound group on MySQL names its columns apart (c1, c2_…: Capabilities::compound_group_unique_names).
      auto generated = [&] {
        std::size_t k = 1;
        while (k < token.size() && token[k] >= '0' && token[k] <= '9') ++k;
        bool digits = k > 1;
        while (k < token.size() && token[k] == '_') ++k;
        // A FROM-less select with a WHERE reads FROM (SELECT 1) AS athanor_one on MySQL
        // (Capabilities::where_without_from), a SELECT DISTINCT of constants with an OFFSET
        // FROM (…) AS athanor_distinct (Capabilities::distinct_constants_offset).
        if (mysql && (token == "athanor_one" || token == "athanor_distinct")) return true;
        return mysql && token.size() > 1 && token[0] == 'c' && digits && k == token.size();
      };
      if (q == ident_quote && kind == Kind::dml && !names.count(token) && !generated()) broken("a quoted identifier not handed out", s);
    } else if (dollar ? q == '$' : q == '?') {
      if (dollar) {
        // Numbered placeholders come in order, and one may be written again (the same bound
        // value used twice: Capabilities::numbered_placeholders), never ahead of the next new one.
        std::size_t n = 0, j = i + 1;
        for (; j < s.size() && s[j] >= '0' && s[j] <= '9'; ++j) n = n * 10 + (s[j] - '0');
        if (n == 0 || n > placeholders + 1) broken("a $n placeholder out of order", s);
        if (n == placeholders + 1) ++placeholders;
        i = j - 1;
      } else {
        ++placeholders;
      }
    }
  }
  if (placeholders != c.params.size()) broken("placeholders and parameters differ in number", s);
  if (kind == Kind::dml && s.find(marker) != std::string::npos) broken("a value in the SQL text", s);
  // DDL cannot bind: server defaults and Enum names are literals there, always quoted.
  if (unquoted.find(marker) != std::string::npos) broken("a value outside quotes in DDL", s);
}

Engine& sqlite_engine() {
  static Engine engine = create_engine("sqlite://");
  return engine;
}

/// Builds a random schema and statement from the input, then compiles and runs it.
class Fuzz {
 public:
  explicit Fuzz(FuzzedDataProvider& in) : in_(in) {}

  void run() {
    if (!schema()) return;
    if (in_.ConsumeBool()) derived_froms();
    switch (choice(10)) {
      case 0:
      case 1:
      case 2: return finish(select_stmt(3), Kind::dml);
      case 3:
      case 4: return finish(insert_stmt(table()), Kind::dml);
      case 5: return finish(update_stmt(table()), Kind::dml);
      case 6: return finish(delete_stmt(table()), Kind::dml);
      case 7: {
        const Table& t = table();
        bool guard = in_.ConsumeBool();
        return finish(in_.ConsumeBool() ? create_table(t, guard) : drop_table(t, guard), Kind::ddl);
      }
      case 8: {
        Index ix{name(), {column_name(table())}, in_.ConsumeBool()};
        auto node = detail::make_ddl(detail::DdlNode::Op::create_index, table_ptr(table()), false, ix);
        return finish(Ddl(node), Kind::ddl);
      }
      default: return finish(text(in_.ConsumeRandomLengthString(64)).bindparams({{name(), value()}}), Kind::text);
    }
  }

 private:
  int choice(int n) { return in_.ConsumeIntegralInRange(0, n - 1); }
  template <class T>
  const T& any(const std::vector<T>& v) { return v[choice(static_cast<int>(v.size()))]; }

  // --- names and values ---
  std::string name() {
    static const std::vector<std::string> pool = {
        "id", "name", "users", "posts", "t", "a b", "we\"ird", "back`tick",
        "o'clock", "select", "x.y", "back\\slash", "ünï", "$1", "?", "excluded"};
    std::string s = in_.ConsumeBool() ? any(pool) : in_.ConsumeRandomLengthString(12);
    for (char& c : s) c = c == '#' ? '_' : c;  // '#' belongs to the value marker
    names_.insert(s);
    return s;
  }
  std::string text_value() { return std::string(marker) + in_.ConsumeRandomLengthString(16); }
  Value value() {
    using namespace std::chrono;
    switch (choice(13)) {
      case 0: return null;
      case 1: return in_.ConsumeBool();
      case 2: return in_.ConsumeIntegral<std::int64_t>();
      case 3: return in_.ConsumeFloatingPoint<double>();
      case 4: {
        constexpr double special[] = {std::numeric_limits<double>::quiet_NaN(), std::numeric_limits<double>::infinity(),
                                      -std::numeric_limits<double>::infinity(), -0.0};
        return special[choice(4)];
      }
      case 5: return text_value();
      case 6: {
        std::string s = text_value();
        auto* p = reinterpret_cast<const std::byte*>(s.data());
        return Bytes(p, p + s.size());
      }
      case 7: return Decimal{text_value()};
      case 8:
        return Date{year{in_.ConsumeIntegral<std::int16_t>()}, month{in_.ConsumeIntegral<std::uint8_t>()},
                    day{in_.ConsumeIntegral<std::uint8_t>()}};
      case 9: return DateTime{microseconds{in_.ConsumeIntegral<std::int64_t>()}};
      case 10: return Time{microseconds{in_.ConsumeIntegral<std::int64_t>()}};
      case 11: return Json{text_value()};
      default: {
        Uuid u;
        for (auto& b : u.bytes) b = in_.ConsumeIntegral<std::uint8_t>();
        return u;
      }
    }
  }
  SqlType type() {
    switch (choice(17)) {
      case 0: return Integer{};
      case 1: return BigInteger{};
      case 2: return SmallInteger{};
      case 3: return Boolean{};
      case 4: return Float{};
      case 5: return Double{};
      case 6: return Numeric{in_.ConsumeIntegralInRange(-2, 70), in_.ConsumeIntegralInRange(-2, 70)};
      case 7: return String{in_.ConsumeIntegralInRange(-1, 300)};
      case 8: return Text{};
      case 9: return LargeBinary{};
      case 10: return DateType{};
      case 11: return DateTimeType{in_.ConsumeBool()};
      case 12: return TimeType{};
      case 13: return JsonType{};
      case 14: return UuidType{};
      case 15: return Enum{text_value(), text_value()};
      default: return SqlType{};
    }
  }

  // --- schema ---
  bool schema() {
    try {
      for (int t = 0, n = 1 + choice(3); t < n; ++t) {
        auto data = std::make_shared<detail::TableData>();
        data->name = name();
        for (int c = 0, m = 1 + choice(5); c < m; ++c) data->columns.push_back(column_def());
        if (in_.ConsumeBool()) data->primary_key = {column_name(*data)};
        if (in_.ConsumeBool()) {
          data->uniques.push_back({{column_name(*data), column_name(*data)}, in_.ConsumeBool() ? name() : ""});
        }
        if (in_.ConsumeBool()) data->indexes.push_back({name(), {column_name(*data)}, in_.ConsumeBool()});
        Table::finish(*data);
        md_.add(data);
        tables_.push_back(Table::from_data(data));
        froms_.push_back(tables_.back());
        if (in_.ConsumeBool()) froms_.push_back(tables_.back().alias(name()));
      }
    } catch (const Error&) {
      return false;
    }
    return true;
  }
  ColumnDef column_def() {
    ColumnDef c;
    c.name = name(), c.type = type();
    c.nullable = in_.ConsumeBool(), c.primary_key = in_.ConsumeBool(), c.unique = in_.ConsumeBool();
    if (in_.ConsumeBool()) c.autoincrement = in_.ConsumeBool();
    if (in_.ConsumeBool()) c.default_value = value();
    switch (choice(4)) {
      case 0: c.server_default = Expr(value()); break;
      case 1: c.server_default = now(); break;
      default: break;
    }
    if (!tables_.empty() && in_.ConsumeBool()) {
      const Table& parent = any(tables_);
      c.foreign_keys.push_back({parent.name() + "." + column_name(parent), {}});
    }
    return c;
  }
  std::string column_name(const detail::TableData& t) { return any(t.columns).name; }
  std::string column_name(const Table& t) { return column_name(t.data()); }
  const Table& table() { return any(tables_); }

  /// Subqueries and CTEs as FROM items (a recursive CTE refers to itself in its second part).
  void derived_froms() {
    for (int i = 0, n = 1 + choice(2); i < n; ++i) {
      Select body = select_stmt(2);
      switch (choice(3)) {
        case 0: froms_.push_back(body.subquery(name())); break;
        case 1: froms_.push_back(body.cte(name())); break;
        default: {
          Cte cte = body.cte(name(), true);
          froms_.push_back(cte);
          Select more = select_stmt(1);
          froms_.back() = cte.union_all(more);
          recursive_ = true;
        }
      }
    }
  }

  // --- expressions ---
  Expr column() {
    const FromClause& f = any(froms_);
    std::vector<std::string> cols;
    if (f.node()->table) {
      for (auto& c : f.node()->table->columns) cols.push_back(c.name);
    } else {
      for (auto& [n, t] : f.node()->columns) cols.push_back(n);
    }
    if (cols.empty() || choice(50) == 0) return f.c(name());  // most likely an unknown column: ArgumentError
    return f.c(any(cols));
  }
  Expr leaf() {
    switch (choice(5)) {
      case 0:
      case 1: return column();
      case 2: return Expr(value());
      case 3: return bindparam(name(), value());
      default: return literal(value());
    }
  }
  std::vector<Expr> exprs(int depth, int max) {
    std::vector<Expr> v;
    for (int i = 0, n = choice(max + 1); i < n; ++i) v.push_back(expr(depth));
    return v;
  }
  Expr expr(int depth) {
    if (depth <= 0 || --budget_ <= 0) return leaf();
    int d = depth - 1;
    switch (choice(22)) {
      case 0: return leaf();
      case 1: {
        Expr a = expr(d), b = expr(d);
        switch (choice(6)) {
          case 0: return a == b;
          case 1: return a != b;
          case 2: return a < b;
          case 3: return a <= b;
          case 4: return a > b;
          default: return a >= b;
        }
      }
      case 2: {
        Expr a = expr(d), b = expr(d);
        switch (choice(5)) {
          case 0: return a + b;
          case 1: return a - b;
          case 2: return a * b;
          case 3: return a / b;
          default: return a % b;
        }
      }
      case 3: return in_.ConsumeBool() ? (expr(d) && expr(d)) : (expr(d) || expr(d));
      case 4: return in_.ConsumeBool() ? !expr(d) : -expr(d);
      case 5: return concat(expr(d), expr(d));
      case 6: return function(d);
      case 7: {
        std::vector<std::pair<Expr, Expr>> whens;
        for (int i = 0, n = choice(3); i < n; ++i) whens.emplace_back(expr(d), expr(d));
        return case_(whens, in_.ConsumeBool() ? expr(d) : Expr());
      }
      case 8: return cast(expr(d), type());
      case 9: return in_.ConsumeBool() ? expr(d).in_(exprs(d, 4)) : expr(d).not_in(exprs(d, 4));
      case 10: return in_.ConsumeBool() ? expr(d).in_(select_stmt(d)) : expr(d).not_in(select_stmt(d));
      case 11: return expr(d).between(expr(d), expr(d));
      case 12: {
        Expr a = expr(d), p = expr(d);
        std::optional<char> esc;
        if (in_.ConsumeBool()) esc = in_.ConsumeIntegral<char>();
        switch (choice(3)) {
          case 0: return a.like(p, esc);
          case 1: return a.not_like(p, esc);
          default: return a.ilike(p, esc);
        }
      }
      case 13: return in_.ConsumeBool() ? expr(d).is_(null) : expr(d).is_not(null);
      case 14: return exists(select_stmt(d));
      case 15: return select_stmt(d).scalar_subquery();
      case 16: return expr(d).label(name());
      default: return leaf();
    }
  }
  Expr function(int d) {
    switch (choice(14)) {
      case 0: return count();
      case 1: return count(expr(d));
      case 2: return count_distinct(expr(d));
      case 3: return sum(expr(d));
      case 4: return avg(expr(d));
      case 5: return min(expr(d));
      case 6: return max(expr(d));
      case 7: return lower(expr(d));
      case 8: return upper(expr(d));
      case 9: return length(expr(d));
      case 10: return now();
      case 11: return coalesce(expr(d), expr(d));
      default: {
        static const std::vector<std::string> names = {"abs", "nullif", "round", "julianday", "now", "length",
                                                       "x.y", "bad name!", "__excluded", ""};
        return typed_func(any(names), type(), exprs(d, 2));
      }
    }
  }
  Expr ordering(int depth) {
    Expr e = expr(depth);
    switch (choice(6)) {
      case 0: return e.asc();
      case 1: return e.desc();
      case 2: return e.nulls_first();
      case 3: return e.desc().nulls_last();
      case 4: return e.asc().nulls_first();
      default: return e;
    }
  }

  // --- statements ---
  Select select_stmt(int depth) {
    Select s;
    for (int i = 0, n = 1 + choice(3); i < n; ++i) {
      switch (choice(3)) {
        case 0: s = s.add_columns(expr(depth)); break;
        case 1: s = s.add_columns(expr(depth).label(name())); break;
        default: s = s.add_columns(any(froms_)); break;
      }
    }
    while (budget_ > 0 && in_.ConsumeBool()) {
      --budget_;
      switch (choice(16)) {
        case 0: s = s.where(expr(depth)); break;
        case 1: s = s.order_by(ordering(depth)); break;
        case 2: s = s.group_by(expr(depth)); break;
        case 3: s = s.having(expr(depth)); break;
        case 4: s = s.limit(in_.ConsumeBool() ? Expr(in_.ConsumeIntegral<std::int64_t>()) : expr(depth)); break;
        case 5: s = s.offset(in_.ConsumeBool() ? Expr(in_.ConsumeIntegral<std::int64_t>()) : expr(depth)); break;
        case 6: s = s.distinct(); break;
        case 7: s = s.with_for_update(); break;
        case 8: {
          FromClause f = any(froms_);
          if (in_.ConsumeBool()) {
            f = choice(2) ? f.join(any(froms_), expr(depth)) : f.outerjoin(any(froms_), expr(depth));
          }
          s = s.select_from(f);
          break;
        }
        case 9: s = s.join(any(froms_), expr(depth)); break;
        case 10: s = s.outerjoin(any(froms_), expr(depth)); break;
        case 11: s = s.full_outerjoin(any(froms_), expr(depth)); break;
        case 12: s = s.union_(select_stmt(depth - 1)); break;
        case 13: s = s.union_all(select_stmt(depth - 1)); break;
        case 14: s = s.intersect(select_stmt(depth - 1)); break;
        default: s = s.except_(select_stmt(depth - 1)); break;
      }
    }
    return s;
  }
  Values row(const std::vector<std::string>& cols) {
    Values v;
    for (auto& c : cols) v.emplace_back(c, in_.ConsumeBool() ? Expr(value()) : expr(2));
    return v;
  }
  std::vector<std::string> some_columns(const Table& t) {
    std::vector<std::string> cols;
    for (int i = 0, n = choice(4); i < n; ++i) cols.push_back(column_name(t));
    return cols;
  }
  Insert insert_stmt(const Table& t) {
    Insert s = insert(t);
    auto cols = some_columns(t);
    switch (choice(4)) {
      case 0: s = s.values(row(cols)); break;
      case 1: {
        std::vector<Values> rows;
        for (int i = 0, n = choice(4); i < n; ++i) rows.push_back(row(cols));
        s = s.values_list(rows);
        break;
      }
      case 2: s = s.from_select(cols, select_stmt(2)); break;
      default: break;  // DEFAULT VALUES
    }
    if (in_.ConsumeBool()) {
      Values set;
      for (auto& c : some_columns(t)) set.emplace_back(c, in_.ConsumeBool() ? excluded(column_name(t)) : expr(2));
      s = in_.ConsumeBool() ? s.on_conflict_do_update(some_columns(t), set) : s.on_conflict_do_nothing(some_columns(t));
    }
    if (in_.ConsumeBool()) s = in_.ConsumeBool() ? s.returning(t) : s.returning(expr(2));
    return s;
  }
  Update update_stmt(const Table& t) {
    Update s = update(t).values(row(some_columns(t)));
    if (in_.ConsumeBool()) s = s.where(expr(3));
    if (in_.ConsumeBool()) s = s.returning(expr(2));
    return s;
  }
  Delete delete_stmt(const Table& t) {
    Delete s = delete_(t);
    if (in_.ConsumeBool()) s = s.where(expr(3));
    if (in_.ConsumeBool()) s = s.returning(t);
    return s;
  }

  template <class S>
  void finish(const S& stmt, Kind kind) {
    static const SqliteDialect sqlite;
    static const PostgresqlDialect postgresql;
    static const MysqlDialect mysql;
    for (const Dialect* d : {static_cast<const Dialect*>(&sqlite), static_cast<const Dialect*>(&postgresql),
                             static_cast<const Dialect*>(&mysql)}) {
      Compiled c;
      try {
        c = Compiler(*d).compile(stmt.node());
      } catch (const Error&) {
        continue;  // e.g. "[athanor.argument.unsupported] MySQL/MariaDB has no FULL OUTER JOIN; …"
      }
      check_sql(*d, c, kind, names_);
    }
    // text() is arbitrary SQL (it could ATTACH a file); a recursive CTE could run forever.
    if (kind != Kind::text && !recursive_) run_on_sqlite(stmt, kind);
  }
  template <class S>
  void run_on_sqlite(const S& stmt, Kind kind) {
    try {
      auto conn = sqlite_engine().begin();  // rolled back when it goes out of scope
      if (kind == Kind::dml)
        for (auto& t : tables_) conn.execute(create_table(t));
      for (const Row& r : conn.execute(stmt))
        for (const Value& v : r.values())
          if (!v.is_null()) (void)detail::value_to_text(v);
    } catch (const Error&) {
    }
    // The rollback leaves the shared in-memory database as it was: empty.
    auto conn = sqlite_engine().connect();
    auto left = conn.exec_driver_sql("SELECT count(*) FROM sqlite_master").scalar<std::int64_t>();
    if (left.value_or(0) != 0) broken("a rolled-back transaction left tables behind", "(count of sqlite_master)");
  }

  FuzzedDataProvider& in_;
  MetaData md_;
  std::vector<Table> tables_;
  std::vector<FromClause> froms_;  ///< where columns come from: tables, aliases, subqueries, CTEs
  std::set<std::string> names_;    ///< every identifier handed out
  int budget_ = 64;                ///< expression nodes left: bounds the size of one statement
  bool recursive_ = false;
};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  FuzzedDataProvider in(data, size);
  try {
    Fuzz(in).run();
  } catch (const Error&) {
    // Building the statement may be refused too (an unknown column, rows of different shapes).
  }
  return 0;
}
