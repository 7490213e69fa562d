// --otlp-endpoint and OTEL_EXPORTER_OTLP_ENDPOINT through main(): a bad URL is a usage error
// (exit 2) before any cluster contact, whichever of the two named it.
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { runCli } from "../support/run-cli.js";

function project(): string {
  const dir = mkdtempSync(join(tmpdir(), "incluster-otlp-"));
  writeFileSync(join(dir, "incluster.yaml"), "apiVersion: incluster.dev/v1alpha1\nkind: Config\nnamespace: demo\nimage: { registry: registry.example.com/team }\nsource: { git: { url: \"https://example.com/r.git\", ref: main } }\ndefaults: { image: registry.example.com/team/img:1 }\nsuites:\n  smoke: { test: t }\n");
  return dir;
}

describe("the OTLP endpoint of incluster run", () => {
  it("--otlp-endpoint that is no http(s) URL: exit 2, nothing contacted (the kubeconfig is not even read)", async () => {
    const r = await runCli(["--kubeconfig", "/nonexistent/kubeconfig", "run", "smoke", "--no-build", "--otlp-endpoint", "localhost:4318"], { cwd: project() });
    expect(r.code, r.stderr).toBe(2);
    expect(r.stderr).toContain('--otlp-endpoint: expected an http(s) URL like http://localhost:4318, got "localhost:4318"');
  });
  it("OTEL_EXPORTER_OTLP_ENDPOINT is read the same way; the flag wins over it", async () => {
    const env = { OTEL_EXPORTER_OTLP_ENDPOINT: "collector:4318" };
    const r = await runCli(["--kubeconfig", "/nonexistent/kubeconfig", "run", "smoke", "--no-build"], { cwd: project(), env });
    expect(r.stderr).toContain('got "collector:4318"');
    const flagWins = await runCli(["--kubeconfig", "/nonexistent/kubeconfig", "run", "smoke", "--no-build", "--otlp-endpoint", "http://127.0.0.1:4318"], { cwd: project(), env });
    expect(flagWins.stderr).toContain("cannot load the kubeconfig");
  });
});
