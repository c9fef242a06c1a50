import { describe, expect, it } from "vitest";
import { orderConnections, ruleMatches, type CandidateConnection } from "@/server/services/routing/order-connections";

const t0 = new Date("2026-01-01T00:00:00Z");
const conn = (id: string, priority: number): CandidateConnection => ({ id, priority, createdAt: t0 });
const all = [conn("ses", 2), conn("sg", 1), conn("mg", 3), conn("pm", 4)];
const PLANS = 1000;

function tally(firsts: string[]): Record<string, number> {
  return firsts.reduce<Record<string, number>>((acc, id) => ({ ...acc, [id]: (acc[id] ?? 0) + 1 }), {});
}

describe("routing strategies over 1,000 plans", () => {
  it("without rules: every enabled connection by priority", () => {
    expect(orderConnections(all, null, { random: 0.5, rotation: 0 })).toEqual(["sg", "ses", "mg", "pm"]);
  });

  it("priority: the rule's list in order, then the others by priority", () => {
    const rule = { strategy: "priority" as const, targets: [{ connectionId: "mg", weight: 1 }, { connectionId: "ses", weight: 1 }] };
    expect(orderConnections(all, rule, { random: 0.1, rotation: 7 })).toEqual(["mg", "ses", "sg", "pm"]);
  });

  it("weighted: first picks follow the weights within tolerance, the rest by priority", () => {
    const rule = { strategy: "weighted" as const, targets: [{ connectionId: "sg", weight: 70 }, { connectionId: "ses", weight: 20 }, { connectionId: "mg", weight: 10 }, { connectionId: "pm", weight: 0 }] };
    const plans = Array.from({ length: PLANS }, () => orderConnections(all, rule, { random: Math.random(), rotation: 0 }));
    const counts = tally(plans.map((p) => p[0]!));
    expect(counts.sg! / PLANS).toBeGreaterThan(0.64);
    expect(counts.sg! / PLANS).toBeLessThan(0.76);
    expect(counts.ses! / PLANS).toBeGreaterThan(0.15);
    expect(counts.ses! / PLANS).toBeLessThan(0.25);
    expect(counts.mg! / PLANS).toBeGreaterThan(0.06);
    expect(counts.mg! / PLANS).toBeLessThan(0.14);
    expect(counts.pm).toBeUndefined();
    for (const plan of plans) expect([...plan].sort()).toEqual(["mg", "pm", "ses", "sg"]);
  });

  it("round_robin: the first pick rotates evenly through the rule's connections", () => {
    const rule = { strategy: "round_robin" as const, targets: [{ connectionId: "sg", weight: 1 }, { connectionId: "ses", weight: 1 }, { connectionId: "mg", weight: 1 }] };
    const plans = Array.from({ length: PLANS }, (_, i) => orderConnections(all, rule, { random: 0, rotation: i }));
    const counts = tally(plans.map((p) => p[0]!));
    expect(counts).toEqual({ sg: 334, ses: 333, mg: 333 });
    expect(plans[1]).toEqual(["ses", "sg", "mg", "pm"]);
  });

  it("failover_only: never touches an unlisted connection, strictly in listed order", () => {
    const rule = { strategy: "failover_only" as const, targets: [{ connectionId: "pm", weight: 1 }, { connectionId: "sg", weight: 1 }] };
    for (let i = 0; i < PLANS; i++) expect(orderConnections(all, rule, { random: Math.random(), rotation: i })).toEqual(["pm", "sg"]);
  });

  it("leaves disabled connections out of every strategy", () => {
    const enabled = all.filter((c) => c.id !== "sg");
    const rule = { strategy: "failover_only" as const, targets: [{ connectionId: "sg", weight: 1 }, { connectionId: "mg", weight: 1 }] };
    expect(orderConnections(enabled, rule, { random: 0, rotation: 0 })).toEqual(["mg"]);
  });
});

describe("rule conditions", () => {
  const email = { fromEmail: "hello@Billing.Example.com", tags: ["invoice", "eu"] };
  it("match on sender domain and any tag; empty matches all", () => {
    expect(ruleMatches({}, email)).toBe(true);
    expect(ruleMatches({ from_domains: ["billing.example.com"] }, email)).toBe(true);
    expect(ruleMatches({ from_domains: ["example.com"] }, email)).toBe(false);
    expect(ruleMatches({ tags: ["welcome", "eu"] }, email)).toBe(true);
    expect(ruleMatches({ tags: ["welcome"] }, email)).toBe(false);
    expect(ruleMatches({ from_domains: ["billing.example.com"], tags: ["welcome"] }, email)).toBe(false);
  });
});
