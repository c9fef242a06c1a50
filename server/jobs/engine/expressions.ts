/**
 * The subset of CEL (Common Expression Language) that Inngest function configs use here: idempotency and
 * concurrency keys (`event.data.tenant_id`, `event.data.a + "-" + event.data.b`) and trigger conditions
 * (`event.data.function_id == 'courierx-send-email'`, the SDK's onFailure trigger).
 *
 * Supported: string ('…' or "…"), number, true/false/null literals; variables (`event`); member access
 * `a.b` and `a["b"]` / `a[0]`; `+` (string concat, number add); `==`, `!=`, `<`, `<=`, `>`, `>=`;
 * `&&`, `||`, `!`; parentheses. Anything else (functions, macros, `in`, ternary) is refused when the
 * expression is compiled, so a misconfigured function fails at sync instead of at its first event.
 * Unlike CEL, reading a missing field gives `undefined` instead of an error, so a key that cannot be
 * computed is simply absent.
 */
export type Expression = (variables: Readonly<Record<string, unknown>>) => unknown;

type Token =
  | { kind: "string"; value: string }
  | { kind: "number"; value: number }
  | { kind: "ident"; value: string }
  | { kind: "op"; value: string };

const OPERATORS = ["==", "!=", "<=", ">=", "&&", "||", "<", ">", "+", "!", "(", ")", ".", "[", "]"];

function tokenize(source: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < source.length) {
    const c = source[i]!;
    if (/\s/.test(c)) {
      i++;
    } else if (c === "'" || c === '"') {
      let value = "";
      i++;
      while (i < source.length && source[i] !== c) {
        if (source[i] === "\\" && i + 1 < source.length) {
          const escaped = source[i + 1]!;
          value += escaped === "n" ? "\n" : escaped === "t" ? "\t" : escaped;
          i += 2;
        } else {
          value += source[i];
          i++;
        }
      }
      if (i >= source.length) throw new Error(`unterminated string in expression: ${source}`);
      i++;
      tokens.push({ kind: "string", value });
    } else if (/[0-9]/.test(c)) {
      const match = /^[0-9]+(\.[0-9]+)?/.exec(source.slice(i))!;
      tokens.push({ kind: "number", value: Number(match[0]) });
      i += match[0].length;
    } else if (/[A-Za-z_]/.test(c)) {
      const match = /^[A-Za-z_][A-Za-z0-9_]*/.exec(source.slice(i))!;
      tokens.push({ kind: "ident", value: match[0] });
      i += match[0].length;
    } else {
      const op = OPERATORS.find((o) => source.startsWith(o, i));
      if (!op) throw new Error(`unsupported character "${c}" in expression: ${source}`);
      tokens.push({ kind: "op", value: op });
      i += op.length;
    }
  }
  return tokens;
}

/** Recursive descent, lowest precedence first: || → && → equality → comparison → + → unary → member. */
class Parser {
  private position = 0;

  constructor(
    private readonly tokens: Token[],
    private readonly source: string,
  ) {}

  parse(): Expression {
    const expression = this.or();
    if (this.position < this.tokens.length) this.fail("unexpected trailing input");
    return expression;
  }

  private peekOp(...ops: string[]): string | undefined {
    const token = this.tokens[this.position];
    return token?.kind === "op" && ops.includes(token.value) ? token.value : undefined;
  }

  private expectOp(op: string): void {
    if (!this.peekOp(op)) this.fail(`expected "${op}"`);
    this.position++;
  }

  private fail(reason: string): never {
    throw new Error(`${reason} at token ${this.position + 1} in expression: ${this.source}`);
  }

  private binary(next: () => Expression, ops: string[], apply: (op: string, a: unknown, b: unknown) => unknown): Expression {
    let left = next();
    for (;;) {
      const op = this.peekOp(...ops);
      if (!op) return left;
      this.position++;
      const l = left;
      const r = next();
      left = (vars) => apply(op, l(vars), r(vars));
    }
  }

  private or(): Expression {
    const and = () => this.and();
    let left = and();
    while (this.peekOp("||")) {
      this.position++;
      const l = left;
      const r = and();
      left = (vars) => truthy(l(vars)) || truthy(r(vars));
    }
    return left;
  }

