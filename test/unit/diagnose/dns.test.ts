// The DNS diagnosis: resolution errors of Python, Node, Go and curl; env hosts that are no Service; the nearest Service.
import { describe, expect, it } from "vitest";
import { dnsHint, dnsSuspects, hostOf, isResolutionFailure, serviceOf } from "../../../src/diagnose/dns.js";

describe("DNS diagnosis", () => {
  it.each([
    "E   requests.exceptions.ConnectionError: HTTPConnectionPool(host='orchestrater.demo.svc.cluster.local', port=50055): Max retries exceeded (Caused by NameResolutionError(\"Failed to resolve 'orchestrater.demo.svc.cluster.local' ([Errno -2] Name or service not known)\"))",
    "Error: getaddrinfo ENOTFOUND orchestrater.demo.svc.cluster.local",
    'Get "http://orchestrater:50055/health": dial tcp: lookup orchestrater on 10.96.0.10:53: no such host',
    "curl: (6) Could not resolve host: orchestrater.demo",
  ])("recognises %s", (line) => expect(isResolutionFailure(line)).toBe(true));

  it("does not flag ordinary failures", () => expect(isResolutionFailure("E   AssertionError: 500 != 200")).toBe(false));

  it("hosts and the Services they name", () => {
    expect(hostOf("http://vllm-server.ns.svc.cluster.local:8000/v1")).toBe("vllm-server.ns.svc.cluster.local");
    expect(hostOf("orchestrator.ns.svc.cluster.local")).toBe("orchestrator.ns.svc.cluster.local");
    expect(hostOf("50055")).toBe("50055");
    expect(serviceOf("orchestrator.ns.svc.cluster.local", "x")).toEqual({ service: "orchestrator", namespace: "ns" });
    expect(serviceOf("api.example.com", "ns")).toBeUndefined();
  });

  it("names the env entry whose host is no Service, and the nearest Service", () => {
    const env = { ORCHESTRATOR_HOST: "orchestrater.demo.svc.cluster.local", ORCHESTRATOR_PORT: "50055", CONTEXT_URL: "http://context.demo:50054", EXTERNAL: "https://api.example.com", OTHER_NS: "db.other.svc.cluster.local" };
    const s = dnsSuspects(env, "demo", ["orchestrator", "context", "git"]);
    expect(s).toEqual([{ env: "ORCHESTRATOR_HOST", host: "orchestrater.demo.svc.cluster.local", service: "orchestrater", suggestion: "orchestrator" }]);
    expect(dnsHint(s, "demo")).toBe(
      'the tests could not resolve a host name: env ORCHESTRATOR_HOST names host orchestrater.demo.svc.cluster.local, but namespace demo has no Service "orchestrater"; did you mean "orchestrator" (orchestrator.demo.svc.cluster.local)? (`kubectl get svc -n demo` lists the Services)',
    );
    expect(dnsHint([], "demo")).toBeUndefined();
  });
});
