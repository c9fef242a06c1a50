/** A react-hook-form error as a sentence under the field's label (schema and server messages alike). */

/** The first message in a react-hook-form error, also one nested under an array or object field. */
function firstMessage(error: unknown): string | undefined {
  if (!error || typeof error !== "object") return undefined;
  const { message } = error as { message?: unknown };
  if (typeof message === "string" && message) return message;
  for (const [key, value] of Object.entries(error)) {
    if (key === "ref" || key === "type" || key === "types") continue;
    const nested = firstMessage(value);
    if (nested) return nested;
  }
  return undefined;
}

/**
 * A field's error as a sentence under its label: the schema's messages ("must be at least 0") and the
 * server's ("priority must be at least 0", "conditions.tags.2 can't be blank") read after the label.
 */
export function fieldErrorText(label: string, key: string, error: unknown): string | undefined {
  const message = firstMessage(error);
  if (!message) return undefined;
  const named = new RegExp(`^${key.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}(\\.\\d+)*(\\.[a-z_]+)? `);
  const match = named.exec(message);
  return `${label} ${match ? message.slice(match[0].length) : message}`;
}
