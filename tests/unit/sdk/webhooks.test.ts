/**
 * webhooks.verify against what the server signs (server/services/webhooks/sign-payload.ts, the code that
 * signs real deliveries) and against the independent `standardwebhooks` library: tolerance both ways,
 * rotated secrets, malformed signatures and secrets, and a request received by a node:http server.
 */
import http from "node:http";
import type { AddressInfo } from "node:net";
import { randomBytes } from "node:crypto";
import { Webhook } from "standardwebhooks";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { signatureOf, webhookHeaders } from "@/server/services/webhooks/sign-payload";
import { WebhookVerificationError } from "@/sdk/node/src/errors";
import { verifyWebhook } from "@/sdk/node/src/webhooks";

const secret = () => `whsec_${randomBytes(32).toString("base64")}`;
const body = JSON.stringify({ event: "delivered", email_id: "550e8400-e29b-41d4-a716-446655440000", recipient: "user@example.com", provider: "sendgrid", timestamp: "2026-03-22T10:30:03Z", metadata: { user_id: "usr_123" }, sequence: 2, test: false });
const NOW = new Date("2026-03-22T10:30:05Z");
const nowSeconds = Math.floor(NOW.getTime() / 1000);

function signed(secrets: string[], timestamp = nowSeconds, messageId = "msg_2a9Zk") {
  return webhookHeaders({ messageId, timestamp, body, secrets });
}

function rejection(fn: () => unknown): string {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(WebhookVerificationError);
    return (error as Error).message;
  }
  throw new Error("verify accepted the request");
}

