// athanor/orm/insert.hpp — typed INSERT of a model: `insert<User>().values(c<&User::name> = "ann")`,
// many rows `insert<User>().columns<&User::name, &User::visits>().rows(v)`, `from_select<…>(sel)`,
// typed `returning(…)` and upserts. The statement's type names its columns, so its SQL is
// compiled once per type and dialect; each execution only collects the values. It runs on a
// Session (inside its transaction; the identity map is not involved) or on a Connection.
#pragma once

#include <athanor/orm/detail/insert_rows.hpp>

namespace athanor::orm {

/// What a typed INSERT without returning() gives: the rows inserted and, for a one-row insert,
/// the primary key of the row (generated or given).
/// **Example**: `int id = session.execute(insert<User>().values(c<&User::name> = "ann")).inserted_primary_key<int>();`
class InsertResult {
 public:
  /// The result of an execution (the Session and Connection make it).
  InsertResult(std::int64_t rowcount, std::vector<Value> key) : rowcount_(rowcount), key_(std::move(key)) {}
  std::int64_t rowcount() const { return rowcount_; }  ///< The number of rows inserted.
  /// The key of the inserted row as T; ArgumentError when no single key is known (several
  /// rows, from_select, an upsert, a composite key: use returning(c<&M::id>) there).
  template <class T>
  T inserted_primary_key() const {
    if (key_.size() != 1) {
      throw ArgumentError(std::string("[athanor.argument.primary_key] ") +
                          (key_.empty() ? "the key is known after a one-row insert without upsert only"
                                        : "the key has several columns: read inserted_primary_key_values()") +
                          "; use returning(c<&M::id>) to read keys");
    }
    return column_traits<T>::from_value(key_[0]);
  }
  /// Every column of the key (empty when not known).
  const std::vector<Value>& inserted_primary_key_values() const { return key_; }

 private:
  std::int64_t rowcount_;
  std::vector<Value> key_;
};

/// `excluded<&M::a>`: in an upsert's update, the value the INSERT proposed for column a
/// (EXCLUDED.a; VALUES(a) on MySQL/MariaDB).
template <auto Pm>
inline constexpr detail::Excluded<Pm> excluded{};

/// A typed INSERT into model M: `Body` gives the rows, `Conflict` the upsert, `Ret` what
/// RETURNING reads (detail::NoReturning, or typed columns / the model).
template <class M, class Body, class Conflict, class Ret>
class TypedInsert {
  static constexpr bool fresh = std::is_same_v<Body, detail::OneRow<>>;
  static constexpr bool returns_rows = !std::is_same_v<Ret, detail::NoReturning>;

 public:
  static constexpr bool cacheable = Body::cacheable && Conflict::cacheable && Ret::cacheable;  ///< Whether its SQL is the same whatever its values (then compiled once per dialect).
  /// An upsert that updates may change rows a Session holds: it expires them, as update<M>() does.
  static constexpr bool changes_existing_rows = Conflict::updates;

  /// The statement insert<M>() and each method here build.
  TypedInsert(Body body, Conflict conflict, Ret ret) : body_(std::move(body)), conflict_(std::move(conflict)), ret_(std::move(ret)) {}

