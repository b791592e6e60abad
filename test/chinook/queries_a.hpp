// test/chinook/queries_a.hpp — the Chinook reporting corpus, first part: everyday reports an
// analyst writes, each a typed statement (no core_expr, no text) beside an independent
// hand-written SQL text of the same question over the published script's own tables
// ([Track].[TrackId]…). test/chinook/reports.cpp runs each on the backend under test and
// compares. `ordered` says the ORDER BY is total (rows then compare in order, else as a
// multiset). The two halves are separate headers so bench/compile_time.sh can time N/2 and N.
#pragma once

#include "chinook/models.hpp"

namespace chinook::reports {
using orm::c;

inline DateTime day(int y, unsigned m, unsigned d) {
  return DateTime{std::chrono::sys_days{std::chrono::year{y} / std::chrono::month{m} / std::chrono::day{d}}};
}
constexpr auto manager = orm::aliased<Employee, "manager">;
constexpr auto top = orm::aliased<Employee, "top">;
constexpr auto t2 = orm::aliased<Track, "t2">;

// Artists with the most tracks (top 10; ties by id).
inline auto artists_most_tracks() {
  return orm::select(c<&Artist::name>, orm::count(c<&Track::track_id>))
      .join<Album>(c<&Album::artist_id> == c<&Artist::artist_id>)
      .join<Track>(c<&Track::album_id> == c<&Album::album_id>)
      .group_by(c<&Artist::artist_id>, c<&Artist::name>)
      .order_by(orm::count(c<&Track::track_id>).desc(), c<&Artist::artist_id>)
      .limit(10);
}
inline constexpr const char* artists_most_tracks_sql = R"(
  SELECT ar.Name, COUNT(t.TrackId) FROM Artist ar JOIN Album al ON al.ArtistId = ar.ArtistId
  JOIN Track t ON t.AlbumId = al.AlbumId GROUP BY ar.ArtistId, ar.Name ORDER BY 2 DESC, ar.ArtistId LIMIT 10)";

// Genre popularity: units sold and lines per genre.
inline auto genre_sales() {
  return orm::select(c<&Genre::name>, orm::sum(c<&InvoiceLine::quantity>), orm::count())
      .join<Track>(c<&Track::genre_id> == c<&Genre::genre_id>)
      .join<InvoiceLine>(c<&InvoiceLine::track_id> == c<&Track::track_id>)
      .group_by(c<&Genre::genre_id>, c<&Genre::name>);
}
inline constexpr const char* genre_sales_sql = R"(
  SELECT g.Name, SUM(il.Quantity), COUNT(*) FROM InvoiceLine il JOIN Track t ON t.TrackId = il.TrackId
  JOIN Genre g ON g.GenreId = t.GenreId GROUP BY g.GenreId, g.Name)";

// Average, shortest and longest track per genre.
inline auto genre_track_length() {
  return orm::select(c<&Genre::name>, orm::count(), orm::avg(c<&Track::milliseconds>), orm::min(c<&Track::milliseconds>),
                     orm::max(c<&Track::milliseconds>))
      .join<Track>(c<&Track::genre_id> == c<&Genre::genre_id>)
      .group_by(c<&Genre::genre_id>, c<&Genre::name>);
}
inline constexpr const char* genre_track_length_sql = R"(
  SELECT g.Name, COUNT(*), AVG(t.Milliseconds), MIN(t.Milliseconds), MAX(t.Milliseconds)
  FROM Genre g JOIN Track t ON t.GenreId = g.GenreId GROUP BY g.GenreId, g.Name)";

// Employees and their managers (self-join through an alias).
inline auto employee_managers() {
  return orm::select(c<&Employee::first_name>, c<&Employee::last_name>, manager.c<&Employee::first_name>, manager.c<&Employee::last_name>)
      .join(manager, c<&Employee::reports_to> == manager.c<&Employee::employee_id>)
      .order_by(c<&Employee::employee_id>);
}
inline constexpr const char* employee_managers_sql = R"(
  SELECT e.FirstName, e.LastName, m.FirstName, m.LastName FROM Employee e JOIN Employee m ON e.ReportsTo = m.EmployeeId
  ORDER BY e.EmployeeId)";

