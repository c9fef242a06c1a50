/**
 * The database a bench or soak run gives its `next start`: a fresh PGlite directory, or a fresh PostgreSQL
 * database on the admin URL's server, migrated, with the production secrets it needs. `drop()` removes it.
 */
import { execFileSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import pg from "pg";

export const ADMIN_URL = process.env.BENCH_PG_ADMIN_URL ?? "postgresql://postgres@127.0.0.1:5432/test";

export interface BenchDatabase {
  env: Record<string, string>;
  drop(): Promise<void>;
}

export async function benchDatabase(kind: "pglite" | "postgres", name: string): Promise<BenchDatabase> {
  if (kind === "pglite") {
    const dir = mkdtempSync(path.join(tmpdir(), `cx-${name}-`));
    return { env: { DATA_DIR: dir }, drop: async () => rmSync(dir, { recursive: true, force: true }) };
  }
  const dbName = `courierx_${name}_${process.pid}`.replace(/[^a-z0-9_]/gi, "_");
  const admin = new pg.Client({ connectionString: ADMIN_URL });
  await admin.connect();
  await admin.query(`DROP DATABASE IF EXISTS ${dbName}`);
  await admin.query(`CREATE DATABASE ${dbName}`);
  const url = new URL(ADMIN_URL);
  url.pathname = `/${dbName}`;
  const env: Record<string, string> = {
    DATABASE_URL: url.toString(),
    NODE_ENV: "production",
    JWT_SECRET: randomBytes(32).toString("hex"),
    ENCRYPTION_KEYS: `1:${randomBytes(32).toString("base64")}`,
    ALLOW_PRIVATE_OUTBOUND: "true",
  };
  execFileSync(process.execPath, ["--import", "tsx", "scripts/db-migrate.ts"], { env: { ...process.env, ...env }, stdio: "ignore" });
  return {
    env,
    drop: async () => {
      await admin.query(`DROP DATABASE IF EXISTS ${dbName} WITH (FORCE)`);
      await admin.end();
    },
  };
}
