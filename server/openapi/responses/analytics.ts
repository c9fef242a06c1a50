/** What server/http/presenters/analytics.ts answers. */
import { z } from "zod";
import { METRIC_PERIODS } from "../../services/analytics/schemas";
import { OUTGOING_EVENT_TYPES } from "../../services/events/event-types";

const day = z.iso.date();
const counts = Object.fromEntries(OUTGOING_EVENT_TYPES.map((t) => [t, z.int().min(0)])) as Record<(typeof OUTGOING_EVENT_TYPES)[number], z.ZodInt>;
const rate = z.number().min(0).max(1);

export const metricsResponse = z
  .object({
    period: z.enum(METRIC_PERIODS),
    test: z.boolean().meta({ description: "Whether test-mode emails were counted (always true for a test key)." }),
    from: day,
    to: day,
    totals: z.object(counts).meta({ description: "Emails that had each event for the first time in the period." }),
    rates: z.object({ delivery_rate: rate, bounce_rate: rate, complaint_rate: rate, open_rate: rate, click_rate: rate }),
    daily: z.array(z.object({ date: day, ...counts })).meta({ description: "Every UTC day of the period, zeros included." }),
  })
  .meta({ id: "Metrics" });

export const usageResponse = z
  .object({
    from: day,
    to: day,
    test: z.boolean(),
    days: z.array(
      z.object({
        date: day,
        provider: z.string().nullable().meta({ description: "null: emails that never reached a provider (suppressed, or no connection to try)." }),
        sent: z.int().min(0),
        failed: z.int().min(0),
        delivered: z.int().min(0),
        bounced: z.int().min(0),
      }),
    ),
  })
  .meta({ id: "Usage" });
