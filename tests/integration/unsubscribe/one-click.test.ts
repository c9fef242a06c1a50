/**
 * One-click unsubscribe links (RFC 8058) on the real stack: a POST to the link suppresses the recipient and
 * records `unsubscribed` once; the next send to the address is `suppressed`; a GET only shows the page; a
 * forged, altered or truncated token changes nothing.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getDb } from "@/server/db";
import { unsubscribeToken, verifyUnsubscribeToken } from "@/server/services/unsubscribe/token";
import { api, call, signUp } from "../../helpers/api";
import { connect, emailBody, startSendingStack, waitForFinal, type SendingStack } from "../../helpers/sending";

let stack: SendingStack;
beforeAll(async () => {
  stack = await startSendingStack();
});
afterAll(async () => stack.stop());

async function sentEmail(apiKey: string, to: string) {
  const res = await api.post("/api/v1/emails", emailBody({ to_email: to }), { token: apiKey });
  expect(res.status).toBe(202);
  const done = await waitForFinal(apiKey, res.body.id);
  expect(done.status).toBe("sent");
  return done as { id: string };
}

/** The mail client's one-click request (RFC 8058 section 3.2). */
function oneClick(token: string) {
  return call("POST", `/api/unsubscribe/${token}`, { rawBody: "List-Unsubscribe=One-Click", headers: { "content-type": "application/x-www-form-urlencoded" } });
}

async function suppressionsOf(tenantId: string) {
  const db = await getDb();
  return db.suppression.findMany({ where: { tenantId }, select: { email: true, reason: true, emailId: true } });
}

describe("one-click unsubscribe", () => {
  it("suppresses the recipient, records unsubscribed once, and the next send is suppressed", async () => {
    const { apiKey, tenantId } = await signUp("Newsletter Co");
    await connect(apiKey, stack.emulators, "sendgrid");
    const to = `reader-${Date.now()}@example.com`;
    const email = await sentEmail(apiKey, to);
    const token = unsubscribeToken({ tenantId, emailId: email.id, recipient: to.toUpperCase() });

    // Opening the link shows a page and changes nothing (scanners and previews open links).
    const page = await call("GET", `/api/unsubscribe/${token}`);
    expect(page.status).toBe(200);
    expect(page.headers.get("content-type")).toMatch(/^text\/html/);
    expect(page.text).toContain("Newsletter Co");
    expect(page.text).toContain(`action="/api/unsubscribe/${token}"`);
    expect(page.headers.get("content-security-policy")).toContain("default-src 'none'");
    expect(await suppressionsOf(tenantId)).toEqual([]);

    const res = await oneClick(token);
    expect(res.status).toBe(200);
    expect(res.text).toContain("You are unsubscribed");
    expect(await suppressionsOf(tenantId)).toEqual([{ email: to, reason: "unsubscribe", emailId: email.id }]);
    // A second click (or a client retrying) adds nothing.
    expect((await oneClick(token)).status).toBe(200);
    const detail = (await api.get(`/api/v1/emails/${email.id}`, { token: apiKey })).body;
    expect(detail.events.filter((e: { event_type: string }) => e.event_type === "unsubscribed")).toHaveLength(1);
    expect((await call("GET", `/api/unsubscribe/${token}`)).text).toContain("You are unsubscribed");

    const next = await api.post("/api/v1/emails", emailBody({ to_email: to }), { token: apiKey });
    expect((await waitForFinal(apiKey, next.body.id)).status).toBe("suppressed");
  });

  it("a forged, altered or truncated token is refused with 404 and changes nothing", async () => {
    const { apiKey, tenantId } = await signUp();
    await connect(apiKey, stack.emulators, "sendgrid");
    const to = `victim-${Date.now()}@example.com`;
    const email = await sentEmail(apiKey, to);
    const token = unsubscribeToken({ tenantId, emailId: email.id, recipient: to });
    const [version, ids, , mac] = token.split(".");
    const forged = [
      // Another address under the same signature.
      [version, ids, Buffer.from("someone-else@example.com").toString("base64url"), mac].join("."),
      // A signature flipped in one character.
      token.slice(0, -1) + (token.endsWith("A") ? "B" : "A"),
      token.slice(0, -5),
      `${token}.extra`,
      "v1.not-a-token",
      "",
      "x".repeat(5000),
    ];
    for (const candidate of forged) {
      expect(verifyUnsubscribeToken(candidate)).toBeNull();
      if (candidate === "") continue;
      const res = await oneClick(candidate);
      expect(res.status, candidate.slice(0, 40)).toBe(404);
      expect(res.text).toContain("not valid");
    }
    expect(await suppressionsOf(tenantId)).toEqual([]);
    const detail = (await api.get(`/api/v1/emails/${email.id}`, { token: apiKey })).body;
    expect(detail.events.map((e: { event_type: string }) => e.event_type)).not.toContain("unsubscribed");
  });

  it("a token for another tenant's email cannot touch this tenant, and a pruned email's link still suppresses", async () => {
    const a = await signUp();
    const b = await signUp();
    await connect(a.apiKey, stack.emulators, "sendgrid");
    const to = `shared-${Date.now()}@example.com`;
    const email = await sentEmail(a.apiKey, to);
    // Signed for tenant b with a's email id: suppresses in b only (what the token says), never in a.
    expect((await oneClick(unsubscribeToken({ tenantId: b.tenantId, emailId: email.id, recipient: to }))).status).toBe(200);
    expect(await suppressionsOf(a.tenantId)).toEqual([]);
    expect(await suppressionsOf(b.tenantId)).toEqual([{ email: to, reason: "unsubscribe", emailId: null }]);
    const detail = (await api.get(`/api/v1/emails/${email.id}`, { token: a.apiKey })).body;
    expect(detail.events.map((e: { event_type: string }) => e.event_type)).not.toContain("unsubscribed");

    const db = await getDb();
    const token = unsubscribeToken({ tenantId: a.tenantId, emailId: email.id, recipient: to });
    await db.email.delete({ where: { id: email.id } });
    expect((await oneClick(token)).status).toBe(200);
    expect(await suppressionsOf(a.tenantId)).toEqual([{ email: to, reason: "unsubscribe", emailId: null }]);
  });
});
