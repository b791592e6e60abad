#!/usr/bin/env python3
"""usage: run_all.py COUNT (SOURCE EXPECTED)... COMPILER ARGS...

Every compile-fail case in one compiler run, then each case judged on its own diagnostics.

Each case alone costs a whole compilation, nearly all of it loading the library (~6 s of CPU with
the precompiled header, 39 cases ~270 s of CI's test time); the cases together cost one (~9 s).
The translation unit holds each case in a namespace of its own, as positive.sh does, compiled
with -DATHANOR_COMPILE_FAIL. The compiler's output is cut into diagnostics (an error or warning
with its context lines and notes), and a diagnostic belongs to the case whose file it names.
A case passes here when its diagnostics contain its EXPECTED sentence and stay well under
run.sh's 25 lines.

A case whose diagnostics are missing, lack the sentence, or come near the limit is compiled
again alone by run.sh, whose verdict is final: a template specialization instantiated by two
cases reports its error once (for the first), and an include chain is printed only the first
time, so the grouped run can only let a case pass early, never fail one.
"""
import os
import re
import subprocess
import sys
import tempfile

here = os.path.dirname(os.path.realpath(__file__))
count = int(sys.argv[1])
cases = [(os.path.realpath(sys.argv[2 + 2 * i]), sys.argv[3 + 2 * i]) for i in range(count)]
compiler = sys.argv[2 + 2 * count:]

# Lines below this pass in the grouped run; above, run.sh decides (its limit is 25 lines of the
# case compiled alone, which may add an include chain of up to ~6 lines).
GROUPED_LIMIT = 18

with tempfile.NamedTemporaryFile('w', suffix='.cpp', delete=False) as tu:
    # The models at file scope first (without the precompiled header, a case's own #include
    # would put them inside its namespace).
    tu.write('#include "%s"\n' % os.path.join(here, 'models.hpp'))
    for src, _ in cases:
        name = re.sub(r'\W', '_', os.path.basename(src)[:-4])
        tu.write('namespace cf_case_%s {\n#include "%s"\n}\n' % (name, src))
try:
    # -Wno-return-type: main() in a namespace is an ordinary function without a return.
    out = subprocess.run(compiler + ['-DATHANOR_COMPILE_FAIL', '-Wno-return-type', tu.name],
                         stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True).stdout
finally:
    os.unlink(tu.name)

# Cut the output into diagnostics. A diagnostic starts at its context (g++: "In file included
# from", "FILE: In instantiation of …", "FILE: In function …") or, without one, at its error or
# warning line; "from …" lines, "required from" lines, notes and source excerpts continue it
# (clang puts its instantiation context after the error, as notes).
diagnostics, current, in_context = [], [], False
for line in out.splitlines():
    starts_context = line.startswith('In file included from') or re.match(r'^\S.*: (In |At global scope)', line)
    is_message = re.match(r'^\S.*?:\d+(:\d+)?: (fatal error|error|warning):', line)
    if (starts_context or is_message) and not in_context:
        if current:
            diagnostics.append(current)
        current = []
    current.append(line)
    continues_context = line.startswith(' ') or re.match(r'^\S.*?:\d+:\d+:\s+(required|in) ', line)
    in_context = bool(starts_context) or (in_context and bool(continues_context))
    if is_message:
        in_context = False
if current:
    diagnostics.append(current)

failed, rerun = [], []
for src, expected in cases:
    mine = [d for d in diagnostics if any(src in line for line in d)]
    lines = [line for d in mine for line in d]
    text = '\n'.join(lines)
    # EXPECTED is a grep pattern (run.sh) where only '.' is special.
    pattern = '.'.join(re.escape(part) for part in expected.split('.'))
    ok = any(': error:' in line for line in lines) and re.search(pattern, text) is not None
    if ok and len(lines) <= GROUPED_LIMIT:
        print('ok      %-40s (%d lines)' % (os.path.basename(src), len(lines)))
        continue
    # Alone, as its own meson test did before.
    r = subprocess.run([os.path.join(here, 'run.sh'), expected, src] + compiler,
                       stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    rerun.append(os.path.basename(src))
    if r.returncode == 0:
        print('ok      %-40s (compiled alone)' % os.path.basename(src))
    else:
        print('FAILED  %s\n%s' % (os.path.basename(src), r.stdout))
        failed.append(os.path.basename(src))

print('%d cases, %d compiled alone%s, %d failed' % (len(cases), len(rerun),
      ' (' + ', '.join(rerun) + ')' if rerun else '', len(failed)))
sys.exit(1 if failed else 0)
