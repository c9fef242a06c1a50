/**
 * An unexpected error inside a procedure (a bug, a database outage) reaches the dashboard as a bare
 * INTERNAL_SERVER_ERROR: no message, cause or stack of the real error, which goes to the log instead.
 */
import { describe, expect, it, vi } from "vitest";
import { signUpOwner, trpcHttp } from "../../helpers/trpc";

vi.mock("@/server/services/domains/list-domains", () => ({
  listDomains: async () => {
    throw new Error('relation "Domain" password=hunter2 at 10.0.0.5 does not exist');
  },
}));

describe("tRPC internal errors", () => {
  it("answers 500 'Internal server error' and nothing of the error itself", async () => {
    const { session } = await signUpOwner();
    const res = await trpcHttp(session, "domains.list", {}, "query");
    expect(res.status).toBe(500);
    expect(res.body.error).toMatchObject({ message: "Internal server error", data: { code: "INTERNAL_SERVER_ERROR", httpStatus: 500 } });
    const text = JSON.stringify(res.body);
    for (const leak of ["hunter2", "10.0.0.5", "relation", "stack", "at "]) expect(text).not.toContain(leak);
  });
});
