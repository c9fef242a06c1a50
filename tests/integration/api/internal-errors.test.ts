import { describe, expect, it } from "vitest";
import { setDatabaseFactory } from "@/server/db";
import { setLogSink } from "@/server/lib/logger";
import { api } from "../../helpers/api";

describe("unexpected errors", () => {
  it("answer 500 Internal server error, with the detail only in the log", async () => {
    const lines: string[] = [];
    const restore = setLogSink((line) => lines.push(line));
    setDatabaseFactory(() => Promise.reject(new Error("connection to 10.1.2.3 refused: secret-detail")));
    try {
      const res = await api.get("/api/v1/auth/me", { token: `cxk_live_${"a".repeat(32)}`, headers: { "x-request-id": "trace-500" } });
      expect(res.status).toBe(500);
      expect(res.body).toEqual({ error: "Internal server error" });
      expect(res.text).not.toContain("secret-detail");
      const logged = lines.map((l) => JSON.parse(l)).find((l) => l.requestId === "trace-500");
      expect(logged).toMatchObject({ level: "error", path: "/api/v1/auth/me" });
      expect(JSON.stringify(logged)).toContain("secret-detail");
      const health = await api.get("/api/health");
      expect(health.status).toBe(503);
      expect(health.body).toMatchObject({ status: "degraded", database: "unreachable" });
    } finally {
      restore();
      setDatabaseFactory(undefined);
    }
  });
});
