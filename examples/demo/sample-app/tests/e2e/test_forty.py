"""Forty quick tests, for sharding: each prints its own id so a run can count them."""

import os

import pytest


@pytest.mark.parametrize("n", range(40))
def test_numbered(n):
    print(f"ran test_numbered[{n}] on shard {os.environ.get('JOB_COMPLETION_INDEX', '-')}")
