import { createServer, type Server } from "node:net";
import type { AddressInfo } from "node:net";
import { readFileSync } from "node:fs";
import { SMTPServer } from "smtp-server";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { closeProviderClients, getProviderAdapter } from "@/server/providers";
import type { MessageOverrides, OutboundMessage, ProviderName } from "@/server/providers/types";
import { isAppError } from "@/server/lib/errors";
import { checkProviderOverrideTargets } from "@/server/services/emails/provider-override-storage";
import { overridesForProvider, providerOverridesInput } from "@/server/services/emails/provider-overrides";
import { startEmulators, TEST_CREDENTIALS, type Emulators, type HttpProvider, type RecordedRequest } from "../../emulators";
import { RecordingSmtpServer } from "../../emulators/recording-smtp-server";
import { SmtpEmulator } from "../../emulators/smtp-emulator";
import { providerErrorFrom, sampleMessage } from "./fixtures";

let emulators: Emulators;
/** A second relay with its own AUTH user and password, as a tenant's other SMTP server would be. */
let second: SmtpEmulator;
const SECOND = { user: "second-relay-user", password: "second-relay-p4ssw0rd" };
const TIMEOUT = { timeoutMs: 4_000 };

beforeAll(async () => {
  emulators = await startEmulators();
  second = await SmtpEmulator.start({ credentials: { ...TEST_CREDENTIALS, smtp: SECOND }, record: true });
});
beforeEach(async () => {
  closeProviderClients();
  await Promise.all([emulators.reset(), second.reset()]);
});
afterAll(async () => {
  closeProviderClients();
  await Promise.all([emulators.stop(), second.stop()]);
});

/** Through the real schema, as the send path will: only that provider's entry reaches its attempt. */
function withOverrides(provider: ProviderName, overrides: unknown, message: OutboundMessage = sampleMessage()): OutboundMessage {
  const parsed = providerOverridesInput.parse(overrides);
  const chosen: MessageOverrides | undefined = overridesForProvider(parsed, provider);
  return { ...message, ...(chosen ? { overrides: chosen } : {}) };
}

function onlyRequest(provider: HttpProvider): RecordedRequest {
  const requests = emulators.http.requests(provider);
  expect(requests).toHaveLength(1);
  return requests[0]!;
}

const ALL = {
  sendgrid: {
    body: {
      categories: ["spring", "receipt"],
      asm: { group_id: 42, groups_to_display: [42, 43] },
      ip_pool_name: "transactional",
      tracking_settings: { click_tracking: { enable: false, enable_text: false } },
      mail_settings: { footer: { enable: true, text: "bye" } },
      custom_args: { campaign: "spring", order_id: "ord_override", courierx_email_id: "forged" },
    },
  },
  aws_ses: {
    body: {
      ConfigurationSetName: "tracking-set",
      EmailTags: [
        { Name: "campaign", Value: "spring" },
        { Name: "courierx_email_id", Value: "forged" },
      ],
      ListManagementOptions: { ContactListName: "newsletter", TopicName: "weekly" },
    },
  },
  mailgun: { body: { "o:tag": ["spring"], "o:tracking-clicks": "htmlonly", "o:tracking-opens": "no", "h:X-Campaign": "override", "h:X-Extra": "1", "v:campaign": "spring", "v:courierx_email_id": "forged" } },
  postmark: {
    body: { MessageStream: "broadcast", TrackOpens: true, TrackLinks: "HtmlOnly", Tag: "spring", Metadata: { campaign: "spring", courierx_email_id: "forged" }, Headers: [{ Name: "X-Extra", Value: "1" }] },
  },
  resend: {
    body: {
      headers: { "X-Extra": "1" },
      tags: [
        { name: "campaign", value: "spring" },
        { name: "courierx_email_id", value: "forged" },
      ],
    },
  },
  smtp: { body: { priority: "high" } },
};

