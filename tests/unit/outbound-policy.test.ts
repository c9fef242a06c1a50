/** Where outbound connections may go, by mode: loopback only on the embedded default, whatever NODE_ENV says. */
import { afterEach, describe, expect, it } from "vitest";
import { env, outboundPolicy } from "@/server/env";

const saved = { NODE_ENV: env.NODE_ENV, DATABASE_URL: env.DATABASE_URL, ALLOW_PRIVATE_OUTBOUND: env.ALLOW_PRIVATE_OUTBOUND, ALLOW_LOOPBACK_OUTBOUND: env.ALLOW_LOOPBACK_OUTBOUND };
afterEach(() => {
  Object.assign(env, saved);
});

describe("outboundPolicy", () => {
  it.each([
    ["the embedded default", { DATABASE_URL: undefined, NODE_ENV: "development" }, { allowLoopback: true, allowPrivate: false }],
    ["next start on the embedded default", { DATABASE_URL: undefined, NODE_ENV: "production" }, { allowLoopback: true, allowPrivate: false }],
    ["production", { DATABASE_URL: "postgresql://db.example/prod", NODE_ENV: "production" }, { allowLoopback: false, allowPrivate: false }],
    // A worker started by hand without NODE_ENV on the production database must not reach the host's own ports.
    ["PostgreSQL without NODE_ENV (a worker started by hand)", { DATABASE_URL: "postgresql://db.example/prod", NODE_ENV: "development" }, { allowLoopback: false, allowPrivate: false }],
    ["ALLOW_PRIVATE_OUTBOUND", { DATABASE_URL: "postgresql://db.example/prod", NODE_ENV: "production", ALLOW_PRIVATE_OUTBOUND: true }, { allowLoopback: true, allowPrivate: true }],
    // A relay on the same host (or the e2e emulators) with PostgreSQL, without opening the private ranges.
    ["ALLOW_LOOPBACK_OUTBOUND", { DATABASE_URL: "postgresql://db.example/prod", NODE_ENV: "production", ALLOW_LOOPBACK_OUTBOUND: true }, { allowLoopback: true, allowPrivate: false }],
  ] as const)("%s", (_name, settings, expected) => {
    Object.assign(env, { ALLOW_PRIVATE_OUTBOUND: false, ALLOW_LOOPBACK_OUTBOUND: false }, settings);
    expect(outboundPolicy()).toEqual(expected);
  });
});
