/**
 * The registry: every /api/v1 operation, in the order the reference shows them. A new route (or a new
 * method on one) is one more entry in its resource's list; tests/integration/openapi checks the registry
 * against the route files on disk.
 */
import type { OperationEntry } from "../operation";
import { analyticsOperations } from "./analytics";
import { apiKeyOperations } from "./api-keys";
import { authOperations } from "./auth";
import { domainOperations } from "./domains";
import { emailOperations } from "./emails";
import { openApiOperations } from "./openapi";
import { providerConnectionOperations } from "./provider-connections";
import { routingRuleOperations } from "./routing-rules";
import { suppressionOperations } from "./suppressions";
import { webhookEndpointOperations } from "./webhook-endpoints";

export const OPERATIONS: readonly OperationEntry[] = [
  ...authOperations,
  ...emailOperations,
  ...apiKeyOperations,
  ...providerConnectionOperations,
  ...domainOperations,
  ...routingRuleOperations,
  ...suppressionOperations,
  ...webhookEndpointOperations,
  ...analyticsOperations,
  ...openApiOperations,
];
