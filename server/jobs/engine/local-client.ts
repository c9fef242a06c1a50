/**
 * Inngest client options for running without an Inngest server. The SDK stays in cloud mode (not dev)
 * with a local signing key, so the serve handler verifies every call's signature exactly as in
 * production; and its HTTP calls to "Inngest" go to a custom fetch that hands sent events to the local
 * engine in-process, answers the SDK's step checkpoints in-process (checkpoints.ts), and refuses everything
 * else. `inngest.send()` and `step.sendEvent()` therefore work unchanged: the calling code cannot tell
 * which engine runs.
 */
import type { ClientOptions, Inngest } from "inngest";
import { answerCheckpoint, isCheckpointPath } from "./checkpoints";
import type { EngineEvent } from "./protocol";

/** Never resolvable (RFC 6761 `.invalid`): if anything bypassed the custom fetch, it fails at once. */
export const LOCAL_INNGEST_ORIGIN = "http://courierx-local-engine.invalid/";
/** The SDK refuses to send events in cloud mode without an event key; the local engine checks none. */
const LOCAL_EVENT_KEY = "local";

/** Receives the events of one `send()` (already normalized by the SDK) and returns their ids. */
export type EventReceiver = (events: unknown[]) => Promise<string[]>;

export interface LocalClientOptions {
  id: string;
  /** Read at every call, so the key can come from secrets loaded after the client is built. */
  signingKey: () => string;
  receive: EventReceiver;
}

/** Pass the result to `new Inngest()` as it is: spreading it would read the signing key getter too early. */
export function localClientOptions(options: LocalClientOptions): ClientOptions {
  return {
    id: options.id,
    isDev: false,
    eventKey: LOCAL_EVENT_KEY,
    baseUrl: LOCAL_INNGEST_ORIGIN,
    // Async checkpointing, answered in-process (checkpoints.ts): the engine's discovery calls carry ctx.fn_id,
    // and the SDK stores each step through the local fetch and goes on in the same call. One step per
    // checkpoint: every step is durable before the function moves past it.
    checkpointing: { bufferedSteps: 1, maxInterval: 0 },
    fetch: localFetch(options.receive),
    // A getter: the SDK reads `options.signingKey` on every request, and the secret may be generated
    // (embedded mode) only after this module is imported.
    get signingKey() {
      return options.signingKey();
    },
  };
}

/**
 * Whether the client was built by localClientOptions: its calls to "Inngest" reach the local fetch, which
 * answers checkpoints in-process. A client pointed anywhere else is never asked to checkpoint by the engine.
 */
export function answersCheckpoints(client: Inngest.Any): boolean {
  return (client as unknown as { options?: ClientOptions }).options?.baseUrl === LOCAL_INNGEST_ORIGIN;
}

function localFetch(receive: EventReceiver): typeof fetch {
  return async (input, init) => {
    const request = new Request(input, init);
    const url = new URL(request.url);
    if (request.method === "POST" && isCheckpointPath(url.pathname)) {
      const body: unknown = await request.json().catch(() => null);
      return answerCheckpoint(body);
    }
    if (request.method === "POST" && url.pathname.startsWith("/e/")) {
      try {
        const events: unknown = await request.json();
        const ids = await receive(Array.isArray(events) ? events : [events]);
        return Response.json({ ids, status: 200 });
      } catch (error) {
        // The SDK retries a failed send with backoff, then throws to the caller (who may retry later).
        const message = error instanceof Error ? error.message : String(error);
        return Response.json({ ids: [], status: 500, error: `local engine could not store the events: ${message}` }, { status: 500 });
      }
    }
    return Response.json(
      { error: `${url.pathname} is an Inngest Cloud API; the local engine only receives events (set INNGEST_EVENT_KEY and INNGEST_SIGNING_KEY to use Inngest Cloud)` },
      { status: 501 },
    );
  };
}

/** Validates one received event and fills what the SDK may leave out (id, data, ts). */
export function toEngineEvent(value: unknown, newId: () => string, nowMs: number): EngineEvent {
  if (value === null || typeof value !== "object") throw new Error("an event must be an object");
  const event = value as Record<string, unknown>;
  if (typeof event.name !== "string" || event.name === "") throw new Error("an event needs a name");
  const data = event.data === undefined || event.data === null ? {} : event.data;
  if (typeof data !== "object" || Array.isArray(data)) throw new Error(`event ${event.name}: data must be an object`);
  return {
    ...event,
    id: typeof event.id === "string" && event.id !== "" ? event.id : newId(),
    name: event.name,
    data: data as Record<string, unknown>,
    ts: typeof event.ts === "number" ? event.ts : nowMs,
  };
}
