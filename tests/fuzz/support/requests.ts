/**
 * Whole requests for one endpoint: who calls (live key, test key, session, the other tenant, forged and
 * malformed credentials), which row the path names, the query, the body and stray headers. Some requests
 * are valid in every part; the rest have one or two parts mutated.
 */
import fc from "fast-check";
import { SignJWT } from "jose";
import { randomBytes } from "node:crypto";
import { type BodyCase, INJECTED, mutatedBodyCase, validBodyCase } from "./mutations";
import { garbageId, headerJunk, hostileKey, nastyString, wellFormed } from "./nasty-values";
import type { Endpoint, Method } from "./endpoints";
import { KINDS, type Kind, type World } from "./world";

export type TenantName = "a" | "b";

export interface Caller {
  name: "a-live" | "a-test" | "a-jwt" | "b-live" | "b-jwt" | "invalid" | "none";
  /** The tenant a valid credential belongs to. */
  tenant?: TenantName;
  authorization?: string;
}

export interface IdChoice {
  /** own: the caller's tenant's row of the right kind (fresh: made for this request); the rest must be 404. */
  ref: "seeded" | "fresh" | "random" | "garbage" | "raw";
  owner?: TenantName;
  kind?: Kind;
  value: string;
}

export interface FuzzRequest {
  method: Method;
  /** The endpoint's template, filled in at send time (fresh rows exist only then). */
  endpoint: Endpoint;
  caller: Caller;
  id?: IdChoice;
  /** The second id of a two-id path (`endpoint.child`): a delivery of the endpoint `id` names. */
  child?: IdChoice;
  query: string;
  headers: Record<string, string>;
  body?: BodyCase;
  /** The parts that were mutated, for the figures. */
  mutated: string[];
}

export const FRESH = "{fresh}";

/** A JWT with alg "none" and A's claims: must be refused like any unsigned token. */
function unsignedJwt(world: World): string {
  const enc = (o: object) => Buffer.from(JSON.stringify(o)).toString("base64url");
  return `${enc({ alg: "none", typ: "JWT" })}.${enc({ sub: world.a.userId, tid: world.a.tenantId, iss: "courierx", aud: "courierx-api", exp: 4_102_444_800 })}.`;
}

export async function forgedJwt(world: World): Promise<string> {
  return new SignJWT({ tid: world.a.tenantId })
    .setProtectedHeader({ alg: "HS256", typ: "JWT" })
    .setSubject(world.a.userId)
    .setIssuer("courierx")
    .setAudience("courierx-api")
    .setExpirationTime("1h")
    .sign(randomBytes(32));
}

export function callers(world: World, forged: string) {
  const bearer = (key: string) => fc.constantFrom(`Bearer ${key}`, `bearer ${key}`, `Bearer   ${key}  `, `BEARER\t${key}`);
  const as = (name: Caller["name"], tenant: TenantName, key: string) => bearer(key).map((authorization): Caller => ({ name, tenant, authorization }));
  const valid = fc.oneof(
    { weight: 4, arbitrary: as("a-live", "a", world.a.liveKey) },
    { weight: 2, arbitrary: as("a-test", "a", world.a.testKey) },
    { weight: 2, arbitrary: as("a-jwt", "a", world.a.jwt) },
    { weight: 1, arbitrary: as("b-live", "b", world.b.liveKey) },
    { weight: 1, arbitrary: as("b-jwt", "b", world.b.jwt) },
  );
  const k = world.a.liveKey;
  const invalid = fc
    .oneof(
      fc.constantFrom(
        "",
        "Bearer",
        "Bearer ",
        "Basic dXNlcjpwYXNzd29yZA==",
        `Bearer ${world.a.revokedKey}`,
        `Token ${k}`,
        k,
        `Bearer ${k} ${k}`,
        `Bearer ${k},Bearer ${k}`,
        `Bearer ${k.toUpperCase()}`,
        `Bearer ${k.slice(0, -1)}`,
        `Bearer ${world.a.jwt}x`,
        `Bearer ${world.a.jwt.slice(0, -3)}`,
        `Bearer ${world.a.jwt.split(".").slice(0, 2).join(".")}.`,
        `Bearer ${world.a.expiredJwt}`,
        `Bearer ${world.a.deletedUserJwt}`,
        `Bearer ${unsignedJwt(world)}`,
        `Bearer ${forged}`,
        `Bearer eyJ.eyJ.eyJ`,
        `Bearer eyJhbGciOiJIUzI1NiJ9.${"A".repeat(20_000)}.x`,
        `Bearer cxk_live_`,
        `Bearer cxk_test_${"a".repeat(5000)}`,
      ),
      fc.stringMatching(/^[A-Za-z0-9_-]{0,64}$/).map((s) => `Bearer cxk_${s}`),
      headerJunk.map((j) => `Bearer ${j}`),
      headerJunk,
    )
    .map((authorization): Caller => ({ name: "invalid", authorization }));
  return { valid, invalid: fc.oneof({ weight: 5, arbitrary: invalid }, { weight: 1, arbitrary: fc.constant<Caller>({ name: "none" }) }) };
}