describe("body overrides reach each provider's SDK, merged over our message", () => {
  it("sendgrid: categories after our tags, custom_args over metadata with our email id kept, sending options in API names", async () => {
    await getProviderAdapter("sendgrid").send(withOverrides("sendgrid", ALL), emulators.connection("sendgrid"));
    const json = onlyRequest("sendgrid").json as Record<string, unknown>;
    expect(json).toMatchObject({
      personalizations: [{ to: [{ email: "alice@example.com", name: "Alice Example" }] }],
      from: { email: "sender@courierx.test", name: "Courier X" },
      categories: ["receipt", "billing", "spring"],
      custom_args: { campaign: "spring", order_id: "ord_override", courierx_email_id: "em_test_0001" },
      asm: { group_id: 42, groups_to_display: [42, 43] },
      ip_pool_name: "transactional",
      tracking_settings: { click_tracking: { enable: false, enable_text: false } },
      mail_settings: { footer: { enable: true, text: "bye" } },
    });
  });

  it("aws_ses: configuration set, list management and EmailTags merged, courierx_email_id ours", async () => {
    await getProviderAdapter("aws_ses").send(withOverrides("aws_ses", ALL), emulators.connection("aws_ses"));
    const json = onlyRequest("aws_ses").json as { EmailTags: { Name: string; Value: string }[] } & Record<string, unknown>;
    expect(json).toMatchObject({
      ConfigurationSetName: "tracking-set",
      ListManagementOptions: { ContactListName: "newsletter", TopicName: "weekly" },
      Destination: { ToAddresses: ["Alice Example <alice@example.com>"] },
    });
    expect(json.EmailTags).toEqual(expect.arrayContaining([{ Name: "campaign", Value: "spring" }, { Name: "receipt", Value: "true" }, { Name: "courierx_email_id", Value: "em_test_0001" }]));
    expect(json.EmailTags.filter((t) => t.Name === "courierx_email_id")).toHaveLength(1);
  });

  it("mailgun: o: options, h: headers over ours, v: variables with our email id kept, tags after ours", async () => {
    const message = sampleMessage({ headers: { "X-Campaign": "ours" } });
    await getProviderAdapter("mailgun").send(withOverrides("mailgun", ALL, message), emulators.connection("mailgun"));
    const fields = onlyRequest("mailgun").form?.fields;
    expect(fields).toMatchObject({
      to: ["Alice Example <alice@example.com>"],
      "o:tag": ["receipt", "billing", "spring"],
      "o:tracking-clicks": ["htmlonly"],
      "o:tracking-opens": ["no"],
      "h:X-Campaign": ["override"],
      "h:X-Extra": ["1"],
      "v:campaign": ["spring"],
      "v:order_id": ["ord_42"],
      "v:courierx_email_id": ["em_test_0001"],
    });
  });

  it("postmark: stream, tracking and tag chosen, Metadata merged with our email id kept, Headers added", async () => {
    await getProviderAdapter("postmark").send(withOverrides("postmark", ALL), emulators.connection("postmark"));
    expect(onlyRequest("postmark").json).toMatchObject({
      To: "Alice Example <alice@example.com>",
      MessageStream: "broadcast",
      TrackOpens: true,
      TrackLinks: "HtmlOnly",
      Tag: "spring",
      Metadata: { order_id: "ord_42", campaign: "spring", courierx_email_id: "em_test_0001" },
      Headers: [
        { Name: "X-Campaign", Value: "spring" },
        { Name: "X-Extra", Value: "1" },
      ],
    });
  });

  it("resend: headers and tags merged, courierx_email_id ours", async () => {
    await getProviderAdapter("resend").send(withOverrides("resend", ALL), emulators.connection("resend"));
    const json = onlyRequest("resend").json as { tags: { name: string; value: string }[]; headers: Record<string, string> };
    expect(json.headers).toEqual({ "X-Campaign": "spring", "X-Extra": "1" });
    expect(json.tags).toEqual(expect.arrayContaining([{ name: "campaign", value: "spring" }, { name: "courierx_email_id", value: "em_test_0001" }]));
    expect(json.tags.filter((t) => t.name === "courierx_email_id")).toHaveLength(1);
  });

  it("another provider's entry changes nothing here", async () => {
    await getProviderAdapter("sendgrid").send(withOverrides("sendgrid", { postmark: ALL.postmark, smtp: ALL.smtp }), emulators.connection("sendgrid"));
    const json = onlyRequest("sendgrid").json as Record<string, unknown>;
    expect(json.categories).toEqual(["receipt", "billing"]);
    expect(json).not.toHaveProperty("ip_pool_name");
  });
});

