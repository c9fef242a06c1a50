/**
 * POST /api/v1/domains/:id/verify against a real DNS server on loopback (DNS_SERVERS): the token present,
 * absent and wrong; servers that fail or never answer (a clear failed answer in bounded time, never a 500,
 * a verified domain kept); hostile TXT content; and the SPF, DMARC and DKIM findings for the providers the
 * tenant has connected (real connections to the provider emulators), looked up only once the token is
 * found (an unproven domain costs one query) and matched on the full answers (many and long records).
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { getDb } from "@/server/db";
import { startEmulators, type Emulators } from "../../emulators";
import { api, signUp } from "../../helpers/api";
import { connectionBody } from "../../helpers/connections";
import { startDnsServer, type TestDnsServer } from "./dns-server";

let dns: TestDnsServer;
let emulators: Emulators;
beforeAll(async () => {
  dns = await startDnsServer();
  emulators = await startEmulators();
});
afterAll(async () => {
  await dns.close();
  await emulators.stop();
});
beforeEach(() => dns.records.clear());

async function register(apiKey: string, domain: string): Promise<{ id: string; token: string }> {
  const res = await api.post("/api/v1/domains", { domain }, { token: apiKey });
  expect(res.status).toBe(201);
  return { id: res.body.id, token: res.body.verification_token };
}

const verify = (apiKey: string, id: string) => api.post(`/api/v1/domains/${id}/verify`, undefined, { token: apiKey });

const NOT_CHECKED = "SPF, DMARC and DKIM are checked once the verification token is found.";

async function connect(apiKey: string, provider: Parameters<typeof connectionBody>[1], extra: Record<string, unknown> = {}) {
  const res = await api.post("/api/v1/provider_connections", connectionBody(emulators, provider, extra), { token: apiKey });
  expect(res.status, res.text).toBe(201);
  return res.body.id as string;
}

/** One connection per provider: the most DNS checks a verification can make. */
async function connectAll(apiKey: string) {
  for (const [i, provider] of (["sendgrid", "resend", "postmark", "mailgun", "aws_ses", "smtp"] as const).entries()) await connect(apiKey, provider, { priority: i + 1 });
}

/** A TXT record's value as character-strings of at most 255 characters, as on the wire. */
const chunked = (value: string) => value.match(/[^]{1,255}/g)!;

