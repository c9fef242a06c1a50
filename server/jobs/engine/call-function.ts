/**
 * One protocol round: sign a call body, POST it to the serve handler in-process, and classify the answer
 * (INNGEST.md "Answers"). Never throws: every failure becomes an outcome the run executor can act on.
 */
import { retryAfterMs } from "./durations";
import { type CallBody, type CallOutcome, engineError, isOp, toSerializedError } from "./protocol";
import { LOCAL_SERVE_URL, type ServeEndpoint } from "./serve-endpoint";
import { canonicalJson, signatureHeader } from "./signing";

export interface CallTarget {
  functionId: string;
  /** `"step"` for discovery, or the hashed id of a planned step to run. */
  stepId: string;
}

export type FunctionCaller = (target: CallTarget, body: CallBody) => Promise<CallOutcome>;

export function createFunctionCaller(endpoint: ServeEndpoint, options: { signingKey: () => string; timeoutMs: number }): FunctionCaller {
  return async (target, body) => {
    const canonical = canonicalJson(body);
    const url = `${LOCAL_SERVE_URL}?fnId=${encodeURIComponent(target.functionId)}&stepId=${encodeURIComponent(target.stepId)}`;
    let response: Response;
    try {
      const request = new Request(url, {
        method: "POST",
        headers: { "content-type": "application/json", "x-inngest-signature": signatureHeader(canonical, options.signingKey()) },
        body: canonical,
      });
      const answer = await withTimeout(endpoint.POST(request), options.timeoutMs);
      if (answer === TIMED_OUT) {
        // The step may still be running in this process; nothing can cancel it. Count it as a failed
        // attempt, as Inngest does for a request that outlives its timeout.
        return { kind: "retry", error: engineError("TimeoutError", `the call did not answer within ${options.timeoutMs} ms`) };
      }
      response = answer;
    } catch (error) {
      return { kind: "infra", status: 0, message: error instanceof Error ? error.message : String(error) };
    }
    return classify(response, await response.text());
  };
}

function classify(response: Response, text: string): CallOutcome {
  const body = parseJson(text);
  const noRetry = response.headers.get("x-inngest-no-retry");
  const retryAfter = retryAfterMs(response.headers.get("retry-after"), Date.now());
  if (response.status === 200) return { kind: "complete", output: body.ok ? body.value : text };
  if (response.status === 201) {
    return { kind: "infra", status: 201, message: "the serve handler streamed its answer; unset INNGEST_STREAMING for the local engine" };
  }
  if (response.status === 206) {
    if (!body.ok || !Array.isArray(body.value) || !body.value.every(isOp)) {
      return { kind: "infra", status: 206, message: "the 206 answer is not a list of ops" };
    }
    return { kind: "ops", ops: body.value, ...(retryAfter === undefined ? {} : { retryAfterMs: retryAfter }) };
  }
  const error = toSerializedError(body.ok ? body.value : text, `HTTP ${response.status}`);
  if (noRetry === "true") return { kind: "failed", error };
  if (noRetry === "false") return { kind: "retry", error, ...(retryAfter === undefined ? {} : { retryAfterMs: retryAfter }) };
  return { kind: "infra", status: response.status, message: `${error.name}: ${error.message}` };
}

function parseJson(text: string): { ok: true; value: unknown } | { ok: false } {
  if (text === "") return { ok: true, value: null };
  try {
    return { ok: true, value: JSON.parse(text) as unknown };
  } catch {
    return { ok: false };
  }
}

const TIMED_OUT = Symbol("timed out");

async function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T | typeof TIMED_OUT> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<typeof TIMED_OUT>((resolve) => {
    timer = setTimeout(() => resolve(TIMED_OUT), ms);
  });
  // If the timeout wins, the call's own rejection must not surface as an unhandled rejection.
  promise.catch(() => undefined);
  try {
    return await Promise.race([promise, timeout]);
  } finally {
    clearTimeout(timer);
  }
}
