"""A suite with every outcome, for the demo: a test that passes, one that fails, and one that is
flaky: it fails on the first attempt only. The attempt comes from INCLUSTER_ATTEMPT, which
incluster sets on a retry (2, 3, ...): state inside the run, not randomness."""

import os


def test_passes():
    assert 1 + 1 == 2


def test_fails_on_purpose():
    assert "approved" == "rejected", "this test always fails (examples/demo suite 'mixed')"


def test_flaky_first_attempt():
    attempt = int(os.environ.get("INCLUSTER_ATTEMPT", "1"))
    assert attempt > 1, f"fails on attempt {attempt} only; a retry passes"
