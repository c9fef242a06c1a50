/** Reads a JSON request body with a size limit, before anything is parsed or stored. */
import { AppError } from "../lib/errors";

export const DEFAULT_MAX_BODY_BYTES = 256 * 1024;

export async function readJsonBody(req: Request, maxBytes: number): Promise<unknown> {
  const contentType = req.headers.get("content-type") ?? "";
  if (!/^application\/([\w.+-]+\+)?json\b/i.test(contentType)) {
    throw AppError.validation("Content-Type must be application/json");
  }
  const text = (await readRawBody(req, maxBytes)).toString("utf8");
  if (text.trim() === "") throw AppError.validation("Request body must be a JSON object");
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    throw AppError.validation(`Malformed JSON: ${(error as Error).message}`);
  }
}

/** How long a client may take to send its body: a body that trickles or never ends must not hold a request. */
export const BODY_DEADLINE_MS = 30_000;

/** The body's bytes as sent, whatever the content type (signatures are over them), with the same limits. */
export async function readRawBody(req: Request, maxBytes: number, deadlineMs = BODY_DEADLINE_MS): Promise<Buffer> {
  const declared = Number(req.headers.get("content-length") ?? "NaN");
  if (Number.isFinite(declared) && declared > maxBytes) throw tooLarge(maxBytes);
  return readLimited(req, maxBytes, deadlineMs);
}

async function readLimited(req: Request, maxBytes: number, deadlineMs: number): Promise<Buffer> {
  if (!req.body) return Buffer.alloc(0);
  const reader = req.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new AppError("request_timeout", `Request body not received within ${Math.round(deadlineMs / 1000)} s`)), deadlineMs);
  });
  try {
    for (;;) {
      const { done, value } = await Promise.race([reader.read(), late]);
      if (done) break;
      size += value.byteLength;
      if (size > maxBytes) throw tooLarge(maxBytes);
      chunks.push(value);
    }
  } catch (error) {
    await reader.cancel().catch(() => undefined);
    throw error;
  } finally {
    clearTimeout(timer);
  }
  return Buffer.concat(chunks);
}

function tooLarge(maxBytes: number): AppError {
  return new AppError("payload_too_large", `Request body exceeds ${Math.round(maxBytes / 1024)} KB`);
}
