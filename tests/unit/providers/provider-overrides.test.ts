import Ajv2020 from "ajv/dist/2020";
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { createSchema } from "zod-openapi";
import { formatIssues } from "@/server/http/validation";
import { openProviderOverrides, sealProviderOverrides } from "@/server/services/emails/provider-override-storage";
import { attachmentTotalProblem, overridesForProvider, providerOverridesInput, routingInput } from "@/server/services/emails/provider-overrides";
import { sendEmailInput } from "@/server/services/emails/schemas";

/** As the REST wrapper parses a body: the overrides under their request field, messages as in a 422. */
const request = z.object({ provider_overrides: providerOverridesInput.optional(), routing: routingInput.optional() });

function errorsFor(body: unknown): string[] {
  const result = request.safeParse(body, { reportInput: true });
  return result.success ? [] : formatIssues(result.error.issues);
}

function overridesOf(body: unknown) {
  const result = request.safeParse(body, { reportInput: true });
  if (!result.success) throw new Error(formatIssues(result.error.issues).join("\n"));
  return result.data.provider_overrides;
}

const ENVELOPE = "is not allowed: it would change the recipients, the sender or the envelope";
const ONE_BYTE_B64 = "aA==";

describe("provider_overrides: fields that change recipients, sender or envelope", () => {
  const families: [string, Record<string, unknown>][] = [
    ["sendgrid", { to: "x@example.com" }],
    ["sendgrid", { personalizations: [{ to: [{ email: "x@example.com" }] }] }],
    ["sendgrid", { Bcc: "x@example.com" }],
    ["sendgrid", { from: { email: "boss@example.com" } }],
    ["sendgrid", { reply_to: "x@example.com" }],
    ["sendgrid", { reply_to_list: [] }],
    ["aws_ses", { Destination: { ToAddresses: ["x@example.com"] } }],
    ["aws_ses", { FromEmailAddress: "x@example.com" }],
    ["aws_ses", { ReplyToAddresses: ["x@example.com"] }],
    ["aws_ses", { FeedbackForwardingEmailAddress: "x@example.com" }],
    ["mailgun", { cc: "x@example.com" }],
    ["mailgun", { "recipient-variables": "{}" }],
    ["mailgun", { "h:Bcc": "x@example.com" }],
    ["mailgun", { "h:Sender": "x@example.com" }],
    ["postmark", { To: "x@example.com" }],
    ["postmark", { BCC: "x@example.com" }],
    ["postmark", { ReplyTo: "x@example.com" }],
    ["resend", { to: ["x@example.com"] }],
    ["resend", { replyTo: "x@example.com" }],
    ["smtp", { envelope: { from: "a@example.com", to: ["b@example.com"] } }],
    ["smtp", { sender: "x@example.com" }],
    ["smtp", { cc: "x@example.com" }],
    ["smtp", { returnPath: "x@example.com" }],
  ];
  it.each(families)("%s body %j is refused", (provider, body) => {
    const [field] = Object.keys(body);
    expect(errorsFor({ provider_overrides: { [provider]: { body } } })).toEqual([expect.stringMatching(new RegExp(`^provider_overrides\\.${provider}\\.body\\.${field!.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")} ${ENVELOPE}`))]);
  });

  it("refuses recipient headers in every header channel", () => {
    expect(errorsFor({ provider_overrides: { smtp: { body: { headers: { To: "x@example.com", "X-Fine": "yes" } } } } })).toEqual([expect.stringMatching(`^provider_overrides.smtp.body.headers.To ${ENVELOPE}`)]);
    expect(errorsFor({ provider_overrides: { resend: { body: { headers: { cc: "x@example.com" } } } } })).toEqual([expect.stringMatching(`^provider_overrides.resend.body.headers.cc ${ENVELOPE}`)]);
    expect(errorsFor({ provider_overrides: { postmark: { body: { Headers: [{ Name: "Reply-To", Value: "x@example.com" }] } } } })).toEqual([
      expect.stringMatching(`^provider_overrides.postmark.body.Headers.0.Name ${ENVELOPE}`),
    ]);
    expect(errorsFor({ provider_overrides: { smtp: { body: { headers: { "Message-ID": "<x@y>", "X-CourierX-Email-Id": "other" } } } } })).toEqual([
      "provider_overrides.smtp.body.headers.Message-ID names may not override From, To, Subject or other reserved headers",
      "provider_overrides.smtp.body.headers.X-CourierX-Email-Id names may not override From, To, Subject or other reserved headers",
    ]);
  });
});

