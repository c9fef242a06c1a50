import { createHash } from "node:crypto";
import type { ProviderConnectionConfig } from "../types";

interface Entry<T> {
  fingerprint: string;
  value: T;
}

/**
 * SDK clients (and SMTP pools) are expensive to build and hold keep-alive sockets, so they are reused per
 * connection. The fingerprint covers credentials, settings and updatedAt: a rotation is picked up even
 * when the caller forgets to bump updatedAt. Bounded LRU so thousands of tenants cannot grow it forever.
 */
export class ClientCache<T> {
  private readonly entries = new Map<string, Entry<T>>();

  constructor(private readonly options: { maxEntries: number; dispose?: (value: T) => void }) {}

  get(connection: ProviderConnectionConfig, variant: string, create: () => T): T {
    const key = `${connection.id}\u0000${variant}`;
    const fingerprint = fingerprintOf(connection);
    const existing = this.entries.get(key);
    if (existing && existing.fingerprint === fingerprint) {
      // Re-insert to mark as most recently used.
      this.entries.delete(key);
      this.entries.set(key, existing);
      return existing.value;
    }
    if (existing) {
      this.entries.delete(key);
      this.options.dispose?.(existing.value);
    }
    const value = create();
    this.entries.set(key, { fingerprint, value });
    this.evictOverflow();
    return value;
  }

  /** Drops an entry whose client proved broken so the next call builds a fresh one. */
  delete(connection: ProviderConnectionConfig, variant: string, value: T): void {
    const key = `${connection.id}\u0000${variant}`;
    const existing = this.entries.get(key);
    if (existing?.value !== value) return;
    this.entries.delete(key);
    this.options.dispose?.(value);
  }

  clear(): void {
    const values = [...this.entries.values()];
    this.entries.clear();
    for (const entry of values) this.options.dispose?.(entry.value);
  }

  get size(): number {
    return this.entries.size;
  }

  private evictOverflow(): void {
    while (this.entries.size > this.options.maxEntries) {
      const oldest = this.entries.entries().next();
      if (oldest.done) return;
      const [key, entry] = oldest.value;
      this.entries.delete(key);
      this.options.dispose?.(entry.value);
    }
  }
}

function fingerprintOf(connection: ProviderConnectionConfig): string {
  const material = JSON.stringify([
    connection.provider,
    sortedEntries(connection.credentials),
    sortedEntries(connection.settings),
    connection.updatedAt?.getTime() ?? null,
    // Clients hold agents whose lookup enforces the guard: a policy change needs new ones.
    connection.outbound?.key ?? null,
  ]);
  // Hashed so that the cache never keeps a second plain-text copy of the credentials around.
  return createHash("sha256").update(material).digest("base64url");
}

function sortedEntries(record: object): [string, unknown][] {
  return Object.entries(record)
    .filter(([, value]) => value !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
}
