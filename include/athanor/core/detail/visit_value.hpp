// athanor/core/detail/visit_value.hpp — `visit_value(f, value)`: f called with the alternative a
// Value holds, as `std::visit(f, value.variant())`, but through a switch on the index.
//
// Why not std::visit (issue 17): libstdc++ dispatches through a table of function pointers, one
// out-of-line function per alternative and call site (12 for a Value), which the optimiser can
// neither inline nor merge; header-only, every file that creates an Engine compiled 60 of them
// for the drivers' bind code alone. A switch keeps each alternative's code in its caller.
#pragma once

#include <cstddef>  // std::size_t
#include <variant>  // std::bad_variant_access, std::get_if, std::variant_size_v

#include <athanor/core/value.hpp>

namespace athanor::detail {

template <std::size_t I, class F>
decltype(auto) visit_alternative(F& f, const Value::Variant& v) {
  return f(*std::get_if<I>(&v));
}

/// f(x) for the alternative x the Value holds; f takes each alternative (a generic lambda).
template <class F>
decltype(auto) visit_value(F&& f, const Value& value) {
  static_assert(std::variant_size_v<Value::Variant> == 12, "one case per alternative of Value::Variant");
  const Value::Variant& v = value.variant();
  switch (v.index()) {
    case 0: return visit_alternative<0>(f, v);  // NULL
    case 1: return visit_alternative<1>(f, v);
    case 2: return visit_alternative<2>(f, v);
    case 3: return visit_alternative<3>(f, v);
    case 4: return visit_alternative<4>(f, v);
    case 5: return visit_alternative<5>(f, v);
    case 6: return visit_alternative<6>(f, v);
    case 7: return visit_alternative<7>(f, v);
    case 8: return visit_alternative<8>(f, v);
    case 9: return visit_alternative<9>(f, v);
    case 10: return visit_alternative<10>(f, v);
    case 11: return visit_alternative<11>(f, v);
    default: throw std::bad_variant_access();  // valueless (an assignment threw), as std::visit
  }
}

}  // namespace athanor::detail
