import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    // Three files at a time on a 2-core machine (Vitest's default is one
    // fewer than the cores): most of a file's time is spent waiting on a
    // database server or a CLI child process. Each integration file has
    // databases of its own (tests/integration/dialects.ts).
    maxWorkers: 3,
    projects: [
      {
        test: {
          name: "unit",
          include: ["packages/*/src/**/*.test.ts"],
        },
      },
      {
        test: {
          name: "cli",
          include: ["apps/cli/test/**/*.test.ts"],
          testTimeout: 60_000,
          hookTimeout: 60_000,
        },
      },
      {
        test: {
          name: "integration",
          include: ["tests/integration/**/*.test.ts"],
          testTimeout: 120_000,
          hookTimeout: 120_000,
        },
      },
    ],
  },
});