// Everyone with a manager's name or '-' (outer self-join).
inline auto everyone_and_manager() {
  return orm::select(c<&Employee::last_name>, orm::coalesce(manager.c<&Employee::last_name>, "-"))
      .outerjoin(manager, c<&Employee::reports_to> == manager.c<&Employee::employee_id>)
      .order_by(c<&Employee::employee_id>);
}
inline constexpr const char* everyone_and_manager_sql = R"(
  SELECT e.LastName, COALESCE(m.LastName, '-') FROM Employee e LEFT JOIN Employee m ON e.ReportsTo = m.EmployeeId
  ORDER BY e.EmployeeId)";

// How many direct reports each manager has.
inline auto reports_per_manager() {
  return orm::select(manager.c<&Employee::last_name>, orm::count(c<&Employee::employee_id>))
      .join(manager, c<&Employee::reports_to> == manager.c<&Employee::employee_id>)
      .group_by(manager.c<&Employee::employee_id>, manager.c<&Employee::last_name>)
      .order_by(manager.c<&Employee::employee_id>);
}
inline constexpr const char* reports_per_manager_sql = R"(
  SELECT m.LastName, COUNT(e.EmployeeId) FROM Employee e JOIN Employee m ON e.ReportsTo = m.EmployeeId
  GROUP BY m.EmployeeId, m.LastName ORDER BY m.EmployeeId)";

// Customers per support representative.
inline auto customers_per_rep() {
  return orm::select(c<&Employee::first_name>, c<&Employee::last_name>, orm::count(c<&Customer::customer_id>))
      .join<Customer>(c<&Customer::support_rep_id> == c<&Employee::employee_id>)
      .group_by(c<&Employee::employee_id>, c<&Employee::first_name>, c<&Employee::last_name>)
      .order_by(c<&Employee::employee_id>);
}
inline constexpr const char* customers_per_rep_sql = R"(
  SELECT e.FirstName, e.LastName, COUNT(c.CustomerId) FROM Employee e JOIN Customer c ON c.SupportRepId = e.EmployeeId
  GROUP BY e.EmployeeId, e.FirstName, e.LastName ORDER BY e.EmployeeId)";

// Tracks never sold (NOT EXISTS).
inline auto tracks_never_sold() {
  return orm::select(c<&Track::track_id>, c<&Track::name>)
      .where(!orm::exists<InvoiceLine>(c<&InvoiceLine::track_id> == c<&Track::track_id>))
      .order_by(c<&Track::track_id>);
}
inline constexpr const char* tracks_never_sold_sql = R"(
  SELECT t.TrackId, t.Name FROM Track t WHERE NOT EXISTS (SELECT 1 FROM InvoiceLine il WHERE il.TrackId = t.TrackId)
  ORDER BY t.TrackId)";

// Playlists with their track counts (many-to-many; empty playlists count 0).
inline auto playlist_track_counts() {
  return orm::select(c<&Playlist::playlist_id>, c<&Playlist::name>, orm::count(c<&PlaylistTrack::track_id>))
      .outerjoin<PlaylistTrack>(c<&PlaylistTrack::playlist_id> == c<&Playlist::playlist_id>)
      .group_by(c<&Playlist::playlist_id>, c<&Playlist::name>)
      .order_by(c<&Playlist::playlist_id>);
}
inline constexpr const char* playlist_track_counts_sql = R"(
  SELECT p.PlaylistId, p.Name, COUNT(pt.TrackId) FROM Playlist p LEFT JOIN PlaylistTrack pt ON pt.PlaylistId = p.PlaylistId
  GROUP BY p.PlaylistId, p.Name ORDER BY p.PlaylistId)";

