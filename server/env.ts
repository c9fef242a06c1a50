/**
 * The only reader of process.env. The runtime mode follows the configuration, not NODE_ENV: without
 * DATABASE_URL the app runs embedded (PGlite in DATA_DIR, local job engine, generated secrets).
 */
import { createHmac, randomBytes } from "node:crypto";
import { closeSync, fsyncSync, linkSync, mkdirSync, openSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { isIPv4, isIPv6 } from "node:net";
import path from "node:path";
import { z } from "zod";
import { parseKeyRing, type KeyRing } from "./lib/crypto";
import { parseDuration } from "./lib/duration";
import { logger, setLogLevel } from "./lib/logger";
import type { OutboundPolicy } from "./lib/outbound-guard";

const bool = z
  .enum(["true", "false", "1", "0", ""])
  .optional()
  .transform((v) => v === "true" || v === "1");

const positiveInt = (fallback: number) =>
  z
    .string()
    .optional()
    .transform((v, ctx) => {
      if (v === undefined || v === "") return fallback;
      const n = Number(v);
      if (!Number.isInteger(n) || n <= 0) {
        ctx.addIssue({ code: "custom", message: "must be a positive whole number" });
        return z.NEVER;
      }
      return n;
    });

/** Pauses between retries, e.g. "30s,2m,1h" (server/lib/duration.ts parses them). */
const durationList = (fallback: string) =>
  z
    .string()
    .default(fallback)
    .refine((v) => v.split(",").every((d) => /^\d+(ms|s|m|h)$/.test(d.trim())), "must be a comma-separated list of durations such as 30s,2m,1h");

const schema = z.object({
  NODE_ENV: z.enum(["development", "test", "production"]).default("development"),
  DATABASE_URL: z
    .string()
    .optional()
    .transform((v) => (v ? v : undefined))
    .refine((v) => v === undefined || /^postgres(ql)?:\/\//.test(v), "must be a postgres:// or postgresql:// URL"),
  DATA_DIR: z.string().default(".data"),
  JWT_SECRET: z.string().min(32, "must be at least 32 characters").optional(),
  ENCRYPTION_KEYS: z.string().optional(),
  /** Signs and encrypts the dashboard's next-auth session cookies. */
  NEXTAUTH_SECRET: z.string().min(32, "must be at least 32 characters").optional(),
  RATE_LIMIT_PER_MINUTE: positiveInt(600),
  ALLOW_PRIVATE_OUTBOUND: bool,
  /** Loopback only (a relay on the same host, the e2e emulators on PostgreSQL), not the private ranges. */
  ALLOW_LOOPBACK_OUTBOUND: bool,
  /**
   * Where the client address of anonymous requests (register, login) comes from: unset/false = the socket
   * peer only; `vercel` = the header Vercel's edge sets; N = behind N proxies that append to X-Forwarded-For.
   */
  TRUST_PROXY: z
    .string()
    .optional()
    .transform((v, ctx): TrustProxy => {
      const value = (v ?? "").trim().toLowerCase();
      if (value === "" || value === "false" || value === "0") return { kind: "none" };
      if (value === "vercel") return { kind: "vercel" };
      if (/^[1-9]\d?$/.test(value)) return { kind: "hops", hops: Number(value) };
      ctx.addIssue({ code: "custom", message: "must be false, vercel, or the number of proxies in front of the app (1-99)" });
      return z.NEVER;
    }),
  INNGEST_EVENT_KEY: z.string().optional(),
  INNGEST_SIGNING_KEY: z.string().optional(),
  INNGEST_SIGNING_KEY_FALLBACK: z.string().optional(),
  INNGEST_BASE_URL: z.string().url().optional(),
  LOCAL_ENGINE: z.enum(["on", "off", ""]).optional(),
  /** How long a local-engine worker holds a run without renewing it: the delay before a crashed worker's runs resume elsewhere. */
  JOB_LEASE_MS: positiveInt(30_000),
  /** How long the local engine keeps finished runs (completed, failed, cancelled) and their steps, e.g. 7d or 12h. */
  JOB_RETENTION: z
    .string()
    .default("7d")
    // Pruning a run drops its idempotency record: keep runs for an hour at least.
    .refine((v) => /^\d+(ms|s|m|h|d)$/.test(v.trim()) && parseDuration(v) >= 3_600_000, "must be a duration of at least 1h, such as 7d or 12h"),
  /** How long finished outgoing-webhook deliveries (and their attempt logs) are kept, e.g. 30d; at least 1d. */
  WEBHOOK_LOG_RETENTION: z
    .string()
    .default("30d")
    // A delivery's run ends within about a day of retries: keep its log at least that long.
    .refine((v) => /^\d+(ms|s|m|h|d)$/.test(v.trim()) && parseDuration(v) >= 86_400_000, "must be a duration of at least 1d, such as 30d"),
  /** Consecutive infrastructure failures of a local-engine run's calls (no answer, 5xx) before the run fails and its onFailure runs. */
  JOB_MAX_INFRA_FAILURES: positiveInt(20),
  PROVIDER_TIMEOUT_MS: positiveInt(10_000),
  /** How long a provider attempt may be in flight before another holder may take it over (default: the provider timeout + 10 s). */
  ATTEMPT_LEASE_MS: positiveInt(0).transform((v) => (v === 0 ? undefined : v)),
  /** A connection with a request pending this long and no answer since is treated as down for new sends. */
  SLOW_PROVIDER_MS: positiveInt(2_500),
  CIRCUIT_FAILURE_THRESHOLD: positiveInt(3),
  CIRCUIT_COOLDOWN_MS: positiveInt(30_000),
  SEND_RETRY_DELAYS: durationList("30s,2m,10m,30m,2h"),
  /** Outgoing webhooks: the pauses between a delivery's attempts (11 attempts over about a day by default). */
  WEBHOOK_RETRY_DELAYS: durationList("5s,30s,2m,10m,30m,1h,2h,4h,8h,8h"),
  /** Outgoing webhooks: the budget of one attempt (connect, request, answer). */
  WEBHOOK_TIMEOUT_MS: positiveInt(10_000),
  LOG_LEVEL: z.enum(["debug", "info", "warn", "error", "silent"]).default("info"),
  APP_URL: z.string().url().optional(),
  /**
   * DNS servers for domain verification, `ip[:port]` comma-separated (IPv6 with a port as `[::1]:53`), in
   * the form node:dns `setServers` takes; unset = the system's resolvers.
   */
  DNS_SERVERS: z
    .string()
    .optional()
    .transform((v, ctx) => {
      const servers = (v ?? "").split(",").map((s) => s.trim()).filter(Boolean);
      const bad = servers.filter((s) => !isDnsServer(s));
      if (bad.length === 0) return servers.length > 0 ? servers : undefined;
      ctx.addIssue({ code: "custom", message: `must be comma-separated ip[:port] entries (IPv6 with a port as [::1]:53); not: ${bad.join(", ")}` });
      return z.NEVER;
    }),
  /** The whole budget of one domain verification's DNS lookups (they run in parallel). */
  DNS_TIMEOUT_MS: positiveInt(5_000),
  /** Benchmarks only: serves /api/bench/echo, the bare route the send API is compared with. */
  BENCH_ROUTES: bool,
});

function isDnsServer(entry: string): boolean {
  const bracketed = /^\[([^\]]+)\](?::(\d{1,5}))?$/.exec(entry);
  const v4 = /^([\d.]+)(?::(\d{1,5}))?$/.exec(entry);
  const [host, port] = bracketed ? [bracketed[1]!, bracketed[2]] : v4 ? [v4[1]!, v4[2]] : [entry, undefined];
  const hostOk = bracketed ? isIPv6(host) : v4 ? isIPv4(host) : isIPv6(host);
  return hostOk && (port === undefined || (Number(port) >= 1 && Number(port) <= 65_535));
}

export type TrustProxy = { kind: "none" } | { kind: "vercel" } | { kind: "hops"; hops: number };

export type Env = z.infer<typeof schema>;

function parseEnv(source: NodeJS.ProcessEnv): Env {
  const result = schema.safeParse(source);
  if (!result.success) {
    const lines = result.error.issues.map((i) => `  ${i.path.join(".")}: ${i.message}`);
    throw new Error(`Invalid environment configuration:\n${lines.join("\n")}`);
  }
  return result.data;
}

export const env: Env = parseEnv(process.env);
setLogLevel(env.LOG_LEVEL);

/**
 * Replaces `process.env` with a plain-object copy, once a server process (Next.js, the worker) has started.
 * Node's own `process.env` reads the C environment on every access, and the Inngest SDK copies the whole
 * environment (`Object.entries(process.env)`) on every env lookup — per call it serves, per `inngest.send`:
 * 18.6 % of the worker's CPU in the profile of issue 17. A plain object answers the same reads ~15x faster.
 * Writes still work and child processes inherit them, but they no longer reach the C environment: worker
 * threads (which copy it), native code, and `TZ` changes do not see them. Nothing here uses those after start-up.
 */
export function pinProcessEnv(): void {
  process.env = { ...process.env };
}

export const mode: "embedded" | "postgres" = env.DATABASE_URL ? "postgres" : "embedded";

/** Production: a real database under NODE_ENV=production. Then secrets must come from the environment. */
export const isProduction = env.NODE_ENV === "production" && mode === "postgres";

/** Inngest Cloud (or a self-hosted server) is used when both keys are set; otherwise the local engine. */
export const inngestCloud = Boolean(env.INNGEST_EVENT_KEY && env.INNGEST_SIGNING_KEY);

/**
 * Where webhooks, provider endpoint overrides and SMTP hosts may point (server/lib/outbound-guard.ts):
 * loopback only in the embedded default (one machine, local relays and emulators); private, link-local and
 * other internal ranges in no mode unless ALLOW_PRIVATE_OUTBOUND says so (which also allows loopback);
 * ALLOW_LOOPBACK_OUTBOUND allows loopback alone with a DATABASE_URL.
 * Keyed on the database, not NODE_ENV: a worker started without NODE_ENV on the production database must
 * not reach the host's own services. Read at call time (tests switch it).
 */
export function outboundPolicy(): OutboundPolicy {
  const embedded = !env.DATABASE_URL;
  return { allowLoopback: embedded || env.ALLOW_LOOPBACK_OUTBOUND || env.ALLOW_PRIVATE_OUTBOUND, allowPrivate: env.ALLOW_PRIVATE_OUTBOUND };
}

export const dataDir = path.resolve(env.DATA_DIR);

export interface Secrets {
  jwtSecret: Uint8Array;
  keyRing: KeyRing;
  /** Signs the local engine's calls to the Inngest serve handler, so the SDK runs in cloud mode. */
  localSigningKey: string;
}

let secrets: Secrets | undefined;

/**
 * Secrets from the environment; in the embedded default (or any non-production run) the missing ones are
 * generated once into DATA_DIR/secrets.json so restarts keep decrypting and keep tokens valid.
 */
export function getSecrets(): Secrets {
  if (secrets) return secrets;
  const missing = [!env.JWT_SECRET && "JWT_SECRET", !env.ENCRYPTION_KEYS && "ENCRYPTION_KEYS"].filter(Boolean) as string[];
  if (missing.length > 0 && isProduction) {
    throw new Error(
      `Missing required environment variables for production: ${missing.join(", ")}. ` +
        "Generate them with: node -e \"console.log(require('crypto').randomBytes(32).toString('base64'))\" " +
        "(ENCRYPTION_KEYS takes the form 1:<base64 32 bytes>[,2:<base64 32 bytes>]).",
    );
  }
  const stored = missing.length > 0 || !env.INNGEST_SIGNING_KEY ? loadGeneratedSecrets() : undefined;
  secrets = {
    jwtSecret: new TextEncoder().encode(env.JWT_SECRET ?? stored!.jwtSecret),
    keyRing: parseKeyRing(env.ENCRYPTION_KEYS ?? stored!.encryptionKeys),
    localSigningKey: env.INNGEST_SIGNING_KEY ?? stored!.localSigningKey,
  };
  return secrets;
}

let nextAuthSecret: string | undefined;

/**
 * The next-auth secret: NEXTAUTH_SECRET, else (outside production) the generated one. Required in production
 * when the dashboard signs someone in or answers a tRPC call, not by getSecrets: a deployment serving only the
 * REST API (or a worker) keeps starting without it.
 */
export function getNextAuthSecret(): string {
  if (nextAuthSecret) return nextAuthSecret;
  if (env.NEXTAUTH_SECRET) return (nextAuthSecret = env.NEXTAUTH_SECRET);
  if (isProduction) {
    throw new Error(
      "Missing required environment variable for production: NEXTAUTH_SECRET (the dashboard's session key). " +
        "Generate it with: node -e \"console.log(require('crypto').randomBytes(48).toString('base64url'))\"",
    );
  }
  const stored = loadGeneratedSecrets();
  // A secrets file written before the dashboard existed has none: derive one from its JWT secret, the same in
  // every process, rather than rewriting a file another process may be reading.
  nextAuthSecret = stored.nextAuthSecret ?? createHmac("sha256", stored.jwtSecret).update("courierx next-auth").digest("base64url");
  return nextAuthSecret;
}

/**
 * next-auth reads NEXTAUTH_URL from process.env itself (its redirects and callback URLs; without it, and off
 * Vercel, it assumes http://localhost:3000). APP_URL is this app's one name for its public origin, so it is
 * handed on here unless NEXTAUTH_URL is set.
 */
export function shareAppUrlWithNextAuth(): void {
  if (env.APP_URL && !process.env.NEXTAUTH_URL) process.env.NEXTAUTH_URL = `${env.APP_URL.replace(/\/+$/, "")}/api/auth`;
}

interface GeneratedSecrets {
  jwtSecret: string;
  encryptionKeys: string;
  localSigningKey: string;
  nextAuthSecret?: string;
}

const SECRETS_FILE = "secrets.json";

/**
 * DATA_DIR/secrets.json, made once by whichever process starts first. Written whole to a temporary file and
 * hard-linked into place: link() never replaces a file, so of processes starting at once exactly one wins, and
 * the others (EEXIST) read the winner's complete file — never a half-written one, never a second set of secrets.
 */
function loadGeneratedSecrets(): GeneratedSecrets {
  const file = path.join(dataDir, SECRETS_FILE);
  const existing = readGeneratedSecrets(file);
  if (existing) return existing;
  const generated: GeneratedSecrets = {
    jwtSecret: randomBytes(48).toString("base64url"),
    encryptionKeys: `1:${randomBytes(32).toString("base64")}`,
    localSigningKey: `signkey-local-${randomBytes(32).toString("hex")}`,
    nextAuthSecret: randomBytes(48).toString("base64url"),
  };
  mkdirSync(dataDir, { recursive: true });
  const temporary = path.join(dataDir, `.${SECRETS_FILE}.${process.pid}.${randomBytes(6).toString("hex")}.tmp`);
  try {
    const fd = openSync(temporary, "wx", 0o600);
    try {
      writeFileSync(fd, JSON.stringify(generated, null, 2));
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    linkSync(temporary, file);
  } catch (error) {
    // Another process (the worker, a second dev server) linked its file first: use theirs.
    if ((error as NodeJS.ErrnoException).code === "EEXIST") return readGeneratedSecrets(file) ?? unreadableSecrets(file, "it vanished");
    throw error;
  } finally {
    rmSync(temporary, { force: true });
  }
  logger.warn("generated local secrets; set JWT_SECRET, ENCRYPTION_KEYS and NEXTAUTH_SECRET in production", { file });
  return generated;
}

/** The file's secrets; null when there is none yet. Empty or malformed is an error, never a silent regeneration. */
function readGeneratedSecrets(file: string): GeneratedSecrets | null {
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return null;
    throw error;
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return unreadableSecrets(file, text.trim() === "" ? "it is empty" : "it is not JSON");
  }
  const secrets = parsed as Partial<Record<keyof GeneratedSecrets, unknown>> | null;
  const strings = (["jwtSecret", "encryptionKeys", "localSigningKey"] as const).every((key) => typeof secrets?.[key] === "string" && secrets[key] !== "");
  const nextAuth = secrets?.nextAuthSecret;
  if (!strings) return unreadableSecrets(file, "jwtSecret, encryptionKeys or localSigningKey is missing");
  if (nextAuth !== undefined && (typeof nextAuth !== "string" || nextAuth.length < 32)) return unreadableSecrets(file, "nextAuthSecret is not a string of at least 32 characters");
  return parsed as GeneratedSecrets;
}

function unreadableSecrets(file: string, why: string): never {
  throw new Error(
    `The generated secrets file ${file} is unreadable: ${why}. Restore it from a backup, or set JWT_SECRET, ENCRYPTION_KEYS ` +
      "and NEXTAUTH_SECRET instead. Deleting it makes new secrets: sessions end and stored provider credentials and webhook " +
      "secrets can no longer be decrypted.",
  );
}

/** Tests replace secrets and flags without touching process.env of other test files. */
export function setSecretsForTests(value: Secrets): void {
  secrets = value;
}
