/**
 * Prisma migrations without Prisma's native schema engine: the engine's WebAssembly build drives any
 * driver adapter (PGlite or pg), so migrations work offline and on locked-down hosts. Applying records
 * `_prisma_migrations` exactly as `prisma migrate deploy` does, so either tool can own the same folder.
 */
import { readdir, readFile } from "node:fs/promises";
import { createRequire } from "node:module";
import path from "node:path";
import { bindMigrationAwareSqlAdapterFactory, type SqlDriverAdapter, type SqlMigrationAwareDriverAdapterFactory } from "@prisma/driver-adapter-utils";
import type { MigrationList, SchemaEngine } from "@prisma/schema-engine-wasm";
import { splitSqlScript } from "./sql-script";

const FILTERS = { externalTables: [], externalEnums: [] };

export const PRISMA_DIR = path.join(process.cwd(), "prisma");
export const SCHEMA_PATH = path.join(PRISMA_DIR, "schema.prisma");
export const MIGRATIONS_DIR = path.join(PRISMA_DIR, "migrations");

type SchemaEngineModule = typeof import("@prisma/schema-engine-wasm");
let enginePromise: Promise<SchemaEngineModule> | undefined;

/**
 * Instantiates the engine's .wasm ourselves: its package imports the .wasm as an ES module, which Node 20
 * only loads behind --experimental-wasm-modules, and which bundlers handle poorly.
 */
function loadEngineModule(): Promise<SchemaEngineModule> {
  enginePromise ??= (async () => {
    const require = createRequire(path.join(process.cwd(), "package.json"));
    const bgPath = require.resolve("@prisma/schema-engine-wasm/schema_engine_bg");
    const bg = (await import(/* webpackIgnore: true */ bgPath)) as SchemaEngineModule & {
      __wbg_set_wasm: (exports: WebAssembly.Exports) => void;
    };
    const bytes = await readFile(/*turbopackIgnore: true*/ path.join(path.dirname(bgPath), "schema_engine_bg.wasm"));
    const { instance } = await WebAssembly.instantiate(bytes, { "./schema_engine_bg.js": withUnrefTimers(bg) });
    bg.__wbg_set_wasm(instance.exports);
    (instance.exports.__wbindgen_start as () => void)();
    return bg;
  })();
  return enginePromise;
}

/**
 * The engine arms a 10 s timer (an idle timeout) that would keep a finished script or test process alive;
 * unref it so the process exits when its real work is done.
 */
function withUnrefTimers(bg: object): WebAssembly.ModuleImports {
  const imports: Record<string, unknown> = { ...bg };
  for (const [name, value] of Object.entries(imports)) {
    if (name.startsWith("__wbg_setTimeout_") && typeof value === "function") {
      imports[name] = (...args: unknown[]) => {
        const timer = (value as (...a: unknown[]) => unknown)(...args);
        (timer as { unref?: () => void }).unref?.();
        return timer;
      };
    }
  }
  return imports as WebAssembly.ModuleImports;
}

/**
 * pg's adapter runs a migration script by splitting it at every ";", so a trigger function's body
 * ($$ … $$) reaches the server in pieces. Its scripts are split here instead (sql-script.ts) and each
 * statement runs on its own, as the adapter would run them. PGlite runs a script whole and needs nothing.
 */
function withStatementSplitting(factory: SqlMigrationAwareDriverAdapterFactory): SqlMigrationAwareDriverAdapterFactory {
  if (factory.adapterName !== "@prisma/adapter-pg") return factory;
  const split = (adapter: SqlDriverAdapter): SqlDriverAdapter => {
    adapter.executeScript = async (script: string) => {
      for (const sql of splitSqlScript(script)) await adapter.executeRaw({ sql, args: [], argTypes: [] });
    };
    return adapter;
  };
  return Object.assign(Object.create(factory) as SqlMigrationAwareDriverAdapterFactory, {
    connect: async () => split(await factory.connect()),
    connectToShadowDb: async () => split(await factory.connectToShadowDb()),
  });
}

