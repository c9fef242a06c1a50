import { describe, expect, it } from "vitest";
import { mkdtemp, readdir, readFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { PGlite } from "@electric-sql/pglite";
import { PrismaPGlite } from "pglite-prisma-adapter";
import { applyMigrations, diffSchemaAgainstDatabase, MIGRATIONS_DIR } from "@/server/db/schema-engine";
import { pendingSchemaChanges } from "@/server/db/shadow";

describe("migrations", () => {
  it("bring an empty database exactly to schema.prisma (a schema change without a migration fails here)", async () => {
    const sql = await pendingSchemaChanges();
    expect(sql, `schema.prisma differs from prisma/migrations; run: npm run db:migration -- <name>\n${sql}`).toBe("");
  });

  it("record _prisma_migrations like prisma migrate deploy, and apply nothing twice", async () => {
    const pglite = new PGlite();
    try {
      const factory = new PrismaPGlite(pglite);
      const names = (await readdir(MIGRATIONS_DIR, { withFileTypes: true })).filter((e) => e.isDirectory()).map((e) => e.name).sort();
      expect(await applyMigrations(factory)).toEqual(names);
      expect(await applyMigrations(factory)).toEqual([]);
      const rows = await pglite.query<{ migration_name: string; finished_at: Date | null; checksum: string }>(
        `SELECT migration_name, finished_at, checksum FROM _prisma_migrations ORDER BY migration_name`,
      );
      expect(rows.rows.map((r) => r.migration_name)).toEqual(names);
      expect(rows.rows.every((r) => r.finished_at !== null && /^[0-9a-f]{64}$/.test(r.checksum))).toBe(true);
      const { createHash } = await import("node:crypto");
      const first = await readFile(path.join(MIGRATIONS_DIR, names[0]!, "migration.sql"));
      expect(rows.rows[0]!.checksum).toBe(createHash("sha256").update(first).digest("hex"));
      expect(await diffSchemaAgainstDatabase(factory)).toBe("");
    } finally {
      await pglite.close();
    }
  });

  it("detect a schema change as pending SQL", async () => {
    const dir = await mkdtemp(path.join(tmpdir(), "cx-migrations-"));
    // An empty migrations folder: everything in schema.prisma is pending.
    const sql = await pendingSchemaChanges(dir);
    expect(sql).toContain('CREATE TABLE "Email"');
    expect(sql).toContain('CREATE UNIQUE INDEX "Email_tenantId_test_idempotencyKey_key"');
    expect(sql).toContain('CREATE UNIQUE INDEX "Suppression_tenantId_email_key"');
    expect(sql).toContain('CREATE UNIQUE INDEX "ApiKey_keyHash_key"');
  });
});
