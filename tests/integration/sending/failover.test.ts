import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import type { HttpFault } from "../../emulators";
import { api, signUp } from "../../helpers/api";
import { connect, emailBody, startSendingStack, waitForFinal, type SendingStack } from "../../helpers/sending";

let stack: SendingStack;

beforeAll(async () => {
  stack = await startSendingStack();
});
afterAll(async () => stack.stop());
beforeEach(async () => stack.emulators.reset());

/** A tenant with SendGrid as primary and Postmark as secondary, both on the emulators. */
async function tenantWithTwoProviders() {
  const t = await signUp();
  const primary = await connect(t.apiKey, stack.emulators, "sendgrid", { priority: 1 });
  const secondary = await connect(t.apiKey, stack.emulators, "postmark", { priority: 2 });
  return { ...t, primary, secondary };
}

async function send(token: string, body = emailBody()) {
  const res = await api.post("/api/v1/emails", body, { token });
  expect(res.status, res.text).toBe(202);
  return res.body;
}

const sends = (provider: "sendgrid" | "postmark") => stack.emulators.http.requests(provider).filter((r) => r.method === "POST");

describe("sending with failover", () => {
  it("sends through the primary and records the timeline", async () => {
    const t = await tenantWithTwoProviders();
    const queued = await send(t.apiKey);
    expect(queued).toMatchObject({ status: "queued", from_email: "hello@yourapp.com", tags: ["welcome"] });
    const done = await waitForFinal(t.apiKey, queued.id);
    expect(done.status).toBe("sent");
    expect(done.provider).toBe("sendgrid");
    expect(done.provider_message_id).toBeTruthy();
    expect(done.events.map((e: any) => e.event_type)).toEqual(["queued", "sent"]);
    expect(done.events[1]).toMatchObject({ provider: "sendgrid", message_id: done.provider_message_id });
    expect(sends("sendgrid")).toHaveLength(1);
    expect(JSON.stringify(sends("sendgrid")[0]!.json)).toContain(queued.id);
    expect(sends("postmark")).toHaveLength(0);
  });

  const transient: [HttpFault, string][] = [
    ["5xx", "50\\d"],
    ["429", "429"],
    ["hang", "no answer|timed out|timeout"],
    ["refuse", "refused|ECONNREFUSED"],
    ["reset", "reset|socket|ECONNRESET"],
  ];
  it.each(transient)("fails over to the secondary when the primary answers %s", async (fault, reasonPattern) => {
    const t = await tenantWithTwoProviders();
    await stack.emulators.fail("sendgrid", fault, { times: 1 });
    const queued = await send(t.apiKey);
    const done = await waitForFinal(t.apiKey, queued.id);
    await stack.emulators.heal();
    expect(done.status).toBe("sent");
    expect(done.provider).toBe("postmark");
    const failed = done.events.find((e: any) => e.event_type === "attempt_failed");
    expect(failed).toMatchObject({ provider: "sendgrid", kind: "transient" });
    expect(failed.reason).toMatch(new RegExp(reasonPattern, "i"));
    expect(typeof failed.duration_ms).toBe("number");
    if (fault === "hang" || fault === "reset") {
      // The request may have reached SendGrid: recorded as possibly accepted, and the success as a possible duplicate.
      expect(failed.accepted).toBe("unknown");
      expect(done.events.find((e: any) => e.event_type === "sent").possible_duplicate).toBe(true);
    } else {
      expect(failed.accepted).toBe("no");
    }
    expect(done.events.map((e: any) => e.event_type)).toEqual(["queued", "attempt_failed", "sent"]);
  });

  it.each([["401"], ["invalid_recipient"]] as [HttpFault][])("stops at once on a permanent %s: failed, secondary never called", async (fault) => {
    const t = await tenantWithTwoProviders();
    await stack.emulators.fail("sendgrid", fault, { times: 1 });
    const queued = await send(t.apiKey);
    const done = await waitForFinal(t.apiKey, queued.id);
    expect(done.status).toBe("failed");
    expect(done.events.map((e: any) => e.event_type)).toEqual(["queued", "attempt_failed", "failed"]);
    expect(done.events[1]).toMatchObject({ provider: "sendgrid", kind: "permanent" });
    expect(done.last_error).toMatch(/^sendgrid: /);
    expect(sends("postmark")).toHaveLength(0);
  });

  it("retries the whole plan when every provider is down, and sends once one recovers", async () => {
    const t = await tenantWithTwoProviders();
    await stack.emulators.fail("sendgrid", "5xx", { times: 1 });
    await stack.emulators.fail("postmark", "5xx", { times: 1 });
    const queued = await send(t.apiKey);
    const done = await waitForFinal(t.apiKey, queued.id);
    expect(done.status).toBe("sent");
    expect(done.provider).toBe("sendgrid");
    expect(done.events.map((e: any) => e.event_type)).toEqual(["queued", "attempt_failed", "attempt_failed", "deferred", "sent"]);
    expect(done.events[3].retry_at).toBeTruthy();
    expect(sends("sendgrid")).toHaveLength(2);
    expect(sends("postmark")).toHaveLength(1);
  });

  it("marks the email failed after the last retry, with a failed event", async () => {
    const t = await tenantWithTwoProviders();
    await stack.emulators.fail("sendgrid", "5xx", { times: 3 });
    await stack.emulators.fail("postmark", "5xx", { times: 3 });
    const queued = await send(t.apiKey);
    const done = await waitForFinal(t.apiKey, queued.id);
    expect(done.status).toBe("failed");
    const types = done.events.map((e: any) => e.event_type);
    expect(types.filter((x: string) => x === "attempt_failed")).toHaveLength(6);
    expect(types.filter((x: string) => x === "deferred")).toHaveLength(2);
    expect(types.at(-1)).toBe("failed");
    expect(done.failed_at).toBeTruthy();
  });

  it("fails with a clear reason when the tenant has no provider connection", async () => {
    const t = await signUp();
    const queued = await send(t.apiKey);
    const done = await waitForFinal(t.apiKey, queued.id);
    expect(done.status).toBe("failed");
    expect(done.last_error).toMatch(/No enabled provider connection/);
  });
});
