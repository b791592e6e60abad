// test/chinook/models.hpp — the Chinook sample database (a digital music store, 11 tables, the
// data in /work/shared/data/chinook/) as athanor models: our own snake_case names, money as
// NUMERIC(10,2) read as Decimal, dates as DateTime. Used by the reporting corpus
// (test/chinook/reports.cpp) and its compile-cost benchmark (bench/compile_reports.cpp).
#pragma once

#include <athanor/athanor.hpp>

namespace chinook {
namespace orm = athanor::orm;
using athanor::DateTime;
using athanor::Decimal;
using orm::Mapped;

struct Album;
struct Track;
struct Invoice;
struct InvoiceLine;
struct PlaylistTrack;
struct Employee;

inline athanor::SqlType money() { return athanor::Numeric{10, 2}; }

struct Artist {
  Mapped<int> artist_id;
  Mapped<std::optional<std::string>> name;
  orm::Many<Album> albums;
  static void configure(orm::Mapper<Artist>& m) {
    m.column<&Artist::artist_id>().primary_key();
    m.column<&Artist::name>().length(120);
    m.relationship<&Artist::albums>().back_populates("artist");
  }
};
struct Album {
  Mapped<int> album_id;
  Mapped<std::string> title;
  Mapped<int> artist_id;
  orm::One<Artist> artist;
  orm::Many<Track> tracks;
  static void configure(orm::Mapper<Album>& m) {
    m.column<&Album::album_id>().primary_key();
    m.column<&Album::title>().length(160);
    m.column<&Album::artist_id>().foreign_key("artists.artist_id");
    m.relationship<&Album::tracks>().back_populates("album");
  }
};
struct MediaType {
  Mapped<int> media_type_id;
  Mapped<std::optional<std::string>> name;
  static void configure(orm::Mapper<MediaType>& m) {
    m.column<&MediaType::media_type_id>().primary_key();
    m.column<&MediaType::name>().length(120);
  }
};
struct Genre {
  Mapped<int> genre_id;
  Mapped<std::optional<std::string>> name;
  static void configure(orm::Mapper<Genre>& m) {
    m.column<&Genre::genre_id>().primary_key();
    m.column<&Genre::name>().length(120);
  }
};
struct Track {
  Mapped<int> track_id;
  Mapped<std::string> name;
  Mapped<std::optional<int>> album_id;
  Mapped<int> media_type_id;
  Mapped<std::optional<int>> genre_id;
  Mapped<std::optional<std::string>> composer;
  Mapped<int> milliseconds;
  Mapped<std::optional<int>> bytes;
  Mapped<Decimal> unit_price;
  orm::One<Album> album;
  static void configure(orm::Mapper<Track>& m) {
    m.column<&Track::track_id>().primary_key();
    m.column<&Track::name>().length(200);
    m.column<&Track::album_id>().foreign_key("albums.album_id");
    m.column<&Track::media_type_id>().foreign_key("media_types.media_type_id");
    m.column<&Track::genre_id>().foreign_key("genres.genre_id");
    m.column<&Track::composer>().length(220);
    m.column<&Track::unit_price>().type(money());
  }
};
struct Playlist {
  Mapped<int> playlist_id;
  Mapped<std::optional<std::string>> name;
  orm::Many<Track> tracks;  // many-to-many through PlaylistTrack
  static void configure(orm::Mapper<Playlist>& m) {
    m.column<&Playlist::playlist_id>().primary_key();
    m.column<&Playlist::name>().length(120);
    m.relationship<&Playlist::tracks>().secondary<PlaylistTrack>();
  }
};
/// The association of Playlist.tracks: a composite primary key of two foreign keys.
struct PlaylistTrack {
  Mapped<int> playlist_id;
  Mapped<int> track_id;
  static void configure(orm::Mapper<PlaylistTrack>& m) {
    m.column<&PlaylistTrack::playlist_id>().primary_key().foreign_key("playlists.playlist_id");
    m.column<&PlaylistTrack::track_id>().primary_key().foreign_key("tracks.track_id");
  }
};
/// Self-referential: reports_to is the manager's employee_id.
struct Employee {
  Mapped<int> employee_id;
  Mapped<std::string> last_name;
  Mapped<std::string> first_name;
  Mapped<std::optional<std::string>> title;
  Mapped<std::optional<int>> reports_to;
  Mapped<std::optional<DateTime>> birth_date;
  Mapped<std::optional<DateTime>> hire_date;
  Mapped<std::optional<std::string>> address;
  Mapped<std::optional<std::string>> city;
  Mapped<std::optional<std::string>> state;
  Mapped<std::optional<std::string>> country;
  Mapped<std::optional<std::string>> postal_code;
  Mapped<std::optional<std::string>> phone;
  Mapped<std::optional<std::string>> fax;
  Mapped<std::optional<std::string>> email;
  orm::One<Employee> manager;
  orm::Many<Employee> reports;
  static void configure(orm::Mapper<Employee>& m) {
    m.column<&Employee::employee_id>().primary_key();
    m.column<&Employee::last_name>().length(20);
    m.column<&Employee::first_name>().length(20);
    m.column<&Employee::title>().length(30);
    m.column<&Employee::reports_to>().foreign_key("employees.employee_id");
    m.column<&Employee::address>().length(70);
    m.column<&Employee::city>().length(40);
    m.column<&Employee::state>().length(40);
    m.column<&Employee::country>().length(40);
    m.column<&Employee::postal_code>().length(10);
    m.column<&Employee::phone>().length(24);
    m.column<&Employee::fax>().length(24);
    m.column<&Employee::email>().length(60);
    m.relationship<&Employee::reports>().back_populates("manager");
  }
};
struct Customer {
  Mapped<int> customer_id;
  Mapped<std::string> first_name;
  Mapped<std::string> last_name;
  Mapped<std::optional<std::string>> company;
  Mapped<std::optional<std::string>> address;
  Mapped<std::optional<std::string>> city;
  Mapped<std::optional<std::string>> state;
  Mapped<std::optional<std::string>> country;
  Mapped<std::optional<std::string>> postal_code;
  Mapped<std::optional<std::string>> phone;
  Mapped<std::optional<std::string>> fax;
  Mapped<std::string> email;
  Mapped<std::optional<int>> support_rep_id;
  orm::One<Employee> support_rep;
  orm::Many<Invoice> invoices;
  static void configure(orm::Mapper<Customer>& m) {
    m.column<&Customer::customer_id>().primary_key();
    m.column<&Customer::first_name>().length(40);
    m.column<&Customer::last_name>().length(20);
    m.column<&Customer::company>().length(80);
    m.column<&Customer::address>().length(70);
    m.column<&Customer::city>().length(40);
    m.column<&Customer::state>().length(40);
    m.column<&Customer::country>().length(40);
    m.column<&Customer::postal_code>().length(10);
    m.column<&Customer::phone>().length(24);
    m.column<&Customer::fax>().length(24);
    m.column<&Customer::email>().length(60);
    m.column<&Customer::support_rep_id>().foreign_key("employees.employee_id");
    m.relationship<&Customer::invoices>().back_populates("customer");
  }
};
struct Invoice {
  Mapped<int> invoice_id;
  Mapped<int> customer_id;
  Mapped<DateTime> invoice_date;
  Mapped<std::optional<std::string>> billing_address;
  Mapped<std::optional<std::string>> billing_city;
  Mapped<std::optional<std::string>> billing_state;
  Mapped<std::optional<std::string>> billing_country;
  Mapped<std::optional<std::string>> billing_postal_code;
  Mapped<Decimal> total;
  orm::One<Customer> customer;
  orm::Many<InvoiceLine> lines;
  static void configure(orm::Mapper<Invoice>& m) {
    m.column<&Invoice::invoice_id>().primary_key();
    m.column<&Invoice::customer_id>().foreign_key("customers.customer_id");
    m.column<&Invoice::billing_address>().length(70);
    m.column<&Invoice::billing_city>().length(40);
    m.column<&Invoice::billing_state>().length(40);
    m.column<&Invoice::billing_country>().length(40);
    m.column<&Invoice::billing_postal_code>().length(10);
    m.column<&Invoice::total>().type(money());
    m.relationship<&Invoice::lines>().back_populates("invoice");
  }
};
struct InvoiceLine {
  Mapped<int> invoice_line_id;
  Mapped<int> invoice_id;
  Mapped<int> track_id;
  Mapped<Decimal> unit_price;
  Mapped<int> quantity;
  orm::One<Invoice> invoice;
  orm::One<Track> track;
  static void configure(orm::Mapper<InvoiceLine>& m) {
    m.column<&InvoiceLine::invoice_line_id>().primary_key();
    m.column<&InvoiceLine::invoice_id>().foreign_key("invoices.invoice_id");
    m.column<&InvoiceLine::track_id>().foreign_key("tracks.track_id");
    m.column<&InvoiceLine::unit_price>().type(money());
  }
};

ATHANOR_MODEL(Artist, "artists", artist_id, name, albums)
ATHANOR_MODEL(Album, "albums", album_id, title, artist_id, artist, tracks)
ATHANOR_MODEL(MediaType, "media_types", media_type_id, name)
ATHANOR_MODEL(Genre, "genres", genre_id, name)
ATHANOR_MODEL(Track, "tracks", track_id, name, album_id, media_type_id, genre_id, composer, milliseconds, bytes, unit_price, album)
ATHANOR_MODEL(Playlist, "playlists", playlist_id, name, tracks)
ATHANOR_MODEL(PlaylistTrack, "playlist_tracks", playlist_id, track_id)
ATHANOR_MODEL(Employee, "employees", employee_id, last_name, first_name, title, reports_to, birth_date, hire_date, address, city, state,
              country, postal_code, phone, fax, email, manager, reports)
ATHANOR_MODEL(Customer, "customers", customer_id, first_name, last_name, company, address, city, state, country, postal_code, phone, fax,
              email, support_rep_id, support_rep, invoices)
ATHANOR_MODEL(Invoice, "invoices", invoice_id, customer_id, invoice_date, billing_address, billing_city, billing_state, billing_country,
              billing_postal_code, total, customer, lines)
ATHANOR_MODEL(InvoiceLine, "invoice_lines", invoice_line_id, invoice_id, track_id, unit_price, quantity, invoice, track)

/// Maps the eleven models on a registry (its metadata then creates the tables).
inline void map_all(orm::Registry& r) {
  r.map<Artist, Album, MediaType, Genre, Track, Playlist, PlaylistTrack, Employee, Customer, Invoice, InvoiceLine>();
}

}  // namespace chinook