const seeded = (world: World, owner: TenantName, k: Kind) => fc.constantFrom(...world[owner].ids[k]).map((value): IdChoice => ({ ref: "seeded", owner, kind: k, value }));
const upper = (c: IdChoice): IdChoice => ({ ...c, value: c.value === FRESH ? c.value : c.value.toUpperCase() });

function idChoices(world: World, endpoint: Endpoint) {
  const kind = endpoint.idKind!;
  const own = endpoint.consumesRow ? fc.constant<IdChoice>({ ref: "fresh", kind, value: FRESH }) : seeded(world, "a", kind);
  const valid = fc.oneof({ weight: 4, arbitrary: own }, { weight: 1, arbitrary: own.map(upper) });
  return { valid, mutated: mutatedIds(world, kind) };
}

/** Ids that must be refused in a position that takes a `kind`: the other tenant's, other kinds, random, garbage, raw. */
function mutatedIds(world: World, kind: Kind): fc.Arbitrary<IdChoice> {
  const otherKinds = KINDS.filter((k) => k !== kind);
  return fc.oneof(
    { weight: 3, arbitrary: seeded(world, "b", kind) },
    { weight: 2, arbitrary: fc.constantFrom(...otherKinds).chain((k) => fc.oneof(seeded(world, "a", k), seeded(world, "b", k))) },
    { weight: 1, arbitrary: fc.oneof(fc.uuid({ version: 4 }), fc.uuid(), fc.constantFrom("00000000-0000-0000-0000-000000000000", "ffffffff-ffff-ffff-ffff-ffffffffffff")).map((value): IdChoice => ({ ref: "random", value })) },
    { weight: 3, arbitrary: fc.oneof(garbageId, nastyString.filter((s) => s.length > 0 && s.length < 3000)).map((value): IdChoice => ({ ref: "garbage", value })) },
    {
      weight: 1,
      arbitrary: fc
        .constantFrom("..", "../..", "%2e%2e", "..%2F..%2Fetc%2Fpasswd", "a%2Fb", "%00", "%25", `${world.a.ids[kind][0]}/..`, `${world.b.ids[kind][0]}/`, `${world.a.ids[kind][0]}/extra/segments`, "%20", ".%2e/")
        .map((value): IdChoice => ({ ref: "raw", value })),
    },
  );
}

/**
 * Both ids of a two-id path (the parent row in `id`, its child in `child`). Valid: one of A's parents with
 * one of its own children. Mutated: either position (or both) refused-kind ids, or A's child of A's other parent.
 */
