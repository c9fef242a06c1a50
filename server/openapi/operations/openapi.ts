import { z } from "zod";
import type { OperationEntry } from "../operation";

export const openApiOperations: OperationEntry[] = [
  {
    method: "get",
    path: "/openapi.json",
    operationId: "getOpenApiDocument",
    tag: "OpenAPI",
    summary: "This document",
    description: "The OpenAPI 3.1 document of this API, generated from the same schemas the endpoints validate with. No credential; readable from any origin (CORS); cacheable for 5 minutes, with an ETag.",
    auth: "none",
    success: {
      status: 200,
      description: "The document.",
      schema: z.looseObject({ openapi: z.literal("3.1.0") }),
      headers: {
        ETag: z.string().meta({ description: "Send it back as `If-None-Match` for a 304 while the document is unchanged." }),
        "Cache-Control": z.string().meta({ example: "public, max-age=300" }),
      },
    },
    extraResponses: { 304: { description: "Unchanged since the ETag sent in `If-None-Match`." } },
  },
];
