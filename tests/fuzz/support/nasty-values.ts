/** Values an attacker (or a broken client) sends: hostile strings, wrong types, oversized text. */
import fc from "fast-check";

/** Strings that have broken parsers, databases, header writers and templating before. */
export const NASTY_STRINGS: readonly string[] = [
  "",
  " ",
  "\t\n\r ",
  "\u0000",
  "a\u0000b",
  "\u0000\u0000\u0000\u0000",
  "\uD800", // lone high surrogate
  "\uDFFF", // lone low surrogate
  "x\uDBFFy",
  "\uFFFE\uFFFF",
  "\uFEFFbom",
  "\u202Egnp.exe", // right-to-left override
  "\u200F\u202B\u0627\u0644\u0639\u0631\u0628\u064A\u0629\u202C",
  "שָׁלוֹם",
  "\u200B\u200C\u200D\u2060",
  "e\u0301\u0301\u0301\u0301\u0301\u0301\u0301\u0301",
  "Z̵̡̢̛̺̗͇̟͖̮̪̖͚̻̱̥̙͈͙̮̭̿̓̌̀̓̄̏̓̈́̍̈́͘͝a̴͍͇͎̯͎̺̩̠͇̟͇̖̼͊̀̇̆͛̈́͊̈́̏̋̔͘͠ͅl̸̢̢̨̧̛͖̦̥͚̝̣̝̻̺̦̙̟̣̊̉̉̌̇̀̓̈́̈́̚̚g̷̨̡̛̘̱̺̟̗̜̳͉̘̠̻̣̓̃̽̔͗̇͛̿̈́̑̊̋͝ͅo̶̡̙̞̘̯͎̘̜̳͕̮̲̓̽̾̒̅͛̓͂͆̔̈̀͘",
  "𝕳𝖊𝖑𝖑𝖔",
  "😀👩‍👩‍👧‍👦🏳️‍🌈",
  "\uFDFA", // NFKC expands to 18 characters
  "ﬃ".repeat(50),
  "İı",
  "a\r\nBcc: victim@example.com",
  "\r\n\r\n<html>",
  "<script>alert(1)</script>",
  "\"'><img src=x onerror=alert(1)>",
  "' OR '1'='1",
  "'; DROP TABLE \"Email\"; --",
  "1; SELECT pg_sleep(10); --",
  "\\x00\\x01",
  "%' OR 1=1 --",
  "%",
  "_",
  "\\",
  "%00",
  "../../../../etc/passwd",
  "..\\..\\..\\windows\\win.ini",
  "..%2F..%2Fetc%2Fpasswd",
  "%2e%2e%2f%2e%2e%2f",
  "/",
  "//",
  ".",
  "..",
  "${jndi:ldap://127.0.0.1/a}",
  "{{7*7}}",
  "#{7*7}",
  "%s%s%s%n",
  "__proto__",
  "constructor",
  "prototype",
  "toString",
  "null",
  "undefined",
  "NaN",
  "Infinity",
  "-0",
  "1e309",
  "0x10",
  "true",
  "[]",
  "{}",
  "00000000-0000-0000-0000-000000000000",
  "ffffffff-ffff-ffff-ffff-ffffffffffff",
  "a".repeat(10_000),
];

/** Any UTF-16 code unit, lone surrogates and NUL included. */
const anyCodeUnit = fc.integer({ min: 0, max: 0xffff }).map((c) => String.fromCharCode(c));

/** Strings of hostile and random unicode, including some long ones. */
export const nastyString: fc.Arbitrary<string> = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom(...NASTY_STRINGS) },
  { weight: 2, arbitrary: fc.string({ unit: anyCodeUnit, maxLength: 64 }) },
  { weight: 2, arbitrary: fc.string({ unit: "binary", maxLength: 64 }) },
  { weight: 1, arbitrary: fc.string({ unit: "grapheme", maxLength: 64 }) },
  { weight: 1, arbitrary: fc.tuple(fc.constantFrom("x", "é", "😀", "\u0000", "'"), fc.integer({ min: 200, max: 70_000 })).map(([c, n]) => c.repeat(n)) },
);

/** A value of a JSON type other than the one expected (or of any type at all). */
export const wrongTypeValue: fc.Arbitrary<unknown> = fc.oneof(
  fc.constant(null),
  fc.boolean(),
  fc.integer(),
  fc.constantFrom(0, -1, 1.5, -0, 1e308, -1e308, Number.MAX_SAFE_INTEGER + 2, 2 ** 31, 1e-320),
  fc.constantFrom("", "true", "1", "null", "[]"),
  fc.constant([]),
  fc.constant({}),
  fc.array(fc.string({ maxLength: 5 }), { maxLength: 3 }),
  fc.dictionary(fc.string({ maxLength: 5 }), fc.jsonValue({ maxDepth: 1 }), { maxKeys: 3 }),
  fc.jsonValue({ maxDepth: 3 }),
);

/** Keys an object should never take at face value. */
export const hostileKey: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom("__proto__", "constructor", "prototype", "id", "tenant_id", "tenantId", "test", "mode", "status", "created_at", "key_hash", "role", "", " ", "\u0000", "a.b", "$where", "toJSON"),
  fc.string({ maxLength: 20 }),
  fc.string({ unit: anyCodeUnit, maxLength: 10 }),
);

/** Identifiers that are not ids: traversal, SQL, unicode, over-long, almost-UUIDs. */
export const garbageId: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom(
    "1",
    "0",
    "-1",
    "null",
    "undefined",
    "me",
    "' OR '1'='1",
    "1; DROP TABLE \"ApiKey\"",
    "../../etc/passwd",
    "..\\..",
    "%00",
    "\u0000",
    "00000000-0000-0000-0000-00000000000g",
    "00000000-0000-0000-0000-0000000000000",
    "{00000000-0000-0000-0000-000000000000}",
    "00000000000000000000000000000000",
    " 00000000-0000-0000-0000-000000000000",
    "😀",
    "\u202E",
    "x".repeat(5000),
  ),
  fc.uuid().map((u) => `${u}'`),
  fc.uuid().map((u) => `${u}; SELECT 1`),
  fc.uuid().map((u) => u.replace(/-/g, "")),
  fc.uuid().map((u) => `${u}/../${u}`),
  fc.string({ minLength: 1, maxLength: 40 }),
  fc.string({ unit: "binary", minLength: 1, maxLength: 40 }),
);

/** Header values a Headers object accepts (Latin-1, no NUL/CR/LF), up to very long. */
const latin1 = fc.integer({ min: 1, max: 0xff }).filter((c) => c !== 10 && c !== 13).map((c) => String.fromCharCode(c));
export const headerJunk: fc.Arbitrary<string> = fc.oneof(
  fc.string({ unit: latin1, maxLength: 80 }),
  fc.constantFrom("", " ", ",", ",,,", "unknown", "null", "::", "[::1]", "127.0.0.1:8080", "::ffff:127.0.0.1", "2001:db8::1", "1.2.3.4.5", "999.999.999.999", "fe80::1%eth0", "' OR 1=1"),
  fc.tuple(fc.constantFrom("a", "1.2.3.4, ", "é", "\t"), fc.integer({ min: 1000, max: 40_000 })).map(([c, n]) => c.repeat(n)),
);

/** `s` with lone surrogates replaced (URLs can only carry well-formed UTF-16). */
export function wellFormed(s: string): string {
  return s.replace(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g, "\uFFFD");
}
