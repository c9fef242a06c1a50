import { randomBytes } from "node:crypto";
import { readFileSync } from "node:fs";
import { inject } from "vitest";
import pg from "pg";
import { openDatabase, type Database } from "@/server/db";

export interface TestDatabase {
  database: Database;
  close(): Promise<void>;
}

/** The database a test file runs on: PostgreSQL when TEST_DATABASE_URL is set, else an in-memory PGlite. */
export async function openTestDatabase(): Promise<TestDatabase> {
  const url = process.env.TEST_DATABASE_URL;
  if (!url) {
    // The run's migrated template (tests/global-setup.ts), when there is one: no initdb, no migrations.
    const template = inject("pgliteTemplate");
    if (template) {
      const database = await openDatabase({ kind: "pglite", loadDataDir: new Blob([readFileSync(template)]) });
      return { database, close: () => database.close() };
    }
    const database = await openDatabase({ kind: "pglite" });
    await database.migrate();
    return { database, close: () => database.close() };
  }
  const schema = `t_${randomBytes(6).toString("hex")}`;
  const admin = new pg.Client({ connectionString: url });
  await admin.connect();
  await admin.query(`CREATE SCHEMA "${schema}"`);
  const database = await openDatabase({ kind: "postgres", url, schema, poolSize: 5 });
  await database.migrate();
  return {
    database,
    close: async () => {
      await database.close();
      await admin.query(`DROP SCHEMA "${schema}" CASCADE`);
      await admin.end();
    },
  };
}
