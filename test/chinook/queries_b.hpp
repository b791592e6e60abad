// test/chinook/queries_b.hpp — the Chinook reporting corpus, second part (see queries_a.hpp):
// paging, arithmetic, IN lists, NOT IN, and the reports that use the issue 13 additions
// (window functions, compounds and CTEs, functions, CASE/CAST/labels, Decimal sums).
#pragma once

#include "chinook/queries_a.hpp"

namespace chinook::reports {

// The third page of ten of the longest tracks (LIMIT/OFFSET).
inline auto longest_tracks_page_3() {
  return orm::select(c<&Track::track_id>, c<&Track::milliseconds>)
      .order_by(c<&Track::milliseconds>.desc(), c<&Track::track_id>)
      .limit(10)
      .offset(20);
}
inline constexpr const char* longest_tracks_page_3_sql = R"(
  SELECT TrackId, Milliseconds FROM Track ORDER BY Milliseconds DESC, TrackId LIMIT 10 OFFSET 20)";

// Track lengths in whole seconds and the leftover milliseconds (integer / and %).
inline auto track_seconds() {
  return orm::select(c<&Track::track_id>, c<&Track::milliseconds> / 1000, c<&Track::milliseconds> % 1000)
      .where(c<&Track::album_id> == 1)
      .order_by(c<&Track::track_id>);
}
inline constexpr const char* track_seconds_sql = R"(
  SELECT TrackId, Milliseconds / 1000, Milliseconds % 1000 FROM Track WHERE AlbumId = 1 ORDER BY TrackId)";

// Tracks of three to four minutes in a few genres (BETWEEN, IN list).
inline auto radio_length_tracks() {
  return orm::select(c<&Genre::name>, orm::count())
      .join<Track>(c<&Track::genre_id> == c<&Genre::genre_id>)
      .where(c<&Track::milliseconds>.between(180000, 240000) &&
             c<&Genre::name>.in_(std::vector<std::string>{"Rock", "Jazz", "Blues", "Latin"}))
      .group_by(c<&Genre::genre_id>, c<&Genre::name>);
}
inline constexpr const char* radio_length_tracks_sql = R"(
  SELECT g.Name, COUNT(*) FROM Genre g JOIN Track t ON t.GenreId = g.GenreId
  WHERE t.Milliseconds BETWEEN 180000 AND 240000 AND g.Name IN ('Rock', 'Jazz', 'Blues', 'Latin') GROUP BY g.GenreId, g.Name)";

// Customers who never bought Jazz (NOT IN a subquery).
inline auto customers_without_jazz() {
  return orm::select(c<&Customer::customer_id>, c<&Customer::country>)
      .where(c<&Customer::customer_id>.not_in(orm::select(c<&Invoice::customer_id>)
                                                  .join<InvoiceLine>(c<&InvoiceLine::invoice_id> == c<&Invoice::invoice_id>)
                                                  .join<Track>(c<&Track::track_id> == c<&InvoiceLine::track_id>)
                                                  .where(c<&Track::genre_id> == 2)))
      .order_by(c<&Customer::customer_id>);
}
inline constexpr const char* customers_without_jazz_sql = R"(
  SELECT CustomerId, Country FROM Customer WHERE CustomerId NOT IN (SELECT i.CustomerId FROM Invoice i
  JOIN InvoiceLine il ON il.InvoiceId = i.InvoiceId JOIN Track t ON t.TrackId = il.TrackId WHERE t.GenreId = 2) ORDER BY CustomerId)";

// Storage per album: total and average bytes (large sums).
inline auto album_storage() {
  return orm::select(c<&Track::album_id>, orm::sum(c<&Track::bytes>), orm::avg(c<&Track::bytes>))
      .group_by(c<&Track::album_id>)
      .order_by(orm::sum(c<&Track::bytes>).desc(), c<&Track::album_id>)
      .limit(5);
}
inline constexpr const char* album_storage_sql = R"(
  SELECT AlbumId, SUM(Bytes), AVG(Bytes) FROM Track GROUP BY AlbumId ORDER BY 2 DESC, AlbumId LIMIT 5)";

// Distinct (country, support rep) pairs.
inline auto rep_countries() {
  return orm::select(c<&Customer::country>, c<&Customer::support_rep_id>).distinct();
}
inline constexpr const char* rep_countries_sql = R"(
  SELECT DISTINCT Country, SupportRepId FROM Customer)";

