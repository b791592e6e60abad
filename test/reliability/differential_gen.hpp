// test/reliability/differential_gen.hpp — the schema, data and random statement generator of
// the cross-backend differential tester (test/reliability/differential.cpp).
//
// Statements are generated as a small tree of our own (Query / Node / Source below), so that
// a disagreement can be shrunk by editing the tree, and lowered to athanor's runtime Core
// (athanor::select, Expr, FromClause…) for each execution. The generator produces only
// statements whose meaning is the same on SQLite, PostgreSQL and MariaDB; every rule that
// keeps it so is written down where it is applied, marked "RULE:". In short:
//  - strings that are compared, ordered, grouped or LIKE-matched are lower-case ASCII letters
//    and digits (or empty): MariaDB's default collation is case- and trailing-space-insensitive,
//    PostgreSQL's follows the server locale, SQLite's is binary; on such strings all agree.
//    Unicode text (column da.u) is only projected, measured with length() and tested for NULL.
//  - integer results stay below 2^31 (PostgreSQL's INTEGER raises on overflow, the others are
//    64-bit), bigint results below 2^53, doubles below 1e15 (every node carries a bound on its
//    magnitude); so no backend overflows.
//  - `/` only when one side is a double (SQLite/PostgreSQL divide integers with truncation,
//    MariaDB's `/` gives a decimal); the divisor is a literal of magnitude >= 0.5 or
//    nullif(double column, 0) (division by zero is NULL on SQLite/MariaDB, an error on
//    PostgreSQL); `%` only on integers, by a literal in 2..7.
//  - doubles in the data are multiples of 1/8 (sums are exact in any order); avg() of an
//    integer is a DECIMAL rounded to 4 places on MariaDB, so it is never an operand of
//    arithmetic (comparisons with our literals of denominator <= 4 cannot fall between).
//  - every ORDER BY names NULLS FIRST/LAST (the default differs) and ends with every output
//    column, so the order of the rows is total; LIMIT/OFFSET only with such an ORDER BY.
//  - no ORDER BY, GROUP BY, DISTINCT or set operation over Unicode text or doubles computed
//    by a division (the last bits may differ).
//  - MariaDB 10.11 server bugs kept out: no aggregate left of IN (SELECT …) without GROUP BY;
//    HAVING names only group keys that are selected plain columns.
#pragma once

#include <algorithm>   // std::find, std::min
#include <cmath>       // std::fabs
#include <cstdint>     // std::int64_t
#include <functional>  // std::function
#include <map>         // std::map
#include <memory>      // std::shared_ptr
#include <random>      // std::mt19937_64
#include <set>         // std::set
#include <string>      // std::string
#include <vector>      // std::vector

#include <athanor/athanor.hpp>

namespace diff {
namespace orm = athanor::orm;
using orm::Mapped;

// --- the schema: models (for the typed DSL shapes) whose tables the Core generator uses ---
struct DA {
  Mapped<int> id;
  Mapped<std::optional<int>> i;
  Mapped<std::optional<std::int64_t>> b;
  Mapped<std::optional<double>> f;
  Mapped<std::optional<std::string>> s;  ///< lower-case ASCII (see RULE above)
  Mapped<std::optional<std::string>> u;  ///< Unicode: projected only
  Mapped<std::optional<bool>> k;
  static void configure(orm::Mapper<DA>& m) {
    m.column<&DA::id>().primary_key().autoincrement(false);
    m.column<&DA::s>().length(20);
    m.column<&DA::u>().type(athanor::Text{});
  }
};
struct DB {
  Mapped<int> id;
  Mapped<std::optional<int>> a_id;
  Mapped<int> i;
  Mapped<std::optional<double>> f;
  Mapped<std::optional<std::string>> s;
  static void configure(orm::Mapper<DB>& m) {
    m.column<&DB::id>().primary_key().autoincrement(false);
    m.column<&DB::a_id>().foreign_key("da.id");
    m.column<&DB::s>().length(20);
  }
};
struct DC {
  Mapped<int> id;
  Mapped<std::optional<std::int64_t>> b;
  Mapped<std::string> s;
  Mapped<double> f;
  static void configure(orm::Mapper<DC>& m) {
    m.column<&DC::id>().primary_key().autoincrement(false);
    m.column<&DC::s>().length(20);
  }
};
ATHANOR_MODEL(DA, "da", id, i, b, f, s, u, k)
ATHANOR_MODEL(DB, "db", id, a_id, i, f, s)
ATHANOR_MODEL(DC, "dc", id, b, s, f)

/// Value families of generated expressions: int (fits 32 bits), bigint, double, ASCII text,
/// Unicode text, boolean.
enum class Ty { i, b, d, s, u, t };
inline bool numeric(Ty t) { return t == Ty::i || t == Ty::b || t == Ty::d; }
inline bool textual(Ty t) { return t == Ty::s || t == Ty::u; }

struct ColInfo {
  std::string name;
  Ty ty;
  double mag;        ///< bound on |value|
  bool nullable;
  bool unique;       ///< a key: no two rows share it
  bool mixed = false;  ///< see Node::mixed
};
struct TableInfo {
  std::string name;
  std::vector<ColInfo> cols;
  int rows;
};

/// Sizes of the tables (small: every join of three stays fast on every backend).
inline const std::vector<TableInfo>& schema() {
  static const std::vector<TableInfo> t = {
      {"da", {{"id", Ty::i, 40, false, true}, {"i", Ty::i, 100, true, false}, {"b", Ty::b, 6e9, true, false},
              {"f", Ty::d, 1e6 + 1, true, false}, {"s", Ty::s, 0, true, false}, {"u", Ty::u, 0, true, false},
              {"k", Ty::t, 1, true, false}}, 24},
      {"db", {{"id", Ty::i, 60, false, true}, {"a_id", Ty::i, 40, true, false}, {"i", Ty::i, 100, false, false},
              {"f", Ty::d, 100, true, false}, {"s", Ty::s, 0, true, false}}, 36},
      {"dc", {{"id", Ty::i, 10, false, true}, {"b", Ty::b, 6e9, true, false}, {"s", Ty::s, 0, false, false},
              {"f", Ty::d, 100, false, false}}, 8},
  };
  return t;
}

// --- the statement tree ---
struct Node;
struct Query;
struct Source;
using NodeP = std::shared_ptr<Node>;
using QueryP = std::shared_ptr<Query>;
using SourceP = std::shared_ptr<Source>;

enum class Op {
  col, lit, null, arith, cmp, and_, or_, not_, neg, is_null, is_not_null, between, like, in_list, in_select,
  exists, scalar, func, case_, concat, label_ref,
  window  ///< text = function (row_number, rank, dense_rank, sum, count, min, max, lag) OVER (partition, win_order)
};

struct Node {
  Op op{};
  Ty ty{};
  double mag = 0;        ///< bound on |value| (numbers)
  bool rounded = false;  ///< avg() of integers: rounded on MariaDB, never an arithmetic operand
  bool inexact = false;  ///< a division: not ordered, grouped or compared for equality
  bool agg = false;      ///< holds an aggregate of this query level
  /// coalesce/CASE of an integer and a double: a double on PostgreSQL and MariaDB, but on
  /// SQLite each value keeps its own type (coalesce(2, f) is the integer 2): never divided.
  bool mixed = false;
  std::string text;      ///< column name, operator, function name
  athanor::Value value;  ///< lit
  SourceP src;           ///< col
  std::vector<NodeP> args;
  QueryP sub;  ///< in_select, exists, scalar
  int flags = 0;  ///< in_list/in_select/like: 1 = NOT; like: 2 = ilike; func: 1 = count(*); window: 1 = ROWS frame to the current row
  std::vector<NodeP> partition;                  ///< window: PARTITION BY
  std::vector<std::pair<NodeP, int>> win_order;  ///< window: ORDER BY, flags 1 = DESC, 2 = NULLS FIRST
};

struct Source {
  enum class Kind { table, alias, derived, cte } kind{};
  std::string name;  ///< SQL name
  int table = 0;     ///< schema() index (table, alias)
  QueryP body;       ///< derived, cte
  std::vector<ColInfo> cols;
  int rows = 1;      ///< bound on its row count
};

struct Join {
  SourceP src;
  NodeP on;
  bool outer = false;
};
struct Order {
  NodeP e;
  bool desc = false, nulls_first = false;
};

struct Query {
  SourceP from;
  std::vector<Join> joins;
  bool implicit_from = false;  ///< no select_from(): FROM inferred by Core (correlation applies)
  std::vector<NodeP> cols;
  std::string labels;          ///< columns labelled <labels>0, <labels>1… (derived tables, CTEs)
  std::vector<NodeP> where, group_by, having;
  std::vector<Order> order_by;
  int limit = -1, offset = -1;
  bool distinct = false;
  std::vector<std::pair<std::string, QueryP>> compound;  ///< UNION … parts after this one
  bool grouped() const {
    if (!group_by.empty()) return true;
    for (auto& c : cols)
      if (c->agg) return true;
    return false;
  }
  int rows() const {
    double r = from ? from->rows : 1;
    for (auto& j : joins) r *= j.src->rows;
    return static_cast<int>(std::min(r, 1e9));
  }
};

// --- node constructors ---
inline NodeP node(Op op, Ty ty, std::vector<NodeP> args = {}, std::string text = {}) {
  auto n = std::make_shared<Node>();
  n->op = op, n->ty = ty, n->args = std::move(args), n->text = std::move(text);
  for (auto& a : n->args) {
    n->agg = n->agg || a->agg;
    n->rounded = n->rounded || a->rounded;
    n->inexact = n->inexact || a->inexact;
    n->mixed = n->mixed || a->mixed;
  }
  return n;
}
inline NodeP lit(athanor::Value v, Ty ty, double mag = 0) {
  auto n = node(Op::lit, ty);
  n->value = std::move(v), n->mag = mag;
  return n;
}
inline NodeP col(const SourceP& s, const ColInfo& c) {
  auto n = node(Op::col, c.ty, {}, c.name);
  n->src = s, n->mag = c.mag, n->mixed = c.mixed;
  return n;
}

// --- lowering to athanor Core ---
/// Builds the athanor statement of a Query. One Lower per statement: every reference to a
/// Source gets the same FromClause, as Core's correlation needs.
class Lower {
 public:
  athanor::FromClause from(const SourceP& s) {
    auto it = froms_.find(s.get());
    if (it != froms_.end()) return it->second;
    athanor::FromClause f;
    switch (s->kind) {
      case Source::Kind::table: f = table(s->table); break;
      case Source::Kind::alias: f = table(s->table).alias(s->name); break;
      case Source::Kind::derived: f = select(*s->body).subquery(s->name); break;
      case Source::Kind::cte: f = select(*s->body).cte(s->name); break;
    }
    froms_.emplace(s.get(), f);
    return f;
  }
  static const athanor::Table& table(int i) {
    static const athanor::Table* t[] = {&orm::table_of<DA>(), &orm::table_of<DB>(), &orm::table_of<DC>()};
    return *t[i];
  }

