/**
 * Fixtures for the Playwright specs in tests/e2e. Import `test` and `expect` from here, not from
 * @playwright/test:
 *
 *   import { expect, screenshot, test } from "./support/fixtures";
 *
 *   test("…", async ({ page, seedTenant, api, emulators, inbox }) => {
 *     const tenant = await seedTenant();                 // registered through REST, signed into the browser
 *     await page.goto("/overview");
 *     await screenshot(page, "overview");                // test-results/screenshots/overview-{desktop,phone}.png
 *     const key = await api.as(tenant.token).post("/api_keys", { name: "e2e" });
 *     await emulators.fail("sendgrid", "5xx", { times: Infinity });
 *     const mail = await inbox.waitFor({ to: "someone@example.com" });
 *   });
 *
 * The app: global-setup.ts builds it when stale and runs `next start` on a fresh database (PGlite, or a
 * fresh PostgreSQL database with TEST_DATABASE_URL); `page.goto("/…")` and `api` paths are relative to it
 * (`baseURL`). It runs with TRUST_PROXY=1 and short provider timeouts and retries (PROVIDER_TIMEOUT_MS 3 s,
 * SEND_RETRY_DELAYS 1s,2s,5s); see TEST_APP_ENV there.
 *
 * Test fixtures:
 * - `clientAddress: string` — the X-Forwarded-For every request of the test carries (browser and `request`),
 *   unique per test, so the per-address register/sign-in limit (30 a minute) counts per test. Override it
 *   with `test.use({ clientAddress: "203.0.113.7" })` to share one address on purpose.
 * - `uniqueEmail(label?)` — a fresh address (`label-w0-…@example.com`) for users and recipients.
 * - `seedTenant(options?)` → `SeededTenant` — POST /api/v1/auth/register with a unique email (options:
 *   `name`, `email`, `password`, `signIn: false` to skip the browser sign-in), then signs that user into
 *   the page's browser context through /api/auth/csrf + /api/auth/callback/credentials. Returns the
 *   credentials, the REST session `token` (a Bearer JWT for `api`), `userId` and `tenantId`.
 * - `signIn({ email, password }, context?)` — the same browser sign-in for any user (the page's context by
 *   default); throws when the app refuses it. `signOut(context?)` clears it through next-auth.
 * - `api` — /api/v1 over HTTP: `api.call(method, path, { token, body, headers })` → `{ status, body,
 *   headers }` (body parsed JSON, null when empty); `api.as(tokenOrKey)` gives `get/post/patch/put/delete`
 *   with that Bearer (a REST session token or a `cxk_…` key). Paths are below /api/v1 ("/emails") unless
 *   they start with "/api/". Never throws on a status: assert it.
 * - `emulators` — this worker's provider emulators and SMTP server (tests/emulators/index.ts): what to type
 *   into a connect form (`emulators.endpoints.sendgrid`, `emulators.credentials.sendgrid.apiKey`,
 *   `emulators.smtp.host`/`.port`, `emulators.credentials.smtp.user`/`.password`; the SMTP server needs
 *   STARTTLS and has a self-signed certificate, so connect it with tls_reject_unauthorized false), what
 *   the providers received (`emulators.http.requests("sendgrid")`), and faults:
 *   `await emulators.fail("sendgrid", "5xx", { times: Infinity })` (see tests/emulators/fault-plan.ts and
 *   the HttpFault / SmtpFault types; "refuse" closes the port). After every test the emulators are reset:
 *   faults healed, records forgotten.
 * - `inbox` — the mail the SMTP emulator received, parsed: `await inbox.messages({ to?, subject? })` →
 *   `InboxMessage[]`, `inbox.waitFor({ to?, subject? }, { timeout })` → the first match (default 15 s).
 *
 * Functions:
 * - `screenshot(page, name)` — full-page screenshots at 1280×800 (`<name>-desktop.png`) and 390×844
 *   (`<name>-phone.png`) into test-results/screenshots/, then the viewport is restored. Name them by page
 *   and state ("sign-in", "emails-empty", "provider-form-error"): a second call with a name overwrites.
 *
 * Emulators are per worker, started on first use: a fault one spec injects cannot reach a spec running in
 * the other worker. Within a worker tests run one at a time.
 */
import { test as base, expect, type BrowserContext, type Page } from "@playwright/test";
import path from "node:path";
import { startEmulators, type Emulators } from "../../emulators";

export { expect };

export interface SeededTenant {
  name: string;
  email: string;
  password: string;
  /** The REST session JWT of the owner (Bearer for /api/v1). */
  token: string;
  userId: string;
  tenantId: string;
}

export interface SeedOptions {
  name?: string;
  email?: string;
  password?: string;
  /** Sign the owner into the page's browser context (default true). */
  signIn?: boolean;
}

export interface ApiResponse<T = any> {
  status: number;
  body: T;
  headers: Record<string, string>;
}

export interface ApiCallOptions {
  /** A REST session token or an API key, sent as Bearer. */
  token?: string;
  body?: unknown;
  headers?: Record<string, string>;
}

