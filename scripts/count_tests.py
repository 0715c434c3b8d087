#!/usr/bin/env python3
"""Counts the tests inside each meson test of a testlog.json: cmocka's per-test RUN / OK /
SKIPPED lines (a test that ran and ended neither way failed), a 'N passed, N failed' line,
or else the meson result itself. A meson test
that failed without saying which of its tests did counts as one failure.
Prints one line per meson test: 'LABEL NAME passed failed skipped'."""
import json
import re
import sys

label, path = sys.argv[1], sys.argv[2]
for line in open(path):
    t = json.loads(line)
    out = t.get("stdout") or ""
    name = t["name"].replace(" ", "")
    result = t["result"]
    ran = len(re.findall(r"^\[ RUN      \] ", out, re.M))
    ok = len(re.findall(r"^\[       OK \] ", out, re.M))
    skipped = len(re.findall(r"^\[  SKIPPED \] \w+$", out, re.M))
    plain = re.findall(r"(\d+) passed, (\d+) failed(?:, (\d+) skipped)?", out)
    if ran:
        p, f, s = ok, ran - ok - skipped, skipped
    elif plain:
        p, f, s = int(plain[-1][0]), int(plain[-1][1]), int(plain[-1][2] or 0)
    elif result == "SKIP":
        p, f, s = 0, 0, 1
    else:
        p, f, s = (1, 0, 0) if result == "OK" else (0, 1, 0)
    if result not in ("OK", "SKIP") and f == 0:
        f = 1
    print(label, name, p, f, s)
