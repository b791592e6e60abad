// test/consumers/cmake/main.cpp — a user's program built by CMake against an installed athanor
// (find_package(athanor), see CMakeLists.txt): the Engine here, a model, an insert and a typed
// select in notes.cpp, which includes <athanor/orm.hpp> only.
#include <athanor/athanor.hpp>

#include <cstdio>
#include <string>

#include "notes.hpp"

int main() {
  auto engine = athanor::create_engine("sqlite://");
  auto text = store_and_read(engine, "hello from CMake");
  if (text != "hello from CMake") return std::puts(text.c_str()), 1;
  std::printf("%s\n", text.c_str());
}
