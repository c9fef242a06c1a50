/**
 * Sends one fuzz request through the real route handler and judges the answer: never a 5xx, the seed's
 * body for its status, JSON on every body, the right refusals (401 for bad credentials, 404 for rows that
 * are not the caller's — in a two-id path also a child row under another parent — 413 past the size
 * limit), no other tenant's rows in a list (nor another endpoint's deliveries), test data only for a test
 * key's analytics, and — after every rejection — the row count of every table unchanged. Problems are
 * collected (not thrown) so one run reports every distinct failure with the exact request that caused it.
 */
import { call, type ApiResponse } from "../../helpers/api";
import type { Endpoint } from "./endpoints";
import { label } from "./endpoints";
import { byteLength } from "./mutations";
import { wellFormed } from "./nasty-values";
import { type Caller, FRESH, type FuzzRequest, type IdChoice } from "./requests";
import { countRows, createRow, type World } from "./world";

/** The seed's statuses with an `{"error": "..."}` body. */
const ERROR_STATUSES = new Set([400, 401, 403, 404, 405, 409, 413, 429]);
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const ACCEPTED_JSON = /^application\/([\w.+-]+\+)?json\b/i;
/**
 * Tables a rejected request may legitimately write: the rate-limit windows count every authenticated (and
 * every anonymous) request, accepted or not. Every other table must keep its row count.
 */
export const ACCOUNTING_TABLES = new Set(["RateLimitWindow"]);

export interface Sent {
  method: string;
  url: string;
  headers: Record<string, string>;
  body?: string;
  note: string;
}

export interface Failure {
  endpoint: string;
  problem: string;
  request: Sent;
  response: string;
}

export interface EndpointFigures {
  requests: number;
  mutated: number;
  statuses: Map<number, number>;
  serverErrors: number;
  rejected: number;
  rejectedWithTablesUnchanged: number;
  unsendable: number;
  /** Paths a raw id normalised out of the route tree ("/api/v1/.." is "/api/"): no route file to call. */
  unroutable: number;
  /** Refusals whose batch was interrupted by an accepted request the judge reported (0 when the server is right). */
  unverified: number;
  /** Milliseconds in the route handlers, and counting rows. */
  handlerMs: number;
  countingMs: number;
}

const clip = (s: string, n: number) => (s.length > n ? `${s.slice(0, n)}… (${s.length} chars)` : s);

export function describeRequest(r: Sent): string {
  const headers = Object.fromEntries(Object.entries(r.headers).map(([k, v]) => [clip(k, 60), clip(v, 200)]));
  const body = r.body === undefined ? "none" : `${byteLength(r.body)} bytes: ${clip(JSON.stringify(r.body), 600)}`;
  return `${r.method} ${clip(r.url, 400)}\n    headers: ${JSON.stringify(headers)}\n    body (${r.note}): ${body}`;
}

function describeResponse(res: ApiResponse | undefined, error?: unknown): string {
  if (!res) return `handler threw: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`.slice(0, 1500);
  return `${res.status} content-type=${res.headers.get("content-type")} allow=${res.headers.get("allow")} body=${clip(res.text, 500)}`;
}

export class Fuzzer {
  readonly figures = new Map<string, EndpointFigures>();
  readonly failures: Failure[] = [];
  /** Distinct problems per endpoint (first occurrences kept in full, the rest counted). */
  private readonly seen = new Map<string, number>();
  private baseline: Record<string, number> = {};
  private addressCounter = 0;

  private readonly tables: readonly string[];
  /** Give each anonymous request its own X-Forwarded-For client (for TRUST_PROXY=1). */
  spreadAddresses = true;

  constructor(
    private readonly world: World,
    allTables: readonly string[],
  ) {
    this.tables = allTables.filter((t) => !ACCOUNTING_TABLES.has(t));
  }

  async resetBaseline(): Promise<void> {
    await this.verifyPending();
    this.baseline = await countRows(this.tables);
  }

  figuresFor(name: string): EndpointFigures {
    let f = this.figures.get(name);
    if (!f) this.figures.set(name, (f = { requests: 0, mutated: 0, statuses: new Map(), serverErrors: 0, rejected: 0, rejectedWithTablesUnchanged: 0, unsendable: 0, unroutable: 0, unverified: 0, handlerMs: 0, countingMs: 0 }));
    return f;
  }

