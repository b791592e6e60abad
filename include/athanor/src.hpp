// athanor/src.hpp — the library's non-template code, for ATHANOR_SEPARATE_COMPILATION
// (see athanor/config.hpp). Include it in exactly one .cpp, before any other athanor header:
//
//     // athanor.cpp, built with -DATHANOR_SEPARATE_COMPILATION like every other unit
//     #include <athanor/src.hpp>
//
// The out-of-line code is what a header keeps under `#if ATHANOR_DEFINITIONS`: in place for
// short parts, else in the header's matching impl/ file (driver/impl/, migrate/impl/), as Asio
// does. Each is included once here, through the headers below, and nowhere else in this mode.
// Every backend built in is registered here too (<athanor/backends.hpp>, through athanor.hpp): in
// this mode each program has them all, whatever its files include, and a file's backend headers
// (athanor/backend/) compile nothing. This unit defines create_engine, so any program that makes
// an Engine links it, registrations included, even from a static library.
#pragma once

#if !defined(ATHANOR_SEPARATE_COMPILATION)
#  error "athanor/src.hpp is for ATHANOR_SEPARATE_COMPILATION builds; header-only builds need no source file"
#endif
#if defined(ATHANOR_DEFINITIONS)
#  error "include <athanor/src.hpp> before any other athanor header"
#endif
#define ATHANOR_SOURCE 1

#include <athanor/athanor.hpp>
#include <athanor/backends.hpp>
#include <athanor/dialect/compiler_select.hpp>
#include <athanor/dialect/compiler_dml.hpp>
#include <athanor/engine/detail/backend_registry.hpp>
#include <athanor/migrate/diff.hpp>
#include <athanor/migrate/inspect.hpp>
#include <athanor/migrate/codegen.hpp>
#include <athanor/orm/detail/relations.hpp>
#include <athanor/orm/detail/unit_of_work.hpp>
// auth/ only when the build links libcrypto (auth/detail/config.hpp).
#if defined(ATHANOR_WITH_OPENSSL) && ATHANOR_WITH_OPENSSL
#include <athanor/auth.hpp>
#endif
