/**
 * An error while creating a call's context (before any procedure or its middleware runs: reading the session,
 * working out the app's URL) reaches the client as the same bare INTERNAL_SERVER_ERROR as an error inside a
 * procedure — no message, cause or stack — and goes to the log once, even when a whole batch shares it.
 * Forced here by making the context's base-URL step fail (no database is mocked).
 */
import { afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { getDb } from "@/server/db";
import { setLogSink } from "@/server/lib/logger";
import { call } from "../../helpers/api";
import { signUpOwner } from "../../helpers/trpc";
import { signedIn } from "./browser";

const LEAK = 'connect ECONNREFUSED 10.0.0.5:5432 user=courierx password=hunter2 at "/srv/app/.data/secrets.json"';

vi.mock("@/server/http/public-base-url", () => ({
  publicBaseUrl: () => {
    throw new Error(LEAK);
  },
}));

// The database (migrated on first use) before the tests: under load that alone can take a test's whole budget.
beforeAll(async () => {
  await getDb();
});

let restore: (() => void) | undefined;
afterEach(() => restore?.());

function captureLogs(): string[] {
  const lines: string[] = [];
  restore = setLogSink((line) => lines.push(line), "debug");
  return lines;
}

function expectBare(error: any) {
  expect(error).toMatchObject({ message: "Internal server error", data: { code: "INTERNAL_SERVER_ERROR", httpStatus: 500 } });
}

describe("tRPC context errors", () => {
  it("answers a query, a mutation and every call of a batch whose context failed with a bare 'Internal server error', and logs it once", async () => {
    const owner = await signUpOwner();
    const browser = await signedIn(owner.email);
    const cookie = browser.cookieHeader();
    const lines = captureLogs();

    const query = await call("GET", "/api/trpc/account.me", { headers: { cookie } });
    const mutation = await call("POST", "/api/trpc/suppressions.create", { body: { email: "x@example.com" }, headers: { cookie } });
    const batch = await call("GET", "/api/trpc/account.me,domains.list?batch=1&input=%7B%7D", { headers: { cookie } });
    // Signed out fails the same way: the context is created before the session is looked at.
    const anonymous = await call("GET", "/api/trpc/account.me");

    for (const res of [query, mutation, anonymous]) {
      expect(res.status).toBe(500);
      expectBare(res.body.error);
    }
    expect(batch.status).toBe(500);
    expect(batch.body).toHaveLength(2);
    for (const item of batch.body) expectBare(item.error);
    for (const res of [query, mutation, batch, anonymous]) {
      for (const leak of ["hunter2", "10.0.0.5", "ECONNREFUSED", "secrets.json", "stack", "at "]) expect(res.text).not.toContain(leak);
    }
    // In the log instead: once per request, the batch's two calls sharing one line.
    const logged = lines.filter((line) => line.includes("hunter2"));
    expect(logged).toHaveLength(4);
    for (const line of logged) expect(JSON.parse(line)).toMatchObject({ level: "error", error: { message: LEAK } });
  });
});
