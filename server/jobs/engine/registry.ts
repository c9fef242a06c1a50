/**
 * The functions the engine drives, learnt the way Inngest learns them: an in-band sync (`PUT` with
 * `x-inngest-sync-kind: in_band`) against the serve handler, whose answer lists every function with its
 * triggers, retries, idempotency and concurrency. An `onFailure` handler is its own `<id>-failure` entry.
 */
import { z } from "zod";
import { logger } from "../../lib/logger";
import { type CronSchedule, parseCron } from "./cron";
import { compileExpression, conditionHolds, type Expression, keyValue } from "./expressions";
import { type EngineEvent, SCHEDULED_TIMER_EVENT } from "./protocol";
import { LOCAL_SERVE_URL, type ServeEndpoint } from "./serve-endpoint";
import { canonicalJson, signatureHeader } from "./signing";

/** Retries when a function does not say (the SDK's default; set `retries` explicitly on every function). */
const DEFAULT_RETRIES = 3;

const concurrencyEntry = z.object({ limit: z.number(), key: z.string().optional(), scope: z.string().optional() });
const functionConfig = z.looseObject({
  id: z.string(),
  name: z.string().optional(),
  triggers: z.array(z.looseObject({ event: z.string().optional(), expression: z.string().optional(), cron: z.string().optional() })).default([]),
  steps: z.record(z.string(), z.looseObject({ retries: z.object({ attempts: z.number() }).optional() })).default({}),
  idempotency: z.string().optional(),
  concurrency: z.union([z.number(), concurrencyEntry, z.array(concurrencyEntry)]).optional(),
});
const syncAnswer = z.looseObject({ functions: z.array(functionConfig) });

/** Options Inngest honours that the local engine does not; a function using one is served without it. */
const UNSUPPORTED_OPTIONS = ["batchEvents", "rateLimit", "throttle", "debounce", "priority", "cancel", "singleton", "timeouts"];

export interface FunctionDefinition {
  id: string;
  /** Retries + 1. */
  maxAttempts: number;
  eventTriggers: { matches: (name: string) => boolean; condition?: Expression }[];
  crons: CronSchedule[];
  idempotencyKey?: Expression;
  concurrency?: { limit: number; key?: Expression };
}

/** A run to create: one per matching function per event. */
export interface NewRun {
  functionId: string;
  event: EngineEvent;
  concurrencyKey: string | null;
  /** The function's idempotency key, or `event:<id>` so that re-sending an event starts nothing new. */
  idempotencyKey: string;
}

export class FunctionRegistry {
  private readonly byId: ReadonlyMap<string, FunctionDefinition>;

  constructor(definitions: FunctionDefinition[]) {
    this.byId = new Map(definitions.map((d) => [d.id, d]));
  }

  get(functionId: string): FunctionDefinition | undefined {
    return this.byId.get(functionId);
  }

  functionIds(): string[] {
    return [...this.byId.keys()];
  }

  /** `[{ f, n }]`: the per-function concurrency limits the claim query enforces. */
  concurrencyLimits(): { f: string; n: number }[] {
    return [...this.byId.values()].flatMap((d) => (d.concurrency ? [{ f: d.id, n: d.concurrency.limit }] : []));
  }

  cronFunctions(): FunctionDefinition[] {
    return [...this.byId.values()].filter((d) => d.crons.length > 0);
  }

  runsForEvent(event: EngineEvent): NewRun[] {
    const runs: NewRun[] = [];
    const vars = { event };
    for (const definition of this.byId.values()) {
      const triggered = definition.eventTriggers.some((t) => t.matches(event.name) && (!t.condition || conditionHolds(t.condition, vars)));
      if (triggered) runs.push(this.newRun(definition, event));
    }
    return runs;
  }

  /** A cron tick: the scheduled-timer event goes to that one function, not through trigger matching. */
  runForCronTick(functionId: string, cron: string, tickMs: number): NewRun | undefined {
    const definition = this.byId.get(functionId);
    if (!definition) return undefined;
    const tick = new Date(tickMs).toISOString();
    // The id is the same in every worker, so two workers ticking the same minute create one run.
    const event: EngineEvent = { id: `cron:${functionId}:${tick}`, name: SCHEDULED_TIMER_EVENT, data: { cron }, ts: tickMs };
    return this.newRun(definition, event);
  }