  failuresFor(name: string): Failure[] {
    return this.failures.filter((f) => f.endpoint === name);
  }

  /** A fresh client address per anonymous request, so the per-address limit (30/min) does not answer them all. */
  private nextAddress(): string {
    const n = ++this.addressCounter;
    return `100.${64 + ((n >> 16) & 63)}.${(n >> 8) & 255}.${n & 255}`;
  }

  private async resolveId(req: FuzzRequest): Promise<{ value: string; choice: IdChoice } | undefined> {
    if (!req.id) return undefined;
    if (req.id.value !== FRESH) return { value: req.id.value, choice: req.id };
    const tenant = req.caller.tenant;
    const kind = req.id.kind!;
    // A bad credential is refused before any lookup: it need not cost a row.
    if (!tenant || kind === "email") return { value: this.world.a.ids[kind][0]!, choice: { ...req.id, ref: "seeded", owner: "a" } };
    if (kind === "delivery") throw new Error("deliveries are never made for a request (no endpoint consumes one)");
    const value = await createRow(kind, this.world[tenant].jwt, this.world);
    this.world.owned[tenant].add(value);
    await this.resetBaseline();
    return { value, choice: { ...req.id, ref: "seeded", owner: tenant } };
  }

  /** Builds what goes on the wire. `name` groups the figures (an endpoint, or "wrong method" etc.). */
  async prepare(req: FuzzRequest, pathTemplate = req.endpoint.path): Promise<{ sent: Sent; id?: IdChoice; child?: IdChoice }> {
    const resolved = await this.resolveId(req);
    const placed = (r: { value: string; choice: IdChoice } | undefined) => {
      const segment = r ? (r.choice.ref === "raw" ? r.value : encodeURIComponent(wellFormed(r.value))) : "";
      // "." and ".." cannot be one path segment (URLs resolve them, "%2e" included): they lead elsewhere, like a raw id.
      const choice = r && /^(\.|%2e){1,2}$/i.test(segment) ? { ...r.choice, ref: "raw" as const } : r?.choice;
      return { segment, choice };
    };
    const { segment, choice } = placed(resolved);
    // The second id (":deliveryId") is always a seeded or made-up one: no endpoint consumes it.
    const second = req.child && req.endpoint.child ? placed({ value: req.child.value, choice: req.child }) : undefined;
    let path = pathTemplate.replace(":id", segment);
    if (second && req.endpoint.child) path = path.replace(req.endpoint.child.placeholder, second.segment);
    const headers: Record<string, string> = { ...req.headers };
    if (req.caller.authorization !== undefined) headers.authorization = req.caller.authorization;
    if (req.body?.contentType !== undefined) headers["content-type"] = req.body.contentType;
    if (req.endpoint.auth === "public" && this.spreadAddresses) {
      // Behind one trusted proxy the last entry is the client: a fresh one per request, after whatever junk was generated.
      const own = this.nextAddress();
      headers["x-forwarded-for"] = headers["x-forwarded-for"] !== undefined ? `${headers["x-forwarded-for"]}, ${own}` : own;
    }
    const url = req.query ? `${path}?${req.query}` : path;
    return { sent: { method: req.method, url, headers, body: req.body?.text, note: req.body?.note ?? "none" }, id: choice, child: second?.choice };
  }

