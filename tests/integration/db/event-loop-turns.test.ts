/**
 * A queue of statements does not starve the event loop's I/O (server/db/index.ts, takeTurns): PGlite runs in
 * this thread and hands its connection from statement to statement through promises, so without a turn of
 * the event loop per statement a timer or a socket waited until the whole queue had run. PostgreSQL's
 * answers arrive through sockets and interleave by themselves; the property holds on both.
 */
import { describe, expect, it } from "vitest";
import { getDb } from "@/server/db";

describe("database statements and the event loop", () => {
  it("lets a timer fire while 300 statements are queued, long before the last of them", async () => {
    const db = await getDb();
    await db.$queryRaw`SELECT 1`;
    let finished = 0;
    let finishedWhenTimerFired = -1;
    const timer = new Promise<void>((resolve) =>
      setTimeout(() => {
        finishedWhenTimerFired = finished;
        resolve();
      }, 0),
    );
    const statements = Array.from({ length: 300 }, (_, i) =>
      db.$queryRaw<{ n: number }[]>`SELECT count(*)::int AS n FROM generate_series(1, ${1000 + i}::int)`.then((rows) => {
        finished++;
        return rows[0]!.n;
      }),
    );
    const counts = await Promise.all(statements);
    await timer;
    expect(counts[299]).toBe(1299);
    expect(finishedWhenTimerFired).toBeGreaterThanOrEqual(0);
    expect(finishedWhenTimerFired).toBeLessThan(150);
  });
});
