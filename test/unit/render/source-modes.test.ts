// Render of the source modes added with issue 5: local (base commit + overlay ConfigMap) and git
// with a credentials Secret. Goldens show the exact objects; the assertions say why they matter.
import { describe, expect, it } from "vitest";
import { resolveSuite, type ResolvedSuite } from "../../../src/config/resolve.js";
import { toYaml } from "../../../src/render/format.js";
import { restrictedViolations } from "../../../src/render/pod-security.js";
import { objectList, renderSuite } from "../../../src/render/suite.js";
import { expectGolden } from "../support/golden.js";
import { gitCredentialsConfig, localSourceConfig } from "../support/fixtures.js";

function localSuite(): ResolvedSuite {
  const s = resolveSuite(localSourceConfig(), "smoke");
  if (s.source.kind !== "local") throw new Error("expected a local source");
  return {
    ...s,
    image: "127.0.0.1:5000/team/test-smoke-e2e:sha-0123456789abcdef",
    imagePullPolicy: "IfNotPresent",
    source: {
      ...s.source,
      url: "git://10.244.0.1/sample-app.git",
      commit: "535bb2034f9613bf66d8d16acc1862d1c12e6601",
      overlay: { archiveBase64: Buffer.from("not really a tar").toString("base64"), deleted: ["tests/old.py", "docs/a b.md"], files: 2, bytes: 16 },
    },
  };
}

describe("source: local", () => {
  const o = renderSuite(localSuite(), { runId: "k3x9qz" });

  it("golden", () => expectGolden("render/local-source.yaml", toYaml(o)));

  it("creates the overlay ConfigMap before the Job, named after the Job and labelled with the run id", () => {
    expect(objectList(o).map((x) => (x as { kind: string }).kind)).toEqual(["ServiceAccount", "Role", "RoleBinding", "ConfigMap", "Job"]);
    expect(o.overlay?.metadata.name).toBe("test-smoke-e2e-k3x9qz-src");
    expect(o.overlay?.metadata.labels["incluster.dev/run-id"]).toBe("k3x9qz");
    expect(Buffer.from(o.overlay?.binaryData.deleted ?? "", "base64").toString()).toBe("tests/old.py\0docs/a b.md\0");
  });

  it("clones the base commit exactly, then applies the overlay mounted read-only in the clone container only", () => {
    const spec = o.job.spec.template.spec;
    const init = spec.containers.find((c) => c.name === "clone-repo");
    expect(init?.env).toContainEqual({ name: "GIT_COMMIT", value: "535bb2034f9613bf66d8d16acc1862d1c12e6601" });
    expect(init?.volumeMounts).toContainEqual({ name: "local-overlay", mountPath: "/incluster-overlay", readOnly: true });
    expect(spec.containers.find((c) => c.name === "test-runner")?.volumeMounts?.map((m) => m.name)).toEqual(["incluster-out", "source-code"]);
    expect(spec.volumes).toContainEqual({ name: "local-overlay", configMap: { name: "test-smoke-e2e-k3x9qz-src" } });
    const script = init?.command?.[2] ?? "";
    expect(script.indexOf("Checked out")).toBeLessThan(script.indexOf("tar -xzf /incluster-overlay/overlay.tar.gz -C /workspace"));
    expect(restrictedViolations(spec)).toEqual([]);
  });

  it("without an overlay (render with no repository at hand) there is no ConfigMap object", () => {
    const s = resolveSuite(localSourceConfig(), "smoke");
    expect(renderSuite(s).overlay).toBeUndefined();
  });
});

describe("source: git with credentials", () => {
  const o = renderSuite(resolveSuite(gitCredentialsConfig(), "smoke"), { runId: "k3x9qz" });

  it("golden", () => expectGolden("render/git-credentials.yaml", toYaml(o)));

  it("takes username and token from the Secret by reference: no value in the spec", () => {
    const init = o.job.spec.template.spec.containers.find((c) => c.name === "clone-repo");
    expect(init?.env).toContainEqual({ name: "GIT_PASSWORD", valueFrom: { secretKeyRef: { name: "git-token", key: "password" } } });
    expect(init?.env).toContainEqual({ name: "GIT_USERNAME", valueFrom: { secretKeyRef: { name: "git-token", key: "username", optional: true } } });
    expect(init?.command?.[2]).toContain("credential.helper");
    // The test container never sees the token.
    expect(JSON.stringify(o.job.spec.template.spec.containers.filter((c) => c.name !== "clone-repo"))).not.toContain("git-token");
  });
});
