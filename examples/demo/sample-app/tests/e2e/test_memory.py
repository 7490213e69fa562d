"""Allocates MEMORY_MB MiB (default 1024), touching every page, and holds it
for HOLD_SECONDS (default 5). For OOM tests: with a lower memory limit the
container ends OOMKilled (exit 137) before the test can pass."""

import os
import time

MIB = 1024 * 1024


def test_memory():
    target = int(os.environ.get("MEMORY_MB", "1024"))
    chunks = []
    for allocated in range(1, target + 1):
        # bytes * n writes every byte (unlike bytearray(n), which the kernel
        # may back with untouched zero pages that do not count as usage).
        chunks.append(b"\x01" * MIB)
        if allocated % 64 == 0 or allocated == target:
            print(f"allocated {allocated} MiB of {target}", flush=True)
    time.sleep(float(os.environ.get("HOLD_SECONDS", "5")))
    print(f"held {target} MiB", flush=True)
    assert len(chunks) == target