// Countries with more than one customer.
inline auto customers_per_country() {
  return orm::select(c<&Customer::country>, orm::count()).group_by(c<&Customer::country>).having(orm::count() > 1);
}
inline constexpr const char* customers_per_country_sql = R"(
  SELECT Country, COUNT(*) FROM Customer GROUP BY Country HAVING COUNT(*) > 1)";

// The ten biggest invoices with the customer's name.
inline auto biggest_invoices() {
  return orm::select(c<&Invoice::invoice_id>, c<&Customer::last_name>, c<&Invoice::total>)
      .join<Customer>(c<&Customer::customer_id> == c<&Invoice::customer_id>)
      .order_by(c<&Invoice::total>.desc(), c<&Invoice::invoice_id>)
      .limit(10);
}
inline constexpr const char* biggest_invoices_sql = R"(
  SELECT i.InvoiceId, c.LastName, i.Total FROM Invoice i JOIN Customer c ON c.CustomerId = i.CustomerId
  ORDER BY i.Total DESC, i.InvoiceId LIMIT 10)";

// The ten longest tracks with their album.
inline auto longest_tracks() {
  return orm::select(c<&Track::name>, c<&Album::title>, c<&Track::milliseconds>)
      .join<Album>(c<&Album::album_id> == c<&Track::album_id>)
      .order_by(c<&Track::milliseconds>.desc(), c<&Track::track_id>)
      .limit(10);
}
inline constexpr const char* longest_tracks_sql = R"(
  SELECT t.Name, a.Title, t.Milliseconds FROM Track t JOIN Album a ON a.AlbumId = t.AlbumId
  ORDER BY t.Milliseconds DESC, t.TrackId LIMIT 10)";

// Tracks per media type.
inline auto tracks_per_media_type() {
  return orm::select(c<&MediaType::name>, orm::count())
      .join<Track>(c<&Track::media_type_id> == c<&MediaType::media_type_id>)
      .group_by(c<&MediaType::media_type_id>, c<&MediaType::name>);
}
inline constexpr const char* tracks_per_media_type_sql = R"(
  SELECT m.Name, COUNT(*) FROM MediaType m JOIN Track t ON t.MediaTypeId = m.MediaTypeId GROUP BY m.MediaTypeId, m.Name)";

// Prolific composers (at least 20 tracks).
inline auto prolific_composers() {
  return orm::select(c<&Track::composer>, orm::count())
      .where(c<&Track::composer>.is_not_null())
      .group_by(c<&Track::composer>)
      .having(orm::count() >= 20);
}
inline constexpr const char* prolific_composers_sql = R"(
  SELECT Composer, COUNT(*) FROM Track WHERE Composer IS NOT NULL GROUP BY Composer HAVING COUNT(*) >= 20)";

// Artists without any album.
inline auto artists_without_albums() {
  return orm::select(c<&Artist::artist_id>, c<&Artist::name>)
      .where(!orm::exists<Album>(c<&Album::artist_id> == c<&Artist::artist_id>))
      .order_by(c<&Artist::artist_id>);
}
inline constexpr const char* artists_without_albums_sql = R"(
  SELECT ar.ArtistId, ar.Name FROM Artist ar WHERE NOT EXISTS (SELECT 1 FROM Album al WHERE al.ArtistId = ar.ArtistId)
  ORDER BY ar.ArtistId)";

// Each customer's number of invoices, first and last invoice date.
inline auto customer_invoice_span() {
  return orm::select(c<&Customer::customer_id>, orm::count(c<&Invoice::invoice_id>), orm::min(c<&Invoice::invoice_date>),
                     orm::max(c<&Invoice::invoice_date>))
      .join<Invoice>(c<&Invoice::customer_id> == c<&Customer::customer_id>)
      .group_by(c<&Customer::customer_id>)
      .order_by(c<&Customer::customer_id>);
}
inline constexpr const char* customer_invoice_span_sql = R"(
  SELECT c.CustomerId, COUNT(i.InvoiceId), MIN(i.InvoiceDate), MAX(i.InvoiceDate) FROM Customer c
  JOIN Invoice i ON i.CustomerId = c.CustomerId GROUP BY c.CustomerId ORDER BY c.CustomerId)";

