// The outbox dispatcher is registered by the jobs client: events recorded here request their outgoing
// webhook deliveries at once in this bundle too.
import "@/server/jobs/client";
import { jsonResponse } from "@/server/http/api-route";
import { readRawBody } from "@/server/http/body";
import { methods } from "@/server/http/methods";
import { isAppError } from "@/server/lib/errors";
import { logger } from "@/server/lib/logger";
import { isEventProvider, receiveProviderWebhook } from "@/server/services/provider-events/receive-provider-webhook";
import { isWebhookRefusal, type WebhookRefusal } from "@/server/services/provider-events/shared";

export const dynamic = "force-dynamic";

/** Far above any provider's batch; a body this large is refused before it is read. */
const MAX_BODY_BYTES = 1024 * 1024;
/** Providers post their whole body at once; one that trickles is not a provider. */
const BODY_DEADLINE_MS = 15_000;

const REFUSED: Record<WebhookRefusal["kind"], [number, string]> = {
  unauthorized: [401, "Unauthorized"],
  malformed: [400, "Unreadable event payload"],
  too_large: [413, "Payload too large"],
  upstream: [502, "Could not complete the provider's request"],
};

export const { GET, HEAD, OPTIONS, POST, PUT, PATCH, DELETE } = methods({
  // POST /api/webhooks/:provider/:connectionId — a provider's event webhook: verified its own way, then recorded
  POST: async (req, ctx) => {
    const params = await ctx.params;
    const provider = String(params.provider);
    const connectionId = String(params.connectionId).slice(0, 64);
    if (!isEventProvider(provider)) return jsonResponse(req, 404, { error: "Not found" });
    try {
      const rawBody = await readRawBody(req, MAX_BODY_BYTES, BODY_DEADLINE_MS);
      const result = await receiveProviderWebhook(provider, connectionId, { rawBody, headers: req.headers, now: new Date() });
      if (result.outcome === "not_found") return jsonResponse(req, 404, { error: "Not found" });
      const { recorded, duplicates, unknownEmail } = result;
      return jsonResponse(req, 200, { received: true, recorded, duplicates, unknown_email: unknownEmail });
    } catch (error) {
      if (isWebhookRefusal(error)) {
        logger.warn("provider webhook refused", { provider, connectionId, kind: error.kind, reason: error.reason });
        const [status, message] = REFUSED[error.kind];
        return jsonResponse(req, status, { error: message });
      }
      if (isAppError(error) && error.code === "payload_too_large") return jsonResponse(req, 413, { error: "Payload too large" });
      if (isAppError(error) && error.code === "request_timeout") return jsonResponse(req, 408, { error: "Request timeout" });
      logger.error("provider webhook failed", { provider, connectionId, error });
      return jsonResponse(req, 500, { error: "Internal server error" });
    }
  },
});
