/**
 * Shared by the provider-event integration tests: a tenant whose connection to a provider's emulator has
 * its event webhook set up, an email really sent through it, signed webhook requests posted to the real
 * route, and what the database holds afterwards (to prove a refusal recorded nothing).
 */
import { afterAll, beforeAll } from "vitest";
import { getDb } from "@/server/db";
import { setSnsHttpForTests } from "@/server/services/provider-events/sns-http";
import { mailgunTokenPrefix } from "@/server/services/provider-events/mailgun";
import { openEventsSecrets } from "@/server/services/provider-connections/events-secrets";
import type { ProviderName } from "@/server/providers/types";
import { startSnsStandIn, type SignedWebhook, type SnsStandIn } from "../../emulators/events";
import { api, call, signUp, type ApiResponse } from "../../helpers/api";
import { connectionBody } from "../../helpers/connections";
import { emailBody, startSendingStack, waitForFinal, type SendingStack } from "../../helpers/sending";

export type EventProvider = Exclude<ProviderName, "smtp">;

export function postWebhook(provider: string, connectionId: string, signed: SignedWebhook): Promise<ApiResponse> {
  return call("POST", `/api/webhooks/${provider}/${connectionId}`, { rawBody: signed.body, headers: signed.headers });
}

export interface SentEmail {
  id: string;
  providerMessageId: string;
  toEmail: string;
}

/**
 * A tenant with one connection to `provider` (plus `extra` connection fields) and one email sent through
 * it; `connection` is the create answer (the only one with Postmark's webhook password in full).
 */
export async function tenantWithSentEmail(stack: SendingStack, provider: EventProvider, extra: Record<string, unknown>) {
  const tenant = await signUp();
  const created = await api.post("/api/v1/provider_connections", connectionBody(stack.emulators, provider, extra), { token: tenant.apiKey });
  if (created.status !== 201) throw new Error(`connect ${provider} failed: ${created.status} ${created.text}`);
  const email = await sendEmail(tenant.apiKey);
  return { ...tenant, connectionId: created.body.id as string, connection: created.body, email };
}

export async function sendEmail(token: string): Promise<SentEmail> {
  const queued = await api.post("/api/v1/emails", emailBody(), { token });
  if (queued.status !== 202) throw new Error(`send failed: ${queued.status} ${queued.text}`);
  const done = await waitForFinal(token, queued.body.id);
  if (done.status !== "sent") throw new Error(`email ended ${done.status}`);
  return { id: done.id, providerMessageId: done.provider_message_id, toEmail: done.to_email };
}

/** Everything a webhook request could have written for this tenant and connection. */
export async function footprint(tenantId: string, connectionId: string) {
  const db = await getDb();
  const [events, suppressions, connection] = await Promise.all([
    db.emailEvent.findMany({ where: { tenantId }, select: { id: true, type: true } }),
    db.suppression.count({ where: { tenantId } }),
    db.providerConnection.findFirstOrThrow({ where: { id: connectionId, tenantId } }),
  ]);
  const signingKey = openEventsSecrets(connection).signing_key;
  const tokens = signingKey ? await db.seenWebhookToken.count({ where: { key: { startsWith: mailgunTokenPrefix(signingKey) } } }) : 0;
  const emails = await db.email.findMany({ where: { tenantId }, select: { id: true, status: true }, orderBy: { id: "asc" } });
  return { events: events.map((e) => e.type).sort(), suppressions, lastEventAt: connection.lastEventAt, tokens, emails };
}

/** The topic the SES tests' connections pin. */
export const TOPIC = "arn:aws:sns:us-east-1:123456789012:courierx-events";

export interface EventsStack {
  stack: SendingStack;
  sns: SnsStandIn;
}

/**
 * The sending stack and an SNS stand-in whose transport the app uses, started before and stopped after the
 * file's tests; the returned object is filled in by beforeAll.
 */
export function eventsStackForFile(): EventsStack {
  const holder = {} as EventsStack;
  let restoreSns: () => void = () => undefined;
  beforeAll(async () => {
    [holder.stack, holder.sns] = await Promise.all([startSendingStack(), startSnsStandIn()]);
    restoreSns = setSnsHttpForTests(holder.sns.transport);
  });
  afterAll(async () => {
    restoreSns();
    await Promise.all([holder.stack.stop(), holder.sns.stop()]);
  });
  return holder;
}