// Overview: countries billed, first and last invoice, number of invoices.
inline auto invoice_overview() {
  return orm::select(orm::count_distinct(c<&Invoice::billing_country>), orm::min(c<&Invoice::invoice_date>),
                     orm::max(c<&Invoice::invoice_date>), orm::count(), orm::max(c<&Invoice::total>));
}
inline constexpr const char* invoice_overview_sql = R"(
  SELECT COUNT(DISTINCT BillingCountry), MIN(InvoiceDate), MAX(InvoiceDate), COUNT(*), MAX(Total) FROM Invoice)";

// How many distinct artists play each genre.
inline auto genre_artist_diversity() {
  return orm::select(c<&Genre::name>, orm::count_distinct(c<&Album::artist_id>))
      .join<Track>(c<&Track::genre_id> == c<&Genre::genre_id>)
      .join<Album>(c<&Album::album_id> == c<&Track::album_id>)
      .group_by(c<&Genre::genre_id>, c<&Genre::name>);
}
inline constexpr const char* genre_artist_diversity_sql = R"(
  SELECT g.Name, COUNT(DISTINCT al.ArtistId) FROM Genre g JOIN Track t ON t.GenreId = g.GenreId
  JOIN Album al ON al.AlbumId = t.AlbumId GROUP BY g.GenreId, g.Name)";

// Average and largest number of tracks per album (a subquery in FROM).
inline auto tracks_per_album_stats() {
  auto per_album = orm::select(c<&Track::album_id>, orm::count()).group_by(c<&Track::album_id>).subquery<"per_album">();
  return orm::select(orm::avg(per_album.c<1>()), orm::max(per_album.c<1>()), orm::count()).select_from(per_album);
}
inline constexpr const char* tracks_per_album_stats_sql = R"(
  SELECT AVG(n), MAX(n), COUNT(*) FROM (SELECT AlbumId, COUNT(*) AS n FROM Track GROUP BY AlbumId))";

// Per genre, the tracks longer than their genre's average (correlated scalar subquery).
inline auto longer_than_genre_average() {
  auto genre_avg = orm::select(orm::avg(t2.c<&Track::milliseconds>))
                       .correlate<Track>()
                       .where(t2.c<&Track::genre_id> == c<&Track::genre_id>)
                       .scalar_subquery();
  return orm::select(c<&Track::genre_id>, orm::count()).where(c<&Track::milliseconds> > genre_avg).group_by(c<&Track::genre_id>);
}
inline constexpr const char* longer_than_genre_average_sql = R"(
  SELECT t.GenreId, COUNT(*) FROM Track t
  WHERE t.Milliseconds > (SELECT AVG(t2.Milliseconds) FROM Track t2 WHERE t2.GenreId = t.GenreId) GROUP BY t.GenreId)";

// Employees hired from 2003 on, by hire date.
inline auto hired_since_2003() {
  return orm::select(c<&Employee::first_name>, c<&Employee::last_name>, c<&Employee::hire_date>)
      .where(c<&Employee::hire_date> >= day(2003, 1, 1))
      .order_by(c<&Employee::hire_date>, c<&Employee::employee_id>);
}
inline constexpr const char* hired_since_2003_sql = R"(
  SELECT FirstName, LastName, HireDate FROM Employee WHERE HireDate >= '2003-01-01 00:00:00' ORDER BY HireDate, EmployeeId)";

// Customers living in a city where an employee lives (IN subquery).
inline auto customers_in_employee_cities() {
  return orm::select(c<&Customer::customer_id>, c<&Customer::city>)
      .where(c<&Customer::city>.in_(orm::select(c<&Employee::city>)))
      .order_by(c<&Customer::customer_id>);
}
inline constexpr const char* customers_in_employee_cities_sql = R"(
  SELECT CustomerId, City FROM Customer WHERE City IN (SELECT City FROM Employee) ORDER BY CustomerId)";

