import { describe, expect, it } from "vitest";
import { api, signUp } from "../../helpers/api";

describe("suppressions", () => {
  it("adds, lists with a reason filter and pagination, and removes", async () => {
    const { apiKey } = await signUp();
    const created = await api.post("/api/v1/suppressions", { email: "Bad-Address@Example.com", reason: "manual", note: "Customer requested removal" }, { token: apiKey });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ email: "bad-address@example.com", reason: "manual", note: "Customer requested removal" });
    await api.post("/api/v1/suppressions", { email: "bounced@example.com", reason: "bounce" }, { token: apiKey });
    await api.post("/api/v1/suppressions", { email: "spam@example.com", reason: "complaint" }, { token: apiKey });

    const all = await api.get("/api/v1/suppressions", { token: apiKey });
    expect(all.headers.get("x-total-count")).toBe("3");
    const bounces = await api.get("/api/v1/suppressions?reason=bounce", { token: apiKey });
    expect(bounces.body.map((s: any) => s.email)).toEqual(["bounced@example.com"]);
    expect(bounces.headers.get("x-total-count")).toBe("1");
    const page = await api.get("/api/v1/suppressions?per_page=2&page=2", { token: apiKey });
    expect(page.body).toHaveLength(1);

    expect((await api.delete(`/api/v1/suppressions/${created.body.id}`, { token: apiKey })).status).toBe(204);
    expect((await api.get("/api/v1/suppressions", { token: apiKey })).headers.get("x-total-count")).toBe("2");
    expect((await api.delete(`/api/v1/suppressions/${created.body.id}`, { token: apiKey })).status).toBe(404);
  });

  it("treats addresses case-insensitively: adding again updates instead of duplicating", async () => {
    const { apiKey } = await signUp();
    await api.post("/api/v1/suppressions", { email: "x@example.com", reason: "bounce" }, { token: apiKey });
    const again = await api.post("/api/v1/suppressions", { email: "X@EXAMPLE.com", reason: "complaint" }, { token: apiKey });
    expect(again.status).toBe(200);
    expect(again.body.reason).toBe("complaint");
    expect((await api.get("/api/v1/suppressions", { token: apiKey })).headers.get("x-total-count")).toBe("1");
  });

  it("validates input", async () => {
    const { apiKey } = await signUp();
    const res = await api.post("/api/v1/suppressions", { email: "nope", reason: "angry" }, { token: apiKey });
    expect(res.status).toBe(422);
    expect(res.body.errors).toEqual(["email is not a valid email address", "reason must be one of: bounce, complaint, unsubscribe, manual"]);
    expect((await api.get("/api/v1/suppressions?reason=angry", { token: apiKey })).status).toBe(422);
  });

  it("isolates tenants", async () => {
    const a = await signUp("A");
    const b = await signUp("B");
    const created = await api.post("/api/v1/suppressions", { email: "private@example.com" }, { token: a.apiKey });
    expect((await api.get("/api/v1/suppressions", { token: b.apiKey })).body).toEqual([]);
    expect((await api.delete(`/api/v1/suppressions/${created.body.id}`, { token: b.apiKey })).status).toBe(404);
    expect((await api.get("/api/v1/suppressions", { token: a.apiKey })).body).toHaveLength(1);
  });
});
