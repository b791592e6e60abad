// test/compile_fail/decimal_compare_string.cpp — a Decimal compares with Decimals and integers.
#include "models.hpp"
struct Item {
  orm::Mapped<int> id;
  orm::Mapped<athanor::Decimal> price;
  static void configure(orm::Mapper<Item>& m) { m.column<&Item::id>().primary_key(); }
};
ATHANOR_MODEL(Item, "items", id, price)
int main() {
  [[maybe_unused]] auto ok = c<&Item::price> > 2 && c<&Item::price> < athanor::Decimal{"9.99"};
#ifdef ATHANOR_COMPILE_FAIL
  [[maybe_unused]] auto bad = c<&Item::price> == std::string("9.99");
#endif
}