  /// The expression of a node, one Expr per node: a node the generator uses twice (a select-list
  /// item in ORDER BY or GROUP BY) is the same expression object twice, as a user writes it, so
  /// its bound values are one parameter each where the dialect numbers them (PostgreSQL).
  athanor::Expr expr(const NodeP& p) {
    auto it = exprs_.find(p.get());
    if (it != exprs_.end()) return it->second;
    athanor::Expr e = make_expr(p);
    exprs_.emplace(p.get(), e);
    return e;
  }
  athanor::Expr make_expr(const NodeP& p) {
    using athanor::Expr;
    const Node& n = *p;
    auto a = [&](std::size_t i) { return expr(n.args[i]); };
    switch (n.op) {
      case Op::col: return from(n.src).c(n.text);
      case Op::lit:
        return athanor::literal(n.value);
      case Op::null: return Expr(athanor::null);
      case Op::label_ref: return a(0);
      case Op::arith: {
        Expr x = a(0), y = a(1);
        switch (n.text[0]) {
          case '+': return x + y;
          case '-': return x - y;
          case '*': return x * y;
          case '/': return x / y;
          default: return x % y;
        }
      }
      case Op::cmp: {
        Expr x = a(0), y = a(1);
        const std::string& o = n.text;
        if (o == "=") return x == y;
        if (o == "<>") return x != y;
        if (o == "<") return x < y;
        if (o == "<=") return x <= y;
        if (o == ">") return x > y;
        return x >= y;
      }
      case Op::and_: return a(0) && a(1);
      case Op::or_: return a(0) || a(1);
      case Op::not_: return !a(0);
      case Op::neg: return -a(0);
      case Op::is_null: return a(0).is_(athanor::null);
      case Op::is_not_null: return a(0).is_not(athanor::null);
      case Op::between: return a(0).between(a(1), a(2));
      case Op::like: {
        Expr x = a(0), pat = a(1);
        if (n.flags & 2) return x.ilike(pat);
        return (n.flags & 1) ? x.not_like(pat) : x.like(pat);
      }
      case Op::in_list: {
        std::vector<Expr> v;
        for (std::size_t i = 1; i < n.args.size(); ++i) v.push_back(a(i));
        return (n.flags & 1) ? a(0).not_in(v) : a(0).in_(v);
      }
      case Op::in_select: return (n.flags & 1) ? a(0).not_in(select(*n.sub)) : a(0).in_(select(*n.sub));
      case Op::exists: return athanor::exists(select(*n.sub));
      case Op::scalar: return select(*n.sub).scalar_subquery();
      case Op::concat: return athanor::concat(a(0), a(1));
      case Op::window: {
        athanor::Window w;
        for (auto& k : n.partition) w.partition_by.push_back(expr(k));
        for (auto& [k, f] : n.win_order) {
          Expr e = (f & 1) ? expr(k).desc() : expr(k).asc();
          w.order_by.push_back((f & 2) ? e.nulls_first() : e.nulls_last());
        }
        if (n.flags & 1) w.frame = athanor::rows_between(athanor::unbounded_preceding(), athanor::current_row());
        const std::string& f = n.text;
        Expr call = f == "row_number" ? athanor::row_number()
                    : f == "rank"     ? athanor::rank()
                    : f == "dense_rank" ? athanor::dense_rank()
                    : f == "sum"      ? athanor::sum(a(0))
                    : f == "count"    ? athanor::count(a(0))
                    : f == "min"      ? athanor::min(a(0))
                    : f == "max"      ? athanor::max(a(0))
                                      : athanor::lag(a(0));
        return athanor::over(call, w);
      }
      case Op::case_: {
        std::vector<std::pair<Expr, Expr>> whens;
        std::size_t pairs = n.args.size() / 2;
        for (std::size_t i = 0; i < pairs; ++i) whens.emplace_back(a(2 * i), a(2 * i + 1));
        return athanor::case_(whens, n.args.size() % 2 ? a(n.args.size() - 1) : Expr());
      }
      case Op::func: {
        const std::string& f = n.text;
        if (f == "count") return (n.flags & 1) ? athanor::count() : athanor::count(a(0));
        if (f == "count_distinct") return athanor::count_distinct(a(0));
        if (f == "sum") return athanor::sum(a(0));
        if (f == "avg") return athanor::avg(a(0));
        if (f == "min") return athanor::min(a(0));
        if (f == "max") return athanor::max(a(0));
        if (f == "lower") return athanor::lower(a(0));
        if (f == "upper") return athanor::upper(a(0));
        if (f == "length") return athanor::length(a(0));
        if (f == "coalesce") return athanor::coalesce(a(0), a(1));
        if (f == "mod") return athanor::mod(a(0), a(1));
        if (f == "greatest") return athanor::greatest(a(0), a(1));
        if (f == "least") return athanor::least(a(0), a(1));
        if (f == "substr") return athanor::substr(a(0), a(1), a(2));
        if (f == "replace") return athanor::replace(a(0), a(1), a(2));
        std::vector<Expr> args;
        for (std::size_t i = 0; i < n.args.size(); ++i) args.push_back(a(i));
        return athanor::typed_func(f, type_of(n), args);  // abs, nullif
      }
    }
    return Expr();
  }

