/** Timestamps on the wire: ISO 8601 in UTC, or null. */
export function iso(date: Date | null | undefined): string | null {
  return date?.toISOString() ?? null;
}
