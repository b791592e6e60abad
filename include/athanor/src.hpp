// athanor/src.hpp — the library's non-template code, for ATHANOR_SEPARATE_COMPILATION
// (see athanor/config.hpp). Include it in exactly one .cpp, before any other athanor header:
//
//     // athanor.cpp, built with -DATHANOR_SEPARATE_COMPILATION like every other unit
//     #include <athanor/src.hpp>
//
// The out-of-line code is what a header keeps under `#if ATHANOR_DEFINITIONS`: in place for
// short parts, else in the header's matching impl/ file (driver/impl/, migrate/impl/), as Asio
// does. Each is included once here, through the headers below, and nowhere else in this mode.
#pragma once

#if !defined(ATHANOR_SEPARATE_COMPILATION)
#  error "athanor/src.hpp is for ATHANOR_SEPARATE_COMPILATION builds; header-only builds need no source file"
#endif
#if defined(ATHANOR_DEFINITIONS)
#  error "include <athanor/src.hpp> before any other athanor header"
#endif
#define ATHANOR_SOURCE 1

#include <athanor/athanor.hpp>
#include <athanor/dialect/compiler_select.hpp>
#include <athanor/dialect/compiler_dml.hpp>
#include <athanor/engine/detail/connect.hpp>
// Each backend's own create_engine (athanor/backend/), for the backends built in.
#if ATHANOR_WITH_SQLITE
#include <athanor/backend/sqlite.hpp>
#endif
#if ATHANOR_WITH_POSTGRESQL
#include <athanor/backend/postgresql.hpp>
#endif
#if ATHANOR_WITH_MYSQL
#include <athanor/backend/mysql.hpp>
#endif
#include <athanor/migrate/diff.hpp>
#include <athanor/migrate/inspect.hpp>
#include <athanor/migrate/codegen.hpp>
#include <athanor/orm/detail/relations.hpp>
#include <athanor/orm/detail/unit_of_work.hpp>
// auth/ only when the build links libcrypto (auth/detail/config.hpp).
#if defined(ATHANOR_WITH_OPENSSL) && ATHANOR_WITH_OPENSSL
#include <athanor/auth.hpp>
#endif
