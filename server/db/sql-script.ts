/**
 * A migration script as its statements: split at the semicolons that end statements, never at one inside
 * a string ('…', E'…' with backslash escapes), a quoted identifier ("…"), a dollar-quoted body ($$…$$,
 * $fn$…$fn$; a `$` inside an unquoted name is not one) or a comment (block comments nest, as in PostgreSQL). pg's
 * driver adapter splits scripts at every ";", which cuts a function body apart (see schema-engine.ts).
 */
/** A character that continues an unquoted identifier: a `$` after one is part of the name, not a quote. */
const IDENTIFIER_CHAR = /[A-Za-z0-9_$\u0080-\uffff]/;

/** After a block comment starting at `i`: PostgreSQL nests them. */
function blockCommentEnd(script: string, i: number): number {
  let depth = 0;
  while (i < script.length) {
    if (script.startsWith("/*", i)) {
      depth += 1;
      i += 2;
    } else if (script.startsWith("*/", i)) {
      depth -= 1;
      i += 2;
      if (depth === 0) return i;
    } else {
      i += 1;
    }
  }
  return i;
}

/** After an E'…' string whose body starts at `i`: a backslash escapes the next character, '' is a quote. */
function escapeStringEnd(script: string, i: number): number {
  while (i < script.length) {
    const ch = script[i]!;
    if (ch === "\\") i += 2;
    else if (ch === "'" && script[i + 1] === "'") i += 2;
    else if (ch === "'") return i + 1;
    else i += 1;
  }
  return i;
}

export function splitSqlScript(script: string): string[] {
  const statements: string[] = [];
  let start = 0;
  let i = 0;
  const push = (end: number) => {
    const statement = script.slice(start, end).trim();
    if (statement.replace(/--[^\n]*|\/\*[\s\S]*?\*\//g, "").trim()) statements.push(statement);
  };
  while (i < script.length) {
    const ch = script[i]!;
    const next = script[i + 1];
    const previous = i > 0 ? script[i - 1]! : "";
    if (ch === "-" && next === "-") {
      const end = script.indexOf("\n", i);
      i = end === -1 ? script.length : end + 1;
    } else if (ch === "/" && next === "*") {
      i = blockCommentEnd(script, i);
    } else if (ch === "'" && /[Ee]/.test(previous) && !IDENTIFIER_CHAR.test(script[i - 2] ?? "")) {
      i = escapeStringEnd(script, i + 1);
    } else if (ch === "'" || ch === '"') {
      // A doubled quote is an escaped one: the scan simply closes and reopens the literal.
      const end = script.indexOf(ch, i + 1);
      i = end === -1 ? script.length : end + 1;
    } else if (ch === "$" && !IDENTIFIER_CHAR.test(previous)) {
      const tag = /^\$[A-Za-z_][A-Za-z0-9_]*\$|^\$\$/.exec(script.slice(i, i + 65));
      if (!tag) {
        i += 1;
        continue;
      }
      const end = script.indexOf(tag[0], i + tag[0].length);
      i = end === -1 ? script.length : end + tag[0].length;
    } else if (ch === ";") {
      push(i);
      i += 1;
      start = i;
    } else {
      i += 1;
    }
  }
  push(script.length);
  return statements;
}
