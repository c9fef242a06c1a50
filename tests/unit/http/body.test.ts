import { describe, expect, it } from "vitest";
import { readRawBody } from "@/server/http/body";
import { isAppError } from "@/server/lib/errors";

function streamed(chunks: string[], end: boolean): Request {
  const body = new ReadableStream<Uint8Array>({
    start(controller) {
      for (const chunk of chunks) controller.enqueue(new TextEncoder().encode(chunk));
      if (end) controller.close();
    },
  });
  return new Request("http://localhost/x", { method: "POST", body, duplex: "half" } as RequestInit);
}

describe("readRawBody", () => {
  it("reads a whole body within its limits", async () => {
    expect((await readRawBody(streamed(["[1,", "2]"], true), 100, 1000)).toString()).toBe("[1,2]");
  });

  it("gives up on a body that never ends, at the deadline, with a 408 code", async () => {
    const started = Date.now();
    const error = await readRawBody(streamed(["["], false), 100, 200).catch((e: unknown) => e);
    expect(isAppError(error) && error.code).toBe("request_timeout");
    expect(Date.now() - started).toBeLessThan(2000);
  });

  it("refuses a body past the size limit while it streams in", async () => {
    const error = await readRawBody(streamed(["x".repeat(60), "x".repeat(60)], true), 100, 1000).catch((e: unknown) => e);
    expect(isAppError(error) && error.code).toBe("payload_too_large");
  });
});
