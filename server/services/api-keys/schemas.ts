import { z } from "zod";

export const createApiKeyInput = z.strictObject({
  name: z.string({ message: "must be a string" }).trim().min(1, "can't be blank").max(100, "must be at most 100 characters"),
  mode: z.enum(["live", "test"], { message: "must be one of: live, test" }).default("live"),
});

export type CreateApiKeyInput = z.infer<typeof createApiKeyInput>;
