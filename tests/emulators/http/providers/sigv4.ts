import { createHash, createHmac } from "node:crypto";
import type { IncomingHttpHeaders } from "node:http";

export interface SigV4Request {
  method: string;
  /** Full request path as sent, prefix included, without the query. */
  rawPath: string;
  query: Record<string, string>;
  headers: IncomingHttpHeaders;
  body: Buffer;
}

export type SigV4Check = { ok: true } | { ok: false; code: "IncompleteSignatureException" | "UnrecognizedClientException" | "SignatureDoesNotMatch"; message: string };

const HEADER = /^AWS4-HMAC-SHA256 Credential=([^/]+)\/(\d{8})\/([^/]+)\/([^/]+)\/aws4_request, ?SignedHeaders=([^,]+), ?Signature=([0-9a-f]{64})$/;

/** Recomputes AWS Signature V4 as SES would, so a wrong secret fails like the real service. */
export function checkSigV4(request: SigV4Request, accessKeyId: string, secretAccessKey: string): SigV4Check {
  const header = request.headers.authorization;
  const match = typeof header === "string" ? HEADER.exec(header) : null;
  const amzDate = request.headers["x-amz-date"];
  if (!match || typeof amzDate !== "string") {
    return { ok: false, code: "IncompleteSignatureException", message: "Authorization header requires 'Credential', 'Signature' and 'SignedHeaders' parameters." };
  }
  const [, keyId = "", date = "", region = "", service = "", signedHeaders = "", signature = ""] = match;
  if (keyId !== accessKeyId) return { ok: false, code: "UnrecognizedClientException", message: "The security token included in the request is invalid." };

  const canonicalHeaders = signedHeaders
    .split(";")
    .map((name) => `${name}:${String(request.headers[name] ?? "").trim().replace(/\s+/g, " ")}\n`)
    .join("");
  const canonicalQuery = Object.keys(request.query)
    .sort()
    .map((key) => `${encodeURIComponent(key)}=${encodeURIComponent(request.query[key] ?? "")}`)
    .join("&");
  const payloadHash = createHash("sha256").update(request.body).digest("hex");
  const canonicalRequest = [request.method, request.rawPath, canonicalQuery, canonicalHeaders, signedHeaders, payloadHash].join("\n");
  const scope = `${date}/${region}/${service}/aws4_request`;
  const stringToSign = ["AWS4-HMAC-SHA256", amzDate, scope, createHash("sha256").update(canonicalRequest).digest("hex")].join("\n");
  const signingKey = [date, region, service, "aws4_request"].reduce<Buffer>((key, part) => hmac(key, part), Buffer.from(`AWS4${secretAccessKey}`));
  if (hmac(signingKey, stringToSign).toString("hex") !== signature) {
    return {
      ok: false,
      code: "SignatureDoesNotMatch",
      message: "The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.",
    };
  }
  return { ok: true };
}

function hmac(key: Buffer, data: string): Buffer {
  return createHmac("sha256", key).update(data, "utf8").digest();
}
