/**
 * A send from a registered but unverified domain (or a subdomain of one) is accepted and sent, and its
 * 202 says so in `warnings`; a verified domain, an unregistered one, or another tenant's registration
 * warns of nothing. Real sends through the local engine to the provider emulator, a real DNS server.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { api, signUp } from "../../helpers/api";
import { connect, emailBody, startSendingStack, waitForFinal, type SendingStack } from "../../helpers/sending";
import { startDnsServer, type TestDnsServer } from "./dns-server";

let stack: SendingStack;
let dns: TestDnsServer;
beforeAll(async () => {
  stack = await startSendingStack();
  dns = await startDnsServer();
});
afterAll(async () => {
  await dns.close();
  await stack.stop();
});

const send = (apiKey: string, from: string) => api.post("/api/v1/emails", emailBody({ from_email: from }), { token: apiKey });

describe("send warnings for unverified domains", () => {
  it("warns on a send from a pending domain, still sends it, and stops warning once the domain is verified", async () => {
    const { apiKey } = await signUp();
    await connect(apiKey, stack.emulators, "sendgrid");
    const domain = await api.post("/api/v1/domains", { domain: "warned.test" }, { token: apiKey });

    const pending = await send(apiKey, "Hello@Warned.test");
    expect(pending.status).toBe(202);
    expect(pending.body.warnings).toEqual([
      "Domain warned.test is not verified (pending): the email is accepted and will be sent, but providers may reject it or mark it as spam. Publish its TXT record and call POST /api/v1/domains/:id/verify.",
    ]);
    expect((await waitForFinal(apiKey, pending.body.id)).status).toBe("sent");

    // A subdomain is covered by its registered parent; a failed verification still warns, naming the status.
    await api.post(`/api/v1/domains/${domain.body.id}/verify`, undefined, { token: apiKey });
    const failed = await send(apiKey, "news@eu.mail.warned.test");
    expect(failed.body.warnings).toHaveLength(1);
    expect(failed.body.warnings[0]).toMatch(/^Domain warned\.test is not verified \(failed\)/);

    dns.records.set("_courierx.warned.test", { txt: [domain.body.verification_token] });
    expect((await api.post(`/api/v1/domains/${domain.body.id}/verify`, undefined, { token: apiKey })).body.status).toBe("verified");
    for (const from of ["hello@warned.test", "news@eu.mail.warned.test"]) {
      const res = await send(apiKey, from);
      expect([res.status, res.body.warnings]).toEqual([202, []]);
    }
  });

  it("lets the most specific registered domain decide", async () => {
    const { apiKey } = await signUp();
    const parent = await api.post("/api/v1/domains", { domain: "nested.test" }, { token: apiKey });
    const child = await api.post("/api/v1/domains", { domain: "mail.nested.test" }, { token: apiKey });
    dns.records.set("_courierx.mail.nested.test", { txt: [child.body.verification_token] });
    await api.post(`/api/v1/domains/${child.body.id}/verify`, undefined, { token: apiKey });
    expect((await send(apiKey, "a@mail.nested.test")).body.warnings).toEqual([]);
    expect((await send(apiKey, "a@x.mail.nested.test")).body.warnings).toEqual([]);
    expect((await send(apiKey, "a@nested.test")).body.warnings[0]).toMatch(/^Domain nested\.test is not verified \(pending\)/);
    expect((await send(apiKey, "a@other.nested.test")).body.warnings[0]).toMatch(/^Domain nested\.test is not verified/);
    // Removing the pending parent removes its warning.
    await api.delete(`/api/v1/domains/${parent.body.id}`, { token: apiKey });
    expect((await send(apiKey, "a@nested.test")).body.warnings).toEqual([]);
  });

  it("warns the same on an idempotent replay and on every item of a batch, each by its own sender", async () => {
    const { apiKey } = await signUp();
    await api.post("/api/v1/domains", { domain: "replayed.test" }, { token: apiKey });
    const keyed = () => api.post("/api/v1/emails", emailBody({ from_email: "a@replayed.test" }), { token: apiKey, headers: { "Idempotency-Key": "warned-once" } });
    const first = await keyed();
    const replay = await keyed();
    expect(replay.headers.get("idempotent-replayed")).toBe("true");
    expect(replay.body.warnings).toEqual(first.body.warnings);
    expect(replay.body.warnings[0]).toMatch(/^Domain replayed\.test is not verified \(pending\)/);
    const batch = await api.post(
      "/api/v1/emails/batch",
      { emails: [emailBody({ from_email: "b@replayed.test" }), emailBody({ from_email: "b@unregistered.test" }), emailBody({ from_email: "a@replayed.test", metadata: { idempotency_key: "warned-once" } })] },
      { token: apiKey },
    );
    expect(batch.body.data.map((item: { replayed: boolean; email: { warnings: string[] } }) => [item.replayed, item.email.warnings.length])).toEqual([
      [false, 1],
      [false, 0],
      [true, 1],
    ]);
  });

  it("warns of nothing for an unregistered domain, a look-alike, or another tenant's registration; test sends warn too", async () => {
    const a = await signUp("A");
    const b = await signUp("B");
    await api.post("/api/v1/domains", { domain: "shared.test" }, { token: a.apiKey });
    expect((await send(b.apiKey, "hi@shared.test")).body.warnings).toEqual([]);
    expect((await send(a.apiKey, "hi@notshared.test")).body.warnings).toEqual([]);
    expect((await send(a.apiKey, "hi@shared.test.evil.example")).body.warnings).toEqual([]);
    const testKey = (await api.post("/api/v1/api_keys", { name: "sandbox", mode: "test" }, { token: a.token })).body.raw_key;
    const sandbox = await send(testKey, "hi@shared.test");
    expect(sandbox.status).toBe(202);
    expect(sandbox.body.warnings).toHaveLength(1);
  });
});
