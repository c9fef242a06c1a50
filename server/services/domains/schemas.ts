import { z } from "zod";
import { normalizeHostname } from "./hostname";

export const domainName = z
  .string({ message: "must be a string" })
  // Bounded before any parsing work; the 253-character limit is checked on the ASCII form.
  .max(1000, "must be at most 253 characters")
  .transform((value, ctx) => {
    const result = normalizeHostname(value);
    if (result.ok) return result.domain;
    ctx.addIssue({ code: "custom", message: result.problem });
    return z.NEVER;
  });

export const createDomainInput = z.strictObject({ domain: domainName });

export type CreateDomainInput = z.infer<typeof createDomainInput>;