describe("provider_overrides: the rest of what is refused", () => {
  it("names anything off a provider's allowlist, each with its reason, in one 422", () => {
    const errors = errorsFor({
      provider_overrides: {
        sendgrid: { body: { foo: 1, send_at: 1700000000, mail_settings: { sandbox_mode: { enable: true }, bypass_list_management: { enable: true } }, template_id: "d-1" }, config: { host: "x" } },
        mailgun: { body: { "o:testmode": "yes", "o:deliverytime": "Thu, 13 Oct 2011 18:02:00 GMT", "t:text": "yes" } },
        resend: { body: { scheduled_at: "in 1 min", attachments: [] } },
        gmail: { body: {} },
      },
    });
    expect(errors).toEqual([
      "provider_overrides.sendgrid.body.mail_settings.sandbox_mode is not allowed: the provider would accept the email without delivering it; send with a test API key instead",
      "provider_overrides.sendgrid.body.mail_settings.bypass_list_management is not allowed: it would bypass the provider's suppression lists",
      "provider_overrides.sendgrid.body.foo is not allowed: only categories, asm, ip_pool_name, batch_id, tracking_settings, mail_settings, custom_args may be set here",
      "provider_overrides.sendgrid.body.send_at is not allowed: schedule with scheduled_at, we hold the email until then ourselves",
      "provider_overrides.sendgrid.body.template_id is not allowed: the message content comes from the email itself (subject, html_body, text_body, attachments)",
      "provider_overrides.sendgrid.config is not allowed: only smtp takes a transport config",
      "provider_overrides.mailgun.body.o:testmode is not allowed: the provider would accept the email without delivering it; send with a test API key instead",
      "provider_overrides.mailgun.body.o:deliverytime is not allowed: schedule with scheduled_at, we hold the email until then ourselves",
      "provider_overrides.mailgun.body.t:text is not allowed: only o:tag, o:tracking, o:tracking-clicks, o:tracking-opens, o:dkim, o:require-tls, o:sending-ip-pool, h:<header>, v:<variable> may be set here",
      "provider_overrides.resend.body.scheduled_at is not allowed: schedule with scheduled_at, we hold the email until then ourselves",
      "provider_overrides.resend.body.attachments is not allowed: only headers, tags may be set here",
      "provider_overrides.gmail is not a provider: overrides are keyed by sendgrid, mailgun, aws_ses, postmark, resend, smtp",
    ]);
  });

  it("smtp: no Message-ID, Date or content encoding; attachments only as base64 content, never a path or URL", () => {
    const errors = errorsFor({
      provider_overrides: {
        smtp: {
          body: {
            messageId: "<mine@example.com>",
            date: "2020-01-01",
            encoding: "base64",
            raw: "From: x",
            disableFileAccess: false,
            attachments: [
              { filename: "passwd", path: "/etc/passwd" },
              { filename: "meta", href: "http://169.254.169.254/latest/meta-data/" },
              { filename: "../x.pdf", content: "not base64!" },
            ],
          },
        },
      },
    });
    expect(errors).toEqual([
      "provider_overrides.smtp.body.attachments.0.content is required",
      "provider_overrides.smtp.body.attachments.0.path is not allowed: attachments are sent as base64 content only (a path or URL would make us read a file or fetch a URL)",
      "provider_overrides.smtp.body.attachments.1.content is required",
      "provider_overrides.smtp.body.attachments.1.href is not allowed: attachments are sent as base64 content only (a path or URL would make us read a file or fetch a URL)",
      "provider_overrides.smtp.body.attachments.2.filename must be a file name, not a path",
      "provider_overrides.smtp.body.attachments.2.content must be base64",
      "provider_overrides.smtp.body.disableFileAccess must be true (attachments are never read from files)",
      "provider_overrides.smtp.body.messageId is not allowed: the Message-ID is derived from the email id, so that a retry carries the same one",
      "provider_overrides.smtp.body.date is not allowed: the Date header is set when the email is sent",
      "provider_overrides.smtp.body.encoding is not allowed: it says how the email's own html_body and text_body are encoded; use textEncoding for the transfer encoding",
      "provider_overrides.smtp.body.raw is not allowed: the message content comes from the email itself (subject, html_body, text_body, attachments)",
    ]);
  });

  it("smtp config: bounded values, auth with both parts, nothing beyond the allowlist", () => {
    const errors = errorsFor({
      provider_overrides: {
        smtp: {
          config: {
            host: "smtp.example.com\r\nRCPT TO:<x>",
            port: 70000,
            secure: "yes",
            auth: { user: "u" },
            tls: { minVersion: "TLSv1", ciphers: "NULL" },
            connectionTimeout: 3_600_000,
            proxy: "socks5://10.0.0.1:1080",
            name: "evil",
          },
        },
      },
    });
    expect(errors).toEqual([
      "provider_overrides.smtp.config.host must be a single line",
      "provider_overrides.smtp.config.host must be a host name or IP address",
      "provider_overrides.smtp.config.port must be at most 65535",
      "provider_overrides.smtp.config.secure must be true or false",
      "provider_overrides.smtp.config.auth.pass is required",
      "provider_overrides.smtp.config.tls.minVersion must be one of: TLSv1.2, TLSv1.3",
      "provider_overrides.smtp.config.tls.ciphers is not allowed: only servername, rejectUnauthorized, minVersion may be set here",
      "provider_overrides.smtp.config.connectionTimeout must be at most 60000",
      "provider_overrides.smtp.config.proxy is not allowed here: the transport is built from the stored connection and the config override's allowlisted fields",
      "provider_overrides.smtp.config.name is not allowed here: the transport is built from the stored connection and the config override's allowlisted fields",
    ]);
    expect(errorsFor({ provider_overrides: { smtp: { config: { secure: true, requireTLS: true } } } })).toEqual([
      "provider_overrides.smtp.config.requireTLS applies to STARTTLS only; with secure (implicit TLS) leave it out",
    ]);
  });

  it("counts override attachments against the same 7 MB and 10-file budget as the email's own", () => {
    const big = "A".repeat(Math.ceil(((7 * 1024 * 1024) / 3) * 4) + 4);
    expect(errorsFor({ provider_overrides: { smtp: { body: { attachments: [{ filename: "big.bin", content: big }] } } } })).toEqual([
      "provider_overrides.smtp.body.attachments must be at most 7 MB in total together with the email's attachments",
    ]);
    const overrides = overridesOf({ provider_overrides: { smtp: { body: { attachments: [{ filename: "a.bin", content: "A".repeat(5 * 1024 * 1024) }] } } } });
    expect(attachmentTotalProblem([{ content: "A".repeat(5 * 1024 * 1024) }], overrides)).toBe("must be at most 7 MB in total together with the email's attachments");
    expect(attachmentTotalProblem([{ content: ONE_BYTE_B64 }], overrides)).toBeUndefined();
    const ten = Array.from({ length: 10 }, () => ({ content: ONE_BYTE_B64 }));
    expect(attachmentTotalProblem(ten, overrides)).toBe("must have at most 10 attachments together with the email's attachments");
  });
});

