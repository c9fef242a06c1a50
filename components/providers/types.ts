import type { inferRouterOutputs } from "@trpc/server";
import type { AppRouter } from "@/server/trpc/root";

type Outputs = inferRouterOutputs<AppRouter>["providerConnections"];

/** A provider connection as the REST API presents it: settings, health and the event webhook, never a credential. */
export type ConnectionView = Outputs["get"];
export type ConnectionHealth = ConnectionView["health"];
export type EventsWebhookView = NonNullable<ConnectionView["events_webhook"]>;
