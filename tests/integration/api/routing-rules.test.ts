import { describe, expect, it } from "vitest";
import { api, signUp } from "../../helpers/api";

/** A connection whose endpoint refuses connections: created (verification failed), never used here. */
async function connect(token: string, provider: string, extra: Record<string, unknown> = {}) {
  const res = await api.post("/api/v1/provider_connections", { provider, api_key: "SG.test-key-123456789", endpoint: "http://127.0.0.1:9/", ...extra }, { token });
  if (res.status !== 201) throw new Error(`connect failed: ${res.status} ${res.text}`);
  return res.body.id as string;
}

describe("routing rules", () => {
  it("create, list in order, update and delete", async () => {
    const { apiKey } = await signUp();
    const sg = await connect(apiKey, "sendgrid");
    const pm = await connect(apiKey, "postmark");
    const created = await api.post(
      "/api/v1/routing_rules",
      { name: "Billing via Postmark", conditions: { from_domains: ["Billing.Example.com"], tags: ["invoice"] }, strategy: "failover_only", providers: [{ connection_id: pm }, { connection_id: sg }] },
      { token: apiKey },
    );
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      name: "Billing via Postmark",
      conditions: { from_domains: ["billing.example.com"], tags: ["invoice"] },
      strategy: "failover_only",
      enabled: true,
      position: 0,
      providers: [
        { connection_id: pm, provider: "postmark", weight: 1 },
        { connection_id: sg, provider: "sendgrid", weight: 1 },
      ],
    });
    const second = await api.post("/api/v1/routing_rules", { name: "Everything else", strategy: "weighted", providers: [{ connection_id: sg, weight: 3 }, { connection_id: pm, weight: 1 }] }, { token: apiKey });
    expect(second.body.position).toBe(1);
    expect(second.body.conditions).toEqual({ from_domains: [], tags: [] });

    const list = await api.get("/api/v1/routing_rules", { token: apiKey });
    expect(list.body.map((r: any) => r.name)).toEqual(["Billing via Postmark", "Everything else"]);

    const updated = await api.patch(`/api/v1/routing_rules/${created.body.id}`, { enabled: false, providers: [{ connection_id: sg }] }, { token: apiKey });
    expect(updated.status).toBe(200);
    expect(updated.body.enabled).toBe(false);
    expect(updated.body.providers.map((p: any) => p.connection_id)).toEqual([sg]);

    expect((await api.delete(`/api/v1/routing_rules/${created.body.id}`, { token: apiKey })).status).toBe(204);
    expect((await api.get(`/api/v1/routing_rules/${created.body.id}`, { token: apiKey })).status).toBe(404);
  });

  it("refuses connections of another tenant and bad input with 422", async () => {
    const a = await signUp("A");
    const b = await signUp("B");
    const mine = await connect(a.apiKey, "sendgrid");
    const theirs = await connect(b.apiKey, "sendgrid");
    const res = await api.post("/api/v1/routing_rules", { name: "x", providers: [{ connection_id: mine }, { connection_id: theirs }] }, { token: a.apiKey });
    expect(res.status).toBe(422);
    expect(res.body.errors).toEqual(["providers.1.connection_id is not one of your provider connections"]);
    const bad = await api.post("/api/v1/routing_rules", { name: "", strategy: "random", providers: [] }, { token: a.apiKey });
    expect(bad.status).toBe(422);
    expect(bad.body.errors).toEqual(["name can't be blank", "strategy must be one of: priority, weighted, round_robin, failover_only", "providers must list at least one provider connection"]);
    const zeroWeights = await api.post("/api/v1/routing_rules", { name: "w", strategy: "weighted", providers: [{ connection_id: mine, weight: 0 }] }, { token: a.apiKey });
    expect(zeroWeights.body.errors).toEqual(["providers must include a provider with weight above 0 for the weighted strategy"]);
    expect((await api.get("/api/v1/routing_rules", { token: a.apiKey })).body).toEqual([]);
  });

  it("isolates tenants: another tenant's rule is 404 for get, update and delete", async () => {
    const a = await signUp("A");
    const b = await signUp("B");
    const sg = await connect(a.apiKey, "sendgrid");
    const rule = await api.post("/api/v1/routing_rules", { name: "A's rule", providers: [{ connection_id: sg }] }, { token: a.apiKey });
    expect((await api.get("/api/v1/routing_rules", { token: b.apiKey })).body).toEqual([]);
    expect((await api.get(`/api/v1/routing_rules/${rule.body.id}`, { token: b.apiKey })).status).toBe(404);
    expect((await api.patch(`/api/v1/routing_rules/${rule.body.id}`, { name: "stolen" }, { token: b.apiKey })).status).toBe(404);
    expect((await api.delete(`/api/v1/routing_rules/${rule.body.id}`, { token: b.apiKey })).status).toBe(404);
    expect((await api.get(`/api/v1/routing_rules/${rule.body.id}`, { token: a.apiKey })).body.name).toBe("A's rule");
  });
});
