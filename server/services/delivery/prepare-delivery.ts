/**
 * Before a delivery round: stop if the email is already final, suppress it if its recipient is on the
 * suppression list (no provider is contacted), else resolve the routing plan and record the connections
 * skipped because their circuit is open.
 */
import { getDb } from "../../db";
import { findSuppression } from "../suppressions/find-suppression";
import { FINAL_STATUSES, markEmailFailed, markEmailSuppressed } from "./email-state";
import { resolvePlan, type PlanEntry } from "./resolve-plan";

/** Test-mode emails of a tenant without connections still run the whole pipeline, ending here. */
export const SANDBOX_ENTRY: PlanEntry = { connectionId: "sandbox", provider: "sandbox", coolingDownUntil: null };

export type Preparation = { action: "stop"; status: string } | { action: "attempt"; entries: PlanEntry[]; test: boolean; strategy: string };

export async function prepareDelivery(tenantId: string, emailId: string): Promise<Preparation> {
  const db = await getDb();
  const email = await db.email.findFirst({ where: { id: emailId, tenantId }, select: { status: true, toEmail: true, fromEmail: true, tags: true, test: true } });
  if (!email) return { action: "stop", status: "missing" };
  if ((FINAL_STATUSES as readonly string[]).includes(email.status)) return { action: "stop", status: email.status };

  const suppression = await findSuppression(tenantId, email.toEmail);
  if (suppression) {
    await markEmailSuppressed(tenantId, emailId, suppression.reason);
    return { action: "stop", status: "suppressed" };
  }

  const plan = await resolvePlan(tenantId, email);
  if (plan.entries.length === 0) {
    if (email.test) return { action: "attempt", entries: [SANDBOX_ENTRY], test: true, strategy: "sandbox" };
    await markEmailFailed(tenantId, emailId, "No enabled provider connection: connect a provider to send");
    return { action: "stop", status: "failed" };
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
  return { action: "attempt", entries: plan.entries.filter((e) => !e.coolingDownUntil), test: email.test, strategy: plan.strategy };
}
