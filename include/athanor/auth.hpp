// athanor/auth.hpp — the auth layer: PasswordHash (scrypt through OpenSSL 3, PHC strings,
// constant-time verify, rehash-on-upgrade) and its column mapping for Mapped<PasswordHash>.
// **Example**: `#include <athanor/auth.hpp>` then `Mapped<orm::PasswordHash> password;`
#pragma once

#include <athanor/auth/password_hash.hpp>
#include <athanor/auth/scrypt_params.hpp>