  athanor::Select select(const Query& q) {
    std::vector<athanor::Expr> cols;
    for (std::size_t i = 0; i < q.cols.size(); ++i) {
      athanor::Expr e = expr(q.cols[i]);
      cols.push_back(q.labels.empty() ? e : e.label(q.labels + std::to_string(i)));
    }
    athanor::Select s = athanor::select(cols);
    if (!q.implicit_from && q.from) {
      athanor::FromClause f = from(q.from);
      for (auto& j : q.joins) f = j.outer ? f.outerjoin(from(j.src), expr(j.on)) : f.join(from(j.src), expr(j.on));
      s = s.select_from(f);
    }
    for (auto& w : q.where) s = s.where(expr(w));
    for (auto& g : q.group_by) s = s.group_by(expr(g));
    for (auto& h : q.having) s = s.having(expr(h));
    for (auto& o : q.order_by) {
      athanor::Expr e = expr(o.e);
      e = o.desc ? e.desc() : e.asc();
      s = s.order_by(o.nulls_first ? e.nulls_first() : e.nulls_last());
    }
    if (q.limit >= 0) s = s.limit(athanor::Expr(std::int64_t{q.limit}));
    if (q.offset >= 0) s = s.offset(athanor::Expr(std::int64_t{q.offset}));
    if (q.distinct) s = s.distinct();
    for (auto& [op, part] : q.compound) {
      athanor::Select other = select(*part);
      if (op == "UNION") s = s.union_(other);
      else if (op == "UNION ALL") s = s.union_all(other);
      else if (op == "INTERSECT") s = s.intersect(other);
      else s = s.except_(other);
    }
    return s;
  }

  static athanor::SqlType type_of(const Node& n) {
    switch (n.ty) {
      case Ty::i: return athanor::Integer{};
      case Ty::b: return athanor::BigInteger{};
      case Ty::d: return athanor::Double{};
      case Ty::t: return athanor::Boolean{};
      default: return athanor::Text{};
    }
  }

 private:
  std::map<const Source*, athanor::FromClause> froms_;
  std::map<const Node*, athanor::Expr> exprs_;
};

// --- the generator ---
constexpr double int_limit = 2147483647.0;  // RULE: PostgreSQL INTEGER arithmetic raises beyond 2^31
constexpr double big_limit = 9007199254740992.0;  // 2^53: exact in a double, far from int64 overflow
constexpr double dbl_limit = 1e15;

class Gen {
 public:
  explicit Gen(std::uint64_t seed) : rng_(seed) {}

  std::map<std::string, long>& stats() { return stats_; }
  std::uint64_t draw() { return rng_(); }
  int pick(int n) { return static_cast<int>(rng_() % static_cast<std::uint64_t>(n)); }
  bool chance(int percent) { return pick(100) < percent; }
  void count(const std::string& what) { ++stats_[what]; }

  /// A whole statement for the differential comparison.
  QueryP statement() {
    names_ = 0, table_used_.assign(3, false);
    scopes_.clear();
    switch (pick(10)) {
      case 0:
      case 1: return compound_query();
      case 2:
      case 3:
      case 4: return grouped_query(true, 2);
      default: return plain_query(true, 2);
    }
  }
  /// A plain query (no aggregates, no LIMIT) and a predicate over its scope: TLP and NoREC.
  std::pair<QueryP, NodeP> partition_case() {
    names_ = 0, table_used_.assign(3, false);
    scopes_.clear();
    auto q = std::make_shared<Query>();
    from_clause(*q, 2, 2);
    scopes_.push_back(visible(*q));
    q->cols = outputs(*q, 1 + pick(3), 2, false);
    if (chance(50)) q->where.push_back(pred(2));
    NodeP p = pred(3);
    scopes_.pop_back();
    return {q, p};
  }

  /// RULE: orderable output — no Unicode text, no division result (ties and collation).
  static bool orderable(const NodeP& n) { return n->ty != Ty::u && !n->inexact; }

 private:
  std::string fresh(const char* prefix) { return prefix + std::to_string(++names_); }

  SourceP table_source(int t) {
    auto s = std::make_shared<Source>();
    const auto& ti = schema()[static_cast<std::size_t>(t)];
    s->table = t, s->cols = ti.cols, s->rows = ti.rows;
    // Each base table appears once by its own name; other uses are aliases (self-joins,
    // subqueries), so that no FROM item of one query is also one of an enclosing query.
    if (!table_used_[static_cast<std::size_t>(t)] && chance(60)) {
      table_used_[static_cast<std::size_t>(t)] = true;
      s->kind = Source::Kind::table, s->name = ti.name;
    } else {
      s->kind = Source::Kind::alias, s->name = fresh("a");
      count("alias");
    }
    return s;
  }
  /// A FROM item: a table (mostly), a subquery in FROM, or a CTE.
  SourceP source(int depth) {
    int r = pick(10);
    if (depth > 0 && r == 0) return derived(depth - 1, Source::Kind::derived);
    if (depth > 0 && r == 1) return derived(depth - 1, Source::Kind::cte);
    return table_source(pick(3));
  }
  SourceP derived(int depth, Source::Kind kind) {
    auto saved = scopes_;
    auto keys = keys_;
    bool g = grouped_, a = in_agg_;
    int rows = rows_;
    scopes_.clear();  // RULE: no LATERAL — a derived table sees no outer columns
    grouped_ = in_agg_ = false, keys_.clear();
    QueryP body = chance(40) ? grouped_query(false, depth) : plain_query(false, depth);
    scopes_ = saved, keys_ = keys, grouped_ = g, in_agg_ = a, rows_ = rows;
    auto s = std::make_shared<Source>();
    s->kind = kind, s->name = fresh(kind == Source::Kind::cte ? "w" : "d"), s->body = body;
    // RULE: labels unique in the statement (w3c0…): MariaDB 10.11 calls a qualified column
    // "ambiguous" in GROUP BY / ON when another select names one of its labels alike.
    body->labels = s->name + "c";
    s->rows = body->grouped() && body->group_by.empty() ? 1 : body->rows();
    if (body->limit >= 0) s->rows = std::min(s->rows, body->limit);
    for (std::size_t i = 0; i < body->cols.size(); ++i) {
      auto& c = body->cols[i];
      // Columns of a derived table keep their magnitude; avg()/division results are not
      // reused in arithmetic (rounded), nor ordered (inexact): they simply are not offered.
      // RULE: nor a column computed by a subquery: MariaDB 10.11 merges the derived table and
      // then refuses the EXISTS that names it ("doesn't yet support 'SUBQUERY in ROW in left
      // expression of IN/ALL/ANY'").
      if (c->rounded || c->inexact || has_subquery(c)) continue;
      s->cols.push_back({body->labels + std::to_string(i), c->ty, c->mag, true, false, c->mixed});
    }
    if (s->cols.empty()) {  // nothing reusable: fall back to a table
      return table_source(pick(3));
    }
    count(kind == Source::Kind::cte ? "cte" : "derived_table");
    return s;
  }
  static std::vector<SourceP> visible(const Query& q) {
    std::vector<SourceP> v{q.from};
    for (auto& j : q.joins) v.push_back(j.src);
    return v;
  }

