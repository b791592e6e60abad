// test/engine/backend_headers_other.cpp — the second file of backend_headers.cpp's program: it
// includes <athanor/backend/sqlite.hpp> too, and links with it (header-only, one definition).
#include <athanor/backend/sqlite.hpp>

athanor::Engine other_file_engine() { return athanor::sqlite::create_engine("sqlite://"); }
