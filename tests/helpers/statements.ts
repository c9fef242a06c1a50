/**
 * The SQL statements a piece of code sends to the database, read at the driver: pg's Client.query on
 * PostgreSQL, PGlite's query on the embedded database. The workers' wake-up signal (pg_notify, coalesced
 * across requests) is left out: it is not part of what a request stores. On PGlite, statements inside an
 * interactive transaction go through the transaction object and are not seen: count transaction-free paths
 * there (PostgreSQL sees every statement, BEGIN and COMMIT included).
 */
import { PGlite } from "@electric-sql/pglite";
import pg from "pg";
import { vi } from "vitest";

export async function statementsOf(run: () => Promise<unknown>): Promise<string[]> {
  const onPostgres = vi.spyOn(pg.Client.prototype, "query");
  const onPglite = vi.spyOn(PGlite.prototype, "query");
  try {
    await run();
    const texts = [...onPostgres.mock.calls, ...onPglite.mock.calls].map(([query]) => (typeof query === "string" ? query : (query as { text: string }).text));
    return texts.filter((text) => !/pg_notify/.test(text));
  } finally {
    onPostgres.mockRestore();
    onPglite.mockRestore();
  }
}
