/**
 * The SDK's own serve handler seen as plain web functions. The engine calls it in-process with a web
 * `Request` (INNGEST.md "No socket hop needed"): same code path as an HTTP call, without the framework hop.
 */
import type { Inngest, InngestFunction } from "inngest";
import { serve } from "inngest/next";
import type { NextRequest } from "next/server";

export interface ServeEndpoint {
  POST(request: Request): Promise<Response>;
  PUT(request: Request): Promise<Response>;
}

/** Where the engine pretends the handler is served. Only its shape matters: the SDK reports it back in the sync. */
export const LOCAL_SERVE_URL = "http://localhost/api/inngest";

type NextServeHandler = ReturnType<typeof serve>;

export function asServeEndpoint(handler: NextServeHandler): ServeEndpoint {
  // The Next.js adapter types its argument as NextRequest but reads only the web Request API
  // (url, headers, text()), so a plain Request is enough and skips NextRequest's URL parsing.
  return {
    POST: (request) => handler.POST(request as NextRequest, undefined),
    PUT: (request) => handler.PUT(request as NextRequest, undefined),
  };
}

export function createServeEndpoint(client: Inngest.Any, functions: InngestFunction.Any[]): ServeEndpoint {
  return asServeEndpoint(serve({ client, functions }));
}