export interface BoundApi {
  get<T = any>(path: string): Promise<ApiResponse<T>>;
  post<T = any>(path: string, body?: unknown): Promise<ApiResponse<T>>;
  patch<T = any>(path: string, body?: unknown): Promise<ApiResponse<T>>;
  put<T = any>(path: string, body?: unknown): Promise<ApiResponse<T>>;
  delete<T = any>(path: string): Promise<ApiResponse<T>>;
}

export interface Api {
  call<T = any>(method: string, path: string, options?: ApiCallOptions): Promise<ApiResponse<T>>;
  as(token: string): BoundApi;
}

export interface InboxMessage {
  envelope: { from: string; to: string[] };
  from: string;
  to: string[];
  subject: string;
  text: string;
  html: string;
  headers: Record<string, string>;
  /** Whether the session had been upgraded with STARTTLS, and who authenticated. */
  secure: boolean;
  user?: string;
}

export interface InboxFilter {
  /** An envelope recipient (case-insensitive). */
  to?: string;
  subject?: string | RegExp;
}

export interface Inbox {
  messages(filter?: InboxFilter): Promise<InboxMessage[]>;
  waitFor(filter: InboxFilter, options?: { timeout?: number }): Promise<InboxMessage>;
}

export interface Credentials {
  email: string;
  password: string;
}

interface TestFixtures {
  clientAddress: string;
  uniqueEmail: (label?: string) => string;
  api: Api;
  signIn: (credentials: Credentials, context?: BrowserContext) => Promise<void>;
  signOut: (context?: BrowserContext) => Promise<void>;
  seedTenant: (options?: SeedOptions) => Promise<SeededTenant>;
  emulators: Emulators;
  inbox: Inbox;
}

interface WorkerFixtures {
  workerEmulators: Emulators;
}

export const DEFAULT_PASSWORD = "correct-horse-battery";

const VIEWPORTS = [
  ["desktop", { width: 1280, height: 800 }],
  ["phone", { width: 390, height: 844 }],
] as const;

let sequence = 0;

/**
 * Full-page screenshots of `page` at 1280×800 and 390×844 into test-results/screenshots/<name>-desktop.png
 * and <name>-phone.png; the viewport is restored afterwards. (A function, not a fixture: Playwright's own
 * `screenshot` option keeps taking the failure screenshots.)
 */
export async function screenshot(page: Page, name: string): Promise<void> {
  const dir = path.join(test.info().project.outputDir, "screenshots");
  const safe = name.replace(/[^a-z0-9._-]+/gi, "-");
  const original = page.viewportSize();
  try {
    for (const [suffix, size] of VIEWPORTS) {
      await page.setViewportSize(size);
      // Let the layout settle at the new width (fonts, one frame) before capturing.
      await page.evaluate(() => document.fonts.ready.then(() => new Promise((resolve) => requestAnimationFrame(() => resolve(null)))));
      await page.screenshot({ path: path.join(dir, `${safe}-${suffix}.png`), fullPage: true, animations: "disabled", caret: "hide" });
    }
  } finally {
    if (original) await page.setViewportSize(original);
  }
}

/** A per-process counter with the worker and the time: unique within a run and across runs on one database. */
function uniqueSuffix(workerIndex: number): string {
  sequence += 1;
  return `w${workerIndex}-${Date.now().toString(36)}-${sequence}`;
}

function apiPath(p: string): string {
  return p.startsWith("/api/") ? p : `/api/v1${p.startsWith("/") ? p : `/${p}`}`;
}

