#!/bin/sh
# usage: run.sh EXPECTED SOURCE COMPILER ARGS...  With -DATHANOR_COMPILE_FAIL the case must
# fail, the diagnostic must contain EXPECTED, and stay short (at most 25 lines on the
# compilers we support). run_all.py compiles every case at once and calls this for a case the
# shared run cannot decide (or to check one case by hand). Its positive control (the case as
# it is compiles) is positive.sh, one compiler run for every case.
expected=$1; src=$2; shift 2
out=$("$@" -DATHANOR_COMPILE_FAIL "$src" 2>&1) && { echo "compiled but should not"; exit 1; }
printf '%s\n' "$out" | grep -q -- "$expected" || { printf '%s\n' "$out" | head -30; echo "missing: $expected"; exit 1; }
lines=$(printf '%s\n' "$out" | wc -l)
[ "$lines" -le 25 ] || { printf '%s\n' "$out" | head -30; echo "diagnostic has $lines lines (limit 25)"; exit 1; }
exit 0
