// athanor/core/detail/param_ref.hpp — `ParamRef`, one `{"name", value}` of the braced list
// `Connection::execute(stmt, {{"name", u.name}, {"age", u.age}})` takes: the engine reads it
// during the call. Only the engine layer uses it; users write the braced list, never the type.
#pragma once

#include <optional>     // std::optional
#include <string>       // std::string
#include <string_view>  // std::string_view
#include <type_traits>  // std::is_constructible_v

#include <athanor/core/value.hpp>

namespace athanor::detail {

/// A named parameter's value for one execution, read while the call runs. Why not a Params
/// entry: building a `std::vector<std::pair<std::string, Value>>` from the braced list copied
/// each name and each value twice (into the list, then into the vector) and allocated the
/// vector and every long text, ~700 instructions a row of a one-row INSERT on SQLite (issue
/// 14). Here a name and a text are views of the caller's objects, which outlive the call (a
/// temporary in the list lives until the end of the full-expression holding the call); other
/// values are held as the Value a Params entry would hold.
struct ParamRef {
  std::string_view name;
  std::string_view text;  ///< the value, when `is_text`
  bool is_text = false;
  Value value;  ///< the value otherwise

  ParamRef(std::string_view n, const std::string& v) : name(n), text(v), is_text(true) {}
  ParamRef(std::string_view n, std::string_view v) : name(n), text(v), is_text(true) {}
  ParamRef(std::string_view n, const char* v) : name(n), text(v), is_text(true) {}
  ParamRef(std::string_view n, const std::optional<std::string>& v) : name(n) {
    if (v) text = *v, is_text = true;
  }
  /// Any other value a Params entry takes (a number, a date, null, a Value…).
  template <class T>
    requires std::is_constructible_v<Value, const T&>
  ParamRef(std::string_view n, const T& v) : name(n), value(v) {}

  /// Sets `out` to this value: a text is copied into the string `out` holds already, or into
  /// `spare`'s buffer, with no allocation when it fits; a string `out` gives up for another value
  /// is kept in `spare` (a parameter bound NULL and a text in turn, as W1's emails, reuses one
  /// buffer instead of a malloc and a free every other row). By clear() and append(), not
  /// assign(), which goes through _M_replace to allow for a text inside the string itself (never
  /// so: the text is the caller's), ~25 instructions more a text.
  void assign_to(Value& out, std::string& spare) const {
    auto* s = std::get_if<std::string>(&out.variant());
    if (!is_text) {
      if (s && s->capacity() > spare.capacity()) spare.swap(*s);
      out = value;
      return;
    }
    if (!s) s = &out.variant().emplace<std::string>(std::move(spare));
    s->clear(), s->append(text.data(), text.size());
  }
};

}  // namespace athanor::detail
