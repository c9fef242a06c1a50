/** The engine's pure parts: the CEL subset of function configs, cron schedules, sleep and retry times. */
import { afterEach, describe, expect, it, vi } from "vitest";
import { parseCron } from "@/server/jobs/engine/cron";
import { CronTicker } from "@/server/jobs/engine/cron-ticker";
import { FunctionRegistry, type NewRun } from "@/server/jobs/engine/registry";
import { retryAfterMs, sleepUntil } from "@/server/jobs/engine/durations";
import { compileExpression, keyValue } from "@/server/jobs/engine/expressions";

const event = { id: "e1", name: "app/email.queued", data: { tenant_id: "t-1", email_id: "m-9", n: 3, nested: { list: ["x", "y"] } } };
const evaluate = (source: string) => compileExpression(source)({ event });

describe("expressions", () => {
  it("reads paths and concatenates strings", () => {
    expect(evaluate("event.data.tenant_id")).toBe("t-1");
    expect(evaluate("event.data.tenant_id + '-' + event.data.email_id")).toBe("t-1-m-9");
    expect(evaluate('event.data["email_id"]')).toBe("m-9");
    expect(evaluate("event.data.nested.list[1]")).toBe("y");
    expect(evaluate("event.data.n + 2")).toBe(5);
    expect(evaluate("'static'")).toBe("static");
  });

  it("compares and combines conditions like the SDK's onFailure trigger", () => {
    expect(evaluate("event.data.tenant_id == 't-1'")).toBe(true);
    expect(evaluate("event.data.tenant_id != 't-1'")).toBe(false);
    expect(evaluate("event.data.n >= 3 && (event.name == 'app/email.queued' || false)")).toBe(true);
    expect(evaluate("!(event.data.n < 3)")).toBe(true);
  });

  it("gives a missing value instead of throwing, so a key can be absent", () => {
    expect(evaluate("event.data.missing.deeper")).toBeUndefined();
    expect(keyValue(evaluate("event.data.missing + '-x'"))).toBeNull();
    expect(keyValue(evaluate("event.data.n"))).toBe("3");
  });

  it("refuses what is outside the subset when compiled", () => {
    expect(() => compileExpression("size(event.data.list)")).toThrow(/not supported/);
    expect(() => compileExpression("event.data.x ? 1 : 2")).toThrow(/unsupported character/);
    expect(() => compileExpression("event.data.")).toThrow();
    expect(() => compileExpression("'open")).toThrow(/unterminated/);
  });
});

describe("cron", () => {
  const at = (iso: string) => Date.parse(iso);
  const next = (cron: string, after: string) => new Date(parseCron(cron).next(at(after))).toISOString();

  it("finds the next tick", () => {
    expect(next("* * * * *", "2026-01-01T10:00:30Z")).toBe("2026-01-01T10:01:00.000Z");
    expect(next("*/15 * * * *", "2026-01-01T10:01:00Z")).toBe("2026-01-01T10:15:00.000Z");
    expect(next("0 9 * * MON-FRI", "2026-01-02T09:00:00Z")).toBe("2026-01-05T09:00:00.000Z");
    expect(next("30 2 1 * *", "2026-01-15T00:00:00Z")).toBe("2026-02-01T02:30:00.000Z");
    expect(next("TZ=UTC @daily", "2026-01-01T00:00:00Z")).toBe("2026-01-02T00:00:00.000Z");
    expect(next("0 0 29 2 *", "2026-03-01T00:00:00Z")).toBe("2028-02-29T00:00:00.000Z");
  });

  it("refuses malformed schedules and other time zones", () => {
    expect(() => parseCron("* * * *")).toThrow(/five fields/);
    expect(() => parseCron("61 * * * *")).toThrow(/out of range/);
    expect(() => parseCron("TZ=Europe/Paris 0 9 * * *")).toThrow(/UTC only/);
  });
});

describe("cron ticker", () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it("creates one run per tick with an id every worker computes alike", async () => {
    vi.useFakeTimers({ now: Date.parse("2026-01-01T10:00:30Z") });
    const registry = new FunctionRegistry([{ id: "app-sweep", maxAttempts: 2, eventTriggers: [], crons: [parseCron("* * * * *")] }]);
    const created: NewRun[] = [];
    const ticker = new CronTicker(registry, async (runs) => {
      created.push(...runs);
    });
    ticker.start();
    await vi.advanceTimersByTimeAsync(2 * 60_000);
    ticker.stop();
    expect(created.map((r) => r.event.id)).toEqual(["cron:app-sweep:2026-01-01T10:01:00.000Z", "cron:app-sweep:2026-01-01T10:02:00.000Z"]);
    expect(created[0]).toMatchObject({ functionId: "app-sweep", event: { name: "inngest/scheduled.timer", data: { cron: "* * * * *" } } });
  });
});

describe("time strings", () => {
  it("reads sleep durations and dates", () => {
    expect(sleepUntil("1s", 1_000)).toBe(2_000);
    expect(sleepUntil("1h30m", 0)).toBe(5_400_000);
    expect(sleepUntil("2026-01-01T00:00:00.000Z", 0)).toBe(Date.parse("2026-01-01T00:00:00Z"));
    expect(sleepUntil("soon", 0)).toBeUndefined();
  });

  it("reads Retry-After as seconds or a date", () => {
    expect(retryAfterMs("30", 0)).toBe(30_000);
    expect(retryAfterMs(new Date(10_000).toISOString(), 4_000)).toBe(6_000);
    expect(retryAfterMs(null, 0)).toBeUndefined();
  });
});
