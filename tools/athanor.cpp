// tools/athanor.cpp — the installed `athanor` program: athanor::cli::main with no models and
// no revisions (inspect, codegen, current, history of the version table, upgrade --sql). An
// application gets every command for its own models with a program of its own that calls
// athanor::cli::main(argc, argv, registry, revisions) (include/athanor/cli.hpp).
#include <athanor/cli.hpp>

int main(int argc, char** argv) { return athanor::cli::main(argc, argv); }
