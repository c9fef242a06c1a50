import { DB_NOW, getDb, Prisma, type Email } from "../../db";
import { uuidv7 } from "../../lib/ids";
import { isTestKey, type Principal } from "../auth/authenticate-request";
import type { DeferredAuth } from "../auth/deferred-auth";
import { sendingDomainNames, type SendingDomain } from "../domains/sending-domain-warnings";
import { unsubscribeUrl } from "../unsubscribe/token";
import type { CheckedSend } from "./check-send-targets";
import { sealProviderOverrides } from "./provider-override-storage";
import { overridesSetListUnsubscribe } from "./provider-overrides";
import { LIST_UNSUBSCRIBE_HEADERS, type SendEmailInput } from "./schemas";

export const IDEMPOTENCY_WINDOW_MS = 24 * 60 * 60 * 1000;

export interface QueuedEmail {
  email: Email;
  /** True when an earlier email with the same idempotency key was returned instead of a new one. */
  replayed: boolean;
  /**
   * The sender's nearest registered domain (null: none), read by the insert itself; undefined for a replay,
   * whose answer reads it separately (sendingDomainWarnings).
   */
  sendingDomain?: SendingDomain | null;
}

export interface QueueOptions {
  /** The app's public origin (APP_URL, else the request's): where one-click unsubscribe links point. */
  baseUrl: string;
  /**
   * The job runs that deliver an email, stored in the same statement as the email, for emails stored (not
   * for replays): the local engine's runs (accept-email.ts). Without it, the caller emits the events after.
   */
  jobRuns?: (email: { id: string; scheduledAt: Date | null }) => JobRunRow[];
  /**
   * The request's authentication when it is deferred (deferred-auth.ts): a single email's insert carries it
   * and stores nothing unless the key is admitted; otherwise it is settled before anything is written.
   */
  auth?: DeferredAuth;
}

/** A JobRun row as the local engine's planner makes it (server/jobs/engine/registry.ts NewRun). */
export interface JobRunRow {
  functionId: string;
  event: { name: string };
  concurrencyKey: string | null;
  idempotencyKey: string;
}

/** One email: see queueEmails. */
export async function queueEmail(tenantId: string, principal: Principal, input: CheckedSend, options: QueueOptions): Promise<QueuedEmail> {
  const [queued] = await queueEmails(tenantId, principal, [input], options);
  return queued!;
}

/**
 * Stores the emails as queued, each with its `queued` event, in ONE statement (a batch costs one round trip
 * like a single send), and answers in input order. The same idempotency key within 24 h returns the original
 * email — also when requests race, and between items of one batch, through the unique (tenant, test, key)
 * index. Keys are scoped per mode: a test send never answers a live send with the same key, nor the reverse.
 */
export async function queueEmails(tenantId: string, principal: Principal, inputs: CheckedSend[], options: QueueOptions): Promise<QueuedEmail[]> {
  const items = inputs.map((input) => ({ input, id: uuidv7(), key: idempotencyKeyOf(input), scheduledAt: input.scheduled_at ? new Date(input.scheduled_at) : null }));
  const results = new Map<string, QueuedEmail>();
  for (const stored of await insertEmails(tenantId, principal, items, options)) results.set(stored.email.id, { ...stored, replayed: false });
  let conflicted = items.filter((item) => !results.has(item.id));
  if (conflicted.length > 0) {
    const expired = await findOriginals(tenantId, principal, conflicted, results);
    conflicted = conflicted.filter((item) => !results.has(item.id));
    if (conflicted.length > 0) {
      // Their keys are older than 24 h, hence free again: release them from the old emails, then store the new ones.
      const db = await getDb();
      await db.email.updateMany({ where: { tenantId, test: isTestKey(principal), id: { in: expired } }, data: { idempotencyKey: null } });
      // The same ids again: none of them was stored.
      for (const stored of await insertEmails(tenantId, principal, conflicted, options)) results.set(stored.email.id, { ...stored, replayed: false });
      // A request racing this one stored the key first: its email is the original.
      await findOriginals(tenantId, principal, conflicted.filter((item) => !results.has(item.id)), results);
    }
  }
  return items.map((item) => {
    const queued = results.get(item.id);
    if (!queued) throw new Error(`email ${item.id} was neither stored nor found under its idempotency key`);
    return queued;
  });
}

interface PendingEmail {
  input: CheckedSend;
  id: string;
  key: string | undefined;
  scheduledAt: Date | null;
}

function idempotencyKeyOf(input: SendEmailInput): string | undefined {
  return typeof input.metadata.idempotency_key === "string" ? input.metadata.idempotency_key : undefined;
}

/**
 * For items whose key was taken: the email holding it, as a replay under the item's id, when it is younger
 * than the window. Returns the ids of the emails holding expired keys.
 */
