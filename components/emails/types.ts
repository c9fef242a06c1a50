import type { inferRouterOutputs } from "@trpc/server";
import type { AppRouter } from "@/server/trpc/root";

type Outputs = inferRouterOutputs<AppRouter>["emails"];

/** An email as the REST list presents it (no bodies). */
export type EmailRow = Outputs["list"]["items"][number];
/** One email with its bodies and events (GET /api/v1/emails/:id). */
export type EmailDetailView = Outputs["get"];
/** An event: its type, time, provider and connection, and its data spread beside them (reason, duration_ms, …). */
export type EmailEventView = EmailDetailView["events"][number] & { [field: string]: unknown };
/** The rest of the timeline: connection names and the webhook deliveries of the email's events. */
export type EmailTimelineView = Outputs["timeline"];
export type ConnectionRef = EmailTimelineView["connections"][number];
export type WebhookDeliveryView = EmailTimelineView["webhook_deliveries"][number];
