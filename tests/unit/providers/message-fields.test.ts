import { describe, expect, it } from "vitest";
import { formatAddress, metadataWithEmailId, sanitizeTagPart, tagPairs } from "@/server/providers/shared/message-fields";
import { parseRetryAfter, retryAfterMsFromHeaders } from "@/server/providers/shared/retry-after";
import type { OutboundMessage } from "@/server/providers/types";

const message: OutboundMessage = {
  emailId: "em_1",
  from: "s@example.com",
  to: "a@example.com",
  subject: "x",
  tags: ["welcome", "vip customer"],
  metadata: { plan: "pro", courierx_email_id: "spoof" },
  headers: {},
  attachments: [],
};

describe("formatAddress", () => {
  it("leaves bare addresses alone and quotes names with specials", () => {
    expect(formatAddress("a@example.com")).toBe("a@example.com");
    expect(formatAddress("a@example.com", "  ")).toBe("a@example.com");
    expect(formatAddress("a@example.com", "Alice Example")).toBe("Alice Example <a@example.com>");
    expect(formatAddress("a@example.com", 'Doe, "Al" \\ Co.')).toBe('"Doe, \\"Al\\" \\\\ Co." <a@example.com>');
    expect(formatAddress("a@example.com", "Line\r\nBreak")).toBe("Line Break <a@example.com>");
  });

  it("encodes non-ASCII names as RFC 2047 words when asked (SES)", () => {
    expect(formatAddress("a@example.com", "Zoë", { encodeNonAscii: true })).toBe(`=?UTF-8?B?${Buffer.from("Zoë").toString("base64")}?= <a@example.com>`);
    expect(formatAddress("a@example.com", "Zoë")).toBe('"Zoë" <a@example.com>');
  });
});

describe("metadata and tags", () => {
  it("always carries our email id, which caller metadata cannot override", () => {
    expect(metadataWithEmailId(message)).toEqual({ plan: "pro", courierx_email_id: "em_1" });
  });

  it("sanitises tag parts to what SES and Resend accept", () => {
    expect(sanitizeTagPart("vip customer/2024")).toBe("vip_customer_2024");
    expect(sanitizeTagPart("")).toBe("_");
    expect(sanitizeTagPart("x".repeat(300))).toHaveLength(256);
  });

  it("pairs tags as name=true and metadata as key=value, unique by name", () => {
    expect(tagPairs(message)).toEqual([
      { name: "welcome", value: "true" },
      { name: "vip_customer", value: "true" },
      { name: "plan", value: "pro" },
      { name: "courierx_email_id", value: "em_1" },
    ]);
  });
});

describe("retry hints", () => {
  const now = Date.parse("2026-01-01T00:00:00Z");

  it("reads Retry-After as seconds or an HTTP date", () => {
    expect(parseRetryAfter("30", now)).toBe(30_000);
    expect(parseRetryAfter("1.5", now)).toBe(1_500);
    expect(parseRetryAfter("Thu, 01 Jan 2026 00:00:10 GMT", now)).toBe(10_000);
    expect(parseRetryAfter("soon", now)).toBeUndefined();
  });

  it("falls back to SendGrid's epoch reset and Resend's delta reset, capped at a day", () => {
    expect(retryAfterMsFromHeaders({ "X-RateLimit-Reset": String(now / 1000 + 7) }, now)).toBe(7_000);
    expect(retryAfterMsFromHeaders({ "ratelimit-reset": "3" }, now)).toBe(3_000);
    expect(retryAfterMsFromHeaders({ "retry-after": ["4"] }, now)).toBe(4_000);
    expect(retryAfterMsFromHeaders({ "retry-after": "999999999" }, now)).toBe(86_400_000);
    expect(retryAfterMsFromHeaders({ "x-ratelimit-reset": String(now / 1000 - 5) }, now)).toBe(0);
    expect(retryAfterMsFromHeaders(undefined, now)).toBeUndefined();
  });
});

describe("the SMTP mapping of an override body that escaped validation", () => {
  it("builds list headers from the allowlisted keys with one-line strings only, and drops instruction headers", async () => {
    const { toNodemailerMessage } = await import("@/server/providers/smtp/map-message");
    const forged: OutboundMessage = {
      ...message,
      overrides: {
        body: {
          list: {
            constructor: { url: "https://example.com/x", comment: "x\r\nBcc: victim@evil.test" },
            unsubscribe: { url: "https://example.com/u", comment: "y\r\nFrom: ceo@bank.example" },
            help: "https://example.com/help",
            archive: ["https://example.com/a", "bad\r\nBcc: v@evil.test"],
          },
          headers: { "X-SMTPAPI": '{"to":["victim@evil.test"]}', "X-Mailgun-Drop-Message": "yes", "X-Campaign": "december" },
        },
      },
    };
    const mapped = toNodemailerMessage(forged);
    expect(mapped.list).toEqual({ help: "https://example.com/help", archive: ["https://example.com/a"] });
    expect(Object.keys(mapped.headers as Record<string, string>)).toEqual(expect.arrayContaining(["X-Campaign"]));
    expect(Object.keys(mapped.headers as Record<string, string>).map((h) => h.toLowerCase())).not.toContain("x-smtpapi");
    expect(Object.keys(mapped.headers as Record<string, string>).map((h) => h.toLowerCase())).not.toContain("x-mailgun-drop-message");
  });
});
