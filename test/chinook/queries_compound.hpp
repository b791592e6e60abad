// test/chinook/queries_compound.hpp — the Chinook reports that need typed compounds and CTEs (the
// issue 13 compound part): included by reports.cpp and bench/compile_reports.cpp once
// <athanor/orm/compound.hpp> exists.
#pragma once

#include "chinook/queries_a.hpp"

namespace chinook::reports {

// The cities of customers and employees, tagged with who lives there (UNION of literals).
inline auto cities_of_people() {
  return orm::union_(orm::select(c<&Customer::city>, orm::literal("customer")), orm::select(c<&Employee::city>, orm::literal("employee")));
}
inline constexpr const char* cities_of_people_sql = R"(
  SELECT City, 'customer' FROM Customer UNION SELECT City, 'employee' FROM Employee)";

// Countries where the store has both customers and employees (INTERSECT).
inline auto countries_with_staff() { return orm::select(c<&Customer::country>).intersect(orm::select(c<&Employee::country>)); }
inline constexpr const char* countries_with_staff_sql = R"(
  SELECT Country FROM Customer INTERSECT SELECT Country FROM Employee)";

// Customer cities where no employee lives (EXCEPT).
inline auto cities_without_staff() { return orm::select(c<&Customer::city>).except_(orm::select(c<&Employee::city>)); }
inline constexpr const char* cities_without_staff_sql = R"(
  SELECT City FROM Customer EXCEPT SELECT City FROM Employee)";

// The management chain: every employee with their depth below the general manager (recursive CTE).
inline auto management_chain() {
  auto anchor = orm::select(c<&Employee::employee_id>, c<&Employee::last_name>, orm::Val<std::int64_t>(0)).where(c<&Employee::reports_to>.is_null());
  auto t = anchor.cte<"chain">(orm::recursive);
  auto chain = t.union_all(orm::select(c<&Employee::employee_id>, c<&Employee::last_name>, t.c<2>() + 1).join(t, c<&Employee::reports_to> == t.c<0>()));
  return orm::select(chain.c<0>(), chain.c<1>(), chain.c<2>()).select_from(chain).order_by(chain.c<0>());
}
inline constexpr const char* management_chain_sql = R"(
  WITH RECURSIVE chain(id, name, depth) AS (SELECT EmployeeId, LastName, 0 FROM Employee WHERE ReportsTo IS NULL
  UNION ALL SELECT e.EmployeeId, e.LastName, chain.depth + 1 FROM Employee e JOIN chain ON e.ReportsTo = chain.id)
  SELECT id, name, depth FROM chain ORDER BY id)";

// The best customer's total per country (a CTE of per-customer totals, joined and grouped).
inline auto best_customer_total_per_country() {
  auto totals = orm::select(c<&Invoice::customer_id>, orm::sum(c<&Invoice::total>)).group_by(c<&Invoice::customer_id>).cte<"totals">();
  return orm::select(c<&Customer::country>, orm::max(totals.c<1>()))
      .join(totals, totals.c<0>() == c<&Customer::customer_id>)
      .group_by(c<&Customer::country>);
}
inline constexpr const char* best_customer_total_per_country_sql = R"(
  WITH totals AS (SELECT CustomerId, SUM(Total) AS t FROM Invoice GROUP BY CustomerId)
  SELECT c.Country, MAX(totals.t) FROM Customer c JOIN totals ON totals.CustomerId = c.CustomerId GROUP BY c.Country)";

}  // namespace chinook::reports

#define CHINOOK_REPORTS_COMPOUND(X)                                                                                     \
  X(cities_of_people, false) X(countries_with_staff, false) X(cities_without_staff, false) X(management_chain, true)  \
  X(best_customer_total_per_country, false)
