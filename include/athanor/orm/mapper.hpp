// athanor/orm/mapper.hpp — `Mapper<M>`, what a model's static `configure` receives to
// declare column options and table constraints (SQLAlchemy's mapped_column arguments).
#pragma once

#include <athanor/config.hpp>
#include <athanor/dialect/compiler.hpp>
#include <athanor/orm/detail/rel_info.hpp>
#include <athanor/orm/model.hpp>

namespace athanor::orm {

/// Options of one column, chained: `m.column<&User::name>().length(50).unique();`
class ColumnOptions {
 public:
  explicit ColumnOptions(ColumnDef& c) : c_(c) {}
  ColumnOptions& primary_key() { return c_.primary_key = true, c_.nullable = false, *this; }
  ColumnOptions& autoincrement(bool on = true) { return c_.autoincrement = on, *this; }
  /// VARCHAR(n) for a string column.
  ColumnOptions& length(int n) { return c_.type.length = n, *this; }
  ColumnOptions& unique(bool on = true) { return c_.unique = on, *this; }
  ColumnOptions& index(bool on = true) { return c_.index = on, index_set_ = true, *this; }
  ColumnOptions& nullable(bool on = true) { return c_.nullable = on, *this; }
  ColumnOptions& default_(Value v) { return c_.default_value = std::move(v), *this; }
  ColumnOptions& server_default(Expr e) { return c_.server_default = std::move(e), *this; }
  /// A foreign key: `.foreign_key("users.id", {.on_delete = Action::cascade})`.
  ColumnOptions& foreign_key(std::string target, ForeignKey::Options o = {}) {
    return c_.foreign_keys.push_back({std::move(target), std::move(o)}), *this;
  }
  /// Overrides the SQL type (e.g. `Text{}`, `Numeric{12, 2}`, `DateTimeType{true}`).
  ColumnOptions& type(SqlType t) { return c_.type = std::move(t), *this; }
  /// Optimistic concurrency: flush checks and increments this integer column (StaleDataError).
  ColumnOptions& version() { return version_ = true, *this; }
  bool is_version() const { return version_; }
  bool index_set() const { return index_set_; }

 private:
  ColumnDef& c_;
  bool version_ = false;
  bool index_set_ = false;
};

/// Given to a model's `static void configure(Mapper<M>&)`.
template <class M>
class Mapper {
 public:
  Mapper(athanor::detail::TableData& t, std::vector<std::shared_ptr<detail::RelInfo>>& rels) : t_(t), rels_(rels) {}
  /// Options of a relationship member (One<T> / Many<T>).
  template <auto Pm>
  RelationOptions& relationship() {
    static_assert(std::is_same_v<detail::model_of<Pm>, M>, "athanor: configure() names a member of another model");
    std::string_view name = detail::member_name<Pm>();
    for (auto& r : rels_) {
      if (r->name == name) {
        rel_options_.push_back(std::make_unique<RelationOptions>(*r));
        return *rel_options_.back();
      }
    }
    throw ArgumentError("[athanor.argument.model] " + std::string(name) + " is not a One<T>/Many<T> member listed in ATHANOR_MODEL");
  }
  template <auto Pm>
  ColumnOptions& column() {
    static_assert(std::is_same_v<detail::model_of<Pm>, M>, "athanor: configure() names a member of another model");
    auto& c = t_.columns[detail::column_index<Pm>];
    options_.emplace_back(std::make_unique<ColumnOptions>(c));
    index_of_.push_back(detail::column_index<Pm>);
    return *options_.back();
  }
  /// A constraint over several columns, by column name.
  void unique(std::vector<std::string> columns, std::string name = {}) { t_.uniques.push_back({std::move(columns), std::move(name)}); }
  void index(std::string name, std::vector<std::string> columns, bool unique = false) {
    t_.indexes.push_back({std::move(name), std::move(columns), unique});
  }
  void check(std::string sql, std::string name = {}) { t_.checks.push_back({std::move(sql), std::move(name)}); }
  void foreign_key(std::vector<std::string> columns, std::vector<std::string> targets, ForeignKey::Options o = {}) {
    athanor::detail::ResolvedForeignKey r{std::move(columns), {}, {}, std::move(o)};
    for (auto& t : targets) {
      auto dot = t.rfind('.');
      r.ref_table = t.substr(0, dot), r.ref_columns.push_back(t.substr(dot + 1));
    }
    t_.foreign_keys.push_back(std::move(r));
  }
  /// Which columns had index() called on them (true or false).
  std::vector<bool> index_given(std::size_t n) const {
    std::vector<bool> out(n, false);
    for (std::size_t i = 0; i < options_.size(); ++i)
      if (options_[i]->index_set()) out[index_of_[i]] = true;
    return out;
  }
  /// The version column, if one was declared.
  std::optional<std::size_t> version_column() const {
    for (std::size_t i = 0; i < options_.size(); ++i)
      if (options_[i]->is_version()) return index_of_[i];
    return std::nullopt;
  }