describe("smtp body override", () => {
  it("an attachment override arrives next to the email's own, with priority and list headers", async () => {
    const extra = Buffer.from("%PDF-1.4 override").toString("base64");
    const message = withOverrides("smtp", {
      smtp: {
        body: {
          attachments: [{ filename: "document.pdf", content: extra, encoding: "base64", contentType: "application/pdf" }],
          priority: "high",
          list: { unsubscribe: "https://example.com/unsubscribe" },
          headers: { "X-Override": "yes" },
        },
      },
    });
    await getProviderAdapter("smtp").send(message, emulators.connection("smtp"));
    expect(emulators.smtp.received).toHaveLength(1);
    const parsed = await emulators.smtp.parse(emulators.smtp.received[0]!);
    expect(parsed.attachments.map((a) => [a.filename, a.contentType, a.content.toString()])).toEqual([
      ["receipt.txt", "text/plain", "hello attachment"],
      ["document.pdf", "application/pdf", "%PDF-1.4 override"],
    ]);
    const raw = emulators.smtp.received[0]!.raw.toString();
    expect(raw).toMatch(/^X-Priority: 1/m);
    expect(raw).toMatch(/^List-Unsubscribe: <https:\/\/example\.com\/unsubscribe>/m);
    expect(parsed.headers.get("x-override")).toBe("yes");
    expect(parsed.headers.get("x-courierx-email-id")).toBe("em_test_0001");
    expect(emulators.smtp.received[0]!.envelope.to).toEqual(["alice@example.com"]);
  });

  it("never reads a file or URL, even for an attachment entry that skipped validation", async () => {
    const message: OutboundMessage = { ...sampleMessage({ attachments: [] }), overrides: { body: { attachments: [{ filename: "passwd", content: "", path: "/etc/passwd" }] } } };
    await getProviderAdapter("smtp").send(message, emulators.connection("smtp"));
    const parsed = await emulators.smtp.parse(emulators.smtp.received[0]!);
    expect(parsed.attachments.map((a) => a.content.toString())).toEqual([""]);
  });
});