  void from_clause(Query& q, int depth, int max_joins) {
    q.from = source(depth);
    for (int j = 0, n = pick(max_joins + 1); j < n; ++j) {
      Join join;
      join.outer = chance(40);
      // The NULL side of an outer join may be a derived table or CTE: MariaDB 10.11 kept a
      // constant column's value on NULL-extended rows in min()/max() and windows (`length(max(
      // d5.c3))` over `LEFT JOIN (SELECT 'abc' AS c3 …) d5 ON '1' = 'a'` was 3), which the dialect
      // writes around (Capabilities::derived_column_as_aggregate_argument).
      join.src = source(depth);
      count(join.outer ? "left_outer_join" : "inner_join");
      // ON: a foreign-key equality when the pair allows one, else a random predicate over
      // the sources joined so far.
      scopes_.push_back(visible(q));
      scopes_.back().push_back(join.src);
      NodeP on;
      auto fk = fk_pair(visible(q), join.src);
      if (fk && chance(70)) on = fk;
      else on = comparison(1, join.src);
      // An outer join's ON may test the joined table's key against a literal (`LEFT JOIN dc AS a2
      // ON a2.id = 3.75`): MariaDB 10.11 looked a fraction up in the key rounded, which the
      // dialect writes around (Capabilities::index_lookup_keeps_fractions).
      // RULE: an outer join's ON is about the joined table only (no extra conjunct): SQLite
      // 3.40.1 (Debian 12) loses every row of `dc JOIN (SELECT 1 <> 1 AS c FROM w3) AS d4 ON
      // 'a' > dc.s LEFT JOIN dc AS a5 ON d4.c` when w3 is a CTE with an aggregate.
      if (!join.outer && chance(30)) on = node(Op::and_, Ty::t, {on, pred(1)});
      scopes_.pop_back();
      join.on = on;
      q.joins.push_back(join);
    }
  }
  /// db.a_id = da.id between `target` and one of `left` when their tables allow it.
  NodeP fk_pair(const std::vector<SourceP>& left, const SourceP& target) {
    auto is = [](const SourceP& s, int t) { return (s->kind == Source::Kind::table || s->kind == Source::Kind::alias) && s->table == t; };
    for (auto& l : left) {
      if (is(l, 0) && is(target, 1)) return node(Op::cmp, Ty::t, {col(target, target->cols[1]), col(l, l->cols[0])}, "=");
      if (is(l, 1) && is(target, 0)) return node(Op::cmp, Ty::t, {col(l, l->cols[1]), col(target, target->cols[0])}, "=");
    }
    return nullptr;
  }

  // --- columns and literals ---
  /// A column of the wanted family from the current scope (or, rarely, an outer one:
  /// correlation). Null when none is there.
  NodeP column(std::function<bool(Ty)> want, bool prefer_own = false) {
    std::vector<std::pair<SourceP, const ColInfo*>> own, outer;
    for (std::size_t si = 0; si < scopes_.size(); ++si)
      for (auto& s : scopes_[si])
        for (auto& c : s->cols)
          if (want(c.ty)) (si + 1 == scopes_.size() ? own : outer).emplace_back(s, &c);
    // Inside an aggregate, an outer column would make it an aggregate of the outer query.
    if (!outer.empty() && !prefer_own && !in_agg_ && (own.empty() || chance(15))) {
      auto& [s, c] = outer[static_cast<std::size_t>(pick(static_cast<int>(outer.size())))];
      count("correlated_column");
      return col(s, *c);
    }
    if (own.empty()) return nullptr;
    auto& [s, c] = own[static_cast<std::size_t>(pick(static_cast<int>(own.size())))];
    return col(s, *c);
  }
  NodeP int_lit() {
    static const int pool[] = {0, 1, 2, 3, -1, -2, 5, 7, 10, 42, -100, 100};
    int v = pool[pick(12)];
    return lit(std::int64_t{v}, Ty::i, std::abs(v));
  }
  NodeP double_lit() {
    // RULE: literals with denominators <= 4 (see avg() above); never 0 as a divisor.
    static const double pool[] = {0.5, -0.5, 1.5, 2.5, -2.25, 0.25, 3.75, 10.5, -7.5, 100.25, 2.0, 0.0};
    double v = pool[pick(12)];
    count("double_literal");
    return lit(v, Ty::d, std::fabs(v));
  }
  NodeP str_lit() {
    static const char* pool[] = {"", "a", "ab", "abc", "b", "ba", "a1", "1", "10", "9", "zz", "c"};
    return lit(std::string(pool[pick(12)]), Ty::s);
  }
  NodeP num_lit(Ty hint) {
    if (hint == Ty::b && chance(20)) {
      std::int64_t v = chance(50) ? 3000000000LL : -4000000000LL;  // beyond INTEGER: typed as BIGINT
      count("bigint_literal");
      return lit(v, Ty::b, std::fabs(static_cast<double>(v)));
    }
    return chance(60) ? int_lit() : double_lit();
  }

