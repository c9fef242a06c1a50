/**
 * Durability across a real crash: a child process runs a function whose first step completes and whose
 * second step blocks, and is SIGKILLed; a new engine on the same database resumes the run from the
 * stored step, so the first step's side effect happened exactly once.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { once } from "node:events";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { randomBytes } from "node:crypto";
import pg from "pg";
import { afterEach, describe, expect, it } from "vitest";
import { type Database, openDatabase } from "@/server/db";
import { getSecrets } from "@/server/env";
import { createLocalEngine, type LocalEngine } from "@/server/jobs/engine";
import { createTestClient, eventually } from "@/tests/helpers/engine";
import { CRASH_EVENT_ID, crashFunctions } from "./fixtures/crash-function";

const fixture = path.join(import.meta.dirname, "fixtures", "crash-worker.ts");
const repoRoot = path.resolve(import.meta.dirname, "../../..");

interface SharedDatabase {
  childEnv: Record<string, string>;
  open(): Promise<Database>;
  exclusive: boolean;
  dispose(): Promise<void>;
}

/** The same database for the child and for this process: a PGlite directory, or a PostgreSQL schema. */
async function sharedDatabase(dir: string): Promise<SharedDatabase> {
  const url = process.env.TEST_DATABASE_URL;
  if (!url) {
    const dataDir = path.join(dir, "pglite");
    const setup = await openDatabase({ kind: "pglite", dataDir });
    await setup.migrate();
    // Only one process may open a PGlite directory: closed before the child opens it.
    await setup.close();
    return { childEnv: { CRASH_PGLITE_DIR: dataDir }, open: () => openDatabase({ kind: "pglite", dataDir }), exclusive: true, dispose: async () => undefined };
  }
  const schema = `crash_${randomBytes(5).toString("hex")}`;
  const admin = new pg.Client({ connectionString: url });
  await admin.connect();
  await admin.query(`CREATE SCHEMA "${schema}"`);
  const setup = await openDatabase({ kind: "postgres", url, schema, poolSize: 2 });
  await setup.migrate();
  await setup.close();
  return {
    childEnv: { CRASH_PG_URL: url, CRASH_PG_SCHEMA: schema },
    open: () => openDatabase({ kind: "postgres", url, schema, poolSize: 5 }),
    exclusive: false,
    dispose: async () => {
      await admin.query(`DROP SCHEMA "${schema}" CASCADE`);
      await admin.end();
    },
  };
}

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

describe("local engine: crash recovery", () => {
  it("resumes a run from its stored steps after its worker is SIGKILLed mid-step", { timeout: 45_000 }, async () => {
    const dir = mkdtempSync(path.join(tmpdir(), "courierx-crash-"));
    cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
    const logFile = path.join(dir, "steps.log");
    const shared = await sharedDatabase(dir);
    cleanups.push(() => shared.dispose());

    const output: string[] = [];
    const child: ChildProcess = spawn(process.execPath, ["--import", "tsx", fixture], {
      cwd: repoRoot,
      env: { ...process.env, ...shared.childEnv, CRASH_LOG_FILE: logFile, CRASH_SIGNING_KEY: getSecrets().localSigningKey, LOG_LEVEL: "warn" },
      stdio: ["ignore", "pipe", "pipe"],
    });
    child.stdout?.on("data", (chunk: Buffer) => output.push(chunk.toString()));
    child.stderr?.on("data", (chunk: Buffer) => output.push(chunk.toString()));
    const exited = once(child, "exit");
    cleanups.push(() => {
      if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
    });

    await eventually(() => {
      if (child.exitCode !== null) throw new Error(`the child exited early:\n${output.join("")}`);
      return existsSync(logFile) && readFileSync(logFile, "utf8").includes("second-start");
    }, 30_000);
    child.kill("SIGKILL");
    await exited;
    expect(child.signalCode).toBe("SIGKILL");

    const database = await shared.open();
    cleanups.push(() => database.close());
    const ref: { engine?: LocalEngine } = {};
    const client = createTestClient(async (events) => (await ref.engine!.enqueue(events)).ids);
    const engine = createLocalEngine({
      client,
      functions: crashFunctions(client, { logFile, blockSecondStep: false }),
      db: database.prisma,
      workerId: "survivor",
      leaseMs: 2_000,
      pollIntervalMs: 50,
    });
    ref.engine = engine;
    const [interrupted] = await engine.listRuns({ eventId: CRASH_EVENT_ID });
    expect(interrupted?.status).toBe("running");
    expect(interrupted?.leaseOwner).toBe("doomed-child");
    expect(Object.keys(interrupted?.steps ?? {})).toHaveLength(1);

    await engine.start({ exclusive: shared.exclusive });
    cleanups.push(() => engine.stop());
    const run = await engine.waitForRun(interrupted!.id, { timeoutMs: 20_000 });
    expect(run.status).toBe("completed");
    expect(run.output).toBe("one+two");
    // The completed step ran once; the step that was cut off ran again (at-least-once for unfinished steps).
    expect(readFileSync(logFile, "utf8").trim().split("\n")).toEqual(["first", "second-start", "second-start", "second-done"]);
  });
});