// Customers whose support rep lives in another city.
inline auto rep_elsewhere() {
  return orm::select(c<&Customer::customer_id>, c<&Customer::city>, c<&Employee::city>)
      .join<Employee>(c<&Customer::support_rep_id> == c<&Employee::employee_id>)
      .where(c<&Customer::city> != c<&Employee::city>)
      .order_by(c<&Customer::customer_id>);
}
inline constexpr const char* rep_elsewhere_sql = R"(
  SELECT c.CustomerId, c.City, e.City FROM Customer c JOIN Employee e ON c.SupportRepId = e.EmployeeId
  WHERE c.City <> e.City ORDER BY c.CustomerId)";

// Tracks on at least five playlists.
inline auto tracks_on_many_playlists() {
  return orm::select(c<&Track::track_id>, c<&Track::name>, orm::count())
      .join<PlaylistTrack>(c<&PlaylistTrack::track_id> == c<&Track::track_id>)
      .group_by(c<&Track::track_id>, c<&Track::name>)
      .having(orm::count() >= 5);
}
inline constexpr const char* tracks_on_many_playlists_sql = R"(
  SELECT t.TrackId, t.Name, COUNT(*) FROM Track t JOIN PlaylistTrack pt ON pt.TrackId = t.TrackId
  GROUP BY t.TrackId, t.Name HAVING COUNT(*) >= 5)";

// One artist's albums with their track counts.
inline auto artist_albums() {
  return orm::select(c<&Album::title>, orm::count(c<&Track::track_id>))
      .join<Artist>(c<&Artist::artist_id> == c<&Album::artist_id>)
      .join<Track>(c<&Track::album_id> == c<&Album::album_id>)
      .where(c<&Artist::name> == "AC/DC")
      .group_by(c<&Album::album_id>, c<&Album::title>)
      .order_by(c<&Album::album_id>);
}
inline constexpr const char* artist_albums_sql = R"(
  SELECT al.Title, COUNT(t.TrackId) FROM Album al JOIN Artist ar ON ar.ArtistId = al.ArtistId
  JOIN Track t ON t.AlbumId = al.AlbumId WHERE ar.Name = 'AC/DC' GROUP BY al.AlbumId, al.Title ORDER BY al.AlbumId)";

// Invoices with more lines than the average invoice (a subquery read twice).
inline auto invoices_with_many_lines() {
  auto per_invoice = orm::select(c<&InvoiceLine::invoice_id>, orm::count()).group_by(c<&InvoiceLine::invoice_id>).subquery<"per_invoice">();
  auto again = orm::select(c<&InvoiceLine::invoice_id>, orm::count()).group_by(c<&InvoiceLine::invoice_id>).subquery<"per_invoice2">();
  return orm::select(per_invoice.c<0>(), per_invoice.c<1>())
      .select_from(per_invoice)
      .where(per_invoice.c<1>() > orm::select(orm::avg(again.c<1>())).scalar_subquery())
      .order_by(per_invoice.c<0>());
}
inline constexpr const char* invoices_with_many_lines_sql = R"(
  SELECT InvoiceId, COUNT(*) FROM InvoiceLine GROUP BY InvoiceId
  HAVING COUNT(*) > (SELECT AVG(n) FROM (SELECT COUNT(*) AS n FROM InvoiceLine GROUP BY InvoiceId)) ORDER BY InvoiceId)";

