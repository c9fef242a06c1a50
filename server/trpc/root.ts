/** The dashboard's API: one router per resource, each a thin door onto the same services as /api/v1. */
import { createCallerFactory, createTRPCRouter } from "./init";
import { accountRouter } from "./routers/account";
import { analyticsRouter } from "./routers/analytics";
import { apiKeysRouter } from "./routers/api-keys";
import { authRouter } from "./routers/auth";
import { domainsRouter } from "./routers/domains";
import { emailsRouter } from "./routers/emails";
import { invitationsRouter, membersRouter } from "./routers/members";
import { providerConnectionsRouter } from "./routers/provider-connections";
import { routingRulesRouter } from "./routers/routing-rules";
import { sendRouter } from "./routers/send";
import { suppressionsRouter } from "./routers/suppressions";
import { webhookEndpointsRouter } from "./routers/webhook-endpoints";

export const appRouter = createTRPCRouter({
  account: accountRouter,
  analytics: analyticsRouter,
  apiKeys: apiKeysRouter,
  auth: authRouter,
  domains: domainsRouter,
  emails: emailsRouter,
  invitations: invitationsRouter,
  members: membersRouter,
  providerConnections: providerConnectionsRouter,
  routingRules: routingRulesRouter,
  send: sendRouter,
  suppressions: suppressionsRouter,
  webhookEndpoints: webhookEndpointsRouter,
});

export type AppRouter = typeof appRouter;

/** Server components and tests: call procedures directly with a context (createTRPCContext). */
export const createCaller = createCallerFactory(appRouter);
