/**
 * A row deleted by a concurrent request between a service's lookup and its write is a 404, never a 500:
 * two DELETEs of the same id, DELETE racing PATCH / revoke / verify, run together many times.
 * (Suppressions have no lookup-then-write path: their DELETE is one conditional statement.)
 */
import { describe, expect, it } from "vitest";
import { api, signUp, type ApiResponse } from "../../helpers/api";

const ROUNDS = 15;
const OK = new Set([200, 204, 404]);

async function race(label: string, create: () => Promise<string>, ops: ((id: string) => Promise<ApiResponse>)[]): Promise<Set<number>> {
  const seen = new Set<number>();
  for (let round = 0; round < ROUNDS; round++) {
    const id = await create();
    const results = await Promise.all(ops.map((op) => op(id)));
    for (const res of results) {
      expect(OK.has(res.status), `${label} round ${round}: ${res.status} ${res.text}`).toBe(true);
      if (res.status === 404) expect(res.body).toEqual({ error: "Not found" });
      seen.add(res.status);
    }
  }
  return seen;
}

describe("rows deleted concurrently", () => {
  it("api keys: two DELETEs, and DELETE racing revoke", async () => {
    const { token } = await signUp();
    const create = async () => (await api.post("/api/v1/api_keys", { name: "doomed" }, { token })).body.id as string;
    const del = (id: string) => api.delete(`/api/v1/api_keys/${id}`, { token });
    const revoke = (id: string) => api.post(`/api/v1/api_keys/${id}/revoke`, undefined, { token });
    const twice = await race("api key delete/delete", create, [del, del]);
    expect(twice).toContain(404);
    await race("api key delete/revoke", create, [revoke, del, revoke]);
  });

  it("routing rules: DELETE racing PATCH (fields and provider list)", async () => {
    const { apiKey } = await signUp();
    const conn = await api.post("/api/v1/provider_connections", { provider: "sendgrid", api_key: "SG.test-key-123456789", endpoint: "http://127.0.0.1:9/" }, { token: apiKey });
    const connId = conn.body.id as string;
    const create = async () => (await api.post("/api/v1/routing_rules", { name: "r", strategy: "priority", providers: [{ connection_id: connId }] }, { token: apiKey })).body.id as string;
    const del = (id: string) => api.delete(`/api/v1/routing_rules/${id}`, { token: apiKey });
    const patch = (id: string) => api.patch(`/api/v1/routing_rules/${id}`, { name: "renamed" }, { token: apiKey });
    const replaceTargets = (id: string) => api.patch(`/api/v1/routing_rules/${id}`, { providers: [{ connection_id: connId, weight: 2 }] }, { token: apiKey });
    await race("rule delete/patch", create, [patch, del, replaceTargets, del]);
  });

  it("provider connections: DELETE racing PATCH and verify, and a rule naming a connection being deleted", async () => {
    const { apiKey } = await signUp();
    const create = async () => (await api.post("/api/v1/provider_connections", { provider: "sendgrid", api_key: "SG.test-key-123456789", endpoint: "http://127.0.0.1:9/" }, { token: apiKey })).body.id as string;
    const del = (id: string) => api.delete(`/api/v1/provider_connections/${id}`, { token: apiKey });
    const patch = (id: string) => api.patch(`/api/v1/provider_connections/${id}`, { priority: 7, display_name: "renamed" }, { token: apiKey });
    const verify = (id: string) => api.post(`/api/v1/provider_connections/${id}/verify`, undefined, { token: apiKey });
    await race("connection delete/patch/verify", create, [patch, del, verify, del]);
    // Creating a rule that names a connection deleted meanwhile: 201, 404 or the 422 of the ownership check.
    for (let round = 0; round < ROUNDS; round++) {
      const id = await create();
      const [rule, gone] = await Promise.all([api.post("/api/v1/routing_rules", { name: "r", strategy: "priority", providers: [{ connection_id: id }] }, { token: apiKey }), del(id)]);
      expect([201, 404, 422], `${rule.status} ${rule.text}`).toContain(rule.status);
      expect(gone.status).toBe(204);
    }
  });
});