  /**
   * Sends and judges one request; returns the response (undefined when it could not be built or routed).
   * Rows are counted after every request, except after refusals that were certain (a bad credential, a
   * row that is not the caller's; `certain` for callers whose judge demands a refusal): those are checked
   * in batches, by the count before the next request that might succeed. If a certain refusal is accepted
   * after all, the judge reports it, and the batch it interrupted is counted as unverified.
   */
  async exercise(name: string, req: FuzzRequest, options: { judge?: (res: ApiResponse) => string[]; peer?: string; certain?: boolean } = {}): Promise<ApiResponse | undefined> {
    const figures = this.figuresFor(name);
    // A row made for the request moves the baseline: settle the pending refusals first.
    if (req.id?.value === FRESH) await this.verifyPending();
    const { sent, id, child } = await this.prepare(req);
    try {
      // What no HTTP client could send (a header value outside Latin-1) is not the server's problem.
      new Request(new URL(sent.url, "http://localhost"), { method: sent.method, headers: sent.headers, body: sent.body });
    } catch {
      figures.unsendable++;
      return undefined;
    }
    const raw = id?.ref === "raw" || child?.ref === "raw";
    const certain = options.certain ?? (!raw && this.certainlyRefused(req, id, child));
    if (!certain) await this.verifyPending();
    let res: ApiResponse | undefined;
    let thrown: unknown;
    const started = performance.now();
    try {
      // Without a peer, the helper gives every call a new client address (register/login are limited per address).
      res = await call(sent.method, sent.url, { headers: sent.headers, rawBody: sent.body, ...(options.peer ? { peer: options.peer } : {}) });
    } catch (error) {
      if (error instanceof Error && error.message.startsWith("no route file")) {
        figures.unroutable++;
        return undefined;
      }
      thrown = error;
    }
    figures.handlerMs += performance.now() - started;
    figures.requests++;
    if (req.mutated.length > 0) figures.mutated++;
    // A raw id may lead to another route ("/emails/<id>/.." is the list): only the generic checks apply.
    const shapeOf: Pick<Endpoint, "success"> = raw ? { success: { statuses: [200, 201, 202, 204], shape: "any" } } : req.endpoint;
    const problems = res ? [...checkShape(shapeOf, res), ...(raw ? [] : options.judge ? options.judge(res) : this.judge(req, res, id, child))] : ["the handler threw instead of answering"];
    const status = res?.status ?? 500;
    figures.statuses.set(status, (figures.statuses.get(status) ?? 0) + 1);
    if (status >= 500) figures.serverErrors++;
    const describedResponse = describeResponse(res, thrown);
    if (status >= 400) figures.rejected++;
    if (certain && status >= 400) {
      this.pending.push({ name, sent, response: describedResponse });
      if (this.pending.length >= 20) await this.verifyPending();
    } else {
      for (const p of this.pending) this.figuresFor(p.name).unverified++;
      this.pending = [];
      const after = await this.count(name);
      if (status >= 400) {
        const changed = this.changedTables(after);
        if (changed.length > 0) problems.push(`rows changed after a ${status}: ${changed.join(", ")}`);
        else figures.rejectedWithTablesUnchanged++;
      }
      this.baseline = after;
    }
    if (res && status < 300) this.remember(req.caller, res);
    for (const problem of problems) this.record(name, problem, sent, describedResponse);
    return res;
  }

  private pending: { name: string; sent: Sent; response: string }[] = [];

  /** Compares the row counts with the baseline across the pending refusals. */
  async verifyPending(): Promise<void> {
    if (this.pending.length === 0) return;
    const batch = this.pending;
    this.pending = [];
    const after = await this.count(batch[0]!.name);
    const changed = this.changedTables(after);
    if (changed.length === 0) for (const p of batch) this.figuresFor(p.name).rejectedWithTablesUnchanged++;
    else {
      const others = batch.slice(1).map((p) => `${p.sent.method} ${clip(p.sent.url, 120)}`);
      this.record(batch[0]!.name, `rows changed (${changed.join(", ")}) across ${batch.length} refused requests, this one first${others.length ? `; then ${others.join("; ")}` : ""}`, batch[0]!.sent, batch[0]!.response);
    }
    this.baseline = after;
  }

  private async count(name: string): Promise<Record<string, number>> {
    const started = performance.now();
    const after = await countRows(this.tables);
    this.figuresFor(name).countingMs += performance.now() - started;
    return after;
  }

  private changedTables(after: Record<string, number>): string[] {
    return this.tables.filter((t) => after[t] !== this.baseline[t]).map((t) => `${t} ${this.baseline[t]} → ${after[t]}`);
  }

  /** The judge demands a refusal here: a bad credential on an authenticated route, or a row that is not the caller's. */
  private certainlyRefused(req: FuzzRequest, id: IdChoice | undefined, child: IdChoice | undefined): boolean {
    if (req.endpoint.auth === "token" && req.caller.tenant === undefined) return true;
    if (!req.caller.tenant || !id) return false;
    return classify(id, req.caller, req.endpoint, this.world) !== "own" || (child !== undefined && classifyChild(child, id, req.caller, req.endpoint, this.world) !== "own");
  }

