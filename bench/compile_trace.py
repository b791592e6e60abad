#!/usr/bin/env python3
"""bench/compile_trace.py — where a translation unit's compile time goes (issue 17).

  clang++ -ftime-trace … -c bench/compile_reports.cpp -o /tmp/r.o   # writes /tmp/r.json
  bench/compile_trace.py trace /tmp/r.json [TOP]
      clang's trace summarised as ClangBuildAnalyzer does: the frontend/backend split, then the
      templates instantiated, the functions optimised and code-generated, each grouped by
      template (argument lists stripped) with their summed time and number of instances.

  bench/compile_trace.py groups /tmp/r.json
      the same trace's time by owner: parsing each header group (athanor's core/, dialect/, engine/,
      driver/, orm/…; the standard library; Boost; libpqxx; the C client libraries), exclusive of
      what it includes, then the template instantiations left to the end of the file and the
      back end, each as a share of the whole: what a cut in one group can take off at most.

  g++ -O2 -fdump-ipa-cgraph … -c X.cpp -o /tmp/d/x.o                 # writes /tmp/d/x.cpp.000i.cgraph
  bench/compile_trace.py bodies AFTER.cgraph [BEFORE.cgraph] [TOP]
      the function bodies in g++'s call graph (every one goes through the early optimisation
      passes, inlined later or not), grouped by template; with BEFORE, the difference (e.g. the
      same file with and without its statements: the bodies the statements add). A count, not a
      time: it does not move with the machine's load.
"""
import collections
import json
import re
import sys


def strip_args(name):
    """`a::B<int, C<d>>::f<x>` -> `a::B<>::f<>`."""
    out, depth = [], 0
    for ch in name:
        if ch == '<':
            if depth == 0:
                out.append('<>')
            depth += 1
        elif ch == '>':
            depth -= 1
        elif depth == 0:
            out.append(ch)
    return ''.join(out)


def table(title, rows, top, unit='s'):
    print(f"\n### {title}\n\n| | {unit} | instances |\n|---|---:|---:|")
    for name, (v, n) in sorted(rows.items(), key=lambda r: -r[1][0])[:top]:
        print(f"| `{name[:110]}` | {v:.2f} | {n} |")


def trace(path, top):
    events = json.load(open(path))['traceEvents']
    totals, by = {}, collections.defaultdict(lambda: collections.defaultdict(lambda: [0.0, 0]))
    for e in events:
        if e.get('ph') != 'X':
            continue
        d = e.get('dur', 0) / 1e6
        if e['name'].startswith('Total '):
            totals[e['name'][6:]] = (d, e.get('args', {}).get('count', 0))
        elif 'detail' in e.get('args', {}):
            agg = by[e['name']][strip_args(e['args']['detail'])]
            agg[0] += d
            agg[1] += 1
    print(f"## {path}\n\n| event kind (clang's totals; nested events overlap) | s | count |\n|---|---:|---:|")
    for k in ['ExecuteCompiler', 'Frontend', 'InstantiateClass', 'InstantiateFunction', 'PerformPendingInstantiations',
              'CodeGen Function', 'Backend', 'Optimizer', 'OptFunction', 'CodeGenPasses']:
        if k in totals:
            print(f"| {k} | {totals[k][0]:.2f} | {totals[k][1]} |")
    table('function templates instantiated (nested ones counted in their parents too)', by['InstantiateFunction'], top)
    table('class templates instantiated', by['InstantiateClass'], top)
    table('functions optimised (mangled names: the template is in the name)', by['OptFunction'], top)
    table('functions code-generated', by['CodeGen Function'], top)


def bodies(path):
    seen, cur = {}, None
    for line in open(path, errors='replace'):
        if line and not line[0].isspace():
            cur = re.match(r'(\S+)/\d+ \((.*)\) @0x', line)
        elif cur and line.strip().startswith('Type: function definition'):
            seen[cur.group(1)] = strip_args(re.sub(r' \[with .*', '', cur.group(2))).split('(')[0]
            cur = None
    return collections.Counter(seen.values())


