/** What server/http/presenters/provider-connections.ts answers (never a credential). */
import { z } from "zod";
import { PROVIDER_NAMES } from "../../providers/types";
import { id, nullableTimestamp, timestamp } from "./common";

export const verificationResult = z.object({ status: z.enum(["verified", "failed"]), message: z.string() });

export const providerConnectionResponse = z
  .object({
    id,
    provider: z.enum(PROVIDER_NAMES),
    display_name: z.string(),
    priority: z.int().meta({ description: "Lower is tried first." }),
    weight: z.int(),
    enabled: z.boolean(),
    credentials_hint: z.string().nullable().meta({ description: "A masked hint of the stored key, to recognize it.", example: "SG.…1a2b" }),
    region: z.string().nullable(),
    smtp_host: z.string().nullable(),
    smtp_port: z.int().nullable(),
    secure: z.boolean().optional().meta({ description: "SMTP only." }),
    require_tls: z.boolean().optional().meta({ description: "SMTP only." }),
    tls_reject_unauthorized: z.boolean().optional().meta({ description: "SMTP only." }),
    endpoint: z.string().nullable(),
    verification: z.object({ status: z.enum(["unverified", "verified", "failed"]), message: z.string().nullable(), verified_at: nullableTimestamp }),
    health: z.object({
      state: z.enum(["closed", "open", "half_open"]).meta({ description: "The circuit breaker: open skips the connection for a cool-down after repeated transient failures." }),
      consecutive_failures: z.int(),
      opened_at: nullableTimestamp,
      retry_at: nullableTimestamp,
      last_failure_at: nullableTimestamp,
      last_failure_reason: z.string().nullable(),
      last_success_at: nullableTimestamp,
    }),
    events_webhook: z
      .object({
        url: z.string().meta({ description: "Paste it into the provider's event webhook settings (Postmark's carries our Basic credentials, masked except in the answer that generated them)." }),
        last_event_at: nullableTimestamp,
        signing_key_set: z.boolean(),
        sns_topic_arn_set: z.boolean().optional().meta({ description: "AWS SES only." }),
      })
      .nullable()
      .meta({ description: "null for SMTP, which has no event webhook." }),
    created_at: timestamp,
    updated_at: timestamp,
  })
  .meta({ id: "ProviderConnection" });

export const verifyResponse = z
  .object({ verification: verificationResult })
  .meta({ id: "ConnectionVerification", example: { verification: { status: "verified", message: "API key is valid" } } });
