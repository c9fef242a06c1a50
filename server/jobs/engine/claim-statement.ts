/**
 * The claim: one statement that leases up to `batch` due runs, fair across concurrency keys, at a cost
 * bounded by the batch and a fixed read budget — not by how many keys have queued runs.
 *
 * Which keys it considers, per function:
 * - **A walk of the key space** from a rotating cursor (where this worker's previous claim stopped),
 *   wrapping around once. Each step reads the next entries of (functionId, status, concurrencyKey, runAt)
 *   past the last key seen — one index descent, then a leaf scan —, keeps the keys with a due entry (a key's
 *   entries are sorted by `runAt`, so its first entry says whether it is due), and jumps past the last key
 *   it read. Steps start at WALK_MIN_ROWS entries and double while each entry is another key (a stretch of
 *   sleeping keys: backoff, `step.sleep`, a later `runAt`), shrinking again after a key with many entries
 *   (a backlog, jumped over whatever its size). The walk stops once it has a batch of keys with free
 *   slots, after reading 512 entries per run asked for (16,384 for a batch of 32), or back at the cursor.
 * - **The oldest and the newest due runs** (`EDGE_ROWS` entries at each end of the due part of (status,
 *   runAt)): the longest-waiting run, and a run that has just become due (a fresh send, a retry whose time
 *   came), are found even when more sleeping keys than the walk's budget lie between the cursor and their key.
 * - **The NULL key** (functions without a concurrency key): one probe.
 *
 * Each of those keys then offers its oldest due runs, at most its free slots (the limit minus runs under a
 * live lease); they are locked one by one (SKIP LOCKED) in round-robin order — every key's first run before
 * any key's second, keys in walk order — until the batch is full. So a key's backlog delays another key's
 * due run by at most one batch whenever the walk reaches that key (always, when fewer sleeping keys than
 * the read budget lie in the way; a fresh run also through the newest edge), and the rotating cursor
 * serves every key with due runs within a few claims otherwise.
 *
 * The statement also returns where each function's walk should resume: after the last key served in the
 * first round when the batch ran out there, else where the walk stopped.
 */
import { DB_NOW, milliseconds, Prisma } from "../../db";
import type { EngineEvent } from "./protocol";
import type { PendingStep } from "./run-types";

/** Index entries one step of the walk reads: twice the distinct keys the step before saw, within these. */
const WALK_MIN_ROWS = 16;
const WALK_MAX_ROWS = 2_048;
/** Entries the walk may read per run asked for: 16,384 for a batch of 32, never fewer than 1,024. */
const WALK_ROWS_PER_RUN = 512;
const WALK_MIN_BUDGET = 1_024;
/** A bound on steps whatever their size (each step costs a descent of the index). */
const WALK_MAX_STEPS = 64;
/** Due runs (of any key) looked at besides the walk, at each end of (status, runAt): the oldest and the newest. */
const EDGE_ROWS = 64;

export interface ClaimRow {
  id: string;
  functionId: string;
  event: EngineEvent;
  attempt: number;
  infraFailures: number;
  stack: string[] | null;
  pendingSteps: PendingStep[];
  disableImmediateExecution: boolean;
}

/** Where a function's key walk resumes: after key `k`, or at the first key when null. */
export interface ClaimCursor {
  f: string;
  k: string | null;
}

export interface ClaimResult {
  runs: ClaimRow[] | null;
  cursors: ClaimCursor[] | null;
}

export interface ClaimInput {
  batch: number;
  functionIds: string[];
  limits: { f: string; n: number }[];
  cursors: ClaimCursor[];
  lease: string;
  leaseMs: number;
}

