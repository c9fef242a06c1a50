/**
 * Once per vitest run, on PGlite (no TEST_DATABASE_URL): a database migrated through the real migrations,
 * dumped to a file that every test file's database starts from (tests/helpers/db.ts). A new PGlite cluster
 * costs an initdb in WASM (seconds) plus the migrations, per file; loading the dump skips both.
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import type { TestProject } from "vitest/node";
import { PGlite } from "@electric-sql/pglite";
import { PrismaPGlite } from "pglite-prisma-adapter";
import { applyMigrations } from "../server/db/schema-engine";

declare module "vitest" {
  export interface ProvidedContext {
    /** The migrated PGlite template's dump, or "" on PostgreSQL. */
    pgliteTemplate: string;
  }
}

export default async function setup(project: TestProject): Promise<() => void> {
  if (process.env.TEST_DATABASE_URL) {
    project.provide("pgliteTemplate", "");
    return () => undefined;
  }
  const dir = mkdtempSync(path.join(tmpdir(), "courierx-test-template-"));
  const file = path.join(dir, "migrated.tar");
  const pglite = await PGlite.create();
  await applyMigrations(new PrismaPGlite(pglite));
  writeFileSync(file, Buffer.from(await (await pglite.dumpDataDir("none")).arrayBuffer()));
  await pglite.close();
  project.provide("pgliteTemplate", file);
  return () => rmSync(dir, { recursive: true, force: true });
}
