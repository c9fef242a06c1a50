/**
 * The domain endpoints' REST side: registration with hostname validation (normalized or refused with a
 * 422 that changes nothing), duplicates, the per-tenant limit, the list, one domain, removal; another tenant gets 404 on every
 * id route; test keys read but may not register, verify or remove.
 */
import { describe, expect, it } from "vitest";
import { getDb } from "@/server/db";
import { api, signUp } from "../../helpers/api";

async function domainCount(tenantId: string): Promise<number> {
  return (await getDb()).domain.count({ where: { tenantId } });
}

describe("POST /api/v1/domains", () => {
  it("registers a pending domain with a dns_ token and the record to publish", async () => {
    const { apiKey } = await signUp();
    const res = await api.post("/api/v1/domains", { domain: "Mail.YourApp.com." }, { token: apiKey });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({
      id: expect.stringMatching(/^[0-9a-f-]{36}$/),
      domain: "mail.yourapp.com",
      status: "pending",
      verification_token: expect.stringMatching(/^dns_[A-Za-z0-9_-]{32}$/),
      verified_at: null,
      last_checked_at: null,
      txt_records: [],
      message: null,
      spf: null,
      dmarc: null,
      dkim: null,
    });
    expect(res.body.dns_record).toEqual({ type: "TXT", host: "_courierx.mail.yourapp.com", value: res.body.verification_token });
    expect(Date.parse(res.body.created_at)).not.toBeNaN();
    const other = await api.post("/api/v1/domains", { domain: "yourapp.com" }, { token: apiKey });
    expect(other.body.verification_token).not.toBe(res.body.verification_token);
  });

  it("stores an internationalized name as its punycode A-label", async () => {
    const { apiKey } = await signUp();
    const res = await api.post("/api/v1/domains", { domain: "Bücher.example" }, { token: apiKey });
    expect(res.status).toBe(201);
    expect(res.body.domain).toBe("xn--bcher-kva.example");
    const dup = await api.post("/api/v1/domains", { domain: "xn--bcher-kva.example" }, { token: apiKey });
    expect(dup.status).toBe(422);
  });

  it("refuses what is not a public hostname, naming the problem, and stores nothing", async () => {
    const { apiKey, tenantId } = await signUp();
    const cases: [unknown, string][] = [
      ["192.168.1.10", "domain must be a domain name, not an IP address"],
      ["0x7f.1", "domain must be a domain name, not an IP address"],
      ["[::1]", "domain may contain only letters, digits, hyphens and dots"],
      ["localhost", "domain must be a domain name with at least two labels, such as mail.yourapp.com"],
      ["mail.localhost", "domain must be a public domain name (.localhost names are local)"],
      ["printer.local", "domain must be a public domain name (.local names are local)"],
      ["com", "domain must be a domain name with at least two labels, such as mail.yourapp.com"],
      ["a..b.com", "domain must not contain empty labels (two dots in a row, or a leading dot)"],
      [".yourapp.com", "domain must not contain empty labels (two dots in a row, or a leading dot)"],
      [`${"a".repeat(64)}.com`, "domain must have labels of at most 63 characters"],
      [`${"a".repeat(60)}.`.repeat(4) + "abcdefghijklmnopq.com", "domain must be at most 253 characters"],
      ["-mail.yourapp.com", "domain must have labels of letters, digits and hyphens that neither start nor end with a hyphen"],
      ["mail_1.yourapp.com", "domain may contain only letters, digits, hyphens and dots"],
      ["exa mple.com", "domain may contain only letters, digits, hyphens and dots"],
      ["a%41.com", "domain may contain only letters, digits, hyphens and dots"],
      ["user@yourapp.com", "domain may contain only letters, digits, hyphens and dots"],
      ["https://yourapp.com", "domain may contain only letters, digits, hyphens and dots"],
      ["☃.com", "domain is not a valid internationalized domain name"],
      // Invisible characters that IDN mapping would silently drop (a\u200b.com → a.com).
      ["ab\u200d.com", "domain must not contain invisible characters (such as zero-width spaces)"],
      ["a\u200b.com", "domain must not contain invisible characters (such as zero-width spaces)"],
      ["\ufeffyourapp.com", "domain must not contain invisible characters (such as zero-width spaces)"],
      ["your\u00adapp.com", "domain must not contain invisible characters (such as zero-width spaces)"],
      ["bü\u034fcher.example", "domain must not contain invisible characters (such as zero-width spaces)"],
      ["yourapp.com\u202e", "domain must not contain invisible characters (such as zero-width spaces)"],
      ["duckduckgogg42xjoc72x3sjasowoarfbgcmvfimaftt6twagswzczad.onion", "domain must be a public domain name (.onion names are Tor onion services (RFC 7686), not DNS names)"],
      ["mail.corp", "domain must be a public domain name (.corp names are used on private networks)"],
      ["nas.home", "domain must be a public domain name (.home names are used on private networks)"],
      ["router.lan", "domain must be a public domain name (.lan names are used on private networks)"],
      ["wiki.intranet", "domain must be a public domain name (.intranet names are used on private networks)"],
      ["git.private", "domain must be a public domain name (.private names are used on private networks)"],
      ["printer.home.arpa", "domain must be a public domain name (.arpa names are local)"],
      ["name.alt", "domain must be a public domain name (.alt names are not DNS names (RFC 9476))"],
      ["xn--zz.com", "domain is not a valid internationalized domain name"],
      ["", "domain can't be blank"],
      [42, "domain must be a string"],
      ["x".repeat(5000), "domain must be at most 253 characters"],
    ];
    for (const [domain, message] of cases) {
      const res = await api.post("/api/v1/domains", { domain }, { token: apiKey });
      expect([res.status, res.body], JSON.stringify(domain).slice(0, 40)).toEqual([422, { errors: [message] }]);
    }
    expect((await api.post("/api/v1/domains", {}, { token: apiKey })).body).toEqual({ errors: ["domain is required"] });
    expect((await api.post("/api/v1/domains", { domain: "yourapp.com", status: "verified" }, { token: apiKey })).body).toEqual({ errors: ["Unknown field: status"] });
    expect(await domainCount(tenantId)).toBe(0);
  });

  it("refuses a duplicate in the tenant (any spelling), also when two requests race; another tenant may register it", async () => {
    const { apiKey, tenantId } = await signUp();
    expect((await api.post("/api/v1/domains", { domain: "yourapp.com" }, { token: apiKey })).status).toBe(201);
    const dup = await api.post("/api/v1/domains", { domain: "YOURAPP.com." }, { token: apiKey });
    expect([dup.status, dup.body]).toEqual([422, { errors: ["domain has already been registered"] }]);
    const racing = await Promise.all(Array.from({ length: 4 }, () => api.post("/api/v1/domains", { domain: "race.yourapp.com" }, { token: apiKey })));
    expect(racing.map((r) => r.status).sort()).toEqual([201, 422, 422, 422]);
    expect(await domainCount(tenantId)).toBe(2);
    const other = await signUp("Other");
    expect((await api.post("/api/v1/domains", { domain: "yourapp.com" }, { token: other.apiKey })).status).toBe(201);
  });
});