function idPairChoices(world: World, endpoint: Endpoint) {
  const childKind = endpoint.child!.kind;
  const parentKind = endpoint.idKind!;
  const pairs = world.a.ids[childKind].map((child) => ({ child, parent: world.parentOf.get(child)! }));
  const pair = (p: { child: string; parent: string }, mismatched = false) => ({
    id: { ref: "seeded", owner: "a", kind: parentKind, value: mismatched ? world.a.ids[parentKind].find((x) => x !== p.parent)! : p.parent } as IdChoice,
    child: { ref: "seeded", owner: "a", kind: childKind, value: p.child } as IdChoice,
  });
  const own = fc.constantFrom(...pairs).map((p) => pair(p));
  const valid = fc.oneof({ weight: 4, arbitrary: own }, { weight: 1, arbitrary: own.map((p) => ({ id: upper(p.id), child: upper(p.child) })) });
  const mutated = fc.oneof(
    { weight: 3, arbitrary: fc.tuple(own, mutatedIds(world, parentKind)).map(([p, id]) => ({ ...p, id })) },
    { weight: 3, arbitrary: fc.tuple(own, mutatedIds(world, childKind)).map(([p, child]) => ({ ...p, child })) },
    { weight: 1, arbitrary: fc.tuple(mutatedIds(world, parentKind), mutatedIds(world, childKind)).map(([id, child]) => ({ id, child })) },
    { weight: 2, arbitrary: fc.constantFrom(...pairs).map((p) => pair(p, true)) },
  );
  return { valid, mutated };
}

/** Values of the query string: the schema's valid ones, then hostile variations. */
function queryChoices(endpoint: Endpoint) {
  const encode = (params: Record<string, unknown>) =>
    Object.entries(params)
      .filter(([, v]) => v !== undefined)
      .map(([k, v]) => `${encodeURIComponent(wellFormed(k))}=${encodeURIComponent(wellFormed(String(v)))}`)
      .join("&");
  const keys = Object.keys(endpoint.query?.schema.properties ?? {});
  const validArb = endpoint.query ? endpoint.query.valid.map(encode) : fc.constant("");
  const wrongNumber = fc.constantFrom("-1", "0", "1.5", "1e3", "0x10", "", " 1", "1 ", "9".repeat(400), "NaN", "Infinity", "-0", "1,2", "01", "١", "2147483648", "9007199254740993");
  const mutated = fc.oneof(
    keys.length > 0
      ? fc.tuple(endpoint.query!.valid, fc.constantFrom(...keys), fc.oneof(wrongNumber, nastyString, garbageId)).map(([params, k, v]) => encode({ ...params, [k]: v }))
      : fc.constant(""),
    keys.length > 0 ? fc.tuple(validArb, fc.constantFrom(...keys), wrongNumber).map(([q, k, v]) => `${q}&${k}=${encodeURIComponent(v)}&${k}=1`) : fc.constant("a=1&a=2"),
    keys.length > 0
      ? fc.tuple(endpoint.query!.valid, fc.constantFrom(...keys), fc.constantFrom(...INJECTED)).map(([params, k, ch]) => encode({ ...params, [k]: `${String(params[k] ?? "x")}${ch}` }))
      : fc.constant("q=%00"),
    fc.tuple(validArb, hostileKey, nastyString).map(([q, k, v]) => `${q}&${encodeURIComponent(wellFormed(k))}=${encodeURIComponent(wellFormed(v))}`),
    fc.constantFrom("%", "%%", "%E0%A4%A", "%C0%AF", "&&&", "=", "==&=", "a=%00", "?", "page[]=1", "page[$gt]=0", "per_page[]=1&per_page[]=2", "status=queued%00", "recipient=%25", "recipient=_", "recipient=%5C", "from=2026-02-30", "from=2026-13-01T00:00:00Z", "to=0000-01-01", "test=TRUE", "reason=manual%27--"),
    fc.integer({ min: 2_000, max: 60_000 }).map((n) => `${keys[0] ?? "q"}=${"x".repeat(n)}`),
  );
  return { valid: validArb, mutated };
}

