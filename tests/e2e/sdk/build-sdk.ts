/**
 * Builds @courierx/node (sdk/node/src → sdk/node/dist) when dist is missing or older than any of its
 * sources, so the specs import the package as a user would: `import { CourierX } from "@courierx/node"`
 * resolves through node_modules to the built ESM and declarations. tsc takes a few seconds.
 */
import { execFileSync } from "node:child_process";
import { existsSync, readdirSync, statSync } from "node:fs";
import path from "node:path";

function newestMtime(file: string): number {
  const stat = statSync(file);
  if (!stat.isDirectory()) return stat.mtimeMs;
  return Math.max(stat.mtimeMs, ...readdirSync(file).map((name) => newestMtime(path.join(file, name))));
}

/** Returns a line for the log. */
export function buildSdkIfStale(root: string): string {
  const sdk = path.join(root, "sdk/node");
  const built = path.join(sdk, "dist/index.js");
  const sources = newestMtime(path.join(sdk, "src"));
  const config = Math.max(newestMtime(path.join(sdk, "tsconfig.build.json")), newestMtime(path.join(sdk, "package.json")));
  if (existsSync(built) && statSync(built).mtimeMs >= Math.max(sources, config)) return "sdk: dist is up to date";
  const started = Date.now();
  execFileSync(process.execPath, [path.join(root, "node_modules/typescript/bin/tsc"), "-p", path.join(sdk, "tsconfig.build.json")], { cwd: sdk, stdio: ["ignore", "inherit", "inherit"] });
  return `sdk: built dist in ${((Date.now() - started) / 1000).toFixed(1)} s`;
}
