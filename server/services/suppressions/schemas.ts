import { z } from "zod";
import { emailAddress } from "../accounts/schemas";

export const SUPPRESSION_REASONS = ["bounce", "complaint", "unsubscribe", "manual"] as const;

export const createSuppressionInput = z.strictObject({
  email: emailAddress,
  reason: z.enum(SUPPRESSION_REASONS, { message: `must be one of: ${SUPPRESSION_REASONS.join(", ")}` }).default("manual"),
  note: z.string({ message: "must be a string" }).trim().max(500, "must be at most 500 characters").optional(),
});

export const listSuppressionsQuery = z.object({
  reason: z.enum(SUPPRESSION_REASONS, { message: `must be one of: ${SUPPRESSION_REASONS.join(", ")}` }).optional(),
  email: z.string().trim().min(1).max(254).optional(),
});

export type CreateSuppressionInput = z.infer<typeof createSuppressionInput>;