describe("provider_overrides: names every object inherits, and headers providers act on", () => {
  // An allowlist checked with `in` let these through with unchecked values: nodemailer then wrote a
  // list.constructor {url, comment} as a prepared header, CR/LF and all (Bcc, a second From, X-SMTPAPI).
  for (const key of ["constructor", "toString", "valueOf", "hasOwnProperty", "__defineGetter__", "isPrototypeOf"]) {
    it(`refuses ${key} as a key of every allowlisted object`, () => {
      const injected = { url: "https://example.com/x", comment: "x\r\nBcc: victim@evil.test" };
      expect(errorsFor({ provider_overrides: { smtp: { body: { list: { [key]: injected } } } } })).toEqual([`provider_overrides.smtp.body.list.${key} is not allowed: only help, unsubscribe, subscribe, post, owner, archive may be set here`]);
      expect(errorsFor({ provider_overrides: { smtp: { body: { [key]: 1 } } } }).join()).toContain(`provider_overrides.smtp.body.${key} is not allowed`);
      expect(errorsFor({ provider_overrides: { smtp: { config: { [key]: 1 } } } }).join()).toContain(`provider_overrides.smtp.config.${key} is not allowed`);
      expect(errorsFor({ provider_overrides: { sendgrid: { body: { mail_settings: { [key]: { enable: true } } } } } }).join()).toContain(`provider_overrides.sendgrid.body.mail_settings.${key} is not allowed`);
      expect(errorsFor({ provider_overrides: { [key]: { body: {} } } }).join()).toContain(`provider_overrides.${key} is not a provider`);
    });
  }

  it("refuses headers a provider reads as instructions (recipients, drop, identity), in overrides and in the send's headers", () => {
    const refused = "names may not be headers a provider acts on";
    expect(errorsFor({ provider_overrides: { smtp: { body: { headers: { "X-SMTPAPI": '{"to":["victim@evil.test"]}' } } } } }).join()).toContain(refused);
    expect(errorsFor({ provider_overrides: { mailgun: { body: { "h:X-Mailgun-Drop-Message": "yes" } } } }).join()).toContain(refused);
    expect(errorsFor({ provider_overrides: { resend: { body: { headers: { "x-mailgun-recipient-variables": "{}" } } } } }).join()).toContain(refused);
    expect(errorsFor({ provider_overrides: { postmark: { body: { Headers: [{ Name: "X-SES-SOURCE-ARN", Value: "arn:aws:ses:x" }] } } } }).join()).toContain(refused);
    const send = { from_email: "a@example.com", to_email: "b@example.com", subject: "s", text_body: "t" };
    const own = sendEmailInput.safeParse({ ...send, headers: { "x-smtpapi": '{"to":["victim@evil.test"]}' } }, { reportInput: true });
    expect(own.success).toBe(false);
    expect(formatIssues(own.error!.issues).join()).toContain(`headers.x-smtpapi ${refused}`);
    // Our own correlation headers, too: the send's headers and the overrides refuse the same names.
    expect(sendEmailInput.safeParse({ ...send, headers: { "X-CourierX-Email-Id": "forged" } }).success).toBe(false);
    expect(sendEmailInput.safeParse({ ...send, headers: { "X-Campaign": "december" } }).success).toBe(true);
  });
});

