#!/bin/sh
# usage: run.sh EXPECTED SOURCE COMPILER ARGS...  (1) must compile as is (the positive
# control); (2) with -DATHANOR_COMPILE_FAIL must fail, the diagnostic must contain
# EXPECTED, and stay short (at most 25 lines on the compilers we support).
expected=$1; src=$2; shift 2
"$@" "$src" || { echo "positive control failed to compile"; exit 1; }
out=$("$@" -DATHANOR_COMPILE_FAIL "$src" 2>&1) && { echo "compiled but should not"; exit 1; }
printf '%s\n' "$out" | grep -q -- "$expected" || { printf '%s\n' "$out" | head -30; echo "missing: $expected"; exit 1; }
lines=$(printf '%s\n' "$out" | wc -l)
[ "$lines" -le 25 ] || { printf '%s\n' "$out" | head -30; echo "diagnostic has $lines lines (limit 25)"; exit 1; }
exit 0
