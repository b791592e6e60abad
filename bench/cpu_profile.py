#!/usr/bin/env python3
"""bench/cpu_profile.py — where each contestant's CPU time goes, workload by workload.

The VM has no PMU, so callgrind counts instructions but not what they cost: cache misses, page
faults, the kernel's work for brk and munmap. perf's software clock (`-e cpu-clock`) samples
CPU time whatever the hardware, so this script runs the benchmark under it once, with call
graphs, and splits each workload's samples of each contestant two ways:

- by kind (the function the sample is in): the kernel's page faults, the kernel's other work
  (system calls: brk, munmap, I/O), malloc and free, libc's memory copies, SQLite, and the
  rest (the contestant's own code, athanor's and the standard library's), and on a
  server the client libraries (libpq and libpqxx, MariaDB Connector/C); the server's own
  work is another process, not counted;
- by phase (the innermost of a few athanor functions on the stack), outside SQLite: the
  Session's close, the identity map, reading rows into objects, selectinload, the flush, …

Both contestants run in the same process and repetitions, so their sample counts compare
directly; the ORM's excess over hand-written code is read per kind and per phase. The prepared
contestant runs the Core's W1 and W5 to make its data (untimed, and W1 runs whatever --skip
says unless --only W1): they are the same functions, so they count as the Core's. Read the
Core's W1 from a run with --only W1 --skip prep.

  bench/cpu_profile.py [--bench build-bench/bench/bench] [--keep DIR] -- [bench options…]
  bench/cpu_profile.py -- --n 200000 --no-file --only W2 --skip core,prep --reps-large 3

Needs perf (Debian: linux-perf) and a release build of the bench (./dev bench makes one).
"""
import argparse
import collections
import os
import re
import subprocess
import sys
import tempfile

METHODS = {"w1_insert": "W1", "w2_load_all": "W2", "w3_get": "W3", "w4_filter": "W4", "w5_update": "W5",
           "w6_lazy": "W6a", "w6_eager": "W6b", "w7_delete": "W7"}
CONTESTANTS = {"SqliteRaw": "hand", "PqxxRaw": "hand", "MysqlRaw": "hand", "AthanorCore": "core",
               "AthanorPrepared": "prep", "AthanorOrm": "orm", "LibpqPipeline": "pipe", "PgMultiValues": "mval",
               "MysqlMultiValues": "mval", "MysqlBulk": "bulk"}
WORKLOAD = re.compile(r"bench::(\w+)::(w\d\w*?)(?:\(|$)")

MALLOC = re.compile(r"^(_int_malloc|_int_free|_int_realloc|malloc_consolidate|unlink_chunk|sysmalloc|systrim|"
                    r"__GI___libc_malloc|__GI___libc_free|__libc_calloc|__libc_realloc|malloc|free|cfree|realloc|"
                    r"calloc|tcache_\w+|operator new|operator delete|_int_memalign|__libc_memalign|"
                    r"__GI___libc_memalign|aligned_alloc)\b")
MEMCOPY = re.compile(r"^(__memcpy|__memmove|__memset|memcpy|memmove|memset|__memcmp|memcmp|__strlen|strlen)")
KINDS = ["page faults", "kernel, other", "malloc/free", "memcpy/memset", "SQLite", "libpq", "MariaDB C", "the rest"]

# Phases: the innermost of these on the stack names the sample's phase (first match wins per frame).
PHASES = [
    ("Session close", re.compile(r"detach_all|Session::~Session|SessionCore::~SessionCore|collect_cycles")),
    ("identity map", re.compile(r"IdentityMap::")),
    ("selectin grouping", re.compile(r"key_order|key_less|selectin_group|assign_collections")),
    ("rows into objects", re.compile(r"read_members|read_row_into|MemberAccess|assign_text|ModelOps::load\b|load_instance")),
    ("driver row reading", re.compile(r"driver::\w+::Statement::(read_row|next|cell)|RowCells")),
    ("flush", re.compile(r"flush|unit_of_work|UnitOfWork")),
    ("statement compile/cache", re.compile(r"compiled\(|cached_compile|compile_cache|CompileCache|Compiler::")),
    ("Ptr / objects", re.compile(r"orm::Ptr<|_Sp_counted|shared_ptr|Instance<")),
]


def frames(block):
    """The stack, innermost first, as (ip, symbol, library); an inlined frame takes the
    library of the frame it was inlined into (the next one at the same address)."""
    out = []
    for line in block.strip().split("\n"):
        line = line.strip()
        if not line:
            continue
        ip, _, rest = line.partition(" ")
        sym, dso = rest, ""
        if rest.endswith(")") and " (" in rest:
            sym, _, dso = rest[:-1].rpartition(" (")
        out.append([ip, sym.strip(), dso])
    for i in range(len(out) - 1, -1, -1):
        if out[i][2] == "inlined":
            out[i][2] = out[i + 1][2] if i + 1 < len(out) else ""
    return [tuple(f) for f in out]


