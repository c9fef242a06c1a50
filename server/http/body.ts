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

/** The body's bytes as sent, whatever the content type (signatures are over them), with the same limit. */
export async function readRawBody(req: Request, maxBytes: number): Promise<Buffer> {
  const declared = Number(req.headers.get("content-length") ?? "NaN");
  if (Number.isFinite(declared) && declared > maxBytes) throw tooLarge(maxBytes);
  return readLimited(req, maxBytes);
}

async function readLimited(req: Request, maxBytes: number): Promise<Buffer> {
  if (!req.body) return Buffer.alloc(0);
  const reader = req.body.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > maxBytes) {
      await reader.cancel();
      throw tooLarge(maxBytes);
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks);
}

function tooLarge(maxBytes: number): AppError {
  return new AppError("payload_too_large", `Request body exceeds ${Math.round(maxBytes / 1024)} KB`);
}
