// athanor/orm/detail/members.hpp — the model's Mapped members as data: where each is in the
// object and which operations its type has. Reading a row into an object and the Session's
// per-column work (values, change flags) go through these tables instead of code unrolled
// per model and column, which is what made wide models slow to compile.
#pragma once

#include <cstddef>      // std::size_t
#include <cstdint>      // std::int64_t
#include <span>         // std::span
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

/// What read_row is asked for a column read as T (driver::Want): the representation T takes
/// without conversion.
template <class T>
constexpr driver::Want want_of() {
  if constexpr (is_nullable_v<T>) return want_of<typename T::value_type>();
  else if constexpr (std::is_same_v<T, std::string>) return driver::Want::text;
  else if constexpr (std::is_integral_v<T> && !std::is_same_v<T, bool>) return driver::Want::int64;
  else if constexpr (std::is_floating_point_v<T>) return driver::Want::float64;
  else return driver::Want::value;
}
/// Column `i` of the current row as T, from its cell (Statement::read_row). What the cell does
/// not hold (a conversion, another type, a NULL read into a T that cannot hold it) goes through
/// read_column, which converts or throws as the per-column reads always did.
template <class T>
T from_cell(const driver::Cell& c, driver::Statement& st, int i) {
  using Got = driver::Cell::Got;
  if constexpr (is_nullable_v<T>) {
    if (c.got == Got::null) return std::nullopt;
    return T(from_cell<typename T::value_type>(c, st, i));
  } else if constexpr (std::is_same_v<T, std::string>) {
    if (c.got == Got::text) return std::string(c.text, c.size);
  } else if constexpr (std::is_integral_v<T> && !std::is_same_v<T, bool>) {
    if (c.got == Got::int64 && std::in_range<T>(c.i)) return static_cast<T>(c.i);
  } else if constexpr (std::is_floating_point_v<T>) {
    if (c.got == Got::float64) return static_cast<T>(c.d);
  }
  return read_column<T>(st, i);
}
/// Text into a string: copied into its buffer when it fits (short text, or an expired object
/// reloading into the capacity it has), else made at its size (assign() there went through
/// the growth path: ~3x the instructions of the constructor, measured on W6b's titles). The
/// copy is clear() and append(), not assign(): assign() goes through _M_replace, which allows
/// for the text being part of the string itself (never so here: it is the driver's row), ~60
/// instructions a column where append() takes ~20 (a fresh object's short names, W2-W6).
inline void assign_text(std::string& s, const driver::Cell& c) {
  if (c.size <= s.capacity()) s.clear(), s.append(c.text, c.size);
  else s = std::string(c.text, c.size);
}
/// Loads a member from its cell: text straight into the member's string (no temporary passed
/// through load()); other types as from_cell gives them.
template <class T>
void load_cell(Mapped<T>& m, const driver::Cell& c, driver::Statement& st, int i) {
  using Got = driver::Cell::Got;
  if constexpr (std::is_same_v<T, std::string>) {
    if (c.got == Got::text) return assign_text(m.mut(), c), m.set_clean();
  } else if constexpr (std::is_same_v<T, std::optional<std::string>>) {
    if (c.got == Got::text) {
      auto& v = m.mut();
      if (v) assign_text(*v, c);
      else v.emplace(c.text, c.size);
      return m.set_clean();
    }
  }
  m.load(from_cell<T>(c, st, i));
}
/// The cells of one row (or of one model's columns of it), read by one Statement::read_row call.
/// Up to `inline_cells` columns live here; wider models use the heap.
class RowCells {
 public:
  static constexpr std::size_t inline_cells = 24;
  RowCells() = default;
  RowCells(const RowCells&) = delete;
  RowCells& operator=(const RowCells&) = delete;
  /// Reads `want.size()` columns of `st`'s current row from column `first`.
  void read(driver::Statement& st, int first, std::span<const driver::Want> want) {
    if (want.size() > inline_cells && heap_.size() < want.size()) heap_.resize(want.size());
    data_ = want.size() > inline_cells ? heap_.data() : local_;
    st.read_row(first, want, data_);
  }
  /// As read(), the first column's cell (read with want[0]) given: the identity key's, read
  /// before the object was made (Session::load_instance), is not read twice.
  void read_after(driver::Statement& st, int first, std::span<const driver::Want> want, const driver::Cell& first_cell) {
    if (want.size() > inline_cells && heap_.size() < want.size()) heap_.resize(want.size());
    data_ = want.size() > inline_cells ? heap_.data() : local_;
    data_[0] = first_cell;
    if (want.size() > 1) st.read_row(first + 1, want.subspan(1), data_ + 1);
  }
  const driver::Cell& operator[](std::size_t k) const { return data_[k]; }

 private:
  driver::Cell local_[inline_cells];  // not initialised: read_row writes what is read
  std::vector<driver::Cell> heap_;
  driver::Cell* data_ = local_;
};

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
  /// Sets `out` and returns true when the member holds an integer whose Value (get) is that
  /// int64: the identity key of a row's column without a Value made (selectinload, per row).
  bool (*integer)(const void* member, std::int64_t& out);
  /// Loads column `i` of the current row from its cell (not marked modified).
  void (*read)(void* member, const driver::Cell&, driver::Statement&, int i);
  /// What read_row is asked for this member's column.
  driver::Want want;
  /// T as written in C++, for the message of a NULL read into it.
  std::string_view type_name;
};
/// Whether a T's Value is always the int64 of the integer it holds: an integral type (not bool,
/// not char) mapped by column_traits' primary template, which makes that Value.
template <class T>
inline constexpr bool plain_integer_v = std::is_integral_v<T> && !std::is_same_v<T, bool> && !std::is_same_v<T, char> &&
                                        requires { typename column_traits<T>::athanor_primary; };