  // --- expressions (grouped: leaves are group keys, aggregates or literals) ---
  NodeP num(int depth) {
    if (depth <= 0 || chance(30)) return num_leaf(depth);
    switch (pick(10)) {
      case 0:
      case 1:
      case 2: return arith(depth - 1);
      case 3: {
        if (!grouped_ || in_agg_) break;  // aggregates: in a grouped query, never nested
        return aggregate_num(depth - 1);
      }
      case 4: return case_expr(depth - 1, true);
      case 5: {
        NodeP x = num(depth - 1), y = num(depth - 1);
        if (x->rounded || y->rounded) return x;
        count("coalesce");
        auto n = node(Op::func, wider(x->ty, y->ty), {x, y}, "coalesce");
        n->mag = std::max(x->mag, y->mag);
        n->mixed = n->mixed || ((x->ty == Ty::d) != (y->ty == Ty::d));
        return n;
      }
      case 6: {
        NodeP x = num(depth - 1);
        bool minus = chance(50);
        count(minus ? "unary_minus" : "abs");
        auto n = node(minus ? Op::neg : Op::func, x->ty, {x}, minus ? "-" : "abs");
        n->mag = x->mag;
        return n;
      }
      case 7: {
        // Not in a grouped query: its correlation would name ungrouped columns.
        if (depth < 2 || grouped_) break;
        return scalar_subquery(depth - 1);
      }
      case 8: {
        NodeP x = num(depth - 1), y = num(depth - 1);
        if (x->rounded || y->rounded || x->inexact || y->inexact) break;
        if (chance(50) && x->ty != Ty::d && y->ty != Ty::d && !x->mixed && !y->mixed) {
          // mod: the sign of the dividend; NULL when the divisor is 0, on every backend.
          count("mod");
          auto n = node(Op::func, x->ty, {x, y}, "mod");
          n->mag = x->mag;
          return n;
        }
        if ((x->ty == Ty::d) != (y->ty == Ty::d)) break;  // RULE: greatest/least of one family
        const char* f = chance(50) ? "greatest" : "least";
        count(f);
        auto n = node(Op::func, wider(x->ty, y->ty), {x, y}, f);
        n->mag = std::max(x->mag, y->mag);
        return n;
      }
      default: {
        auto s = str(depth - 1);
        count("length");
        auto n = node(Op::func, Ty::i, {s}, "length");
        n->mag = 1000;
        return n;
      }
    }
    return num_leaf(depth);
  }
  NodeP num_leaf(int depth) {
    if (grouped_ && !in_agg_) {
      std::vector<NodeP> keys;
      for (auto& k : keys_)
        if (numeric(k->ty) && (!having_ || in_select_list(k))) keys.push_back(k);
      if (!keys.empty() && chance(50)) return keys[static_cast<std::size_t>(pick(static_cast<int>(keys.size())))];
      if (chance(70)) return aggregate_num(depth);
      return num_lit(Ty::i);
    }
    if (chance(80))
      if (auto c = column([](Ty t) { return numeric(t); })) return c;
    return num_lit(chance(50) ? Ty::b : Ty::i);
  }
  static Ty wider(Ty a, Ty b) {
    if (a == Ty::d || b == Ty::d) return Ty::d;
    if (a == Ty::b || b == Ty::b) return Ty::b;
    return Ty::i;
  }
  static bool fits(Ty t, double mag) {
    return t == Ty::i ? mag <= int_limit : t == Ty::b ? mag <= big_limit : mag <= dbl_limit;
  }
  NodeP arith(int depth) {
    NodeP x = num(depth), y;
    if (x->rounded) return x;
    int r = pick(5);
    if (r == 3) {  // division
      if (x->mixed) return x;  // RULE: no division of a mixed value (see Node::mixed)
      if (x->ty != Ty::d && chance(40)) {
        // Integers divide with truncation toward zero on every backend (DIV on MariaDB), by a
        // literal that is never zero.
        static const std::int64_t divisors[] = {2, 3, 7, -2, -5};
        std::int64_t d = divisors[pick(5)];
        auto n = node(Op::arith, x->ty, {x, lit(d, Ty::i, static_cast<double>(std::abs(d)))}, "/");
        n->mag = x->mag / 2;
        count("divide_integers");
        return n;
      }
      // RULE: `/` of a double: a double on one side; the divisor is never zero.
      if (chance(50)) {
        y = double_lit();
        if (y->mag < 0.5) y = lit(0.5, Ty::d, 0.5);
      } else {
        NodeP f = column([](Ty t) { return t == Ty::d; });
        if (!f || f->mixed || (grouped_ && !in_agg_)) return x;
        y = node(Op::func, Ty::d, {f, lit(std::int64_t{0}, Ty::i)}, "nullif");
        y->mag = f->mag;
        count("nullif");
      }
      Ty t = Ty::d;
      double mag = x->mag / (y->op == Op::lit ? y->mag : 0.125);
      if (!fits(t, mag)) return x;
      auto n = node(Op::arith, t, {x, y}, "/");
      n->mag = mag, n->inexact = true;
      count("divide");
      return n;
    }
    if (r == 4) {  // RULE: `%` on integers only, by a literal in 2..7 (sign follows the dividend everywhere)
      if (x->ty == Ty::d) return x;
      std::int64_t m = 2 + pick(6);
      auto n = node(Op::arith, x->ty, {x, lit(m, Ty::i, static_cast<double>(m))}, "%");
      n->mag = std::min(x->mag, static_cast<double>(m));
      count("modulo");
      return n;
    }
    y = num(depth);
    if (y->rounded) return x;
    static const char* ops[] = {"+", "-", "*"};
    Ty t = wider(x->ty, y->ty);
    double mag = r == 2 ? x->mag * y->mag : x->mag + y->mag;
    if (!fits(t, mag)) return x;
    auto n = node(Op::arith, t, {x, y}, ops[r]);
    n->mag = mag;
    if ((x->ty == Ty::d) != (y->ty == Ty::d)) count("arith_int_double");
    count(std::string("arith") + ops[r]);
    return n;
  }
  NodeP aggregate_num(int depth) {
    bool saved = in_agg_;
    in_agg_ = true;
    NodeP n;
    int rows = rows_;
    switch (pick(6)) {
      case 0: n = node(Op::func, Ty::b, {}, "count"), n->flags = 1, n->mag = rows; break;
      case 1: {
        NodeP x = chance(50) ? num(depth) : str(depth);
        n = node(Op::func, Ty::b, {x}, chance(70) ? "count" : "count_distinct"), n->mag = rows;
        break;
      }
      case 2: {
        NodeP x = num(depth);
        if (x->rounded) x = num_leaf(0);
        double mag = x->mag * rows;
        Ty t = x->ty == Ty::d ? Ty::d : Ty::b;
        if (!fits(t, mag)) x = lit(std::int64_t{1}, Ty::i, 1), mag = rows;
        n = node(Op::func, t, {x}, "sum"), n->mag = mag;
        break;
      }
      case 3: {
        NodeP x = num(depth);
        n = node(Op::func, Ty::d, {x}, "avg"), n->mag = x->mag;
        n->rounded = x->ty != Ty::d || x->rounded;  // RULE: MariaDB's avg of integers is a DECIMAL(…,4)
        break;
      }
      default: {
        NodeP x = num(depth);
        n = node(Op::func, x->ty, {x}, chance(50) ? "min" : "max"), n->mag = x->mag;
        break;
      }
    }
    in_agg_ = saved;
    n->agg = true;
    count("agg_" + n->text);
    return n;
  }
  NodeP str(int depth) {
    if (grouped_ && !in_agg_) {
      std::vector<NodeP> keys;
      for (auto& k : keys_)
        if (k->ty == Ty::s && (!having_ || in_select_list(k))) keys.push_back(k);
      if (!keys.empty() && chance(60)) return keys[static_cast<std::size_t>(pick(static_cast<int>(keys.size())))];
      if (chance(60)) {
        bool saved = in_agg_;
        in_agg_ = true;
        NodeP x = str(depth);
        in_agg_ = saved;
        auto n = node(Op::func, Ty::s, {x}, chance(50) ? "min" : "max");
        n->agg = true;
        count("agg_" + n->text + "_text");
        return n;
      }
      return str_lit();
    }
    if (depth > 0 && chance(35)) {
      switch (pick(6)) {
        case 0: count("concat"); return node(Op::concat, Ty::s, {str(depth - 1), str(depth - 1)});
        case 1: count("lower"); return node(Op::func, Ty::s, {str(depth - 1)}, "lower");
        case 2: count("coalesce"); return node(Op::func, Ty::s, {str(depth - 1), str_lit()}, "coalesce");
        case 3: {
          count("substr");  // 1-based characters; start >= 1, length >= 0 (the servers agree there)
          std::int64_t start = 1 + pick(3), len = pick(4);
          return node(Op::func, Ty::s, {str(depth - 1), lit(start, Ty::i, 3), lit(len, Ty::i, 3)}, "substr");
        }
        case 4: {
          count("replace");  // case-sensitive everywhere
          return node(Op::func, Ty::s, {str(depth - 1), str_lit(), str_lit()}, "replace");
        }
        default: return case_expr(depth - 1, false);
      }
    }
    if (chance(80))
      if (auto c = column([](Ty t) { return t == Ty::s; })) return c;
    return str_lit();
  }
  NodeP case_expr(int depth, bool number) {
    std::vector<NodeP> args;
    Ty t = number ? Ty::i : Ty::s;
    double mag = 0;
    for (int i = 0, n = 1 + pick(2); i < n; ++i) {
      args.push_back(pred(depth));
      NodeP v = number ? num(depth) : str(depth);
      if (v->rounded) v = number ? int_lit() : str_lit();
      if (number) t = wider(t, v->ty), mag = std::max(mag, v->mag);
      args.push_back(v);
    }
    if (chance(70)) {
      NodeP v = number ? num(depth) : str(depth);
      if (v->rounded) v = number ? int_lit() : str_lit();
      if (number) t = wider(t, v->ty), mag = std::max(mag, v->mag);
      args.push_back(v);
    }
    auto n = node(Op::case_, t, args);
    n->mag = mag;
    if (number)
      for (std::size_t i = 1; i < args.size(); i += 2)
        n->mixed = n->mixed || ((args[i]->ty == Ty::d) != (t == Ty::d));
    if (number && args.size() % 2) n->mixed = n->mixed || ((args.back()->ty == Ty::d) != (t == Ty::d));
    count("case");
    return n;
  }

