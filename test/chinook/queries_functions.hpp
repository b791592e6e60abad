// test/chinook/queries_functions.hpp — the Chinook reports that need typed SQL functions (the
// issue 13 functions part: year/month/extract, round, concat, substr): included by reports.cpp
// and bench/compile_reports.cpp once <athanor/orm/functions.hpp> exists.
#pragma once

#include "chinook/queries_a.hpp"

namespace chinook::reports {

// Monthly revenue of 2024 (month() grouped, year() filtered).
inline auto monthly_revenue_2024() {
  return orm::select(orm::month(c<&Invoice::invoice_date>), orm::count(), orm::sum(c<&Invoice::total>))
      .where(orm::year(c<&Invoice::invoice_date>) == 2024)
      .group_by(orm::month(c<&Invoice::invoice_date>))
      .order_by(orm::month(c<&Invoice::invoice_date>));
}
inline constexpr const char* monthly_revenue_2024_sql = R"(
  SELECT CAST(strftime('%m', InvoiceDate) AS INTEGER) AS m, COUNT(*), SUM(Total) FROM Invoice
  WHERE strftime('%Y', InvoiceDate) = '2024' GROUP BY m ORDER BY m)";

// Revenue per year.
inline auto revenue_per_year() {
  auto y = orm::year(c<&Invoice::invoice_date>).label<"y">();
  return orm::select(y, orm::sum(c<&Invoice::total>), orm::count_distinct(c<&Invoice::customer_id>)).group_by(y).order_by(y);
}
inline constexpr const char* revenue_per_year_sql = R"(
  SELECT CAST(strftime('%Y', InvoiceDate) AS INTEGER) AS y, SUM(Total), COUNT(DISTINCT CustomerId) FROM Invoice GROUP BY y ORDER BY y)";

// Invoices per quarter of 2023 (extract<"quarter">).
inline auto invoices_per_quarter_2023() {
  auto q = orm::extract<"quarter">(c<&Invoice::invoice_date>).label<"q">();
  return orm::select(q, orm::count()).where(orm::year(c<&Invoice::invoice_date>) == 2023).group_by(q).order_by(q);
}
inline constexpr const char* invoices_per_quarter_2023_sql = R"(
  SELECT (CAST(strftime('%m', InvoiceDate) AS INTEGER) + 2) / 3 AS q, COUNT(*) FROM Invoice
  WHERE strftime('%Y', InvoiceDate) = '2023' GROUP BY q ORDER BY q)";

// Customers' "First Last" names (concat).
inline auto customer_display_names() {
  return orm::select(c<&Customer::customer_id>, orm::concat(c<&Customer::first_name>, " ", c<&Customer::last_name>))
      .where(c<&Customer::country> == "Canada")
      .order_by(c<&Customer::customer_id>);
}
inline constexpr const char* customer_display_names_sql = R"(
  SELECT CustomerId, FirstName || ' ' || LastName FROM Customer WHERE Country = 'Canada' ORDER BY CustomerId)";

// Average track length per media type in minutes, rounded to 2 places.
inline auto media_type_minutes() {
  return orm::select(c<&Track::media_type_id>, orm::round(orm::avg(c<&Track::milliseconds>) / 60000.0, 2))
      .group_by(c<&Track::media_type_id>)
      .order_by(c<&Track::media_type_id>);
}
inline constexpr const char* media_type_minutes_sql = R"(
  SELECT MediaTypeId, ROUND(AVG(Milliseconds) / 60000.0, 2) FROM Track GROUP BY MediaTypeId ORDER BY MediaTypeId)";

// Customers per initial of their last name (substr, grouped by its label).
inline auto customers_per_initial() {
  auto initial = orm::substr(c<&Customer::last_name>, 1, 1).label<"initial">();
  return orm::select(initial, orm::count()).group_by(initial);
}
inline constexpr const char* customers_per_initial_sql = R"(
  SELECT substr(LastName, 1, 1) AS initial, COUNT(*) FROM Customer GROUP BY initial)";

}  // namespace chinook::reports

#define CHINOOK_REPORTS_FUNCTIONS(X)                                                                                    \
  X(monthly_revenue_2024, true) X(revenue_per_year, true) X(invoices_per_quarter_2023, true)                         \
  X(customer_display_names, true) X(media_type_minutes, true) X(customers_per_initial, false)
