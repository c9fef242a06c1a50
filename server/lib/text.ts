/**
 * Text from outside (provider payloads, receivers' answers) made storable: PostgreSQL refuses NUL in text
 * and jsonb, and an unpaired UTF-16 surrogate has no UTF-8 form. Cutting is by code point, so a cut never
 * splits a surrogate pair into a new unpaired half.
 */
const UNSTORABLE = /\u0000|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

export function storableText(value: string, maxChars: number): string {
  const cleaned = value.replace(UNSTORABLE, "");
  if (cleaned.length <= maxChars) return cleaned;
  const chars = Array.from(cleaned);
  return chars.length > maxChars ? chars.slice(0, maxChars).join("") : cleaned;
}
