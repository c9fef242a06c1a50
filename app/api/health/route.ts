import { checkHealth } from "@/server/services/health/check-health";
import packageJson from "@/package.json";

export const dynamic = "force-dynamic";

// GET /api/health — no auth: database reachable, runtime mode, version
export async function GET(): Promise<Response> {
  const health = await checkHealth();
  return Response.json(
    { status: health.ok ? "ok" : "degraded", database: health.database, database_latency_ms: health.latencyMs, mode: health.mode, version: packageJson.version },
    { status: health.ok ? 200 : 503, headers: { "Cache-Control": "no-store" } },
  );
}
