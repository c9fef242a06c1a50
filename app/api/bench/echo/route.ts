import { randomUUID } from "node:crypto";
import { env } from "@/server/env";

// POST /api/bench/echo — benchmarks only (BENCH_ROUTES=true): a bare route that parses the same body as
// POST /api/v1/emails and answers alike, the baseline the send API's overhead is measured against.
export async function POST(req: Request): Promise<Response> {
  if (!env.BENCH_ROUTES) return Response.json({ error: "Not found" }, { status: 404 });
  const body = (await req.json()) as { subject?: string; to_email?: string };
  return Response.json({ id: randomUUID(), to_email: body.to_email, subject: body.subject, status: "queued", created_at: new Date().toISOString() }, { status: 202 });
}