async function withEngine<T>(
  adapterFactory: SqlMigrationAwareDriverAdapterFactory,
  schema: string,
  run: (engine: SchemaEngine) => Promise<T>,
): Promise<T> {
  const mod = await loadEngineModule();
  const bound = bindMigrationAwareSqlAdapterFactory(withStatementSplitting(adapterFactory));
  const logs: string[] = [];
  let engine: SchemaEngine;
  try {
    engine = await mod.SchemaEngine.new({ datamodels: [["schema.prisma", schema]] }, (line: string) => logs.push(line), bound);
  } catch (error) {
    throw unwrapAdapterError(error, bound);
  }
  try {
    return await run(engine);
  } catch (error) {
    throw unwrapAdapterError(error, bound);
  } finally {
    engine.free();
  }
}

/** Adapter failures surface as "External error id#N"; the real error waits in the bound factory. */
function unwrapAdapterError(error: unknown, bound: { errorRegistry: { consumeError(id: number): unknown } }): Error {
  const message = error instanceof Error ? error.message : String(error);
  const match = /External error id#(\d+)/.exec(message);
  if (match?.[1]) {
    const original = bound.errorRegistry.consumeError(Number(match[1])) as { error?: unknown } | undefined;
    const cause = original?.error ?? original;
    return new Error(`${message}: ${cause instanceof Error ? cause.message : JSON.stringify(cause)}`, { cause });
  }
  return error instanceof Error ? error : new Error(message);
}

export async function readSchema(): Promise<string> {
  return readFile(/*turbopackIgnore: true*/ SCHEMA_PATH, "utf8");
}

/** Loads prisma/migrations the way the Prisma CLI does, with each directory's name as its path. */
export async function readMigrations(dir = MIGRATIONS_DIR): Promise<MigrationList> {
  let entries: string[] = [];
  try {
    entries = (await readdir(/*turbopackIgnore: true*/ dir, { withFileTypes: true })).filter((e) => e.isDirectory()).map((e) => e.name).sort();
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== "ENOENT") throw error;
  }
  const migrationDirectories = await Promise.all(
    entries.map(async (name) => ({
      path: name,
      migrationFile: {
        path: "migration.sql",
        content: await readFile(/*turbopackIgnore: true*/ path.join(dir, name, "migration.sql"), "utf8").then(
          (value) => ({ tag: "ok" as const, value }),
          (error: Error) => ({ tag: "error" as const, value: error.message }),
        ),
      },
    })),
  );
  const lockPath = path.join(dir, "migration_lock.toml");
  const lockContent = await readFile(/*turbopackIgnore: true*/ lockPath, "utf8").catch(() => null);
  return {
    baseDir: dir,
    lockfile: { path: "migration_lock.toml", content: lockContent },
    shadowDbInitScript: "",
    migrationDirectories,
  };
}

/**
 * Applies pending migrations; returns the names of those applied now (empty when up to date). Two
 * migrators on one PostgreSQL database (two deploys, parallel test files) take turns through Prisma's
 * advisory lock; one that waited past the engine's 10 s lock timeout tries again.
 */
export async function applyMigrations(adapterFactory: SqlMigrationAwareDriverAdapterFactory, dir = MIGRATIONS_DIR): Promise<string[]> {
  const [schema, migrationsList] = await Promise.all([readSchema(), readMigrations(dir)]);
  for (let attempt = 1; ; attempt++) {
    try {
      return await withEngine(adapterFactory, schema, async (engine) => {
        const result = await engine.applyMigrations({ migrationsList, filters: FILTERS });
        return result.appliedMigrationNames;
      });
    } catch (error) {
      if (attempt >= 6 || !/advisory lock/i.test(error instanceof Error ? error.message : String(error))) throw error;
    }
  }
}

/**
 * SQL that takes a database migrated with `dir` to what schema.prisma describes. `migratedFactory` must
 * point at a database on which `dir` has been applied (a shadow database: an in-memory PGlite).
 * Returns "" when the schema and the migrations agree.
 */
export async function diffSchemaAgainstDatabase(migratedFactory: SqlMigrationAwareDriverAdapterFactory): Promise<string> {
  const schema = await readSchema();
  const files = [{ path: SCHEMA_PATH, content: schema }];
  return withEngine(migratedFactory, schema, async (engine) => {
    const result = await engine.diff({
      from: { tag: "schemaDatasource", files, configDir: PRISMA_DIR },
      to: { tag: "schemaDatamodel", files },
      script: true,
      exitCode: null,
      filters: FILTERS,
    });
    return normalizeDiff(result.stdout ?? "");
  });
}

function normalizeDiff(sql: string): string {
  return sql.trim() === "-- This is an empty migration." ? "" : sql;
}