// The five customers who bought the most tracks.
inline auto top_buyers_by_lines() {
  return orm::select(c<&Customer::first_name>, c<&Customer::last_name>, orm::count(c<&InvoiceLine::invoice_line_id>))
      .join<Invoice>(c<&Invoice::customer_id> == c<&Customer::customer_id>)
      .join<InvoiceLine>(c<&InvoiceLine::invoice_id> == c<&Invoice::invoice_id>)
      .group_by(c<&Customer::customer_id>, c<&Customer::first_name>, c<&Customer::last_name>)
      .order_by(orm::count(c<&InvoiceLine::invoice_line_id>).desc(), c<&Customer::customer_id>)
      .limit(5);
}
inline constexpr const char* top_buyers_by_lines_sql = R"(
  SELECT c.FirstName, c.LastName, COUNT(il.InvoiceLineId) FROM Customer c JOIN Invoice i ON i.CustomerId = c.CustomerId
  JOIN InvoiceLine il ON il.InvoiceId = i.InvoiceId GROUP BY c.CustomerId, c.FirstName, c.LastName
  ORDER BY 3 DESC, c.CustomerId LIMIT 5)";

// Two levels of management: employee, manager, manager's manager.
inline auto management_two_levels() {
  return orm::select(c<&Employee::last_name>, manager.c<&Employee::last_name>, top.c<&Employee::last_name>)
      .join(manager, c<&Employee::reports_to> == manager.c<&Employee::employee_id>)
      .join(top, manager.c<&Employee::reports_to> == top.c<&Employee::employee_id>)
      .order_by(c<&Employee::employee_id>);
}
inline constexpr const char* management_two_levels_sql = R"(
  SELECT e.LastName, m.LastName, t.LastName FROM Employee e JOIN Employee m ON e.ReportsTo = m.EmployeeId
  JOIN Employee t ON m.ReportsTo = t.EmployeeId ORDER BY e.EmployeeId)";

// Tracks with long names (characters, not bytes).
inline auto long_track_names() {
  return orm::select(c<&Track::track_id>, orm::length(c<&Track::name>))
      .where(orm::length(c<&Track::name>) > 70)
      .order_by(c<&Track::track_id>);
}
inline constexpr const char* long_track_names_sql = R"(
  SELECT TrackId, LENGTH(Name) FROM Track WHERE LENGTH(Name) > 70 ORDER BY TrackId)";

// Invoices per billing country, in capitals.
inline auto invoices_per_country_upper() {
  return orm::select(orm::upper(c<&Invoice::billing_country>), orm::count()).group_by(orm::upper(c<&Invoice::billing_country>));
}
inline constexpr const char* invoices_per_country_upper_sql = R"(
  SELECT UPPER(BillingCountry), COUNT(*) FROM Invoice GROUP BY UPPER(BillingCountry))";

// Customers per state, 'n/a' where there is none.
inline auto customers_per_state() {
  return orm::select(orm::coalesce(c<&Customer::state>, "n/a"), orm::count()).group_by(c<&Customer::state>);
}
inline constexpr const char* customers_per_state_sql = R"(
  SELECT COALESCE(State, 'n/a'), COUNT(*) FROM Customer GROUP BY State)";

// Albums longer than an hour.
inline auto hour_long_albums() {
  return orm::select(c<&Album::title>, orm::sum(c<&Track::milliseconds>))
      .join<Track>(c<&Track::album_id> == c<&Album::album_id>)
      .group_by(c<&Album::album_id>, c<&Album::title>)
      .having(orm::sum(c<&Track::milliseconds>) > 3600000);
}
inline constexpr const char* hour_long_albums_sql = R"(
  SELECT al.Title, SUM(t.Milliseconds) FROM Album al JOIN Track t ON t.AlbumId = al.AlbumId
  GROUP BY al.AlbumId, al.Title HAVING SUM(t.Milliseconds) > 3600000)";

