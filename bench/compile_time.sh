#!/bin/sh
# bench/compile_time.sh — compile time and peak memory of athanor user code with g++ -O2:
# bench/compile/include_only.cpp (the umbrella header alone), bench/compile/models_only.cpp (two
# models over <athanor/orm.hpp>), each examples/*.cpp (core_tour, blog…; blog.cpp also on the lean path:
# <athanor/orm.hpp> and <athanor/backend/sqlite.hpp>, -DBLOG_SQLITE_ONLY) and a generated stress case
# (bench/stress/generate.py: 10 models x 30 columns, 50 typed statements; the ORM issue asks
# for < 20 s and < 1.5 GiB). Compiles only (-c), one file at a time, with every backend whose
# client library is installed on (as ./dev builds; the same flags in every mode, --check too).
#
#   bench/compile_time.sh                 # from the repository root; CXX=clang++ to compare
#   bench/compile_time.sh --models 20 --columns 40 --queries 100   # a bigger stress case
#   bench/compile_time.sh --chinook      # only the Chinook reporting corpus (bench/compile_reports.cpp):
#                                        # 0, part one and all reports, so the cost of one statement shows
#   bench/compile_time.sh --pch          # a precompiled <athanor/athanor.hpp> (g++ .gch, as Meson's
#                                        # cpp_pch and CMake's target_precompile_headers make it): its
#                                        # build once, then include_only.cpp and blog.cpp with and without it
#   bench/compile_time.sh --check        # the regression guard (a meson test, suite compile-time, ~1 min):
#                                        # fails when a file's CPU time, as a ratio to bench/compile/
#                                        # baseline.cpp compiled in the same run, is > 1.3x the ratio
#                                        # recorded in bench/compile_time.baseline, when the include-only
#                                        # file defines an athanor function, or when models_only.cpp
#                                        # parses a driver or the SQL compiler
#   bench/compile_time.sh --record       # measures the same and writes bench/compile_time.baseline
# Where the time goes (clang -ftime-trace, g++ -fdump-ipa-cgraph function bodies): bench/compile_trace.py.
set -eu
chinook=0 check= pch=0
if [ "${1:-}" = "--chinook" ]; then chinook=1; shift; fi
if [ "${1:-}" = "--pch" ]; then pch=1; shift; fi
if [ "${1:-}" = "--check" ] || [ "${1:-}" = "--record" ]; then check=${1#--}; shift; fi
cd "$(dirname "$0")/.."
CXX=${CXX:-g++}
tmp=$(mktemp -d /tmp/athanor-compile.XXXXXX)
trap 'rm -rf "$tmp"' EXIT

# Every backend whose client library is installed, as ./dev builds it (issue 17 measures that),
# for every mode of this script, so that README's table and the --check guard compile the same:
# $backend_flags (the -D and -I flags) and $backends (the names of the servers' backends on).
backend() {  # backend NAME PKG...: on when pkg-config knows every PKG (a function: its own "$@")
  name=$1; shift
  if pkg-config --exists "$@" 2>/dev/null; then backend_flags="$backend_flags -DATHANOR_WITH_$name=1 $(pkg-config --cflags "$@")"; backends="$backends $name"
  else backend_flags="$backend_flags -DATHANOR_WITH_$name=0"; fi
}
backend_flags="-DATHANOR_WITH_SQLITE=1 $(pkg-config --cflags sqlite3 2>/dev/null || true)" backends=
backend POSTGRESQL libpqxx libpq
backend MYSQL libmariadb
if pkg-config --exists 'libcrypto >= 3.0' 2>/dev/null; then backend_flags="$backend_flags -DATHANOR_WITH_OPENSSL=1"; fi

if [ -n "$check" ]; then
  # CPU time (user + system of the compiler and its children) rather than wall time: the CI
  # machine runs other tests beside this one. Machine speed cancels out in the ratio to the
  # baseline file; a ratio is compared only with one recorded by the same compiler and version.
  compiler="$(if $CXX --version | head -1 | grep -q clang; then echo clang; else echo gcc; fi)-$($CXX -dumpversion | cut -d. -f1)"
  cflags="-std=c++20 -O2 -w -Iinclude $backend_flags"
  cpu() {  # cpu SOURCE [flags]: prints the CPU seconds of one compilation
    # shellcheck disable=SC2086
    python3 -c 'import resource, subprocess, sys
r = subprocess.run(sys.argv[1:])
u = resource.getrusage(resource.RUSAGE_CHILDREN)
print("%.2f" % (u.ru_utime + u.ru_stime)) if r.returncode == 0 else sys.exit("compile failed: " + " ".join(sys.argv[1:]))' \
      $CXX $cflags "$@" -c -o "$tmp/out.o"
  }
  best() {  # best N SOURCE [flags]: the smallest CPU time of N compilations
    n=$1; shift; b=
    for _ in $(seq "$n"); do t=$(cpu "$@"); b=$(awk -v a="${b:-$t}" -v t="$t" 'BEGIN { print (t < a ? t : a) }'); done
    echo "$b"
  }
  # name, repetitions (the minimum is kept), source and flags; blog header-only is the slowest
  # (~25-35 s), so once: a regression of 30 % is well above the spread of one run.
  files="include_only 3 bench/compile/include_only.cpp
blog 1 examples/blog.cpp
blog_separate 1 examples/blog.cpp -DATHANOR_SEPARATE_COMPILATION"
  recorded=bench/compile_time.baseline
  if [ "$check" = check ]; then
    want=$(awk '$1 == "compiler" { print $2 }' "$recorded")
    if [ "$want" != "$compiler" ]; then
      echo "$recorded holds ratios of $want; this compiler is $compiler: nothing to compare (bench/compile_time.sh --record)"
      exit 77  # meson: skipped
    fi
    limit=$(awk '$1 == "tolerance" { print $2 }' "$recorded")
  fi
  # The include-only file defines none of athanor's functions: an out-of-line virtual function
  # declared in its class without ATHANOR_DECL is a key function, and header-only every file then
  # emits that class's vtable and virtual functions (a first split of the drivers did: 272 athanor
  # functions defined, and a third of the include-only file's CPU time in g++'s code generation).
  if command -v nm >/dev/null; then
    # shellcheck disable=SC2086
    $CXX $cflags -c bench/compile/include_only.cpp -o "$tmp/include_only.o"
    defined=$(nm -C --defined-only "$tmp/include_only.o" | grep -E ' [TtWwVv] ' | grep 'athanor::' || true)
    if [ -n "$defined" ]; then
      echo "bench/compile/include_only.cpp defines athanor functions (a key function in a header?):"
      echo "$defined" | head -10
      exit 1
    fi
  fi
  # bench/compile/models_only.cpp (models over <athanor/orm.hpp>) parses no driver, no backend's
  # dialect, no client library and not the SQL compiler, header-only with every backend on
  # (issue 17): what the preprocessor opened, from g++ -H. test/check_layering.sh checks the same
  # on the include lines of every configuration.
  # shellcheck disable=SC2086
  opened=$($CXX $cflags -H -fsyntax-only bench/compile/models_only.cpp 2>&1 >/dev/null | sed -n 's/^\.\.* //p' | sort -u)
  heavy=$(echo "$opened" | grep -E 'athanor/(driver/(sqlite|postgresql|mysql)|driver/(detail|impl)/|dialect/(compiler|ansi|sqlite|postgresql|mysql)|engine/create_engine)|/(sqlite3\.h|mysql\.h|libpq-fe\.h)$|/pqxx/' || true)
  if [ -n "$heavy" ]; then
    echo "bench/compile/models_only.cpp parses a driver or the SQL compiler (<athanor/orm.hpp> must not):"
    echo "$heavy" | head -10
    exit 1
  fi
  base=$(best 3 bench/compile/baseline.cpp)
  echo "compiler: $($CXX --version | head -1) ($compiler); backends: SQLITE$backends; CPU s = user + system, min of the runs"
  echo
  echo "| translation unit | CPU s | ratio to baseline | recorded | limit | |"
  echo "|---|---:|---:|---:|---:|---|"
  printf '| bench/compile/baseline.cpp (plain C++ and sqlite3) | %.2f | 1.00 | | | |\n' "$base"
  status=0 out=
  echo "$files" | { while read -r name reps src extra; do
    t=$(best "$reps" "$src" $extra)
    ratio=$(awk -v t="$t" -v b="$base" 'BEGIN { printf "%.2f", t / b }')
    label="$src${extra:+ (separate compilation)}"
    if [ "$check" = record ]; then
      printf '| %s | %.2f | %s | | | |\n' "$label" "$t" "$ratio"
      out="$out$name $ratio
"
      continue
    fi
    rec=$(awk -v n="$name" '$1 == n { print $2 }' "$recorded")
    max=$(awk -v r="$rec" -v l="$limit" 'BEGIN { printf "%.2f", r * l }')
    if awk -v x="$ratio" -v m="$max" 'BEGIN { exit !(x > m) }'; then
      # Over the limit: measured again (the baseline too) before failing, so that one slow run
      # on a busy machine is not a failure.
      # The smaller ratio is kept, with the seconds of the run it came from.
      base2=$(best 2 bench/compile/baseline.cpp); t2=$(best 2 "$src" $extra)
      ratio2=$(awk -v t="$t2" -v b="$base2" 'BEGIN { printf "%.2f", t / b }')
      if awk -v x="$ratio2" -v r="$ratio" 'BEGIN { exit !(x < r) }'; then ratio=$ratio2 t=$t2; fi
    fi
    verdict=ok
    if awk -v x="$ratio" -v m="$max" 'BEGIN { exit !(x > m) }'; then verdict="**slower than allowed**"; status=1; fi
    printf '| %s | %.2f | %s | %s | %s | %s |\n' "$label" "$t" "$ratio" "$rec" "$max" "$verdict"
  done
  if [ "$check" = record ]; then
    { echo "# bench/compile_time.sh --record: CPU time of each file / CPU time of bench/compile/baseline.cpp,"
      echo "# g++ -O2, every installed backend; --check fails above ratio x tolerance. Recorded $(date -u +%Y-%m-%d)."
      echo "compiler $compiler"
      echo "tolerance 1.30"
      printf '%s' "$out"; } > "$recorded"
    echo; echo "(written to $recorded)"
  fi
  exit $status; } || exit $?
  exit 0
fi

flags="-std=c++20 -O2 -Iinclude $backend_flags"

[ $chinook = 1 ] || [ $pch = 1 ] || python3 bench/stress/generate.py "$tmp/stress.cpp" "$@"

status=0
have_time_v=0
if [ -x /usr/bin/time ] && /usr/bin/time -v true 2>/dev/null; then have_time_v=1; fi

echo "compiler: $($CXX --version | head -1); flags: $flags -c"
printf '%-40s %10s %10s %14s\n' "file" "wall s" "CPU s" "peak RSS MiB"
measure() {  # measure NAME SOURCE [extra flags]; $out: the output file (default an object)
  name=$1 src=$2; shift 2
  o=${out:-$tmp/out.o}
  if [ $have_time_v = 1 ]; then
    # shellcheck disable=SC2086
    if ! /usr/bin/time -v -o "$tmp/time.txt" $CXX $flags "$@" -c "$src" -o "$o" 2>"$tmp/err.txt"; then
      printf '%-40s %10s\n' "$name" "FAILED"; head -20 "$tmp/err.txt"; status=1; return
    fi
    secs=$(sed -n 's/.*Elapsed (wall clock) time (h:mm:ss or m:ss): //p' "$tmp/time.txt" | awk -F: '{ s = 0; for (i = 1; i <= NF; i++) s = s * 60 + $i; print s }')
    cpu=$(awk -F': ' '/User time|System time/ { s += $2 } END { print s }' "$tmp/time.txt")
    rss=$(sed -n 's/.*Maximum resident set size (kbytes): //p' "$tmp/time.txt")
    printf '%-40s %10.2f %10.2f %14.0f\n' "$name" "$secs" "$cpu" "$(awk -v k="$rss" 'BEGIN { print k / 1024 }')"
  else
    start=$(date +%s.%N)  # no /usr/bin/time -v (Debian package "time"): wall time only
    # shellcheck disable=SC2086
    $CXX $flags "$@" -c "$src" -o "$o" || { printf '%-40s %10s\n' "$name" "FAILED"; status=1; return; }
    printf '%-40s %10.2f %10s %14s\n' "$name" "$(awk -v a="$start" -v b="$(date +%s.%N)" 'BEGIN { print b - a }')" "n/a" "n/a"
  fi
}
if [ $pch = 1 ]; then
  # The recipe README gives: one header that includes athanor (and whatever else every file
  # includes), precompiled once per build with the flags of the files that use it, then included
  # first by each file (g++ -include; Meson and CMake do both). -Winvalid-pch as an error: a .gch
  # that does not fit the flags would otherwise be skipped without a word.
  mkdir "$tmp/pch"
  echo '#include <athanor/athanor.hpp>' > "$tmp/pch/athanor_pch.hpp"
  for mode in "" "-DATHANOR_SEPARATE_COMPILATION"; do
    label=${mode:+, separate compilation}
    out="$tmp/pch/athanor_pch.hpp.gch"
    measure "precompiling athanor_pch.hpp$label" "$tmp/pch/athanor_pch.hpp" -x c++-header $mode
    out=
    for src in bench/compile/include_only.cpp examples/blog.cpp; do
      measure "$(basename "$src")$label" "$src" $mode
      measure "$(basename "$src") with the PCH$label" "$src" $mode -include "$tmp/pch/athanor_pch.hpp" -Winvalid-pch -Werror=invalid-pch
    done
    rm -f "$tmp/pch/athanor_pch.hpp.gch"
  done
  exit $status
fi
if [ $chinook = 1 ]; then
  # The number of reports in each part, read from the X-macro lists (one X(name, ordered) each).
  part_a=$(grep -o 'X([a-z0-9_]*, \(true\|false\))' test/chinook/queries_a.hpp | wc -l)
  # (the later parts are compiled in only when the features they use are in include/)
  later=test/chinook/queries_b.hpp
  [ -f include/athanor/orm/case.hpp ] && later="$later test/chinook/queries_money.hpp"
  [ -f include/athanor/orm/window.hpp ] && later="$later test/chinook/queries_window.hpp"
  [ -f include/athanor/orm/compound.hpp ] && later="$later test/chinook/queries_compound.hpp"
  [ -f include/athanor/orm/functions.hpp ] && later="$later test/chinook/queries_functions.hpp"
  # shellcheck disable=SC2086
  part_b=$(cat $later 2>/dev/null | grep -o 'X([a-z0-9_]*, \(true\|false\))' | wc -l)
  for mode in "" "-DATHANOR_SEPARATE_COMPILATION"; do
    label=${mode:+, separate compilation}
    measure "chinook: models only$label" bench/compile_reports.cpp -Itest -DCHINOOK_BENCH_REPORTS=0 $mode
    measure "chinook: $part_a reports$label" bench/compile_reports.cpp -Itest -DCHINOOK_BENCH_REPORTS=1 $mode
    measure "chinook: $((part_a + part_b)) reports$label" bench/compile_reports.cpp -Itest -DCHINOOK_BENCH_REPORTS=2 $mode
  done
  echo "(the cost of one typed statement: the CPU s difference between two lines / the reports added)"
  exit $status
fi
# Each file header-only (the default), then with ATHANOR_SEPARATE_COMPILATION (include/athanor/
# config.hpp), where the library's non-template code is compiled once, in src/athanor.cpp.
# The floor under the include-only file: the standard, Boost and client-library headers that
# athanor's own headers include (read from g++ -H), compiled alone in the same mode. No change to
# athanor's own code takes that part off; only not including a header does.
externals() {  # externals [flags]: an #include line for each such header, by its full path
  # shellcheck disable=SC2086
  $CXX $flags "$@" -H -fsyntax-only bench/compile/include_only.cpp 2>&1 >/dev/null | awk '
    /^\.+ / { d = length($1); stack[d] = $2
               if ($2 !~ /athanor\// && (d == 1 || stack[d - 1] ~ /athanor\//) && !seen[$2]++) print "#include \"" $2 "\"" }'
}
for src in bench/compile/include_only.cpp bench/compile/models_only.cpp examples/*.cpp "$tmp/stress.cpp"; do
  [ -f "$src" ] || continue
  name=$(basename "$src")
  [ "$src" = "$tmp/stress.cpp" ] && name="stress (generated)"
  measure "$name" "$src"
  measure "$name, separate compilation" "$src" -DATHANOR_SEPARATE_COMPILATION
  if [ "$src" = examples/blog.cpp ]; then
    # The lean path: <athanor/orm.hpp> and <athanor/backend/sqlite.hpp> instead of <athanor/athanor.hpp>,
    # so that the file compiles the SQLite driver only, not every backend built in.
    measure "blog.cpp, SQLite only" "$src" -DBLOG_SQLITE_ONLY
    measure "blog.cpp, SQLite only, separate compilation" "$src" -DBLOG_SQLITE_ONLY -DATHANOR_SEPARATE_COMPILATION
  fi
  if [ "$src" = bench/compile/include_only.cpp ]; then
    externals > "$tmp/floor.cpp"
    measure "  its std/Boost/client headers alone" "$tmp/floor.cpp"
    externals -DATHANOR_SEPARATE_COMPILATION > "$tmp/floor.cpp"
    measure "  the same, separate compilation" "$tmp/floor.cpp"
  fi
done
measure "src/athanor.cpp (once per program)" src/athanor.cpp -DATHANOR_SEPARATE_COMPILATION
echo "(stress limits from the ORM issue: < 20 s and < 1536 MiB; CPU s is user + system time,"
echo " the figure to read on a busy machine)"
exit $status
