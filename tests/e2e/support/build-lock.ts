/**
 * Several e2e runs may share one checkout (developers, helpers): each `next start` reads `.next` while it
 * runs, and a rebuild under it would break it mid-run, as would two builds at once. So every run registers
 * as a user of the build, and a run that must rebuild takes the build lock and waits until no other run uses
 * `.next`; runs that arrive meanwhile wait for the build. The files live in the OS temporary directory, keyed
 * by the checkout's path, and name their process: one whose process is gone no longer counts. A lone run
 * (CI) never waits.
 */
import { createHash } from "node:crypto";
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";

const POLL_MS = 1000;

function alive(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

function ownerPid(file: string): number {
  try {
    return Number(readFileSync(file, "utf8").trim());
  } catch {
    return 0;
  }
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export interface BuildUse {
  /** What was done: "up to date" or the build's reason and time. */
  summary: string;
  /** Stop using `.next` (after `next start` has stopped). */
  release(): void;
}

/**
 * Registers this process as a user of `.next`, building first when `stale()` says so (null: up to date).
 * Resolves once this run may start the app on `.next`.
 */
export async function claimBuild(root: string, stale: () => string | null, build: (reason: string) => string): Promise<BuildUse> {
  const dir = path.join(tmpdir(), `courierx-e2e-${createHash("sha256").update(root).digest("hex").slice(0, 16)}`);
  mkdirSync(dir, { recursive: true });
  const lockFile = path.join(dir, "build.lock");
  const mine = path.join(dir, `user-${process.pid}`);
  const release = () => rmSync(mine, { force: true });
  process.once("exit", release);
  const building = () => {
    const pid = ownerPid(lockFile);
    if (pid && !alive(pid)) rmSync(lockFile, { force: true });
    return pid !== 0 && alive(pid) && pid !== process.pid;
  };
  const otherUsers = () =>
    readdirSync(dir)
      .filter((name) => name.startsWith("user-"))
      .map((name) => Number(name.slice("user-".length)))
      .filter((pid) => pid !== process.pid && (alive(pid) || (rmSync(path.join(dir, `user-${pid}`), { force: true }), false)));
  let said = "";
  const say = (message: string) => {
    if (message !== said) console.log(`e2e: ${message}`);
    said = message;
  };

  for (;;) {
    while (building()) {
      say("waiting for another e2e run's next build in this checkout…");
      await sleep(POLL_MS);
    }
    writeFileSync(mine, String(process.pid));
    // A build may have started between the check and the registration: then it waits for us, and we for it.
    if (building()) {
      release();
      continue;
    }
    const reason = stale();
    if (reason === null) return { summary: "up to date", release };
    release();
    try {
      writeFileSync(lockFile, String(process.pid), { flag: "wx" });
    } catch {
      continue; // another run took the lock first: wait for its build, then look again
    }
    try {
      for (let users = otherUsers(); users.length > 0; users = otherUsers()) {
        say(`waiting for ${users.length} other e2e run(s) using .next (pid ${users.join(", ")}) before rebuilding…`);
        await sleep(POLL_MS);
      }
      // Stale may have changed while waiting (another run built these sources).
      const still = stale();
      const summary = still === null ? "up to date" : build(still);
      writeFileSync(mine, String(process.pid));
      return { summary, release };
    } finally {
      rmSync(lockFile, { force: true });
    }
  }
}
