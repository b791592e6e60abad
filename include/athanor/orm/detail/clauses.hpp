// athanor/orm/detail/clauses.hpp — the pieces of a typed SELECT (result columns and
// clauses), each able to add itself to the Core tree and to collect its values, and the
// per-type cache of compiled SQL.
#pragma once

#include <array>  // std::array
#include <mutex>  // std::mutex
#include <utility>  // std::in_range

#include <athanor/dialect/compiler.hpp>
#include <athanor/driver/driver.hpp>
#include <athanor/orm/expr.hpp>  // with alias.hpp

namespace athanor::orm::detail {

/// The compiled SQL of statement type S for dialect `d`, built by `make` on first use.
/// Dialects are process-wide singletons, so a few slots per type suffice.
template <class S, class F>
std::shared_ptr<const Compiled> compile_cache(const Dialect& d, F&& make) {
  static std::mutex mutex;
  static std::array<std::pair<const Dialect*, std::shared_ptr<const Compiled>>, 4> slots;
  std::lock_guard lock(mutex);
  for (auto& [dialect, compiled] : slots) {
    if (dialect == &d) return compiled;
    if (!dialect) {
      dialect = &d, compiled = std::make_shared<const Compiled>(make());
      return compiled;
    }
  }
  return std::make_shared<const Compiled>(make());
}

/// Reads column `i` of the current row as T. Numbers and text go through the driver's typed
/// reads (no Value variant, one string copy); other types through column_traits<T>.
template <class T>
T read_column(driver::Statement& st, int i) {
  if constexpr (is_nullable_v<T>) {
    if (st.is_null(i)) return std::nullopt;
    return T(read_column<typename T::value_type>(st, i));
  } else if constexpr (std::is_same_v<T, std::string>) {
    return st.get_text(i);  // NULL throws the DataError of from_value
  } else if constexpr (std::is_integral_v<T> && !std::is_same_v<T, bool>) {
    std::int64_t v = st.get_int64(i);
    if (std::in_range<T>(v)) return static_cast<T>(v);
    return column_traits<T>::from_value(Value(v));  // throws the range DataError
  } else if constexpr (std::is_floating_point_v<T>) {
    return static_cast<T>(st.get_double(i));
  } else {
    return column_traits<T>::from_value(st.value(i));
  }
}

/// Whole objects of model M, read from `Src` (M itself or an alias of it).
template <class M, class Src = M>
struct EntityColumns {
  static constexpr bool cacheable = true;
  athanor::Select to_core(Builder&) const { return athanor::select(from_of<Src>()); }
  void collect(Collected&) const {}
  /// The FROM item the objects come from (joinedload joins onto it).
  static const FromClause& source() { return from_of<Src>(); }
  M read(driver::Statement& st) const {
    M obj{};
    int i = 0;
    boost::mp11::mp_for_each<columns_of<M>>([&](auto D) {
      using T = typename std::remove_cvref_t<decltype(obj.*D.pointer)>::value_type;
      (obj.*D.pointer).load(read_column<T>(st, i++));
    });
    return obj;
  }
};

template <class... E>
struct TupleColumns {
  static constexpr bool cacheable = (E::cacheable && ...);
  std::tuple<E...> cols;
  athanor::Select to_core(Builder& b) const {
    return std::apply([&](const auto&... e) { return athanor::select(std::vector<Expr>{e.to_core(b)...}); }, cols);
  }
  void collect(Collected& out) const {
    std::apply([&](const auto&... e) { (e.collect(out), ...); }, cols);
  }
  std::tuple<typename E::value_type...> read(driver::Statement& st) const {
    return read_<typename E::value_type...>(st, std::index_sequence_for<E...>{});
  }

 private:
  template <class... T, std::size_t... I>
  static std::tuple<T...> read_(driver::Statement& st, std::index_sequence<I...>) {
    return std::tuple<T...>(read_column<T>(st, static_cast<int>(I))...);
  }
};

template <class E>
struct Where {
  static constexpr bool cacheable = E::cacheable;
  E e;
  athanor::Select apply(const athanor::Select& s, Builder& b) const { return s.where(e.to_core(b)); }
  void collect(Collected& out) const { e.collect(out); }
};
template <class E>
struct Having {
  static constexpr bool cacheable = E::cacheable;
  E e;
  athanor::Select apply(const athanor::Select& s, Builder& b) const { return s.having(e.to_core(b)); }
  void collect(Collected& out) const { e.collect(out); }
};
struct order_tag {};
struct group_tag {};
template <class Tag, class... E>
struct List {
  static constexpr bool cacheable = (E::cacheable && ...);
  std::tuple<E...> e;
  athanor::Select apply(const athanor::Select& s, Builder& b) const {
    return std::apply(
        [&](const auto&... x) {
          if constexpr (std::is_same_v<Tag, order_tag>) return s.order_by(x.to_core(b)...);
          else return s.group_by(x.to_core(b)...);
        },
        e);
  }
  void collect(Collected& out) const {
    std::apply([&](const auto&... x) { (x.collect(out), ...); }, e);
  }
};
template <bool Offset>
struct Limit {
  static constexpr bool cacheable = true;
  Val<std::int64_t> n;
  athanor::Select apply(const athanor::Select& s, Builder& b) const { return Offset ? s.offset(n.to_core(b)) : s.limit(n.to_core(b)); }
  void collect(Collected& out) const { n.collect(out); }
};
struct Distinct {
  static constexpr bool cacheable = true;
  athanor::Select apply(const athanor::Select& s, Builder&) const { return s.distinct(); }
  void collect(Collected&) const {}
};
struct ForUpdate {
  static constexpr bool cacheable = true;
  athanor::Select apply(const athanor::Select& s, Builder&) const { return s.with_for_update(); }
  void collect(Collected&) const {}
};
/// JOIN of a FROM item: `Src` is a StaticSource (model, alias) or a Subquery.
template <class Src, class On, int Flags>
struct Join {
  static constexpr bool cacheable = On::cacheable;
  Src src;
  On on;
  athanor::Select apply(const athanor::Select& s, Builder& b) const {
    auto f = src.from(b);
    return Flags ? s.outerjoin(f, on.to_core(b)) : s.join(f, on.to_core(b));
  }
  void collect(Collected& out) const { src.collect(out), on.collect(out); }
};
template <class Src>
struct SelectFrom {
  static constexpr bool cacheable = true;
  Src src;
  athanor::Select apply(const athanor::Select& s, Builder& b) const { return s.select_from(src.from(b)); }
  void collect(Collected& out) const { src.collect(out); }
};
/// `correlate<M…>()`: a subquery may name models of the statement around it (their FROM
/// items stay outside); nothing to add to the SQL, the compiler correlates them.
template <class... M>
struct Correlate {
  static constexpr bool cacheable = true;
  athanor::Select apply(const athanor::Select& s, Builder&) const { return s; }
  void collect(Collected&) const {}
};

}  // namespace athanor::orm::detail
