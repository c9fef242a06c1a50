/**
 * PostgreSQL cannot store NUL in text or jsonb, and an unpaired UTF-16 surrogate has no UTF-8 form (PGlite
 * refuses it, PostgreSQL stores a replacement character): either would end as a 500 deep in a query. Every
 * string of a request, keys included, is checked here once, before any schema or service sees it.
 */
const UNSTORABLE = /\u0000|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** The path of the first unstorable string in a parsed JSON value or query, or null. */
export function findUnstorableText(value: unknown, path: string[] = []): string | null {
  if (typeof value === "string") return UNSTORABLE.test(value) ? path.join(".") || "value" : null;
  if (Array.isArray(value)) {
    for (const [i, item] of value.entries()) {
      const found = findUnstorableText(item, [...path, String(i)]);
      if (found !== null) return found;
    }
    return null;
  }
  if (value && typeof value === "object") {
    for (const [key, item] of Object.entries(value)) {
      if (UNSTORABLE.test(key)) return [...path, "(a key)"].join(".");
      const found = findUnstorableText(item, [...path, key]);
      if (found !== null) return found;
    }
  }
  return null;
}

export function unstorableTextMessage(path: string): string {
  return `${path} must not contain NUL characters or unpaired UTF-16 surrogates`;
}
