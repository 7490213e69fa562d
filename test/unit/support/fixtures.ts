// Configs used across the config, render and CLI tests.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { parseConfig } from "../../../src/config/parse.js";
import type { Config } from "../../../src/config/schema.js";

export const REPO_ROOT = join(import.meta.dirname, "..", "..", "..");
export const GUIDE_CONFIG_PATH = join(REPO_ROOT, "examples", "guide", "incluster.yaml");

export function guideConfig(): Config {
  return parseConfig(readFileSync(GUIDE_CONFIG_PATH, "utf8"), GUIDE_CONFIG_PATH);
}

/** A config exercising what the guide's does not: a command suite, image source, no Kubernetes access. */
export const VARIANTS_YAML = `apiVersion: incluster.dev/v1alpha1
kind: Config
namespace: demo
image:
  registry: registry.example.com/team
source:
  git:
    url: https://git.example.com/team/app.git
    ref: main
defaults:
  env:
    API_URL: http://api.demo.svc.cluster.local:8080
    API_TOKEN: not-printed
suites:
  web:
    command: [npx, vitest, run, tests/e2e]
    image: docker.io/library/node:22-slim
    install: npm ci
    timeout: 10m
  isolated:
    test: tests/e2e/test_isolated.py
    kubernetesAccess: false
    resources:
      limits: { memory: 1Gi }
`;

export const IMAGE_SOURCE_YAML = `apiVersion: incluster.dev/v1alpha1
kind: Config
namespace: demo
image:
  registry: registry.example.com/team
source:
  image: {}
suites:
  baked:
    test: tests/e2e
    image: registry.example.com/team/app-tests@sha256:${"a".repeat(64)}
`;

export function variantsConfig(): Config {
  return parseConfig(VARIANTS_YAML, "variants.yaml");
}

export function imageSourceConfig(): Config {
  return parseConfig(IMAGE_SOURCE_YAML, "image-source.yaml");
}

/** source: local with credentials, and a suite incluster builds from its own Dockerfile. */
export const LOCAL_SOURCE_YAML = `apiVersion: incluster.dev/v1alpha1
kind: Config
namespace: demo
image:
  registry: 127.0.0.1:5000/team
  base: 127.0.0.1:5000/incluster/python:3.11-pytest
source:
  local:
    remote: origin
    image: 127.0.0.1:5000/incluster/git:2
    credentials: { secretRef: git-token }
suites:
  smoke:
    test: tests/e2e
    build: { dockerfile: jobs/smoke/Dockerfile, context: . }
`;

export const GIT_CREDENTIALS_YAML = `apiVersion: incluster.dev/v1alpha1
kind: Config
namespace: demo
image:
  registry: registry.example.com/team
source:
  git:
    url: https://git.example.com/team/private.git
    ref: main
    credentials: { secretRef: git-token }
suites:
  smoke:
    test: tests/e2e
`;

export function localSourceConfig(): Config {
  return parseConfig(LOCAL_SOURCE_YAML, "local.yaml");
}

export function gitCredentialsConfig(): Config {
  return parseConfig(GIT_CREDENTIALS_YAML, "git-credentials.yaml");
}

/**
 * The cluster tests' config: namespace ns, the sample repository's git source, the pytest image,
 * and the given `suites:` block (each line indented two spaces, as under `suites:`).
 */
export function sampleGitYaml(suites: string): string {
  return `
apiVersion: incluster.dev/v1alpha1
kind: Config
namespace: ns
source:
  git: { url: "git://10.244.0.1/sample-app.git", ref: main }
defaults:
  image: 127.0.0.1:5000/incluster/python:3.11-pytest
suites:
${suites}
`;
}