def headers(path, top):
    events = [e for e in json.load(open(path))['traceEvents'] if e.get('ph') == 'X' and e['name'] == 'Source']
    events.sort(key=lambda e: (e['ts'], -e['dur']))
    incl, excl, ext, stack = collections.Counter(), collections.Counter(), collections.Counter(), []
    short = lambda n: re.sub(r'^(.*?/)?include/(c\+\+/\d+/)?', '', n).replace('athanor/', '')
    for e in events:
        start, d, name = e['ts'], e['dur'], e['args']['detail']
        while stack and stack[-1][0] + stack[-1][1] <= start:
            stack.pop()
        if stack:
            excl[stack[-1][2]] -= d
        if 'athanor/' not in name and stack and 'athanor/' in stack[-1][2]:
            ext[(short(name), short(stack[-1][2]))] += d
        incl[name] += d
        excl[name] += d
        stack.append((start, d, name))
    for title, rows in [('inclusive (with what it includes)', incl), ('exclusive', excl)]:
        print(f"\n### headers, {title}\n\n| header | s |\n|---|---:|")
        for n, d in rows.most_common(top):
            print(f"| `{short(n)}` | {d / 1e6:.2f} |")
    print(f"\n### standard, Boost and client-library headers, by the athanor header that includes them first"
          f" (total {sum(ext.values()) / 1e6:.2f} s)\n\n| header | from | s |\n|---|---|---:|")
    for (n, parent), d in ext.most_common(top):
        print(f"| `{n}` | `{parent}` | {d / 1e6:.3f} |")


def group_of(name):
    m = re.search(r'athanor/([a-z_]+)(/|\.hpp$)', name)
    if m:
        return 'athanor ' + m.group(1) + ('/' if m.group(2) == '/' else '.hpp')
    for key, label in [('/boost/', 'Boost'), ('/pqxx/', 'libpqxx'), ('/c++/', 'C++ standard library')]:
        if key in name:
            return label
    if re.search(r'(sqlite3|mysql|mariadb|libpq|postgres|pg_config)', name):
        return 'C client libraries'
    return 'C library and system'


def groups(path):
    events = [e for e in json.load(open(path))['traceEvents'] if e.get('ph') == 'X']
    total = next((e['dur'] for e in events if e['name'] == 'Total ExecuteCompiler'), 0)
    src = sorted((e for e in events if e['name'] == 'Source'), key=lambda e: (e['ts'], -e['dur']))
    excl, stack = collections.Counter(), []
    for e in src:
        while stack and stack[-1][0] + stack[-1][1] <= e['ts']:
            stack.pop()
        if stack:
            excl[stack[-1][2]] -= e['dur']
        excl[group_of(e['args']['detail'])] += e['dur']
        stack.append((e['ts'], e['dur'], group_of(e['args']['detail'])))
    rows = list(excl.most_common())
    for kind in ['PerformPendingInstantiations', 'Backend']:
        rows.append((kind, next((e['dur'] for e in events if e['name'] == 'Total ' + kind), 0)))
    print(f"## {path}\n\n| parsing (exclusive), then the rest | share |\n|---|---:|")
    for name, d in rows:
        if d >= total / 1000:  # (not the umbrella headers, which only include)
            print(f"| {name} | {100 * d / total:.1f} % |")


def chain(path, names):
    stack, seen = [], set()
    for line in open(path, errors='replace'):
        m = re.match(r'^(\.+) (.*)$', line.rstrip())
        if not m:
            continue
        stack = stack[:len(m.group(1)) - 1] + [m.group(2)]
        for n in names:
            if n in m.group(2) and n not in seen:
                seen.add(n)
                print(f"{n}: " + ' -> '.join(re.sub(r'^(.*?/)?include/(c\+\+/\d+/)?', '', p) for p in stack))


def main(argv):
    if len(argv) >= 2 and argv[0] == 'trace':
        trace(argv[1], int(argv[2]) if len(argv) > 2 else 15)
    elif len(argv) >= 2 and argv[0] == 'bodies':
        after = bodies(argv[1])
        rest = argv[2:]
        before = bodies(rest.pop(0)) if rest and not rest[0].isdigit() else collections.Counter()
        top = int(rest[0]) if rest else 40
        a, b = sum(after.values()), sum(before.values())
        print(f"function bodies: {a}" + (f" - {b} = {a - b}" if b else ""))
        diff = {k: (after[k] - before.get(k, 0), after[k]) for k in after}
        print("\n| function (template) | bodies added | in all |\n|---|---:|---:|")
        for k, (d, n) in sorted(diff.items(), key=lambda r: -r[1][0])[:top]:
            print(f"| `{k[:110]}` | {d} | {n} |")
    elif len(argv) >= 2 and argv[0] == 'headers':
        headers(argv[1], int(argv[2]) if len(argv) > 2 else 25)
    elif len(argv) >= 2 and argv[0] == 'groups':
        groups(argv[1])
    elif len(argv) >= 3 and argv[0] == 'chain':
        chain(argv[1], argv[2:])
    else:
        sys.exit(__doc__)


if __name__ == '__main__':
    main(sys.argv[1:])
