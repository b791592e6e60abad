// test/compile_fail/decimal_times_double.cpp — Decimal arithmetic stays exact: no doubles.
#include "models.hpp"
struct Item {
  orm::Mapped<int> id;
  orm::Mapped<athanor::Decimal> price;
  static void configure(orm::Mapper<Item>& m) { m.column<&Item::id>().primary_key(); }
};
ATHANOR_MODEL(Item, "items", id, price)
int main() {
  [[maybe_unused]] auto ok = c<&Item::price> * athanor::Decimal{"1.10"};
#ifdef ATHANOR_COMPILE_FAIL
  [[maybe_unused]] auto bad = c<&Item::price> * 1.1;
#endif
}