// Tracks sold per album for one artist's albums, albums with no sale included (outer joins).
inline auto album_sales_with_zero() {
  return orm::select(c<&Album::album_id>, orm::count(c<&InvoiceLine::invoice_line_id>))
      .outerjoin<Track>(c<&Track::album_id> == c<&Album::album_id>)
      .outerjoin<InvoiceLine>(c<&InvoiceLine::track_id> == c<&Track::track_id>)
      .where(c<&Album::artist_id> == 90)
      .group_by(c<&Album::album_id>)
      .order_by(c<&Album::album_id>);
}
inline constexpr const char* album_sales_with_zero_sql = R"(
  SELECT al.AlbumId, COUNT(il.InvoiceLineId) FROM Album al LEFT JOIN Track t ON t.AlbumId = al.AlbumId
  LEFT JOIN InvoiceLine il ON il.TrackId = t.TrackId WHERE al.ArtistId = 90 GROUP BY al.AlbumId ORDER BY al.AlbumId)";

// Each customer's number of invoices next to the average over customers (scalar subquery in the
// select list over a subquery in FROM).
inline auto invoices_vs_average() {
  auto per_customer = orm::select(c<&Invoice::customer_id>, orm::count()).group_by(c<&Invoice::customer_id>).subquery<"per_customer">();
  return orm::select(c<&Customer::customer_id>, per_customer.c<1>(), orm::select(orm::avg(per_customer.c<1>())).scalar_subquery())
      .join(per_customer, per_customer.c<0>() == c<&Customer::customer_id>)
      .where(c<&Customer::country> == "Canada")
      .order_by(c<&Customer::customer_id>);
}
inline constexpr const char* invoices_vs_average_sql = R"(
  SELECT c.CustomerId, pc.n, (SELECT AVG(n) FROM (SELECT COUNT(*) AS n FROM Invoice GROUP BY CustomerId))
  FROM Customer c JOIN (SELECT CustomerId, COUNT(*) AS n FROM Invoice GROUP BY CustomerId) pc ON pc.CustomerId = c.CustomerId
  WHERE c.Country = 'Canada' ORDER BY c.CustomerId)";


// Full names, "Last, First" (text concatenation with +).
inline auto customer_full_names() {
  return orm::select(c<&Customer::customer_id>, c<&Customer::last_name> + ", " + c<&Customer::first_name>)
      .where(c<&Customer::country> == "Brazil")
      .order_by(c<&Customer::customer_id>);
}
inline constexpr const char* customer_full_names_sql = R"(
  SELECT CustomerId, LastName || ', ' || FirstName FROM Customer WHERE Country = 'Brazil' ORDER BY CustomerId)";

// Hours of music per genre and the longest track in minutes (int / double arithmetic, sum of doubles).
inline auto genre_hours() {
  return orm::select(c<&Genre::name>, orm::sum(c<&Track::milliseconds> / 3600000.0), orm::max(c<&Track::milliseconds> / 60000.0))
      .join<Track>(c<&Track::genre_id> == c<&Genre::genre_id>)
      .group_by(c<&Genre::genre_id>, c<&Genre::name>);
}
inline constexpr const char* genre_hours_sql = R"(
  SELECT g.Name, SUM(t.Milliseconds / 3600000.0), MAX(t.Milliseconds / 60000.0) FROM Genre g JOIN Track t ON t.GenreId = g.GenreId
  GROUP BY g.GenreId, g.Name)";

// Cheapest and dearest track per genre (min/max of money).
inline auto genre_price_range() {
  return orm::select(c<&Genre::name>, orm::min(c<&Track::unit_price>), orm::max(c<&Track::unit_price>))
      .join<Track>(c<&Track::genre_id> == c<&Genre::genre_id>)
      .group_by(c<&Genre::genre_id>, c<&Genre::name>);
}
inline constexpr const char* genre_price_range_sql = R"(
  SELECT g.Name, MIN(t.UnitPrice), MAX(t.UnitPrice) FROM Genre g JOIN Track t ON t.GenreId = g.GenreId GROUP BY g.GenreId, g.Name)";

// Days with more than one invoice (grouped by a DateTime).
inline auto busy_days() {
  return orm::select(c<&Invoice::invoice_date>, orm::count()).group_by(c<&Invoice::invoice_date>).having(orm::count() > 1);
}
inline constexpr const char* busy_days_sql = R"(
  SELECT InvoiceDate, COUNT(*) FROM Invoice GROUP BY InvoiceDate HAVING COUNT(*) > 1)";