  private newRun(definition: FunctionDefinition, event: EngineEvent): NewRun {
    const vars = { event };
    const idempotency = definition.idempotencyKey ? keyValue(definition.idempotencyKey(vars)) : null;
    const concurrencyKey = definition.concurrency?.key ? keyValue(definition.concurrency.key(vars)) : null;
    return { functionId: definition.id, event, concurrencyKey, idempotencyKey: idempotency ?? `event:${event.id}` };
  }
}

/** Asks the serve handler for its functions. Throws if the handler refuses or a config is outside what the engine supports. */
export async function syncFunctions(endpoint: ServeEndpoint, signingKey: string): Promise<FunctionRegistry> {
  const body = canonicalJson({ url: LOCAL_SERVE_URL });
  const response = await endpoint.PUT(
    new Request(LOCAL_SERVE_URL, {
      method: "PUT",
      headers: { "content-type": "application/json", "x-inngest-sync-kind": "in_band", "x-inngest-signature": signatureHeader(body, signingKey) },
      body,
    }),
  );
  const text = await response.text();
  if (response.status !== 200) throw new Error(`in-band sync answered ${response.status}: ${text.slice(0, 500)}`);
  const answer = syncAnswer.parse(JSON.parse(text));
  return new FunctionRegistry(answer.functions.map(toDefinition));
}

function toDefinition(config: z.infer<typeof functionConfig>): FunctionDefinition {
  const where = `function ${config.id}`;
  const unsupported = UNSUPPORTED_OPTIONS.filter((option) => config[option] !== undefined && config[option] !== null);
  if (unsupported.length > 0) logger.warn("the local engine ignores some function options", { functionId: config.id, options: unsupported });

  const retries = config.steps.step?.retries?.attempts ?? DEFAULT_RETRIES;
  const eventTriggers = config.triggers
    .filter((t) => t.event !== undefined)
    .map((t) => ({ matches: eventNameMatcher(t.event!), ...(t.expression ? { condition: compileIn(where, t.expression) } : {}) }));
  const crons = config.triggers.filter((t) => t.cron !== undefined).map((t) => parseCron(t.cron!));
  const concurrency = toConcurrency(config.id, config.concurrency);
  return {
    id: config.id,
    maxAttempts: retries + 1,
    eventTriggers,
    crons,
    ...(config.idempotency ? { idempotencyKey: compileIn(where, config.idempotency) } : {}),
    ...(concurrency ? { concurrency: { limit: concurrency.limit, ...(concurrency.key ? { key: compileIn(where, concurrency.key) } : {}) } } : {}),
  };
}

function toConcurrency(functionId: string, option: z.infer<typeof functionConfig>["concurrency"]): { limit: number; key?: string } | undefined {
  if (option === undefined) return undefined;
  const entries = typeof option === "number" ? [{ limit: option }] : Array.isArray(option) ? option : [option];
  // Inngest treats a limit of 0 as "no limit of our own".
  const limited = entries.filter((e) => e.limit > 0);
  const first = limited[0];
  if (!first) return undefined;
  if (limited.length > 1 || (first.scope !== undefined && first.scope !== "fn")) {
    logger.warn("the local engine enforces only the first concurrency limit, per function", { functionId });
  }
  return { limit: first.limit, ...(first.key ? { key: first.key } : {}) };
}

/** Exact names, or a trailing `*` wildcard (`app/*`). */
function eventNameMatcher(pattern: string): (name: string) => boolean {
  if (pattern.endsWith("*")) {
    const prefix = pattern.slice(0, -1);
    return (name) => name.startsWith(prefix);
  }
  return (name) => name === pattern;
}

function compileIn(where: string, source: string): Expression {
  try {
    return compileExpression(source);
  } catch (error) {
    throw new Error(`${where}: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
  }
}
