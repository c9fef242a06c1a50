import { z } from "zod";
import { presentProviderConnection } from "../../http/presenters/provider-connections";
import { createProviderConnection } from "../../services/provider-connections/create-provider-connection";
import { deleteProviderConnection } from "../../services/provider-connections/delete-provider-connection";
import { getProviderConnectionOrThrow } from "../../services/provider-connections/get-provider-connection";
import { listProviderConnections } from "../../services/provider-connections/list-provider-connections";
import { rotateWebhookCredentials } from "../../services/provider-connections/rotate-webhook-credentials";
import { createProviderConnectionInput, updateProviderConnectionInput } from "../../services/provider-connections/schemas";
import { updateProviderConnection } from "../../services/provider-connections/update-provider-connection";
import { verifyProviderConnection } from "../../services/provider-connections/verify-provider-connection";
import { adminProcedure, createTRPCRouter, listInput, paged, resourceProcedures, tenantProcedure } from "../init";

const connection = resourceProcedures("connection", getProviderConnectionOrThrow);

export const providerConnectionsRouter = createTRPCRouter({
  list: tenantProcedure.input(listInput()).query(async ({ ctx, input }) => {
    const { items, total } = await listProviderConnections(ctx.tenantId, input);
    return paged(
      items.map((row) => presentProviderConnection(row, { baseUrl: ctx.baseUrl })),
      total,
      input,
    );
  }),

  get: connection.read.query(({ ctx }) => presentProviderConnection(ctx.connection, { baseUrl: ctx.baseUrl })),

  // Postmark's generated webhook credentials are in this answer only.
  create: adminProcedure.input(createProviderConnectionInput).mutation(async ({ ctx, input }) => {
    const { row, result, webhookCredentials } = await createProviderConnection(ctx.tenantId, input);
    return presentProviderConnection(row, { baseUrl: ctx.baseUrl, verification: result, webhookCredentials });
  }),

  update: connection.admin.input(z.object({ data: updateProviderConnectionInput })).mutation(async ({ ctx, input }) => {
    const { row, result } = await updateProviderConnection(ctx.tenantId, ctx.connection.id, input.data);
    return presentProviderConnection(row, { baseUrl: ctx.baseUrl, verification: result });
  }),

  verify: connection.admin.mutation(async ({ ctx }) => {
    const { result } = await verifyProviderConnection(ctx.tenantId, ctx.connection.id);
    return { verification: { status: result.status, message: result.message } };
  }),

  rotateWebhookCredentials: connection.admin.mutation(async ({ ctx }) => {
    const { row, webhookCredentials } = await rotateWebhookCredentials(ctx.tenantId, ctx.connection.id);
    return presentProviderConnection(row, { baseUrl: ctx.baseUrl, webhookCredentials });
  }),

  delete: connection.admin.mutation(async ({ ctx }) => {
    await deleteProviderConnection(ctx.tenantId, ctx.connection.id);
    return { deleted: true as const };
  }),
});