async function findOriginals(tenantId: string, principal: Principal, items: PendingEmail[], results: Map<string, QueuedEmail>): Promise<string[]> {
  const keys = [...new Set(items.map((item) => item.key).filter((key): key is string => key !== undefined))];
  if (keys.length === 0) return [];
  const db = await getDb();
  const holders = await db.email.findMany({ where: { tenantId, test: isTestKey(principal), idempotencyKey: { in: keys } } });
  const byKey = new Map(holders.map((email) => [email.idempotencyKey, email]));
  const expired: string[] = [];
  for (const item of items) {
    const holder = byKey.get(item.key!);
    if (!holder) continue;
    if (holder.createdAt.getTime() > Date.now() - IDEMPOTENCY_WINDOW_MS) results.set(item.id, { email: holder, replayed: true });
    else expired.push(holder.id);
  }
  return expired;
}

/**
 * The emails, their `queued` events and (with `jobRuns`) the runs that deliver them in ONE statement
 * (data-modifying CTE): atomic without a transaction's BEGIN/COMMIT round trips, on the hottest path of the API.
 * An item whose idempotency key is taken is left out (ON CONFLICT DO NOTHING), and so are its event and run.
 * The same statement reads each stored email's sender's nearest registered domain (for the 202's warnings).
 */
async function insertEmails(tenantId: string, principal: Principal, items: PendingEmail[], options: QueueOptions): Promise<{ email: Email; sendingDomain: SendingDomain | null }[]> {
  if (items.length === 0) return [];
  const gate = options.auth && !options.auth.settled && items.length === 1 ? options.auth.sql() : undefined;
  if (!gate) await options.auth?.confirm();
  const db = await getDb();
  const now = new Date();
  const apiKeyId = principal.kind === "api_key" ? principal.apiKeyId : null;
  const test = isTestKey(principal);
  const values = items.map(({ input, id, key, scheduledAt }) => {
    const unsubscribe = unsubscribeLink(tenantId, id, input, options);
    // An SMTP config override's auth is sealed into its own column, which the status trigger erases.
    const overrides = input.provider_overrides ? sealProviderOverrides(id, input.provider_overrides) : null;
    return Prisma.sql`${id}::uuid, ${tenantId}::uuid, ${apiKeyId}::uuid, ${test}, ${input.from_email}, ${input.from_name ?? null},
      ${input.to_email}, ${input.to_name ?? null}, ${input.reply_to ?? null}, ${input.subject}, ${input.html_body ?? null}, ${input.text_body ?? null},
      ${input.tags}::text[], ${JSON.stringify(input.metadata)}::jsonb, ${JSON.stringify(input.headers)}::jsonb, ${JSON.stringify(input.attachments)}::jsonb,
      ${key ?? null}, 'queued'::"EmailStatus", 0, ${scheduledAt}::timestamp, ${unsubscribe},
      ${overrides ? JSON.stringify(overrides.overrides) : null}::jsonb, ${overrides?.sealedAuth ?? null}, ${input.routingConnectionIds}::uuid[],
      ${now}, ${now}, ${now}`;
  });
  // The queued event of a scheduled email says until when it is held.
  const eventData = items.map(({ scheduledAt }) => JSON.stringify(scheduledAt ? { scheduled_at: scheduledAt.toISOString() } : {}));
  const runs = options.jobRuns ? jobRunsCte(items, options.jobRuns, now) : Prisma.empty;
  // Each sender's domain and parents, space-separated (names hold no spaces), for the nearest-domain lookup.
  const senderNames = items.map(({ input }) => sendingDomainNames(input.from_email).join(" "));
  // Gated: the one row is inserted only if the deferred authentication's CTEs admit the key (a SELECT with a
  // WHERE instead of VALUES; the target columns still type its parameters).
  const source = gate ? Prisma.sql`SELECT ${values[0]!} WHERE ${gate.admits}` : Prisma.sql`VALUES ${Prisma.join(values.map((v) => Prisma.sql`(${v})`))}`;
  const stored = Prisma.sql`
    SELECT e.*, (
      SELECT json_build_object('name', d."name", 'status', d."status"::text) FROM "Domain" d
      WHERE d."tenantId" = e."tenantId" AND d."name" = ANY(string_to_array(n."names", ' '))
      ORDER BY length(d."name") DESC LIMIT 1
    ) AS "__sendingDomain"
    FROM e JOIN unnest(${items.map((item) => item.id)}::uuid[], ${senderNames}::text[]) AS n("emailId", "names") ON n."emailId" = e."id"`;
  const rows = await db.$queryRaw<StoredRow[]>(Prisma.sql`
    WITH ${gate ? Prisma.sql`${gate.ctes},` : Prisma.empty} e AS (
      INSERT INTO "Email" ("id", "tenantId", "apiKeyId", "test", "fromEmail", "fromName", "toEmail", "toName", "replyTo", "subject",
        "htmlBody", "textBody", "tags", "metadata", "headers", "attachments", "idempotencyKey", "status", "attempts",
        "scheduledAt", "unsubscribeUrl", "providerOverrides", "providerOverrideAuth", "routingConnectionIds", "queuedAt", "createdAt", "updatedAt")
      ${source}
      ON CONFLICT ("tenantId", "test", "idempotencyKey") DO NOTHING
      RETURNING *
    ), ev AS (
      INSERT INTO "EmailEvent" ("id", "tenantId", "emailId", "type", "occurredAt", "data")
      SELECT m."eventId", e."tenantId", e."id", 'queued', ${now}, m."data"::jsonb
      FROM e JOIN unnest(${items.map((item) => item.id)}::uuid[], ${items.map(() => uuidv7(now.getTime()))}::uuid[], ${eventData}::text[]) AS m("emailId", "eventId", "data")
        ON m."emailId" = e."id"
    )${runs}
    ${gate ? Prisma.sql`SELECT ${gate.outcome}, s.* FROM (SELECT 1) AS one LEFT JOIN (${stored}) AS s ON true` : stored}`);
  // Gated, the statement answers one row even when it stored nothing: the authentication's outcome.
  if (gate) options.auth!.settle(rows[0]);
  return rows.filter((row) => row.id !== null).map(storedEmail);
}

