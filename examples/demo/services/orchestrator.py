"""Demo "orchestrator" service: deliberates on a task after fetching its
context from the context service BY ITS CLUSTER DNS NAME (so a test through
the orchestrator exercises cross-service DNS inside the cluster).

  GET  /health                 {"status": "ok", "service": "orchestrator"}
  POST /deliberate {"task_id"}  {"decision": "approved", "context": {...}, "context_url": ..., "context_address": ...}
  GET  /deliberate?task_id=ID  same, for curl

Standard library only; code mounted from a ConfigMap.
"""

import json
import os
import socket
import urllib.error
import urllib.parse
import urllib.request
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

PORT = int(os.environ.get("PORT", "50055"))
CONTEXT_HOST = os.environ.get("CONTEXT_HOST", "context.incluster-demo.svc.cluster.local")
CONTEXT_PORT = int(os.environ.get("CONTEXT_PORT", "50054"))


def deliberate(task_id, task):
    url = f"http://{CONTEXT_HOST}:{CONTEXT_PORT}/context/{urllib.parse.quote(task_id)}"
    address = socket.gethostbyname(CONTEXT_HOST)
    with urllib.request.urlopen(url, timeout=5) as response:
        context = json.loads(response.read().decode())
    return {
        "service": "orchestrator",
        "task_id": task_id,
        "task": task,
        "decision": "approved",
        "context": context,
        "context_url": url,
        "context_address": address,
        "served_by": socket.gethostname(),
    }


class Handler(BaseHTTPRequestHandler):
    server_version = "incluster-demo-orchestrator/1"

    def reply(self, status, payload):
        body = json.dumps(payload).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def run(self, task_id, task):
        if not task_id:
            return self.reply(400, {"error": "task_id is required", "service": "orchestrator"})
        try:
            return self.reply(200, deliberate(task_id, task))
        except (OSError, urllib.error.URLError, ValueError) as error:
            # Name resolution or connection failures surface as 502 with the reason.
            return self.reply(502, {"error": f"context service unreachable: {error}", "service": "orchestrator",
                                    "context_host": CONTEXT_HOST})

    def do_GET(self):  # noqa: N802
        parsed = urllib.parse.urlparse(self.path)
        if parsed.path == "/health":
            return self.reply(200, {"status": "ok", "service": "orchestrator"})
        if parsed.path == "/deliberate":
            query = urllib.parse.parse_qs(parsed.query)
            return self.run(query.get("task_id", [""])[0], query.get("task", [""])[0])
        return self.reply(404, {"error": f"no route for GET {self.path}", "service": "orchestrator"})

    def do_POST(self):  # noqa: N802
        if self.path != "/deliberate":
            return self.reply(404, {"error": f"no route for POST {self.path}", "service": "orchestrator"})
        try:
            length = int(self.headers.get("Content-Length", "0"))
            data = json.loads(self.rfile.read(length) or b"{}")
        except ValueError as error:
            return self.reply(400, {"error": f"body is not JSON: {error}", "service": "orchestrator"})
        return self.run(str(data.get("task_id", "")), str(data.get("task", "")))

    def log_message(self, fmt, *args):
        print(f"orchestrator {self.client_address[0]} {fmt % args}", flush=True)


if __name__ == "__main__":
    print(f"orchestrator listening on :{PORT}, context at {CONTEXT_HOST}:{CONTEXT_PORT}", flush=True)
    ThreadingHTTPServer(("0.0.0.0", PORT), Handler).serve_forever()
