"""Sleeps SLEEP_SECONDS (default 600), printing a heartbeat, then passes.
For deadline (timeout / activeDeadlineSeconds) and interruption tests."""

import os
import time


def test_sleep():
    seconds = float(os.environ.get("SLEEP_SECONDS", "600"))
    print(f"sleeping {seconds:g}s", flush=True)
    deadline = time.monotonic() + seconds
    while (left := deadline - time.monotonic()) > 0:
        time.sleep(min(10.0, left))
        print(f"still sleeping, {max(0.0, deadline - time.monotonic()):.0f}s left", flush=True)
    print("woke up", flush=True)
