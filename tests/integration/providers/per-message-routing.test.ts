import { beforeAll, describe, expect, it } from "vitest";
import { getDb } from "@/server/db";
import { isAppError } from "@/server/lib/errors";
import type { ProviderName } from "@/server/providers/types";
import { PER_MESSAGE_STRATEGY, resolvePlan } from "@/server/services/delivery/resolve-plan";
import { resolveRoutingConnections } from "@/server/services/delivery/resolve-routing";

/** Real database (PGlite, or PostgreSQL with TEST_DATABASE_URL): rows made directly, no provider needed. */
async function tenant(name: string): Promise<string> {
  const db = await getDb();
  return (await db.tenant.create({ data: { name } })).id;
}

async function connection(tenantId: string, provider: ProviderName, priority: number, extra: { enabled?: boolean; circuitRetryAt?: Date } = {}): Promise<string> {
  const db = await getDb();
  const row = await db.providerConnection.create({
    data: {
      tenantId,
      provider,
      displayName: `${provider} ${priority}`,
      priority,
      credentialsEncrypted: "unused",
      credentialsHint: "",
      enabled: extra.enabled ?? true,
      ...(extra.circuitRetryAt ? { circuitState: "open" as const, circuitRetryAt: extra.circuitRetryAt } : {}),
    },
  });
  return row.id;
}

async function validationErrors(promise: Promise<unknown>): Promise<string[]> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!isAppError(error) || error.code !== "validation") throw new Error(`expected a validation error, got ${String(error)}`);
  return error.details;
}

const email = { fromEmail: "hello@app.example", tags: ["billing"] };

let a: string;
let other: string;
const ids: Record<string, string> = {};

beforeAll(async () => {
  a = await tenant("routing A");
  other = await tenant("routing other");
  ids.sendgrid = await connection(a, "sendgrid", 1);
  ids.postmark = await connection(a, "postmark", 2);
  ids.mailgun = await connection(a, "mailgun", 3);
  ids.smtpLow = await connection(a, "smtp", 9);
  ids.smtpHigh = await connection(a, "smtp", 4);
  ids.disabled = await connection(a, "resend", 5, { enabled: false });
  ids.foreign = await connection(other, "aws_ses", 1);
  // A rule that would put postmark first for every email: a routed email ignores it.
  const db = await getDb();
  await db.routingRule.create({
    data: { tenantId: a, name: "postmark first", strategy: "failover_only", targets: { create: [{ connectionId: ids.postmark, tenantId: a, position: 0 }] } },
  });
});

describe("resolveRoutingConnections (accept time)", () => {
  it("turns ids and provider names into the tenant's connection ids, in order, a name's connections by priority", async () => {
    expect(await resolveRoutingConnections(a, [ids.mailgun!, "smtp", ids.sendgrid!])).toEqual([ids.mailgun, ids.smtpHigh, ids.smtpLow, ids.sendgrid]);
    // Upper-case ids and an id also named through its provider come out once.
    expect(await resolveRoutingConnections(a, [ids.smtpLow!.toUpperCase(), "smtp"])).toEqual([ids.smtpLow, ids.smtpHigh]);
    // A disabled connection is still the tenant's: the plan skips it while it stays disabled.
    expect(await resolveRoutingConnections(a, ["resend"])).toEqual([ids.disabled]);
  });

  it("refuses an unknown id, another tenant's id and an unconnected provider, naming each entry", async () => {
    const errors = await validationErrors(resolveRoutingConnections(a, [ids.sendgrid!, "0b6c4d1e-2f3a-4b5c-8d7e-9f0a1b2c3d4e", ids.foreign!, "aws_ses", "gmail"]));
    expect(errors).toEqual([
      "routing.connections.1 is not a connection of this account",
      "routing.connections.2 is not a connection of this account",
      "routing.connections.3 names aws_ses, which this account has not connected",
      "routing.connections.4 must be a connection id or one of: sendgrid, mailgun, aws_ses, postmark, resend, smtp",
    ]);
    // The other tenant's own id works for that tenant only.
    expect(await resolveRoutingConnections(other, [ids.foreign!])).toEqual([ids.foreign]);
  });
});

describe("resolvePlan with the email's own routing", () => {
  it("tries exactly the listed connections in the listed order, rules and priorities aside", async () => {
    const { connections, ...plan } = await resolvePlan(a, { ...email, routingConnectionIds: [ids.mailgun!, ids.sendgrid!] });
    // The planned rows, for the round's first attempt: the listed ones of this tenant only.
    expect([...connections.keys()].sort()).toEqual([ids.mailgun, ids.sendgrid].sort());
    expect([...connections.values()].every((c) => c.tenantId === a)).toBe(true);
    expect(plan).toEqual({
      entries: [
        { connectionId: ids.mailgun, provider: "mailgun", coolingDownUntil: null },
        { connectionId: ids.sendgrid, provider: "sendgrid", coolingDownUntil: null },
      ],
      ruleId: null,
      strategy: PER_MESSAGE_STRATEGY,
    });
  });

  it("narrowed to one connection, the plan holds that one only: no failover to the others", async () => {
    const plan = await resolvePlan(a, { ...email, routingConnectionIds: [ids.smtpLow!] });
    expect(plan.entries.map((e) => e.connectionId)).toEqual([ids.smtpLow]);
  });

  it("leaves out listed connections that are disabled or belong to another tenant, and marks cooling ones", async () => {
    const retryAt = new Date(Date.now() + 60_000);
    const cooling = await connection(a, "postmark", 7, { circuitRetryAt: retryAt });
    const plan = await resolvePlan(a, { ...email, routingConnectionIds: [ids.disabled!, ids.foreign!, cooling, ids.postmark!] });
    expect(plan.entries).toEqual([
      { connectionId: cooling, provider: "postmark", coolingDownUntil: retryAt.toISOString() },
      { connectionId: ids.postmark, provider: "postmark", coolingDownUntil: null },
    ]);
    await (await getDb()).providerConnection.delete({ where: { id: cooling } });
  });

  it("without routing (absent, null or empty) the tenant's rules still decide", async () => {
    for (const routingConnectionIds of [undefined, null, []]) {
      const plan = await resolvePlan(a, { ...email, routingConnectionIds });
      expect(plan.strategy).toBe("failover_only");
      expect(plan.entries.map((e) => e.connectionId)).toEqual([ids.postmark]);
    }
  });
});