// Playlists holding Rock tracks, with how many (many-to-many, three joins).
inline auto playlists_with_rock() {
  return orm::select(c<&Playlist::playlist_id>, orm::count_distinct(c<&Track::track_id>))
      .join<PlaylistTrack>(c<&PlaylistTrack::playlist_id> == c<&Playlist::playlist_id>)
      .join<Track>(c<&Track::track_id> == c<&PlaylistTrack::track_id>)
      .join<Genre>(c<&Genre::genre_id> == c<&Track::genre_id>)
      .where(c<&Genre::name> == "Rock")
      .group_by(c<&Playlist::playlist_id>)
      .order_by(c<&Playlist::playlist_id>);
}
inline constexpr const char* playlists_with_rock_sql = R"(
  SELECT p.PlaylistId, COUNT(DISTINCT t.TrackId) FROM Playlist p JOIN PlaylistTrack pt ON pt.PlaylistId = p.PlaylistId
  JOIN Track t ON t.TrackId = pt.TrackId JOIN Genre g ON g.GenreId = t.GenreId WHERE g.Name = 'Rock'
  GROUP BY p.PlaylistId ORDER BY p.PlaylistId)";

// Private customers (no company) per country.
inline auto private_customers_per_country() {
  return orm::select(c<&Customer::country>, orm::count()).where(c<&Customer::company>.is_null()).group_by(c<&Customer::country>);
}
inline constexpr const char* private_customers_per_country_sql = R"(
  SELECT Country, COUNT(*) FROM Customer WHERE Company IS NULL GROUP BY Country)";

// Tracks per price point (money grouped exactly).
inline auto tracks_per_price() {
  return orm::select(c<&Track::unit_price>, orm::count()).group_by(c<&Track::unit_price>).order_by(c<&Track::unit_price>);
}
inline constexpr const char* tracks_per_price_sql = R"(
  SELECT UnitPrice, COUNT(*) FROM Track GROUP BY UnitPrice ORDER BY UnitPrice)";

// Tracks dearer than 0.99 per media type (a Decimal bound value).
inline auto dear_tracks_per_media_type() {
  return orm::select(c<&MediaType::name>, orm::count())
      .join<Track>(c<&Track::media_type_id> == c<&MediaType::media_type_id>)
      .where(c<&Track::unit_price> > Decimal{"0.99"})
      .group_by(c<&MediaType::media_type_id>, c<&MediaType::name>);
}
inline constexpr const char* dear_tracks_per_media_type_sql = R"(
  SELECT m.Name, COUNT(*) FROM MediaType m JOIN Track t ON t.MediaTypeId = m.MediaTypeId WHERE t.UnitPrice > 0.99
  GROUP BY m.MediaTypeId, m.Name)";

// Employees from the oldest.
inline auto employees_by_age() {
  return orm::select(c<&Employee::last_name>, c<&Employee::birth_date>).order_by(c<&Employee::birth_date>, c<&Employee::employee_id>);
}
inline constexpr const char* employees_by_age_sql = R"(
  SELECT LastName, BirthDate FROM Employee ORDER BY BirthDate, EmployeeId)";

// Invoices of 2024 per billing country (a DateTime range).
inline auto invoices_2024_per_country() {
  return orm::select(c<&Invoice::billing_country>, orm::count(), orm::max(c<&Invoice::total>))
      .where(c<&Invoice::invoice_date> >= day(2024, 1, 1) && c<&Invoice::invoice_date> < day(2025, 1, 1))
      .group_by(c<&Invoice::billing_country>);
}
inline constexpr const char* invoices_2024_per_country_sql = R"(
  SELECT BillingCountry, COUNT(*), MAX(Total) FROM Invoice
  WHERE InvoiceDate >= '2024-01-01 00:00:00' AND InvoiceDate < '2025-01-01 00:00:00' GROUP BY BillingCountry)";

// Albums of which no track was ever sold (NOT EXISTS over a join, correlated to the album).
inline auto albums_never_sold() {
  return orm::select(c<&Album::album_id>, c<&Album::title>)
      .where(!orm::exists(orm::select(c<&Track::track_id>)
                              .join<InvoiceLine>(c<&InvoiceLine::track_id> == c<&Track::track_id>)
                              .correlate<Album>()
                              .where(c<&Track::album_id> == c<&Album::album_id>)))
      .order_by(c<&Album::album_id>);
}
inline constexpr const char* albums_never_sold_sql = R"(
  SELECT al.AlbumId, al.Title FROM Album al WHERE NOT EXISTS (SELECT 1 FROM Track t JOIN InvoiceLine il ON il.TrackId = t.TrackId
  WHERE t.AlbumId = al.AlbumId) ORDER BY al.AlbumId)";

