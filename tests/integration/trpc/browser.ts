/**
 * A browser of the dashboard: a cookie jar that signs in, reads its session and signs out through next-auth's
 * handler with the app's auth options — its API-route form, NextAuth(req, res, options), which hands requests
 * to the same core as the App Router form in app/api/auth (that one reads next/headers, which needs a Next.js
 * request scope a test does not have) — and calls /api/trpc through the route file with its cookies, as the
 * dashboard's client does.
 */
import NextAuth from "next-auth";
import { authOptions } from "@/server/auth/next-auth";
import { env } from "@/server/env";
import { call, type ApiResponse } from "../../helpers/api";

/** The session cookie's name (no NEXTAUTH_URL on https under test). */
export const SESSION_COOKIE = "next-auth.session-token";

export const TEST_SECRET = "test-next-auth-secret-".padEnd(48, "x");

/** The next-auth secret of the tests (before the first authOptions(), which keeps it). */
export function setTestNextAuthSecret(): void {
  env.NEXTAUTH_SECRET ??= TEST_SECRET;
}

/** What a test needs of a response: its status, Set-Cookie lines, and the JSON body or redirect. */
class CapturedResponse {
  statusCode = 200;
  readonly headers = new Map<string, string | string[]>();
  body: any;
  redirect: string | undefined;

  status(code: number) {
    this.statusCode = code;
    return this;
  }
  getHeader(name: string) {
    return this.headers.get(name.toLowerCase());
  }
  setHeader(name: string, value: string | string[]) {
    this.headers.set(name.toLowerCase(), value);
    if (name.toLowerCase() === "location") this.redirect = String(value);
    return this;
  }
  json(body: unknown) {
    this.body = body;
    if (body && typeof body === "object" && "url" in body) this.redirect = String(body.url);
  }
  send(body: unknown) {
    this.body = typeof body === "string" && body.startsWith("{") ? JSON.parse(body) : body;
  }
  end() {}
}

export class Browser {
  readonly cookies = new Map<string, string>();

  cookieHeader(): string {
    return [...this.cookies].map(([name, value]) => `${name}=${value}`).join("; ");
  }

  /** The session cookie's value, or undefined once cleared. */
  get sessionToken(): string | undefined {
    return this.cookies.get(SESSION_COOKIE);
  }

  /** Another browser holding copies of this one's cookies (a stolen cookie). */
  copy(): Browser {
    const other = new Browser();
    for (const [name, value] of this.cookies) other.cookies.set(name, value);
    return other;
  }

  private keep(setCookie: string | string[] | undefined): void {
    for (const line of [setCookie ?? []].flat()) {
      const [pair, ...attributes] = line.split(";");
      const at = pair!.indexOf("=");
      const name = pair!.slice(0, at).trim();
      const value = decodeURIComponent(pair!.slice(at + 1).trim());
      const cleared = attributes.some((a) => /^\s*max-age=0\s*$/i.test(a));
      if (value === "" || cleared) this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
  }

  /** One request to next-auth (`path` under /api/auth), as its route would hand it over. */
  async auth(method: "GET" | "POST", path: string, form?: Record<string, string>): Promise<{ status: number; body: any; redirect?: string }> {
    setTestNextAuthSecret();
    const req = {
      method,
      query: { nextauth: path.split("/") },
      body: form ?? {},
      cookies: Object.fromEntries(this.cookies),
      headers: { host: "localhost:3000", cookie: this.cookieHeader(), ...(form ? { "content-type": "application/x-www-form-urlencoded" } : {}) },
    };
    const res = new CapturedResponse();
    await (NextAuth as unknown as (req: unknown, res: unknown, options: unknown) => Promise<void>)(req, res, authOptions());
    this.keep(res.getHeader("set-cookie"));
    return { status: res.statusCode, body: res.body, redirect: res.redirect };
  }

  async csrfToken(): Promise<string> {
    return (await this.auth("GET", "csrf")).body.csrfToken;
  }

  /** Credentials sign-in; true when next-auth set a session cookie. */
  async signIn(email: string, password: string): Promise<boolean> {
    const csrfToken = await this.csrfToken();
    const res = await this.auth("POST", "callback/credentials", { csrfToken, email, password, json: "true" });
    return !res.redirect?.includes("error=") && this.sessionToken !== undefined;
  }

  /** GET /api/auth/session: the session's body ({} when signed out); re-issues the cookie. */
  async session(): Promise<any> {
    return (await this.auth("GET", "session")).body;
  }

  async signOut(): Promise<void> {
    const csrfToken = await this.csrfToken();
    await this.auth("POST", "signout", { csrfToken, json: "true" });
  }

  /** One tRPC call through app/api/trpc's route handler with this browser's cookies (same origin unless headers say otherwise). */
  trpc(path: string, input: unknown, type: "query" | "mutation", headers: Record<string, string> = {}): Promise<ApiResponse> {
    const all = { cookie: this.cookieHeader(), ...headers };
    if (type === "query") {
      const query = input === undefined ? "" : `?input=${encodeURIComponent(JSON.stringify(input))}`;
      return call("GET", `/api/trpc/${path}${query}`, { headers: all });
    }
    return call("POST", `/api/trpc/${path}`, { body: input, headers: { origin: "http://localhost", ...all } });
  }
}

/** A browser signed in as `email`. */
export async function signedIn(email: string, password = "correct horse battery"): Promise<Browser> {
  const browser = new Browser();
  if (!(await browser.signIn(email, password))) throw new Error(`sign-in as ${email} failed`);
  return browser;
}
