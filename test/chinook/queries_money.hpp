// test/chinook/queries_money.hpp — the Chinook reports on money and buckets, which need the
// issue 13 expressions part (Decimal sums and arithmetic, case_, labels): included by
// reports.cpp and bench/compile_reports.cpp once <athanor/orm/case.hpp> exists.
#pragma once

#include "chinook/queries_a.hpp"

namespace chinook::reports {

constexpr auto i2 = orm::aliased<Invoice, "i2">;

// Money spent per customer (a Decimal sum; exact on PostgreSQL and MariaDB).
inline auto spent_per_customer() {
  return orm::select(c<&Customer::customer_id>, c<&Customer::last_name>, orm::sum(c<&Invoice::total>))
      .join<Invoice>(c<&Invoice::customer_id> == c<&Customer::customer_id>)
      .group_by(c<&Customer::customer_id>, c<&Customer::last_name>);
}
inline constexpr const char* spent_per_customer_sql = R"(
  SELECT c.CustomerId, c.LastName, SUM(i.Total) FROM Customer c JOIN Invoice i ON i.CustomerId = c.CustomerId
  GROUP BY c.CustomerId, c.LastName)";

// Sales per billing country: invoices, revenue and the average invoice.
inline auto sales_per_country() {
  return orm::select(c<&Invoice::billing_country>, orm::count(), orm::sum(c<&Invoice::total>), orm::avg(c<&Invoice::total>))
      .group_by(c<&Invoice::billing_country>);
}
inline constexpr const char* sales_per_country_sql = R"(
  SELECT BillingCountry, COUNT(*), SUM(Total), AVG(Total) FROM Invoice GROUP BY BillingCountry)";

// Revenue per genre: price times quantity per line (Decimal * int), summed.
inline auto revenue_per_genre() {
  return orm::select(c<&Genre::name>, orm::sum(c<&InvoiceLine::unit_price> * c<&InvoiceLine::quantity>))
      .join<Track>(c<&Track::genre_id> == c<&Genre::genre_id>)
      .join<InvoiceLine>(c<&InvoiceLine::track_id> == c<&Track::track_id>)
      .group_by(c<&Genre::genre_id>, c<&Genre::name>);
}
inline constexpr const char* revenue_per_genre_sql = R"(
  SELECT g.Name, SUM(il.UnitPrice * il.Quantity) FROM Genre g JOIN Track t ON t.GenreId = g.GenreId
  JOIN InvoiceLine il ON il.TrackId = t.TrackId GROUP BY g.GenreId, g.Name)";

// Per customer, the invoices above that customer's average invoice (correlated Decimal average).
inline auto invoices_above_customer_average() {
  auto customer_avg = orm::select(orm::avg(i2.c<&Invoice::total>))
                          .correlate<Invoice>()
                          .where(i2.c<&Invoice::customer_id> == c<&Invoice::customer_id>)
                          .scalar_subquery();
  return orm::select(c<&Invoice::customer_id>, orm::count()).where(c<&Invoice::total> > customer_avg).group_by(c<&Invoice::customer_id>);
}
inline constexpr const char* invoices_above_customer_average_sql = R"(
  SELECT i.CustomerId, COUNT(*) FROM Invoice i WHERE i.Total > (SELECT AVG(i2.Total) FROM Invoice i2 WHERE i2.CustomerId = i.CustomerId)
  GROUP BY i.CustomerId)";

// Tracks per duration bucket (CASE, grouped by its label).
inline auto duration_buckets() {
  auto bucket = orm::case_(orm::when(c<&Track::milliseconds> < 180000, "short"), orm::when(c<&Track::milliseconds> < 300000, "medium"),
                           orm::else_("long"))
                    .label<"bucket">();
  return orm::select(bucket, orm::count(), orm::sum(c<&Track::unit_price>)).group_by(bucket);
}
inline constexpr const char* duration_buckets_sql = R"(
  SELECT CASE WHEN Milliseconds < 180000 THEN 'short' WHEN Milliseconds < 300000 THEN 'medium' ELSE 'long' END AS b,
  COUNT(*), SUM(UnitPrice) FROM Track GROUP BY b)";

// Big spenders: customers whose total is above 45 (HAVING on a Decimal sum).
inline auto big_spenders() {
  return orm::select(c<&Invoice::customer_id>, orm::sum(c<&Invoice::total>))
      .group_by(c<&Invoice::customer_id>)
      .having(orm::sum(c<&Invoice::total>) > Decimal{"45.00"});
}
inline constexpr const char* big_spenders_sql = R"(
  SELECT CustomerId, SUM(Total) FROM Invoice GROUP BY CustomerId HAVING SUM(Total) > 45.00)";

}  // namespace chinook::reports

#define CHINOOK_REPORTS_MONEY(X)                                                                                        \
  X(spent_per_customer, false) X(sales_per_country, false) X(revenue_per_genre, false)                                \
  X(invoices_above_customer_average, false) X(duration_buckets, false) X(big_spenders, false)