  // --- predicates ---
  NodeP comparison(int depth, const SourceP& must = nullptr) {
    static const char* ops[] = {"=", "<>", "<", "<=", ">", ">="};
    const char* o = ops[pick(6)];
    NodeP x, y;
    if (chance(70)) {
      x = num(depth), y = num(depth);
      if (must && !mentions(x, must) && !mentions(y, must))
        if (auto c = column_of(must, [](Ty t) { return numeric(t); })) x = c;
      // RULE: no equality on division results (last bits may differ between backends).
      if ((x->inexact || y->inexact) && (o[0] == '=' || o[1] == '>')) o = "<";
      // An integer column = a fraction is generated: MariaDB 10.11 looked the fraction up in the
      // column's index as an integer (`2.5 = a_id` counted the row whose a_id is 2); the dialect
      // casts such a fraction (Capabilities::index_lookup_keeps_fractions).
    } else {
      x = str(depth), y = str(depth);
      if (must && !mentions(x, must) && !mentions(y, must))
        if (auto c = column_of(must, [](Ty t) { return t == Ty::s; })) x = c;
    }
    count("compare");
    return node(Op::cmp, Ty::t, {x, y}, o);
  }
  NodeP column_of(const SourceP& s, std::function<bool(Ty)> want) {
    std::vector<const ColInfo*> v;
    for (auto& c : s->cols)
      if (want(c.ty)) v.push_back(&c);
    if (v.empty()) return nullptr;
    return col(s, *v[static_cast<std::size_t>(pick(static_cast<int>(v.size())))]);
  }
  static bool mentions(const NodeP& n, const SourceP& s) {
    if (n->op == Op::col && n->src == s) return true;
    for (auto& a : n->args)
      if (mentions(a, s)) return true;
    return false;
  }
  NodeP pred(int depth) {
    if (depth <= 0) return comparison(0);
    switch (pick(16)) {
      case 0:
      case 1: count("and"); return node(Op::and_, Ty::t, {pred(depth - 1), pred(depth - 1)});
      case 2: count("or"); return node(Op::or_, Ty::t, {pred(depth - 1), pred(depth - 1)});
      case 3: count("not"); return node(Op::not_, Ty::t, {pred(depth - 1)});
      case 4: {
        NodeP x = chance(60) ? num(depth - 1) : chance(50) ? str(depth - 1) : any_column();
        count("is_null");
        return node(chance(50) ? Op::is_null : Op::is_not_null, Ty::t, {x});
      }
      case 5: {
        count("between");
        if (chance(70)) return node(Op::between, Ty::t, {num(depth - 1), num_lit(Ty::i), num_lit(Ty::i)});
        return node(Op::between, Ty::t, {str(depth - 1), str_lit(), str_lit()});
      }
      case 6: return like(depth - 1);
      case 7: return in_list(depth - 1);
      case 8: {
        if (grouped_) break;
        return in_select(depth - 1);
      }
      case 9: {
        if (grouped_) break;
        return exists(depth - 1);
      }
      case 10: {
        if (grouped_ && !in_agg_) break;
        if (auto k = column([](Ty t) { return t == Ty::t; }, true)) {
          count("boolean_column");
          return k;
        }
        break;
      }
      default: break;
    }
    return comparison(depth - 1);
  }
  NodeP any_column() {
    if (grouped_ && !in_agg_) return num(0);
    if (auto c = column([](Ty) { return true; })) return c;
    return num(0);
  }
  NodeP like(int depth) {
    static const char* pats[] = {"a%", "%b", "%a%", "_", "__", "a_", "%1%", "", "%", "ab%c", "1%", "%z"};
    static const char* ipats[] = {"A%", "%B", "%A%", "_", "A_", "%Z"};
    NodeP x = str(depth);
    auto n = node(Op::like, Ty::t, {x});
    if (chance(25)) {
      n->flags = 2;
      n->args.push_back(lit(std::string(ipats[pick(6)]), Ty::s));
      count("ilike");
    } else {
      n->flags = chance(30) ? 1 : 0;
      n->args.push_back(lit(std::string(pats[pick(12)]), Ty::s));
      count(n->flags ? "not_like" : "like");
    }
    return n;
  }
  NodeP in_list(int depth) {
    bool number = chance(70);
    NodeP x = number ? num(depth) : str(depth);
    // An aggregate too: MariaDB 10.11 answered `max(f) IN (SELECT v FROM JSON_TABLE(…))` over
    // no row with 0, not NULL; the dialect writes a plain list beside an aggregate.
    auto n = node(Op::in_list, Ty::t, {x});
    for (int i = 0, k = pick(5); i < k; ++i) {
      if (chance(10)) {
        n->args.push_back(node(Op::null, Ty::i));
        count("in_list_null");
      } else {
        // Fractions beside an integer column too (see comparison()).
        n->args.push_back(number ? num_lit(Ty::i) : str_lit());
      }
    }
    n->flags = chance(30) ? 1 : 0;
    count(n->args.size() == 1 ? "in_list_empty" : n->flags ? "not_in_list" : "in_list");
    return n;
  }

  // --- subqueries ---
  /// The inner query of a subquery: FROM a fresh alias (or, rarely, the SQLAlchemy-style
  /// implicit FROM over an enclosing query's own FROM item: Core's auto-correlation).
  QueryP inner(int depth) {
    auto q = std::make_shared<Query>();
    if (chance(8) && !scopes_.empty()) {
      auto& outer = scopes_.back();
      q->from = outer[static_cast<std::size_t>(pick(static_cast<int>(outer.size())))];
      q->implicit_from = true;
      count("implicit_from_subquery");
    } else {
      q->from = table_source(pick(3));
      if (depth > 0 && chance(20)) {
        Join j;
        j.src = table_source(pick(3));
        scopes_.push_back({q->from, j.src});
        auto fk = fk_pair({q->from}, j.src);
        j.on = fk ? fk : comparison(0, j.src);
        scopes_.pop_back();
        j.outer = chance(30);
        q->joins.push_back(j);
      }
    }
    return q;
  }
  /// Runs `f` with the inner query's scope open (and aggregation state reset).
  template <class F>
  void in_scope(Query& q, F&& f) {
    bool g = grouped_, a = in_agg_;
    auto keys = keys_;
    int rows = rows_;
    grouped_ = false, in_agg_ = false, keys_.clear(), rows_ = q.rows();
    // An implicit FROM names the enclosing query's own item: `select(max(t.c("x")))` inside a
    // query on t, which Core correlates away (SQLAlchemy refuses to leave no FROM).
    scopes_.push_back(visible(q));
    f();
    scopes_.pop_back();
    grouped_ = g, in_agg_ = a, keys_ = keys, rows_ = rows;
  }
  /// A WHERE for a subquery: often correlated (an inner column against an outer one).
  void inner_where(Query& q, int depth) {
    if (scopes_.size() >= 2 && chance(65)) {
      count("correlated_subquery");
      NodeP inner_col, outer_col;
      bool number = chance(75);
      auto want = [&](Ty t) { return number ? numeric(t) : t == Ty::s; };
      inner_col = q.implicit_from ? nullptr : column_of(q.from, want);
      std::vector<std::pair<SourceP, const ColInfo*>> outer;
      for (auto& s : scopes_[scopes_.size() - 2])
        for (auto& c : s->cols)
          if (want(c.ty)) outer.emplace_back(s, &c);
      if (inner_col && !outer.empty()) {
        auto& [s, c] = outer[static_cast<std::size_t>(pick(static_cast<int>(outer.size())))];
        q.where.push_back(node(Op::cmp, Ty::t, {inner_col, col(s, *c)}, chance(70) ? "=" : "<"));
      }
    }
    if (chance(50)) q.where.push_back(pred(depth));
  }
  NodeP scalar_subquery(int depth) {
    QueryP q = inner(depth);
    NodeP agg;
    in_scope(*q, [&] {
      grouped_ = true;
      agg = aggregate_num(depth);
      grouped_ = false;
      inner_where(*q, depth);
    });
    q->cols = {agg};
    auto n = node(Op::scalar, agg->ty);
    n->sub = q, n->mag = agg->mag, n->rounded = agg->rounded;
    count("scalar_subquery");
    return n;
  }
  NodeP exists(int depth) {
    QueryP q = inner(depth);
    in_scope(*q, [&] {
      q->cols = {any_column()};
      inner_where(*q, depth);
    });
    count("exists");
    auto n = node(Op::exists, Ty::t);
    n->sub = q;
    if (chance(30)) return count("not_exists"), node(Op::not_, Ty::t, {n});
    return n;
  }
  NodeP in_select(int depth) {
    bool number = chance(70);
    // Any number against any numeric column: MariaDB 10.11 compared `(SELECT sum(1) FROM dc)
    // NOT IN (SELECT 1 FROM da WHERE 'a' = db.s)` (a DECIMAL scalar subquery, correlated) wrongly,
    // and `dc.b NOT IN (SELECT da.i FROM da)` was 1 for a BIGINT beyond INT although da.i holds
    // NULLs; the dialect writes around both (Capabilities::aggregate_left_of_in_select,
    // wide_left_of_in_select).
    NodeP x = number ? num(depth) : str(depth);
    // RULE: no division result (equality). RULE: no aggregate without GROUP BY: when MariaDB
    // 10.11 proves the WHERE empty before execution (a constant false WHERE, a primary or unique
    // key = a value no row holds, prepared or not), an implicitly grouped select sets each
    // non-constant subquery of its select list to a default (IN / EXISTS 0, a scalar NULL),
    // through coalesce(), CASE and arithmetic alike: `SELECT count(*) IN (SELECT 0 FROM da)
    // FROM dc WHERE 1 = 0` is 0. By design since MDEV-229 / lp:985667 (no_rows_in_result); no
    // sound rewrite, and data-dependent, so the dialect cannot refuse it exactly.
    if (number && (x->inexact || (grouped_ && keys_.empty() && x->agg))) x = column([](Ty t) { return numeric(t); });
    if (!x) return comparison(depth);
    QueryP q = inner(depth);
    // Outer joins inside too: MariaDB 10.11 had kept 1 row of 8 for `w.c IN (SELECT a2.id FROM
    // dc AS a2 LEFT JOIN dc AS a3 ON a3.id < a2.id)` (w a grouped derived table over a join),
    // which no longer reproduces with the dialect's workarounds (seeds 12-14 agree).
    bool ok = true;
    in_scope(*q, [&] {
      NodeP c;
      if (number) c = column_of(q->from, [&](Ty t) { return numeric(t); });
      else c = str(depth);
      if (!c) return void(ok = false);
      q->cols = {c};
      inner_where(*q, depth);
    });
    if (!ok) return comparison(depth);
    auto n = node(Op::in_select, Ty::t, {x});
    n->sub = q, n->flags = chance(30) ? 1 : 0;
    count("in_select");
    return n;
  }

