// test/consumers/cmake/notes.hpp — what notes.cpp (a file over <athanor/orm.hpp> only) offers main.cpp.
#pragma once

#include <string>

#include <athanor/engine/engine.hpp>

/// Stores a Note holding `text` through a Session on `engine` and reads its text back.
std::string store_and_read(const athanor::Engine& engine, const std::string& text);