describe("provider_overrides: what is accepted", () => {
  it("every provider's allowlisted fields, with only that provider's entry for an attempt there", () => {
    const overrides = overridesOf({
      provider_overrides: {
        sendgrid: {
          body: {
            categories: ["spring"],
            asm: { group_id: 42, groups_to_display: [42, 43] },
            ip_pool_name: "transactional",
            batch_id: "b1",
            tracking_settings: { click_tracking: { enable: false } },
            mail_settings: { footer: { enable: true, text: "bye" } },
            custom_args: { campaign: "spring" },
          },
        },
        aws_ses: { body: { ConfigurationSetName: "tracking", EmailTags: [{ Name: "campaign", Value: "spring" }], ListManagementOptions: { ContactListName: "news" } } },
        mailgun: { body: { "o:tag": ["spring"], "o:tracking-clicks": "htmlonly", "h:X-Campaign": "spring", "v:campaign": "spring" } },
        postmark: { body: { MessageStream: "broadcast", TrackOpens: true, TrackLinks: "HtmlOnly", Tag: "spring", Metadata: { campaign: "spring" }, Headers: [{ Name: "X-Campaign", Value: "spring" }] } },
        resend: { body: { headers: { "X-Campaign": "spring" }, tags: [{ name: "campaign", value: "spring" }] } },
        smtp: {
          body: { attachments: [{ filename: "a.pdf", content: ONE_BYTE_B64, encoding: "base64", contentType: "application/pdf", cid: "logo" }], priority: "high", list: { unsubscribe: "https://example.com/u" }, inReplyTo: "<a@b>", references: ["<a@b>"] },
          config: { host: "smtp.example.com", port: 465, secure: true, auth: { user: "u", pass: "hunter2" }, tls: { servername: "smtp.example.com", minVersion: "TLSv1.3" }, socketTimeout: 5000 },
        },
      },
    });
    expect(overridesForProvider(overrides, "sendgrid")).toEqual({ body: expect.objectContaining({ ip_pool_name: "transactional" }) });
    expect(overridesForProvider(overrides, "smtp")).toEqual({
      body: expect.objectContaining({ priority: "high" }),
      smtp: { host: "smtp.example.com", port: 465, secure: true, auth: { user: "u", pass: "hunter2" }, tls: { servername: "smtp.example.com", minVersion: "TLSv1.3" }, socketTimeout: 5000 },
    });
    expect(overridesForProvider(overrides, "postmark")?.smtp).toBeUndefined();
    expect(overridesForProvider(overridesOf({ provider_overrides: { resend: { body: {} } } }), "sendgrid")).toBeUndefined();
    expect(overridesForProvider(undefined, "smtp")).toBeUndefined();
  });
});