  /// One row: `values(c<&User::name> = "ann", c<&User::email> = std::nullopt)`. Columns not
  /// named get their client-side default, else the server's (DEFAULT, autoincrement).
  template <class... A>
  auto values(A... a) const {
    static_assert(fresh, "athanor: insert<M>() takes one of values(), columns<…>().rows() or from_select(), once");
    constexpr bool assigns = (detail::is_assignment<A> && ...);
    static_assert(assigns, "athanor: values() takes assignments c<&M::col> = value");
    constexpr bool of_model = assigns && (detail::assigns_column_of<A, M> && ...);
    static_assert(!assigns || of_model, "athanor: values() names a column of another model; insert<M>() writes columns of M only");
    constexpr bool plain = of_model && (detail::assignment_uses_only<A, boost::mp11::mp_list<>> && ...);
    static_assert(!of_model || plain, "athanor: values() takes values and expressions without columns; to insert what a "
                                      "query reads, use from_select<&M::a, …>(select(…))");
    constexpr bool once = plain && detail::distinct_columns<A...>;
    static_assert(!plain || once, "athanor: values() names a column twice");
    if constexpr (fresh && once) return with_body(detail::OneRow<A...>{{{{std::move(a)}...}}});
  }
  /// The columns each row of rows() gives, in order: `columns<&User::name, &User::visits>()`.
  template <auto... Pm>
  auto columns() const {
    static_assert(fresh, "athanor: insert<M>() takes one of values(), columns<…>().rows() or from_select(), once");
    constexpr bool of_model = sizeof...(Pm) > 0 && (std::is_same_v<detail::model_of<Pm>, M> && ...);
    static_assert(of_model, "athanor: columns<&M::a, …>() names one or more columns of M, the model inserted into");
    constexpr bool once = of_model && boost::mp11::mp_is_set<boost::mp11::mp_list<Col<Pm>...>>::value;
    static_assert(!of_model || once, "athanor: columns<…>() names a column twice");
    if constexpr (fresh && once) return with_body(detail::ColumnsOnly<Pm...>{});
  }
  /// Many rows, sent as multi-row VALUES statements (as many rows per statement as the
  /// dialect's placeholders allow, ≤ 1000): a range of std::tuple of the columns' types, or of M.
  /// **Example**: `insert<User>().columns<&User::name, &User::visits>().rows(std::vector<std::tuple<std::string, int>>{…})`
  template <class R>
  auto rows(const R& range) const { return rows_(range, static_cast<Body*>(nullptr)); }
  /// INSERT INTO M (a, …) SELECT …: the select's row type must fit the named columns.
  /// **Example**: `insert<Archive>().from_select<&Archive::name>(select(c<&User::name>).where(…))`
  template <auto... Pm, class S>
  auto from_select(const S& sel) const {
    static_assert(fresh, "athanor: insert<M>() takes one of values(), columns<…>().rows() or from_select(), once");
    constexpr bool of_model = sizeof...(Pm) > 0 && (std::is_same_v<detail::model_of<Pm>, M> && ...);
    static_assert(of_model, "athanor: from_select<&M::a, …>() names one or more columns of M, the model inserted into");
    constexpr bool is_select = of_model && detail::is_typed_select<S>;
    static_assert(!of_model || is_select, "athanor: from_select<…>(s) takes a typed select of columns (select(c<&User::name>, …))");
    if constexpr (is_select) {
      using Row = typename S::result_type;
      constexpr bool width = detail::row_width<Row> == sizeof...(Pm);
      static_assert(width, "athanor: from_select<…>() names as many columns as the select gives, in the same order");
      if constexpr (width) {
        constexpr bool fits = detail::from_select_fits<Row, Pm...>(std::make_index_sequence<sizeof...(Pm)>{});
        if constexpr (fits && fresh) return with_body(detail::FromSelect<S, Pm...>{sel});
      }
    }
  }
  /// RETURNING typed columns of M: execution gives `Rows<std::tuple<their types…>>`.
  template <class... E>
  auto returning(E... e) const {
    constexpr bool ok = sizeof...(E) > 0 && (TypedExpr<E> && ...) && (detail::uses_only<boost::mp11::mp_list<M>, E> && ...);
    static_assert(ok, "athanor: returning() takes columns or expressions over the inserted model (c<&M::id>, …)");
    static_assert(!returns_rows, "athanor: returning() is given once");
    if constexpr (ok) return with_ret(detail::TupleColumns<boost::mp11::mp_list<>, E...>{{{{std::move(e)}...}}});
  }
  /// RETURNING every column: execution gives Rows<M> (plain objects, not in a Session).
  template <class N>
  auto returning() const {
    static_assert(std::is_same_v<N, M>, "athanor: returning<N>() names the inserted model");
    static_assert(!returns_rows, "athanor: returning() is given once");
    return with_ret(detail::EntityColumns<M>{});
  }
  /// ON CONFLICT [(K…)] DO NOTHING (MySQL/MariaDB: a no-op ON DUPLICATE KEY UPDATE).
  template <auto... K>
  auto on_conflict_do_nothing() const { return upsert_<K...>(); }
  /// ON CONFLICT (K…) DO UPDATE SET …: K names the unique columns the conflict is on
  /// (MySQL/MariaDB name none: any unique key conflicts, Capabilities::upsert_conflict_target).
  /// **Example**: `.on_conflict_do_update<&User::name>(c<&User::visits> = c<&User::visits> + excluded<&User::visits>)`
  template <auto... K, class... A>
  auto on_conflict_do_update(A... a) const {
    constexpr bool keys = sizeof...(K) > 0;
    static_assert(keys, "athanor: on_conflict_do_update<&M::key, …>(…) names the unique columns the conflict is on");
    constexpr bool sets = keys && sizeof...(A) > 0 && (detail::assigns_column_of<A, M> && ...);
    static_assert(!keys || sets, "athanor: on_conflict_do_update() takes assignments to columns of M (c<&M::a> = excluded<&M::a>)");
    using From = boost::mp11::mp_list<M, detail::excluded_row<M>>;
    constexpr bool uses = sets && (detail::assignment_uses_only<A, From> && ...);
    static_assert(!sets || uses, "athanor: an upsert's update reads the existing row (c<&M::a>) and the proposed one (excluded<&M::a>) only");
    if constexpr (uses) return upsert_<K...>(std::move(a)...);
  }

