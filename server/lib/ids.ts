import { randomBytes } from "node:crypto";

/**
 * A UUIDv7 (time-ordered), like the schema's `@default(uuid(7))`: rows inserted with raw SQL (job runs, emails) take their id from here, which
 * bypasses Prisma's client-side default.
 */
export function uuidv7(nowMs: number = Date.now()): string {
  const bytes = randomBytes(16);
  bytes.writeUIntBE(nowMs, 0, 6);
  bytes[6] = (bytes[6]! & 0x0f) | 0x70;
  bytes[8] = (bytes[8]! & 0x3f) | 0x80;
  const hex = bytes.toString("hex");
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Ids are UUIDs: anything else cannot exist, and must not reach a uuid column as a 500. */
export function isUuid(value: string): boolean {
  return UUID.test(value);
}