// Fixture functions name Playwright's `use` callback `provide` (React's hooks lint rule claims the name `use`).
export const test = base.extend<TestFixtures, WorkerFixtures>({
  baseURL: async ({}, provide) => {
    const url = process.env.E2E_BASE_URL;
    if (!url) throw new Error("E2E_BASE_URL is not set: run the specs through `npx playwright test` (global-setup.ts starts the app)");
    await provide(url);
  },

  clientAddress: async ({}, provide, testInfo) => {
    sequence += 1;
    // 10.<worker>.<n>.<n>: an address per test, as the one trusted proxy in front of the app would report it.
    await provide(`10.${testInfo.workerIndex % 256}.${(sequence >> 8) % 256}.${sequence % 256}`);
  },

  extraHTTPHeaders: async ({ clientAddress }, provide) => {
    await provide({ "x-forwarded-for": clientAddress });
  },

  uniqueEmail: async ({}, provide, testInfo) => {
    await provide((label = "user") => `${label}-${uniqueSuffix(testInfo.workerIndex)}@example.com`.toLowerCase());
  },

  api: async ({ request }, provide) => {
    const call = async <T,>(method: string, p: string, options: ApiCallOptions = {}): Promise<ApiResponse<T>> => {
      const headers: Record<string, string> = { ...options.headers };
      if (options.token) headers.authorization = `Bearer ${options.token}`;
      const response = await request.fetch(apiPath(p), { method, headers, ...(options.body !== undefined ? { data: options.body } : {}), maxRedirects: 0 });
      const text = await response.text();
      let body: unknown = null;
      if (text) {
        try {
          body = JSON.parse(text);
        } catch {
          body = text;
        }
      }
      return { status: response.status(), body: body as T, headers: response.headers() };
    };
    const as = (token: string): BoundApi => ({
      get: (p) => call("GET", p, { token }),
      post: (p, body) => call("POST", p, { token, body }),
      patch: (p, body) => call("PATCH", p, { token, body }),
      put: (p, body) => call("PUT", p, { token, body }),
      delete: (p) => call("DELETE", p, { token }),
    });
    await provide({ call, as });
  },

  signIn: async ({ context: pageContext }, provide) => {
    await provide(async ({ email, password }, context = pageContext) => {
      const csrf = await context.request.get("/api/auth/csrf");
      expect(csrf.status(), "GET /api/auth/csrf").toBe(200);
      const { csrfToken } = (await csrf.json()) as { csrfToken: string };
      const response = await context.request.post("/api/auth/callback/credentials", {
        form: { csrfToken, email, password, json: "true" },
        maxRedirects: 0,
      });
      const answer = (await response.json().catch(() => ({}))) as { url?: string };
      const error = answer.url ? new URL(answer.url).searchParams.get("error") : null;
      if (response.status() !== 200 || error) throw new Error(`sign-in of ${email} refused: ${response.status()} ${error ?? ""}`.trim());
      const session = (await (await context.request.get("/api/auth/session")).json()) as { user?: { email?: string } };
      if (session.user?.email !== email.toLowerCase()) throw new Error(`sign-in of ${email} left no session: ${JSON.stringify(session)}`);
    });
  },

  signOut: async ({ context: pageContext }, provide) => {
    await provide(async (context = pageContext) => {
      const { csrfToken } = (await (await context.request.get("/api/auth/csrf")).json()) as { csrfToken: string };
      await context.request.post("/api/auth/signout", { form: { csrfToken, json: "true" }, maxRedirects: 0 });
    });
  },

  seedTenant: async ({ api, signIn, uniqueEmail }, provide) => {
    await provide(async (options = {}) => {
      const email = (options.email ?? uniqueEmail("owner")).toLowerCase();
      const password = options.password ?? DEFAULT_PASSWORD;
      const name = options.name ?? `E2E ${email.split("@")[0]}`;
      const registered = await api.call("POST", "/auth/register", { body: { name, email, password, password_confirmation: password } });
      if (registered.status !== 201) throw new Error(`register ${email}: ${registered.status} ${JSON.stringify(registered.body)}`);
      const body = registered.body as { token: string; user: { id: string }; account: { id: string } };
      if (options.signIn !== false) await signIn({ email, password });
      return { name, email, password, token: body.token, userId: body.user.id, tenantId: body.account.id };
    });
  },

  workerEmulators: [
    async ({}, provide) => {
      const emulators = await startEmulators();
      await provide(emulators);
      await emulators.stop();
    },
    { scope: "worker" },
  ],

  emulators: async ({ workerEmulators }, provide) => {
    await provide(workerEmulators);
    await workerEmulators.reset();
  },

  inbox: async ({ emulators }, provide) => {
    const messages = async (filter: InboxFilter = {}): Promise<InboxMessage[]> => {
      const parsed = await Promise.all(
        emulators.smtp.received.map(async (mail): Promise<InboxMessage> => {
          const p = await emulators.smtp.parse(mail);
          const headers: Record<string, string> = {};
          for (const line of p.headerLines) headers[line.key] = line.line.slice(line.line.indexOf(":") + 1).trim();
          const to = (Array.isArray(p.to) ? p.to : p.to ? [p.to] : []).flatMap((a) => a.value.map((v) => v.address ?? ""));
          return {
            envelope: mail.envelope,
            from: p.from?.value[0]?.address ?? "",
            to,
            subject: p.subject ?? "",
            text: p.text ?? "",
            html: typeof p.html === "string" ? p.html : "",
            headers,
            secure: mail.secure,
            ...(mail.user ? { user: mail.user } : {}),
          };
        }),
      );
      return parsed.filter((m) => {
        if (filter.to && !m.envelope.to.some((r) => r.toLowerCase() === filter.to!.toLowerCase())) return false;
        if (filter.subject instanceof RegExp) return filter.subject.test(m.subject);
        return filter.subject === undefined || m.subject === filter.subject;
      });
    };
    const waitFor = async (filter: InboxFilter, options: { timeout?: number } = {}): Promise<InboxMessage> => {
      const deadline = Date.now() + (options.timeout ?? 15_000);
      for (;;) {
        const [first] = await messages(filter);
        if (first) return first;
        if (Date.now() > deadline) {
          const seen = (await messages()).map((m) => `${m.envelope.to.join(",")}: ${m.subject}`);
          throw new Error(`no mail matching ${JSON.stringify({ ...filter, subject: String(filter.subject ?? "") })} arrived; received: ${JSON.stringify(seen)}`);
        }
        await new Promise((resolve) => setTimeout(resolve, 200));
      }
    };
    await provide({ messages, waitFor });
  },
});
