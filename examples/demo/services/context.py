"""Demo "context" service: returns a JSON context for a story id.

  GET /health            {"status": "ok", "service": "context"}
  GET /context/<id>      {"id": ..., "service": "context", "summary": ..., "served_by": <pod name>}

Standard library only; runs from the project's python image with the code
mounted from a ConfigMap (examples/demo/k8s/services.yaml).
"""

import json
import os
import socket
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

PORT = int(os.environ.get("PORT", "50054"))


class Handler(BaseHTTPRequestHandler):
    server_version = "incluster-demo-context/1"

    def reply(self, status, payload):
        body = json.dumps(payload).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self):  # noqa: N802 (http.server naming)
        if self.path == "/health":
            return self.reply(200, {"status": "ok", "service": "context"})
        if self.path.startswith("/context/") and len(self.path) > len("/context/"):
            story = self.path[len("/context/"):]
            return self.reply(200, {
                "id": story,
                "service": "context",
                "summary": f"context for {story}: acceptance criteria, related decisions, open questions",
                "served_by": socket.gethostname(),
            })
        return self.reply(404, {"error": f"no route for GET {self.path}", "service": "context"})

    def log_message(self, fmt, *args):
        print(f"context {self.client_address[0]} {fmt % args}", flush=True)


if __name__ == "__main__":
    # 0.0.0.0 inside the pod's own network namespace: the Service reaches it there.
    print(f"context listening on :{PORT}", flush=True)
    ThreadingHTTPServer(("0.0.0.0", PORT), Handler).serve_forever()
