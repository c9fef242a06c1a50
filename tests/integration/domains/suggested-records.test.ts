/**
 * The records the dashboard's domain page tells an owner to publish (components/domains/suggested-records)
 * against the service's own checks on a real DNS server: publish exactly what is suggested, verify again,
 * and every include the first check missed is found, and DMARC has a policy. Where a suggestion cannot be
 * faithful (several SPF records, a record the service cut for display) there is none.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { suggestedDmarc, suggestedSpf, withIncludes } from "@/components/domains/suggested-records";
import { checkDomainDns } from "@/server/services/domains/check-domain-dns";
import { startDnsServer, type DnsEntry, type TestDnsServer } from "./dns-server";

let dns: TestDnsServer;
beforeAll(async () => {
  dns = await startDnsServer();
});
afterAll(async () => {
  await dns.close();
});
beforeEach(() => dns.records.clear());

const TOKEN = "dns_suggested-records-token";

function publish(host: string, txt: NonNullable<DnsEntry["txt"]>) {
  dns.records.set(host, { ...dns.records.get(host), txt });
}

async function check(domain: string, providers: Parameters<typeof checkDomainDns>[2]) {
  const findings = await checkDomainDns(domain, TOKEN, providers);
  expect(findings.verification.result).toBe("found");
  return { spf: findings.spf!, dmarc: findings.dmarc! };
}

describe("suggested SPF and DMARC records", () => {
  it("merge the missing includes into the existing SPF record before its all, and add DMARC: published, they pass", async () => {
    const domain = "mail.suggest-merge.test";
    publish(`_courierx.${domain}`, [TOKEN]);
    publish(domain, ["google-site-verification=abc", "v=spf1 ip4:192.0.2.1 include:sendgrid.net -all"]);
    const first = await check(domain, ["sendgrid", "mailgun", "postmark", "resend", "smtp"]);
    expect(first.spf.providers.filter((p) => p.found === false).map((p) => p.provider)).toEqual(["mailgun", "postmark", "resend"]);

    const spf = suggestedSpf(first.spf);
    expect(spf.map((r) => [r.host, r.value])).toEqual([
      [domain, "v=spf1 ip4:192.0.2.1 include:sendgrid.net include:mailgun.org include:spf.mtasv.net -all"],
      // Resend's return path: a record of its own where there is none.
      [`send.${domain}`, "v=spf1 include:amazonses.com ~all"],
    ]);
    const dmarc = suggestedDmarc(first.dmarc);
    expect(dmarc).toMatchObject({ host: `_dmarc.${domain}`, value: "v=DMARC1; p=none" });

    // The owner replaces the SPF record with the suggestion (one SPF record per name) and adds the others.
    for (const record of [...spf, dmarc!]) {
      const others = (dns.records.get(record.host)?.txt ?? []).filter((r) => !/^v=spf1/i.test(String(r)));
      publish(record.host, [...others, record.value]);
    }
    const second = await check(domain, ["sendgrid", "mailgun", "postmark", "resend", "smtp"]);
    expect(second.spf.result).toBe("found");
    expect(second.spf.providers.map((p) => [p.provider, p.found])).toEqual([
      ["sendgrid", true],
      ["mailgun", true],
      ["postmark", true],
      ["resend", true],
      ["smtp", null],
    ]);
    expect(second.dmarc).toMatchObject({ result: "found", policy: "none" });
    expect(suggestedSpf(second.spf)).toEqual([]);
    expect(suggestedDmarc(second.dmarc)).toBeNull();
  });

  it("suggest a new SPF record where the domain has none, which then authorizes every provider", async () => {
    const domain = "suggest-new.test";
    publish(`_courierx.${domain}`, [TOKEN]);
    const first = await check(domain, ["aws_ses", "mailgun"]);
    expect(first.spf.result).toBe("missing");
    const [record] = suggestedSpf(first.spf);
    expect(record).toMatchObject({ host: domain, type: "TXT", value: "v=spf1 include:amazonses.com include:mailgun.org ~all" });
    publish(domain, [record!.value]);
    const second = await check(domain, ["aws_ses", "mailgun"]);
    expect(second.spf.providers.every((p) => p.found === true)).toBe(true);
  });

  it("suggest nothing that could not be faithful: several SPF records, a record cut for display, a lookup that failed, a DMARC that exists", async () => {
    const domain = "suggest-none.test";
    publish(`_courierx.${domain}`, [TOKEN]);
    publish(`_dmarc.${domain}`, ["v=DMARC1; p=reject"]);
    publish(domain, ["v=spf1 include:sendgrid.net ~all", "v=spf1 a ~all"]);
    const multiple = await check(domain, ["mailgun"]);
    expect(multiple.spf.result).toBe("multiple");
    expect(suggestedSpf(multiple.spf)).toEqual([]);
    expect(suggestedDmarc(multiple.dmarc)).toBeNull();

    // Longer than the 1,024 characters the service stores: the shown record ends in "…".
    const long = `v=spf1 ${Array.from({ length: 80 }, (_, i) => `ip4:198.51.100.${i}`).join(" ")} ~all`;
    publish(domain, [[...long.match(/[^]{1,255}/g)!]]);
    const cut = await check(domain, ["mailgun"]);
    expect(cut.spf.record!.endsWith("…")).toBe(true);
    expect(cut.spf.providers[0]).toMatchObject({ provider: "mailgun", found: false });
    expect(suggestedSpf(cut.spf)).toEqual([]);

    dns.records.set(domain, { fault: "servfail" });
    const failed = await check(domain, ["mailgun"]);
    expect(failed.spf.result).toBe("dns_error");
    expect(suggestedSpf(failed.spf)).toEqual([]);
  });

  it("puts includes before the all or redirect= term, and at the end when there is neither", () => {
    expect(withIncludes("v=spf1 a mx ~all", ["include:a.test"])).toBe("v=spf1 a mx include:a.test ~all");
    expect(withIncludes("v=spf1 a redirect=_spf.example.com", ["include:a.test"])).toBe("v=spf1 a include:a.test redirect=_spf.example.com");
    expect(withIncludes("v=spf1  a ", ["include:a.test", "include:b.test"])).toBe("v=spf1 a include:a.test include:b.test");
    expect(withIncludes("v=spf1 +all", ["include:a.test"])).toBe("v=spf1 include:a.test +all");
  });
});
