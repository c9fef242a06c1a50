/**
 * Mutations of a valid request body: a wrong type, a hostile string or a missing key anywhere in the tree,
 * unknown keys, strings at and past their length limits, non-object bodies, broken JSON, wrong content
 * types, and bodies at and past the route's size limit.
 */
import fc from "fast-check";
import { garbageId, hostileKey, nastyString, wrongTypeValue } from "./nasty-values";
import type { JsonSchema } from "./schema-arbitrary";

/** Characters inserted into valid strings: NUL, lone surrogates, direction overrides, BOM, combining marks, CRLF. */
export const INJECTED = ["\u0000", "\uD800", "\uDFFF", "\u202E", "\uFEFF", "\u0301", "😀", "\r\n", "'", "%00", "\u2028"] as const;

export interface BodyCase {
  /** The bytes sent (as UTF-8); undefined sends no body. */
  text: string | undefined;
  contentType: string | undefined;
  /** What was done to the valid body, for the report. */
  note: string;
  mutated: boolean;
}

type Path = (string | number)[];

const JSON_TYPE = "application/json";

export function validBodyCase(valid: fc.Arbitrary<unknown>): fc.Arbitrary<BodyCase> {
  return fc.tuple(valid, fc.constantFrom(JSON_TYPE, "application/json; charset=utf-8", "Application/JSON", "application/vnd.courierx+json")).map(([value, contentType]) => ({
    text: JSON.stringify(value),
    contentType,
    note: "valid",
    mutated: false,
  }));
}

function allPaths(value: unknown, prefix: Path = [], out: Path[] = []): Path[] {
  out.push(prefix);
  if (Array.isArray(value)) value.forEach((v, i) => allPaths(v, [...prefix, i], out));
  else if (value !== null && typeof value === "object") for (const [k, v] of Object.entries(value)) allPaths(v, [...prefix, k], out);
  return out;
}

const REMOVE = Symbol("remove");

/** A copy of `root` with the node at `path` replaced (or removed); own keys such as "__proto__" stay data. */
function setAt(root: unknown, path: Path, value: unknown): unknown {
  if (path.length === 0) return value === REMOVE ? undefined : value;
  const [head, ...rest] = path;
  if (Array.isArray(root)) {
    const copy = [...root];
    const i = head as number;
    if (rest.length === 0 && value === REMOVE) copy.splice(i, 1);
    else copy[i] = setAt(copy[i], rest, value);
    return copy;
  }
  const copy: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(root as Record<string, unknown>)) define(copy, k, v);
  if (rest.length === 0 && value === REMOVE) delete copy[head as string];
  else define(copy, head as string, setAt(copy[head as string], rest, value));
  return copy;
}

function define(target: Record<string, unknown>, key: string, value: unknown): void {
  Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
}

const label = (path: Path) => (path.length === 0 ? "(body)" : path.join("."));

/** Top-level string properties with a length limit, for at-the-limit and past-the-limit values. */
function limitedStrings(schema: JsonSchema): [string, number][] {
  return Object.entries(schema.properties ?? {}).flatMap(([k, s]) => {
    const max = s.maxLength ?? s.anyOf?.find((x) => x.maxLength !== undefined)?.maxLength;
    return max !== undefined && max <= 300_000 ? [[k, max] as [string, number]] : [];
  });
}

const bigStrings = new Map<string, string>();
/** Past-the-limit bodies are built once per size: a 16 MB string per run would dominate the suite. */
function cachedFill(char: string, length: number): string {
  const key = `${char}:${length}`;
  let s = bigStrings.get(key);
  if (!s) bigStrings.set(key, (s = char.repeat(length)));
  return s;
}

