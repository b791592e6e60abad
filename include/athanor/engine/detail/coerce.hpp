// athanor/engine/detail/coerce.hpp — gives a Core row value the C++ form of its column's
// SQL type when the backend sent another (SQLite sends a Date as text, a Boolean as 0/1),
// so `row[i]` holds the same alternative on every backend.
#pragma once

#include <athanor/core/detail/convert.hpp>
#include <athanor/core/types.hpp>

namespace athanor::detail {

inline void coerce(Value& v, const SqlType& t) {
  auto* s = std::get_if<std::string>(&v.variant());
  auto* i = std::get_if<std::int64_t>(&v.variant());
  switch (t.kind) {
    case TypeKind::boolean:
      if (i) v = Value(*i != 0);
      break;
    case TypeKind::date:
      if (s) {
        if (auto d = parse_date(*s)) v = Value(*d);
      }
      break;
    case TypeKind::datetime:
      if (s) {
        if (auto d = parse_datetime(*s)) v = Value(*d);
      }
      break;
    case TypeKind::time:
      if (s) {
        if (auto d = parse_time(*s)) v = Value(*d);
      }
      break;
    case TypeKind::json:
      if (s) v = Value(Json{std::move(*s)});
      break;
    case TypeKind::uuid:
      if (s && (s->size() == 36 || s->size() == 32)) v = Value(Uuid::parse(*s));
      break;
    case TypeKind::numeric:
      if (s || i || v.holds<double>()) v = Value(Decimal{value_to_text(v)});
      break;
    default: break;
  }
}

}  // namespace athanor::detail
