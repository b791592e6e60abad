// athanor/auth/detail/config.hpp — ATHANOR_AUTH_DECL / ATHANOR_AUTH_DEFINITIONS: auth/'s
// own ATHANOR_DECL (athanor/config.hpp). auth/ is compiled once, in <athanor/src.hpp>'s unit,
// only when the build says OpenSSL is on (ATHANOR_WITH_OPENSSL=1: Meson's athanor-compiled and
// CMake's athanor::compiled define it and link libcrypto). A separate build without it (a plain
// compiler line) keeps auth/ inline, so its source file never needs libcrypto.
#pragma once

#include <athanor/config.hpp>

#if defined(ATHANOR_SEPARATE_COMPILATION) && defined(ATHANOR_WITH_OPENSSL) && ATHANOR_WITH_OPENSSL
#  define ATHANOR_AUTH_DECL ATHANOR_DECL
#  define ATHANOR_AUTH_DEFINITIONS ATHANOR_DEFINITIONS
#else
#  define ATHANOR_AUTH_DECL inline
#  define ATHANOR_AUTH_DEFINITIONS 1
#endif
