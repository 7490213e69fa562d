"""E2E tests for the demo services, reached by their cluster DNS names.

Run inside the cluster (an incluster Job): the host names only resolve there.
Standard library only, so the test image needs nothing installed.
"""

import json
import os
import socket
import urllib.request

ORCHESTRATOR_HOST = os.environ.get("ORCHESTRATOR_HOST", "orchestrator.incluster-demo.svc.cluster.local")
ORCHESTRATOR_PORT = int(os.environ.get("ORCHESTRATOR_PORT", "50055"))
CONTEXT_HOST = os.environ.get("CONTEXT_HOST", "context.incluster-demo.svc.cluster.local")
CONTEXT_PORT = int(os.environ.get("CONTEXT_PORT", "50054"))

ORCHESTRATOR_URL = f"http://{ORCHESTRATOR_HOST}:{ORCHESTRATOR_PORT}"
CONTEXT_URL = f"http://{CONTEXT_HOST}:{CONTEXT_PORT}"


def get_json(url, data=None):
    body = None if data is None else json.dumps(data).encode()
    request = urllib.request.Request(url, data=body, headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=10) as response:
        payload = json.loads(response.read().decode())
        print(f"reached {url} -> HTTP {response.status} {json.dumps(payload, sort_keys=True)}")
        return response.status, payload


def test_service_names_resolve():
    for host in (ORCHESTRATOR_HOST, CONTEXT_HOST):
        address = socket.gethostbyname(host)
        print(f"resolved {host} -> {address}")
        assert address, f"{host} did not resolve"


def test_orchestrator_health():
    status, payload = get_json(f"{ORCHESTRATOR_URL}/health")
    assert status == 200
    assert payload["status"] == "ok"
    assert payload["service"] == "orchestrator"


def test_context_returns_story():
    status, payload = get_json(f"{CONTEXT_URL}/context/story-42")
    assert status == 200
    assert payload["id"] == "story-42"
    assert payload["service"] == "context"


def test_orchestrator_deliberates_with_context_over_cluster_dns():
    status, payload = get_json(f"{ORCHESTRATOR_URL}/deliberate", {"task_id": "story-42", "task": "add login"})
    assert status == 200
    assert payload["decision"] == "approved"
    # The orchestrator fetched the context itself, by the context service's DNS name.
    assert ".svc.cluster.local" in payload["context_url"], payload["context_url"]
    assert payload["context"]["id"] == "story-42"
    print(f"orchestrator reached context at {payload['context_url']} ({payload['context_address']})")