const HEADER_ENTRIES: fc.Arbitrary<[string, string]>[] = [
  fc.tuple(fc.constant("x-request-id"), fc.oneof(fc.uuid(), fc.stringMatching(/^[\w.:-]{1,128}$/), headerJunk, fc.constant("r".repeat(129)))),
  fc.tuple(fc.constant("x-forwarded-for"), fc.oneof(headerJunk, fc.array(fc.ipV4(), { minLength: 1, maxLength: 5 }).map((l) => l.join(", ")), fc.array(fc.ipV6(), { minLength: 1, maxLength: 3 }).map((l) => l.join(",")))),
  fc.tuple(fc.constantFrom("x-real-ip", "x-vercel-forwarded-for", "forwarded", "x-client-ip"), headerJunk),
  fc.tuple(fc.constant("content-length"), fc.constantFrom("0", "1", "-1", "abc", "1e400", "99999999999999999999", " 5 ", "5, 5", "0x10", "")),
  fc.tuple(fc.constant("x-courierx-simulate-failure"), fc.oneof(fc.constantFrom("sendgrid", "all", "sendgrid,aws_ses", "nope", ",,"), headerJunk)),
  fc.tuple(fc.constantFrom("accept", "accept-encoding", "accept-language", "cookie", "origin", "referer", "user-agent", "idempotency-key"), headerJunk),
  fc.tuple(fc.constant("transfer-encoding"), fc.constantFrom("chunked", "gzip", "identity", "chunked, chunked")),
  fc.tuple(fc.constant("content-encoding"), fc.constantFrom("gzip", "br", "deflate", "x")),
  fc.tuple(fc.stringMatching(/^x-[a-z0-9-]{1,30}$/), headerJunk),
  fc.constant<[string, string]>([`x-${"h".repeat(8_000)}`, "1"]),
];

const junkHeaders = fc.array(fc.oneof(...HEADER_ENTRIES), { minLength: 1, maxLength: 3 }).map((entries) => Object.fromEntries(entries));

type Part = "caller" | "id" | "query" | "body" | "headers";

export function requestArbitrary(world: World, endpoint: Endpoint, forged: string): fc.Arbitrary<FuzzRequest> {
  const who = callers(world, forged);
  const single = endpoint.idKind && !endpoint.child ? idChoices(world, endpoint) : undefined;
  const ids: { valid: fc.Arbitrary<{ id?: IdChoice; child?: IdChoice }>; mutated: fc.Arbitrary<{ id?: IdChoice; child?: IdChoice }> } | undefined = endpoint.child
    ? idPairChoices(world, endpoint)
    : single && { valid: single.valid.map((id) => ({ id })), mutated: single.mutated.map((id) => ({ id })) };
  const queries = queryChoices(endpoint);
  const bodies = endpoint.body
    ? { valid: validBodyCase(endpoint.body.valid(world)), mutated: mutatedBodyCase(endpoint.body.valid(world), endpoint.body.schema, endpoint.body.maxBytes) }
    : undefined;
  // Routes without a body must ignore one (GET cannot carry one).
  const strayBody: fc.Arbitrary<BodyCase | undefined> =
    endpoint.method === "GET" ? fc.constant(undefined) : fc.oneof(fc.constant(undefined), nastyString.map((text): BodyCase => ({ text, contentType: "application/json", note: "stray body", mutated: true })));
  const parts: Part[] = ["caller", "headers", ...(ids ? (["id"] as const) : []), ...(endpoint.body || endpoint.method !== "GET" ? (["body"] as const) : []), "query"];
  const choosing = endpoint.costly
    ? fc.oneof({ weight: 1, arbitrary: fc.constant<Part[]>([]) }, { weight: 19, arbitrary: fc.subarray(parts.filter((p) => p !== "body"), { maxLength: 1 }).map((p): Part[] => ["body", ...p]) })
    : fc.oneof({ weight: 3, arbitrary: fc.constant<Part[]>([]) }, { weight: 7, arbitrary: fc.subarray(parts, { minLength: 1, maxLength: 2 }) });
  return choosing.chain((mutatedParts) => {
    const m = (p: Part) => mutatedParts.includes(p);
    return fc
      .record({
        caller: endpoint.auth === "public" ? fc.oneof(fc.constant<Caller>({ name: "none" }), who.invalid) : m("caller") ? who.invalid : who.valid,
        ids: ids ? (m("id") ? ids.mutated : ids.valid) : fc.constant({}),
        query: m("query") ? queries.mutated : endpoint.query ? queries.valid : fc.constant(""),
        body: bodies ? (m("body") ? bodies.mutated : bodies.valid) : m("body") ? strayBody : fc.constant(undefined),
        headers: m("headers") ? junkHeaders : fc.constant({}),
      })
      .map(({ ids: chosen, ...r }): FuzzRequest => ({ method: endpoint.method, endpoint, ...r, ...chosen, mutated: mutatedParts }));
  });
}
