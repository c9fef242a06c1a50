import { expect } from "vitest";
import { isProviderError, type OutboundMessage, type ProviderError } from "@/server/providers/types";

export const ATTACHMENT_TEXT = "hello attachment";

/** A message that exercises every mapped field. */
export function sampleMessage(overrides: Partial<OutboundMessage> = {}): OutboundMessage {
  return {
    emailId: "em_test_0001",
    from: "sender@courierx.test",
    fromName: "Courier X",
    to: "alice@example.com",
    toName: "Alice Example",
    replyTo: "replies@courierx.test",
    subject: "Your receipt",
    html: "<p>Thanks for your <b>order</b></p>",
    text: "Thanks for your order",
    tags: ["receipt", "billing"],
    metadata: { order_id: "ord_42" },
    headers: { "X-Campaign": "spring" },
    attachments: [{ filename: "receipt.txt", content: Buffer.from(ATTACHMENT_TEXT).toString("base64"), contentType: "text/plain" }],
    ...overrides,
  };
}

/** Awaits a rejection and insists it is a ProviderError, the only thing adapters may throw. */
export async function providerErrorFrom(promise: Promise<unknown>): Promise<ProviderError> {
  const error = await promise.then(
    () => undefined,
    (rejection: unknown) => rejection,
  );
  expect(error, "expected the send to fail").toBeDefined();
  if (!isProviderError(error)) throw new Error(`expected a ProviderError, got ${String(error)}`);
  return error;
}
