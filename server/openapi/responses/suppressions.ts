/** What server/http/presenters/suppressions.ts answers. */
import { z } from "zod";
import { SUPPRESSION_REASONS } from "../../services/suppressions/schemas";
import { id, timestamp } from "./common";

export const suppressionResponse = z
  .object({
    id,
    email: z.email(),
    reason: z.enum(SUPPRESSION_REASONS),
    note: z.string().nullable(),
    email_id: id.nullable().meta({ description: "The email whose bounce, complaint or unsubscribe added it." }),
    provider: z.string().nullable().meta({ description: "The provider that reported it." }),
    created_at: timestamp,
  })
  .meta({
    id: "Suppression",
    example: { id: "0195b9f0-5c4a-7f3e-9a1b-2c3d4e5f6a81", email: "bad-address@example.com", reason: "manual", note: "Customer requested removal", email_id: null, provider: null, created_at: "2026-03-22T10:30:00.000Z" },
  });
