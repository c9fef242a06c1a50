/** SDK errors are loosely typed duck-shaped objects; these read them without casts at every call site. */
export function asRecord(value: unknown): Record<string, unknown> | undefined {
  return typeof value === "object" && value !== null ? (value as Record<string, unknown>) : undefined;
}

export function stringField(value: unknown, name: string): string | undefined {
  const field = asRecord(value)?.[name];
  return typeof field === "string" ? field : undefined;
}

export function numberField(value: unknown, name: string): number | undefined {
  const field = asRecord(value)?.[name];
  return typeof field === "number" && Number.isFinite(field) ? field : undefined;
}
