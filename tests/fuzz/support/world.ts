/**
 * The fixed rows the fuzz suite aims at: two tenants (A is attacked, B's ids must stay invisible to A and
 * the reverse), each with keys, connections (one Postmark), a rule, a suppression, emails, a domain, and
 * two webhook endpoints with one delivery each, all made through the API.
 * Provider connections point at a loopback port that resets every connection, so verification fails at
 * once and nothing outside the machine is contacted. Webhook endpoints point at a loopback receiver that
 * answers 200 (no job engine runs in this file, so deliveries stay pending: nothing is sent anyway).
 * Domain verification asks a DNS server on loopback (env.DNS_SERVERS), which answers at once.
 */
import http from "node:http";
import net from "node:net";
import { getDb } from "@/server/db";
import { signSessionToken } from "@/server/auth/jwt";
import { api, signUp, type ApiResponse } from "../../helpers/api";
import { startDnsServer } from "../../integration/domains/dns-server";

export type Kind = "email" | "apiKey" | "connection" | "rule" | "suppression" | "domain" | "webhook" | "delivery";
export const KINDS: readonly Kind[] = ["email", "apiKey", "connection", "rule", "suppression", "domain", "webhook", "delivery"];

export interface Tenant {
  tenantId: string;
  userId: string;
  jwt: string;
  liveKey: string;
  /** Seeded rows by kind (emails: live first; webhooks: two, each with one delivery). */
  ids: Record<Kind, string[]>;
}

/** Where rows the suite makes point: the resetting port (providers) and the 200 receiver (webhooks). */
export interface Targets {
  resetPort: number;
  receiverUrl: string;
}

export interface World {
  a: Tenant & { testKey: string; revokedKey: string; liveEmailId: string; testEmailId: string; expiredJwt: string; deletedUserJwt: string };
  b: Tenant;
  /** An account only valid logins use (wrong passwords go to A's address, which may get locked). */
  login: { email: string; password: string };
  aEmail: string;
  /** Loopback port whose listener resets every connection. */
  resetPort: number;
  /** Loopback URL of a receiver that answers every request 200 (webhook endpoints). */
  receiverUrl: string;
  /** The webhook endpoint of every seeded delivery (both tenants): a delivery id is only "own" under its endpoint. */
  parentOf: Map<string, string>;
  /** Ids each tenant owns, seeded and created by the fuzz's own successful requests. */
  owned: { a: Set<string>; b: Set<string> };
  close(): Promise<void>;
}

const PASSWORD = "correct horse battery";