// Customers who bought Jazz (IN over a three-table join).
inline auto jazz_customers() {
  return orm::select(c<&Customer::customer_id>, c<&Customer::last_name>)
      .where(c<&Customer::customer_id>.in_(orm::select(c<&Invoice::customer_id>)
                                               .join<InvoiceLine>(c<&InvoiceLine::invoice_id> == c<&Invoice::invoice_id>)
                                               .join<Track>(c<&Track::track_id> == c<&InvoiceLine::track_id>)
                                               .join<Genre>(c<&Genre::genre_id> == c<&Track::genre_id>)
                                               .where(c<&Genre::name> == "Jazz")))
      .order_by(c<&Customer::customer_id>);
}
inline constexpr const char* jazz_customers_sql = R"(
  SELECT CustomerId, LastName FROM Customer WHERE CustomerId IN (SELECT i.CustomerId FROM Invoice i
  JOIN InvoiceLine il ON il.InvoiceId = i.InvoiceId JOIN Track t ON t.TrackId = il.TrackId
  JOIN Genre g ON g.GenreId = t.GenreId WHERE g.Name = 'Jazz') ORDER BY CustomerId)";

// Tracks by the album's artist, whole objects through the ORM (select<M>() with joins).
inline auto queen_tracks() {
  return orm::select<Track>()
      .join<Album>(c<&Album::album_id> == c<&Track::album_id>)
      .join<Artist>(c<&Artist::artist_id> == c<&Album::artist_id>)
      .where(c<&Artist::name> == "Queen")
      .order_by(c<&Track::track_id>);
}
inline constexpr const char* queen_tracks_sql = R"(
  SELECT t.TrackId, t.Name, t.AlbumId, t.MediaTypeId, t.GenreId, t.Composer, t.Milliseconds, t.Bytes, t.UnitPrice
  FROM Track t JOIN Album al ON al.AlbumId = t.AlbumId JOIN Artist ar ON ar.ArtistId = al.ArtistId
  WHERE ar.Name = 'Queen' ORDER BY t.TrackId)";

}  // namespace chinook::reports

/// name, ordered (the ORDER BY is total)
#define CHINOOK_REPORTS_A(X)                                                                                           \
  X(artists_most_tracks, true) X(genre_sales, false) X(genre_track_length, false) X(employee_managers, true)          \
  X(everyone_and_manager, true) X(reports_per_manager, true) X(customers_per_rep, true) X(tracks_never_sold, true)    \
  X(playlist_track_counts, true) X(customers_per_country, false) X(biggest_invoices, true) X(longest_tracks, true)    \
  X(tracks_per_media_type, false) X(prolific_composers, false) X(artists_without_albums, true)                         \
  X(customer_invoice_span, true) X(invoice_overview, true) X(genre_artist_diversity, false)                           \
  X(tracks_per_album_stats, true) X(longer_than_genre_average, false) X(hired_since_2003, true)                       \
  X(customers_in_employee_cities, true) X(rep_elsewhere, true) X(tracks_on_many_playlists, false)                     \
  X(artist_albums, true) X(invoices_with_many_lines, true) X(top_buyers_by_lines, true) X(management_two_levels, true) \
  X(long_track_names, true) X(invoices_per_country_upper, false) X(customers_per_state, false)                        \
  X(hour_long_albums, false) X(playlists_with_rock, true) X(private_customers_per_country, false)                     \
  X(tracks_per_price, true) X(dear_tracks_per_media_type, false) X(employees_by_age, true)                            \
  X(invoices_2024_per_country, false) X(albums_never_sold, true) X(jazz_customers, true) X(queen_tracks, true)