def kind_of(fr):
    if any(s in ("exc_page_fault", "asm_exc_page_fault") for _, s, _ in fr):
        return "page faults"
    ip, leaf, dso = fr[0]
    if ip.startswith("ffff") or "kernel" in dso:
        return "kernel, other"
    if MALLOC.match(leaf) or leaf.startswith("_int_") or "malloc" in leaf:
        return "malloc/free"
    if MEMCOPY.match(leaf):
        return "memcpy/memset"
    if leaf.startswith("sqlite3") or "libsqlite3" in dso:  # the library's static functions have no symbol
        return "SQLite"
    if "libpq." in dso or "libpqxx" in dso:
        return "libpq"
    if "libmariadb" in dso:
        return "MariaDB C"
    return "the rest"


def phase_of(fr):
    for _, sym, _ in fr:
        if sym.startswith("bench::"):
            break
        for name, rx in PHASES:
            if rx.search(sym):
                return name
    return "other"


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--bench", default="build-bench/bench/bench")
    ap.add_argument("--keep", help="keep perf's data and script output in this directory")
    ap.add_argument("--freq", default="5000")
    ap.add_argument("--data", help="read this perf.data (a --keep run's) instead of running the bench")
    ap.add_argument("rest", nargs=argparse.REMAINDER)
    a = ap.parse_args()
    args = [x for x in a.rest if x != "--"]
    work = a.keep or tempfile.mkdtemp(prefix="athanor-cpu-profile.")
    os.makedirs(work, exist_ok=True)
    data = a.data or os.path.join(work, "perf.data")
    if not a.data:
        with open(os.path.join(work, "bench.out"), "w") as out:
            subprocess.run(["perf", "record", "-q", "-e", "cpu-clock", "-F", a.freq, "--call-graph", "dwarf,32768",
                            "-o", data, a.bench] + args, stdout=out, stderr=subprocess.STDOUT, check=True)
    text = subprocess.run(["perf", "script", "-i", data, "-F", "ip,sym,dso"], capture_output=True, text=True,
                          check=True).stdout
    kinds = collections.defaultdict(collections.Counter)   # (W, contestant) -> kind -> samples
    phases = collections.defaultdict(collections.Counter)  # (W, contestant) -> phase -> samples
    for block in text.split("\n\n"):
        fr = frames(block)
        if not fr:
            continue
        key = None
        for _, sym, _ in fr:
            m = WORKLOAD.search(sym)
            if m and m[1] in CONTESTANTS and m[2] in METHODS:
                key = (METHODS[m[2]], CONTESTANTS[m[1]])
                break
        if not key:
            continue
        kind = kind_of(fr)
        kinds[key][kind] += 1
        if kind != "SQLite":  # SQLite's own work is one column above, whichever athanor function called it
            phases[key][phase_of(fr)] += 1
    order = ["W1", "W2", "W3", "W4", "W5", "W6a", "W6b", "W7"]
    for w in order:
        hand = sum(kinds[(w, "hand")].values())
        if not any(kinds[(w, c)] for c in CONTESTANTS.values()):
            continue
        if hand:
            print(f"\n{w}: samples by kind (CPU time), each contestant / hand-written total")
        else:  # hand-written code skipped: sample counts
            print(f"\n{w}: samples by kind (CPU time; no hand-written run: counts of samples)")
            hand = 1
        print(f"  {'contestant':10} {'samples':>8} {'ratio':>6}  " + "  ".join(f"{k:>13}" for k in KINDS))
        for c in ["hand", "core", "prep", "pipe", "mval", "bulk", "orm"]:
            k = kinds[(w, c)]
            tot = sum(k.values())
            if not tot:
                continue
            cells = "  ".join(f"{k[x] / hand:13.2f}" for x in KINDS)
            cells = "  ".join(f"{k[x] / hand:13.2f}" if hand > 1 else f"{k[x]:13d}" for x in KINDS)
            print(f"  {c:10} {tot:8d} {tot / hand:5.2f}x  {cells}")
        for c in ["core", "orm"]:
            p = phases[(w, c)]
            tot = sum(p.values())
            if not tot:
                continue
            parts = ", ".join(f"{name} {n / hand:.2f}" if hand > 1 else f"{name} {n}" for name, n in p.most_common()
                              if n / (hand if hand > 1 else tot) >= 0.02)
            print(f"  {c} outside SQLite, by phase (/ hand total): {parts}")
    if not a.keep:
        for f in os.listdir(work):
            os.remove(os.path.join(work, f))
        os.rmdir(work)


if __name__ == "__main__":
    sys.exit(main())
