/**
 * Per test file: fixed test secrets and, on first use, a fresh database (in-memory PGlite, or a fresh
 * schema on PostgreSQL when TEST_DATABASE_URL is set) migrated through the real migrations.
 */
import { afterAll } from "vitest";
import { randomBytes } from "node:crypto";
import { openedDatabase, setDatabaseFactory } from "@/server/db";
import { setSecretsForTests } from "@/server/env";
import { parseKeyRing } from "@/server/lib/crypto";
import { setOutboundResolver } from "@/server/lib/outbound-guard";
import { openTestDatabase, type TestDatabase } from "./helpers/db";

setSecretsForTests({
  jwtSecret: new TextEncoder().encode(randomBytes(32).toString("hex")),
  keyRing: parseKeyRing(`1:${randomBytes(32).toString("base64")}`),
  localSigningKey: `signkey-test-${randomBytes(32).toString("hex")}`,
});

// Provider sockets resolve names through the outbound guard; in tests no name goes to a real DNS server:
// localhost names are 127.0.0.1 and every other name does not exist, unless a test installs its own resolver.
setOutboundResolver(async (hostname) => {
  if (/(^|\.)localhost\.?$/i.test(hostname)) return [{ address: "127.0.0.1", family: 4 }];
  throw Object.assign(new Error(`getaddrinfo ENOTFOUND ${hostname}`), { code: "ENOTFOUND" });
});

let testDb: TestDatabase | undefined;
setDatabaseFactory(async () => {
  testDb = await openTestDatabase();
  return testDb.database;
});

afterAll(async () => {
  if (openedDatabase()) await openedDatabase()!.catch(() => undefined);
  setDatabaseFactory(undefined);
  await testDb?.close();
});