describe("the per-tenant limit", () => {
  it("registers at most 100 domains per tenant, exactly also when registrations race, and again after a removal", async () => {
    const { apiKey, tenantId } = await signUp();
    const db = await getDb();
    await db.domain.createMany({ data: Array.from({ length: 98 }, (_, i) => ({ tenantId, name: `d${i}.yourapp.com`, verificationToken: `dns_seeded${i}` })) });
    const racing = await Promise.all(["r1", "r2", "r3", "r4"].map((l) => api.post("/api/v1/domains", { domain: `${l}.yourapp.com` }, { token: apiKey })));
    expect(racing.map((r) => r.status).sort()).toEqual([201, 201, 422, 422]);
    const full = { errors: ["at most 100 domains can be registered: remove one first"] };
    for (const res of racing.filter((r) => r.status === 422)) expect(res.body).toEqual(full);
    expect(await domainCount(tenantId)).toBe(100);
    expect((await api.post("/api/v1/domains", { domain: "more.yourapp.com" }, { token: apiKey })).body).toEqual(full);
    // Another tenant is not affected.
    expect((await api.post("/api/v1/domains", { domain: "more.yourapp.com" }, { token: (await signUp("Other")).apiKey })).status).toBe(201);
    const first = await db.domain.findFirstOrThrow({ where: { tenantId } });
    expect((await api.delete(`/api/v1/domains/${first.id}`, { token: apiKey })).status).toBe(204);
    expect((await api.post("/api/v1/domains", { domain: "more.yourapp.com" }, { token: apiKey })).status).toBe(201);
    expect(await domainCount(tenantId)).toBe(100);
  });
});