describe("webhooks.verify", () => {
  it("accepts what the server signs and returns the parsed event", () => {
    const s = secret();
    const event = verifyWebhook(body, signed([s]), s, { now: NOW });
    expect(event).toEqual(JSON.parse(body));
    // Bytes work as well as a string; Headers as well as a plain object.
    expect(verifyWebhook(Buffer.from(body), new Headers(signed([s])), s, { now: NOW }).email_id).toBe("550e8400-e29b-41d4-a716-446655440000");
  });

  it("agrees with the standardwebhooks library both ways", () => {
    const s = secret();
    const lib = new Webhook(s);
    const id = "msg_lib";
    const libSignature = lib.sign(id, new Date(), body);
    const headers = { "webhook-id": id, "webhook-timestamp": String(Math.floor(Date.now() / 1000)), "webhook-signature": libSignature };
    expect(verifyWebhook(body, headers, s).event).toBe("delivered");
    const ours = signed([s], Math.floor(Date.now() / 1000));
    expect(lib.verify(body, ours)).toEqual(JSON.parse(body));
  });

  it("refuses a changed body, id or timestamp, and a wrong secret", () => {
    const s = secret();
    const headers = signed([s]);
    expect(rejection(() => verifyWebhook(body.replace("delivered", "bounced"), headers, s, { now: NOW }))).toBe("No matching signature found");
    expect(rejection(() => verifyWebhook(body, { ...headers, "webhook-id": "msg_other" }, s, { now: NOW }))).toBe("No matching signature found");
    expect(rejection(() => verifyWebhook(body, { ...headers, "webhook-timestamp": String(nowSeconds - 1) }, s, { now: NOW }))).toBe("No matching signature found");
    expect(rejection(() => verifyWebhook(body, headers, secret(), { now: NOW }))).toBe("No matching signature found");
  });

  it("holds the 5-minute tolerance both ways, exactly at its edge", () => {
    const s = secret();
    expect(verifyWebhook(body, signed([s], nowSeconds - 300), s, { now: NOW }).event).toBe("delivered");
    expect(verifyWebhook(body, signed([s], nowSeconds + 300), s, { now: NOW }).event).toBe("delivered");
    expect(rejection(() => verifyWebhook(body, signed([s], nowSeconds - 301), s, { now: NOW }))).toBe("Message timestamp too old");
    expect(rejection(() => verifyWebhook(body, signed([s], nowSeconds + 301), s, { now: NOW }))).toBe("Message timestamp too new");
    // A wider window when asked.
    expect(verifyWebhook(body, signed([s], nowSeconds - 3600), s, { now: NOW, toleranceSeconds: 3600 }).event).toBe("delivered");
  });

  it("during a rotation: either secret matches a request signed with both, and a list of secrets matches either signature", () => {
    const [previous, current] = [secret(), secret()];
    const rotated = signed([current, previous]);
    expect(rotated["webhook-signature"]!.split(" ")).toHaveLength(2);
    expect(verifyWebhook(body, rotated, previous, { now: NOW }).event).toBe("delivered");
    expect(verifyWebhook(body, rotated, current, { now: NOW }).event).toBe("delivered");
    // The receiver rolling out its new secret keeps the old one listed until the server's 24 h are over.
    expect(verifyWebhook(body, signed([previous]), [current, previous], { now: NOW }).event).toBe("delivered");
    expect(rejection(() => verifyWebhook(body, signed([previous]), [current, secret()], { now: NOW }))).toBe("No matching signature found");
  });

  it("skips malformed and unknown-version signatures, and still finds a good one beside them", () => {
    const s = secret();
    const good = signatureOf(s, "msg_2a9Zk", nowSeconds, body);
    const base = signed([s]);
    for (const junk of ["v1,!!!not-base64!!!", "v1,", "v1", "v2," + good.slice(3), "v1a," + good.slice(3), "v1,abc", good.slice(3)]) {
      expect(rejection(() => verifyWebhook(body, { ...base, "webhook-signature": junk }, s, { now: NOW })), junk).toBe("No matching signature found");
      expect(verifyWebhook(body, { ...base, "webhook-signature": `${junk} ${good}` }, s, { now: NOW }).event, junk).toBe("delivered");
    }
    // A signature whose bytes are a prefix of the right one (different length) never matches.
    const truncated = `v1,${Buffer.from(good.slice(3), "base64").subarray(0, 16).toString("base64")}`;
    expect(rejection(() => verifyWebhook(body, { ...base, "webhook-signature": truncated }, s, { now: NOW }))).toBe("No matching signature found");
  });

  it("refuses a secret that is not whsec_<base64>, missing headers, a bad timestamp and a parsed body", () => {
    const s = secret();
    const headers = signed([s]);
    for (const bad of ["whsec_", "whsec_not*base64", "whsec_abc"]) expect(rejection(() => verifyWebhook(body, headers, bad, { now: NOW })), bad).toMatch(/not a whsec_<base64> secret/);
    for (const name of ["webhook-id", "webhook-timestamp", "webhook-signature"]) {
      const without = { ...headers };
      delete without[name];
      expect(rejection(() => verifyWebhook(body, without, s, { now: NOW })), name).toMatch(/^Missing/);
    }
    for (const timestamp of ["soon", "-5", "1.5", "1e9", ""]) {
      expect(rejection(() => verifyWebhook(body, { ...headers, "webhook-timestamp": timestamp }, s, { now: NOW })), timestamp).toMatch(/webhook-timestamp|Missing/);
    }
    expect(() => verifyWebhook(JSON.parse(body) as unknown as string, headers, s, { now: NOW })).toThrow(TypeError);
  });
});

describe("webhooks.verify in a node:http receiver", () => {
  const s = secret();
  let server: http.Server;
  let url: string;
  const outcomes: string[] = [];

  beforeAll(async () => {
    server = http.createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on("data", (c: Buffer) => chunks.push(c));
      req.on("end", () => {
        try {
          // req.headers as Node gives them (IncomingHttpHeaders), the body as the raw bytes.
          const event = verifyWebhook(Buffer.concat(chunks), req.headers, s);
          outcomes.push(`ok ${event.event}`);
          res.writeHead(204).end();
        } catch (error) {
          outcomes.push(`refused ${(error as Error).message}`);
          res.writeHead(400).end();
        }
      });
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/webhooks`;
  });

  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it("verifies a signed request over HTTP and refuses the same request with a tampered body", async () => {
    const headers = webhookHeaders({ messageId: "msg_http", timestamp: Math.floor(Date.now() / 1000), body, secrets: [s] });
    expect((await fetch(url, { method: "POST", headers, body })).status).toBe(204);
    expect((await fetch(url, { method: "POST", headers, body: body.replace("usr_123", "usr_999") })).status).toBe(400);
    expect(outcomes).toEqual(["ok delivered", "refused No matching signature found"]);
  });
});
