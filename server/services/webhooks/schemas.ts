/**
 * Webhook endpoint input, exactly the seed's fields (url, description, events) plus `active` on update.
 * An empty `events` list subscribes to every outgoing event type.
 */
import { z } from "zod";
import { OUTGOING_EVENT_TYPES } from "../events/event-types";

const WEBHOOK_DELIVERY_STATUSES = ["pending", "succeeded", "failed"] as const;

const endpointFields = {
  url: z.url({ message: "must be an http or https URL", protocol: /^https?$/ }).max(2048, "must be at most 2048 characters"),
  description: z.string({ message: "must be a string" }).trim().max(500, "must be at most 500 characters").nullable(),
  events: z
    .array(z.enum(OUTGOING_EVENT_TYPES, { message: `must be one of: ${OUTGOING_EVENT_TYPES.join(", ")}` }), { message: "must be a list of event types" })
    .max(OUTGOING_EVENT_TYPES.length * 2, "lists too many event types"),
  active: z.boolean({ message: "must be true or false" }),
};

export const createWebhookEndpointInput = z.strictObject({
  url: endpointFields.url,
  description: endpointFields.description.optional(),
  events: endpointFields.events.default([]),
});

export const updateWebhookEndpointInput = z
  .strictObject({
    url: endpointFields.url.optional(),
    description: endpointFields.description.optional(),
    events: endpointFields.events.optional(),
    active: endpointFields.active.optional(),
  })
  .refine((v) => Object.keys(v).length > 0, { message: "Nothing to update: send at least one field" });

export const listWebhookDeliveriesQuery = z.object({
  status: z.enum(WEBHOOK_DELIVERY_STATUSES, { message: `must be one of: ${WEBHOOK_DELIVERY_STATUSES.join(", ")}` }).optional(),
});

export type CreateWebhookEndpointInput = z.infer<typeof createWebhookEndpointInput>;
export type UpdateWebhookEndpointInput = z.infer<typeof updateWebhookEndpointInput>;
export type ListWebhookDeliveriesQuery = z.infer<typeof listWebhookDeliveriesQuery>;
