/** What server/http/presenters/accounts.ts answers. */
import { z } from "zod";
import { MEMBER_ROLES } from "../../services/members/schemas";
import { id, timestamp } from "./common";

const user = z.object({ id, name: z.string(), email: z.email(), role: z.enum(MEMBER_ROLES) }).meta({ id: "User" });
const account = z.object({ id, name: z.string(), created_at: timestamp }).meta({ id: "Account" });

export const sessionResponse = z
  .object({
    token: z.string().meta({ description: "The session JWT: send it as `Authorization: Bearer <token>`." }),
    token_type: z.literal("Bearer"),
    expires_at: timestamp.meta({ description: "24 hours after it was issued." }),
    user,
    account,
  })
  .meta({
    id: "Session",
    example: {
      token: "eyJhbGciOiJIUzI1NiJ9…",
      token_type: "Bearer",
      expires_at: "2026-03-23T10:30:00.000Z",
      user: { id: "0195b9f0-5c4a-7f3e-9a1b-2c3d4e5f6a7b", name: "My App", email: "you@example.com", role: "owner" },
      account: { id: "0195b9f0-5c4a-7f3e-9a1b-2c3d4e5f6a7c", name: "My App", created_at: "2026-03-22T10:30:00.000Z" },
    },
  });

const accountWithSettings = z
  .object({
    id,
    name: z.string(),
    unsubscribe_by_default: z.boolean().meta({ description: "Sends without an `unsubscribe` field carry a one-click unsubscribe link (changed in the dashboard's Settings)." }),
    created_at: timestamp,
  })
  .meta({ id: "AccountWithSettings" });

export const accountResponse = z
  .object({
    account: accountWithSettings,
    user: user.nullable().meta({ description: "The signed-in user for a session token; null for an API key." }),
    authenticated_with: z.union([
      z.object({ type: z.literal("api_key"), api_key_id: id, mode: z.enum(["live", "test"]) }),
      z.object({ type: z.literal("session") }),
    ]),
  })
  .meta({ id: "AccountInfo" });
