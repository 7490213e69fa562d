// Lint: typescript-eslint's recommended rules, plus the boundaries STYLE.md asks for.
import js from "@eslint/js";
import tseslint from "typescript-eslint";

const HEAVY_PACKAGES = [{
  group: ["@kubernetes/client-node", "@opentelemetry/*", "tar", "xmlbuilder2", "xmlbuilder2/*", "fast-xml-parser"],
  allowTypeImports: true,
  message: "Import its values through src/vendor/ (the CLI loads each vendor file only when a command needs it).",
}];
// Only the kube port talks to Kubernetes.
const KUBE_ONLY = [{ group: ["@kubernetes/client-node", "**/vendor/kube.js"], allowTypeImports: true, message: "Only src/kube/ may use the Kubernetes client." }];

export default tseslint.config(
  { ignores: ["dist/**", "action/index.mjs", "node_modules/**", ".cluster/**", ".incluster/**", "examples/**/node_modules/**"] },
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
    // Heavy packages are reached through src/vendor/ (the CLI's bundle loads each lazily as its own
    // file: scripts/bundle.mjs); only their types may be imported directly.
    files: ["src/**/*.ts"],
    ignores: ["src/vendor/**"],
    rules: {
      "no-restricted-imports": ["error", { patterns: [...HEAVY_PACKAGES, ...KUBE_ONLY] }],
    },
  },
  {
    files: ["src/kube/**/*.ts"],
    rules: {
      "no-restricted-imports": ["error", { patterns: HEAVY_PACKAGES }],
    },
  },
  {
    // Pure stages never do I/O; nor do the pure leaves below every folder (.dependency-cruiser.mjs).
    files: [
      "src/{names,echo,ci-links,error-text,bytes}.ts",
      "src/config/schema.ts",
      "src/runners/**/*.ts",
      "src/config/rules/**/*.ts",
      "src/render/**/*.ts",
      "src/diagnose/**/*.ts",
      "src/report/**/*.ts",
      "src/results/**/*.ts",
      "src/otlp/{records,url}.ts",
    ],
    rules: {
      "no-restricted-imports": ["error", { patterns: [
        { group: ["node:fs", "node:fs/*", "node:child_process"], message: "Pure stages do no I/O." },
        { group: ["**/kube/**", "**/build/**"], message: "Pure stages never import kube/ or build/." },
        ...HEAVY_PACKAGES,
        ...KUBE_ONLY,
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
    // No line of src/ over 160 characters (vendored text aside). Core max-len is deprecated but kept
    // until ESLint 11; @stylistic/eslint-plugin's max-len takes the same options.
    files: ["src/**/*.ts"],
    ignores: [
      "src/vendor/**",
    ],
    rules: { "max-len": ["error", { code: 160 }] },
  },
  {
    // The bin is CommonJS (bin/package.json): it loads the CLI's bundle from V8's code cache.
    files: ["bin/**/*.js"],
    languageOptions: { sourceType: "commonjs", globals: { require: "readonly", __dirname: "readonly" } },
    rules: { "@typescript-eslint/no-require-imports": "off" },
  },
  {
    files: ["**/*.js", "**/*.mjs"],
    languageOptions: { globals: { process: "readonly", console: "readonly", URL: "readonly", performance: "readonly" } },
  },
  {
    // Test files that run inside the runner images (examples/runners, the cluster tests' runner
    // projects): fetch (Node 18 and later) and Jest's globals.
    files: ["examples/**/*.js", "examples/**/*.mjs", "test/integration/fixtures/runners/**/*.{js,cjs,mjs}"],
    languageOptions: {
      globals: { fetch: "readonly", describe: "readonly", test: "readonly", it: "readonly", expect: "readonly", module: "writable", process: "readonly" },
    },
  },
);
