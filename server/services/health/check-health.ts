import { getDb } from "../../db";
import { mode } from "../../env";

export async function checkHealth(): Promise<{ ok: boolean; database: "ok" | "unreachable"; mode: typeof mode; latencyMs: number }> {
  const started = performance.now();
  try {
    const db = await getDb();
    await db.$queryRaw`SELECT 1`;
    return { ok: true, database: "ok", mode, latencyMs: Math.round((performance.now() - started) * 10) / 10 };
  } catch {
    return { ok: false, database: "unreachable", mode, latencyMs: Math.round(performance.now() - started) };
  }
}
