/**
 * Concurrent changes of one tenant's members take turns (the tenant row is locked, and the acting user's
 * role read again under the lock), so no interleaving leaves the tenant without an owner.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { getDb } from "@/server/db";
import type { SessionClaims } from "@/server/trpc/init";
import { callerFor, signUpOwner } from "../../helpers/trpc";
import { addOwner, openDatabase, settle } from "./team";

beforeAll(openDatabase);

const ROUNDS = 5;

/** Runs both changes at once, each round in a fresh tenant of two owners; the codes of each round, sorted. */
async function race(changes: (a: SessionClaims, b: SessionClaims) => [Promise<unknown>, Promise<unknown>]): Promise<string[][]> {
  const rounds: string[][] = [];
  for (let round = 0; round < ROUNDS; round++) {
    const a = (await signUpOwner(`Race ${round}`)).session;
    const b = await addOwner(a);
    const results = await Promise.all(changes(a, b).map(settle));
    expect(await (await getDb()).user.count({ where: { tenantId: a.tenantId, role: "owner" } })).toBe(1);
    rounds.push(results.map((r) => r.code).sort());
  }
  return rounds;
}

const each = (codes: string[]) => Array.from({ length: ROUNDS }, () => codes);

describe("members: last-owner races", () => {
  it("two owners demoting each other at once: one wins, one owner remains", async () => {
    const rounds = await race((a, b) => [callerFor(a).members.changeRole({ id: b.userId, role: "member" }), callerFor(b).members.changeRole({ id: a.userId, role: "admin" })]);
    // The loser's session ended with its role change (UNAUTHORIZED), or it lost the owner role first (FORBIDDEN).
    for (const codes of rounds) expect([["FORBIDDEN", "ok"], ["UNAUTHORIZED", "ok"]]).toContainEqual(codes);
  });

  it("two owners removing each other at once: one wins, one owner remains", async () => {
    expect(await race((a, b) => [callerFor(a).members.remove({ id: b.userId }), callerFor(b).members.remove({ id: a.userId })])).toEqual(each(["UNAUTHORIZED", "ok"]));
  });

  it("two owners leaving at once: one leaves, the other stays as the last owner", async () => {
    expect(await race((a, b) => [callerFor(a).members.leave(), callerFor(b).members.leave()])).toEqual(each(["CONFLICT", "ok"]));
  });

  it("one owner leaving while the other demotes them: one owner remains", async () => {
    await race((a, b) => [callerFor(a).members.leave(), callerFor(b).members.changeRole({ id: a.userId, role: "member" })]);
  });
});
