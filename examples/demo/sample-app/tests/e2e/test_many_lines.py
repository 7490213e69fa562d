"""Prints LINES_COUNT numbered lines (default 100000), then passes.
For log streaming tests: nothing may be lost or reordered. LINES_SPREAD_SECONDS (default 0)
spreads the output over that many seconds, so a test can cut the stream mid-way. LINE_BYTES
(default 0: no padding) pads each line with '.' to that many bytes, newline included."""

import os
import sys
import time


def test_many_lines():
    count = int(os.environ.get("LINES_COUNT", "100000"))
    spread = float(os.environ.get("LINES_SPREAD_SECONDS", "0"))
    batches = 100
    per_batch = max(1, count // batches)
    width = int(os.environ.get("LINE_BYTES", "0"))
    write = sys.stdout.write
    for number in range(1, count + 1):
        line = f"line {number:07d} of {count:07d}"
        write(f"{line.ljust(width - 1, '.')}\n")
        if spread and number % per_batch == 0:
            sys.stdout.flush()
            time.sleep(spread / batches)
    sys.stdout.flush()
    print(f"printed {count} lines")
