"""A suite that fails on purpose, so the failure path (exit code 1, the
assertion in the log, the report) can be shown end to end."""


def test_fails_on_purpose():
    expected_decision = "rejected"
    actual_decision = "approved"
    assert actual_decision == expected_decision, (
        "this test fails on purpose (examples/demo suite 'fails-on-purpose'): "
        f"expected decision {expected_decision!r}, got {actual_decision!r}"
    )
