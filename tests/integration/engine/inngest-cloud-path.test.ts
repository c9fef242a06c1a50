/**
 * The Inngest Cloud path, end to end on one machine. server/env.ts reads process.env once at import, so the
 * app runs in a child process (fixtures/cloud-app.ts) started with INNGEST_EVENT_KEY and INNGEST_SIGNING_KEY
 * set and INNGEST_BASE_URL pointing at a node:http stand-in for Inngest's event API. Proven here: the send API
 * answers 202 and its `app/email.queued` event is POSTed to `<base>/e/<event key>`; the local engine stays
 * off (not started, not created, nothing stored in its tables); `/api/inngest` refuses unsigned, wrongly
 * signed, tampered and expired calls with 401 and runs nothing, and runs the queued event's function for a
 * call signed the way Inngest Cloud signs (HMAC-SHA256 over the JCS-canonical body then the timestamp, keyed
 * with the signing key minus its `signkey-<env>-` prefix; inngest's helpers/net.js), signing its answer back.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { createHmac, randomBytes } from "node:crypto";
import { once } from "node:events";
import { mkdtempSync, rmSync } from "node:fs";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import canonicalize from "canonicalize";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { EMAIL_QUEUED } from "@/server/jobs/events";
import { readResponse, type ApiResponse } from "../../helpers/api";

const fixture = path.join(import.meta.dirname, "fixtures", "cloud-app.ts");
const repoRoot = path.resolve(import.meta.dirname, "../../..");

const EVENT_KEY = `evt-${randomBytes(16).toString("hex")}`;
const SIGNING_KEY = `signkey-test-${randomBytes(32).toString("hex")}`;
const OTHER_SIGNING_KEY = `signkey-test-${randomBytes(32).toString("hex")}`;
const SEND_EMAIL_FN = "courierx-send-email";

interface RecordedRequest {
  method: string;
  path: string;
  headers: http.IncomingHttpHeaders;
  body: string;
}

interface QueuedEvent {
  id: string;
  name: string;
  data: { tenant_id: string; email_id: string; run_key: string };
  ts: number;
}

interface Probe {
  inngestCloud: boolean;
  engineCreated: boolean;
  enabledForApp: boolean;
  enabledForWorker: boolean;
  jobRuns: number;
  jobSteps: number;
  emails: { id: string; status: string }[];
  getLocalEngineError: string | null;
  workerEngineStarted: boolean;
}

/** `X-Inngest-Signature` as Inngest Cloud writes it: computed here independently of the app's own signer. */
function signature(canonicalBody: string, signingKey: string, unixSeconds = Math.floor(Date.now() / 1000)): string {
  const key = signingKey.replace(/^signkey-\w+-/, "");
  const s = createHmac("sha256", key).update(canonicalBody).update(String(unixSeconds)).digest("hex");
  return `t=${unixSeconds}&s=${s}`;
}

function canonical(value: unknown): string {
  const text = canonicalize(value);
  if (text === undefined) throw new Error("cannot canonicalize");
  return text;
}

