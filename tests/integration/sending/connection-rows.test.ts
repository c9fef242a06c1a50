/**
 * The delivery's one read (prepare-delivery.ts) carries the email's enabled connections as json: revived,
 * each must equal what Prisma returns for the same row, every column and type (dates included, with and
 * without milliseconds), and only the connections the email may use are carried.
 */
import { describe, expect, it } from "vitest";
import { getDb, Prisma } from "@/server/db";
import { connectionFromJson, enabledConnectionsSql } from "@/server/services/delivery/connection-rows";
import { api, signUp } from "../../helpers/api";
import { connectionBody } from "../../helpers/connections";
import { startEmulators } from "../../emulators";

async function carried(emailId: string) {
  const db = await getDb();
  const [row] = await db.$queryRaw<{ connections: Record<string, unknown>[] }[]>(
    Prisma.sql`SELECT ${enabledConnectionsSql(Prisma.sql`e."tenantId"`, Prisma.sql`e."routingConnectionIds"`)} AS "connections" FROM "Email" e WHERE e."id" = ${emailId}::uuid`,
  );
  return row!.connections.map(connectionFromJson);
}

describe("connections read as json with the email", () => {
  it("revive to exactly Prisma's rows, and follow the email's own routing", async () => {
    const emulators = await startEmulators();
    try {
      const t = await signUp();
      const ids: string[] = [];
      for (const provider of ["sendgrid", "postmark", "mailgun"] as const) {
        const res = await api.post("/api/v1/provider_connections", connectionBody(emulators, provider), { token: t.apiKey });
        expect(res.status).toBe(201);
        ids.push(res.body.id);
      }
      const db = await getDb();
      await db.providerConnection.update({
        where: { id: ids[0] },
        data: {
          circuitState: "open",
          consecutiveFailures: 3,
          circuitOpenedAt: new Date("2026-01-02T03:04:05.678Z"),
          circuitRetryAt: new Date("2026-01-02T03:05:05.000Z"),
          circuitProbeStartedAt: new Date("2026-01-02T03:04:59.001Z"),
          lastFailureAt: new Date("2026-01-02T03:04:05.999Z"),
          lastFailureReason: "sendgrid: 503 \"quoted\" ünïcode",
          lastSuccessAt: new Date("2025-12-31T23:59:59.500Z"),
          lastEventAt: new Date("2026-01-01T00:00:00.000Z"),
          settings: { endpoint: "http://127.0.0.1:1", nested: { list: [1, "two", null] } },
        },
      });
      await db.providerConnection.update({ where: { id: ids[2] }, data: { enabled: false } });

      const plain = await api.post("/api/v1/emails", { from_email: "a@yourapp.com", to_email: "b@example.com", subject: "s", text_body: "t" }, { token: t.apiKey });
      const revived = await carried(plain.body.id);
      const expected = await db.providerConnection.findMany({ where: { tenantId: t.tenantId, enabled: true } });
      const byId = (rows: { id: string }[]) => [...rows].sort((a, b) => a.id.localeCompare(b.id));
      expect(byId(revived)).toStrictEqual(byId(expected));
      expect(revived.map((c) => c.id).sort()).toEqual([ids[0], ids[1]].sort());
      expect(revived.find((c) => c.id === ids[0])!.circuitRetryAt).toBeInstanceOf(Date);

      const routed = await api.post("/api/v1/emails", { from_email: "a@yourapp.com", to_email: "b@example.com", subject: "s", text_body: "t", routing: { connections: [ids[1]] } }, { token: t.apiKey });
      expect(routed.status).toBe(202);
      expect((await carried(routed.body.id)).map((c) => c.id)).toEqual([ids[1]]);
    } finally {
      await emulators.stop();
    }
  });
});