describe("the verification token", () => {
  it("verifies when the TXT record carries the token, and keeps the answer", async () => {
    const { apiKey } = await signUp();
    const { id, token } = await register(apiKey, "mail.acme-present.test");
    dns.records.set("_courierx.mail.acme-present.test", { txt: ["google-site-verification=abc", token] });
    const res = await verify(apiKey, id);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ id, status: "verified", verification_result: "found", txt_records: ["google-site-verification=abc", token], message: "Found the verification token at _courierx.mail.acme-present.test." });
    expect(Date.parse(res.body.verified_at)).toBeGreaterThan(Date.now() - 60_000);
    expect(res.body.last_checked_at).toBe(res.body.verified_at);
    expect(dns.questions).toContain("TXT _courierx.mail.acme-present.test");
    // The answer is the domain's state now, in GET and the list.
    expect((await api.get(`/api/v1/domains/${id}`, { token: apiKey })).body).toEqual(res.body);
    expect((await api.get("/api/v1/domains", { token: apiKey })).body[0].status).toBe("verified");
    // Verified again: verified_at stays the first success, last_checked_at moves.
    await new Promise((r) => setTimeout(r, 5));
    const again = await verify(apiKey, id);
    expect(again.body.verified_at).toBe(res.body.verified_at);
    expect(Date.parse(again.body.last_checked_at)).toBeGreaterThan(Date.parse(res.body.last_checked_at));
  });

  it("accepts a token split into several character-strings or stored with its quotes", async () => {
    const { apiKey } = await signUp();
    const split = await register(apiKey, "split.test");
    dns.records.set("_courierx.split.test", { txt: [[split.token.slice(0, 10), split.token.slice(10)]] });
    expect((await verify(apiKey, split.id)).body.status).toBe("verified");
    const quoted = await register(apiKey, "quoted.test");
    dns.records.set("_courierx.quoted.test", { txt: [`"${quoted.token}"`] });
    expect((await verify(apiKey, quoted.id)).body.status).toBe("verified");
  });

  it("fails with no TXT record (NXDOMAIN or no records of the type), saying what to add", async () => {
    const { apiKey } = await signUp();
    const { id, token } = await register(apiKey, "absent.test");
    const res = await verify(apiKey, id);
    expect(res.body).toMatchObject({ status: "failed", verified_at: null, verification_result: "missing", txt_records: [], message: `No TXT record at _courierx.absent.test: add one with the value ${token}. ${NOT_CHECKED}` });
    dns.records.set("_courierx.absent.test", { cname: "elsewhere.test" });
    expect((await verify(apiKey, id)).body).toMatchObject({ status: "failed", verification_result: "missing" });
  });

  it("fails with a wrong value, showing the values found", async () => {
    const { apiKey } = await signUp();
    const { id, token } = await register(apiKey, "wrong.test");
    const other = await register(apiKey, "other.test");
    // Another domain's token (even of the same tenant) does not verify this one; nor a prefix of it.
    dns.records.set("_courierx.wrong.test", { txt: [other.token, token.slice(0, -1), `${token} extra`] });
    const res = await verify(apiKey, id);
    expect(res.body).toMatchObject({
      status: "failed",
      verification_result: "mismatch",
      txt_records: [other.token, token.slice(0, -1), `${token} extra`],
      message: `The TXT records at _courierx.wrong.test do not contain the verification token ${token}. ${NOT_CHECKED}`,
    });
  });

  it("fails a verified domain whose record is gone or changed, and keeps it verified when DNS cannot answer", async () => {
    const { apiKey } = await signUp();
    const { id, token } = await register(apiKey, "flaky.test");
    dns.records.set("_courierx.flaky.test", { txt: [token] });
    const verified = await verify(apiKey, id);
    expect(verified.body.status).toBe("verified");

    dns.records.set("_courierx.flaky.test", { fault: "servfail" });
    const servfail = await verify(apiKey, id);
    expect(servfail.status).toBe(200);
    expect(servfail.body).toMatchObject({ status: "verified", verified_at: verified.body.verified_at, verification_result: "dns_error" });
    expect(servfail.body.message).toBe(`Could not check _courierx.flaky.test: the DNS server answered SERVFAIL (it could not resolve the name). Try again later. ${NOT_CHECKED}`);

    dns.records.set("_courierx.flaky.test", { txt: ["dns_somethingelse"] });
    expect((await verify(apiKey, id)).body).toMatchObject({ status: "failed", verified_at: null, verification_result: "mismatch" });
    dns.records.set("_courierx.flaky.test", { txt: [token] });
    expect((await verify(apiKey, id)).body.status).toBe("verified");
    dns.records.delete("_courierx.flaky.test");
    expect((await verify(apiKey, id)).body).toMatchObject({ status: "failed", verification_result: "missing" });
  });

  it("answers a DNS server that never answers with failed within the budget, not a 500", async () => {
    const { apiKey } = await signUp();
    const { id } = await register(apiKey, "silent.test");
    dns.records.set("_courierx.silent.test", { fault: "silent" });
    dns.records.set("silent.test", { fault: "silent" });
    const started = Date.now();
    const res = await verify(apiKey, id);
    const took = Date.now() - started;
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ status: "failed", verification_result: "dns_error", message: `Could not check _courierx.silent.test: the DNS lookup timed out. Try again later. ${NOT_CHECKED}` });
    expect(res.body).toMatchObject({ spf: null, dmarc: null, dkim: null });
    // DNS_TIMEOUT_MS is 1500 in this file: the whole verification is bounded by it.
    expect(took).toBeLessThan(1500 + 1000);
  });

  it("stores and shows hostile TXT content safely (NUL, control bytes, huge records)", async () => {
    const { apiKey } = await signUp();
    const { id } = await register(apiKey, "hostile.test");
    dns.records.set("_courierx.hostile.test", { txt: ["a\u0000b\r\nc", "x".repeat(250), Array.from({ length: 30 }, () => "y".repeat(200))] });
    const res = await verify(apiKey, id);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ status: "failed", verification_result: "mismatch" });
    expect(res.body.txt_records[0]).toBe("a\\x00b\\x0d\\x0ac");
    expect(res.body.txt_records[2]).toHaveLength(1025);
    expect(res.body.txt_records[2].endsWith("…")).toBe(true);
    expect((await api.get(`/api/v1/domains/${id}`, { token: apiKey })).body.txt_records).toEqual(res.body.txt_records);
  });

  it("answers 404 when the domain is removed while its lookup runs", async () => {
    const { apiKey } = await signUp();
    const { id } = await register(apiKey, "gone.test");
    dns.records.set("_courierx.gone.test", { fault: "silent" });
    const pending = verify(apiKey, id);
    await new Promise((r) => setTimeout(r, 200));
    expect((await api.delete(`/api/v1/domains/${id}`, { token: apiKey })).status).toBe(204);
    const res = await pending;
    expect([res.status, res.body]).toEqual([404, { error: "Not found" }]);
    expect(await (await getDb()).domain.count({ where: { id } })).toBe(0);
  });
});

