// GET/POST/PUT /api/inngest — the Inngest serve handler (Inngest Cloud calls it; the local engine calls it in-process)
import { inngestHandler } from "@/server/jobs/serve";

export const { GET, POST, PUT } = inngestHandler;

// One call runs one step, a provider call included (PROVIDER_TIMEOUT_MS, 10 s by default): room for it
// and its database writes on every Vercel plan.
export const maxDuration = 60;
