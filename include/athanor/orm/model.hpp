// athanor/orm/model.hpp — declaring a model: `ATHANOR_MODEL(User, "users", id, name, …)`
// describes the struct (Boost.Describe) and names its table; an optional static
// `configure(Mapper<User>&)` declares column options once per class, never per object.
#pragma once

#include <boost/describe/class.hpp>
#include <boost/describe/descriptor_by_pointer.hpp>
#include <boost/describe/members.hpp>
#include <boost/mp11/algorithm.hpp>

#include <memory>       // std::shared_ptr
#include <string_view>  // std::string_view

#include <athanor/core/table.hpp>
#include <athanor/orm/column_traits.hpp>
#include <athanor/orm/mapped.hpp>

/// Declares a model: the struct, its table name and its members (Mapped columns and
/// relationships). Place it after the struct, in the struct's own namespace (the
/// description is found by argument-dependent lookup).
/// **Example**: `ATHANOR_MODEL(User, "users", id, name, email)`
#define ATHANOR_MODEL(Type, table, ...)                   \
  BOOST_DESCRIBE_STRUCT(Type, (), (__VA_ARGS__))          \
  [[maybe_unused]] inline constexpr std::string_view athanor_table_name(const Type*) { return table; }

namespace athanor::orm {

template <class M>
class Mapper;

/// A struct declared with ATHANOR_MODEL.
template <class M>
concept Model = boost::describe::has_describe_members<M>::value && requires(const M* m) {
  { athanor_table_name(m) } -> std::convertible_to<std::string_view>;
};

namespace detail {

template <class M>
struct member_kind {
  template <class D>
  using fn = is_mapped<std::remove_cvref_t<decltype(std::declval<M&>().*D::pointer)>>;
};

/// The descriptors of a model's Mapped members, in declaration order.
template <class M>
using columns_of = boost::mp11::mp_copy_if_q<boost::describe::describe_members<M, boost::describe::mod_public>, member_kind<M>>;

template <class T>
struct is_relation_member : std::false_type {};
template <class M>
struct relation_kind {
  template <class D>
  using fn = is_relation_member<std::remove_cvref_t<decltype(std::declval<M&>().*D::pointer)>>;
};
/// The descriptors of a model's relationship members (One<T>, Many<T>).
template <class M>
using relations_of = boost::mp11::mp_copy_if_q<boost::describe::describe_members<M, boost::describe::mod_public>, relation_kind<M>>;

template <auto Pm>
struct member_pointer_traits;
template <class M, class T, T M::*Pm>
struct member_pointer_traits<Pm> {
  using model = M;
  using member = T;
};

/// The model of a member pointer and the C++ value type of its column.
template <auto Pm>
using model_of = typename member_pointer_traits<Pm>::model;
template <auto Pm>
using value_of = typename member_pointer_traits<Pm>::member::value_type;
template <auto Pm>
using member_of = typename member_pointer_traits<Pm>::member;

/// The position of a Mapped member among the model's columns.
template <auto Pm>
inline constexpr std::size_t column_index =
    boost::mp11::mp_find_if_q<columns_of<model_of<Pm>>, boost::describe::detail::match_by_pointer<Pm>>::value;

template <auto Pm>
constexpr const char* column_name() {
  using L = columns_of<model_of<Pm>>;
  static_assert(column_index<Pm> < boost::mp11::mp_size<L>::value,
                "athanor: this member is not a described Mapped<T> column of its model (add it to ATHANOR_MODEL)");
  return boost::mp11::mp_at_c<L, column_index<Pm>>::name;
}

/// The name of any described member.
template <auto Pm>
constexpr const char* member_name() {
  using L = boost::describe::describe_members<typename member_pointer_traits<Pm>::model, boost::describe::mod_public>;
  constexpr auto i = boost::mp11::mp_find_if_q<L, boost::describe::detail::match_by_pointer<Pm>>::value;
  static_assert(i < boost::mp11::mp_size<L>::value, "athanor: this member is not listed in ATHANOR_MODEL");
  return boost::mp11::mp_at_c<L, i>::name;
}

struct ModelInfo;
template <class M>
ModelInfo build_model();

/// Built once per model, from the description and `configure`.
template <class M>
const ModelInfo& model_info();

}  // namespace detail

/// The Table (Core) of a model.
template <Model M>
const Table& table_of();

/// The table name of a model.
template <Model M>
std::string_view table_name_of() { return athanor_table_name(static_cast<const M*>(nullptr)); }

}  // namespace athanor::orm

#include <athanor/orm/mapper.hpp>
