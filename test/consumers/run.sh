#!/usr/bin/env bash
# test/consumers/run.sh [SOURCE_ROOT] — athanor as a user who installed it builds against it:
#   1. meson setup + meson install into a temporary prefix (no tests, no examples, no athanor
#      program: fast);
#   2. test/consumers/cmake with find_package(athanor), linking athanor::athanor (header-only);
#   3. the same linking athanor::compiled (separate compilation);
#   4. test/consumers/plain with the one g++ line a newcomer would type.
# One line per step; non-zero on the first failure, with that step's output. $CXX picks the
# compiler (default g++). Exit 77 (skipped) when cmake is not installed, unless CI=true.
set -euo pipefail
root=$(cd "${1:-$(dirname "$0")/../..}" && pwd)
cxx=${CXX:-g++}

if ! command -v cmake >/dev/null; then
  if [ "${CI:-}" = true ]; then
    echo "FAIL cmake is not installed (CI=true: failing instead of skipping; ./dev test installs it)" >&2
    exit 1
  fi
  echo "SKIP cmake is not installed (Debian: apt-get install cmake; ./dev test installs it)"
  exit 77
fi

tmp=$(mktemp -d /tmp/athanor-consumers.XXXXXX)
trap 'rm -rf "$tmp"' EXIT
prefix=$tmp/prefix

step() {  # step NAME COMMAND...: runs COMMAND, its output in a log shown only on failure
  local name=$1 start=$SECONDS log=$tmp/step.log; shift
  if "$@" >"$log" 2>&1; then
    printf 'ok   %-52s %4ss\n' "$name" $((SECONDS - start))
  else
    printf 'FAIL %-52s %4ss\n' "$name" $((SECONDS - start))
    tail -n 40 "$log"
    exit 1
  fi
}

install_athanor() {
  # buildtype plain (-O0, no debug info: the library compiles in 22.5 s of CPU instead of 27.2 s with
  # -g): what is tested is the install, not the code it compiles.
  meson setup "$tmp/build" "$root" --prefix="$prefix" -Dbuildtype=plain -Dtests=disabled -Dexamples=false -Dcli=false
  meson install -C "$tmp/build"
}

cmake_consumer() {  # cmake_consumer TARGET BUILDDIR: configure, build and run test/consumers/cmake
  cmake -S "$root/test/consumers/cmake" -B "$2" -G Ninja -DCMAKE_CXX_COMPILER="$cxx" \
        -DCMAKE_PREFIX_PATH="$prefix" -DATHANOR_TARGET="$1"
  cmake --build "$2"
  "$2/consumer"
}

plain_consumer() {
  # No -D: config.hpp finds <sqlite3.h>; <libpq-fe.h> and <mysql.h> are not on the default
  # include path on Debian, so PostgreSQL and MySQL stay out and -lsqlite3 is all it needs.
  local line=("$cxx" -std=c++20 -I"$prefix/include" "$root/test/consumers/plain/main.cpp"
              -lsqlite3 -o "$tmp/plain")
  echo "${line[*]}"
  "${line[@]}"
  "$tmp/plain"
}

step "meson install into a temporary prefix" install_athanor
step "cmake consumer, athanor::athanor (header-only)" cmake_consumer athanor::athanor "$tmp/cmake-header"
step "cmake consumer, athanor::compiled" cmake_consumer athanor::compiled "$tmp/cmake-compiled"
step "plain g++ consumer" plain_consumer
