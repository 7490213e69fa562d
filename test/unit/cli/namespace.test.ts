// The namespace for logs, status, clean and doctor: -n > INCLUSTER_NAMESPACE > the config file >
// the kubeconfig context's namespace > "default"; a missing config file is recognised by its code.
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import type { CliContext, GlobalOptions } from "../../../src/cli/context.js";
import { namespaceOf, pickNamespace, withContextNamespace } from "../../../src/cli/namespace.js";
import { locateConfig } from "../../../src/config/load.js";
import { UsageError } from "../../../src/errors.js";
import type { ContextInfo } from "../../../src/kube/port.js";
import { VARIANTS_YAML, variantsConfig } from "../support/fixtures.js";

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

function folder(config?: string): string {
  const d = mkdtempSync(join(tmpdir(), "incluster-ns-"));
  dirs.push(d);
  if (config) writeFileSync(join(d, "incluster.yaml"), config);
  return d;
}

function ctxIn(cwd: string, globals: GlobalOptions = {}, env: Record<string, string> = {}): CliContext {
  const sink = { isTTY: false, write: () => true } as unknown as NodeJS.WriteStream;
  return { cwd, env, stdout: sink, stderr: sink, globals: () => globals, setExitCode: () => undefined, onInterrupt: () => () => undefined, relative: (p) => relative(cwd, p) };
}

const kubeconfig = (namespace?: string) => ({ context: (): ContextInfo => ({ context: "c", cluster: "c", server: "https://c", user: "u", ...(namespace ? { namespace } : {}) }) });

describe("namespaceOf", () => {
  it("outside any repository, the kubeconfig context's namespace, like kubectl", () => {
    expect(namespaceOf(ctxIn(folder()), kubeconfig("from-context"))).toBe("from-context");
    expect(namespaceOf(ctxIn(folder()), kubeconfig())).toBe("default");
  });

  it("-n beats INCLUSTER_NAMESPACE beats the file beats the context", () => {
    const repo = folder(VARIANTS_YAML);
    const k = kubeconfig("from-context");
    expect(namespaceOf(ctxIn(repo), k)).toBe("demo");
    expect(namespaceOf(ctxIn(repo, {}, { INCLUSTER_NAMESPACE: "from-env" }), k)).toBe("from-env");
    expect(namespaceOf(ctxIn(repo, { namespace: "from-flag" }, { INCLUSTER_NAMESPACE: "from-env" }), k)).toBe("from-flag");
    expect(namespaceOf(ctxIn(folder(), {}, { INCLUSTER_NAMESPACE: "from-env" }), k)).toBe("from-env");
  });

  it("a config file that exists but is broken is still an error", () => {
    expect(() => namespaceOf(ctxIn(folder("apiVersion: nope\n")), kubeconfig())).toThrow(UsageError);
  });

  it("a bad -n is named, as run names it", () => {
    expect(() => namespaceOf(ctxIn(folder(), { namespace: "Not_A_Namespace" }), kubeconfig())).toThrow(/bad option/);
  });
});

describe("pickNamespace and doctor's config", () => {
  it("takes the first one named", () => {
    expect(pickNamespace({ override: "a", file: "b", context: "c" })).toBe("a");
    expect(pickNamespace({ file: "b", context: "c" })).toBe("b");
    expect(pickNamespace({ context: "c" })).toBe("c");
    expect(pickNamespace({})).toBe("default");
  });

  it("the context's namespace fills in only where the config names none", () => {
    const c = variantsConfig();
    expect(withContextNamespace(c, kubeconfig("ctx")).namespace).toBe("demo");
    expect(withContextNamespace({ ...c, namespace: undefined }, kubeconfig("ctx")).namespace).toBe("ctx");
  });
});

describe("no config file is a typed UsageError", () => {
  it("carries code CONFIG_NOT_FOUND; other config errors carry none", () => {
    const d = folder();
    const err = (() => {
      try {
        locateConfig({ cwd: d, env: {} });
      } catch (e) {
        return e;
      }
    })();
    expect(err).toBeInstanceOf(UsageError);
    expect((err as UsageError).code).toBe("CONFIG_NOT_FOUND");
    expect(() => locateConfig({ cwd: d, env: {}, configFlag: "missing.yaml" })).toThrow(expect.objectContaining({ code: undefined }));
  });

  it("old two-argument constructor calls still work", () => {
    const e = new UsageError("m", ["p"]);
    expect([e.message, e.problems, e.code, e.exitCode]).toEqual(["m", ["p"], undefined, 2]);
  });
});
