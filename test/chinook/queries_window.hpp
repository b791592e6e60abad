// test/chinook/queries_window.hpp — the Chinook reports that need window functions (the issue 13
// window part): included by reports.cpp and bench/compile_reports.cpp once
// <athanor/orm/window.hpp> exists.
#pragma once

#include "chinook/queries_a.hpp"

namespace chinook::reports {

// The longest track of each genre (RANK in a subquery, filtered outside; ties kept).
inline auto longest_track_per_genre() {
  auto ranked = orm::select(c<&Track::genre_id>, c<&Track::track_id>,
                            orm::rank().over(orm::partition_by(c<&Track::genre_id>), orm::order_by(c<&Track::milliseconds>.desc())))
                    .subquery<"ranked">();
  return orm::select(ranked.c<0>(), ranked.c<1>()).where(ranked.c<2>() == 1).order_by(ranked.c<1>());
}
inline constexpr const char* longest_track_per_genre_sql = R"(
  SELECT GenreId, TrackId FROM (SELECT GenreId, TrackId, RANK() OVER (PARTITION BY GenreId ORDER BY Milliseconds DESC) AS r
  FROM Track) WHERE r = 1 ORDER BY TrackId)";

// Running total of each customer's invoices, in date order (a framed window sum of money).
inline auto running_total_per_customer() {
  return orm::select(c<&Invoice::customer_id>, c<&Invoice::invoice_id>,
                     orm::sum(c<&Invoice::total>)
                         .over(orm::partition_by(c<&Invoice::customer_id>), orm::order_by(c<&Invoice::invoice_date>, c<&Invoice::invoice_id>),
                               orm::rows_between(orm::unbounded_preceding, orm::current_row)))
      .where(c<&Invoice::customer_id> <= 5)
      .order_by(c<&Invoice::customer_id>, c<&Invoice::invoice_id>);
}
inline constexpr const char* running_total_per_customer_sql = R"(
  SELECT CustomerId, InvoiceId, SUM(Total) OVER (PARTITION BY CustomerId ORDER BY InvoiceDate, InvoiceId
  ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) FROM Invoice WHERE CustomerId <= 5 ORDER BY CustomerId, InvoiceId)";

// Each invoice beside the customer's previous one (LAG).
inline auto invoice_vs_previous() {
  return orm::select(c<&Invoice::invoice_id>, c<&Invoice::total>,
                     orm::lag(c<&Invoice::total>)
                         .over(orm::partition_by(c<&Invoice::customer_id>), orm::order_by(c<&Invoice::invoice_date>, c<&Invoice::invoice_id>)))
      .where(c<&Invoice::customer_id> == 1 || c<&Invoice::customer_id> == 2)
      .order_by(c<&Invoice::invoice_id>);
}
inline constexpr const char* invoice_vs_previous_sql = R"(
  SELECT InvoiceId, Total, LAG(Total) OVER (PARTITION BY CustomerId ORDER BY InvoiceDate, InvoiceId) FROM Invoice
  WHERE CustomerId = 1 OR CustomerId = 2 ORDER BY InvoiceId)";

// Each track's share of its album's length (a window sum over the partition).
inline auto share_of_album() {
  return orm::select(c<&Track::track_id>,
                     c<&Track::milliseconds> * 1.0 / orm::sum(c<&Track::milliseconds>).over(orm::partition_by(c<&Track::album_id>)))
      .where(c<&Track::album_id> <= 3)
      .order_by(c<&Track::track_id>);
}
inline constexpr const char* share_of_album_sql = R"(
  SELECT TrackId, Milliseconds * 1.0 / SUM(Milliseconds) OVER (PARTITION BY AlbumId) FROM Track WHERE AlbumId <= 3 ORDER BY TrackId)";

// Customers numbered within their country by id (ROW_NUMBER), the first two of each.
inline auto first_customers_per_country() {
  auto numbered = orm::select(c<&Customer::customer_id>, orm::row_number().over(orm::partition_by(c<&Customer::country>),
                                                                               orm::order_by(c<&Customer::customer_id>)))
                      .subquery<"numbered">();
  return orm::select(numbered.c<0>(), numbered.c<1>()).where(numbered.c<1>() <= 2).order_by(numbered.c<0>());
}
inline constexpr const char* first_customers_per_country_sql = R"(
  SELECT CustomerId, n FROM (SELECT CustomerId, ROW_NUMBER() OVER (PARTITION BY Country ORDER BY CustomerId) AS n FROM Customer)
  WHERE n <= 2 ORDER BY CustomerId)";


// Year over year: each year's revenue beside the year before (LAG over a grouped subquery).
inline auto revenue_year_over_year() {
  auto per_year = orm::select(orm::year(c<&Invoice::invoice_date>).label<"y">(), orm::sum(c<&Invoice::total>).label<"revenue">())
                      .group_by(orm::year(c<&Invoice::invoice_date>))
                      .subquery<"per_year">();
  return orm::select(per_year.c<0>(), per_year.c<1>(), orm::lag(per_year.c<1>()).over(orm::order_by(per_year.c<0>())))
      .select_from(per_year)
      .order_by(per_year.c<0>());
}
inline constexpr const char* revenue_year_over_year_sql = R"(
  SELECT y, t, LAG(t) OVER (ORDER BY y) FROM (SELECT CAST(strftime('%Y', InvoiceDate) AS INTEGER) AS y, SUM(Total) AS t
  FROM Invoice GROUP BY y) ORDER BY y)";

// Each country's revenue and its share of the whole in percent (a window sum over every row).
inline auto country_share_of_revenue() {
  auto per_country = orm::select(c<&Invoice::billing_country>, orm::sum(c<&Invoice::total>)).group_by(c<&Invoice::billing_country>).subquery<"per_country">();
  return orm::select(per_country.c<0>(), per_country.c<1>(),
                     orm::cast<double>(per_country.c<1>()) * 100.0 / orm::cast<double>(orm::sum(per_country.c<1>()).over()))
      .select_from(per_country);
}
inline constexpr const char* country_share_of_revenue_sql = R"(
  SELECT c, t, t * 100.0 / SUM(t) OVER () FROM (SELECT BillingCountry AS c, SUM(Total) AS t FROM Invoice GROUP BY BillingCountry))";

}  // namespace chinook::reports

#define CHINOOK_REPORTS_WINDOW(X)                                                                                       \
  X(longest_track_per_genre, true) X(running_total_per_customer, true) X(invoice_vs_previous, true)                   \
  X(share_of_album, true) X(first_customers_per_country, true)                                                 \
  X(revenue_year_over_year, true) X(country_share_of_revenue, false)
