import { describe, expect, it } from "vitest";
import { ClientCache } from "@/server/providers/shared/client-cache";
import type { ProviderConnectionConfig } from "@/server/providers/types";

function connection(id: string, overrides: Partial<ProviderConnectionConfig> = {}): ProviderConnectionConfig {
  return { id, provider: "sendgrid", credentials: { apiKey: "SG.one" }, settings: { endpoint: "http://127.0.0.1:1/sendgrid" }, ...overrides };
}

describe("ClientCache", () => {
  it("returns the same client for the same connection and variant", () => {
    const cache = new ClientCache<{ n: number }>({ maxEntries: 10 });
    let built = 0;
    const make = () => ({ n: ++built });
    const a = cache.get(connection("c1"), "1000", make);
    expect(cache.get(connection("c1"), "1000", make)).toBe(a);
    expect(cache.get(connection("c1"), "2000", make)).not.toBe(a);
    expect(built).toBe(2);
  });

  it("rebuilds and disposes when credentials, settings or updatedAt change", () => {
    const disposed: number[] = [];
    const cache = new ClientCache<{ n: number }>({ maxEntries: 10, dispose: (client) => disposed.push(client.n) });
    let built = 0;
    const make = () => ({ n: ++built });
    cache.get(connection("c1"), "", make);
    cache.get(connection("c1", { credentials: { apiKey: "SG.two" } }), "", make);
    cache.get(connection("c1", { credentials: { apiKey: "SG.two" }, settings: { endpoint: "http://127.0.0.1:2/sendgrid" } }), "", make);
    const rotatedAt = connection("c1", { credentials: { apiKey: "SG.two" }, settings: { endpoint: "http://127.0.0.1:2/sendgrid" }, updatedAt: new Date(1) });
    cache.get(rotatedAt, "", make);
    cache.get(rotatedAt, "", make);
    expect(built).toBe(4);
    expect(disposed).toEqual([1, 2, 3]);
    expect(cache.size).toBe(1);
  });

  it("evicts the least recently used entry beyond its bound", () => {
    const disposed: string[] = [];
    const cache = new ClientCache<string>({ maxEntries: 2, dispose: (client) => disposed.push(client) });
    cache.get(connection("a"), "", () => "a");
    cache.get(connection("b"), "", () => "b");
    cache.get(connection("a"), "", () => "a2");
    cache.get(connection("c"), "", () => "c");
    expect(disposed).toEqual(["b"]);
    expect(cache.get(connection("a"), "", () => "a3")).toBe("a");
  });

  it("clear disposes everything", () => {
    const disposed: string[] = [];
    const cache = new ClientCache<string>({ maxEntries: 5, dispose: (client) => disposed.push(client) });
    cache.get(connection("a"), "", () => "a");
    cache.get(connection("b"), "", () => "b");
    cache.clear();
    expect(disposed.sort()).toEqual(["a", "b"]);
    expect(cache.size).toBe(0);
  });
});