async function resettingListener(): Promise<{ port: number; close(): Promise<void> }> {
  const sockets = new Set<net.Socket>();
  const server = net.createServer((socket) => {
    sockets.add(socket);
    socket.on("error", () => undefined);
    socket.resetAndDestroy();
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.address() as net.AddressInfo).port;
  return {
    port,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  };
}

/** Answers every request 200 {} on loopback: a webhook receiver that accepts everything. */
async function acceptingReceiver(): Promise<{ url: string; close(): Promise<void> }> {
  const server = http.createServer((req, res) => {
    req.resume();
    req.on("end", () => res.writeHead(200, { "content-type": "application/json" }).end("{}"));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.address() as net.AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

function must<T = any>(res: { status: number; text: string; body: T }, status: number | number[], what: string): T {
  const ok = Array.isArray(status) ? status.includes(res.status) : res.status === status;
  if (!ok) throw new Error(`seeding ${what} failed: ${res.status} ${res.text.slice(0, 500)}`);
  return res.body;
}

/** A row of `kind` in the tenant behind `jwt`, made through the API (also used for rows a request deletes). */
export async function createRow(kind: Exclude<Kind, "email" | "delivery">, jwt: string, targets: Targets, tag = `${Date.now()}-${Math.random().toString(36).slice(2)}`): Promise<string> {
  const token = jwt;
  const { resetPort } = targets;
  switch (kind) {
    case "apiKey":
      return must(await api.post("/api/v1/api_keys", { name: `fuzz ${tag}` }, { token }), 201, "api key").id;
    case "connection":
      return must(
        await api.post("/api/v1/provider_connections", { provider: "smtp", display_name: `fuzz ${tag}`, smtp_host: "127.0.0.1", smtp_port: resetPort }, { token }),
        201,
        "connection",
      ).id;
    case "rule": {
      const connection = await createRow("connection", jwt, targets, tag);
      return must(await api.post("/api/v1/routing_rules", { name: `fuzz ${tag}`, providers: [{ connection_id: connection }] }, { token }), 201, "rule").id;
    }
    case "suppression":
      return must(await api.post("/api/v1/suppressions", { email: `fuzz-${tag.replace(/[^a-z0-9-]/gi, "-")}@example.com`, reason: "manual" }, { token }), 201, "suppression").id;
    case "domain":
      return must(await withRoom("/api/v1/domains", token, () => api.post("/api/v1/domains", { domain: `fuzz-${tag.toLowerCase().replace(/[^a-z0-9]/g, "")}.example.com` }, { token })), 201, "domain").id;
    case "webhook":
      return must(
        await withRoom("/api/v1/webhook_endpoints", token, () => api.post("/api/v1/webhook_endpoints", { url: `${targets.receiverUrl}/hooks/${encodeURIComponent(tag)}`, description: `fuzz ${tag}` }, { token })),
        201,
        "webhook endpoint",
      ).id;
  }
}

/** Rows the world seeded: requests aim at them, so making room never deletes one. */
const seeded = new Set<string>();

/**
 * Domains (100) and webhook endpoints (20) are capped per tenant, and a long run's successful creates and
 * fresh rows fill the cap: when a create is refused for it, one row the fuzz made itself is deleted first.
 */
async function withRoom(list: string, token: string, create: () => Promise<ApiResponse>): Promise<ApiResponse> {
  const first = await create();
  if (first.status !== 422 || !JSON.stringify(first.body).includes("at most")) return first;
  const rows = must<{ id: string }[]>(await api.get(`${list}?per_page=100`, { token }), 200, `${list} for room`);
  const spare = rows.find((row) => !seeded.has(row.id));
  if (spare) must(await api.delete(`${list}/${spare.id}`, { token }), 204, `room in ${list}`);
  return create();
}

/** A delivery of the endpoint, the way a user makes one (POST /test), found again in its deliveries list. */
async function seedDelivery(jwt: string, endpointId: string): Promise<string> {
  const delivery = must(await api.post(`/api/v1/webhook_endpoints/${endpointId}/test`, undefined, { token: jwt }), 202, "test delivery").id as string;
  const listed = must<{ id: string }[]>(await api.get(`/api/v1/webhook_endpoints/${endpointId}/deliveries`, { token: jwt }), 200, "deliveries");
  if (!listed.some((d) => d.id === delivery)) throw new Error(`seeding: delivery ${delivery} is not in the deliveries of ${endpointId}`);
  return delivery;
}

async function sendEmail(key: string, tag: string): Promise<string> {
  return must(
    await api.post("/api/v1/emails", { from_email: "app@example.com", to_email: `user-${tag.replace(/[^a-z0-9-]/gi, "-")}@example.com`, subject: `seed ${tag}`, text_body: "hello" }, { token: key }),
    202,
    "email",
  ).id;
}

async function seedTenant(name: string, targets: Targets, parentOf: Map<string, string>): Promise<{ tenant: Tenant; domain: { name: string; token: string } }> {
  const { resetPort } = targets;
  const s = await signUp(name);
  const me = must(await api.get("/api/v1/auth/me", { token: s.token }), 200, "me");
  const ids: Record<Kind, string[]> = { email: [], apiKey: [], connection: [], rule: [], suppression: [], domain: [], webhook: [], delivery: [] };
  const connection = must(
    await api.post("/api/v1/provider_connections", { provider: "sendgrid", display_name: `${name} sendgrid`, api_key: "SG.fuzz-key", endpoint: `http://127.0.0.1:${resetPort}` }, { token: s.token }),
    201,
    "sendgrid connection",
  ).id;
  // Postmark: the only provider whose event-webhook credentials rotate (the others answer 422).
  const postmark = must(
    await api.post("/api/v1/provider_connections", { provider: "postmark", display_name: `${name} postmark`, api_key: "fuzz-postmark-token", endpoint: `http://127.0.0.1:${resetPort}` }, { token: s.token }),
    201,
    "postmark connection",
  ).id;
  ids.connection.push(connection, await createRow("connection", s.token, targets, name), postmark);
  ids.rule.push(must(await api.post("/api/v1/routing_rules", { name: `${name} rule`, providers: [{ connection_id: connection }] }, { token: s.token }), 201, "rule").id);
  ids.suppression.push(await createRow("suppression", s.token, targets, name));
  ids.apiKey.push(await createRow("apiKey", s.token, targets, name));
  ids.email.push(await sendEmail(s.apiKey, name));
  const domain = must(await api.post("/api/v1/domains", { domain: `${name.toLowerCase().replace(/[^a-z0-9]/g, "")}.yourapp.com` }, { token: s.token }), 201, "domain");
  ids.domain.push(domain.id);
  seeded.add(domain.id);
  // Two endpoints, so a delivery of one named under the other (same tenant) is a case too.
  for (const n of [1, 2]) {
    const endpoint = await createRow("webhook", s.token, targets, `${name} ${n}`);
    seeded.add(endpoint);
    const delivery = await seedDelivery(s.token, endpoint);
    ids.webhook.push(endpoint);
    ids.delivery.push(delivery);
    parentOf.set(delivery, endpoint);
  }
  return { tenant: { tenantId: s.tenantId, userId: me.user.id, jwt: s.token, liveKey: s.apiKey, ids }, domain: { name: domain.domain, token: domain.verification_token } };
}

export async function seedWorld(): Promise<World> {
  const listener = await resettingListener();
  const receiver = await acceptingReceiver();
  // Installs itself as env.DNS_SERVERS (and a 1.5 s DNS_TIMEOUT_MS), restored by close(): unknown names are NXDOMAIN at once.
  const dns = await startDnsServer();
  const targets: Targets = { resetPort: listener.port, receiverUrl: receiver.url };
  const parentOf = new Map<string, string>();
  const { tenant: a, domain: aDomain } = await seedTenant("Tenant A", targets, parentOf);
  const { tenant: b } = await seedTenant("Tenant B", targets, parentOf);
  // A's domain publishes its token (verifies), B's does not (NXDOMAIN: fails): both outcomes are exercised.
  dns.records.set(`_courierx.${aDomain.name}`, { txt: [aDomain.token] });
  const testKeyBody = must(await api.post("/api/v1/api_keys", { name: "A test key", mode: "test" }, { token: a.jwt }), 201, "test key");
  const revoked = must(await api.post("/api/v1/api_keys", { name: "A revoked key" }, { token: a.jwt }), 201, "revoked key");
  must(await api.post(`/api/v1/api_keys/${revoked.id}/revoke`, undefined, { token: a.jwt }), 200, "revoke");
  a.ids.apiKey.push(testKeyBody.id, revoked.id);
  const testEmailId = await sendEmail(testKeyBody.raw_key, "A-test");
  a.ids.email.push(testEmailId);
  const login = await signUp("Login only");
  const loginEmail = must(await api.get("/api/v1/auth/me", { token: login.token }), 200, "login me").user.email as string;
  const aEmail = must(await api.get("/api/v1/auth/me", { token: a.jwt }), 200, "a me").user.email as string;
  // A user that no longer exists, with a valid signature: must be refused like any bad token.
  const deletedUserJwt = (await signSessionToken({ userId: "00000000-0000-4000-8000-000000000000", tenantId: login.tenantId })).token;
  const expiredJwt = (await signSessionToken({ userId: a.userId, tenantId: a.tenantId }, Date.now() - 48 * 3600 * 1000)).token;
  const owned = { a: new Set(Object.values(a.ids).flat()), b: new Set(Object.values(b.ids).flat()) };
  owned.a.add(a.tenantId);
  owned.b.add(b.tenantId);
  return {
    a: { ...a, testKey: testKeyBody.raw_key, revokedKey: revoked.raw_key, liveEmailId: a.ids.email[0]!, testEmailId, expiredJwt, deletedUserJwt },
    b,
    login: { email: loginEmail, password: PASSWORD },
    aEmail,
    resetPort: listener.port,
    receiverUrl: receiver.url,
    parentOf,
    owned,
    close: async () => {
      await Promise.all([listener.close(), receiver.close(), dns.close()]);
    },
  };
}

/** Every table of the schema the test database uses, found in the catalog (never a hard-coded list). */
export async function listTables(): Promise<string[]> {
  const db = await getDb();
  const rows = await db.$queryRawUnsafe<{ name: string }[]>(
    `SELECT c.relname AS name FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
     WHERE c.relkind IN ('r', 'p') AND n.nspname = current_schema() ORDER BY 1`,
  );
  return rows.map((r) => r.name);
}

/** Row counts of `tables`, in one statement. */
export async function countRows(tables: readonly string[]): Promise<Record<string, number>> {
  const db = await getDb();
  const sql = tables.map((t, i) => `SELECT ${i} AS i, count(*)::int AS n FROM "${t.replace(/"/g, '""')}"`).join(" UNION ALL ");
  const rows = await db.$queryRawUnsafe<{ i: number; n: number }[]>(sql);
  return Object.fromEntries(rows.map((r) => [tables[Number(r.i)]!, Number(r.n)]));
}
