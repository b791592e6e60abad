// test/engine/backend_headers_other.cpp — the second file of backend_headers.cpp's program: it
// includes <athanor/backend/sqlite.hpp> too, so the program links two copies of its registration
// (one inline variable: SQLite is registered once).
#include <athanor/backend/sqlite.hpp>

athanor::Engine other_file_engine() { return athanor::create_engine("sqlite://"); }
