/**
 * The production build the e2e run tests: `next build` runs only when `.next` is missing or was built
 * from other sources. Staleness is a hash of the working tree's content (tracked files and untracked ones
 * git does not ignore, so uncommitted edits count) outside the folders the build never reads; it is written
 * into `.next` after a successful build. The second `npm test` of CI (PostgreSQL) reuses the first run's
 * build, and a changed source never runs against an old build.
 */
import { execFileSync, spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";

/** Paths the app's build never reads: tests, the SDK package (sdk/), tooling, docs. Everything else counts (new top-level folders too). */
const NOT_BUILT = [/^tests\//, /^sdk\//, /^\.ci\//, /^scripts\//, /^docs\//, /\.md$/i, /^\.gitignore$/, /^playwright\.config\.ts$/, /^vitest\.config\.ts$/, /^eslint\.config\.mjs$/];

const STAMP = "e2e-source-hash";

/** sha256 over every built file's path and content, in path order; null without git (then always build). */
export function sourceHash(root: string): string | null {
  let listing: string;
  try {
    listing = execFileSync("git", ["ls-files", "-z", "--cached", "--others", "--exclude-standard"], { cwd: root, encoding: "utf8", maxBuffer: 64 * 1024 * 1024 });
  } catch {
    return null;
  }
  const files = [...new Set(listing.split("\0").filter(Boolean))].filter((file) => !NOT_BUILT.some((pattern) => pattern.test(file))).sort();
  const hash = createHash("sha256");
  for (const file of files) {
    const full = path.join(root, file);
    // A tracked file deleted in the working tree is simply not part of the build.
    if (!existsSync(full)) continue;
    hash.update(file).update("\0").update(createHash("sha256").update(readFileSync(full)).digest("hex")).update("\n");
  }
  return hash.digest("hex");
}

function builtHash(root: string): string | null {
  const distDir = path.join(root, ".next");
  if (!existsSync(path.join(distDir, "BUILD_ID"))) return null;
  try {
    return readFileSync(path.join(distDir, STAMP), "utf8").trim();
  } catch {
    return null;
  }
}

/** Why `.next` must be built again, or null when it holds a build of exactly the working tree's sources. */
export function staleBuild(root: string): string | null {
  const hash = sourceHash(root);
  const existing = builtHash(root);
  if (hash !== null && existing === hash) return null;
  return existing === null ? "no build of known sources in .next" : hash === null ? "no git to compare sources" : "sources changed since the last build";
}

/** `next build`, then the stamp of the sources it built. Returns a line for the log. */
export function buildApp(root: string, reason: string): string {
  const started = Date.now();
  const hash = sourceHash(root);
  console.log(`e2e: next build (${reason})…`);
  // The build reads no database: a throwaway DATA_DIR keeps it off .data, and DATABASE_URL is not passed.
  const dataDir = mkdtempSync(path.join(tmpdir(), "cx-e2e-build-"));
  const inherited = { ...process.env };
  delete inherited.DATABASE_URL;
  try {
    const result = spawnSync(process.execPath, [path.join(root, "node_modules/next/dist/bin/next"), "build"], {
      cwd: root,
      env: { ...inherited, DATA_DIR: dataDir, NEXT_TELEMETRY_DISABLED: "1", LOG_LEVEL: "warn" },
      stdio: ["ignore", "inherit", "inherit"],
    });
    if (result.status !== 0) throw new Error(`next build failed (exit ${result.status ?? result.signal}): the e2e tests need a production build`);
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
  // Hashed again after the build: an edit made while it ran must not be stamped as built.
  const after = sourceHash(root);
  if (after !== null && after === hash) writeFileSync(path.join(root, ".next", STAMP), `${after}\n`);
  return `built in ${((Date.now() - started) / 1000).toFixed(1)} s (${reason})`;
}
