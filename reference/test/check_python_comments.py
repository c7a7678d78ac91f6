#!/usr/bin/env python3
"""Runs the CPython programs kept as comments above the reference-loop tests and compares what they
print with the output written under them, so every asserted trace can be re-derived from CPython.

A block in a test file looks like:

    // Python:
    //   import asyncio
    //   ...
    // Output:
    //   line 1
    //   line 2

Usage: check_python_comments.py PYTHON [FILE.cpp ...]   (default: every *_test.cpp next to this script)
PYTHON should be CPython 3.11 (the semantics the reference loop follows). Source locations
(' at FILE:LINE', ', defined at FILE:LINE') are removed from the program's output before comparing:
the reference loop's reprs carry none.
"""
import pathlib
import re
import subprocess
import sys

LOCATION = re.compile(r"(, defined)? at (<string>|[^\s:>]+):\d+")


def blocks(path):
    lines = path.read_text(encoding="utf-8").splitlines()
    i = 0
    while i < len(lines):
        if lines[i].strip() != "// Python:":
            i += 1
            continue
        start = i + 1
        program, expected = [], []
        i += 1
        while i < len(lines) and lines[i].strip() != "// Output:":
            program.append(strip(lines[i]))
            i += 1
        i += 1
        while i < len(lines) and (lines[i].strip().startswith("//   ") or lines[i].strip() == "//"):
            expected.append(strip(lines[i]))
            i += 1
        yield start, "\n".join(program) + "\n", expected


def strip(line):
    line = line.strip()
    return line[5:] if line.startswith("//   ") else ""


def main():
    python = sys.argv[1]
    files = [pathlib.Path(p) for p in sys.argv[2:]] or sorted(pathlib.Path(__file__).parent.glob("*_test.cpp"))
    failures = total = 0
    for path in files:
        for line, program, expected in blocks(path):
            total += 1
            run = subprocess.run([python, "-c", program], capture_output=True, text=True, timeout=60)
            got = [LOCATION.sub("", l) for l in (run.stdout + run.stderr).rstrip("\n").split("\n")]
            while expected and expected[-1] == "":
                expected.pop()
            if got != expected:
                failures += 1
                print(f"{path.name}:{line}: output differs\n  expected: {expected}\n  got:      {got}")
    print(f"{total - failures}/{total} programs print what their tests assert")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
