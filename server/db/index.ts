/**
 * The Prisma client for the current mode, and the only module that opens database connections:
 * PGlite (Postgres in WASM, in DATA_DIR) in the embedded default, PostgreSQL at DATABASE_URL otherwise.
 */
import { mkdirSync } from "node:fs";
import path from "node:path";
import { PGlite } from "@electric-sql/pglite";
import { PrismaPg } from "@prisma/adapter-pg";
import pg from "pg";
import { PrismaPGlite } from "pglite-prisma-adapter";
import { dataDir, env, mode } from "../env";
import { logger } from "../lib/logger";
import { PrismaClient } from "./generated/client";
import { applyMigrations } from "./schema-engine";

export { Prisma } from "./generated/client";
export { DB_NOW, milliseconds, sqlState } from "./sql";
export type * from "./generated/client";

export type DatabaseOptions =
  | {
      kind: "pglite";
      /** Directory; omitted = in memory. */
      dataDir?: string;
      /** Start from this dump of a data directory (PGlite's dumpDataDir) instead of a new cluster: tests open
       * a migrated template this way, skipping initdb and the migrations. */
      loadDataDir?: Blob;
    }
  | { kind: "postgres"; url: string; /** A schema other than public (tests use one per file). */ schema?: string; poolSize?: number };

export interface Database {
  prisma: PrismaClient;
  kind: "pglite" | "postgres";
  /**
   * PostgreSQL only: cross-process signals (LISTEN/NOTIFY), so that a worker learns of new work at once
   * instead of at its next poll. PGlite has one process, which signals itself in memory.
   */
  signals?: {
    notify(channel: string): Promise<void>;
    /** Calls `onSignal` for every notification on `channel`; resolves with a function that stops listening. */
    listen(channel: string, onSignal: () => void): Promise<() => Promise<void>>;
  };
  /** Applies pending migrations; returns the names applied now. */
  migrate(): Promise<string[]>;
  close(): Promise<void>;
}

export async function openDatabase(options: DatabaseOptions): Promise<Database> {
  if (options.kind === "pglite") {
    if (options.dataDir) mkdirSync(options.dataDir, { recursive: true });
    const pglite = await PGlite.create({ ...(options.dataDir ? { dataDir: options.dataDir } : {}), ...(options.loadDataDir ? { loadDataDir: options.loadDataDir } : {}) });
    takeTurns(pglite);
    const factory = new PrismaPGlite(pglite);
    const prisma = new PrismaClient({ adapter: factory });
    return {
      prisma,
      kind: "pglite",
      migrate: () => applyMigrations(factory),
      close: async () => {
        await prisma.$disconnect();
        await pglite.close();
      },
    };
  }
  const schemaOption = options.schema ? { options: `-c search_path="${options.schema}"` } : {};
  const poolConfig = { connectionString: options.url, max: options.poolSize ?? 10, ...schemaOption };
  const factory = new PrismaPg(poolConfig, options.schema ? { schema: options.schema } : undefined);
  const prisma = new PrismaClient({ adapter: factory });
  return {
    prisma,
    kind: "postgres",
    signals: {
      notify: async (channel) => {
        await prisma.$executeRaw`SELECT pg_notify(${channel}, '')`;
      },
      listen: async (channel, onSignal) => {
        // A session of its own: LISTEN belongs to a connection, which a pool would hand to others.
        const client = new pg.Client({ connectionString: options.url });
        client.on("notification", (message) => {
          if (message.channel === channel) onSignal();
        });
        client.on("error", (error) => logger.warn("notification connection failed; falling back to polling", { error: error.message }));
        await client.connect();
        await client.query(`LISTEN "${channel.replace(/"/g, "")}"`);
        return async () => {
          await client.end().catch(() => undefined);
        };
      },
    },
    migrate: async () => {
      // Its own pool, ended afterwards: an idle connection left open would keep the migration's session
      // (and its advisory lock) alive, and make the next migrator wait.
      const pool = new pg.Pool({ ...poolConfig, max: 1 });
      try {
        return await applyMigrations(new PrismaPg(pool, options.schema ? { schema: options.schema } : undefined));
      } finally {
        await pool.end();
      }
    },
    close: () => prisma.$disconnect(),
  };
}

/**
 * Every PGlite statement starts on a turn of the event loop of its own. PGlite runs in this thread and hands
 * its connection from one waiting statement to the next through promises (microtasks): with a queue of
 * statements (the engine's runs, a burst of sends), the event loop never reached its I/O phase until the queue
 * was empty, so new connections and provider answers waited seconds while queued statements ran in 5 ms.
 * One setImmediate per statement costs microseconds.
 */
function takeTurns(pglite: PGlite): void {
  type Query = PGlite["query"];
  pglite.query = (async (...args: Parameters<Query>) => {
    await new Promise((resolve) => setImmediate(resolve));
    // The prototype's, looked up per call (a test's spy on PGlite.prototype.query sees every statement).
    return (Object.getPrototypeOf(pglite) as PGlite).query.apply(pglite, args);
  }) as Query;
}

const globalForDb = globalThis as unknown as { courierxDb?: Promise<Database>; courierxDbFactory?: () => Promise<Database> };

/**
 * The process-wide database. Kept on globalThis so Next.js route handlers, instrumentation and dev-mode
 * reloads share one PGlite instance (one process may open a data directory at a time).
 */
export function getDatabase(): Promise<Database> {
  globalForDb.courierxDb ??= (globalForDb.courierxDbFactory ?? openDefaultDatabase)().catch((error: unknown) => {
    globalForDb.courierxDb = undefined;
    throw error;
  });
  return globalForDb.courierxDb;
}

export async function getDb(): Promise<PrismaClient> {
  return (await getDatabase()).prisma;
}

async function openDefaultDatabase(): Promise<Database> {
  if (mode === "postgres") {
    return openDatabase({ kind: "postgres", url: env.DATABASE_URL! });
  }
  // The embedded default migrates itself at start: no separate step on a fresh clone.
  const db = await openDatabase({ kind: "pglite", dataDir: path.join(dataDir, "pglite") });
  const applied = await db.migrate();
  if (applied.length > 0) logger.info("applied migrations", { migrations: applied });
  return db;
}

/**
 * Tests and tools install their own database (an in-memory PGlite, a fresh Postgres schema), opened
 * lazily on first use so that files which never touch the database do not pay for one.
 */
export function setDatabaseFactory(factory: (() => Promise<Database>) | undefined): void {
  globalForDb.courierxDbFactory = factory;
  globalForDb.courierxDb = undefined;
}

/** The database if one was opened, without opening one. */
export function openedDatabase(): Promise<Database> | undefined {
  return globalForDb.courierxDb;
}
