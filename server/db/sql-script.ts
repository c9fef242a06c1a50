/**
 * A migration script as its statements: split at the semicolons that end statements, never at one inside
 * a string ('…'), a quoted identifier ("…"), a dollar-quoted body ($$…$$, $fn$…$fn$) or a comment. pg's
 * driver adapter splits scripts at every ";", which cuts a function body apart (see schema-engine.ts).
 */
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
    if (ch === "-" && next === "-") {
      const end = script.indexOf("\n", i);
      i = end === -1 ? script.length : end + 1;
    } else if (ch === "/" && next === "*") {
      const end = script.indexOf("*/", i + 2);
      i = end === -1 ? script.length : end + 2;
    } else if (ch === "'" || ch === '"') {
      // A doubled quote is an escaped one: the scan simply closes and reopens the literal.
      const end = script.indexOf(ch, i + 1);
      i = end === -1 ? script.length : end + 1;
    } else if (ch === "$") {
      const tag = /^\$[A-Za-z_][A-Za-z0-9_]*\$|^\$\$/.exec(script.slice(i));
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
