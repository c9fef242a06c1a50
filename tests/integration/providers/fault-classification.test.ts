import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { closeProviderClients, getProviderAdapter } from "@/server/providers";
import type { ProviderAcceptance, ProviderErrorKind } from "@/server/providers/types";
import { HTTP_PROVIDERS, startEmulators, type Emulators, type FaultOptions, type HttpFault, type SmtpFault } from "../../emulators";
import { providerErrorFrom, sampleMessage } from "./fixtures";

/** Short enough to keep "hang" cases fast, long enough for a loaded 2-core machine to answer normally. */
const TIMEOUT_MS = 500;
/** SMTP needs more: smtp-server holds every greeting 100 ms, then STARTTLS and AUTH follow. */
const SMTP_TIMEOUT_MS = 1_000;

interface Expectation {
  kind: ProviderErrorKind;
  accepted: ProviderAcceptance;
  retryAfter?: boolean;
  statuses?: number[];
}

const HTTP_FAULTS: [HttpFault, Expectation][] = [
  ["5xx", { kind: "transient", accepted: "no", statuses: [500] }],
  ["429", { kind: "transient", accepted: "no", retryAfter: true, statuses: [429] }],
  ["hang", { kind: "transient", accepted: "unknown" }],
  ["reset", { kind: "transient", accepted: "unknown" }],
  ["refuse", { kind: "transient", accepted: "no" }],
  // Resend and SES answer a bad key with 403.
  ["401", { kind: "permanent", accepted: "no", statuses: [401, 403] }],
  ["invalid_recipient", { kind: "permanent", accepted: "no", statuses: [400, 422] }],
];

const SMTP_FAULTS: [SmtpFault, FaultOptions, Expectation][] = [
  ["421", { stage: "rcpt" }, { kind: "transient", accepted: "no", statuses: [421] }],
  ["450", { stage: "rcpt" }, { kind: "transient", accepted: "no", statuses: [450] }],
  ["450", { stage: "data" }, { kind: "transient", accepted: "no", statuses: [450] }],
  ["550", { stage: "rcpt" }, { kind: "permanent", accepted: "no", statuses: [550] }],
  ["550", { stage: "data" }, { kind: "permanent", accepted: "no", statuses: [550] }],
  ["auth", {}, { kind: "permanent", accepted: "no", statuses: [535] }],
  ["hang", {}, { kind: "transient", accepted: "unknown" }],
  ["refuse", {}, { kind: "transient", accepted: "no" }],
];

let emulators: Emulators;
let caseNumber = 0;

beforeAll(async () => {
  emulators = await startEmulators();
});
beforeEach(async () => {
  await emulators.reset();
  caseNumber += 1;
});
afterAll(async () => {
  closeProviderClients();
  await emulators.stop();
});

function assertClassified(error: Awaited<ReturnType<typeof providerErrorFrom>>, expected: Expectation, secrets: (string | undefined)[]): void {
  expect({ kind: error.kind, accepted: error.accepted }).toEqual({ kind: expected.kind, accepted: expected.accepted });
  if (expected.statuses) expect(expected.statuses).toContain(error.status);
  if (expected.retryAfter) {
    expect(error.retryAfterMs).toBeGreaterThan(0);
    expect(error.retryAfterMs).toBeLessThanOrEqual(3_000);
  }
  expect(error.reason.length).toBeGreaterThan(0);
  for (const secret of secrets) if (secret) expect(error.reason).not.toContain(secret);
}

describe.each(HTTP_PROVIDERS)("%s fault classification", (provider) => {
  it.each(HTTP_FAULTS)("%s", async (fault, expected) => {
    // A fresh connection id per case: no client state leaks between cases.
    const connection = emulators.connection(provider, { id: `faults-${caseNumber}` });
    const adapter = getProviderAdapter(provider);
    await emulators.fail(provider, fault, { times: 1, retryAfterSeconds: 2 });

    const error = await providerErrorFrom(adapter.send(sampleMessage({ emailId: `em_fault_${caseNumber}` }), connection, { timeoutMs: TIMEOUT_MS }));

    assertClassified(error, expected, [connection.credentials.apiKey, connection.credentials.secret]);
    // Exactly one attempt: adapters never retry (the SES SDK would make 3 by default).
    expect(emulators.http.stats(provider).received).toBe(fault === "refuse" ? 0 : 1);

    // The same cached client recovers once the provider does.
    await emulators.heal(provider);
    const recovered = await adapter.send(sampleMessage({ emailId: `em_recovered_${caseNumber}` }), connection, { timeoutMs: 5_000 });
    expect(recovered.providerMessageId).not.toBe("");
  });
});

describe("smtp fault classification", () => {
  it.each(SMTP_FAULTS)("%s %o", async (fault, options, expected) => {
    const connection = emulators.connection("smtp", { id: `faults-${caseNumber}` });
    const adapter = getProviderAdapter("smtp");
    // Verify (and open the pool) first, so reply faults hit a real send rather than the verification.
    if (fault !== "auth") await adapter.send(sampleMessage(), connection, { timeoutMs: SMTP_TIMEOUT_MS });
    await emulators.fail("smtp", fault, { times: 1, ...options });

    const error = await providerErrorFrom(adapter.send(sampleMessage({ emailId: `em_fault_${caseNumber}` }), connection, { timeoutMs: SMTP_TIMEOUT_MS }));

    assertClassified(error, expected, [connection.credentials.secret]);
    await emulators.heal("smtp");
    const recovered = await adapter.send(sampleMessage({ emailId: `em_recovered_${caseNumber}` }), connection, { timeoutMs: SMTP_TIMEOUT_MS });
    expect(recovered.providerMessageId).toBe(`em_recovered_${caseNumber}@courierx.test`);
  });

  it("a refused port before the first send is caught by verification, nothing was sent", async () => {
    const connection = emulators.connection("smtp", { id: `faults-${caseNumber}` });
    await emulators.fail("smtp", "refuse");
    const error = await providerErrorFrom(getProviderAdapter("smtp").send(sampleMessage(), connection, { timeoutMs: SMTP_TIMEOUT_MS }));
    expect({ kind: error.kind, accepted: error.accepted }).toEqual({ kind: "transient", accepted: "no" });
    expect(error.reason).toMatch(/ECONNREFUSED/);
  });
});