  private and(): Expression {
    const equality = () => this.equality();
    let left = equality();
    while (this.peekOp("&&")) {
      this.position++;
      const l = left;
      const r = equality();
      left = (vars) => truthy(l(vars)) && truthy(r(vars));
    }
    return left;
  }

  private equality(): Expression {
    return this.binary(() => this.comparison(), ["==", "!="], (op, a, b) => (op === "==" ? equals(a, b) : !equals(a, b)));
  }

  private comparison(): Expression {
    return this.binary(() => this.additive(), ["<", "<=", ">", ">="], compare);
  }

  private additive(): Expression {
    return this.binary(() => this.unary(), ["+"], (_op, a, b) => add(a, b));
  }

  private unary(): Expression {
    if (this.peekOp("!")) {
      this.position++;
      const operand = this.unary();
      return (vars) => !truthy(operand(vars));
    }
    return this.member();
  }

  private member(): Expression {
    let target = this.primary();
    for (;;) {
      if (this.peekOp(".")) {
        this.position++;
        const token = this.tokens[this.position];
        if (token?.kind !== "ident") this.fail("expected a field name after \".\"");
        this.position++;
        const object = target;
        target = (vars) => field(object(vars), token.value);
      } else if (this.peekOp("[")) {
        this.position++;
        const index = this.or();
        this.expectOp("]");
        const object = target;
        target = (vars) => field(object(vars), index(vars));
      } else {
        return target;
      }
    }
  }

  private primary(): Expression {
    const token = this.tokens[this.position];
    if (!token) this.fail("unexpected end");
    this.position++;
    switch (token.kind) {
      case "string":
      case "number": {
        const value = token.value;
        return () => value;
      }
      case "ident": {
        if (token.value === "true") return () => true;
        if (token.value === "false") return () => false;
        if (token.value === "null") return () => null;
        if (this.peekOp("(")) this.fail(`function "${token.value}" is not supported`);
        const name = token.value;
        return (vars) => (Object.hasOwn(vars, name) ? vars[name] : undefined);
      }
      case "op": {
        if (token.value !== "(") this.fail(`unexpected "${token.value}"`);
        const inner = this.or();
        this.expectOp(")");
        return inner;
      }
    }
  }
}

function field(object: unknown, key: unknown): unknown {
  if (object === null || typeof object !== "object") return undefined;
  if (typeof key !== "string" && typeof key !== "number") return undefined;
  const name = String(key);
  return Object.hasOwn(object, name) ? (object as Record<string, unknown>)[name] : undefined;
}

function truthy(value: unknown): boolean {
  return value === true;
}

function equals(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (a === undefined || b === undefined) return false;
  if (typeof a === "object" && typeof b === "object" && a !== null && b !== null) return JSON.stringify(a) === JSON.stringify(b);
  return false;
}

function compare(op: string, a: unknown, b: unknown): boolean {
  const comparable = (typeof a === "number" && typeof b === "number") || (typeof a === "string" && typeof b === "string");
  if (!comparable) return false;
  const x = a as number | string;
  const y = b as number | string;
  switch (op) {
    case "<":
      return x < y;
    case "<=":
      return x <= y;
    case ">":
      return x > y;
    default:
      return x >= y;
  }
}

function add(a: unknown, b: unknown): unknown {
  if (typeof a === "number" && typeof b === "number") return a + b;
  const asText = (v: unknown) => (typeof v === "string" || typeof v === "number" || typeof v === "boolean" ? String(v) : undefined);
  const x = asText(a);
  const y = asText(b);
  // A missing operand makes the whole key missing rather than a key containing "undefined".
  return x === undefined || y === undefined ? undefined : x + y;
}

/** Compiles once (at sync); throws with the offending expression when it is outside the subset. */
export function compileExpression(source: string): Expression {
  return new Parser(tokenize(source), source).parse();
}

/** A key (idempotency, concurrency) as stored: strings as they are, other values as JSON, missing as null. */
export function keyValue(value: unknown): string | null {
  if (value === undefined || value === null) return null;
  if (typeof value === "string") return value;
  return JSON.stringify(value);
}

/** A trigger condition holds only when it evaluates to exactly `true` (as in CEL). */
export function conditionHolds(expression: Expression, variables: Readonly<Record<string, unknown>>): boolean {
  return expression(variables) === true;
}
