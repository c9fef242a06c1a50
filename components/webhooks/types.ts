import type { inferRouterOutputs } from "@trpc/server";
import type { AppRouter } from "@/server/trpc/root";

type Outputs = inferRouterOutputs<AppRouter>["webhookEndpoints"];

/** An endpoint as every answer but the create answer shows it (URL credentials masked, no secret). */
export type WebhookEndpoint = Outputs["get"];
export type WebhookDelivery = Outputs["deliveries"]["items"][number];
export type WebhookAttempt = WebhookDelivery["attempts"][number];
