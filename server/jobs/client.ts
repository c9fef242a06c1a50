/**
 * The one Inngest client. With INNGEST_EVENT_KEY + INNGEST_SIGNING_KEY it talks to Inngest Cloud (or a
 * self-hosted server at INNGEST_BASE_URL). Otherwise the in-app local engine plays the server: the SDK
 * still runs in cloud mode with a locally generated signing key, and sent events reach the engine
 * in-process. Code that sends events or defines functions cannot tell which engine runs.
 */
import { type ClientOptions, Inngest, type Logger } from "inngest";
import { env, getSecrets, inngestCloud } from "../env";
import { logger } from "../lib/logger";
import { setDeliveryDispatcher } from "../services/events/outbox";
import { localClientOptions } from "./engine/local-client";
import { webhookDeliveryEvent } from "./events";

export const APP_ID = "courierx";

/** The SDK logs pino-style (`{ err }, "message"`); this turns that into the app's JSON lines. */
const sdkLogger: Logger = {
  debug: (...args) => forward("debug", args),
  info: (...args) => forward("info", args),
  warn: (...args) => forward("warn", args),
  error: (...args) => forward("error", args),
};

function forward(level: "debug" | "info" | "warn" | "error", args: unknown[]): void {
  const words: string[] = [];
  const fields: Record<string, unknown> = { source: "inngest" };
  for (const arg of args) {
    if (typeof arg === "string") words.push(arg);
    else if (arg instanceof Error) fields.error = arg;
    else if (arg !== null && typeof arg === "object") {
      const { err, ...rest } = arg as Record<string, unknown>;
      Object.assign(fields, rest);
      if (err !== undefined) fields.error = err;
    } else if (arg !== undefined) words.push(String(arg));
  }
  logger[level](words.join(" ") || "inngest", fields);
}

export const inngest = new Inngest(inngestCloud ? cloudOptions() : localOptions());

// Every process that can record an email event imports this client, so its new webhook deliveries are
// dispatched at once (the outbox sweep covers a dispatch that is lost).
setDeliveryDispatcher(async (deliveries) => {
  await inngest.send(deliveries.map((d) => webhookDeliveryEvent(d.tenantId, d.endpointId, d.deliveryId)));
});

function cloudOptions(): ClientOptions {
  return {
    id: APP_ID,
    eventKey: env.INNGEST_EVENT_KEY,
    signingKey: env.INNGEST_SIGNING_KEY,
    // Pinned: the SDK would otherwise read INNGEST_DEV itself, and in dev mode /api/inngest runs unsigned calls.
    isDev: false,
    ...(env.INNGEST_SIGNING_KEY_FALLBACK ? { signingKeyFallback: env.INNGEST_SIGNING_KEY_FALLBACK } : {}),
    ...(env.INNGEST_BASE_URL ? { baseUrl: env.INNGEST_BASE_URL } : {}),
    logger: sdkLogger,
  };
}

function localOptions(): ClientOptions {
  const options = localClientOptions({
    id: APP_ID,
    // Read lazily: importing this module (e.g. while Next.js collects routes at build) must not create secrets.
    signingKey: () => getSecrets().localSigningKey,
    receive: async (events) => {
      // Imported on first send: the engine imports the functions, which import this client.
      const { getLocalEngine } = await import("./engine/singleton");
      return (await getLocalEngine().enqueue(events)).ids;
    },
  });
  options.logger = sdkLogger;
  return options;
}