 private:
  athanor::detail::TableData& t_;
  std::vector<std::shared_ptr<detail::RelInfo>>& rels_;
  std::vector<std::unique_ptr<RelationOptions>> rel_options_;
  std::vector<std::unique_ptr<ColumnOptions>> options_;
  std::vector<std::size_t> index_of_;
};

template <class M>
concept Configurable = requires(Mapper<M>& m) { M::configure(m); };

namespace detail {

/// What the ORM knows of a model beyond its table.
struct ModelInfo {
  Table table;
  std::vector<std::size_t> primary_key;   ///< column positions
  std::optional<std::size_t> autoincrement;  ///< the generated key column, if any
  std::optional<std::size_t> version;     ///< the version column, if any
  std::vector<std::shared_ptr<RelInfo>> relations;  ///< in member order
  const RelInfo* relation(std::string_view name) const {
    for (auto& r : relations)
      if (r->name == name) return r.get();
    return nullptr;
  }
};
/// Fills the type-dependent parts of a RelInfo (defined with the relationship types).
template <class M, class D>
std::shared_ptr<RelInfo> make_rel_info();

/// The C++ value type of a described Mapped<T> member: T.
template <class M, class D>
using member_value_t = typename std::remove_cvref_t<decltype(std::declval<M&>().*D::pointer)>::value_type;

/// One mapped column as build_model needs it: data, no code per member.
struct ColumnSpec {
  const char* name;
  SqlType (*type)();
  bool nullable;
};
template <class M, template <class...> class L, class... D>
const ColumnSpec* column_specs(L<D...>) {
  static constexpr ColumnSpec specs[] = {
      {D::name, &column_traits<member_value_t<M, D>>::sql_type, is_nullable_v<member_value_t<M, D>>}...};
  return specs;
}
/// The table of a model's columns, before configure().
ATHANOR_DECL std::shared_ptr<athanor::detail::TableData> model_table(std::string_view name, const ColumnSpec* specs, std::size_t n);
/// Completes a model once configure() ran: indexes on foreign keys, the primary key, the generated key.
ATHANOR_DECL ModelInfo finish_model(std::shared_ptr<athanor::detail::TableData> t, std::optional<std::size_t> version,
                                    std::vector<std::shared_ptr<RelInfo>> rels, const std::vector<bool>& index_given);

template <class M>
ModelInfo build_model() {
  using Columns = columns_of<M>;
  auto t = model_table(table_name_of<M>(), column_specs<M>(Columns{}), boost::mp11::mp_size<Columns>::value);
  std::optional<std::size_t> version;
  std::vector<std::shared_ptr<RelInfo>> rels;
  boost::mp11::mp_for_each<relations_of<M>>([&](auto D) { rels.push_back(make_rel_info<M, decltype(D)>()); });
  std::vector<bool> index_given(t->columns.size(), false);
  if constexpr (Configurable<M>) {
    Mapper<M> m(*t, rels);
    M::configure(m);
    version = m.version_column();
    index_given = m.index_given(t->columns.size());
  }
  return finish_model(std::move(t), version, std::move(rels), index_given);
}

#if ATHANOR_DEFINITIONS
ATHANOR_DECL std::shared_ptr<athanor::detail::TableData> model_table(std::string_view name, const ColumnSpec* specs, std::size_t n) {
  auto t = std::make_shared<athanor::detail::TableData>();
  t->name = std::string(name);
  t->columns.reserve(n);
  for (std::size_t i = 0; i < n; ++i) {
    ColumnDef c;
    c.name = specs[i].name, c.type = specs[i].type(), c.nullable = specs[i].nullable;
    t->columns.push_back(std::move(c));
  }
  return t;
}

ATHANOR_DECL ModelInfo finish_model(std::shared_ptr<athanor::detail::TableData> t, std::optional<std::size_t> version,
                                    std::vector<std::shared_ptr<RelInfo>> rels, const std::vector<bool>& index_given) {
  // A foreign key column gets an index unless configure() said otherwise (.index(false)):
  // relationship loads and cascades look rows up by it.
  for (std::size_t i = 0; i < t->columns.size(); ++i)
    if (!t->columns[i].foreign_keys.empty() && !index_given[i]) t->columns[i].index = true;
  Table::finish(*t);
  if (t->primary_key.empty()) {
    throw ArgumentError("[athanor.argument.model] model of table " + t->name +
                        " has no primary key (mark one in configure(): m.column<&M::id>().primary_key())");
  }
  ModelInfo info{Table::from_data(t), {}, {}, version, std::move(rels)};
  for (auto& name : t->primary_key) {
    for (std::size_t i = 0; i < t->columns.size(); ++i)
      if (t->columns[i].name == name) info.primary_key.push_back(i);
  }
  for (std::size_t i = 0; i < t->columns.size(); ++i)
    if (Compiler::is_autoincrement(*t, t->columns[i])) info.autoincrement = i;
  return info;
}
#endif  // ATHANOR_DEFINITIONS

}  // namespace detail

namespace detail {
template <class M>
const ModelInfo& model_info() {
  static const ModelInfo info = build_model<M>();
  return info;
}
}  // namespace detail

template <Model M>
const Table& table_of() { return detail::model_info<M>().table; }

}  // namespace athanor::orm
