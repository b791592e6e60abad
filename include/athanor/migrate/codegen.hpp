// athanor/migrate/codegen.hpp — STUB on branch h-cli only, so that `athanor codegen` compiles
// here: helper `cg` writes the real header (models from a live database). At the merge its
// file replaces this one; the command calls only `codegen(engine)` with default options.
#pragma once

#include <string>  // std::string

#include <athanor/engine/engine.hpp>

namespace athanor::migrate {

/// Options of codegen() (the real header defines its own).
struct CodegenOptions {};

/// The C++ header of models for the tables of the database behind `engine` (not in this build).
inline std::string codegen(Engine& engine, const CodegenOptions& = {}) {
  (void)engine;
  throw ArgumentError("[athanor.argument.unsupported] codegen is not part of this build of athanor");
}

}  // namespace athanor::migrate
