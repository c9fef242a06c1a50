/**
 * /api/trpc over HTTP, through its route file, as an attacker would reach it: a batch too big to be one
 * request's work, and mutations sent by another site's page to a signed-in visitor's browser (CSRF: a form
 * can post multipart/form-data, x-www-form-urlencoded or text/plain without asking, and the browser names the
 * page's origin). Refused before any procedure runs; the dashboard's own client still works.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { createTRPCClient, httpBatchLink } from "@trpc/client";
import { GET, POST } from "@/app/api/trpc/[trpc]/route";
import { env } from "@/server/env";
import { TRPC_MAX_BATCH_SIZE } from "@/server/trpc/init";
import type { AppRouter } from "@/server/trpc/root";
import { call } from "../../helpers/api";
import { callerFor, signUpOwner, type Owner } from "../../helpers/trpc";
import { signedIn, type Browser } from "./browser";

let owner: Owner;
let browser: Browser;
let n = 0;

beforeAll(async () => {
  owner = await signUpOwner();
  browser = await signedIn(owner.email);
});

async function suppressed(): Promise<string[]> {
  const list = await callerFor(owner.session).suppressions.list({ per_page: 100 });
  return list.items.map((s: { email: string }) => s.email).sort();
}

/** A POST of suppressions.create through the route, with these headers and this raw body. */
function post(headers: Record<string, string>, rawBody: string, path = "suppressions.create") {
  return call("POST", `/api/trpc/${path}`, { rawBody, headers: { cookie: browser.cookieHeader(), ...headers } });
}

describe("/api/trpc batches", () => {
  it(`refuses a batch of more than ${TRPC_MAX_BATCH_SIZE} calls with a 400 before any runs; ${TRPC_MAX_BATCH_SIZE} run`, async () => {
    expect(TRPC_MAX_BATCH_SIZE).toBe(20);
    const batch = (size: number) => {
      const emails = Array.from({ length: size }, () => `batch${++n}@example.com`);
      const paths = emails.map(() => "suppressions.create").join(",");
      return { emails, path: `${paths}?batch=1`, body: JSON.stringify(Object.fromEntries(emails.map((email, i) => [i, { email }]))) };
    };
    const before = await suppressed();
    const tooBig = batch(21);
    const refused = await post({ "content-type": "application/json", origin: "http://localhost" }, tooBig.body, tooBig.path);
    expect(refused.status).toBe(400);
    expect(JSON.stringify(refused.body)).toContain("Batch call exceeds maximum size");
    expect(await suppressed()).toEqual(before);
    // Queries too (GET batches).
    const reads = Array.from({ length: 21 }, () => "account.me").join(",");
    expect((await call("GET", `/api/trpc/${reads}?batch=1`, { headers: { cookie: browser.cookieHeader() } })).status).toBe(400);
    const fits = batch(20);
    const ok = await post({ "content-type": "application/json", origin: "http://localhost" }, fits.body, fits.path);
    expect(ok.status, ok.text).toBe(200);
    expect(ok.body).toHaveLength(20);
    expect(await suppressed()).toEqual([...before, ...fits.emails].sort());
  });
});