// The invoices of the very first day (a DateTime compared with a scalar subquery).
inline auto first_day_invoices() {
  return orm::select(c<&Invoice::invoice_id>, c<&Invoice::total>)
      .where(c<&Invoice::invoice_date> == orm::select(orm::min(c<&Invoice::invoice_date>)).scalar_subquery())
      .order_by(c<&Invoice::invoice_id>);
}
inline constexpr const char* first_day_invoices_sql = R"(
  SELECT InvoiceId, Total FROM Invoice WHERE InvoiceDate = (SELECT MIN(InvoiceDate) FROM Invoice) ORDER BY InvoiceId)";

// Tracks at given prices (an IN list of Decimal values).
inline auto tracks_at_prices() {
  return orm::select(c<&Track::media_type_id>, orm::count())
      .where(c<&Track::unit_price>.in_(std::vector<Decimal>{Decimal{"1.99"}, Decimal{"0.50"}}))
      .group_by(c<&Track::media_type_id>);
}
inline constexpr const char* tracks_at_prices_sql = R"(
  SELECT MediaTypeId, COUNT(*) FROM Track WHERE UnitPrice IN (1.99, 0.50) GROUP BY MediaTypeId)";

// Invoices on given days (an IN list of DateTime values).
inline auto invoices_on_days() {
  return orm::select(c<&Invoice::invoice_id>, c<&Invoice::customer_id>)
      .where(c<&Invoice::invoice_date>.in_(std::vector<DateTime>{day(2021, 1, 1), day(2022, 2, 8), day(2025, 12, 22)}))
      .order_by(c<&Invoice::invoice_id>);
}
inline constexpr const char* invoices_on_days_sql = R"(
  SELECT InvoiceId, CustomerId FROM Invoice
  WHERE InvoiceDate IN ('2021-01-01 00:00:00', '2022-02-08 00:00:00', '2025-12-22 00:00:00') ORDER BY InvoiceId)";

// Invoices billed to cities with non-ASCII names (an IN list of UTF-8 text).
inline auto invoices_in_cities() {
  return orm::select(c<&Invoice::billing_city>, orm::count())
      .where(c<&Invoice::billing_city>.in_(std::vector<std::string>{"São Paulo", "Montréal", "Kraków", "Oslo"}))
      .group_by(c<&Invoice::billing_city>);
}
inline constexpr const char* invoices_in_cities_sql = R"(
  SELECT BillingCity, COUNT(*) FROM Invoice WHERE BillingCity IN ('São Paulo', 'Montréal', 'Kraków', 'Oslo') GROUP BY BillingCity)";

// Tracks sold more than once above the cheapest price (Decimal compared with a scalar subquery).
inline auto lines_above_min_price() {
  return orm::select(c<&InvoiceLine::track_id>, orm::count())
      .where(c<&InvoiceLine::unit_price> > orm::select(orm::min(c<&Track::unit_price>)).scalar_subquery())
      .group_by(c<&InvoiceLine::track_id>)
      .having(orm::count() > 1);
}
inline constexpr const char* lines_above_min_price_sql = R"(
  SELECT TrackId, COUNT(*) FROM InvoiceLine WHERE UnitPrice > (SELECT MIN(UnitPrice) FROM Track) GROUP BY TrackId HAVING COUNT(*) > 1)";

// Per album: tracks with a known composer, all tracks, and the longest composer text ('' when unknown).
inline auto composer_known_per_album() {
  return orm::select(c<&Track::album_id>, orm::count(c<&Track::composer>), orm::count(), orm::max(orm::length(orm::coalesce(c<&Track::composer>, ""))))
      .where(c<&Track::album_id> <= 20)
      .group_by(c<&Track::album_id>)
      .order_by(c<&Track::album_id>);
}
inline constexpr const char* composer_known_per_album_sql = R"(
  SELECT AlbumId, COUNT(Composer), COUNT(*), MAX(LENGTH(COALESCE(Composer, ''))) FROM Track WHERE AlbumId <= 20 GROUP BY AlbumId ORDER BY AlbumId)";

}  // namespace chinook::reports

#define CHINOOK_REPORTS_B(X)                                                                                           \
  X(longest_tracks_page_3, true) X(track_seconds, true) X(radio_length_tracks, false) X(customers_without_jazz, true) \
  X(album_storage, true) X(rep_countries, false) X(album_sales_with_zero, true) X(invoices_vs_average, true)        \
  X(customer_full_names, true) X(genre_hours, false) X(genre_price_range, false) X(busy_days, false)                  \
  X(first_day_invoices, true) X(tracks_at_prices, false) X(invoices_on_days, true) X(invoices_in_cities, false)       \
  X(lines_above_min_price, false) X(composer_known_per_album, true)
