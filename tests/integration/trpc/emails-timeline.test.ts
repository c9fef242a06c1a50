/**
 * emails.timeline, the part of the email detail's timeline emails.get lacks: the names of the provider
 * connections its events name and the outgoing-webhook deliveries of its events, from a real send (a test
 * key's sandbox through two connections, the first failing) with a real receiver. Another tenant's email
 * is NOT_FOUND, and its deliveries never show in another email's timeline.
 */
import { TRPCError } from "@trpc/server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { api } from "../../helpers/api";
import { eventually } from "../../helpers/engine";
import { connect, emailBody, startSendingStack, type SendingStack } from "../../helpers/sending";
import { callerFor, signUpOwner } from "../../helpers/trpc";
import { createEndpoint, FAST_WEBHOOK_TIMINGS, Receiver } from "../webhooks/support";
import { env } from "@/server/env";

let receiver: Receiver;
let stack: SendingStack;
beforeAll(async () => {
  receiver = await Receiver.start();
  stack = await startSendingStack();
  Object.assign(env, FAST_WEBHOOK_TIMINGS);
});
afterAll(async () => {
  await stack.stop();
  await receiver.stop();
});

async function testKey(token: string): Promise<string> {
  const res = await api.post("/api/v1/api_keys", { name: "sandbox", mode: "test" }, { token });
  expect(res.status, res.text).toBe(201);
  return res.body.raw_key;
}

async function codeOf(call: Promise<unknown>): Promise<string> {
  try {
    await call;
    return "ok";
  } catch (error) {
    if (error instanceof TRPCError) return error.code;
    throw error;
  }
}

describe("emails.timeline", () => {
  it("names the connections of the attempts and lists the webhook deliveries of the email's events, credentials masked", async () => {
    const owner = await signUpOwner("Timeline A");
    const primary = await connect(owner.token, stack.emulators, "sendgrid", { display_name: "SendGrid Primary", priority: 1 });
    const backup = await connect(owner.token, stack.emulators, "postmark", { display_name: "Postmark Backup", priority: 2 });
    const hookUrl = receiver.url("/timeline").replace("http://", "http://hook-user:hook-pass@");
    const endpoint = await createEndpoint(owner.apiKey, { url: hookUrl, description: "Timeline hooks" });
    const key = await testKey(owner.token);

    const sent = await api.post("/api/v1/emails", emailBody({ to_email: "delivered@sandbox.courierx.dev", metadata: { courierx_simulate_failure: "sendgrid" } }), { token: key });
    expect(sent.status, sent.text).toBe(202);
    const id: string = sent.body.id;
    const caller = callerFor(owner.session);

    const timeline = await eventually(async () => {
      const t = await caller.emails.timeline({ id });
      return t.webhook_deliveries.length === 2 && t.webhook_deliveries.every((d) => d.status === "succeeded") ? t : undefined;
    }, 20_000);
    const detail = await caller.emails.get({ id });
    expect(detail.status).toBe("delivered");

    // The failed attempt on the primary and the send on the backup name their connections; both are listed by name.
    const byType = (type: string) => detail.events.filter((e) => e.event_type === type);
    expect(byType("attempt_failed").map((e) => e.connection_id)).toEqual([primary]);
    expect(byType("sent").map((e) => e.connection_id)).toEqual([backup]);
    expect(timeline.connections).toEqual(
      expect.arrayContaining([
        { id: primary, provider: "sendgrid", display_name: "SendGrid Primary" },
        { id: backup, provider: "postmark", display_name: "Postmark Backup" },
      ]),
    );
    expect(timeline.connections).toHaveLength(2);

    // Oldest first: sent, then delivered; each with its endpoint (URL credentials masked) and its attempts.
    expect(timeline.webhook_deliveries.map((d) => d.event)).toEqual(["sent", "delivered"]);
    for (const d of timeline.webhook_deliveries) {
      expect(d).toMatchObject({ email_id: id, endpoint_id: endpoint.id, status: "succeeded", attempt_count: 1, response_code: 200 });
      expect(d.endpoint).toEqual({ id: endpoint.id, url: hookUrl.replace("hook-pass", "••••"), description: "Timeline hooks" });
      expect(d.attempts).toEqual([expect.objectContaining({ attempt: 1, status_code: 200 })]);
      expect(JSON.stringify(d)).not.toContain("hook-pass");
    }
    expect(timeline.webhook_deliveries.map((d) => (d.payload as { sequence: number }).sequence)).toEqual(byType("sent").concat(byType("delivered")).map((e) => e.sequence));

    // A deleted connection drops out of the names; its events keep their provider.
    expect((await api.delete(`/api/v1/provider_connections/${primary}`, { token: owner.token })).status).toBe(204);
    const after = await caller.emails.timeline({ id });
    expect(after.connections.map((c) => c.id)).toEqual([backup]);
    expect((await caller.emails.get({ id })).events.find((e) => e.event_type === "attempt_failed")?.provider).toBe("sendgrid");
  });

  it("answers another tenant's email NOT_FOUND, and never lists another email's deliveries", async () => {
    const a = await signUpOwner("Timeline B1");
    const b = await signUpOwner("Timeline B2");
    await createEndpoint(a.apiKey, { url: receiver.url("/a") });
    const keyA = await testKey(a.token);
    const keyB = await testKey(b.token);
    const sentA = await api.post("/api/v1/emails", emailBody({ to_email: "delivered@sandbox.courierx.dev" }), { token: keyA });
    const sentB = await api.post("/api/v1/emails", emailBody({ to_email: "delivered@sandbox.courierx.dev" }), { token: keyB });
    const otherOfA = await api.post("/api/v1/emails", emailBody({ to_email: "bounced@sandbox.courierx.dev" }), { token: keyA });
    await eventually(async () => (await callerFor(a.session).emails.timeline({ id: sentA.body.id })).webhook_deliveries.length === 2, 20_000);

    expect(await codeOf(callerFor(b.session).emails.timeline({ id: sentA.body.id }))).toBe("NOT_FOUND");
    expect(await codeOf(callerFor(a.session).emails.timeline({ id: sentB.body.id }))).toBe("NOT_FOUND");
    expect(await codeOf(callerFor(a.session).emails.timeline({ id: "not-a-uuid" }))).toBe("NOT_FOUND");
    expect(await codeOf(callerFor(a.session).emails.timeline({ id: "00000000-0000-4000-8000-000000000000" }))).toBe("NOT_FOUND");

    // B's own email: B has no endpoint, so no deliveries, whatever A's endpoint received.
    const own = await callerFor(b.session).emails.timeline({ id: sentB.body.id });
    expect(own).toEqual({ connections: [], webhook_deliveries: [] });
    // A's other email lists only its own deliveries.
    const other = await eventually(async () => {
      const t = await callerFor(a.session).emails.timeline({ id: otherOfA.body.id });
      return t.webhook_deliveries.some((d) => d.event === "bounced") ? t : undefined;
    }, 20_000);
    expect(new Set(other.webhook_deliveries.map((d) => d.email_id))).toEqual(new Set([otherOfA.body.id]));
  });
});
