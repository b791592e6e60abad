// athanor/dialect.hpp — the dialect layer: the compiler and one dialect per backend.
#pragma once

#include <athanor/dialect/ansi.hpp>
#include <athanor/dialect/compiler.hpp>
#include <athanor/dialect/dialect.hpp>
#include <athanor/dialect/sqlite.hpp>
