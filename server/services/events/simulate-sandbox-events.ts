/**
 * Test mode plays the providers' part: a test email to a reserved address at sandbox.courierx.dev gets the
 * events a provider would report, through the same recorder as real webhooks (timeline, status,
 * suppression of that reserved address, rollup, outgoing webhooks with `test: true`). Any other test
 * email ends at `sent`, as before.
 */
import { getDb } from "../../db";
import type { ProviderEvent } from "./event-types";
import { recordEmailProviderEvent } from "./record-provider-event";

export const SANDBOX_DOMAIN = "sandbox.courierx.dev";

type Simulated = Omit<ProviderEvent, "externalId" | "occurredAt">;

/** Reserved local parts and the events each produces, in order. */
export const SANDBOX_SCENARIOS: Record<string, Simulated[]> = {
  delivered: [{ type: "delivered" }],
  bounced: [{ type: "bounced", bounceType: "hard", diagnostic: "smtp; 550 5.1.1 The email account does not exist (sandbox)" }],
  "soft-bounced": [{ type: "bounced", bounceType: "soft", diagnostic: "smtp; 452 4.2.2 Mailbox full (sandbox)" }],
  complained: [{ type: "delivered" }, { type: "complained", diagnostic: "abuse" }],
  opened: [{ type: "delivered" }, { type: "opened", userAgent: "CourierX Sandbox" }],
  clicked: [{ type: "delivered" }, { type: "opened", userAgent: "CourierX Sandbox" }, { type: "clicked", url: "https://example.com/sandbox-link", userAgent: "CourierX Sandbox" }],
  unsubscribed: [{ type: "delivered" }, { type: "unsubscribed" }],
};

/** The scenario a recipient asks for, if it is a reserved sandbox address. */
export function sandboxScenario(recipient: string): Simulated[] | null {
  const [local, domain] = recipient.toLowerCase().split("@");
  if (domain !== SANDBOX_DOMAIN || local === undefined) return null;
  return Object.hasOwn(SANDBOX_SCENARIOS, local) ? SANDBOX_SCENARIOS[local]! : null;
}

/** Records the scenario's events for a sent test email; safe to repeat (each has a stable event id). Returns how many were new. */
export async function simulateSandboxEvents(tenantId: string, emailId: string): Promise<number> {
  const db = await getDb();
  const email = await db.email.findFirst({ where: { id: emailId, tenantId, test: true }, select: { toEmail: true, provider: true, connectionId: true, providerMessageId: true } });
  const scenario = email ? sandboxScenario(email.toEmail) : null;
  if (!email || !scenario) return 0;
  let recorded = 0;
  for (const [index, simulated] of scenario.entries()) {
    const outcome = await recordEmailProviderEvent(tenantId, { connectionId: email.connectionId, provider: email.provider }, {
      ...simulated,
      emailId,
      recipient: email.toEmail,
      ...(email.providerMessageId ? { providerMessageId: email.providerMessageId } : {}),
      externalId: `sandbox:${emailId}:${index}:${simulated.type}`,
      occurredAt: new Date(),
    }, { oncePerType: true });
    if (outcome.outcome === "recorded") recorded++;
  }
  return recorded;
}