  private remember(caller: Caller, res: ApiResponse): void {
    const id = (res.body as { id?: unknown } | null)?.id;
    if (caller.tenant && typeof id === "string") this.world.owned[caller.tenant].add(id);
  }

  private record(endpoint: string, problem: string, request: Sent, response: string): void {
    const key = `${endpoint}|${problem.replace(/\d+/g, "#").slice(0, 80)}`;
    const n = (this.seen.get(key) ?? 0) + 1;
    this.seen.set(key, n);
    if (n <= 2) this.failures.push({ endpoint, problem, request, response });
  }

  occurrences(endpoint: string): { problem: string; count: number }[] {
    return [...this.seen.entries()].filter(([k]) => k.startsWith(`${endpoint}|`)).map(([k, count]) => ({ problem: k.slice(endpoint.length + 1), count }));
  }

  /** What the endpoint's answer must be, given who asked for which row with what. */
  judge(req: FuzzRequest, res: ApiResponse, id: IdChoice | undefined, child?: IdChoice): string[] {
    const e = req.endpoint;
    const p: string[] = [];
    const ok = res.status >= 200 && res.status < 300;
    const caller = req.caller;
    const validCaller = caller.tenant !== undefined;
    const testKey = caller.name === "a-test";
    const forbiddenToTestKey = testKey && e.changesConfig;
    if (e.auth === "token") {
      if (!validCaller && res.status !== 401) p.push(`a bad or missing credential got ${res.status}, not 401`);
      if (validCaller && res.status === 401) p.push("a valid credential got 401");
    }
    if (forbiddenToTestKey && ok) p.push(`a test key changed configuration (${res.status})`);
    if (validCaller && id) {
      const classes: [string, ReturnType<typeof classify>][] = [["id", classify(id, caller, e, this.world)]];
      if (child) classes.push([`${e.child!.placeholder.slice(1)}`, classifyChild(child, id, caller, e, this.world)]);
      for (const [which, cls] of classes) {
        if (cls !== "own" && cls !== "raw" && ok) p.push(`${cls} ${which} answered ${res.status} (must be 404)`);
        if (cls === "garbage" && res.status !== 404 && !(forbiddenToTestKey && res.status === 403)) p.push(`a malformed ${which} got ${res.status}, not 404`);
      }
    }
    const bodyOk = req.body && req.body.contentType !== undefined && ACCEPTED_JSON.test(req.body.contentType);
    const idOk = [id, child].every((i) => !i || (i.ref !== "garbage" && i.ref !== "raw"));
    if (e.body && bodyOk && idOk && (validCaller || e.auth === "public") && byteLength(req.body?.text) > e.body.maxBytes && ![413, 429].includes(res.status) && !(forbiddenToTestKey && res.status === 403)) {
      p.push(`a ${byteLength(req.body?.text)}-byte body (limit ${e.body.maxBytes}) got ${res.status}, not 413`);
    }
    if (ok && validCaller && e.lists && Array.isArray(res.body)) {
      const other = this.world.owned[caller.tenant === "a" ? "b" : "a"];
      const leaked = (res.body as { id?: string }[]).filter((item) => item && typeof item.id === "string" && other.has(item.id));
      if (leaked.length > 0) p.push(`another tenant's rows in the list: ${leaked.map((i) => i.id).join(", ")}`);
      if (testKey && e.path === "/api/v1/emails") {
        const live = (res.body as { id?: string; test?: unknown }[]).filter((item) => item.test !== true);
        if (live.length > 0) p.push(`a test key listed live emails: ${live.map((i) => i.id).join(", ")}`);
      }
    }
    if (ok && validCaller && e.lists && Array.isArray(res.body) && e.path.endsWith("/:id/deliveries") && id) {
      const elsewhere = (res.body as { endpoint_id?: unknown }[]).filter((item) => item?.endpoint_id !== id.value.toLowerCase());
      if (elsewhere.length > 0) p.push(`deliveries of other endpoints in the list of ${id.value}: ${elsewhere.map((i) => JSON.stringify(i?.endpoint_id)).join(", ")}`);
    }
    // A test key reads test data only (the analytics answer says which mode it counted).
    if (ok && testKey && e.reportsMode && (res.body as { test?: unknown } | null)?.test !== true) p.push(`a test key got ${JSON.stringify((res.body as { test?: unknown } | null)?.test)} for test, not true (live data)`);
    if (ok && e.path === "/api/v1/auth/me" && validCaller) {
      const account = (res.body as { account?: { id?: string } }).account;
      if (account?.id !== this.world[caller.tenant!].tenantId) p.push(`auth/me answered account ${account?.id} for tenant ${caller.tenant}`);
    }
    return p;
  }
}

