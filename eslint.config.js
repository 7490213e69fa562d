// Lint: typescript-eslint's recommended rules, plus the boundaries STYLE.md asks for.
import js from "@eslint/js";
import tseslint from "typescript-eslint";

export default tseslint.config(
  { ignores: ["dist/**", "node_modules/**", ".cluster/**", ".incluster/**", "examples/**/node_modules/**"] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ["**/*.ts"],
    rules: {
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
      "@typescript-eslint/consistent-type-imports": "error",
    },
  },
  {
    // Only the kube port talks to Kubernetes.
    files: ["src/**/*.ts"],
    ignores: ["src/kube/**"],
    rules: {
      "no-restricted-imports": ["error", { patterns: [{ group: ["@kubernetes/client-node"], message: "Only src/kube/ may import the Kubernetes client." }] }],
    },
  },
  {
    // Pure stages never do I/O.
    files: ["src/config/schema.ts", "src/config/rules/**/*.ts", "src/render/**/*.ts", "src/diagnose/**/*.ts", "src/report/**/*.ts", "src/results/**/*.ts", "src/otlp/{records,url}.ts"],
    rules: {
      "no-restricted-imports": ["error", { patterns: [
        { group: ["node:fs", "node:fs/*", "node:child_process"], message: "Pure stages do no I/O." },
        { group: ["**/kube/**", "**/build/**"], message: "Pure stages never import kube/ or build/." },
        { group: ["@kubernetes/client-node"], message: "Only src/kube/ may import the Kubernetes client." },
      ] }],
    },
  },
  {
    // The pure parts of the build and source stages (their I/O is in the other files there).
    files: [
      "src/build/{content-hash,dockerignore,dockerfile,engine,image-ref,plan,build-images}.ts",
      "src/source/{git-ref,overlay-plan,tar}.ts",
    ],
    rules: {
      "no-restricted-imports": ["error", { patterns: [
        { group: ["node:fs", "node:fs/*", "node:child_process", "node:http", "node:https"], message: "Pure: the I/O is passed in (build-step.ts, resolve-sources.ts)." },
        { group: ["**/kube/**"], message: "The build and source stages never talk to Kubernetes." },
      ] }],
    },
  },
  {
    files: ["**/*.js", "**/*.mjs"],
    languageOptions: { globals: { process: "readonly", console: "readonly", URL: "readonly", performance: "readonly" } },
  },
);
