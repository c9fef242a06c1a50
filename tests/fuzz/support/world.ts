/**
 * The fixed rows the fuzz suite aims at: two tenants (A is attacked, B's ids must stay invisible to A and
 * the reverse), each with keys, a connection, a rule, a suppression and emails, all made through the API.
 * Provider connections point at a loopback port that resets every connection, so verification fails at
 * once and nothing outside the machine is contacted.
 */
import net from "node:net";
import { getDb } from "@/server/db";
import { signSessionToken } from "@/server/auth/jwt";
import { api, signUp } from "../../helpers/api";

export type Kind = "email" | "apiKey" | "connection" | "rule" | "suppression";
export const KINDS: readonly Kind[] = ["email", "apiKey", "connection", "rule", "suppression"];

export interface Tenant {
  tenantId: string;
  userId: string;
  jwt: string;
  liveKey: string;
  /** Seeded rows by kind (emails: live first). */
  ids: Record<Kind, string[]>;
}

export interface World {
  a: Tenant & { testKey: string; revokedKey: string; liveEmailId: string; testEmailId: string; expiredJwt: string; deletedUserJwt: string };
  b: Tenant;
  /** An account only valid logins use (wrong passwords go to A's address, which may get locked). */
  login: { email: string; password: string };
  aEmail: string;
  /** Loopback port whose listener resets every connection. */
  resetPort: number;
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

function must<T = any>(res: { status: number; text: string; body: T }, status: number | number[], what: string): T {
  const ok = Array.isArray(status) ? status.includes(res.status) : res.status === status;
  if (!ok) throw new Error(`seeding ${what} failed: ${res.status} ${res.text.slice(0, 500)}`);
  return res.body;
}

/** A row of `kind` in the tenant behind `jwt`, made through the API (also used for rows a request deletes). */
export async function createRow(kind: Exclude<Kind, "email">, jwt: string, resetPort: number, tag = `${Date.now()}-${Math.random().toString(36).slice(2)}`): Promise<string> {
  const token = jwt;
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
      const connection = await createRow("connection", jwt, resetPort, tag);
      return must(await api.post("/api/v1/routing_rules", { name: `fuzz ${tag}`, providers: [{ connection_id: connection }] }, { token }), 201, "rule").id;
    }
    case "suppression":
      return must(await api.post("/api/v1/suppressions", { email: `fuzz-${tag.replace(/[^a-z0-9-]/gi, "-")}@example.com`, reason: "manual" }, { token }), 201, "suppression").id;
  }
}

async function sendEmail(key: string, tag: string): Promise<string> {
  return must(
    await api.post("/api/v1/emails", { from_email: "app@example.com", to_email: `user-${tag.replace(/[^a-z0-9-]/gi, "-")}@example.com`, subject: `seed ${tag}`, text_body: "hello" }, { token: key }),
    202,
    "email",
  ).id;
}

async function seedTenant(name: string, resetPort: number): Promise<Tenant> {
  const s = await signUp(name);
  const me = must(await api.get("/api/v1/auth/me", { token: s.token }), 200, "me");
  const ids: Record<Kind, string[]> = { email: [], apiKey: [], connection: [], rule: [], suppression: [] };
  const connection = must(
    await api.post("/api/v1/provider_connections", { provider: "sendgrid", display_name: `${name} sendgrid`, api_key: "SG.fuzz-key", endpoint: `http://127.0.0.1:${resetPort}` }, { token: s.token }),
    201,
    "sendgrid connection",
  ).id;
  ids.connection.push(connection, await createRow("connection", s.token, resetPort, name));
  ids.rule.push(must(await api.post("/api/v1/routing_rules", { name: `${name} rule`, providers: [{ connection_id: connection }] }, { token: s.token }), 201, "rule").id);
  ids.suppression.push(await createRow("suppression", s.token, resetPort, name));
  ids.apiKey.push(await createRow("apiKey", s.token, resetPort, name));
  ids.email.push(await sendEmail(s.apiKey, name));
  return { tenantId: s.tenantId, userId: me.user.id, jwt: s.token, liveKey: s.apiKey, ids };
}

export async function seedWorld(): Promise<World> {
  const listener = await resettingListener();
  const a = await seedTenant("Tenant A", listener.port);
  const b = await seedTenant("Tenant B", listener.port);
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
    owned,
    close: listener.close,
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
