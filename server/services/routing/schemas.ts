import { z } from "zod";

export const ROUTING_STRATEGIES = ["priority", "weighted", "round_robin", "failover_only"] as const;

const domain = z
  .string({ message: "must be strings" })
  .trim()
  .toLowerCase()
  .regex(/^(?=.{1,253}$)([a-z0-9-]+\.)+[a-z0-9-]+$/, "must be domain names such as yourapp.com");

export const routingConditions = z
  .strictObject({
    /** Matches when the sender's domain is one of these (exact, case-insensitive). */
    from_domains: z.array(domain, { message: "must be an array of domain names" }).max(50).optional(),
    /** Matches when the email carries at least one of these tags. */
    tags: z.array(z.string({ message: "must be strings" }).trim().min(1).max(64), { message: "must be an array of tags" }).max(50).optional(),
  })
  .default({});

const target = z.strictObject({
  connection_id: z.uuid({ message: "must be a provider connection id" }),
  weight: z.number({ message: "must be a whole number" }).int("must be a whole number").min(0, "must be at least 0").max(1000, "must be at most 1000").default(1),
});

const fields = {
  name: z.string({ message: "must be a string" }).trim().min(1, "can't be blank").max(100, "must be at most 100 characters"),
  conditions: routingConditions,
  strategy: z.enum(ROUTING_STRATEGIES, { message: `must be one of: ${ROUTING_STRATEGIES.join(", ")}` }),
  providers: z
    .array(target, { message: "must be an array of {connection_id, weight}" })
    .min(1, "must list at least one provider connection")
    .max(20, "must list at most 20 provider connections")
    .refine((list) => new Set(list.map((t) => t.connection_id)).size === list.length, "must not list a connection twice"),
  enabled: z.boolean({ message: "must be true or false" }),
  position: z.number({ message: "must be a whole number" }).int("must be a whole number").min(0).max(10_000),
};

export const createRoutingRuleInput = z
  .strictObject({ ...fields, strategy: fields.strategy.default("priority"), enabled: fields.enabled.default(true), position: fields.position.optional() })
  .refine((r) => r.strategy !== "weighted" || r.providers.some((t) => t.weight > 0), { message: "must include a provider with weight above 0 for the weighted strategy", path: ["providers"] });

export const updateRoutingRuleInput = z
  .strictObject({
    name: fields.name.optional(),
    conditions: routingConditions.optional(),
    strategy: fields.strategy.optional(),
    providers: fields.providers.optional(),
    enabled: fields.enabled.optional(),
    position: fields.position.optional(),
  })
  .refine((v) => Object.keys(v).length > 0, { message: "Nothing to update: send at least one field" });

export type CreateRoutingRuleInput = z.infer<typeof createRoutingRuleInput>;
export type UpdateRoutingRuleInput = z.infer<typeof updateRoutingRuleInput>;
export type RoutingConditions = z.infer<typeof routingConditions>;
