#!/bin/sh
# usage: positive.sh COUNT SOURCE... COMPILER ARGS...  The positive controls of the compile-fail
# cases in one translation unit: each case as it is (without -DATHANOR_COMPILE_FAIL) must
# compile, so that its failure in run.sh comes from its bad line alone. One compiler run for
# all of them instead of one each (each case in a namespace of its own: they all define main
# and some define models).
count=$1; shift
tu=$(mktemp --suffix=.cpp) || exit 1
trap 'rm -f "$tu"' EXIT
# The models at file scope first (without the precompiled header, a case's own #include would
# put them inside its namespace).
printf '#include "%s/models.hpp"\n' "$(dirname "$(realpath "$1")")" > "$tu"
i=0
while [ "$i" -lt "$count" ]; do
  n=$(basename "$1" .cpp)
  printf 'namespace cf_case_%s {\n#include "%s"\n}\n' "$n" "$(realpath "$1")" >> "$tu"
  shift; i=$((i + 1))
done
"$@" "$tu" || { echo "a positive control failed to compile (the case named in the errors above)"; exit 1; }
