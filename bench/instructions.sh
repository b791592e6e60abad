#!/usr/bin/env bash
# bench/instructions.sh — instructions per row of each workload, the ORM's and the
# hand-written code's, at each N: the benchmark run once under callgrind, which counts only
# inside the timed workloads (bench.cpp dumps one count per workload and contestant).
# Instruction counts are stable where CPU time moves ±20 % on a shared machine, and this VM
# has no PMU (perf stat -e instructions says "not supported").
#
#   bench/instructions.sh [BENCH] [bench options…]
#   bench/instructions.sh build-bench/bench/bench --n 10000,200000 --no-memory --only W2,W3 --skip core,prep
#
# Prints, per setting, workload and N: the hand-written code's and the ORM's (and the Core's,
# when it ran) instructions per unit, and ORM/hand. Units: W1, W2, W5, W6b, W7 per user of N;
# W3 per lookup (min(N, 20 000)); W4 per query (1000); W6a per user of the page (1000).
set -euo pipefail
bench=${1:-build-bench/bench/bench}
shift || true
out=$(mktemp -d /tmp/athanor-instructions.XXXXXX)
valgrind --tool=callgrind --instr-atstart=no --callgrind-out-file="$out/cg.%p" "$bench" --reps 1 --reps-large 1 "$@" \
  >"$out/bench.out" 2>"$out/valgrind.err" || { tail -20 "$out/valgrind.err"; exit 1; }
python3 - "$out" <<'EOF'
import glob, re, sys, collections
counts = collections.defaultdict(dict)  # (setting, W, N) -> {contestant: Ir}
for f in glob.glob(sys.argv[1] + "/cg.*"):
    desc = total = None
    for line in open(f, errors="replace"):
        if line.startswith("desc: Trigger: Client Request: "):
            desc = line[len("desc: Trigger: Client Request: "):].strip()
        elif line.startswith("summary:") or line.startswith("totals:"):
            total = int(line.split()[1])
    if desc and total is not None:
        m = re.match(r"(\S+) (\S+) N=(\d+) (\S+)", desc)
        if m:
            counts[(m[4], m[1], int(m[3]))][m[2]] = total
def unit(w, n):
    return {"W3": min(n, 20000), "W4": 1000, "W6a": 1000}.get(w, n)
print(f"{'setting':14} {'W':4} {'N':>7} {'hand/unit':>10} {'core/unit':>10} {'orm/unit':>10} {'ORM/hand':>9}")
for (s, w, n) in sorted(counts, key=lambda k: (k[0], int(k[1][1]), k[1], k[2])):
    c = counts[(s, w, n)]
    u = unit(w, n)
    f = lambda k: f"{c[k] / u:10.0f}" if k in c else f"{'-':>10}"
    r = f"{c['orm'] / c['hand']:8.2f}x" if "orm" in c and "hand" in c else "-"
    print(f"{s:14} {w:4} {n:7} {f('hand')} {f('core')} {f('orm')} {r:>9}")
EOF
rm -rf "$out"