  /// The SQL for `d` (for rows(): of one full statement), built anew.
  Compiled compile(const Dialect& d) const {
    if constexpr (detail::is_many_rows<Body>)
      return compile_rows(d, std::min(body_.count, Body::template per_statement<M>(d)));
    else return compile_rows(d, 1);
  }
  std::shared_ptr<const Compiled> compiled(const Dialect& d) const { return detail::compiled_sql(*this, d); }  ///< The SQL for `d`, compiled once per statement type and dialect when cacheable.
  /// The values of one execution (for rows(): of all rows in one statement).
  void collect(detail::Collected& out) const {
    if constexpr (detail::is_many_rows<Body>) collect_rows(out, 0, body_.count);
    else collect_rows(out, 0, 1);
  }

  /// Runs on a connection: InsertResult, or the RETURNING rows.
  auto run(athanor::detail::ConnectionImpl& c) const {
    constexpr bool complete = !detail::is_columns_only<Body>;
    static_assert(complete, "athanor: columns<…>() needs its rows(…) before the insert runs");
    const Dialect& d = *c.engine->dialect;
    std::int64_t count = 0;
    std::vector<Value> key;
    [[maybe_unused]] Rows<typename detail::returning_row<M, Ret>::type> out;
    auto step = [&](const Compiled& sql, std::size_t first, std::size_t n) {
      detail::Collected values;
      collect_rows(values, first, n);
      if constexpr (returns_rows) {
        count += c.execute_typed(sql, values, [&](driver::Statement& st) { out.push_back(ret_.read(st)); });
      } else {
        Value returned;
        bool got = false;
        count += c.execute_typed(sql, values, [&](driver::Statement& st) { got = sql.implicit_returning, returned = st.value(0); });
        if (sql.single_row && !is_upsert() && count == 1) key = detail::inserted_key(c, sql, values, got ? &returned : nullptr);
      }
    };
    if constexpr (detail::is_many_rows<Body>) {
      std::size_t per = Body::template per_statement<M>(d);
      for (std::size_t first = 0; first < body_.count; first += per) {
        std::size_t n = std::min(per, body_.count - first);
        if (n == per) step(*full_statement(d), first, n);
        else step(compile_rows(d, n), first, n);
      }
    } else {
      step(*compiled(d), 0, 1);
    }
    if constexpr (returns_rows) return out;
    else return InsertResult(count, std::move(key));
  }

 private:
  template <class, class, class, class>
  friend class TypedInsert;
  static constexpr bool is_upsert() { return !std::is_same_v<Conflict, detail::OnConflict<false, detail::Keys<>>>; }

