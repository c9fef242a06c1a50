/**
 * The outgoing webhook, as OpenAPI 3.1 `webhooks`: what CourierX POSTs to a registered endpoint. The body
 * is the WebhookPayload component (responses/webhook-endpoints.ts), which the deliveries list also shows.
 */
import { z } from "zod";
import type { ZodOpenApiPathsObject } from "zod-openapi";

const signatureHeaders = z.object({
  "webhook-id": z.string().meta({ description: "The message id: the same on every attempt and replay of one event. De-duplicate by it.", example: "msg_0195b9f05c4a7f3e9a1b2c3d4e5f6a7b" }),
  "webhook-timestamp": z.string().regex(/^\d+$/).meta({ description: "Unix seconds of this attempt. Refuse it when it is more than 5 minutes from your clock.", example: "1774175403" }),
  "webhook-signature": z.string().meta({
    description:
      "Space-separated `v1,<base64>` signatures: HMAC-SHA256 of `<webhook-id>.<webhook-timestamp>.<body>` keyed with the base64-decoded part of the secret after `whsec_`. During a secret rotation there is one per secret. Any Standard Webhooks library (e.g. npm `standardwebhooks`) verifies it.",
    example: "v1,K5oZfzN95Z9UVu1EsfQmfVNQhnkZ2pj9o9NDN/H/pI4=",
  }),
});

export const webhooks: ZodOpenApiPathsObject = {
  emailEvent: {
    post: {
      operationId: "emailEvent",
      tags: ["Webhook endpoints"],
      summary: "Email event (sent to your endpoint)",
      description:
        "One POST per event to every active endpoint subscribed to its type, signed in the [Standard Webhooks](https://www.standardwebhooks.com) format. Answer 2xx within 10 seconds; anything else is retried with backoff (11 attempts over about 24 hours). Events can arrive out of order: `sequence` gives the order per email.",
      requestParams: { header: signatureHeaders },
      requestBody: { required: true, content: { "application/json": { schema: { $ref: "#/components/schemas/WebhookPayload" } } } },
      responses: { 200: { description: "Any 2xx acknowledges the event." } },
    },
  },
};
