/**
 * The Inngest serve handler, built once: `/api/inngest` exposes it to Inngest Cloud over HTTP, and the
 * local engine calls the same handler in-process.
 */
import { serve } from "inngest/next";
import { inngest } from "./client";
import { asServeEndpoint } from "./engine/serve-endpoint";
import { functions } from "./functions";

export const inngestHandler = serve({ client: inngest, functions });

/** The same handler as plain web functions, for the local engine. */
export const inngestEndpoint = asServeEndpoint(inngestHandler);
