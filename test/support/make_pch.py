#!/usr/bin/env python3
"""make_pch.py COMPILE_COMMANDS MARKER HEADER OUTPUT DEPFILE

Precompiles HEADER into OUTPUT (a .gch) with exactly the flags that Meson gives the test
files, taken from compile_commands.json: the command of the first test object whose output
path contains MARKER (a test executable's object dir), with its -o/-c/-M* parts replaced.
g++ uses a .gch only when the flags agree (the tests pass -Werror=invalid-pch, so a drift
fails the build instead of silently parsing the header again); copying them from Meson's
own record keeps them in step with every option (-O, sanitizers, defines).
"""
import json
import shlex
import subprocess
import sys

commands, marker, header, output, depfile = sys.argv[1:6]
entries = json.load(open(commands))
for e in entries:
    if marker in e.get("output", "") or f"-o {marker}" in e["command"]:
        break
else:
    sys.exit(f"make_pch.py: no compile command for {marker} in {commands}")
args = shlex.split(e["command"])
out = []
skip = 0
for a in args:
    if skip:
        skip -= 1
        continue
    if a in ("-o", "-c", "-MQ", "-MF", "-MT", "-include"):  # -include: the .gch itself
        skip = 1
        continue
    if a in ("-MD", "-MMD"):
        continue
    out.append(a)
out += ["-x", "c++-header", header, "-o", output, "-MD", "-MQ", output, "-MF", depfile]
sys.exit(subprocess.run(out, cwd=e["directory"]).returncode)