  // --- queries ---
  std::vector<NodeP> outputs(Query& q, int n, int depth, bool allow_unicode) {
    std::vector<NodeP> cols;
    for (int i = 0; i < n; ++i) {
      int r = pick(10);
      if (r < 4) cols.push_back(num(depth));
      else if (r < 7) cols.push_back(str(depth));
      else if (r < 8) cols.push_back(pred(depth - 1)), count("predicate_output");
      else if (allow_unicode && r < 9) {
        auto u = column([](Ty t) { return t == Ty::u; }, true);
        if (u) {
          count("unicode_output");
          cols.push_back(chance(50) ? u : node(Op::func, Ty::i, {u}, "length"));
          if (cols.back()->op == Op::func) cols.back()->mag = 100;
        } else {
          cols.push_back(any_column());
        }
      } else cols.push_back(any_column());
    }
    (void)q;
    return cols;
  }
  /// ORDER BY some expressions, then every output column (a total order of the rows).
  void total_order(Query& q, int depth) {
    for (int i = 0, n = pick(2); i < n; ++i) {
      NodeP e = chance(50) ? num(depth) : str(depth);
      if (!orderable(e) || q.distinct) continue;
      q.order_by.push_back({e, chance(50), chance(50)});
    }
    for (auto& c : q.cols) {
      q.order_by.push_back({c, chance(50), chance(50)});
    }
    count("order_by");
    if (chance(60)) q.limit = pick(8), count("limit");
    // OFFSET after DISTINCT too: MariaDB 10.11 dropped the OFFSET of a DISTINCT over constants
    // (`SELECT DISTINCT 'b' FROM db LIMIT 10 OFFSET 4` gave one row), which the dialect writes
    // around (Capabilities::distinct_constants_offset).
    if (chance(30)) q.offset = pick(5), count(q.distinct ? "distinct_offset" : "offset");
  }
  /// Window functions over the query's one FROM item, whose answers do not depend on how a
  /// server breaks ties. RULE: row_number, lag and a ROWS frame order by keys that end with a
  /// unique column of that item; rank, dense_rank and aggregates over the default (RANGE)
  /// frame give peers one answer, so any keys do. Keys are columns, never Unicode text.
  void add_windows(Query& q) {
    if (!q.joins.empty() || !q.from) return;
    const ColInfo* unique = nullptr;
    for (auto& c : q.from->cols)
      if (c.unique && !c.nullable) unique = &c;
    // Window keys may be a derived table's constant columns: MariaDB 10.11 got a second window
    // wrong when one is ordered by a constant (`rank() OVER (ORDER BY d.c), sum(1) OVER
    // (PARTITION BY d.i) FROM (SELECT 3 AS c, i FROM db) d` summed over parts of the partitions),
    // which the dialect writes around (Capabilities::window_constant_keys).
    auto key = [&]() -> NodeP { return column_of(q.from, [](Ty t) { return t != Ty::u; }); };
    for (int i = 0, count_windows = 1 + pick(2); i < count_windows; ++i) {
      static const char* fns[] = {"row_number", "rank", "dense_rank", "sum", "count", "min", "max", "lag"};
      std::string f = fns[pick(8)];
      bool needs_total = f == "row_number" || f == "lag";
      bool rows_frame = (f == "sum" || f == "count" || f == "min" || f == "max") && unique && chance(40);
      if ((needs_total || rows_frame) && !unique) continue;
      NodeP arg;
      Ty ty = Ty::b;
      double mag = 100;
      if (f == "sum" || f == "min" || f == "max" || f == "lag") {
        // RULE: no min/max of a boolean (PostgreSQL has no min(boolean)).
        arg = column_of(q.from, [&](Ty t) { return f == "sum" ? numeric(t) : f == "lag" ? t != Ty::u : t != Ty::u && t != Ty::t; });
        if (!arg || arg->mixed) continue;
        ty = f == "sum" && arg->ty == Ty::i ? Ty::b : arg->ty;
        mag = f == "sum" ? arg->mag * q.from->rows : arg->mag;
        if (!fits(ty, mag)) continue;
      } else if (f == "count") {
        arg = key();
        if (!arg) continue;
      }
      auto n = node(Op::window, ty, arg ? std::vector<NodeP>{arg} : std::vector<NodeP>{}, f);
      n->mag = f == "count" || f == "row_number" || f == "rank" || f == "dense_rank" ? q.from->rows : mag;
      for (int k = 0, m = pick(2); k < m; ++k)
        if (auto c = key()) n->partition.push_back(c);
      bool ranked = f == "rank" || f == "dense_rank";
      for (int k = 0, m = ranked ? 1 + pick(2) : pick(2); k < m; ++k)
        if (auto c = key()) n->win_order.emplace_back(c, pick(4));
      if (needs_total || rows_frame) n->win_order.emplace_back(col(q.from, *unique), pick(4));
      if (rows_frame) n->flags = 1;
      if (ranked && n->win_order.empty()) continue;  // MariaDB: rank() needs an ORDER BY
      count("window_" + f + (rows_frame ? "_rows" : ""));
      q.cols.push_back(n);
    }
  }
  static bool reads_a_column(const NodeP& n) {
    if (n->op == Op::col || n->agg || n->op == Op::window) return true;
    for (auto& a : n->args)
      if (reads_a_column(a)) return true;
    return false;
  }
  bool all_orderable(const Query& q) {
    for (auto& c : q.cols)
      if (!orderable(c)) return false;
    return true;
  }
  QueryP plain_query(bool top, int depth) {
    auto q = std::make_shared<Query>();
    from_clause(*q, depth, top ? 2 : 1);
    int rows = rows_;
    rows_ = q->rows();
    scopes_.push_back(visible(*q));
    q->cols = outputs(*q, 1 + pick(4), 2, top);
    if (top && chance(30)) add_windows(*q);
    // An IN (SELECT …) or IN list in the WHERE of a query with window functions is generated:
    // MariaDB 10.11 lost or added rows there (`SELECT max(d.s) OVER () FROM (SELECT db.s FROM
    // dc, db) AS d WHERE d.s IN (SELECT da.s FROM da)` gave none) when it merged the derived
    // table; the dialect keeps it unmerged (Capabilities::window_with_semi_join_switch).
    for (int i = 0, n = pick(3); i < n; ++i) q->where.push_back(pred(2)), count("where");
    if (chance(15) && all_orderable(*q)) q->distinct = true, count("distinct");
    if (chance(top ? 35 : 15) && all_orderable(*q)) total_order(*q, 1);
    scopes_.pop_back();
    rows_ = rows;
    return q;
  }
  QueryP grouped_query(bool top, int depth) {
    auto q = std::make_shared<Query>();
    from_clause(*q, depth, top ? 2 : 1);
    int rows = rows_;
    rows_ = q->rows();
    scopes_.push_back(visible(*q));
    for (int i = 0, n = pick(3); i < n; ++i) q->where.push_back(pred(2)), count("where");
    // Group keys: columns or expressions over them (RULE: orderable, no aggregates).
    std::vector<NodeP> keys;
    for (int i = 0, n = pick(3); i < n; ++i) {
      NodeP k = chance(60) ? any_column() : chance(50) ? num(1) : str(1);
      if (!orderable(k) || k->agg) continue;
      keys.push_back(k);
    }
    q->group_by = keys;
    count(keys.empty() ? "aggregate_without_group_by" : "group_by");
    bool g = grouped_;
    auto saved_keys = keys_;
    grouped_ = true, keys_ = keys;
    for (auto& k : keys)
      if (chance(80)) q->cols.push_back(k);
    for (int i = 0, n = 1 + pick(2); i < n; ++i) q->cols.push_back(chance(75) ? num(2) : str(1));
    // RULE: without GROUP BY, an aggregate makes the query one group (SQLite refuses HAVING
    // on a query that has neither, MariaDB accepts it).
    bool any_agg = false;
    for (auto& c : q->cols) any_agg = any_agg || c->agg;
    if (keys.empty() && !any_agg) q->cols.push_back(aggregate_num(1));
    // HAVING without GROUP BY over a join too: MariaDB 10.11 read `max(a1.id)` there as the
    // index's last key when no row joins (`SELECT max(1) FROM da AS a1 JOIN da ON da.f = 1 HAVING
    // -1 <> max(a1.id)` gave a row), which the dialect writes around
    // (Capabilities::having_min_max_of_column).
    if (chance(40)) {
      // RULE: see in_select_list().
      having_ = true, select_list_ = &q->cols;
      q->having.push_back(pred(2)), count("having");
      having_ = false;
    }
    if (top && chance(40) && all_orderable(*q)) total_order(*q, 1);
    grouped_ = g, keys_ = saved_keys;
    scopes_.pop_back();
    rows_ = rows;
    return q;
  }
  static bool has_literal(const NodeP& n) {
    if (n->op == Op::lit) return true;
    if (n->sub && has_literal(*n->sub)) return true;
    for (auto& a : n->args)
      if (has_literal(a)) return true;
    return false;
  }
  static bool has_subquery(const NodeP& n) {
    if (n->sub) return true;
    for (auto& a : n->args)
      if (has_subquery(a)) return true;
    return false;
  }
  static bool has_literal(const Query& q) {
    for (auto* v : {&q.cols, &q.where, &q.group_by, &q.having})
      for (auto& n : *v)
        if (has_literal(n)) return true;
    for (auto& j : q.joins)
      if (has_literal(j.on)) return true;
    return q.limit >= 0 || q.offset >= 0;
  }
  /// UNION / UNION ALL / INTERSECT / EXCEPT of two plain selects whose columns have the same
  /// families (RULE: numbers with numbers, text with text; no Unicode, no division results).
  QueryP compound_query() {
    QueryP a = plain_query(false, 1);
    a->order_by.clear(), a->limit = a->offset = -1;
    if (!all_orderable(*a)) return plain_query(true, 2);
    static const char* ops[] = {"UNION", "UNION ALL", "INTERSECT", "EXCEPT"};
    for (int i = 0, n = 1 + pick(2); i < n; ++i) {
      std::string op = ops[pick(4)];
      a->compound.emplace_back(op, compound_part(*a));
      count("compound_" + op);
    }
    return a;
  }
  /// A select whose columns have the families of `a`'s.
  QueryP compound_part(const Query& a) {
    auto b = std::make_shared<Query>();
    from_clause(*b, 1, 1);
    scopes_.push_back(visible(*b));
    int rows = rows_;
    rows_ = b->rows();
    for (auto& ac : a.cols) {
      Ty t = ac->ty;
      NodeP c;
      if (numeric(t)) c = num(1);
      else if (t == Ty::t) c = pred(1);
      else c = str(1);
      if (!orderable(c)) c = numeric(t) ? int_lit() : t == Ty::t ? comparison(0) : str_lit();
      b->cols.push_back(c);
    }
    if (chance(60)) b->where.push_back(pred(2));
    rows_ = rows;
    scopes_.pop_back();
    return b;
  }

