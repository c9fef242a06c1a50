/**
 * DNS failures through the real send path (API → engine → attempt → adapter): a temporary one fails over
 * and counts toward the circuit, a name that does not exist is permanent. Names are answered by a scripted
 * resolver; the only address ever handed out is 127.0.0.1.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { setOutboundResolver } from "@/server/lib/outbound-guard";
import { api, signUp } from "../../helpers/api";
import { connect, emailBody, startSendingStack, waitForFinal, type SendingStack } from "../../helpers/sending";

let stack: SendingStack;
let restoreResolver: () => void;
/** What flaky-dns.test answers right now. */
let answer: "loopback" | "EAI_AGAIN" | "ESERVFAIL" | "ENOTFOUND" = "loopback";

beforeAll(async () => {
  restoreResolver = setOutboundResolver(async (hostname) => {
    if (hostname === "flaky-dns.test" && answer === "loopback") return [{ address: "127.0.0.1", family: 4 }];
    if (hostname === "flaky-dns.test") throw Object.assign(new Error(`getaddrinfo ${answer} ${hostname}`), { code: answer });
    if (/(^|\.)localhost$/.test(hostname)) return [{ address: "127.0.0.1", family: 4 }];
    throw Object.assign(new Error(`getaddrinfo ENOTFOUND ${hostname}`), { code: "ENOTFOUND" });
  });
  stack = await startSendingStack();
});
afterAll(async () => {
  await stack.stop();
  restoreResolver();
});
beforeEach(async () => {
  answer = "loopback";
  await stack.emulators.reset();
});

/** SendGrid reached by name (primary), Postmark by address (secondary). */
async function tenant() {
  const t = await signUp();
  const endpoint = new URL(stack.emulators.endpoints.sendgrid);
  endpoint.hostname = "flaky-dns.test";
  const primary = await connect(t.apiKey, stack.emulators, "sendgrid", { priority: 1, endpoint: endpoint.href });
  const secondary = await connect(t.apiKey, stack.emulators, "postmark", { priority: 2 });
  return { ...t, primary, secondary };
}

const sendgridPosts = () => stack.emulators.http.requests("sendgrid").filter((r) => r.method === "POST");

describe("DNS failures on the send path", () => {
  it.each(["EAI_AGAIN", "ESERVFAIL"] as const)("a temporary failure (%s) is transient: fails over and counts toward the circuit", async (failure) => {
    const t = await tenant();
    answer = failure;
    const queued = await api.post("/api/v1/emails", emailBody(), { token: t.apiKey });
    expect(queued.status).toBe(202);
    const done = await waitForFinal(t.apiKey, queued.body.id);
    expect(done.status).toBe("sent");
    expect(done.provider).toBe("postmark");
    const failed = done.events.find((e: any) => e.event_type === "attempt_failed");
    expect(failed).toMatchObject({ provider: "sendgrid", kind: "transient", accepted: "no", code: "EAI_AGAIN" });
    expect(failed.reason).toContain(failure);
    expect(sendgridPosts()).toHaveLength(0);
    const primary = await api.get(`/api/v1/provider_connections/${t.primary}`, { token: t.apiKey });
    expect(primary.body.health.consecutive_failures).toBe(1);
  });

  it("a name that does not exist (NXDOMAIN) is permanent: the configuration is wrong, no retry helps", async () => {
    const t = await tenant();
    answer = "ENOTFOUND";
    const queued = await api.post("/api/v1/emails", emailBody(), { token: t.apiKey });
    const done = await waitForFinal(t.apiKey, queued.body.id);
    expect(done.status).toBe("failed");
    const failed = done.events.find((e: any) => e.event_type === "attempt_failed");
    expect(failed).toMatchObject({ provider: "sendgrid", kind: "permanent", code: "ENOTFOUND" });
    expect(sendgridPosts()).toHaveLength(0);
    expect(stack.emulators.http.requests("postmark").filter((r) => r.method === "POST")).toHaveLength(0);
  });
});
