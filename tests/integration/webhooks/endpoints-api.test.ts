/**
 * The webhook endpoint REST surface: create (201 + secret once), list (paginated), get, patch, delete,
 * rotate; validation; the secret never in list/get/patch; test keys 403 on every change; another tenant
 * 404 on every route; URLs at internal addresses refused in production mode.
 */
import { randomUUID } from "node:crypto";
import { afterEach, describe, expect, it } from "vitest";
import { env } from "@/server/env";
import { setOutboundResolver } from "@/server/lib/outbound-guard";
import { getDb } from "@/server/db";
import { api, signUp } from "../../helpers/api";
import { createEndpoint } from "./support";

const URL_A = "https://hooks.localhost/courierx";

async function testKey(token: string): Promise<string> {
  const res = await api.post("/api/v1/api_keys", { name: "sandbox", mode: "test" }, { token });
  expect(res.status).toBe(201);
  return res.body.raw_key;
}

describe("webhook endpoints API", () => {
  it("creates with a whsec_ secret shown once, then lists, gets, patches and deletes without it", async () => {
    const { apiKey } = await signUp();
    const created = await api.post("/api/v1/webhook_endpoints", { url: URL_A, description: "Email delivery events", events: ["delivered", "bounced", "opened", "clicked"] }, { token: apiKey });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      url: URL_A,
      description: "Email delivery events",
      events: ["delivered", "bounced", "opened", "clicked"],
      active: true,
      disabled_reason: null,
      last_success_at: null,
      last_failure_at: null,
    });
    expect(Object.keys(created.body).sort()).toEqual(
      ["id", "url", "description", "events", "active", "disabled_reason", "created_at", "updated_at", "last_success_at", "last_failure_at", "secret"].sort(),
    );
    const secret: string = created.body.secret;
    expect(secret).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
    expect(Buffer.from(secret.slice(6), "base64")).toHaveLength(32);
    // Stored sealed: the plain secret is nowhere in the row.
    const row = await (await getDb()).webhookEndpoint.findUniqueOrThrow({ where: { id: created.body.id } });
    expect(JSON.stringify(row)).not.toContain(secret.slice(6));

    const id = created.body.id;
    const list = await api.get("/api/v1/webhook_endpoints", { token: apiKey });
    expect(list.status).toBe(200);
    expect(list.headers.get("x-total-count")).toBe("1");
    expect(list.headers.get("x-page")).toBe("1");
    expect(list.headers.get("x-per-page")).toBe("25");
    const one = await api.get(`/api/v1/webhook_endpoints/${id}`, { token: apiKey });
    expect(one.body).toEqual(list.body[0]);
    const patched = await api.patch(`/api/v1/webhook_endpoints/${id}`, { description: null, events: [] }, { token: apiKey });
    expect(patched.status).toBe(200);
    expect(patched.body).toMatchObject({ description: null, events: [] });
    for (const res of [list, one, patched]) {
      expect(res.text).not.toContain(secret);
      expect(res.text).not.toContain(secret.slice(6, 30));
      expect(res.text).not.toMatch(/whsec_/);
    }

    expect((await api.delete(`/api/v1/webhook_endpoints/${id}`, { token: apiKey })).status).toBe(204);
    expect((await api.get(`/api/v1/webhook_endpoints/${id}`, { token: apiKey })).status).toBe(404);
    expect((await api.delete(`/api/v1/webhook_endpoints/${id}`, { token: apiKey })).status).toBe(404);
  });

  it("paginates newest first", async () => {
    const { apiKey } = await signUp();
    for (let i = 0; i < 3; i++) await createEndpoint(apiKey, { url: `${URL_A}/${i}` });
    const page = await api.get("/api/v1/webhook_endpoints?per_page=2&page=2", { token: apiKey });
    expect(page.headers.get("x-total-count")).toBe("3");
    expect(page.body.map((e: any) => e.url)).toEqual([`${URL_A}/0`]);
    expect((await api.get("/api/v1/webhook_endpoints?per_page=0", { token: apiKey })).status).toBe(422);
  });

  it("refuses bad input with a 422 and changes nothing", async () => {
    const { apiKey } = await signUp();
    const cases: [unknown, RegExp][] = [
      [{ url: "ftp://example.com/x" }, /^url must be an http or https URL$/],
      [{ url: "not a url" }, /^url must be an http or https URL$/],
      [{}, /^url is required$/],
      [{ url: URL_A, events: ["delivered", "teleported"] }, /^events\.1 must be one of: sent, delivered, bounced/],
      [{ url: URL_A, events: "delivered" }, /^events must be a list of event types$/],
      [{ url: URL_A, secret: "whsec_mine" }, /^Unknown field: secret$/],
      [{ url: URL_A, description: "x".repeat(501) }, /^description must be at most 500 characters$/],
    ];
    for (const [body, message] of cases) {
      const res = await api.post("/api/v1/webhook_endpoints", body, { token: apiKey });
      expect(res.status, JSON.stringify(body)).toBe(422);
      expect(res.body.errors.some((e: string) => message.test(e)), `${JSON.stringify(res.body)} vs ${message}`).toBe(true);
    }
    expect((await api.get("/api/v1/webhook_endpoints", { token: apiKey })).body).toEqual([]);

    const endpoint = await createEndpoint(apiKey, { url: URL_A, events: ["sent"] });
    for (const body of [{}, { events: ["nope"] }, { active: "yes" }, { url: "javascript:alert(1)" }]) {
      const res = await api.patch(`/api/v1/webhook_endpoints/${endpoint.id}`, body, { token: apiKey });
      expect(res.status, JSON.stringify(body)).toBe(422);
      expect(res.body.errors.length).toBeGreaterThan(0);
    }
    expect((await api.get(`/api/v1/webhook_endpoints/${endpoint.id}`, { token: apiKey })).body).toMatchObject({ url: URL_A, events: ["sent"], active: true });
  });

  it("de-duplicates subscribed events", async () => {
    const { apiKey } = await signUp();
    const endpoint = await createEndpoint(apiKey, { url: URL_A, events: ["sent", "sent", "failed"] });
    expect(endpoint.events).toEqual(["sent", "failed"]);
  });

  it("rotates the secret: a new whsec_, the old one's 24 h window, nothing in get", async () => {
    const { apiKey } = await signUp();
    const endpoint = await createEndpoint(apiKey, { url: URL_A });
    const before = Date.now();
    const rotated = await api.post(`/api/v1/webhook_endpoints/${endpoint.id}/rotate_secret`, undefined, { token: apiKey });
    expect(rotated.status).toBe(200);
    expect(Object.keys(rotated.body).sort()).toEqual(["older_secret_revoked", "previous_secret_expires_at", "secret"]);
    expect(rotated.body.older_secret_revoked).toBe(false);
    expect(rotated.body.secret).toMatch(/^whsec_/);
    expect(rotated.body.secret).not.toBe(endpoint.secret);
    const expires = Date.parse(rotated.body.previous_secret_expires_at);
    expect(expires - before).toBeGreaterThanOrEqual(24 * 3600_000 - 1000);
    expect(expires - Date.now()).toBeLessThanOrEqual(24 * 3600_000);
    const one = await api.get(`/api/v1/webhook_endpoints/${endpoint.id}`, { token: apiKey });
    expect(one.text).not.toContain(rotated.body.secret);
    expect(one.text).not.toContain(endpoint.secret);
  });

  it("re-activating clears disabled_reason and the failing streak", async () => {
    const { apiKey } = await signUp();
    const endpoint = await createEndpoint(apiKey, { url: URL_A });
    const db = await getDb();
    await db.webhookEndpoint.update({ where: { id: endpoint.id }, data: { active: false, disabledReason: "The receiver answered 410 Gone", failingSince: new Date(Date.now() - 3600_000) } });
    const shown = await api.get(`/api/v1/webhook_endpoints/${endpoint.id}`, { token: apiKey });
    expect(shown.body).toMatchObject({ active: false, disabled_reason: "The receiver answered 410 Gone" });
    const res = await api.patch(`/api/v1/webhook_endpoints/${endpoint.id}`, { active: true }, { token: apiKey });
    expect(res.body).toMatchObject({ active: true, disabled_reason: null });
    expect((await db.webhookEndpoint.findUniqueOrThrow({ where: { id: endpoint.id } })).failingSince).toBeNull();
  });

  it("test keys may read but every change is 403", async () => {
    const t = await signUp();
    const key = await testKey(t.token);
    const endpoint = await createEndpoint(t.apiKey, { url: URL_A });
    const id = endpoint.id;
    expect((await api.get("/api/v1/webhook_endpoints", { token: key })).status).toBe(200);
    expect((await api.get(`/api/v1/webhook_endpoints/${id}`, { token: key })).status).toBe(200);
    expect((await api.get(`/api/v1/webhook_endpoints/${id}/deliveries`, { token: key })).status).toBe(200);
    const changes = [
      api.post("/api/v1/webhook_endpoints", { url: URL_A }, { token: key }),
      api.patch(`/api/v1/webhook_endpoints/${id}`, { active: false }, { token: key }),
      api.delete(`/api/v1/webhook_endpoints/${id}`, { token: key }),
      api.post(`/api/v1/webhook_endpoints/${id}/rotate_secret`, undefined, { token: key }),
      api.post(`/api/v1/webhook_endpoints/${id}/test`, undefined, { token: key }),
      api.post(`/api/v1/webhook_endpoints/${id}/deliveries/${id}/replay`, undefined, { token: key }),
    ];
    for (const res of await Promise.all(changes)) {
      expect(res.status).toBe(403);
      expect(res.body).toEqual({ error: "Test keys cannot change configuration" });
    }
    const row = await (await getDb()).webhookEndpoint.findUniqueOrThrow({ where: { id } });
    expect(row.active).toBe(true);
    expect(row.previousSecretEncrypted).toBeNull();
    expect(await (await getDb()).webhookDelivery.count({ where: { endpointId: id } })).toBe(0);
    expect((await api.get("/api/v1/webhook_endpoints", { token: t.apiKey })).headers.get("x-total-count")).toBe("1");
  });

  it("a test key lists only test-event deliveries (no live payload, metadata or answer), and cannot replay a live one", async () => {
    const t = await signUp();
    const key = await testKey(t.token);
    const endpoint = await createEndpoint(t.apiKey, { url: URL_A });
    const db = await getDb();
    const live = { event: "delivered", email_id: randomUUID(), recipient: "alice@live.example", provider: "sendgrid", timestamp: new Date().toISOString(), metadata: { order: "LIVE-42" }, sequence: 2, test: false };
    const liveDelivery = await db.webhookDelivery.create({
      data: {
        tenantId: t.tenantId,
        endpointId: endpoint.id,
        eventType: "delivered",
        emailId: live.email_id,
        messageId: "msg_live",
        payload: live,
        status: "succeeded",
        attempts: 1,
        responseCode: 200,
        attemptLog: { create: { tenantId: t.tenantId, attempt: 1, statusCode: 200, durationMs: 12, responseSnippet: "live receiver answer" } },
      },
    });
    // A test-mode email's event, and the sample event of POST /test: both are test events.
    const testEmailEvent = await db.webhookDelivery.create({
      data: { tenantId: t.tenantId, endpointId: endpoint.id, eventType: "sent", emailId: randomUUID(), messageId: "msg_test_email", payload: { ...live, event: "sent", recipient: "delivered@sandbox.courierx.dev", metadata: {}, test: true } },
    });
    const sample = await api.post(`/api/v1/webhook_endpoints/${endpoint.id}/test`, undefined, { token: t.apiKey });
    expect(sample.status).toBe(202);

    const seen = await api.get(`/api/v1/webhook_endpoints/${endpoint.id}/deliveries`, { token: key });
    expect(seen.status).toBe(200);
    expect(seen.body.map((d: any) => d.id).sort()).toEqual([testEmailEvent.id, sample.body.id].sort());
    expect(seen.headers.get("x-total-count")).toBe("2");
    expect(seen.text).not.toMatch(/alice@live\.example|LIVE-42|live receiver answer/);
    const succeeded = await api.get(`/api/v1/webhook_endpoints/${endpoint.id}/deliveries?status=succeeded`, { token: key });
    expect(succeeded.body).toEqual([]);
    expect(succeeded.headers.get("x-total-count")).toBe("0");
    // Live keys and users see every delivery.
    for (const token of [t.apiKey, t.token]) {
      const all = await api.get(`/api/v1/webhook_endpoints/${endpoint.id}/deliveries`, { token });
      expect(all.headers.get("x-total-count")).toBe("3");
      expect(all.body.map((d: any) => d.id)).toContain(liveDelivery.id);
    }
    // Replay is a change: 403 for a test key before anything is looked up, a live delivery included.
    const replay = await api.post(`/api/v1/webhook_endpoints/${endpoint.id}/deliveries/${liveDelivery.id}/replay`, undefined, { token: key });
    expect(replay.status).toBe(403);
    expect(replay.text).not.toContain("alice@live.example");
    expect(await db.webhookDelivery.count({ where: { endpointId: endpoint.id } })).toBe(3);
  });

  it("URL credentials are shown only in the create answer: masked after, for every key; the masked URL sent back keeps them", async () => {
    const t = await signUp();
    const key = await testKey(t.token);
    const url = "https://hook-user:s3cr3t-pass@hooks.localhost/courierx?x=1";
    const created = await api.post("/api/v1/webhook_endpoints", { url }, { token: t.apiKey });
    expect(created.status).toBe(201);
    expect(created.body.url).toBe(url);
    const masked = "https://hook-user:••••@hooks.localhost/courierx?x=1";
    const id = created.body.id;
    const answers = [
      await api.get(`/api/v1/webhook_endpoints/${id}`, { token: t.apiKey }),
      await api.get(`/api/v1/webhook_endpoints/${id}`, { token: key }),
      await api.get(`/api/v1/webhook_endpoints/${id}`, { token: t.token }),
      await api.get("/api/v1/webhook_endpoints", { token: key }),
      await api.patch(`/api/v1/webhook_endpoints/${id}`, { description: "with basic auth" }, { token: t.apiKey }),
    ];
    for (const res of answers) {
      expect(res.status).toBe(200);
      expect(Array.isArray(res.body) ? res.body[0].url : res.body.url).toBe(masked);
      expect(res.text).not.toContain("s3cr3t-pass");
    }
    // A client that sends the endpoint back as it read it does not overwrite the password with the mask.
    const roundTrip = await api.patch(`/api/v1/webhook_endpoints/${id}`, { url: masked, description: "edited" }, { token: t.apiKey });
    expect(roundTrip.status).toBe(200);
    expect(roundTrip.body.url).toBe(masked);
    const db = await getDb();
    expect((await db.webhookEndpoint.findUniqueOrThrow({ where: { id } })).url).toBe(url);
    // A new password is a new URL; a lone username (often a token) is masked whole.
    await api.patch(`/api/v1/webhook_endpoints/${id}`, { url: "https://tok_abc123@hooks.localhost/courierx" }, { token: t.apiKey });
    const tokenOnly = await api.get(`/api/v1/webhook_endpoints/${id}`, { token: t.apiKey });
    expect(tokenOnly.body.url).toBe("https://••••@hooks.localhost/courierx");
    expect(tokenOnly.text).not.toContain("tok_abc123");
    expect((await db.webhookEndpoint.findUniqueOrThrow({ where: { id } })).url).toBe("https://tok_abc123@hooks.localhost/courierx");
    // Without credentials the URL is shown as stored.
    const plain = await createEndpoint(t.apiKey, { url: URL_A });
    expect((await api.get(`/api/v1/webhook_endpoints/${plain.id}`, { token: key })).body.url).toBe(URL_A);
  });

  it("at most 20 endpoints per tenant, active or not: the 21st is a 422, and deleting one makes room", async () => {
    const { apiKey } = await signUp();
    const ids: string[] = [];
    for (let i = 0; i < 20; i++) ids.push((await createEndpoint(apiKey, { url: `${URL_A}/${i}` })).id);
    await api.patch(`/api/v1/webhook_endpoints/${ids[0]}`, { active: false }, { token: apiKey });
    const refused = await api.post("/api/v1/webhook_endpoints", { url: `${URL_A}/21` }, { token: apiKey });
    expect(refused.status).toBe(422);
    expect(refused.body.errors[0]).toMatch(/at most 20 webhook endpoints/);
    expect((await api.get("/api/v1/webhook_endpoints", { token: apiKey })).headers.get("x-total-count")).toBe("20");
    // Another tenant's count is its own.
    const other = await signUp("Other");
    expect((await api.post("/api/v1/webhook_endpoints", { url: URL_A }, { token: other.apiKey })).status).toBe(201);
    expect((await api.delete(`/api/v1/webhook_endpoints/${ids[0]}`, { token: apiKey })).status).toBe(204);
    expect((await api.post("/api/v1/webhook_endpoints", { url: `${URL_A}/21` }, { token: apiKey })).status).toBe(201);
  });

  it("concurrent creates do not pass the cap of 20", async () => {
    const { tenantId, apiKey } = await signUp();
    const results = await Promise.all(Array.from({ length: 26 }, (_, i) => api.post("/api/v1/webhook_endpoints", { url: `${URL_A}/${i}` }, { token: apiKey })));
    expect(results.filter((r) => r.status === 201)).toHaveLength(20);
    expect(results.filter((r) => r.status === 422)).toHaveLength(6);
    expect(await (await getDb()).webhookEndpoint.count({ where: { tenantId } })).toBe(20);
  });

  it("another tenant gets 404 on every endpoint route and changes nothing", async () => {
    const a = await signUp("A");
    const b = await signUp("B");
    const endpoint = await createEndpoint(a.apiKey, { url: URL_A, events: ["delivered"] });
    const id = endpoint.id;
    const test = await api.post(`/api/v1/webhook_endpoints/${id}/test`, undefined, { token: a.apiKey });
    expect(test.status).toBe(202);
    const deliveryId = test.body.id;

    const attempts = [
      api.get(`/api/v1/webhook_endpoints/${id}`, { token: b.apiKey }),
      api.patch(`/api/v1/webhook_endpoints/${id}`, { url: "https://attacker.example.com/" }, { token: b.apiKey }),
      api.delete(`/api/v1/webhook_endpoints/${id}`, { token: b.apiKey }),
      api.post(`/api/v1/webhook_endpoints/${id}/rotate_secret`, undefined, { token: b.apiKey }),
      api.get(`/api/v1/webhook_endpoints/${id}/deliveries`, { token: b.apiKey }),
      api.post(`/api/v1/webhook_endpoints/${id}/deliveries/${deliveryId}/replay`, undefined, { token: b.apiKey }),
      api.post(`/api/v1/webhook_endpoints/${id}/test`, undefined, { token: b.apiKey }),
      // Also with a JWT, and B's own endpoint id paired with A's delivery id.
      api.get(`/api/v1/webhook_endpoints/${id}`, { token: b.token }),
    ];
    for (const res of await Promise.all(attempts)) {
      expect(res.status).toBe(404);
      expect(res.body).toEqual({ error: "Not found" });
    }
    const own = await createEndpoint(b.apiKey, { url: URL_A });
    const crossed = await api.post(`/api/v1/webhook_endpoints/${own.id}/deliveries/${deliveryId}/replay`, undefined, { token: b.apiKey });
    expect(crossed.status).toBe(404);
    expect((await api.get("/api/v1/webhook_endpoints", { token: b.apiKey })).body.map((e: any) => e.id)).toEqual([own.id]);

    const row = await (await getDb()).webhookEndpoint.findUniqueOrThrow({ where: { id } });
    expect(row).toMatchObject({ url: URL_A, previousSecretEncrypted: null });
    expect(await (await getDb()).webhookDelivery.count({ where: { endpointId: id } })).toBe(1);
    expect(await (await getDb()).webhookDelivery.count({ where: { endpointId: own.id } })).toBe(0);
  });

  it("a replay of a delivery of another endpoint of the same tenant is 404", async () => {
    const { apiKey } = await signUp();
    const one = await createEndpoint(apiKey, { url: URL_A });
    const two = await createEndpoint(apiKey, { url: URL_A });
    const test = await api.post(`/api/v1/webhook_endpoints/${one.id}/test`, undefined, { token: apiKey });
    expect((await api.post(`/api/v1/webhook_endpoints/${two.id}/deliveries/${test.body.id}/replay`, undefined, { token: apiKey })).status).toBe(404);
  });

  it("test events and replays are refused for an inactive endpoint", async () => {
    const { apiKey } = await signUp();
    const endpoint = await createEndpoint(apiKey, { url: URL_A });
    const test = await api.post(`/api/v1/webhook_endpoints/${endpoint.id}/test`, undefined, { token: apiKey });
    await api.patch(`/api/v1/webhook_endpoints/${endpoint.id}`, { active: false }, { token: apiKey });
    const refused = await api.post(`/api/v1/webhook_endpoints/${endpoint.id}/test`, undefined, { token: apiKey });
    expect(refused.status).toBe(422);
    expect(refused.body.errors[0]).toMatch(/not active/);
    expect((await api.post(`/api/v1/webhook_endpoints/${endpoint.id}/deliveries/${test.body.id}/replay`, undefined, { token: apiKey })).status).toBe(422);
    // Deactivating stopped the pending test delivery, with the reason.
    const [delivery] = (await api.get(`/api/v1/webhook_endpoints/${endpoint.id}/deliveries`, { token: apiKey })).body;
    expect(delivery).toMatchObject({ status: "failed", last_error: "The endpoint was deactivated" });
  });
});

