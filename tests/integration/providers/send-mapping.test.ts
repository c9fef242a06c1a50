import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { closeProviderClients, getProviderAdapter } from "@/server/providers";
import { startEmulators, type Emulators, type HttpProvider, type RecordedRequest } from "../../emulators";
import { ATTACHMENT_TEXT, sampleMessage } from "./fixtures";

let emulators: Emulators;

beforeAll(async () => {
  emulators = await startEmulators();
});
beforeEach(async () => {
  await emulators.reset();
});
afterAll(async () => {
  closeProviderClients();
  await emulators.stop();
});

const ATTACHMENT_BASE64 = Buffer.from(ATTACHMENT_TEXT).toString("base64");

function onlyRequest(provider: HttpProvider): RecordedRequest {
  const requests = emulators.http.requests(provider);
  expect(requests).toHaveLength(1);
  const [request] = requests;
  if (!request) throw new Error("no request recorded");
  return request;
}

function answeredBody(request: RecordedRequest): Record<string, unknown> {
  return request.response?.body as Record<string, unknown>;
}

describe("message mapping through each SDK", () => {
  it("sendgrid: v3 mail/send JSON, id from the X-Message-Id header", async () => {
    const result = await getProviderAdapter("sendgrid").send(sampleMessage(), emulators.connection("sendgrid"));

    const request = onlyRequest("sendgrid");
    expect(request.method).toBe("POST");
    expect(request.path).toBe("/v3/mail/send");
    expect(request.headers.authorization).toBe(`Bearer ${emulators.credentials.sendgrid.apiKey}`);
    expect(request.json).toMatchObject({
      from: { email: "sender@courierx.test", name: "Courier X" },
      personalizations: [{ to: [{ email: "alice@example.com", name: "Alice Example" }] }],
      reply_to: { email: "replies@courierx.test" },
      subject: "Your receipt",
      content: [
        { type: "text/plain", value: "Thanks for your order" },
        { type: "text/html", value: "<p>Thanks for your <b>order</b></p>" },
      ],
      categories: ["receipt", "billing"],
      custom_args: { order_id: "ord_42", courierx_email_id: "em_test_0001" },
      headers: { "X-Campaign": "spring" },
      attachments: [{ content: ATTACHMENT_BASE64, filename: "receipt.txt", type: "text/plain", disposition: "attachment" }],
    });
    expect(request.response?.status).toBe(202);
    expect(result.providerMessageId).toBe(request.response?.headers?.["X-Message-Id"]);
    expect(result.providerMessageId).not.toBe("");
  });

  it("mailgun: multipart form with o:tag, v: variables, h: headers and a file part", async () => {
    const result = await getProviderAdapter("mailgun").send(sampleMessage(), emulators.connection("mailgun"));

    const request = onlyRequest("mailgun");
    expect(request.path).toBe(`/v3/${emulators.credentials.mailgun.domain}/messages`);
    expect(request.headers.authorization).toBe(`Basic ${Buffer.from(`api:${emulators.credentials.mailgun.apiKey}`).toString("base64")}`);
    expect(request.form?.fields).toMatchObject({
      from: ["Courier X <sender@courierx.test>"],
      to: ["Alice Example <alice@example.com>"],
      subject: ["Your receipt"],
      text: ["Thanks for your order"],
      html: ["<p>Thanks for your <b>order</b></p>"],
      "h:Reply-To": ["replies@courierx.test"],
      "o:tag": ["receipt", "billing"],
      "v:order_id": ["ord_42"],
      "v:courierx_email_id": ["em_test_0001"],
      "h:X-Campaign": ["spring"],
    });
    expect(request.form?.files).toHaveLength(1);
    const [file] = request.form?.files ?? [];
    expect(file).toMatchObject({ field: "attachment", filename: "receipt.txt", contentType: "text/plain" });
    expect(file?.content.toString()).toBe(ATTACHMENT_TEXT);
    // The API answers "<id>", events carry the id without brackets.
    expect(`<${result.providerMessageId}>`).toBe(answeredBody(request).id);
  });

  it("aws_ses: SESv2 Simple content with Headers, Attachments and EmailTags, SigV4-signed", async () => {
    const result = await getProviderAdapter("aws_ses").send(sampleMessage(), emulators.connection("aws_ses"));

    const request = onlyRequest("aws_ses");
    expect(request.path).toBe("/v2/email/outbound-emails");
    expect(request.headers.authorization).toMatch(new RegExp(`^AWS4-HMAC-SHA256 Credential=${emulators.credentials.aws_ses.accessKeyId}/\\d{8}/us-east-1/ses/aws4_request`));
    expect(request.json).toMatchObject({
      FromEmailAddress: "Courier X <sender@courierx.test>",
      Destination: { ToAddresses: ["Alice Example <alice@example.com>"] },
      ReplyToAddresses: ["replies@courierx.test"],
      Content: {
        Simple: {
          Subject: { Data: "Your receipt", Charset: "UTF-8" },
          Body: { Text: { Data: "Thanks for your order" }, Html: { Data: "<p>Thanks for your <b>order</b></p>" } },
          Headers: [{ Name: "X-Campaign", Value: "spring" }],
          Attachments: [{ RawContent: ATTACHMENT_BASE64, FileName: "receipt.txt", ContentType: "text/plain", ContentDisposition: "ATTACHMENT" }],
        },
      },
    });
    const tags = (request.json as { EmailTags: { Name: string; Value: string }[] }).EmailTags;
    expect(tags).toEqual(
      expect.arrayContaining([
        { Name: "receipt", Value: "true" },
        { Name: "billing", Value: "true" },
        { Name: "order_id", Value: "ord_42" },
        { Name: "courierx_email_id", Value: "em_test_0001" },
      ]),
    );
    expect(result.providerMessageId).toBe(answeredBody(request).MessageId);
  });

  it("postmark: PascalCase JSON with one Tag, Metadata and the server-token header", async () => {
    const result = await getProviderAdapter("postmark").send(sampleMessage(), emulators.connection("postmark"));

    const request = onlyRequest("postmark");
    expect(request.path).toBe("/email");
    expect(request.headers["x-postmark-server-token"]).toBe(emulators.credentials.postmark.serverToken);
    expect(request.json).toEqual({
      From: "Courier X <sender@courierx.test>",
      To: "Alice Example <alice@example.com>",
      ReplyTo: "replies@courierx.test",
      Subject: "Your receipt",
      HtmlBody: "<p>Thanks for your <b>order</b></p>",
      TextBody: "Thanks for your order",
      Tag: "receipt",
      Metadata: { order_id: "ord_42", courierx_email_id: "em_test_0001" },
      Headers: [{ Name: "X-Campaign", Value: "spring" }],
      Attachments: [{ Name: "receipt.txt", Content: ATTACHMENT_BASE64, ContentType: "text/plain", ContentID: null }],
      MessageStream: "outbound",
    });
    expect(result.providerMessageId).toBe(answeredBody(request).MessageID);
  });

  it("resend: snake_case JSON with sanitised tags and an idempotency key", async () => {
    const message = sampleMessage({ tags: ["receipt", "spring sale!"], metadata: { "order id": "ord/42" } });
    const result = await getProviderAdapter("resend").send(message, emulators.connection("resend"));

    const request = onlyRequest("resend");
    expect(request.path).toBe("/emails");
    expect(request.headers.authorization).toBe(`Bearer ${emulators.credentials.resend.apiKey}`);
    expect(request.headers["idempotency-key"]).toBe("courierx-em_test_0001");
    expect(request.json).toMatchObject({
      from: "Courier X <sender@courierx.test>",
      to: ["Alice Example <alice@example.com>"],
      reply_to: "replies@courierx.test",
      subject: "Your receipt",
      html: "<p>Thanks for your <b>order</b></p>",
      text: "Thanks for your order",
      headers: { "X-Campaign": "spring" },
      attachments: [{ content: ATTACHMENT_BASE64, filename: "receipt.txt", content_type: "text/plain" }],
    });
    expect((request.json as { tags: unknown[] }).tags).toEqual([
      { name: "receipt", value: "true" },
      { name: "spring_sale_", value: "true" },
      { name: "order_id", value: "ord_42" },
      { name: "courierx_email_id", value: "em_test_0001" },
    ]);
    expect(result.providerMessageId).toBe(answeredBody(request).id);
  });

  it("resend: a repeated send of the same email is answered from the idempotency store", async () => {
    const adapter = getProviderAdapter("resend");
    const first = await adapter.send(sampleMessage(), emulators.connection("resend"));
    const second = await adapter.send(sampleMessage(), emulators.connection("resend"));
    expect(second.providerMessageId).toBe(first.providerMessageId);
  });

  it("smtp: authenticated STARTTLS session, MIME with X- headers and a stable Message-ID", async () => {
    const result = await getProviderAdapter("smtp").send(sampleMessage(), emulators.connection("smtp"));

    expect(emulators.smtp.received).toHaveLength(1);
    const [mail] = emulators.smtp.received;
    if (!mail) throw new Error("no mail received");
    expect(mail.envelope).toEqual({ from: "sender@courierx.test", to: ["alice@example.com"] });
    expect(mail.user).toBe(emulators.credentials.smtp.user);
    expect(mail.secure).toBe(true);

    const parsed = await emulators.smtp.parse(mail);
    expect(parsed.from?.value).toEqual([{ address: "sender@courierx.test", name: "Courier X" }]);
    expect(parsed.to).toMatchObject({ value: [{ address: "alice@example.com", name: "Alice Example" }] });
    expect(parsed.replyTo?.value[0]?.address).toBe("replies@courierx.test");
    expect(parsed.subject).toBe("Your receipt");
    expect(parsed.text?.trim()).toBe("Thanks for your order");
    expect(parsed.html).toBe("<p>Thanks for your <b>order</b></p>");
    expect(parsed.headers.get("x-campaign")).toBe("spring");
    expect(parsed.headers.get("x-courierx-email-id")).toBe("em_test_0001");
    expect(parsed.headers.get("x-courierx-metadata")).toBe("order_id=ord_42; courierx_email_id=em_test_0001");
    expect(parsed.headers.get("x-courierx-tags")).toBe("receipt, billing");
    expect(parsed.attachments).toHaveLength(1);
    expect(parsed.attachments[0]).toMatchObject({ filename: "receipt.txt", contentType: "text/plain" });
    expect(parsed.attachments[0]?.content.toString()).toBe(ATTACHMENT_TEXT);
    expect(parsed.messageId).toBe("<em_test_0001@courierx.test>");
    expect(result.providerMessageId).toBe("em_test_0001@courierx.test");
  });

  it("the email id cannot be overridden by caller metadata", async () => {
    const message = sampleMessage({ metadata: { courierx_email_id: "spoofed" } });
    await getProviderAdapter("postmark").send(message, emulators.connection("postmark"));
    expect(onlyRequest("postmark").json).toMatchObject({ Metadata: { courierx_email_id: "em_test_0001" } });
  });
});
