/**
 * One-click unsubscribe links (RFC 8058) on the real stack: a send with `unsubscribe: true` (or the account's
 * default) arrives at the SMTP server with List-Unsubscribe and List-Unsubscribe-Post; a POST to that link
 * suppresses the recipient and records `unsubscribed` once; the next send to the address is `suppressed`; a
 * GET only shows the page; a forged, altered or truncated token changes nothing.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getDb } from "@/server/db";
import { updateAccountSettings } from "@/server/services/accounts/update-account-settings";
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

/** The base64url character that differs from `c` only in the 2 bits a 32-byte value's last character does not use. */
function spareBitsTwin(c: string): string {
  const alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
  const i = alphabet.indexOf(c);
  return alphabet[(i & ~3) | ((i + 1) & 3)]!;
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
      // Other spellings of the same bytes (Node's base64url decoder ignores padding and a last character's
      // spare bits): one token per link.
      [version, `${ids}=`, ...token.split(".").slice(2)].join("."),
      [version, ids!.slice(0, -1) + spareBitsTwin(ids!.at(-1)!), ...token.split(".").slice(2)].join("."),
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

describe("sending the link", () => {
  /** The headers the SMTP server received for the message to `to`. */
  async function receivedHeaders(to: string) {
    const mail = stack.emulators.smtp.received.find((m) => m.envelope.to.includes(to));
    expect(mail, `no mail for ${to}`).toBeDefined();
    const { headerLines } = await stack.emulators.smtp.parse(mail!);
    // The raw lines, unfolded: mailparser files List-* headers under one structured "list" header.
    const raw = (key: string) => {
      const line = headerLines.find((l) => l.key === key)?.line;
      return line === undefined ? undefined : line.slice(line.indexOf(":") + 1).replace(/\r\n[ \t]+/g, " ").trim();
    };
    return { unsubscribe: raw("list-unsubscribe"), post: raw("list-unsubscribe-post") };
  }

  it("unsubscribe: true sends List-Unsubscribe and List-Unsubscribe-Post; the mail client's POST to it unsubscribes", async () => {
    const { apiKey, tenantId } = await signUp();
    await connect(apiKey, stack.emulators, "smtp");
    const to = `one-click-${Date.now()}@example.com`;
    const res = await api.post("/api/v1/emails", emailBody({ to_email: to, unsubscribe: true }), { token: apiKey });
    expect(res.status).toBe(202);
    expect(res.body.unsubscribe_url).toMatch(new RegExp(`^http://localhost/api/unsubscribe/v1\\.`));
    expect((await waitForFinal(apiKey, res.body.id)).status).toBe("sent");

    const headers = await receivedHeaders(to);
    expect(headers.unsubscribe).toBe(`<${res.body.unsubscribe_url}>`);
    const link: string = res.body.unsubscribe_url;
    expect(headers.post).toBe("List-Unsubscribe=One-Click");
    expect(verifyUnsubscribeToken(link.split("/").pop()!)).toEqual({ tenantId, emailId: res.body.id, recipient: to });

    expect((await oneClick(link.split("/").pop()!)).status).toBe(200);
    expect(await suppressionsOf(tenantId)).toEqual([{ email: to, reason: "unsubscribe", emailId: res.body.id }]);
    const next = await api.post("/api/v1/emails", emailBody({ to_email: to, unsubscribe: true }), { token: apiKey });
    expect((await waitForFinal(apiKey, next.body.id)).status).toBe("suppressed");
  });

  it("the account's default adds the link unless the send says false or sets its own header; both at once is a 422", async () => {
    const { apiKey, tenantId } = await signUp();
    await connect(apiKey, stack.emulators, "smtp");
    const stamp = Date.now();
    const without = await api.post("/api/v1/emails", emailBody({ to_email: `off-${stamp}@example.com` }), { token: apiKey });
    expect(without.body.unsubscribe_url).toBeNull();

    await updateAccountSettings(tenantId, { unsubscribe_by_default: true });
    const byDefault = await api.post("/api/v1/emails", emailBody({ to_email: `default-${stamp}@example.com` }), { token: apiKey });
    expect(byDefault.body.unsubscribe_url).toContain("/api/unsubscribe/v1.");
    const optedOut = await api.post("/api/v1/emails", emailBody({ to_email: `false-${stamp}@example.com`, unsubscribe: false }), { token: apiKey });
    expect(optedOut.body.unsubscribe_url).toBeNull();
    const own = await api.post("/api/v1/emails", emailBody({ to_email: `own-${stamp}@example.com`, headers: { "List-Unsubscribe": "<mailto:leave@yourapp.com>" } }), { token: apiKey });
    expect(own.body.unsubscribe_url).toBeNull();
    for (const res of [without, byDefault, optedOut, own]) expect((await waitForFinal(apiKey, res.body.id)).status).toBe("sent");
    expect((await receivedHeaders(`default-${stamp}@example.com`)).post).toBe("List-Unsubscribe=One-Click");
    expect((await receivedHeaders(`false-${stamp}@example.com`)).unsubscribe).toBeUndefined();
    expect((await receivedHeaders(`off-${stamp}@example.com`)).unsubscribe).toBeUndefined();
    const ownHeaders = await receivedHeaders(`own-${stamp}@example.com`);
    expect(ownHeaders.unsubscribe).toBe("<mailto:leave@yourapp.com>");
    expect(ownHeaders.post).toBeUndefined();

    const both = await api.post("/api/v1/emails", emailBody({ unsubscribe: true, headers: { "list-unsubscribe-post": "List-Unsubscribe=One-Click" } }), { token: apiKey });
    expect(both.status).toBe(422);
    expect(both.body.errors).toEqual(["headers can't include List-Unsubscribe or List-Unsubscribe-Post when unsubscribe is true"]);
    const notBoolean = await api.post("/api/v1/emails", emailBody({ unsubscribe: "yes" }), { token: apiKey });
    expect(notBoolean.body.errors).toEqual(["unsubscribe must be true or false"]);
  });
});
