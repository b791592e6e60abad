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
