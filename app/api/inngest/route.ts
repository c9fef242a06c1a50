// GET/POST/PUT /api/inngest — the Inngest serve handler (Inngest Cloud calls it; the local engine calls it in-process)
import { inngestHandler } from "@/server/jobs/serve";

export const { GET, POST, PUT } = inngestHandler;
