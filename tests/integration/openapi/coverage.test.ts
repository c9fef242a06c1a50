/**
 * The document and the route files agree: every method every app/api/v1/**\/route.ts implements (read from
 * its own OPTIONS answer, the Allow header server/http/methods.ts builds from what the file passes it) is an
 * operation of the document, and the document has no operation without a route file behind it.
 */
import { readdirSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { call } from "../../helpers/api";

type Handler = (req: Request, ctx: { params: Promise<Record<string, string | string[]>> }) => Promise<Response>;

const V1 = path.resolve(import.meta.dirname, "../../../app/api/v1");
const DOCUMENTED_METHODS = ["GET", "POST", "PUT", "PATCH", "DELETE"];

/** `emails/[id]/route.ts` → `/emails/{id}`; the catch-all 404 route is no operation. */
function routeFiles(): { file: string; path: string }[] {
  return readdirSync(V1, { recursive: true, encoding: "utf8" })
    .filter((f) => f.endsWith("route.ts") && !f.includes("[..."))
    .map((f) => ({ file: path.join(V1, f), path: `/${path.dirname(f).split(path.sep).filter((s) => s !== ".").map((s) => s.replace(/^\[(\w+)\]$/, "{$1}")).join("/")}` }));
}

async function implementedMethods(file: string): Promise<string[]> {
  const mod = (await import(/* @vite-ignore */ file)) as Record<string, Handler>;
  const res = await mod.OPTIONS!(new Request("http://localhost/", { method: "OPTIONS" }), { params: Promise.resolve({}) });
  return res.headers.get("allow")!.split(", ").filter((m) => DOCUMENTED_METHODS.includes(m));
}

async function documentedOperations(): Promise<string[]> {
  const res = await call("GET", "/api/v1/openapi.json");
  return Object.entries(res.body.paths as Record<string, Record<string, unknown>>).flatMap(([p, item]) => Object.keys(item).map((m) => `${m.toUpperCase()} ${p}`));
}

describe("OpenAPI coverage of app/api/v1", () => {
  it("documents every method of every route file, and nothing else", async () => {
    const implemented: string[] = [];
    for (const route of routeFiles()) for (const method of await implementedMethods(route.file)) implemented.push(`${method} ${route.path}`);
    expect(implemented.length).toBeGreaterThanOrEqual(40);
    expect(implemented).toContain("POST /emails");
    expect(implemented).toContain("DELETE /webhook_endpoints/{id}");
    expect((await documentedOperations()).sort()).toEqual(implemented.sort());
  });

  it("gives every operation an id, a summary, a tag, and the error bodies of the wrapper", async () => {
    const doc = (await call("GET", "/api/v1/openapi.json")).body;
    const ids = new Set<string>();
    for (const [p, item] of Object.entries(doc.paths as Record<string, Record<string, any>>)) {
      for (const [method, op] of Object.entries(item)) {
        const name = `${method.toUpperCase()} ${p}`;
        expect(op.summary, name).toBeTruthy();
        expect(op.tags, name).toHaveLength(1);
        expect(ids.has(op.operationId), `${name}: operationId ${op.operationId} twice`).toBe(false);
        ids.add(op.operationId);
        if (p === "/openapi.json") continue;
        expect(op.responses["429"], name).toEqual({ $ref: "#/components/responses/RateLimited" });
        const authed = op.security.length > 0;
        expect(Boolean(op.responses["401"]), name).toBe(authed);
        if (p.includes("{")) expect(op.responses["404"], name).toEqual({ $ref: "#/components/responses/NotFound" });
        if (op.requestBody || op.parameters?.some((param: { in: string }) => param.in === "query")) expect(op.responses["422"], name).toEqual({ $ref: "#/components/responses/ValidationFailed" });
        if (op.requestBody) expect(op.responses["413"], name).toEqual({ $ref: "#/components/responses/PayloadTooLarge" });
      }
    }
  });
});
