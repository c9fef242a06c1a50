import { describe, expect, it } from "vitest";
import { getDb } from "@/server/db";
import { sha256Hex } from "@/server/lib/crypto";
import { api, signUp } from "../../helpers/api";

describe("API keys", () => {
  it("creates a live key whose raw value is shown once and stored only as a SHA-256", async () => {
    const { token, tenantId } = await signUp();
    const res = await api.post("/api/v1/api_keys", { name: "Production" }, { token });
    expect(res.status).toBe(201);
    expect(res.body.raw_key).toMatch(/^cxk_live_[0-9A-Za-z]{32}$/);
    expect(res.body).toMatchObject({ name: "Production", mode: "live", status: "active" });
    expect(res.body.raw_key.startsWith(res.body.prefix)).toBe(true);
    const row = await (await getDb()).apiKey.findFirstOrThrow({ where: { id: res.body.id, tenantId } });
    expect(row.keyHash).toBe(sha256Hex(res.body.raw_key));
    const listed = await api.get("/api/v1/api_keys", { token });
    expect(listed.text).not.toContain(res.body.raw_key);
    expect(listed.text).not.toContain(row.keyHash);
    expect(listed.body.find((k: any) => k.id === res.body.id)).toMatchObject({ prefix: res.body.prefix, name: "Production" });
  });

  it("creates test keys with the cxk_test_ prefix and rejects unknown modes", async () => {
    const { token } = await signUp();
    const test = await api.post("/api/v1/api_keys", { name: "CI", mode: "test" }, { token });
    expect(test.body.raw_key).toMatch(/^cxk_test_/);
    const bad = await api.post("/api/v1/api_keys", { name: "x", mode: "staging" }, { token });
    expect(bad.status).toBe(422);
    expect(bad.body.errors).toEqual(["mode must be one of: live, test"]);
  });

  it("generates distinct keys with enough randomness", async () => {
    const { token } = await signUp();
    const keys = new Set<string>();
    for (let i = 0; i < 20; i++) keys.add((await api.post("/api/v1/api_keys", { name: `k${i}` }, { token })).body.raw_key);
    expect(keys.size).toBe(20);
  });

  it("refuses a revoked key at once, and a deleted key", async () => {
    const { token } = await signUp();
    const created = await api.post("/api/v1/api_keys", { name: "to revoke" }, { token });
    const key = created.body.raw_key as string;
    expect((await api.get("/api/v1/auth/me", { token: key })).status).toBe(200);
    const revoked = await api.post(`/api/v1/api_keys/${created.body.id}/revoke`, undefined, { token });
    expect(revoked.status).toBe(200);
    expect(revoked.body.status).toBe("revoked");
    expect(revoked.body.revoked_at).toBeTruthy();
    const after = await api.get("/api/v1/auth/me", { token: key });
    expect(after.status).toBe(401);
    expect(after.body).toEqual({ error: "Unauthorized" });

    const other = await api.post("/api/v1/api_keys", { name: "to delete" }, { token });
    expect((await api.get("/api/v1/auth/me", { token: other.body.raw_key })).status).toBe(200);
    const del = await api.delete(`/api/v1/api_keys/${other.body.id}`, { token });
    expect(del.status).toBe(204);
    expect((await api.get("/api/v1/auth/me", { token: other.body.raw_key })).status).toBe(401);
    expect((await api.delete(`/api/v1/api_keys/${other.body.id}`, { token })).status).toBe(404);
  });

  it("keeps last_used_at without writing on every request", async () => {
    const { token } = await signUp();
    const created = await api.post("/api/v1/api_keys", { name: "usage" }, { token });
    const db = await getDb();
    expect((await db.apiKey.findUniqueOrThrow({ where: { id: created.body.id } })).lastUsedAt).toBeNull();
    await api.get("/api/v1/auth/me", { token: created.body.raw_key });
    const first = (await db.apiKey.findUniqueOrThrow({ where: { id: created.body.id } })).lastUsedAt;
    expect(first).toBeInstanceOf(Date);
    await api.get("/api/v1/auth/me", { token: created.body.raw_key });
    const second = (await db.apiKey.findUniqueOrThrow({ where: { id: created.body.id } })).lastUsedAt;
    expect(second?.getTime()).toBe(first?.getTime());
    const listed = await api.get("/api/v1/api_keys", { token });
    expect(listed.body.find((k: any) => k.id === created.body.id).last_used_at).toBe(first?.toISOString());
  });

  it("isolates tenants: another tenant cannot list, revoke or delete a key (404)", async () => {
    const a = await signUp("Tenant A");
    const b = await signUp("Tenant B");
    const key = await api.post("/api/v1/api_keys", { name: "A's key" }, { token: a.token });
    const listB = await api.get("/api/v1/api_keys", { token: b.apiKey });
    expect(listB.body.map((k: any) => k.id)).not.toContain(key.body.id);
    for (const res of [
      await api.post(`/api/v1/api_keys/${key.body.id}/revoke`, undefined, { token: b.token }),
      await api.post(`/api/v1/api_keys/${key.body.id}/revoke`, undefined, { token: b.apiKey }),
      await api.delete(`/api/v1/api_keys/${key.body.id}`, { token: b.apiKey }),
    ]) {
      expect(res.status).toBe(404);
      expect(res.body).toEqual({ error: "Not found" });
    }
    expect((await api.get("/api/v1/auth/me", { token: key.body.raw_key })).status).toBe(200);
  });
});
