import { fileURLToPath } from "node:url";
import { defineConfig } from "vitest/config";

export default defineConfig({
  resolve: {
    alias: { "@": fileURLToPath(new URL(".", import.meta.url)) },
  },
  test: {
    include: ["tests/unit/**/*.test.ts", "tests/integration/**/*.test.ts", "tests/fuzz/**/*.test.ts"],
    environment: "node",
    // PGlite and the emulators are real processes' worth of work: keep files in parallel, but bounded for 2 cores.
    pool: "forks",
    maxWorkers: 2,
    testTimeout: 30_000,
    hookTimeout: 60_000,
    setupFiles: ["tests/setup.ts"],
    // One migrated PGlite template per run, which every test file's database is loaded from.
    globalSetup: ["tests/global-setup.ts"],
    // Info lines of every request would drown the test report; tests that read logs capture them at debug.
    env: { LOG_LEVEL: "warn" },
  },
});
