/** What server/http/presenters/api-keys.ts answers. */
import { z } from "zod";
import { id, nullableTimestamp, timestamp } from "./common";

const fields = {
  id,
  name: z.string(),
  mode: z.enum(["live", "test"]).meta({ description: "live: everything in the account; test: the sandbox (reads, and sends that end in the sandbox)." }),
  prefix: z.string().meta({ description: "The start of the key, to recognize it.", example: "cxk_live_AbC123" }),
  status: z.enum(["active", "revoked"]),
  last_used_at: nullableTimestamp,
  revoked_at: nullableTimestamp,
  created_at: timestamp,
};

export const apiKeyResponse = z.object(fields).meta({ id: "ApiKey" });

export const createdApiKeyResponse = z
  .object({ ...fields, raw_key: z.string().meta({ description: "The whole key, in this answer only: only its SHA-256 is stored." }) })
  .meta({
    id: "CreatedApiKey",
    example: {
      id: "0195b9f0-5c4a-7f3e-9a1b-2c3d4e5f6a7d",
      name: "My first key",
      mode: "live",
      prefix: "cxk_live_AbC123",
      raw_key: "cxk_live_abc123…",
      status: "active",
      last_used_at: null,
      revoked_at: null,
      created_at: "2026-03-22T10:30:00.000Z",
    },
  });