  template <class B>
  auto with_body(B b) const { return TypedInsert<M, B, Conflict, Ret>(std::move(b), conflict_, ret_); }
  template <class R>
  auto with_ret(R r) const { return TypedInsert<M, Body, Conflict, R>(body_, conflict_, std::move(r)); }
  template <auto... K, class... A>
  auto upsert_(A... a) const {
    static_assert(!is_upsert(), "athanor: an insert takes one on_conflict_do_…()");
    constexpr bool of_model = (std::is_same_v<detail::model_of<K>, M> && ...);
    static_assert(of_model, "athanor: on_conflict_do_…<&M::key, …>() names columns of M, the model inserted into");
    if constexpr (of_model) {
      using C = detail::OnConflict<true, detail::Keys<K...>, A...>;
      return TypedInsert<M, Body, C, Ret>(body_, C{{{{std::move(a)}...}}}, ret_);
    }
  }
  template <class R, class B>
  auto rows_(const R&, B*) const {
    static_assert(sizeof(B) == 0, "athanor: rows() follows columns<&M::a, &M::b>(), which names what each row gives");
  }
  template <class R, auto... Pm>
  auto rows_(const R& range, detail::ColumnsOnly<Pm...>*) const {
    using Row = std::remove_cvref_t<decltype(*std::begin(range))>;
    constexpr bool fits = detail::row_fits<M, Row, Pm...>;
    static_assert(fits, "athanor: rows() takes a range of std::tuple of the columns<…>() types, in that order (or of M itself)");
    if constexpr (fits) {
      auto values = std::make_shared<std::vector<Value>>();
      std::size_t n = 0;
      for (const auto& row : range) {
        if constexpr (std::is_same_v<Row, M>) {
          (values->push_back(detail::insert_value<detail::value_of<Pm>>((row.*Pm).get())), ...);
        } else {
          detail::push_row<Pm...>(*values, row, std::make_index_sequence<sizeof...(Pm)>{});
        }
        ++n;
      }
      return with_body(detail::ManyRows<Pm...>{std::move(values), n});
    }
  }

  Compiled compile_rows(const Dialect& d, std::size_t n) const {
    detail::Builder b;
    detail::InsertParts p;
    if constexpr (detail::is_many_rows<Body>) body_.template build<M>(p, b, n);
    else body_.template build<M>(p, b), (void)n;
    conflict_.build(p, b);
    if constexpr (detail::is_tuple_columns<Ret>) ret_.cols.apply([&](const auto&... e) { (p.returning.push_back(e.to_core(b)), ...); });
    else if constexpr (returns_rows) p.returning_all = Ret::source();
    return detail::compile_insert(d, table_of<M>(), p);
  }
  void collect_rows(detail::Collected& out, std::size_t first, std::size_t n) const {
    if constexpr (detail::is_many_rows<Body>) body_.template collect<M>(out, first, n);
    else body_.template collect<M>(out), (void)first, (void)n;
    conflict_.collect(out);
    if constexpr (returns_rows) ret_.collect(out);
  }
  /// The SQL of a statement of full size, cached per type and dialect like compiled().
  std::shared_ptr<const Compiled> full_statement(const Dialect& d) const {
    struct Full {};
    auto make = [](const void* p, const Dialect& d) {
      auto& s = *static_cast<const TypedInsert*>(p);
      return s.compile_rows(d, Body::template per_statement<M>(d));
    };
    if constexpr (cacheable) return detail::cached_compile(detail::compile_cache_of<std::pair<TypedInsert, Full>>(), d, make, this);
    else return std::make_shared<const Compiled>(make(this, d));
  }

  Body body_;
  Conflict conflict_;
  Ret ret_;
};

/// `INSERT` into model M.  **Example**: `insert<User>().values(c<&User::name> = "ann", c<&User::visits> = 3)`
template <Model M>
auto insert() {
  return TypedInsert<M, detail::OneRow<>, detail::OnConflict<false, detail::Keys<>>, detail::NoReturning>({}, {}, {});
}
using athanor::insert;

}  // namespace athanor::orm
