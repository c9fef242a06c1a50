/**
 * With the local engine, an accepted send stores the email, its `queued` event and the job run that delivers
 * it in ONE statement (server/jobs/accept-email.ts, queue-email.ts): the run exists the moment the 202 is
 * answered, even in a process whose engine loop is not running (the web process beside `npm run worker`); an
 * idempotent replay starts no second run; and when the run cannot be stored, neither is the email (no 202
 * without the run that delivers it).
 */
import { afterEach, describe, expect, it } from "vitest";
import { getDb } from "@/server/db";
import { setLocalEngine } from "@/server/jobs/engine";
import { api, signUp } from "../../helpers/api";
import { emailBody } from "../../helpers/sending";

afterEach(() => setLocalEngine(undefined));

async function runsOf(emailIds: string[]) {
  const db = await getDb();
  return db.$queryRaw<{ functionId: string; idempotencyKey: string; status: string; emailId: string }[]>`
    SELECT "functionId", "idempotencyKey", "status"::text AS "status", "event"->'data'->>'email_id' AS "emailId"
    FROM "JobRun" WHERE "event"->'data'->>'email_id' = ANY(${emailIds}::text[]) ORDER BY "createdAt"`;
}

describe("an accepted send is one statement: email, queued event and job run", () => {
  it("stores the run with the email, without a running engine loop, and a replay starts none", async () => {
    const { apiKey } = await signUp();
    const first = await api.post("/api/v1/emails", emailBody(), { token: apiKey, headers: { "Idempotency-Key": "order-1" } });
    expect(first.status).toBe(202);
    // No engine was started in this file: the run was stored by the send's own statement.
    expect(await runsOf([first.body.id])).toEqual([{ functionId: "courierx-send-email", idempotencyKey: first.body.id, status: "queued", emailId: first.body.id }]);
    const db = await getDb();
    expect(await db.emailEvent.count({ where: { emailId: first.body.id, type: "queued" } })).toBe(1);

    const replay = await api.post("/api/v1/emails", emailBody(), { token: apiKey, headers: { "Idempotency-Key": "order-1" } });
    expect(replay.status).toBe(202);
    expect(replay.headers.get("idempotent-replayed")).toBe("true");
    expect(replay.body.id).toBe(first.body.id);
    expect(await runsOf([first.body.id])).toHaveLength(1);
  });

  it("stores one run per email of a batch, none for a replayed item", async () => {
    const { apiKey } = await signUp();
    const earlier = await api.post("/api/v1/emails", emailBody({ metadata: { idempotency_key: "k-0" } }), { token: apiKey });
    const batch = await api.post(
      "/api/v1/emails/batch",
      { emails: [emailBody({ metadata: { idempotency_key: "k-0" } }), emailBody({ to_email: "b@example.com" }), emailBody({ to_email: "c@example.com" })] },
      { token: apiKey },
    );
    expect(batch.status).toBe(202);
    const ids: string[] = batch.body.data.map((item: { email: { id: string } }) => item.email.id);
    expect(batch.body.data.map((item: { replayed: boolean }) => item.replayed)).toEqual([true, false, false]);
    expect(ids[0]).toBe(earlier.body.id);
    const runs = await runsOf(ids);
    expect(runs.map((r) => r.emailId).sort()).toEqual([...ids].sort());
  });

  it("stores neither when the run cannot be stored: no 202 without the run that delivers it", async () => {
    const { apiKey } = await signUp();
    const db = await getDb();
    await db.$executeRawUnsafe(`CREATE OR REPLACE FUNCTION refuse_job_run() RETURNS trigger AS $$ BEGIN RAISE EXCEPTION 'job runs refused'; END $$ LANGUAGE plpgsql`);
    await db.$executeRawUnsafe(`CREATE TRIGGER refuse_job_run BEFORE INSERT ON "JobRun" FOR EACH ROW EXECUTE FUNCTION refuse_job_run()`);
    try {
      const res = await api.post("/api/v1/emails", emailBody({ subject: "never stored" }), { token: apiKey });
      expect(res.status).toBe(500);
      expect(await db.email.count({ where: { subject: "never stored" } })).toBe(0);
      expect(await db.emailEvent.count({ where: { email: { subject: "never stored" } } })).toBe(0);
    } finally {
      await db.$executeRawUnsafe(`DROP TRIGGER refuse_job_run ON "JobRun"`);
    }
    const after = await api.post("/api/v1/emails", emailBody({ subject: "stored" }), { token: apiKey });
    expect(after.status).toBe(202);
    expect(await runsOf([after.body.id])).toHaveLength(1);
  });
});
