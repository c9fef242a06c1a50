/**
 * Before a delivery round: stop if the email is already final, suppress it if its recipient is on the
 * suppression list (no provider is contacted), else resolve the routing plan and record the connections
 * skipped because their circuit is open.
 */
import { getDb, Prisma } from "../../db";
import { attemptDelivery, type AttemptContext, type AttemptOutcome } from "./attempt-delivery";
import { FINAL_STATUSES, markEmailFailed, markEmailSuppressed } from "./email-state";
import { sandboxScenario as sandboxScenarioOf } from "../events/simulate-sandbox-events";
import { connectionFromJson, enabledConnectionsSql } from "./connection-rows";
import { enabledRulesSql, resolvePlan, type DeliveryPlan, type PlanEntry, type PlanRule } from "./resolve-plan";

/** Test-mode emails of a tenant without connections still run the whole pipeline, ending here. */
export const SANDBOX_ENTRY: PlanEntry = { connectionId: "sandbox", provider: "sandbox", coolingDownUntil: null };

export type Preparation =
  | { action: "stop"; status: string }
  /** sandboxScenario: a test email to a reserved sandbox address, whose provider events test mode plays. */
  | { action: "attempt"; entries: PlanEntry[]; test: boolean; sandboxScenario: boolean; strategy: string };

type EmailRow = { status: string; fromEmail: string; toEmail: string; tags: string[]; test: boolean; routingConnectionIds: string[]; suppressedFor: string | null; rules: PlanRule[] | null };

/** The preparation, and the planned connections' rows as read for the plan (in memory only, see DeliveryPlan). */
async function prepareDelivery(tenantId: string, emailId: string): Promise<{ preparation: Preparation; connections?: DeliveryPlan["connections"] }> {
  const db = await getDb();
  // The email, its recipient's suppression if any, and, for an email about to be planned, the enabled
  // connections it may go through and (unless it names its own) the tenant's enabled routing rules: one query.
  const routing = Prisma.sql`e."routingConnectionIds"`;
  const planned = Prisma.sql`e."status"::text <> ALL(${[...FINAL_STATUSES]}::text[]) AND s."reason" IS NULL`;
  const [row] = await db.$queryRaw<(EmailRow & { connections: Record<string, unknown>[] | null })[]>(Prisma.sql`
    SELECT e."status"::text AS "status", e."fromEmail", e."toEmail", e."tags", e."test", e."routingConnectionIds"::text[] AS "routingConnectionIds", s."reason"::text AS "suppressedFor",
      CASE WHEN ${planned} AND coalesce(cardinality(${routing}), 0) = 0 THEN ${enabledRulesSql(Prisma.sql`e."tenantId"`)} END AS "rules",
      CASE WHEN ${planned} THEN ${enabledConnectionsSql(Prisma.sql`e."tenantId"`, routing)} END AS "connections"
    FROM "Email" e LEFT JOIN "Suppression" s ON s."tenantId" = e."tenantId" AND s."email" = e."toEmail"
    WHERE e."id" = ${emailId}::uuid AND e."tenantId" = ${tenantId}::uuid`);
  if (!row) return { preparation: { action: "stop", status: "missing" } };
  const email = { ...row, rules: row.rules ?? [], connections: (row.connections ?? []).map(connectionFromJson) };
  if ((FINAL_STATUSES as readonly string[]).includes(email.status)) return { preparation: { action: "stop", status: email.status } };

  if (email.suppressedFor) {
    await markEmailSuppressed(tenantId, emailId, email.suppressedFor);
    return { preparation: { action: "stop", status: "suppressed" } };
  }

  const sandboxScenario = email.test && sandboxScenarioOf(email.toEmail) !== null;
  const plan = await resolvePlan(tenantId, email);
  if (plan.entries.length === 0) {
    if (email.test) return { preparation: { action: "attempt", entries: [SANDBOX_ENTRY], test: true, sandboxScenario, strategy: "sandbox" } };
    await markEmailFailed(tenantId, emailId, "No enabled provider connection: connect a provider to send");
    return { preparation: { action: "stop", status: "failed" } };
  }
  const cooling = plan.entries.filter((e) => e.coolingDownUntil);
  if (cooling.length > 0) {
    await db.emailEvent.createMany({
      data: cooling.map((e) => ({
        tenantId,
        emailId,
        type: "skipped" as const,
        provider: e.provider === "sandbox" ? null : e.provider,
        connectionId: e.connectionId,
        data: { reason: "Circuit open after repeated transient failures", retry_at: e.coolingDownUntil },
      })),
    });
  }
  const preparation: Preparation = { action: "attempt", entries: plan.entries.filter((e) => !e.coolingDownUntil), test: email.test, sandboxScenario, strategy: plan.strategy };
  return { preparation, connections: plan.connections };
}

export interface RoundStart {
  preparation: Preparation;
  /** The first plan entry's attempt, made in the same step as the plan (one durable step fewer per email). */
  first?: AttemptOutcome;
}

/** A delivery round's first durable step: prepare (suppression, plan), then attempt the first entry. */
export async function startDeliveryRound(tenantId: string, emailId: string, ctx: AttemptContext): Promise<RoundStart> {
  const { preparation, connections } = await prepareDelivery(tenantId, emailId);
  if (preparation.action === "stop" || preparation.entries.length === 0) return { preparation };
  const entry = preparation.entries[0]!;
  // The connection was read for the plan a moment ago, in this same step: not read again.
  return { preparation, first: await attemptDelivery(tenantId, emailId, entry, { ...ctx, test: preparation.test }, connections?.get(entry.connectionId)) };
}