/** A stand-in for Inngest's event API: records every request and accepts events the way inn.gs answers. */
async function startEventApi(): Promise<{ url: string; requests: RecordedRequest[]; close(): Promise<void> }> {
  const requests: RecordedRequest[] = [];
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => {
      const body = Buffer.concat(chunks).toString("utf8");
      requests.push({ method: req.method ?? "", path: req.url ?? "", headers: req.headers, body });
      if (req.method === "POST" && req.url?.startsWith("/e/")) {
        const events = JSON.parse(body) as unknown[];
        res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify({ ids: events.map(() => randomBytes(13).toString("hex")), status: 200 }));
      } else {
        res.writeHead(404, { "content-type": "application/json" }).end(JSON.stringify({ error: "not a path of this stand-in" }));
      }
    });
  });
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}`, requests, close: () => new Promise((resolve) => server.close(() => resolve())) };
}


let app = "";
let eventApi: Awaited<ReturnType<typeof startEventApi>>;
let child: ChildProcess;
const output: string[] = [];
let dir = "";

async function request<T = any>(method: string, url: string, options: { body?: string; headers?: Record<string, string> } = {}): Promise<ApiResponse<T>> {
  return readResponse<T>(await fetch(app + url, { method, headers: options.headers, body: options.body }));
}

async function probe(): Promise<Probe> {
  const res = await request<Probe>("GET", "/__probe");
  expect(res.status, res.text).toBe(200);
  return res.body;
}

/** The child's JSON log lines. */
function logLines(): Record<string, unknown>[] {
  return output
    .join("")
    .split("\n")
    .filter((line) => line.startsWith("{"))
    .map((line) => JSON.parse(line) as Record<string, unknown>);
}

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), "courierx-inngest-cloud-"));
  eventApi = await startEventApi();
  // Nothing of this process's Inngest or database configuration leaks in: the child sees exactly these.
  const inherited = Object.fromEntries(Object.entries(process.env).filter(([name]) => !name.startsWith("INNGEST_") && !["DATABASE_URL", "TEST_DATABASE_URL", "LOCAL_ENGINE"].includes(name)));
  child = spawn(process.execPath, ["--import", "tsx", fixture], {
    cwd: repoRoot,
    env: {
      ...inherited,
      NODE_ENV: "production",
      DATA_DIR: path.join(dir, "data"),
      INNGEST_EVENT_KEY: EVENT_KEY,
      INNGEST_SIGNING_KEY: SIGNING_KEY,
      INNGEST_BASE_URL: eventApi.url,
      // The SDK reads INNGEST_DEV from the environment and, in dev mode, verifies no signature at all: with
      // the Cloud keys set the client pins cloud mode, so a stray INNGEST_DEV must change nothing.
      INNGEST_DEV: "1",
      // On is the default; said explicitly so that only the Inngest keys can be what keeps the engine off.
      LOCAL_ENGINE: "on",
      LOG_LEVEL: "info",
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  child.stdout?.on("data", (chunk: Buffer) => output.push(chunk.toString()));
  child.stderr?.on("data", (chunk: Buffer) => output.push(chunk.toString()));
  const deadline = Date.now() + 80_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`the app exited (${child.exitCode}):\n${output.join("")}`);
    const listening = logLines().find((line) => line.fixture === "listening");
    if (listening) {
      app = `http://127.0.0.1:${String(listening.port)}`;
      break;
    }
    if (Date.now() > deadline) throw new Error(`the app did not start:\n${output.join("")}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}, 90_000);

afterAll(async () => {
  if (child && child.exitCode === null && child.signalCode === null) {
    const exited = once(child, "exit");
    child.kill("SIGKILL");
    await exited;
  }
  await eventApi?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe("the Inngest Cloud path (INNGEST_EVENT_KEY and INNGEST_SIGNING_KEY set)", () => {
  let apiKey = "";
  let tenantId = "";
  let emailId = "";
  let queuedEvent: QueuedEvent;

  it("POST /api/v1/emails answers 202 and posts its app/email.queued event to <INNGEST_BASE_URL>/e/<event key>", async () => {
    const password = "correct horse battery";
    const reg = await request("POST", "/api/v1/auth/register", {
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ name: "Cloud Co", email: "owner@cloud.example.com", password, password_confirmation: password }),
    });
    expect(reg.status, reg.text).toBe(201);
    tenantId = reg.body.account.id;
    const key = await request("POST", "/api/v1/api_keys", {
      headers: { "content-type": "application/json", authorization: `Bearer ${reg.body.token}` },
      body: JSON.stringify({ name: "cloud key" }),
    });
    expect(key.status, key.text).toBe(201);
    apiKey = key.body.raw_key;
    expect(eventApi.requests).toEqual([]);

    const sent = await request("POST", "/api/v1/emails", {
      headers: { "content-type": "application/json", authorization: `Bearer ${apiKey}` },
      body: JSON.stringify({ from_email: "hello@cloud.example.com", to_email: "someone@example.org", subject: "Through Inngest Cloud", text_body: "Hi" }),
    });
    expect(sent.status, sent.text).toBe(202);
    expect(sent.body.status).toBe("queued");
    emailId = sent.body.id;

    // The send awaited the event API's answer before its 202: the request is already recorded.
    const posts = eventApi.requests.filter((r) => r.path.startsWith("/e/"));
    expect(posts).toHaveLength(1);
    const post = posts[0]!;
    expect(post.method).toBe("POST");
    expect(post.path).toBe(`/e/${EVENT_KEY}`);
    const events = JSON.parse(post.body) as QueuedEvent[];
    expect(events).toHaveLength(1);
    queuedEvent = events[0]!;
    expect(queuedEvent).toMatchObject({ id: `email-queued-${emailId}`, name: EMAIL_QUEUED, data: { tenant_id: tenantId, email_id: emailId, run_key: emailId } });
    expect(typeof queuedEvent.ts).toBe("number");
    // The SDK's own headers, as Inngest Cloud receives them.
    expect(post.headers["x-inngest-sdk"]).toMatch(/^inngest-js:v\d/);
  });

  it("keeps the local engine off: not started at start-up, never created, nothing stored in its tables", async () => {
    const lines = logLines();
    expect(lines.find((l) => l.msg === "local job engine not started here")).toMatchObject({ role: "app", reason: "Inngest Cloud is configured" });
    expect(lines.find((l) => l.msg === "courierx ready")).toMatchObject({ jobs: "external", database: "pglite" });
    expect(lines.filter((l) => l.msg === "local job engine started")).toEqual([]);

    const state = await probe();
    expect(state).toMatchObject({
      inngestCloud: true,
      engineCreated: false,
      enabledForApp: false,
      // Not even `npm run worker` would run it in this configuration.
      enabledForWorker: false,
      workerEngineStarted: false,
      jobRuns: 0,
      jobSteps: 0,
    });
    expect(state.getLocalEngineError).toMatch(/Inngest Cloud is configured/);
    expect(state.emails).toEqual([{ id: emailId, status: "queued" }]);
  });

  /** What Inngest Cloud POSTs to run send-email's first step for the event it received. */
  function runCall(event: QueuedEvent): Record<string, unknown> {
    return {
      event,
      events: [event],
      steps: {},
      ctx: { run_id: `01J${randomBytes(11).toString("hex").toUpperCase()}`, attempt: 0, max_attempts: 6, disable_immediate_execution: false, use_api: false, stack: { stack: [], current: 0 } },
      version: 2,
    };
  }
  const runUrl = `/api/inngest?fnId=${SEND_EMAIL_FN}&stepId=step`;

  it("/api/inngest refuses unsigned, wrongly signed, tampered and expired calls with 401 and runs nothing", async () => {
    const body = canonical(runCall(queuedEvent));
    const json = { "content-type": "application/json" };
    const tampered = canonical(runCall({ ...queuedEvent, data: { ...queuedEvent.data, run_key: `${emailId}:other` } }));
    const refused = [
      { name: "unsigned", headers: json, body },
      { name: "signed with another key", headers: { ...json, "x-inngest-signature": signature(body, OTHER_SIGNING_KEY) }, body },
      { name: "signature of another body", headers: { ...json, "x-inngest-signature": signature(body, SIGNING_KEY) }, body: tampered },
      { name: "expired (10 minutes old)", headers: { ...json, "x-inngest-signature": signature(body, SIGNING_KEY, Math.floor(Date.now() / 1000) - 600) }, body },
      { name: "malformed header", headers: { ...json, "x-inngest-signature": "not-a-signature" }, body },
    ];
    for (const call of refused) {
      const res = await request("POST", runUrl, { headers: call.headers, body: call.body });
      expect({ call: call.name, status: res.status, body: res.body }).toEqual({ call: call.name, status: 401, body: { message: "Unauthorized" } });
      expect(res.headers.get("x-inngest-signature"), call.name).toBeNull();
    }

    const unsignedIntrospection = await request("GET", "/api/inngest");
    expect(unsignedIntrospection.status).toBe(401);
    const syncBody = canonical({ url: "https://courierx.example/api/inngest" });
    const syncHeaders = { "content-type": "application/json", "x-inngest-sync-kind": "in_band" };
    expect((await request("PUT", "/api/inngest", { headers: syncHeaders, body: syncBody })).status).toBe(401);
    expect((await request("PUT", "/api/inngest", { headers: { ...syncHeaders, "x-inngest-signature": signature(syncBody, OTHER_SIGNING_KEY) }, body: syncBody })).status).toBe(401);

    // None of those calls ran send-email's first step: the email is untouched.
    const state = await probe();
    expect(state.emails).toEqual([{ id: emailId, status: "queued" }]);
    expect(state).toMatchObject({ jobRuns: 0, jobSteps: 0, engineCreated: false });
  });

  it("/api/inngest accepts calls signed as Inngest Cloud signs them, runs the queued event's function and signs its answer", async () => {
    const introspection = await request("GET", "/api/inngest", { headers: { "x-inngest-signature": signature("", SIGNING_KEY) } });
    expect(introspection.status, introspection.text).toBe(200);
    expect(introspection.body).toMatchObject({ mode: "cloud", authentication_succeeded: true, app_id: "courierx", has_event_key: true, has_signing_key: true, event_api_origin: eventApi.url });

    const syncBody = canonical({ url: "https://courierx.example/api/inngest" });
    const sync = await request("PUT", "/api/inngest", {
      headers: { "content-type": "application/json", "x-inngest-sync-kind": "in_band", "x-inngest-signature": signature(syncBody, SIGNING_KEY) },
      body: syncBody,
    });
    expect(sync.status, sync.text).toBe(200);
    const functions = (sync.body.functions as { id: string; triggers: { event?: string }[]; steps: Record<string, { runtime: { url: string } }> }[]) ?? [];
    const sendEmail = functions.find((f) => f.id === SEND_EMAIL_FN);
    expect(sendEmail?.triggers).toEqual([{ event: EMAIL_QUEUED }]);
    expect(sendEmail?.steps.step?.runtime.url).toBe(`https://courierx.example/api/inngest?fnId=${SEND_EMAIL_FN}&stepId=step`);

    // The event the event API received, handed back the way Inngest Cloud starts its run.
    const body = canonical(runCall(queuedEvent));
    const run = await request<{ op: string; id: string; data?: unknown }[]>("POST", runUrl, {
      headers: { "content-type": "application/json", "x-inngest-signature": signature(body, SIGNING_KEY) },
      body,
    });
    expect(run.status, run.text).toBe(206);
    expect(run.body.map((op) => op.op)).toEqual(["StepRun"]);
    // The SDK signs its answer with the same key, over the exact body it sent.
    const answerSignature = run.headers.get("x-inngest-signature");
    const t = Number(new URLSearchParams(answerSignature ?? "").get("t"));
    expect(answerSignature).toBe(signature(run.text, SIGNING_KEY, t));

    // The step really ran in the app: this tenant has no provider connection, so the email failed for good.
    const email = await request("GET", `/api/v1/emails/${emailId}`, { headers: { authorization: `Bearer ${apiKey}` } });
    expect(email.status, email.text).toBe(200);
    expect(email.body.status).toBe("failed");
    // The run's state lives in Inngest Cloud: the local engine's tables stay empty, the engine uncreated.
    const state = await probe();
    expect(state).toMatchObject({ jobRuns: 0, jobSteps: 0, engineCreated: false });
    // Only the one event ever went to the event API; the SDK called no other Inngest API.
    expect(eventApi.requests.map((r) => `${r.method} ${r.path}`)).toEqual([`POST /e/${EVENT_KEY}`]);
  });
});