 public:
  /// `a op b` with one set operator (UNION, INTERSECT or EXCEPT: duplicates do not count),
  /// for the nesting oracle: a op (b UNION ALL b) must equal a op b.
  QueryP nesting_case() {
    names_ = 0, table_used_.assign(3, false);
    scopes_.clear();
    QueryP a = plain_query(false, 1);
    a->order_by.clear(), a->limit = a->offset = -1;
    if (!all_orderable(*a)) return nullptr;
    static const char* ops[] = {"UNION", "INTERSECT", "EXCEPT"};
    std::string op = ops[pick(3)];
    a->compound.emplace_back(op, compound_part(*a));
    count("nesting_" + op);
    return a;
  }

 private:
  std::mt19937_64 rng_;
  std::map<std::string, long> stats_;
  std::vector<std::vector<SourceP>> scopes_;  ///< FROM items of the enclosing queries, innermost last
  std::vector<NodeP> keys_;                   ///< GROUP BY keys of the query being generated
  std::vector<bool> table_used_;
  bool grouped_ = false, in_agg_ = false, having_ = false;
  const std::vector<NodeP>* select_list_ = nullptr;  ///< the grouped query's, while its HAVING is generated
  bool in_select_list(const NodeP&) const {
    // RULE: HAVING names no group key at all, only aggregates: MariaDB 10.11 resolves no
    // unselected key there ("Unknown column 'a1.f' in 'HAVING'") and gets selected ones of a
    // self-join wrong (`SELECT a1.id, db.a_id FROM db, db AS a1 GROUP BY a1.id, db.a_id
    // HAVING a1.id <= db.a_id` gives no row instead of 194).
    return false;
  }
  int rows_ = 1;
  int names_ = 0;
};

}  // namespace diff