describe("smtp transport override", () => {
  const overrideTo = (server: { host: string; port: number }, auth: { user: string; pass: string } | undefined, extra: Record<string, unknown> = {}) => ({
    smtp: { config: { host: server.host, port: server.port, secure: false, requireTLS: true, tls: { rejectUnauthorized: false }, ...(auth ? { auth } : {}), ...extra } },
  });

  it("reaches a second SMTP server with its own AUTH, through a one-off transport, and leaves the stored one untouched", async () => {
    const stored = emulators.connection("smtp", { id: "stored-relay" });
    const result = await getProviderAdapter("smtp").send(withOverrides("smtp", overrideTo(second, { user: SECOND.user, pass: SECOND.password })), stored, TIMEOUT);

    expect(second.received).toHaveLength(1);
    expect(second.received[0]).toMatchObject({ user: SECOND.user, secure: true, envelope: { to: ["alice@example.com"] } });
    expect(result.providerMessageId).toContain("em_test_0001");
    expect(emulators.smtp.connectionCount).toBe(0);
    // Verified first (one session), then sent (another), then closed: no pool stays open to it.
    expect(second.connectionCount).toBe(2);

    // The stored connection's own sends still go through its pool to its own server.
    await getProviderAdapter("smtp").send(sampleMessage({ emailId: "em_stored" }), stored, TIMEOUT);
    expect(emulators.smtp.received.map((m) => m.user)).toEqual([TEST_CREDENTIALS.smtp.user]);
    expect(second.received).toHaveLength(1);
  });

  it("a wrong password is a permanent auth failure at verification, nothing sent, the password in no reason", async () => {
    const wrong = "wrong-override-password-123";
    const error = await providerErrorFrom(getProviderAdapter("smtp").send(withOverrides("smtp", overrideTo(second, { user: SECOND.user, pass: wrong })), emulators.connection("smtp"), TIMEOUT));
    expect(error).toMatchObject({ kind: "permanent", status: 535, accepted: "no" });
    expect(second.received).toHaveLength(0);
    for (const text of [error.reason, error.message, JSON.stringify(error)]) {
      expect(text).not.toContain(wrong);
      expect(text).not.toContain(TEST_CREDENTIALS.smtp.password);
    }
  });

  it("redacts the override's password even from a server that echoes it back", async () => {
    const echoing = new SMTPServer({
      key: readFileSync(new URL("../../emulators/certs/localhost-key.pem", import.meta.url)),
      cert: readFileSync(new URL("../../emulators/certs/localhost-cert.pem", import.meta.url)),
      authMethods: ["PLAIN", "LOGIN"],
      logger: false,
      disableReverseLookup: true,
      onAuth: (auth, _session, callback) => callback(Object.assign(new Error(`5.7.8 password ${auth.password ?? ""} rejected`), { responseCode: 535 })),
    });
    await new Promise<void>((resolve) => echoing.listen(0, "127.0.0.1", resolve));
    const port = (echoing.server.address() as AddressInfo).port;
    try {
      const secret = "echoed-secret-hunter2";
      const error = await providerErrorFrom(getProviderAdapter("smtp").send(withOverrides("smtp", overrideTo({ host: "127.0.0.1", port }, { user: "someone", pass: secret })), emulators.connection("smtp"), TIMEOUT));
      expect(error.kind).toBe("permanent");
      expect(error.reason).toContain("[redacted]");
      expect(error.reason).not.toContain(secret);
    } finally {
      await new Promise<void>((resolve) => echoing.close(() => resolve()));
    }
  });

  it("stored credentials never go to an override's new destination: without its own auth it connects without any", async () => {
    // This server takes any credentials it is offered, so a leak would show up in its record.
    const recorder = await RecordingSmtpServer.start({ starttls: true });
    try {
      const error = await providerErrorFrom(getProviderAdapter("smtp").send(withOverrides("smtp", overrideTo(recorder, undefined, { requireTLS: false })), emulators.connection("smtp"), TIMEOUT));
      expect(error).toMatchObject({ kind: "permanent", status: 530 });
      expect(recorder.connections).toBeGreaterThan(0);
      expect(recorder.auths).toEqual([]);
    } finally {
      await recorder.stop();
    }
  });

  it("goes through the outbound guard: a private address is refused before any socket", async () => {
    const error = await providerErrorFrom(getProviderAdapter("smtp").send(withOverrides("smtp", overrideTo({ host: "10.1.2.3", port: 25 }, { user: "u", pass: "override-pass" })), emulators.connection("smtp"), TIMEOUT));
    expect(error).toMatchObject({ kind: "permanent", accepted: "no" });
    expect(error.reason).toMatch(/not allowed|refused/i);
  });

  it("a host that does not exist is permanent (failing over would not use this config anyway)", async () => {
    const error = await providerErrorFrom(getProviderAdapter("smtp").send(withOverrides("smtp", overrideTo({ host: "no-such-relay.example", port: 587 }, { user: "u", pass: "override-pass" })), emulators.connection("smtp"), TIMEOUT));
    expect(error).toMatchObject({ kind: "permanent", code: "ENOTFOUND", accepted: "no" });
    expect(error.reason).toMatch(/does not exist/);
  });

  it("at accept time a host the outbound guard refuses is a 422 naming the field", async () => {
    const refusal = async (host: string) => {
      const error = await checkProviderOverrideTargets(providerOverridesInput.parse({ smtp: { config: { host } } })).then(
        () => undefined,
        (e: unknown) => e,
      );
      return isAppError(error) ? error.details : error;
    };
    expect(await refusal("10.1.2.3")).toEqual([expect.stringMatching(/^provider_overrides\.smtp\.config\.host is not allowed: /)]);
    expect(await refusal("no-such-relay.example")).toEqual([expect.stringMatching(/^provider_overrides\.smtp\.config\.host is not allowed: /)]);
    expect(await refusal("localhost")).toBeUndefined();
    await expect(checkProviderOverrideTargets(providerOverridesInput.parse({ smtp: { body: { priority: "low" } } }))).resolves.toBeUndefined();
    await expect(checkProviderOverrideTargets(undefined)).resolves.toBeUndefined();
  });

  it("a server that never greets is a transient timeout, bounded by the override's greetingTimeout", async () => {
    const silent: Server = createServer(() => undefined);
    await new Promise<void>((resolve) => silent.listen(0, "127.0.0.1", resolve));
    const port = (silent.address() as AddressInfo).port;
    try {
      const started = performance.now();
      const error = await providerErrorFrom(
        getProviderAdapter("smtp").send(withOverrides("smtp", overrideTo({ host: "127.0.0.1", port }, { user: "u", pass: "override-pass" }, { greetingTimeout: 1_000 })), emulators.connection("smtp"), TIMEOUT),
      );
      expect(error).toMatchObject({ kind: "transient", accepted: "no" });
      expect(performance.now() - started).toBeLessThan(3_500);
    } finally {
      await new Promise<void>((resolve) => silent.close(() => resolve()));
    }
  });
});
