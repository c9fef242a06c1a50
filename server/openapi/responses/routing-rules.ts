/** What server/http/presenters/routing-rules.ts answers. */
import { z } from "zod";
import { PROVIDER_NAMES } from "../../providers/types";
import { ROUTING_STRATEGIES } from "../../services/routing/schemas";
import { id, timestamp } from "./common";

export const routingRuleResponse = z
  .object({
    id,
    name: z.string(),
    conditions: z.object({ from_domains: z.array(z.string()), tags: z.array(z.string()) }),
    strategy: z.enum(ROUTING_STRATEGIES),
    providers: z.array(z.object({ connection_id: id, provider: z.enum(PROVIDER_NAMES), display_name: z.string(), enabled: z.boolean(), weight: z.int() })),
    enabled: z.boolean(),
    position: z.int().meta({ description: "Rules are evaluated in this order; the first that matches routes the email." }),
    created_at: timestamp,
    updated_at: timestamp,
  })
  .meta({ id: "RoutingRule" });
