"""Prints LINES_COUNT numbered lines (default 100000), then passes.
For log streaming tests: nothing may be lost or reordered."""

import os
import sys


def test_many_lines():
    count = int(os.environ.get("LINES_COUNT", "100000"))
    write = sys.stdout.write
    for number in range(1, count + 1):
        write(f"line {number:07d} of {count:07d}\n")
    sys.stdout.flush()
    print(f"printed {count} lines")
