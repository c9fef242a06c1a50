/**
 * The two HTTPS calls an SNS subscription makes us do: fetching the signing certificate named by a message
 * and confirming a subscription at its SubscribeURL. Both URLs are checked against the SNS host pattern
 * before this is called; the request still goes through the outbound guard and never follows a redirect.
 * Tests replace the transport (setSnsHttpForTests): production has no setting that could point it elsewhere.
 */
import { currentOutboundGuard } from "../provider-connections/check-outbound";
import { guardedDispatcher, guardedFetchInit, type FetchDispatcher } from "../../providers/shared/outbound";

export interface SnsHttpResponse {
  status: number;
  body: string;
}

export type SnsHttp = (url: URL) => Promise<SnsHttpResponse>;

const TIMEOUT_MS = 10_000;
const MAX_BODY_BYTES = 64 * 1024;

let dispatcher: { key: string; value: FetchDispatcher } | undefined;

function currentDispatcher(): FetchDispatcher {
  const guard = currentOutboundGuard();
  if (dispatcher?.key !== guard.key) {
    void dispatcher?.value.close().catch(() => undefined);
    dispatcher = { key: guard.key, value: guardedDispatcher(guard) };
  }
  return dispatcher.value;
}

const guardedGet: SnsHttp = async (url) => {
  const res = await fetch(url, { ...guardedFetchInit(currentDispatcher()), signal: AbortSignal.timeout(TIMEOUT_MS) } as RequestInit);
  const reader = res.body?.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (let next = await reader?.read(); reader && next && !next.done; next = await reader.read()) {
    size += next.value.byteLength;
    if (size > MAX_BODY_BYTES) {
      await reader.cancel();
      throw new Error(`answer from ${url.host} exceeds ${MAX_BODY_BYTES} bytes`);
    }
    chunks.push(next.value);
  }
  return { status: res.status, body: Buffer.concat(chunks).toString("utf8") };
};

let transport: SnsHttp = guardedGet;

export function snsGet(url: URL): Promise<SnsHttpResponse> {
  return transport(url);
}

/** Tests serve certificates and SubscribeURLs from a local stand-in; returns the restore function. */
export function setSnsHttpForTests(replacement: SnsHttp | undefined): () => void {
  const previous = transport;
  transport = replacement ?? guardedGet;
  return () => {
    transport = previous;
  };
}
