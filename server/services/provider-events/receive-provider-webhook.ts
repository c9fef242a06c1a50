/**
 * One request to /api/webhooks/<provider>/<connection id>: find the connection, authenticate the request
 * the provider's way, normalize its events and record each. Nothing is written before authentication has
 * passed (a refused request leaves no trace but a log line), and every event is recorded through the one
 * recorder, which de-duplicates provider re-deliveries.
 */
import { getDb, type ProviderConnection } from "../../db";
import { isUuid } from "../../lib/ids";
import { logger } from "../../lib/logger";
import type { ProviderName } from "../../providers/types";
import type { ProviderEvent } from "../events/event-types";
import { markConnectionEventReceived, recordProviderEvents } from "../events/record-provider-event";
import { openEventsSecrets, type EventsSecrets } from "../provider-connections/events-secrets";
import { confirmSnsSubscription, parseSesNotification, parseSnsEnvelope, verifySnsMessage } from "./aws-ses";
import { claimMailgunToken, parseMailgunEvent, verifyMailgunSignature } from "./mailgun";
import { parsePostmarkEvent, verifyPostmarkCredentials } from "./postmark";
import { parseResendEvent, verifyResendSignature } from "./resend";
import { parseSendgridEvents, verifySendgridSignature } from "./sendgrid";
import type { WebhookRequest } from "./shared";

export const EVENT_PROVIDERS = ["sendgrid", "mailgun", "aws_ses", "postmark", "resend"] as const satisfies readonly ProviderName[];
export type EventProvider = (typeof EVENT_PROVIDERS)[number];

export function isEventProvider(value: string): value is EventProvider {
  return (EVENT_PROVIDERS as readonly string[]).includes(value);
}

export interface WebhookSummary {
  recorded: number;
  duplicates: number;
  unknownEmail: number;
}

export type ReceiveResult = { outcome: "not_found" } | ({ outcome: "accepted" } & WebhookSummary);

/**
 * Throws WebhookRefusal (unauthorized, malformed, too_large, upstream) for a request it will not take;
 * `not_found` for a connection that does not exist under this provider (said the same way for each case).
 */
export async function receiveProviderWebhook(provider: EventProvider, connectionId: string, request: WebhookRequest): Promise<ReceiveResult> {
  const connection = isUuid(connectionId) ? await unsafeFindConnectionForWebhook(provider, connectionId.toLowerCase()) : null;
  if (!connection) return { outcome: "not_found" };
  const secrets = openEventsSecrets(connection);
  const { events, release } = await authenticatedEvents(provider, connection, secrets, request);
  try {
    // The connection has now received a verified request, whatever its events turn out to match.
    await markConnectionEventReceived({ tenantId: connection.tenantId, connectionId: connection.id, provider: connection.provider });
    return { outcome: "accepted", ...(await recordAll(connection, events)) };
  } catch (error) {
    // The provider will retry; its retry must not be refused as a replay of this request.
    await release?.().catch(() => undefined);
    throw error;
  }
}

/**
 * The connection a webhook URL names, of any tenant: the request carries no tenant credentials, so the
 * connection id picks the tenant and the connection's own secrets then authenticate the request.
 */
async function unsafeFindConnectionForWebhook(provider: EventProvider, id: string): Promise<ProviderConnection | null> {
  const db = await getDb();
  return db.providerConnection.findFirst({ where: { id, provider } });
}

async function authenticatedEvents(
  provider: EventProvider,
  connection: ProviderConnection,
  secrets: EventsSecrets,
  request: WebhookRequest,
): Promise<{ events: ProviderEvent[]; release?: () => Promise<void> }> {
  switch (provider) {
    case "sendgrid":
      verifySendgridSignature(request, secrets.signing_key);
      return { events: parseSendgridEvents(request) };
    case "mailgun": {
      const payload = verifyMailgunSignature(request, secrets.signing_key);
      const events = parseMailgunEvent(payload, request.now);
      // verifyMailgunSignature refuses a request when the connection has no signing key.
      return { events, release: await claimMailgunToken(secrets.signing_key!, payload.token, request.now) };
    }
    case "postmark":
      verifyPostmarkCredentials(request, secrets);
      return { events: parsePostmarkEvent(request) };
    case "resend": {
      const svixId = verifyResendSignature(request, secrets.signing_key);
      return { events: parseResendEvent(request, svixId) };
    }
    case "aws_ses": {
      const message = parseSnsEnvelope(request.rawBody);
      await verifySnsMessage(message, secrets.sns_topic_arn, request.now);
      if (message.Type === "SubscriptionConfirmation") {
        await confirmSnsSubscription(message);
        logger.info("SNS subscription confirmed", { tenantId: connection.tenantId, connectionId: connection.id, topicArn: message.TopicArn });
      }
      return { events: message.Type === "Notification" ? parseSesNotification(message, request.now) : [] };
    }
  }
}

async function recordAll(connection: ProviderConnection, events: ProviderEvent[]): Promise<WebhookSummary> {
  const source = { tenantId: connection.tenantId, connectionId: connection.id, provider: connection.provider };
  const summary: WebhookSummary = { recorded: 0, duplicates: 0, unknownEmail: 0 };
  for (const result of await recordProviderEvents(source, events)) {
    if (result.outcome === "recorded") summary.recorded++;
    else if (result.outcome === "duplicate") summary.duplicates++;
    // The recorder logs the drop; the provider still gets its 200 (it would retry otherwise).
    else summary.unknownEmail++;
  }
  return summary;
}
