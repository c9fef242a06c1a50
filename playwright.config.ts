/**
 * End-to-end tests in a real Chromium against `next start` (tests/e2e; fixtures in tests/e2e/support).
 * Debian's Chromium (/usr/bin/chromium) when it is installed — `npx playwright install` cannot download
 * browsers here (ENVIRONMENT.md) — else Playwright's bundled browser. Traces and screenshots of failures,
 * and the screenshots specs take, go to test-results/ (git-ignored).
 */
import { existsSync } from "node:fs";
import { defineConfig, devices } from "@playwright/test";

const DEBIAN_CHROMIUM = "/usr/bin/chromium";

export default defineConfig({
  testDir: "tests/e2e",
  testMatch: "**/*.spec.ts",
  outputDir: "test-results",
  globalSetup: "./tests/e2e/support/global-setup.ts",
  // Two cores: the app server, Chromium and the runner share them (see the README for the measurement).
  workers: Number(process.env.E2E_WORKERS ?? 2),
  fullyParallel: false,
  retries: 0,
  forbidOnly: true,
  timeout: 60_000,
  expect: { timeout: 10_000 },
  reporter: [["list"]],
  use: {
    trace: "retain-on-failure",
    screenshot: "only-on-failure",
  },
  projects: [
    {
      name: "chromium",
      use: {
        ...devices["Desktop Chrome"],
        viewport: { width: 1280, height: 800 },
        launchOptions: {
          ...(existsSync(DEBIAN_CHROMIUM) ? { executablePath: DEBIAN_CHROMIUM } : {}),
          // Without the background-networking flags Chromium floods the closed network with refused connections.
          args: ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
        },
      },
    },
  ],
});