template <class T>
bool member_integer(const T& v, std::int64_t& out) {
  if constexpr (plain_integer_v<T>) {
    return out = static_cast<std::int64_t>(v), true;
  } else if constexpr (is_nullable_v<T>) {
    return v && member_integer(*v, out);
  } else {
    return false;
  }
}
template <class T>
struct MemberAccess {
  static Mapped<T>& of(void* m) { return *static_cast<Mapped<T>*>(m); }
  static const Mapped<T>& of(const void* m) { return *static_cast<const Mapped<T>*>(m); }
  static constexpr MemberOps ops{
      [](const void* m) { return column_traits<T>::to_value(of(m).get()); },
      [](void* m, const Value& v) { of(m).load(column_traits<T>::from_value(v)); },
      [](void* m, const Value& v) { of(m) = column_traits<T>::from_value(v); },
      [](void* m, const void* from) { of(m) = of(from).get(); },
      [](const void* m, std::int64_t& out) { return member_integer(of(m).get(), out); },
      [](void* m, const driver::Cell& c, driver::Statement& st, int i) { load_cell(of(m), c, st, i); },
      want_of<T>(),
      athanor::detail::type_name<T>(),
  };
  /// The member's changed flag.
  static const bool& flag(const Mapped<T>& m) { return m.modified_; }
};
/// One mapped column of a model: where its member is in the object, and its type's operations.
struct MemberSlot {
  std::size_t offset;
  const MemberOps* ops;
};
/// The address of a member of the object at `object`.
inline void* member_at(void* object, const MemberSlot& s) { return static_cast<char*>(object) + s.offset; }
inline const void* member_at(const void* object, const MemberSlot& s) { return static_cast<const char*>(object) + s.offset; }
/// The changed flag at `offset` (member_flags) in the object at `object`.
inline bool& flag_at(void* object, std::size_t offset) { return *reinterpret_cast<bool*>(static_cast<char*>(object) + offset); }
inline bool flag_at(const void* object, std::size_t offset) { return *reinterpret_cast<const bool*>(static_cast<const char*>(object) + offset); }

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
/// Where each Mapped member's changed flag is in the object, in column order: the Session reads
/// and clears them in place (an autoflush asks every touched object whether a column changed;
/// a call per column through MemberOps was ~130 instructions an object in ORM W6a).
template <class M, template <class...> class L, class... D>
std::vector<std::size_t> make_member_flags(L<D...>) {
  const M probe{};
  const char* base = reinterpret_cast<const char*>(&probe);
  return {static_cast<std::size_t>(reinterpret_cast<const char*>(&MemberAccess<member_value_t<M, D>>::flag(probe.*D::pointer)) - base)...};
}
template <class M>
const std::vector<std::size_t>& member_flags() {
  static const std::vector<std::size_t> flags = make_member_flags<M>(columns_of<M>{});
  return flags;
}
/// A model's member slots and what read_row is asked for each (made once per model).
struct MemberReads {
  const std::vector<MemberSlot>* slots;
  std::vector<driver::Want> want;
};
/// Made once per model, out of the way: member_reads<M>() stays small enough to inline where a
/// typed select reads each row (it cost a call, ~20 instructions a row, before).
[[gnu::cold]] inline MemberReads make_member_reads(const std::vector<MemberSlot>& slots) {
  MemberReads r{&slots, {}};
  for (auto& s : slots) r.want.push_back(s.ops->want);
  return r;
}
template <class M>
const MemberReads& member_reads() {
  static const MemberReads reads = make_member_reads(member_slots<M>());
  return reads;
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

/// Loads a row's cells (read from the columns from `first` on) into the members of `object`. A
/// NULL in a member that is not optional throws the DataError naming the column of `table()`
/// (called only then: the try costs nothing while rows read).
template <class TableOf>
void load_members(const std::vector<MemberSlot>& slots, void* object, const RowCells& cells, driver::Statement& st, int first,
                  TableOf table) {
  std::size_t k = 0;
  try {
    for (; k < slots.size(); ++k) slots[k].ops->read(member_at(object, slots[k]), cells[k], st, first + static_cast<int>(k));
  } catch (const DataError& e) {
    if (is_null_read(e, st, first + static_cast<int>(k))) null_member_error(table(), k, slots[k].ops->type_name);
    throw;
  }
}
/// Reads a whole row (the columns from `first` on) into the members of `object`: one read_row.
/// `first_cell`: column `first`'s cell, already read with reads.want[0] (or null).
template <class TableOf>
void read_members(const MemberReads& reads, void* object, driver::Statement& st, int first, TableOf table,
                  const driver::Cell* first_cell = nullptr) {
  RowCells cells;
  if (first_cell) {
    cells.read_after(st, first, reads.want, *first_cell);
  } else {
    cells.read(st, first, reads.want);
  }
  load_members(*reads.slots, object, cells, st, first, table);
}

}  // namespace athanor::orm::detail