type StoredRow = Email & { __sendingDomain: SendingDomain | null; __authorized?: boolean; __count?: number | null };

function storedEmail({ __sendingDomain, ...row }: StoredRow): { email: Email; sendingDomain: SendingDomain | null } {
  delete row.__authorized;
  delete row.__count;
  return { email: row, sendingDomain: __sendingDomain };
}

/**
 * The emails' job runs as one more CTE of the insert: joined on the emails stored, so an idempotent replay
 * starts nothing, and ON CONFLICT DO NOTHING on the run's idempotency key as the engine's own insert does.
 */
function jobRunsCte(items: PendingEmail[], jobRuns: NonNullable<QueueOptions["jobRuns"]>, now: Date): Prisma.Sql {
  const rows = items.flatMap(({ id, scheduledAt }) => jobRuns({ id, scheduledAt }).map((run) => ({ emailId: id, run })));
  if (rows.length === 0) return Prisma.empty;
  return Prisma.sql`, jr AS (
      INSERT INTO "JobRun" ("id", "functionId", "eventName", "event", "runAt", "concurrencyKey", "idempotencyKey", "updatedAt")
      SELECT r."id", r."functionId", r."eventName", r."event"::jsonb, ${DB_NOW}, r."concurrencyKey", r."idempotencyKey", ${DB_NOW}
      FROM e JOIN unnest(${rows.map((r) => r.emailId)}::uuid[], ${rows.map(() => uuidv7(now.getTime()))}::uuid[], ${rows.map((r) => r.run.functionId)}::text[],
        ${rows.map((r) => r.run.event.name)}::text[], ${rows.map((r) => JSON.stringify(r.run.event))}::text[], ${rows.map((r) => r.run.concurrencyKey)}::text[],
        ${rows.map((r) => r.run.idempotencyKey)}::text[]) AS r("emailId", "id", "functionId", "eventName", "event", "concurrencyKey", "idempotencyKey")
        ON r."emailId" = e."id"
      ON CONFLICT DO NOTHING
    )`;
}

/**
 * The email's List-Unsubscribe link, as SQL: when the send asked for one, or said nothing and the account's
 * default is on — read inside the insert, so the default costs no round trip. A send that sets its own
 * List-Unsubscribe header without asking keeps it, whatever the default.
 */
function unsubscribeLink(tenantId: string, emailId: string, input: SendEmailInput, options: QueueOptions): Prisma.Sql {
  const ownHeader = Object.keys(input.headers).some((name) => LIST_UNSUBSCRIBE_HEADERS.has(name.toLowerCase())) || overridesSetListUnsubscribe(input.provider_overrides);
  const asked = input.unsubscribe ?? (ownHeader ? false : null);
  if (asked === false) return Prisma.sql`NULL`;
  const url = unsubscribeUrl(options.baseUrl, { tenantId, emailId, recipient: input.to_email });
  if (asked === true) return Prisma.sql`${url}`;
  return Prisma.sql`(SELECT CASE WHEN t."unsubscribeByDefault" THEN ${url}::text END FROM "Tenant" t WHERE t."id" = ${tenantId}::uuid)`;
}
