import { z } from "zod";
import { presentWebhookDelivery, presentWebhookEndpoint } from "../../http/presenters/webhook-endpoints";
import { createWebhookEndpoint } from "../../services/webhooks/create-webhook-endpoint";
import { deleteWebhookEndpoint } from "../../services/webhooks/delete-webhook-endpoint";
import { getWebhookEndpointOrThrow } from "../../services/webhooks/get-webhook-endpoint";
import { listWebhookDeliveries } from "../../services/webhooks/list-webhook-deliveries";
import { listWebhookEndpoints } from "../../services/webhooks/list-webhook-endpoints";
import { replayWebhookDelivery } from "../../services/webhooks/replay-webhook-delivery";
import { rotateWebhookSecret } from "../../services/webhooks/rotate-webhook-secret";
import { createWebhookEndpointInput, listWebhookDeliveriesQuery, updateWebhookEndpointInput } from "../../services/webhooks/schemas";
import { sendTestWebhook } from "../../services/webhooks/send-test-webhook";
import { updateWebhookEndpoint } from "../../services/webhooks/update-webhook-endpoint";
import { adminProcedure, createTRPCRouter, listInput, paged, parseId, resourceProcedures, tenantProcedure } from "../init";

const endpoint = resourceProcedures("endpoint", getWebhookEndpointOrThrow);

export const webhookEndpointsRouter = createTRPCRouter({
  // Newest first; URL credentials masked.
  list: tenantProcedure.input(listInput()).query(async ({ ctx, input }) => {
    const { items, total } = await listWebhookEndpoints(ctx.tenantId, input);
    return paged(
      items.map((row) => presentWebhookEndpoint(row)),
      total,
      input,
    );
  }),

  get: endpoint.read.query(({ ctx }) => presentWebhookEndpoint(ctx.endpoint)),

  // The signing secret and the URL's credentials are in this answer only.
  create: adminProcedure.input(createWebhookEndpointInput).mutation(async ({ ctx, input }) => {
    const { endpoint: row, secret } = await createWebhookEndpoint(ctx.tenantId, input);
    return { ...presentWebhookEndpoint(row, { revealUrl: true }), secret };
  }),

  update: endpoint.admin
    .input(z.object({ data: updateWebhookEndpointInput }))
    .mutation(async ({ ctx, input }) => presentWebhookEndpoint(await updateWebhookEndpoint(ctx.tenantId, ctx.endpoint.id, input.data))),

  delete: endpoint.admin.mutation(async ({ ctx }) => {
    await deleteWebhookEndpoint(ctx.tenantId, ctx.endpoint.id);
    return { deleted: true as const };
  }),

  // For 24 h deliveries are signed with the new secret and the one it replaces.
  rotateSecret: endpoint.admin.mutation(async ({ ctx }) => {
    const { secret, previousSecretExpiresAt, olderSecretRevoked } = await rotateWebhookSecret(ctx.tenantId, ctx.endpoint.id);
    return { secret, previous_secret_expires_at: previousSecretExpiresAt.toISOString(), older_secret_revoked: olderSecretRevoked };
  }),

  // Newest first, each with its attempts (filter status).
  deliveries: endpoint.read.input(listInput(listWebhookDeliveriesQuery)).query(async ({ ctx, input }) => {
    const { items, total } = await listWebhookDeliveries(ctx.tenantId, ctx.principal, ctx.endpoint.id, input, input);
    return paged(items.map(presentWebhookDelivery), total, input);
  }),

  // Sends it again as a new delivery (same webhook-id); the delivery must be this endpoint's.
  replay: endpoint.admin
    .input(z.object({ deliveryId: z.string() }))
    .mutation(async ({ ctx, input }) => presentWebhookDelivery(await replayWebhookDelivery(ctx.tenantId, ctx.endpoint.id, parseId(input.deliveryId)))),

  // A sample event marked test: true.
  sendTest: endpoint.admin.mutation(async ({ ctx }) => presentWebhookDelivery(await sendTestWebhook(ctx.tenantId, ctx.endpoint.id))),
});
