import { getDb } from "../../db";
import { AppError } from "../../lib/errors";

/** More deliveries than this for one email (events × endpoints, replays) are cut from the dashboard's timeline. */
export const MAX_TIMELINE_DELIVERIES = 500;

/**
 * What the dashboard's timeline shows beside the email's events (getEmailOrThrow): the provider connections
 * its events, its row and its per-message routing name (a connection since deleted is absent: its events
 * keep the provider), and the
 * outgoing-webhook deliveries of its events, oldest first, each with its endpoint and attempt log.
 * For dashboard sessions, which see test and live emails alike; another tenant's email is NOT_FOUND.
 */
export async function getEmailTimeline(tenantId: string, emailId: string) {
  const db = await getDb();
  const email = await db.email.findFirst({
    where: { id: emailId, tenantId },
    select: { connectionId: true, routingConnectionIds: true, events: { where: { tenantId, connectionId: { not: null } }, select: { connectionId: true } } },
  });
  if (!email) throw AppError.notFound();
  const connectionIds = [...new Set([email.connectionId, ...email.routingConnectionIds, ...email.events.map((e) => e.connectionId)].filter((id): id is string => id !== null))];
  const [connections, deliveries] = await Promise.all([
    connectionIds.length === 0
      ? []
      : db.providerConnection.findMany({ where: { tenantId, id: { in: connectionIds } }, select: { id: true, provider: true, displayName: true }, orderBy: { id: "asc" } }),
    db.webhookDelivery.findMany({
      where: { tenantId, emailId },
      orderBy: [{ createdAt: "asc" }, { id: "asc" }],
      take: MAX_TIMELINE_DELIVERIES,
      include: { endpoint: { select: { id: true, url: true, description: true } }, attemptLog: { orderBy: { attempt: "asc" } } },
    }),
  ]);
  return { connections, deliveries };
}
