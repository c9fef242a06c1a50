import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { closeAllTransports, getProviderAdapter } from "@/server/providers";
import { startEmulators, type Emulators } from "../../emulators";
import { providerErrorFrom, sampleMessage } from "./fixtures";

let emulators: Emulators;
const smtp = getProviderAdapter("smtp");

beforeAll(async () => {
  emulators = await startEmulators();
});
beforeEach(async () => {
  closeAllTransports();
  await emulators.reset();
});
afterAll(async () => {
  closeAllTransports();
  await emulators.stop();
});

describe("smtp transport pooling", () => {
  it("reuses a few pooled connections for many sends", async () => {
    const connection = emulators.connection("smtp", { id: "pooled" });
    const sends = Array.from({ length: 40 }, (_, index) => smtp.send(sampleMessage({ emailId: `em_pool_${index}` }), connection));
    const results = await Promise.all(sends);

    expect(new Set(results.map((result) => result.providerMessageId)).size).toBe(40);
    expect(emulators.smtp.received).toHaveLength(40);
    // One verification connection plus at most maxConnections (3) pooled ones.
    expect(emulators.smtp.connectionCount).toBeLessThanOrEqual(4);

    await smtp.send(sampleMessage({ emailId: "em_pool_after" }), connection);
    expect(emulators.smtp.connectionCount).toBeLessThanOrEqual(4);
  });

  it("builds a new pool when the connection's credentials rotate", async () => {
    const first = emulators.connection("smtp", { id: "rotating", updatedAt: new Date("2026-01-01T00:00:00Z") });
    await smtp.send(sampleMessage({ emailId: "em_before" }), first);
    const before = emulators.smtp.connectionCount;

    emulators.credentials.smtp.password = "rotated-password";
    const rotated = emulators.connection("smtp", { id: "rotating", updatedAt: new Date("2026-02-01T00:00:00Z") });
    await smtp.send(sampleMessage({ emailId: "em_after" }), rotated);

    expect(emulators.smtp.connectionCount).toBeGreaterThan(before);
    expect(emulators.smtp.received.map((mail) => mail.user)).toEqual(["courierx", "courierx"]);
    emulators.credentials.smtp.password = "courierx-smtp-password";
  });

  it("treats a partially refused recipient list as a failure, keeping the id of what was sent", async () => {
    const connection = emulators.connection("smtp", { id: "partial" });
    const message = sampleMessage({ emailId: "em_partial", to: "alice@example.com, reject-bob@example.com", toName: undefined });

    const error = await providerErrorFrom(smtp.send(message, connection));

    expect(error.kind).toBe("permanent");
    expect(error.code).toBe("EENVELOPE");
    // Alice got the message: a retry or failover would send it to her twice.
    expect(error.accepted).toBe("unknown");
    expect(error.providerMessageId).toBe("em_partial@courierx.test");
    expect(error.reason).toMatch(/refused 1 of 2 recipients \(reject-bob@example\.com\).*550 5\.1\.1/);
    expect(emulators.smtp.received.map((mail) => mail.envelope.to)).toEqual([["alice@example.com"]]);
  });

  it("re-verifies after a connection-level failure, not after a refused recipient", async () => {
    const connection = emulators.connection("smtp", { id: "reverify" });
    const options = { timeoutMs: 1_000 };
    await smtp.send(sampleMessage({ emailId: "em_ok" }), connection, options);

    // A recipient verdict says nothing about the connection: no verification session, just the new pooled
    // connection nodemailer opens after any failed send.
    await emulators.fail("smtp", "550");
    await providerErrorFrom(smtp.send(sampleMessage({ emailId: "em_550" }), connection, options));
    let before = emulators.smtp.connectionCount;
    await smtp.send(sampleMessage({ emailId: "em_after_550" }), connection, options);
    expect(emulators.smtp.connectionCount - before).toBe(1);

    // A dead connection does: the next send opens a verification session, then a new pooled one.
    await emulators.fail("smtp", "hang");
    const hung = await providerErrorFrom(smtp.send(sampleMessage({ emailId: "em_hung" }), connection, options));
    expect(hung).toMatchObject({ kind: "transient", accepted: "unknown", code: "ETIMEDOUT" });
    before = emulators.smtp.connectionCount;
    await smtp.send(sampleMessage({ emailId: "em_after_hang" }), connection, options);
    expect(emulators.smtp.connectionCount - before).toBe(2);
  });
});