describe("routing", () => {
  it("takes 1 to 10 distinct connection ids or provider names", () => {
    expect(errorsFor({ routing: { connections: ["smtp", "0b6c4d1e-2f3a-4b5c-8d7e-9f0a1b2c3d4e"] } })).toEqual([]);
    expect(errorsFor({ routing: { connections: [] } })).toEqual(["routing.connections must name at least one connection"]);
    expect(errorsFor({ routing: { connections: Array.from({ length: 11 }, (_, i) => `c${i}`) } })).toEqual(["routing.connections must name at most 10 connections"]);
    expect(errorsFor({ routing: { connections: ["smtp", "smtp"] } })).toEqual(["routing.connections must not name a connection twice"]);
    expect(errorsFor({ routing: { connections: ["smtp", "x y"] } })).toEqual(["routing.connections.1 must be a connection id or a provider name"]);
    expect(errorsFor({ routing: { connections: ["smtp"], strategy: "weighted" } })).toEqual(["routing.strategy is not allowed: only connections may be set here"]);
  });
});

describe("stored with the email", () => {
  const overrides = () => overridesOf({ provider_overrides: { smtp: { body: { priority: "low" }, config: { host: "smtp.example.com", port: 587, auth: { user: "relay-user", pass: "relay-hunter2" } } } } })!;

  it("seals the SMTP auth apart from the plain overrides, bound to the email id", () => {
    const stored = sealProviderOverrides("email-1", overrides());
    expect(JSON.stringify(stored.overrides)).not.toContain("relay-");
    expect(stored.overrides.smtp?.config).toEqual({ host: "smtp.example.com", port: 587 });
    expect(stored.sealedAuth).toEqual(expect.any(String));
    expect(stored.sealedAuth).not.toContain("relay-hunter2");
    expect(openProviderOverrides("email-1", stored)).toEqual(overrides());
    // Copied onto another email, the envelope does not open.
    expect(() => openProviderOverrides("email-2", stored)).toThrow();
  });

  it("after the auth is erased the config carries no credentials; without auth nothing is sealed", () => {
    const stored = sealProviderOverrides("email-1", overrides());
    expect(openProviderOverrides("email-1", { ...stored, sealedAuth: null }).smtp?.config).toEqual({ host: "smtp.example.com", port: 587 });
    const plain = overridesOf({ provider_overrides: { sendgrid: { body: { categories: ["a"] } } } })!;
    expect(sealProviderOverrides("email-1", plain)).toEqual({ overrides: plain, sealedAuth: null });
  });
});

