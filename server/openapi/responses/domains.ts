/** What server/http/presenters/domains.ts answers. */
import { z } from "zod";
import { PROVIDER_NAMES } from "../../providers/types";
import { id, nullableTimestamp } from "./common";

const lookup = z.enum(["found", "missing", "multiple", "dns_error"]);

const spf = z.object({
  host: z.string(),
  result: lookup,
  record: z.string().nullable(),
  message: z.string(),
  providers: z.array(z.object({ provider: z.enum(PROVIDER_NAMES), include: z.string().nullable(), host: z.string().nullable(), found: z.boolean().nullable(), message: z.string() })),
});

const dmarc = z.object({ host: z.string(), result: lookup, record: z.string().nullable(), policy: z.string().nullable(), inherited: z.boolean(), message: z.string() });

const dkim = z.object({
  provider: z.enum(PROVIDER_NAMES),
  selector: z.string().nullable(),
  host: z.string().nullable(),
  found: z.boolean().nullable(),
  record_type: z.enum(["CNAME", "TXT"]).nullable(),
  message: z.string(),
});

export const domainResponse = z
  .object({
    id,
    domain: z.string(),
    status: z.enum(["pending", "verified", "failed"]),
    verification_token: z.string(),
    dns_record: z.object({ type: z.literal("TXT"), host: z.string(), value: z.string() }).meta({ description: "The record to publish to prove ownership." }),
    verified_at: nullableTimestamp,
    last_checked_at: nullableTimestamp,
    created_at: nullableTimestamp,
    verification_result: z.enum(["found", "missing", "mismatch", "dns_error"]).nullable().meta({ description: "The last verification's answer; null before the first." }),
    txt_records: z.array(z.string()).meta({ description: "The TXT values found at `_courierx.<domain>`." }),
    message: z.string().nullable(),
    spf: spf.nullable().meta({ description: "null until the token is found: SPF, DMARC and DKIM are looked up only then." }),
    dmarc: dmarc.nullable(),
    dkim: z.array(dkim).nullable(),
  })
  .meta({
    id: "Domain",
    example: {
      id: "0195b9f0-5c4a-7f3e-9a1b-2c3d4e5f6a80",
      domain: "mail.yourapp.com",
      status: "pending",
      verification_token: "dns_abc123…",
      dns_record: { type: "TXT", host: "_courierx.mail.yourapp.com", value: "dns_abc123…" },
      verified_at: null,
      last_checked_at: null,
      created_at: "2026-03-22T10:30:00.000Z",
      verification_result: null,
      txt_records: [],
      message: null,
      spf: null,
      dmarc: null,
      dkim: null,
    },
  });
