// Placeholders still in the config (issue 19): init's registry.example.com, and any host reserved
// for examples, in the fields a run reaches. Pure.
import { describe, expect, it } from "vitest";
import { parseConfig } from "../../../src/config/parse.js";
import { isExampleHost, placeholderProblems } from "../../../src/config/placeholders.js";

const config = (image: string, url: string, extra = "") =>
  parseConfig(`apiVersion: incluster.dev/v1alpha1\nkind: Config\n${image}\nsource: { git: { url: "${url}", ref: main } }\nsuites:\n  smoke: { test: t${extra} }\n`, "incluster.yaml");

describe("placeholders", () => {
  it("hosts reserved for examples (RFC 2606)", () => {
    for (const h of ["example.com", "registry.example.com", "git.example.org", "example.net", "my.registry.example", "x.invalid", "EXAMPLE.COM."]) expect(isExampleHost(h), h).toBe(true);
    for (const h of ["ghcr.io", "example.company.com", "myexample.com", "registry.internal", "127.0.0.1", "localhost"]) expect(isExampleHost(h), h).toBe(false);
  });

  it("init's two placeholders, each with its path and the fix", () => {
    expect(placeholderProblems(config("image: { registry: registry.example.com/shop }", "https://example.com/your-org/shop.git"))).toEqual([
      'image.registry: "registry.example.com/shop" is a placeholder (registry.example.com is reserved for examples: no cluster can reach it); set the registry your cluster pulls from and you can push to, e.g. ghcr.io/your-org',
      'source.git.url: "https://example.com/your-org/shop.git" is a placeholder (example.com is reserved for examples: no cluster can reach it); set the URL the cluster clones your repository from',
    ]);
  });

  it("image references and scp-like git URLs too; real hosts are not placeholders", () => {
    const c = config("defaults: { image: registry.example.com:5000/team/img:1 }", "git@git.example.org:team/app.git", ", image: ghcr.io/team/x:1");
    expect(placeholderProblems(c).map((p) => p.split(":")[0])).toEqual(["defaults.image", "source.git.url"]);
    expect(placeholderProblems(config("image: { registry: ghcr.io/acme }", "https://github.com/acme/shop.git", ", image: python:3.13-slim"))).toEqual([]);
  });
});
