/**
 * PostgreSQL cannot store NUL in text or jsonb, and an unpaired UTF-16 surrogate has no UTF-8 form (PGlite
 * refuses it, PostgreSQL stores a replacement character): either would end as a 500 deep in a query. Every
 * string of a request, keys included, is checked here once, before any schema or service sees it. The walk
 * is iterative and bounded in depth: no request body of ours nests deeper, and a 100,000-deep array must
 * not overflow the stack of whatever reads it next.
 */
const UNSTORABLE = /\u0000|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
export const MAX_DEPTH = 32;

export type TextProblem = { kind: "unstorable"; path: string } | { kind: "too_deep" };

/** The first problem in a parsed JSON value or query, or null. */
export function findUnstorableText(root: unknown): TextProblem | null {
  const stack: { value: unknown; path: string[] }[] = [{ value: root, path: [] }];
  for (let next = stack.pop(); next; next = stack.pop()) {
    const { value, path } = next;
    if (typeof value === "string") {
      if (UNSTORABLE.test(value)) return { kind: "unstorable", path: path.join(".") || "value" };
      continue;
    }
    if (!value || typeof value !== "object") continue;
    if (path.length >= MAX_DEPTH) return { kind: "too_deep" };
    const entries = Array.isArray(value) ? value.map((item, i) => [String(i), item] as const) : Object.entries(value);
    for (const [key, item] of entries.reverse()) {
      if (!Array.isArray(value) && UNSTORABLE.test(key)) return { kind: "unstorable", path: [...path, "(a key)"].join(".") };
      stack.push({ value: item, path: [...path, key] });
    }
  }
  return null;
}

export function textProblemMessage(problem: TextProblem): string {
  return problem.kind === "too_deep"
    ? `Request is nested more than ${MAX_DEPTH} levels deep`
    : `${problem.path} must not contain NUL characters or unpaired UTF-16 surrogates`;
}