describe("SPF, DMARC and DKIM findings", () => {
  it("reports them for each provider the tenant has connected, in failover order", async () => {
    const { apiKey } = await signUp();
    await connect(apiKey, "sendgrid", { priority: 1 });
    await connect(apiKey, "resend", { priority: 2 });
    await connect(apiKey, "postmark", { priority: 3 });
    await connect(apiKey, "mailgun", { priority: 4 });
    await connect(apiKey, "aws_ses", { priority: 5 });
    await connect(apiKey, "smtp", { priority: 6 });
    // A disabled connection is not in the chain.
    const disabled = await connect(apiKey, "sendgrid", { priority: 7, display_name: "old sendgrid" });
    await api.patch(`/api/v1/provider_connections/${disabled}`, { enabled: false }, { token: apiKey });

    const { id, token } = await register(apiKey, "mail.acme.test");
    dns.records.set("_courierx.mail.acme.test", { txt: [token] });
    dns.records.set("mail.acme.test", { txt: ["some-other=txt", "v=spf1 include:sendgrid.net +include:spf.mtasv.net ~include:mailgun.org -all"] });
    dns.records.set("send.mail.acme.test", { txt: ["v=spf1 include:amazonses.com ~all"] });
    dns.records.set("_dmarc.acme.test", { txt: ["v=DMARC1; p=reject; sp=quarantine; rua=mailto:d@acme.test"] });
    dns.records.set("s1._domainkey.mail.acme.test", { cname: "s1.domainkey.u123.wl.sendgrid.net" });
    dns.records.set("resend._domainkey.mail.acme.test", { txt: ["p=MIGfMA0GCSqGSIb3DQEBAQUAA4GNADCBiQKBgQC"] });
    dns.records.set("k1._domainkey.mail.acme.test", { txt: ["k=rsa; p=MIGfMA0GCSqG"] });

    const res = await verify(apiKey, id);
    expect(res.body.status).toBe("verified");
    expect(res.body.spf).toEqual({
      host: "mail.acme.test",
      result: "found",
      record: "v=spf1 include:sendgrid.net +include:spf.mtasv.net ~include:mailgun.org -all",
      message: "SPF record found at mail.acme.test.",
      providers: [
        { provider: "sendgrid", include: "include:sendgrid.net", host: "mail.acme.test", found: true, message: "include:sendgrid.net found in the SPF record at mail.acme.test." },
        { provider: "resend", include: "include:amazonses.com", host: "send.mail.acme.test", found: true, message: "include:amazonses.com found in the SPF record at send.mail.acme.test." },
        { provider: "postmark", include: "include:spf.mtasv.net", host: "mail.acme.test", found: true, message: "include:spf.mtasv.net found in the SPF record at mail.acme.test." },
        // A softfail qualifier does not authorize Mailgun.
        { provider: "mailgun", include: "include:mailgun.org", host: "mail.acme.test", found: false, message: "Add include:mailgun.org to the SPF record at mail.acme.test." },
        { provider: "aws_ses", include: "include:amazonses.com", host: "mail.acme.test", found: false, message: "Add include:amazonses.com to the SPF record at mail.acme.test." },
        { provider: "smtp", include: null, host: null, found: null, message: "No SPF include is known for smtp: authorize your relay's servers in your SPF record." },
      ],
    });
    expect(res.body.dmarc).toEqual({
      host: "_dmarc.acme.test",
      result: "found",
      record: "v=DMARC1; p=reject; sp=quarantine; rua=mailto:d@acme.test",
      policy: "quarantine",
      inherited: true,
      message: "DMARC policy quarantine at _dmarc.acme.test applies to mail.acme.test.",
    });
    expect(res.body.dkim).toEqual([
      { provider: "sendgrid", selector: "s1", host: "s1._domainkey.mail.acme.test", found: true, record_type: "CNAME", message: "DKIM key (CNAME) found at s1._domainkey.mail.acme.test." },
      { provider: "sendgrid", selector: "s2", host: "s2._domainkey.mail.acme.test", found: false, record_type: null, message: "No DKIM key at s2._domainkey.mail.acme.test: add the record sendgrid shows for this domain." },
      { provider: "resend", selector: "resend", host: "resend._domainkey.mail.acme.test", found: true, record_type: "TXT", message: "DKIM key (TXT) found at resend._domainkey.mail.acme.test." },
      { provider: "postmark", selector: null, host: null, found: null, record_type: null, message: expect.stringMatching(/^selector unknown: Postmark's is date-based/) },
      { provider: "mailgun", selector: "k1", host: "k1._domainkey.mail.acme.test", found: true, record_type: "TXT", message: "DKIM key (TXT) found at k1._domainkey.mail.acme.test." },
      { provider: "aws_ses", selector: null, host: null, found: null, record_type: null, message: expect.stringMatching(/^selector unknown: SES Easy DKIM/) },
      { provider: "smtp", selector: null, host: null, found: null, record_type: null, message: "selector unknown: it is set by your SMTP relay" },
    ]);
    // Kept as the domain's last answer.
    const db = await getDb();
    const stored = await db.domain.findUniqueOrThrow({ where: { id } });
    expect((stored.findings as any).spf.providers).toHaveLength(6);
  });

  it("reports a missing SPF and DMARC, two SPF records, a domain's own DMARC policy, and an unknown Mailgun selector", async () => {
    const { apiKey } = await signUp();
    await connect(apiKey, "mailgun");
    const bare = await register(apiKey, "bare.test");
    dns.records.set("_courierx.bare.test", { txt: [bare.token] });
    const bareRes = await verify(apiKey, bare.id);
    expect(bareRes.body.spf).toMatchObject({ result: "missing", record: null, message: "No SPF record (TXT starting v=spf1) at bare.test.", providers: [{ provider: "mailgun", found: false }] });
    expect(bareRes.body.dmarc).toMatchObject({ host: "_dmarc.bare.test", result: "missing", policy: null });
    expect(bareRes.body.dkim).toEqual([{ provider: "mailgun", selector: null, host: null, found: null, record_type: null, message: expect.stringMatching(/^selector unknown: Mailgun picks it per domain/) }]);

    const two = await register(apiKey, "two.test");
    dns.records.set("_courierx.two.test", { txt: [two.token] });
    dns.records.set("two.test", { txt: ["v=spf1 include:mailgun.org ~all", "v=spf1 -all"] });
    dns.records.set("_dmarc.two.test", { txt: ["v=DMARC1; p=none"] });
    const twoRes = await verify(apiKey, two.id);
    expect(twoRes.body.spf).toMatchObject({ result: "multiple", message: "two.test has 2 SPF records; receivers treat that as an error (RFC 7208): merge them into one.", providers: [{ provider: "mailgun", found: true }] });
    expect(twoRes.body.dmarc).toMatchObject({ host: "_dmarc.two.test", result: "found", policy: "none", inherited: false });
  });

  it("reports no provider findings for a tenant without connections", async () => {
    const { apiKey } = await signUp();
    const { id, token } = await register(apiKey, "lonely.test");
    dns.records.set("_courierx.lonely.test", { txt: [token] });
    const res = await verify(apiKey, id);
    expect(res.body.spf.providers).toEqual([]);
    expect(res.body.dkim).toEqual([]);
  });
});

describe("a domain its tenant has not proven", () => {
  it("costs one DNS query: SPF, DMARC and DKIM are looked up only once the token is found", async () => {
    const { apiKey } = await signUp();
    await connectAll(apiKey);
    const { id, token } = await register(apiKey, "victim.test");
    // Records an attacker's verify would otherwise query, for every connected provider.
    dns.records.set("victim.test", { txt: ["v=spf1 include:sendgrid.net -all"] });
    dns.records.set("_dmarc.victim.test", { txt: ["v=DMARC1; p=reject"] });

    dns.questions.length = 0;
    const missing = await verify(apiKey, id);
    expect(missing.body).toMatchObject({ status: "failed", verification_result: "missing", spf: null, dmarc: null, dkim: null, message: `No TXT record at _courierx.victim.test: add one with the value ${token}. ${NOT_CHECKED}` });
    expect(dns.questions).toEqual(["TXT _courierx.victim.test"]);

    dns.records.set("_courierx.victim.test", { txt: ["dns_someoneelse"] });
    dns.questions.length = 0;
    expect((await verify(apiKey, id)).body).toMatchObject({ verification_result: "mismatch", spf: null, dmarc: null, dkim: null });
    expect(dns.questions).toEqual(["TXT _courierx.victim.test"]);

    dns.records.set("_courierx.victim.test", { fault: "servfail" });
    dns.questions.length = 0;
    expect((await verify(apiKey, id)).body).toMatchObject({ verification_result: "dns_error", spf: null, dmarc: null, dkim: null });
    expect(new Set(dns.questions)).toEqual(new Set(["TXT _courierx.victim.test"]));

    // Proven: the checks run, for every provider.
    dns.records.set("_courierx.victim.test", { txt: [token] });
    dns.questions.length = 0;
    const verified = await verify(apiKey, id);
    expect(verified.body).toMatchObject({ status: "verified", message: "Found the verification token at _courierx.victim.test.", spf: { result: "found" }, dmarc: { policy: "reject" } });
    expect(verified.body.dkim).toHaveLength(7);
    expect(dns.questions.length).toBeGreaterThan(10);

    // The proof removed: the old findings are not shown as if still checked.
    dns.records.delete("_courierx.victim.test");
    const removed = await verify(apiKey, id);
    expect(removed.body).toMatchObject({ status: "failed", verification_result: "missing", spf: null, dmarc: null, dkim: null });
    expect((await api.get(`/api/v1/domains/${id}`, { token: apiKey })).body).toEqual(removed.body);
  });

  it("answers an alias that loops or leads nowhere as missing, saying so", async () => {
    const { apiKey } = await signUp();
    const { id, token } = await register(apiKey, "loop.test");
    dns.records.set("_courierx.loop.test", { aliases: [["_courierx.loop.test", "a.loop.test"], ["a.loop.test", "_courierx.loop.test"]] });
    const loop = await verify(apiKey, id);
    expect(loop.body).toMatchObject({
      status: "failed",
      verification_result: "missing",
      txt_records: [],
      message: `No TXT record at _courierx.loop.test: it is an alias (CNAME) that loops or leads to no TXT record. Replace it with a TXT record with the value ${token}. ${NOT_CHECKED}`,
    });
    dns.records.set("_courierx.loop.test", { aliases: [["_courierx.loop.test", "nowhere.loop.test"]] });
    expect((await verify(apiKey, id)).body).toMatchObject({ verification_result: "missing", txt_records: [] });
  });
});

describe("long DNS answers", () => {
  it("finds the token in any record of an answer with more than 20, showing the first 20", async () => {
    const { apiKey } = await signUp();
    const { id, token } = await register(apiKey, "many.test");
    const others = Array.from({ length: 24 }, (_, i) => `other-verification-${i}=${"z".repeat(40)}`);
    dns.records.set("_courierx.many.test", { txt: [...others.slice(0, 21), token, ...others.slice(21)] });
    const res = await verify(apiKey, id);
    expect(res.body).toMatchObject({ status: "verified", verification_result: "found", message: "Found the verification token at _courierx.many.test (25 records, the first 20 shown)." });
    expect(res.body.txt_records).toEqual(others.slice(0, 20));

    dns.records.set("_courierx.many.test", { txt: others });
    expect((await verify(apiKey, id)).body).toMatchObject({
      status: "failed",
      verification_result: "mismatch",
      message: `The TXT records at _courierx.many.test do not contain the verification token ${token} (24 records, the first 20 shown). ${NOT_CHECKED}`,
    });
  });

  it("finds an SPF record past the 20th TXT record, an include at the end of one over 1,024 characters, and stores both bounded", async () => {
    const { apiKey } = await signUp();
    await connect(apiKey, "sendgrid", { priority: 1 });
    await connect(apiKey, "mailgun", { priority: 2 });
    const spf = `v=spf1 ${Array.from({ length: 80 }, (_, i) => `ip4:192.0.2.${i}`).join(" ")} include:mailgun.org include:sendgrid.net -all`;
    expect(spf.length).toBeGreaterThan(1024);

    // An apex with many TXT records, the SPF record among the last (resolvers return them in any order).
    const apex = await register(apiKey, "apex.test");
    dns.records.set("_courierx.apex.test", { txt: [apex.token] });
    dns.records.set("apex.test", { txt: [...Array.from({ length: 24 }, (_, i) => `site-verification-${i}=abc`), "v=spf1 include:sendgrid.net ~all"] });
    const apexRes = await verify(apiKey, apex.id);
    expect(apexRes.body.spf).toMatchObject({ result: "found", record: "v=spf1 include:sendgrid.net ~all", providers: [{ provider: "sendgrid", found: true }, { provider: "mailgun", found: false }] });

    const long = await register(apiKey, "long.test");
    dns.records.set("_courierx.long.test", { txt: [long.token] });
    dns.records.set("long.test", { txt: [chunked(spf)] });
    // A DMARC record with a NUL in its policy: matched raw, stored escaped (jsonb refuses NUL).
    dns.records.set("_dmarc.long.test", { txt: [chunked(`v=DMARC1; p=re\u0000ject; rua=mailto:${"d".repeat(1100)}@long.test`)] });
    const res = await verify(apiKey, long.id);
    expect(res.status).toBe(200);
    expect(res.body.spf).toMatchObject({ result: "found", providers: [{ provider: "sendgrid", found: true }, { provider: "mailgun", found: true }] });
    expect(res.body.spf.record).toBe(`${spf.slice(0, 1024)}…`);
    expect(res.body.dmarc).toMatchObject({ result: "found", policy: "re\\x00ject", message: "DMARC policy re\\x00ject at _dmarc.long.test." });
    expect(res.body.dmarc.record).toHaveLength(1025);
    expect((await api.get(`/api/v1/domains/${long.id}`, { token: apiKey })).body.spf).toEqual(res.body.spf);
  });
});