describe("as the API document describes them", () => {
  // What the OpenAPI generator (zod-openapi) renders for the request: the allowlists, not open objects.
  const documented = createSchema(request, { io: "input" } as Parameters<typeof createSchema>[1]).schema;
  const validate = new Ajv2020({ strict: false, validateFormats: false }).compile(documented);

  it.each([
    [{ provider_overrides: { sendgrid: { body: { to: "x@example.com" } } } }, false],
    [{ provider_overrides: { sendgrid: { config: { host: "x" } } } }, false],
    [{ provider_overrides: { mailgun: { body: { "h:X-A": "1", "v:a": "b", "o:tag": "x" } } } }, true],
    [{ provider_overrides: { mailgun: { body: { to: "x@example.com" } } } }, false],
    [{ provider_overrides: { smtp: { body: { attachments: [{ filename: "a", content: ONE_BYTE_B64, path: "/etc/passwd" }] } } } }, false],
    [{ provider_overrides: { smtp: { config: { host: "smtp.example.com", auth: { user: "u", pass: "p" } } } } }, true],
    [{ routing: { connections: ["smtp"] } }, true],
    [{ routing: { connections: ["smtp"], strategy: "weighted" } }, false],
  ])("%j: %s, as the schema decides", (body, accepted) => {
    expect(validate(body)).toBe(accepted);
    expect(request.safeParse(body).success).toBe(accepted);
  });
});

describe("provider_overrides: wrong types anywhere are a 422, never a throw", () => {
  // Found by the fuzz suite: a null Mailgun body reached a refinement that runs after failed checks.
  for (const provider of ["sendgrid", "mailgun", "aws_ses", "postmark", "resend", "smtp"]) {
    for (const value of [null, 1, "x", [], true]) {
      it(`${provider}.body = ${JSON.stringify(value)}`, () => {
        expect(errorsFor({ provider_overrides: { [provider]: { body: value } } })).toEqual([`provider_overrides.${provider}.body must be an object`]);
        const send = { from_email: "a@example.com", to_email: "b@example.com", subject: "s", text_body: "t", unsubscribe: true };
        expect(sendEmailInput.safeParse({ ...send, provider_overrides: { [provider]: { body: value } } }).success).toBe(false);
        expect(sendEmailInput.safeParse({ ...send, provider_overrides: { [provider]: { body: { headers: value, Headers: value, list: value } } } }).success).toBe(false);
      });
    }
  }
});

describe("provider-instruction headers by prefix, and Mailgun's separate caps", () => {
  it("refuses every X-Mailgun-* and X-SES-* name (event matching, schedules, TLS checks), in overrides and in the send's headers", () => {
    const refused = "names may not be headers a provider acts on";
    for (const name of ["X-Mailgun-Variables", "X-Mailgun-Deliver-By", "X-Mailgun-Skip-Verification", "X-SES-MESSAGE-TAGS", "x-ses-configuration-set"]) {
      expect(errorsFor({ provider_overrides: { smtp: { body: { headers: { [name]: "x" } } } } }).join(), name).toContain(refused);
      expect(errorsFor({ provider_overrides: { mailgun: { body: { [`h:${name}`]: "x" } } } }).join(), name).toContain(refused);
      const own = sendEmailInput.safeParse({ from_email: "a@example.com", to_email: "b@example.com", subject: "s", text_body: "t", headers: { [name]: "x" } }, { reportInput: true });
      expect(formatIssues(own.error!.issues).join(), name).toContain(refused);
    }
  });

  it("caps Mailgun h: headers at 20 and v: variables at 50, each on its own", () => {
    const many = (prefix: string, n: number) => Object.fromEntries(Array.from({ length: n }, (_, i) => [`${prefix}X-Extra-${i}`, "x"]));
    const cap = "provider_overrides.mailgun.body must have at most 20 h: headers and 50 v: variables";
    expect(errorsFor({ provider_overrides: { mailgun: { body: many("h:", 21) } } })).toEqual([cap]);
    expect(errorsFor({ provider_overrides: { mailgun: { body: { ...many("h:", 20), ...many("v:", 50) } } } })).toEqual([]);
    expect(errorsFor({ provider_overrides: { mailgun: { body: many("v:", 51) } } })).toEqual([cap]);
  });

  it("a stored email's reserved headers (accepted before a name was refused) are dropped when it is sent", async () => {
    const { toOutboundMessage } = await import("@/server/services/delivery/attempt-delivery");
    const email = { id: "e1", fromEmail: "a@example.com", toEmail: "b@example.com", subject: "s", tags: [], metadata: {}, attachments: [], headers: { "X-SMTPAPI": "{}", "X-Mailgun-Drop-Message": "yes", "X-Campaign": "december" }, providerOverrides: null } as never;
    expect(toOutboundMessage(email, "smtp").headers).toEqual({ "X-Campaign": "december" });
  });
});
