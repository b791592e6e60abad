// test/chinook/load.hpp — the Chinook data, loaded through athanor: the published SQLite script
// runs in an in-memory SQLite database (the "raw" one, with the script's own names such as
// [Track].[TrackId]), then every row is copied with athanor's Core insert (executemany, one
// transaction) into tables our Registry created on the backend under test. Every backend
// thus holds the same values, whatever the three published scripts do differently.
#pragma once

#include <chrono>
#include <cstdio>
#include <fstream>
#include <sstream>

#include "chinook/ddl.hpp"  // data_dir()
#include "chinook/models.hpp"

namespace chinook {

/// The statements of a SQL script, split on ';' at the end of a line outside string literals
/// and comments (athanor's exec_driver_sql runs one statement at a time).
inline std::vector<std::string> split_script(const std::string& text) {
  std::vector<std::string> out;
  std::string cur;
  bool in_string = false, in_block = false, in_line = false;
  bool has_code = false;  // the statement holds something other than comments and blanks
  for (std::size_t i = 0; i < text.size(); ++i) {
    char ch = text[i], next = i + 1 < text.size() ? text[i + 1] : '\0';
    if (in_block) {
      if (ch == '*' && next == '/') in_block = false, ++i;
      continue;
    }
    if (in_line) {
      if (ch == '\n') in_line = false, cur += ch;
      continue;
    }
    if (!in_string && ch == '/' && next == '*') {
      in_block = true, ++i;
      continue;
    }
    if (!in_string && ch == '-' && next == '-') {
      in_line = true, ++i;
      continue;
    }
    if (ch == '\'') in_string = !in_string;  // '' inside a literal toggles twice: still inside
    if (!in_string && ch == ';') {
      if (has_code) out.push_back(cur);
      cur.clear(), has_code = false;
      continue;
    }
    cur += ch;
    if (!std::isspace(static_cast<unsigned char>(ch))) has_code = true;
  }
  if (has_code) out.push_back(cur);
  return out;
}

/// An in-memory SQLite database holding the published script's tables and rows.
inline athanor::Engine raw_engine() {
  std::ifstream in(data_dir() + "/Chinook_Sqlite.sql", std::ios::binary);
  if (!in) throw std::runtime_error("cannot read " + data_dir() + "/Chinook_Sqlite.sql");
  std::stringstream ss;
  ss << in.rdbuf();
  auto engine = athanor::create_engine("sqlite://");
  auto conn = engine.connect();
  auto tx = conn.begin();
  for (auto& stmt : split_script(ss.str())) conn.exec_driver_sql(stmt);
  tx.commit();
  return engine;
}

/// The raw table each model copies from; the raw columns come in the model's column order.
struct Copy {
  const char* raw;
  const char* order_by;
  const athanor::Table* table;
};
inline std::vector<Copy> copies() {
  // Parents before children (the foreign keys are checked row by row on PostgreSQL).
  return {{"Artist", "ArtistId", &orm::table_of<Artist>()},
          {"Album", "AlbumId", &orm::table_of<Album>()},
          {"MediaType", "MediaTypeId", &orm::table_of<MediaType>()},
          {"Genre", "GenreId", &orm::table_of<Genre>()},
          {"Track", "TrackId", &orm::table_of<Track>()},
          {"Playlist", "PlaylistId", &orm::table_of<Playlist>()},
          {"PlaylistTrack", "PlaylistId, TrackId", &orm::table_of<PlaylistTrack>()},
          {"Employee", "EmployeeId", &orm::table_of<Employee>()},  // a manager's id is below its reports'
          {"Customer", "CustomerId", &orm::table_of<Customer>()},
          {"Invoice", "InvoiceId", &orm::table_of<Invoice>()},
          {"InvoiceLine", "InvoiceLineId", &orm::table_of<InvoiceLine>()}};
}

/// One raw value as the target column's C++ type: the script's money is REAL in SQLite
/// (0.99 as a double) and its dates text, so both are converted before they are bound.
inline athanor::Value convert(const athanor::Value& v, const athanor::SqlType& type) {
  if (v.is_null()) return v;
  if (type.kind == athanor::TypeKind::numeric) {
    char buf[64];
    std::snprintf(buf, sizeof buf, "%.*f", type.scale, athanor::detail::from_value<double>(v));
    return athanor::Value(Decimal{buf});
  }
  if (type.kind == athanor::TypeKind::datetime) return athanor::Value(athanor::detail::from_value<DateTime>(v));
  return v;
}

/// Copies every raw row into the tables of `md` (created here) on `target`; returns the seconds taken.
inline double load(athanor::Engine& raw, athanor::Engine& target, const athanor::MetaData& md) {
  auto start = std::chrono::steady_clock::now();
  md.drop_all(target);
  md.create_all(target);
  auto src = raw.connect();
  auto dst = target.connect();
  auto tx = dst.begin();
  for (auto& c : copies()) {
    auto rows = src.exec_driver_sql(std::string("SELECT * FROM [") + c.raw + "] ORDER BY " + c.order_by);
    auto& cols = c.table->columns();
    std::vector<athanor::Params> many;
    many.reserve(rows.size());
    for (auto& row : rows) {
      if (row.size() != cols.size()) throw std::runtime_error(std::string("column count differs for ") + c.raw);
      athanor::Params p;
      p.reserve(cols.size());
      for (std::size_t i = 0; i < cols.size(); ++i) p.emplace_back(cols[i].name, convert(row[i], cols[i].type));
      many.push_back(std::move(p));
    }
    dst.execute_many(athanor::insert(*c.table), many);
  }
  tx.commit();
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

}  // namespace chinook
