import { PGlite } from "@electric-sql/pglite";
import { PrismaPGlite } from "pglite-prisma-adapter";
import { applyMigrations, diffSchemaAgainstDatabase, MIGRATIONS_DIR } from "./schema-engine";

/**
 * The SQL a new migration needs: the existing migrations are applied to an in-memory PGlite (the shadow
 * database) and schema.prisma is diffed against it. "" when nothing changed.
 */
export async function pendingSchemaChanges(dir = MIGRATIONS_DIR): Promise<string> {
  const shadow = new PGlite();
  try {
    const factory = new PrismaPGlite(shadow);
    await applyMigrations(factory, dir);
    return await diffSchemaAgainstDatabase(factory);
  } finally {
    await shadow.close();
  }
}
