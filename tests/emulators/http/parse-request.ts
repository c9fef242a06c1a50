import type { IncomingMessage } from "node:http";
import { parseMultipart } from "./multipart";
import { HTTP_PROVIDERS, PATH_PREFIX, type HttpProvider, type RecordedRequest } from "./types";

export function providerForPath(pathname: string): HttpProvider | undefined {
  return HTTP_PROVIDERS.find((provider) => pathname === PATH_PREFIX[provider] || pathname.startsWith(`${PATH_PREFIX[provider]}/`));
}

/** Everything a test may want to assert on, decoded once: JSON, multipart fields and files, SES raw MIME. */
export function parseRequest(provider: HttpProvider, req: IncomingMessage, url: URL, body: Buffer): RecordedRequest {
  const contentType = req.headers["content-type"] ?? "";
  const request: RecordedRequest = {
    provider,
    method: req.method ?? "GET",
    path: url.pathname.slice(PATH_PREFIX[provider].length) || "/",
    query: Object.fromEntries(url.searchParams),
    headers: req.headers,
    body,
  };
  if (contentType.includes("json") && body.length > 0) {
    try {
      request.json = JSON.parse(body.toString("utf8"));
    } catch {
      // Left undefined: the provider handler answers as the real API would to garbage.
    }
  } else if (contentType.startsWith("multipart/form-data")) {
    request.form = parseMultipart(body, contentType);
  }
  const raw = rawMimeOf(request.json);
  if (raw !== undefined) request.rawMime = raw;
  return request;
}

function rawMimeOf(json: unknown): string | undefined {
  if (typeof json !== "object" || json === null) return undefined;
  const content = (json as { Content?: { Raw?: { Data?: unknown } } }).Content;
  const data = content?.Raw?.Data;
  return typeof data === "string" ? Buffer.from(data, "base64").toString("utf8") : undefined;
}