describe("GET, DELETE /api/v1/domains", () => {
  it("lists newest first with pagination, reads one, removes one", async () => {
    const { apiKey } = await signUp();
    const ids: string[] = [];
    for (const domain of ["a.yourapp.com", "b.yourapp.com", "c.yourapp.com"]) ids.push((await api.post("/api/v1/domains", { domain }, { token: apiKey })).body.id);
    const all = await api.get("/api/v1/domains", { token: apiKey });
    expect(all.body.map((d: any) => d.domain)).toEqual(["c.yourapp.com", "b.yourapp.com", "a.yourapp.com"]);
    expect([all.headers.get("x-total-count"), all.headers.get("x-page"), all.headers.get("x-per-page")]).toEqual(["3", "1", "25"]);
    const page = await api.get("/api/v1/domains?per_page=2&page=2", { token: apiKey });
    expect(page.body.map((d: any) => d.domain)).toEqual(["a.yourapp.com"]);
    expect((await api.get("/api/v1/domains?per_page=0", { token: apiKey })).status).toBe(422);
    const one = await api.get(`/api/v1/domains/${ids[1]}`, { token: apiKey });
    expect(one.body).toMatchObject({ id: ids[1], domain: "b.yourapp.com", status: "pending" });
    expect((await api.delete(`/api/v1/domains/${ids[1]}`, { token: apiKey })).status).toBe(204);
    expect((await api.get(`/api/v1/domains/${ids[1]}`, { token: apiKey })).status).toBe(404);
    expect((await api.delete(`/api/v1/domains/${ids[1]}`, { token: apiKey })).status).toBe(404);
    expect((await api.get("/api/v1/domains/not-a-uuid", { token: apiKey })).status).toBe(404);
    expect((await api.get("/api/v1/domains", { token: apiKey })).headers.get("x-total-count")).toBe("2");
  });

  it("isolates tenants: another tenant's id is 404 on read, verify and delete, and its list is empty", async () => {
    const a = await signUp("A");
    const b = await signUp("B");
    const created = await api.post("/api/v1/domains", { domain: "private.yourapp.com" }, { token: a.apiKey });
    const id = created.body.id;
    expect((await api.get("/api/v1/domains", { token: b.apiKey })).body).toEqual([]);
    for (const res of [
      await api.get(`/api/v1/domains/${id}`, { token: b.apiKey }),
      await api.post(`/api/v1/domains/${id}/verify`, undefined, { token: b.apiKey }),
      await api.delete(`/api/v1/domains/${id}`, { token: b.token }),
    ]) {
      expect([res.status, res.body]).toEqual([404, { error: "Not found" }]);
    }
    const still = await api.get(`/api/v1/domains/${id}`, { token: a.apiKey });
    expect(still.body).toEqual(created.body);
  });

  it("lets a test key read domains, and answers 403 to it on register, verify and delete, changing nothing", async () => {
    const { token, apiKey, tenantId } = await signUp();
    const testKey = (await api.post("/api/v1/api_keys", { name: "sandbox", mode: "test" }, { token })).body.raw_key;
    const id = (await api.post("/api/v1/domains", { domain: "yourapp.com" }, { token: apiKey })).body.id;
    const before = JSON.stringify(await (await getDb()).domain.findMany({ where: { tenantId } }));
    const forbidden = { error: "Test keys cannot change configuration" };
    for (const res of [
      await api.post("/api/v1/domains", { domain: "other.yourapp.com" }, { token: testKey }),
      await api.post(`/api/v1/domains/${id}/verify`, undefined, { token: testKey }),
      await api.delete(`/api/v1/domains/${id}`, { token: testKey }),
    ]) {
      expect([res.status, res.body]).toEqual([403, forbidden]);
    }
    expect(JSON.stringify(await (await getDb()).domain.findMany({ where: { tenantId } }))).toBe(before);
    expect((await api.get("/api/v1/domains", { token: testKey })).body.map((d: any) => d.id)).toEqual([id]);
    expect((await api.get(`/api/v1/domains/${id}`, { token: testKey })).status).toBe(200);
  });
});
