import { defineConfig } from "vitest/config";

// Two projects: unit (pure code and the orchestrator against a hand-written fake port)
// and integration (the built CLI against the project's own real cluster).
export default defineConfig({
  test: {
    projects: [
      { test: { name: "unit", include: ["test/unit/**/*.test.ts"], environment: "node" } },
      {
        test: {
          name: "integration",
          include: ["test/integration/**/*.test.ts"],
          environment: "node",
          testTimeout: 300_000,
          hookTimeout: 300_000,
        },
      },
    ],
  },
});