describe("/api/trpc cross-site requests", () => {
  const json = () => JSON.stringify({ email: `csrf${++n}@example.com` });

  it("refuses a mutation that is not application/json with 415 and runs nothing — what a form on another site can send", async () => {
    const before = await suppressed();
    const form = new FormData();
    form.set("email", "form@example.com");
    const multipart = new Request("http://localhost/api/trpc/suppressions.create", { method: "POST", body: form, headers: { cookie: browser.cookieHeader() } });
    const res = await POST(multipart);
    expect(res.status).toBe(415);
    expect((await res.json()).error.data).toEqual({ code: "UNSUPPORTED_MEDIA_TYPE", httpStatus: 415 });
    for (const contentType of ["text/plain", "text/plain;charset=UTF-8", "application/x-www-form-urlencoded", "application/jsonp", "application/json-seq"]) {
      const refused = await post({ "content-type": contentType }, json());
      expect(refused.status, contentType).toBe(415);
    }
    expect((await call("POST", "/api/trpc/suppressions.create", { rawBody: json(), headers: { cookie: browser.cookieHeader() } })).status).toBe(415);
    expect(await suppressed()).toEqual(before);
  });

  it("refuses a mutation from another origin, or that the browser calls cross-site, with 403", async () => {
    const before = await suppressed();
    const cases: Record<string, string>[] = [
      { origin: "https://evil.example" },
      { origin: "http://localhost.evil.example" },
      { origin: "http://localhost:3001" },
      { origin: "null" },
      { "sec-fetch-site": "cross-site" },
      { "sec-fetch-site": "same-site" },
      { origin: "http://localhost", "sec-fetch-site": "cross-site" },
    ];
    for (const headers of cases) {
      const res = await post({ "content-type": "application/json", ...headers }, json());
      expect(res.status, JSON.stringify(headers)).toBe(403);
      expect(res.body.error.data.code).toBe("FORBIDDEN");
    }
    expect(await suppressed()).toEqual(before);
  });

  it("runs a JSON mutation from the app's own origin: the request's host, a proxy's forwarded host, or APP_URL", async () => {
    const accepted: Record<string, string>[] = [
      {},
      { origin: "http://localhost", "sec-fetch-site": "same-origin" },
      { origin: "https://dash.example.com", "x-forwarded-host": "dash.example.com" },
      { origin: "https://app.example.com" },
      { "content-type": "application/json; charset=utf-8", "sec-fetch-site": "none" },
    ];
    const appUrl = env.APP_URL;
    env.APP_URL = "https://app.example.com";
    try {
      for (const headers of accepted) {
        const res = await post({ "content-type": "application/json", ...headers }, json());
        expect(res.status, JSON.stringify(headers)).toBe(200);
      }
    } finally {
      env.APP_URL = appUrl;
    }
    expect((await post({ "content-type": "application/json", origin: "https://app.example.com" }, json())).status).toBe(403);
  });

  it("keeps queries (GET, reads) open to any origin", async () => {
    const res = await call("GET", "/api/trpc/account.me", { headers: { cookie: browser.cookieHeader(), origin: "https://evil.example", "sec-fetch-site": "cross-site" } });
    expect(res.status).toBe(200);
    // A mutation cannot be sent as a GET.
    const asGet = await call("GET", `/api/trpc/suppressions.create?input=${encodeURIComponent(json())}`, { headers: { cookie: browser.cookieHeader() } });
    expect(asGet.status).toBe(405);
  });

  it("lets the dashboard's client (httpBatchLink, split at the batch limit) query and mutate", async () => {
    const requests: Request[] = [];
    const client = createTRPCClient<AppRouter>({
      links: [
        httpBatchLink({
          url: "http://localhost/api/trpc",
          maxItems: TRPC_MAX_BATCH_SIZE,
          // The browser adds the page's cookie, and Origin on POSTs; the route answers as over the network.
          fetch: async (url, init) => {
            const headers = new Headers(init?.headers as HeadersInit);
            headers.set("cookie", browser.cookieHeader());
            if (init?.method === "POST") headers.set("origin", "http://localhost");
            const req = new Request(url as string, { ...(init as RequestInit), headers });
            requests.push(req.clone());
            return req.method === "POST" ? POST(req) : GET(req);
          },
        }),
      ],
    });
    const email = `client${++n}@example.com`;
    expect(await client.suppressions.create.mutate({ email })).toMatchObject({ email, created: true });
    expect(requests.at(-1)!.headers.get("content-type")).toBe("application/json");
    const reads = await Promise.all(Array.from({ length: 25 }, () => client.account.me.query()));
    expect(reads.every((r) => r.user?.id === owner.session.userId)).toBe(true);
    expect(requests.filter((r) => r.method === "GET")).toHaveLength(2);
  });
});