type IdClass = "own" | "foreign" | "other kind" | "other mode" | "other parent" | "random" | "garbage" | "raw";

/** How the id relates to the caller: only "own" may succeed. */
function classify(id: IdChoice, caller: Caller, e: Endpoint, world: World): IdClass {
  if (id.ref === "raw") return "raw";
  if (id.ref === "garbage") return UUID.test(id.value) ? "random" : "garbage";
  if (id.ref === "random") return "random";
  if (id.owner !== caller.tenant) return "foreign";
  if (id.kind !== e.idKind) return "other kind";
  // Live emails are invisible to a test key (issue 13 item 1).
  if (caller.name === "a-test" && id.kind === "email" && id.value.toLowerCase() === world.a.liveEmailId) return "other mode";
  return "own";
}

/** The second id (a delivery): besides being the caller's row of the right kind, it must belong to the first id's row. */
function classifyChild(child: IdChoice, parent: IdChoice, caller: Caller, e: Endpoint, world: World): IdClass {
  const cls = classify(child, caller, { ...e, idKind: e.child!.kind }, world);
  if (cls !== "own") return cls;
  return world.parentOf.get(child.value.toLowerCase()) === parent.value.toLowerCase() ? "own" : "other parent";
}

/** The answer's form for its status, whatever the request was. */
export function checkShape(e: Pick<Endpoint, "success">, res: ApiResponse): string[] {
  const p: string[] = [];
  if (res.status >= 500) p.push(`server error ${res.status}`);
  if (res.status === 204) {
    if (res.text !== "") p.push("204 with a body");
    return p;
  }
  const type = res.headers.get("content-type") ?? "";
  if (!/^application\/json\b/i.test(type)) p.push(`content type ${JSON.stringify(type)} for a ${res.status}`);
  let body: unknown;
  try {
    body = JSON.parse(res.text);
  } catch {
    p.push(`a ${res.status} whose body is not JSON`);
    return p;
  }
  const keys = body !== null && typeof body === "object" && !Array.isArray(body) ? Object.keys(body) : null;
  if (res.status === 422) {
    const errors = (body as { errors?: unknown }).errors;
    if (keys?.join() !== "errors" || !Array.isArray(errors) || errors.length === 0 || !errors.every((m) => typeof m === "string" && m.length > 0)) p.push(`422 body is not {"errors": [string, …]}`);
  } else if (ERROR_STATUSES.has(res.status)) {
    const error = (body as { error?: unknown }).error;
    if (keys?.join() !== "error" || typeof error !== "string" || error.length === 0) p.push(`${res.status} body is not {"error": string}`);
  } else if (res.status >= 200 && res.status < 300) {
    if (!e.success.statuses.includes(res.status)) p.push(`undocumented success status ${res.status}`);
    const shapeOk = e.success.shape === "any" ? body !== null && typeof body === "object" : e.success.shape === "array" ? Array.isArray(body) : e.success.shape === "object" ? keys !== null : false;
    if (!shapeOk) p.push(`${res.status} body is not the documented ${e.success.shape}`);
  } else if (res.status < 500) {
    p.push(`undocumented status ${res.status}`);
  }
  if (res.status === 429 && !res.headers.get("retry-after")) p.push("429 without Retry-After");
  const requestId = res.headers.get("x-request-id");
  if (requestId !== null && !/^[\w.:-]{1,128}$/.test(requestId)) p.push(`X-Request-Id reflects junk: ${JSON.stringify(requestId.slice(0, 60))}`);
  return p;
}

export function formatFailures(failures: Failure[], occurrences: { problem: string; count: number }[]): string {
  const lines = failures.map((f) => `\n• ${f.endpoint}: ${f.problem}\n    ${describeRequest(f.request)}\n    → ${f.response}`);
  const counts = occurrences.map((o) => `${o.count}× ${o.problem}`).join("\n  ");
  return `${failures.length} failing examples (distinct problems: \n  ${counts})${lines.join("")}`;
}

export { label };
