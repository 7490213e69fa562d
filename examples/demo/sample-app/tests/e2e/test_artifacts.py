"""Writes artifacts into INCLUSTER_ARTIFACTS, then fails: they must come back all the same.
ARTIFACT_BYTES (default 2 MiB) of deterministic bytes go to big.bin."""

import hashlib
import os


def content(size):
    out = bytearray()
    block = 0
    while len(out) < size:
        out += hashlib.sha256(f"incluster-artifact-{block}".encode()).digest()
        block += 1
    return bytes(out[:size])


def test_writes_artifacts_then_fails():
    folder = os.environ["INCLUSTER_ARTIFACTS"]
    data = content(int(os.environ.get("ARTIFACT_BYTES", str(2 * 1024 * 1024))))
    with open(os.path.join(folder, "big.bin"), "wb") as f:
        f.write(data)
    print(f"wrote big.bin: {len(data)} bytes, sha256 {hashlib.sha256(data).hexdigest()}")
    assert False, "fails after writing its artifacts"
