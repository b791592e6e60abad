// athanor/orm/detail/members.hpp — the model's Mapped members as data: where each is in the
// object and which operations its type has. Reading a row into an object and the Session's
// per-column work (values, change flags) go through these tables instead of code unrolled
// per model and column, which is what made wide models slow to compile.
#pragma once

#include <cstddef>      // std::size_t
#include <string>       // std::string
#include <string_view>  // std::string_view
#include <utility>      // std::in_range
#include <vector>       // std::vector

#include <athanor/driver/driver.hpp>
#include <athanor/orm/model.hpp>

namespace athanor::orm::detail {

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

/// What the Session does to one `Mapped<T>` member, whatever model it is in: one table per
/// member type T (a handful per program), not per model and column, so a model of 30 columns
/// costs the compiler a list of offsets instead of 30 copies of every operation.
struct MemberOps {
  Value (*get)(const void* member);
  /// Sets the loaded value: not marked modified.
  void (*set)(void* member, const Value&);
  /// Sets as a user change (marked modified when the value differs).
  void (*assign)(void* member, const Value&);
  /// `*member = from->get()`, typed (merge()).
  void (*copy)(void* member, const void* from);
  bool (*modified)(const void* member);
  void (*set_clean)(void* member);
  /// Loads column `i` of the current row (not marked modified).
  void (*read)(void* member, driver::Statement&, int i);
  /// T as written in C++, for the message of a NULL read into it.
  std::string_view type_name;
};
template <class T>
struct MemberAccess {
  static Mapped<T>& of(void* m) { return *static_cast<Mapped<T>*>(m); }
  static const Mapped<T>& of(const void* m) { return *static_cast<const Mapped<T>*>(m); }
  static constexpr MemberOps ops{
      [](const void* m) { return column_traits<T>::to_value(of(m).get()); },
      [](void* m, const Value& v) { of(m).load(column_traits<T>::from_value(v)); },
      [](void* m, const Value& v) { of(m) = column_traits<T>::from_value(v); },
      [](void* m, const void* from) { of(m) = of(from).get(); },
      [](const void* m) { return of(m).modified(); },
      [](void* m) { of(m).set_clean(); },
      [](void* m, driver::Statement& st, int i) { of(m).load(read_column<T>(st, i)); },
      athanor::detail::type_name<T>(),
  };
};
/// One mapped column of a model: where its member is in the object, and its type's operations.
struct MemberSlot {
  std::size_t offset;
  const MemberOps* ops;
};
/// The address of a member of the object at `object`.
inline void* member_at(void* object, const MemberSlot& s) { return static_cast<char*>(object) + s.offset; }
inline const void* member_at(const void* object, const MemberSlot& s) { return static_cast<const char*>(object) + s.offset; }

/// A model's Mapped members, in column order. The offsets are measured on one object (there
/// is no portable constant expression for them), once per model.
template <class M, template <class...> class L, class... D>
std::vector<MemberSlot> make_member_slots(L<D...>) {
  const M probe{};
  const char* base = reinterpret_cast<const char*>(&probe);
  return {MemberSlot{static_cast<std::size_t>(reinterpret_cast<const char*>(&(probe.*D::pointer)) - base),
                     &MemberAccess<member_value_t<M, D>>::ops}...};
}
template <class M>
const std::vector<MemberSlot>& member_slots() {
  static const std::vector<MemberSlot> slots = make_member_slots<M>(columns_of<M>{});
  return slots;
}
/// Whether `e`, thrown while reading column `i`, is the NULL error of from_value: the column
/// is NULL and it was read as a type that cannot hold it.
inline bool is_null_read(const DataError& e, driver::Statement& st, int i) {
  return std::string_view(e.what()).starts_with("[athanor.data.null] ") && i < st.column_count() && st.is_null(i);
}
/// The NULL error of a mapped column: "users.age is NULL; map it as Mapped<std::optional<int>> …".
[[noreturn]] inline void null_member_error(const athanor::detail::TableData& table, std::size_t column, std::string_view type) {
  std::string t(type);
  athanor::detail::null_error(table.name + "." + table.columns[column].name,
                              "map it as Mapped<std::optional<" + t + ">> (or read it as std::optional<" + t + ">)");
}

/// Loads a whole row (the columns from `first` on) into the members of `object`. A NULL in a
/// member that is not optional throws the DataError naming the column of `table()` (called
/// only then: the try costs nothing while rows read).
template <class TableOf>
void read_members(const std::vector<MemberSlot>& slots, void* object, driver::Statement& st, int first, TableOf table) {
  std::size_t k = 0;
  try {
    for (; k < slots.size(); ++k) slots[k].ops->read(member_at(object, slots[k]), st, first + static_cast<int>(k));
  } catch (const DataError& e) {
    if (is_null_read(e, st, first + static_cast<int>(k))) null_member_error(table(), k, slots[k].ops->type_name);
    throw;
  }
}

}  // namespace athanor::orm::detail