/** Mutated bodies, derived from valid ones and from the schema (for keys the valid value left out). */
export function mutatedBodyCase(valid: fc.Arbitrary<unknown>, schema: JsonSchema, maxBytes: number): fc.Arbitrary<BodyCase> {
  const schemaKeys = Object.keys(schema.properties ?? {});
  const limited = limitedStrings(schema);
  const json = (value: unknown, note: string): BodyCase => ({ text: JSON.stringify(value), contentType: JSON_TYPE, note, mutated: true });

  const inTree = valid.chain((value) => {
    const paths = allPaths(value);
    const inner = paths.filter((p) => p.length > 0);
    const objects = paths.filter((p) => {
      const node = p.reduce<unknown>((n, k) => (n as Record<string | number, unknown>)[k], value);
      return node !== null && typeof node === "object" && !Array.isArray(node);
    });
    const nodeAt = (p: Path) => p.reduce<unknown>((n, k) => (n as Record<string | number, unknown>)[k], value);
    const strings = paths.filter((p) => typeof nodeAt(p) === "string");
    const choices: fc.Arbitrary<BodyCase>[] = [
      fc.tuple(fc.constantFrom(...paths), wrongTypeValue).map(([p, v]) => json(setAt(value, p, v), `${label(p)} → wrong type ${JSON.stringify(v)?.slice(0, 40)}`)),
      fc.tuple(fc.constantFrom(...paths), nastyString).map(([p, v]) => json(setAt(value, p, v), `${label(p)} → hostile string (${v.length} chars)`)),
      fc.tuple(fc.constantFrom(...objects), hostileKey, fc.jsonValue({ maxDepth: 2 })).map(([p, k, v]) => {
        const node = p.reduce<unknown>((n, key) => (n as Record<string | number, unknown>)[key], value) as Record<string, unknown>;
        const extended: Record<string, unknown> = {};
        for (const [key, val] of Object.entries(node)) define(extended, key, val);
        define(extended, k, v);
        return json(setAt(value, p, extended), `extra key ${JSON.stringify(k)} at ${label(p)}`);
      }),
    ];
    if (strings.length > 0) {
      // One hostile character inside an otherwise valid value: the likeliest way past validation into storage.
      const injection = fc.tuple(fc.constantFrom(...strings), fc.constantFrom(...INJECTED), fc.nat()).map(([p, ch, at]) => {
        const text = nodeAt(p) as string;
        const i = at % (text.length + 1);
        return json(setAt(value, p, text.slice(0, i) + ch + text.slice(i)), `${JSON.stringify(ch)} inserted into ${label(p)}`);
      });
      choices.push(injection, injection, injection);
    }
    if (inner.length > 0) choices.push(fc.constantFrom(...inner).map((p) => json(setAt(value, p, REMOVE), `${label(p)} removed`)));
    if (schemaKeys.length > 0) {
      choices.push(fc.tuple(fc.constantFrom(...schemaKeys), fc.oneof(wrongTypeValue, nastyString, garbageId)).map(([k, v]) => json(setAt(value, [k], v), `${k} → ${typeof v} ${JSON.stringify(v)?.slice(0, 40)}`)));
    }
    if (limited.length > 0) {
      choices.push(
        fc.tuple(fc.constantFrom(...limited), fc.constantFrom(0, 1, 2, 100), fc.constantFrom("x", "é", "😀", " ")).map(([[k, max], over, ch]) => {
          const s = ch === "😀" ? cachedFill(ch, Math.ceil((max + over) / 2)) : cachedFill(ch, max + over);
          return json(setAt(value, [k], s), `${k} at ${s.length} UTF-16 units (limit ${max})`);
        }),
      );
    }
    return fc.oneof(...choices);
  });

  const notAnObject = fc.oneof(fc.constant(null), fc.array(fc.jsonValue({ maxDepth: 1 }), { maxLength: 3 }), fc.string(), fc.integer(), fc.boolean()).map((v) => json(v, `body is ${Array.isArray(v) ? "an array" : v === null ? "null" : typeof v}`));

  const brokenJson = valid.chain((value) => {
    const text = JSON.stringify(value);
    const firstKey = Object.keys((value ?? {}) as object)[0] ?? "x";
    return fc.oneof(
      fc.integer({ min: 0, max: Math.max(0, text.length - 1) }).map((n) => raw(text.slice(0, n), `truncated at ${n}`)),
      fc.constantFrom("}", ",", "]", "x", "\u0000", "\n{}", " garbage").map((tail) => raw(text + tail, `trailing ${JSON.stringify(tail)}`)),
      fc.constant(raw(text.replace(/"/g, "'"), "single quotes")),
      fc.constant(raw(`\uFEFF${text}`, "byte-order mark")),
      fc.constant(raw(`/* comment */${text}`, "comment")),
      fc.constant(raw(text.replace(/}$/, ',}'), "trailing comma")),
      fc.constant(raw(`{${JSON.stringify(firstKey)}: 1, ${text.slice(1)}`, "duplicate key (first wrong)")),
      fc.constant(raw(`{${text.slice(1, -1)}${text.length > 2 ? "," : ""}${JSON.stringify(firstKey)}: {"$gt": ""}}`, "duplicate key (last an operator)")),
      fc.constantFrom('{"a": NaN}', '{"a": Infinity}', '{"a": 1e99999}', '{"a": -}', '{"a": 0x10}', `{"a": ${"9".repeat(400)}}`, '{"a": "\\ud800\\u0000"}', '{"a": "\\uZZZZ"}', '{"a" "b"}', "{'a': 1}", "undefined", "nul", "{", "[", '"', "\u0000", "", " \n\t ").map((t) => raw(t, `literal ${JSON.stringify(t).slice(0, 30)}`)),
      fc.integer({ min: 1_000, max: 100_000 }).map((n) => raw(cachedFill("[", n) + cachedFill("]", n), `${n} nested arrays`)),
      fc.integer({ min: 1_000, max: 50_000 }).map((n) => raw(`{"${firstKey}": ${cachedFill("[", n)}${cachedFill("]", n)}}`, `${firstKey} nested ${n} deep`)),
    );
  });

  const wrongContentType = fc
    .tuple(valid, fc.constantFrom(undefined, "", "text/plain", "application/x-www-form-urlencoded", "multipart/form-data; boundary=xyz", "application/xml", "text/json", "application/jsonp", "json", "application/", "*/*", "application/json\u00ff", `application/json; ${"x".repeat(20_000)}`, "application/json, text/plain"))
    .map(([value, contentType]) => ({ text: JSON.stringify(value), contentType, note: `content type ${JSON.stringify(contentType)?.slice(0, 60)}`, mutated: true }));

  const sized = fc.oneof(
    fc.constantFrom(1, 100, 10_000).map((over) => raw(`{"pad":"${cachedFill("x", maxBytes + over - 10)}"}`, `${maxBytes + over} bytes (limit ${maxBytes})`)),
    fc.constantFrom(-200, -20).map((under) => raw(`{"pad":"${cachedFill("x", maxBytes + under - 10)}"}`, `${maxBytes + under} bytes, just under the limit`)),
    // Multi-byte characters: the limit is in bytes, not characters.
    fc.constant(raw(`{"pad":"${cachedFill("é", Math.ceil(maxBytes / 2))}"}`, `${maxBytes / 2} two-byte characters (${maxBytes + 10} bytes)`)),
  );

  return fc.oneof(
    { weight: 10, arbitrary: inTree },
    { weight: 2, arbitrary: notAnObject },
    { weight: 3, arbitrary: brokenJson },
    { weight: 2, arbitrary: wrongContentType },
    { weight: 1, arbitrary: sized },
  );
}

function raw(text: string, note: string): BodyCase {
  return { text, contentType: JSON_TYPE, note, mutated: true };
}

/** UTF-8 length of what is sent (the server's limit is in bytes). */
export function byteLength(text: string | undefined): number {
  return text === undefined ? 0 : Buffer.byteLength(text, "utf8");
}
