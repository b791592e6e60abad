// athanor/config.hpp — header-only (the default) or separately compiled.
//
// athanor is header-only: include it and build. A program with many translation units can
// instead compile the library's non-template code once (the SQL compiler, the drivers, the
// session's unit of work, DDL): define ATHANOR_SEPARATE_COMPILATION for every translation
// unit and include <athanor/src.hpp> in exactly one .cpp (Meson: the `athanor-compiled`
// dependency does both). Each translation unit then compiles only the templates it uses.
// This is Boost.Asio's ASIO_SEPARATE_COMPILATION; the library code is the same in both modes.
#pragma once

#if defined(ATHANOR_SEPARATE_COMPILATION)
/// Declares a non-template function whose one definition lives in <athanor/src.hpp>'s unit.
#  define ATHANOR_DECL
#  if defined(ATHANOR_SOURCE)
#    define ATHANOR_DEFINITIONS 1
#  else
#    define ATHANOR_DEFINITIONS 0
#  endif
#else
#  define ATHANOR_DECL inline
#  define ATHANOR_DEFINITIONS 1
#endif

// Backends. ATHANOR_WITH_SQLITE, ATHANOR_WITH_POSTGRESQL and ATHANOR_WITH_MYSQL set to 1 build
// a backend in, set to 0 leave it out. Left undefined, a backend is built in when its headers
// are on the include path, so that `g++ -std=c++20 -Iinclude main.cpp -lsqlite3` just works:
//   SQLite      <sqlite3.h>                             link -lsqlite3
//   PostgreSQL  <pqxx/connection> and <libpq-fe.h>      link -lpqxx -lpq (Debian: -I/usr/include/postgresql)
//   MySQL       <mysql.h> (MariaDB Connector/C)         link -lmariadb  (Debian: -I/usr/include/mariadb)
// A backend found this way must be linked; `pkg-config --cflags --libs athanor` (after meson
// install) gives both the flags and the libraries. Meson and CMake builds define all three.
#ifndef ATHANOR_WITH_SQLITE
#  if __has_include(<sqlite3.h>)
#    define ATHANOR_WITH_SQLITE 1
#  else
#    define ATHANOR_WITH_SQLITE 0
#  endif
#endif
#ifndef ATHANOR_WITH_POSTGRESQL
#  if __has_include(<pqxx/connection>) && __has_include(<libpq-fe.h>)
#    define ATHANOR_WITH_POSTGRESQL 1
#  else
#    define ATHANOR_WITH_POSTGRESQL 0
#  endif
#endif
#ifndef ATHANOR_WITH_MYSQL
#  if __has_include(<mysql.h>)
#    define ATHANOR_WITH_MYSQL 1
#  else
#    define ATHANOR_WITH_MYSQL 0
#  endif
#endif
