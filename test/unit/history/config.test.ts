import { describe, expect, it } from "vitest";
import { parseHistoryStore } from "../../../src/config/history.js";
import { parseConfig } from "../../../src/config/parse.js";
import { run } from "../../../src/api/run.js";
import { UsageError } from "../../../src/errors.js";
import { FakeCluster } from "../support/fake-cluster.js";

const yaml = (history: string) => `
apiVersion: incluster.dev/v1alpha1
kind: Config
source: { git: { url: git://10.244.0.1/sample-app.git, ref: main } }
defaults: { image: 127.0.0.1:5000/incluster/python:3.11-pytest }
suites: { smoke: { test: tests/e2e } }
${history}
`;

describe("history: in the config and --history", () => {
  it("store is cluster, none or dir:<path>; keep a whole number from 1 to 500", () => {
    expect(parseHistoryStore("cluster")).toEqual({ kind: "cluster" });
    expect(parseHistoryStore("dir:.incluster/h")).toEqual({ kind: "dir", path: ".incluster/h" });
    expect(parseHistoryStore("dir:")).toBeUndefined();
    expect(parseConfig(yaml("history: { store: dir:h, keep: 20 }"), "incluster.yaml").history).toEqual({ store: "dir:h", keep: 20 });
    expect(() => parseConfig(yaml("history: { store: s3 }"), "incluster.yaml")).toThrow(UsageError);
    try {
      parseConfig(yaml("history: { store: s3, keep: 0 }"), "incluster.yaml");
    } catch (err) {
      const text = (err as UsageError).problems.join("\n");
      expect(text).toContain('history.store: expected cluster, none or dir:<path> (e.g. dir:.incluster/history), got "s3"');
      expect(text).toContain("history.keep: expected a whole number of runs from 1 to 500, got 0");
    }
  });

  it("a bad --history is a usage error naming the flag, before any contact", async () => {
    const cluster = new FakeCluster();
    const config = parseConfig(yaml(""), "incluster.yaml");
    await expect(run(config, { port: cluster, history: "nowhere" })).rejects.toThrow(/--history: expected cluster, none or dir:<path>/);
    expect(cluster.calls).toEqual([]);
  });
});