describe("webhook URLs and the outbound guard", () => {
  const saved = { NODE_ENV: env.NODE_ENV, DATABASE_URL: env.DATABASE_URL, ALLOW_PRIVATE_OUTBOUND: env.ALLOW_PRIVATE_OUTBOUND };
  let restoreResolver: (() => void) | undefined;
  afterEach(() => {
    Object.assign(env, saved);
    restoreResolver?.();
    restoreResolver = undefined;
  });

  function production(): void {
    Object.assign(env, { NODE_ENV: "production", DATABASE_URL: "postgresql://db.example/prod", ALLOW_PRIVATE_OUTBOUND: false });
  }

  it("refuses private, link-local, loopback and names resolving to them in production mode, on create and on patch", async () => {
    const { apiKey } = await signUp();
    const kept = await createEndpoint(apiKey, { url: URL_A.replace("hooks.localhost", "127.0.0.1") });
    restoreResolver = setOutboundResolver(async (hostname) => {
      if (hostname === "internal.corp.example") return [{ address: "10.1.2.3", family: 4 }];
      if (hostname === "mixed.example") return [{ address: "93.184.216.34", family: 4 }, { address: "192.168.0.5", family: 4 }];
      if (hostname === "public.example") return [{ address: "93.184.216.34", family: 4 }];
      if (hostname === "flaky.example") throw Object.assign(new Error("queryA EAI_AGAIN"), { code: "EAI_AGAIN" });
      throw Object.assign(new Error(`ENOTFOUND ${hostname}`), { code: "ENOTFOUND" });
    });
    production();
    const refused: [string, RegExp][] = [
      ["http://10.0.0.7/hook", /^url is not allowed: 10\.0\.0\.7 is not a public address \(private\)$/],
      ["http://169.254.169.254/latest/meta-data/", /^url is not allowed: 169\.254\.169\.254 is not a public address \(link-local\)$/],
      ["http://127.0.0.1:3000/hook", /^url is not allowed: 127\.0\.0\.1 is not a public address \(loopback\)$/],
      ["http://[::ffff:10.0.0.1]/hook", /^url is not allowed: .*IPv4-mapped private/],
      ["http://0x7f.1/hook", /^url is not allowed: 127\.0\.0\.1 is not a public address/],
      ["https://internal.corp.example/hook", /^url is not allowed: internal\.corp\.example resolves to a non-public address$/],
      ["https://mixed.example/hook", /^url is not allowed: mixed\.example resolves to a non-public address$/],
      ["https://nowhere.example/hook", /^url is not allowed: Could not resolve nowhere\.example/],
      ["https://flaky.example/hook", /^url could not be checked: .*; try again$/],
    ];
    for (const [url, message] of refused) {
      const res = await api.post("/api/v1/webhook_endpoints", { url }, { token: apiKey });
      expect(res.status, url).toBe(422);
      expect(res.body.errors[0]).toMatch(message);
      // Which internal address a name resolves to stays the server's business.
      expect(res.text).not.toMatch(/10\.1\.2\.3|192\.168\.0\.5/);
      const patch = await api.patch(`/api/v1/webhook_endpoints/${kept.id}`, { url }, { token: apiKey });
      expect(patch.status, url).toBe(422);
    }
    expect((await api.get("/api/v1/webhook_endpoints", { token: apiKey })).headers.get("x-total-count")).toBe("1");
    expect((await (await getDb()).webhookEndpoint.findUniqueOrThrow({ where: { id: kept.id } })).url).toBe("https://127.0.0.1/courierx");
    expect((await api.post("/api/v1/webhook_endpoints", { url: "https://public.example/hook" }, { token: apiKey })).status).toBe(201);

    // ALLOW_PRIVATE_OUTBOUND lets a LAN receiver in.
    env.ALLOW_PRIVATE_OUTBOUND = true;
    expect((await api.post("/api/v1/webhook_endpoints", { url: "http://10.0.0.7/hook" }, { token: apiKey })).status).toBe(201);
  });

  it("the embedded default allows loopback but never private or link-local", async () => {
    const { apiKey } = await signUp();
    expect((await api.post("/api/v1/webhook_endpoints", { url: "http://127.0.0.1:4000/hook" }, { token: apiKey })).status).toBe(201);
    expect((await api.post("/api/v1/webhook_endpoints", { url: "http://localhost:4000/hook" }, { token: apiKey })).status).toBe(201);
    for (const url of ["http://10.0.0.7/hook", "http://169.254.169.254/", "http://172.16.0.1/", "http://[fd00::1]/"]) {
      expect((await api.post("/api/v1/webhook_endpoints", { url }, { token: apiKey })).status, url).toBe(422);
    }
  });
});