export function claimStatement({ batch, functionIds, limits, cursors, lease, leaseMs }: ClaimInput): Prisma.Sql {
  return Prisma.sql`
    WITH RECURSIVE fns AS (
      SELECT u.f, c.k AS cursor
      FROM unnest(${functionIds}::text[]) AS u(f)
      LEFT JOIN jsonb_to_recordset(${JSON.stringify(cursors)}::jsonb) AS c(f text, k text) ON c.f = u.f
    ), lim AS (
      SELECT l.f AS "functionId", l.n AS lim FROM jsonb_to_recordset(${JSON.stringify(limits)}::jsonb) AS l(f text, n int)
    ), busy AS (
      SELECT r."functionId", r."concurrencyKey", count(*)::int AS n
      FROM "JobRun" r JOIN lim USING ("functionId")
      WHERE r.status = 'running' AND r."leaseUntil" > ${DB_NOW}
      GROUP BY 1, 2
    ), full_keys AS (
      SELECT b."functionId" AS f, b."concurrencyKey" AS k FROM busy b JOIN lim l USING ("functionId") WHERE b.n >= l.lim
    ), walk (f, cursor, lo, lo_t, wrapped, step, size, reads, found, done, due) AS (
      -- Past the cursor: entries after (lo, lo_t), i.e. after every entry of key lo; from the first key: ('', -infinity).
      SELECT f, cursor, coalesce(cursor, ''), CASE WHEN cursor IS NULL THEN '-infinity'::timestamp ELSE 'infinity'::timestamp END,
             cursor IS NULL, 0, ${WALK_MIN_ROWS}::int, 0::bigint, 0, false, '{}'::text[]
      FROM fns
      UNION ALL
      SELECT w.f, w.cursor,
             -- Where the next step starts: past the chunk, or past the last key kept when the batch needs no more.
             CASE WHEN c.n = 0 THEN '' WHEN cardinality(d.keys) < a.open THEN d.keys[cardinality(d.keys)] ELSE c.last END,
             CASE WHEN c.n = 0 THEN '-infinity'::timestamp ELSE 'infinity'::timestamp END,
             w.wrapped OR c.n = 0,
             w.step + 1,
             least(${WALK_MAX_ROWS}::int, greatest(${WALK_MIN_ROWS}::int, 2 * c.keys))::int,
             w.reads + c.n,
             w.found + cardinality(d.keys),
             -- Back at the cursor (or at the end, having started from the first key): every key was seen.
             w.wrapped AND (c.n = 0 OR coalesce(c.last >= w.cursor, false)),
             d.keys
      FROM walk w
      CROSS JOIN LATERAL (
        SELECT count(*) AS n, count(DISTINCT x.k)::int AS keys, max(x.k) AS last,
               array_agg(DISTINCT x.k ORDER BY x.k) FILTER (WHERE x."runAt" <= ${DB_NOW} AND (NOT w.wrapped OR w.cursor IS NULL OR x.k <= w.cursor)) AS due
        FROM (
          SELECT r."concurrencyKey" AS k, r."runAt" FROM "JobRun" r
          WHERE r."functionId" = w.f AND r.status = 'queued' AND (r."concurrencyKey", r."runAt") > (w.lo, w.lo_t)
          ORDER BY r."concurrencyKey", r."runAt" LIMIT w.size
        ) x
      ) c
      CROSS JOIN LATERAL (
        SELECT ARRAY(
          SELECT u.k FROM unnest(coalesce(c.due, '{}'::text[])) WITH ORDINALITY AS u(k, o)
          WHERE NOT EXISTS (SELECT 1 FROM full_keys fk WHERE fk.f = w.f AND fk.k = u.k)
          ORDER BY u.o) AS keys
      ) due_open
      -- The due keys with a free slot, no more than the batch still needs.
      CROSS JOIN LATERAL (SELECT cardinality(due_open.keys) AS open) a
      CROSS JOIN LATERAL (SELECT due_open.keys[1:${batch}::int - w.found] AS keys) d
      WHERE NOT w.done AND w.step < ${WALK_MAX_STEPS} AND w.found < ${batch}::int AND w.reads < ${Math.max(WALK_MIN_BUDGET, WALK_ROWS_PER_RUN * batch)}
    ), walked AS (
      SELECT w.f, u.k, row_number() OVER (PARTITION BY w.f ORDER BY w.step, u.o) AS p
      FROM walk w CROSS JOIN LATERAL unnest(w.due) WITH ORDINALITY AS u(k, o)
    ), edges AS (
      SELECT o.f, o.k, min(o."runAt") AS first
      FROM (
        (SELECT r."functionId" AS f, r."concurrencyKey" AS k, r."runAt" FROM "JobRun" r
         WHERE r.status = 'queued' AND r."runAt" <= ${DB_NOW} ORDER BY r."runAt" LIMIT ${EDGE_ROWS})
        UNION ALL
        (SELECT r."functionId" AS f, r."concurrencyKey" AS k, r."runAt" FROM "JobRun" r
         WHERE r.status = 'queued' AND r."runAt" <= ${DB_NOW} ORDER BY r."runAt" DESC LIMIT ${EDGE_ROWS})
      ) o
      JOIN fns USING (f)
      WHERE o.k IS NOT NULL
        AND NOT EXISTS (SELECT 1 FROM walked w WHERE w.f = o.f AND w.k = o.k)
        AND NOT EXISTS (SELECT 1 FROM full_keys fk WHERE fk.f = o.f AND fk.k = o.k)
      GROUP BY 1, 2
    ), keys AS (
      SELECT f, k, p, true AS walked FROM walked
      UNION ALL
      -- After every walked key (the walk has at most a batch of them), oldest first.
      SELECT f, k, ${batch}::int + row_number() OVER (PARTITION BY f ORDER BY first), false FROM edges
      UNION ALL
      SELECT fns.f, NULL, 0, false FROM fns
      WHERE EXISTS (SELECT 1 FROM "JobRun" r WHERE r."functionId" = fns.f AND r.status = 'queued' AND r."concurrencyKey" IS NULL AND r."runAt" <= ${DB_NOW})
    ), slots AS (
      SELECT a.f, a.k, a.p, a.walked, CASE WHEN l.lim IS NULL THEN ${batch}::int ELSE least(${batch}::int, l.lim - coalesce(b.n, 0)) END AS room
      FROM keys a
      LEFT JOIN lim l ON l."functionId" = a.f
      LEFT JOIN busy b ON b."functionId" = a.f AND b."concurrencyKey" IS NOT DISTINCT FROM a.k
    ), open_slots AS (
      -- With K keys in the round, no key can need more than batch - K + 1 runs to fill the batch.
      SELECT s.*, least(s.room, greatest(1, ${batch}::int - count(*) OVER () + 1))::int AS take FROM slots s WHERE s.room > 0
    ), candidates AS (
      SELECT s.f, s.k, s.p, s.walked, c.id, c."runAt", c.rn
      FROM open_slots s
      CROSS JOIN LATERAL (
        SELECT x.id, x."runAt", row_number() OVER (ORDER BY x."runAt") AS rn
        FROM (
          (SELECT r.id, r."runAt" FROM "JobRun" r
           WHERE s.k IS NOT NULL AND r."functionId" = s.f AND r.status = 'queued' AND r."concurrencyKey" = s.k AND r."runAt" <= ${DB_NOW}
           ORDER BY r."runAt" LIMIT s.take)
          UNION ALL
          (SELECT r.id, r."runAt" FROM "JobRun" r
           WHERE s.k IS NULL AND r."functionId" = s.f AND r.status = 'queued' AND r."concurrencyKey" IS NULL AND r."runAt" <= ${DB_NOW}
           ORDER BY r."runAt" LIMIT s.take)
        ) x
      ) c
    ), picked AS (
      -- Locked one by one in round-robin order (the LATERAL keeps it a primary-key probe per row).
      SELECT c.f, c.k, c.p, c.walked, c.rn, l.id FROM (SELECT * FROM candidates ORDER BY rn, p, "runAt") c
      CROSS JOIN LATERAL (SELECT r.id FROM "JobRun" r WHERE r.id = c.id AND r.status = 'queued' FOR UPDATE SKIP LOCKED) l
      LIMIT ${batch}::int
    ), claimed AS (
      UPDATE "JobRun" r
      SET status = 'running', "leaseOwner" = ${lease}, "leaseUntil" = ${DB_NOW} + ${milliseconds(leaseMs)}, "updatedAt" = ${DB_NOW}
      FROM picked WHERE r.id = picked.id
      RETURNING r.id, r."functionId", r.event, r.attempt, r."infraFailures", r.stack, r."pendingSteps", r."disableImmediateExecution"
    ), ends AS (
      SELECT DISTINCT ON (f) f, cursor, lo, lo_t FROM walk ORDER BY f, step DESC
    ), next_cursors AS (
      SELECT e.f,
        CASE
          -- The batch ran out in the first round: resume right after the last key served, so the rest come next.
          WHEN EXISTS (SELECT 1 FROM candidates c WHERE c.f = e.f AND c.walked AND c.rn = 1 AND NOT EXISTS (SELECT 1 FROM picked p WHERE p.id = c.id))
            THEN coalesce((SELECT p.k FROM picked p WHERE p.f = e.f AND p.walked AND p.rn = 1 ORDER BY p.p DESC LIMIT 1), e.cursor)
          WHEN e.lo_t = '-infinity'::timestamp THEN NULL
          ELSE e.lo
        END AS k
      FROM ends e
    )
    SELECT (SELECT json_agg(c) FROM claimed c) AS runs, (SELECT json_agg(n) FROM next_cursors n) AS cursors`;
}
