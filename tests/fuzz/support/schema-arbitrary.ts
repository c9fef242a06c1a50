/**
 * Valid-looking values from an endpoint's zod schema, through its JSON Schema (`z.toJSONSchema`, input side):
 * types, required and optional keys, enums, lengths, ranges, patterns and formats come from the schema the
 * route validates with. Where JSON Schema loses meaning (a zod pipe into an email check, a refinement, a
 * row that must exist), the endpoint passes a hint for that path.
 */
import fc from "fast-check";
import { z } from "zod";

export interface JsonSchema {
  type?: "string" | "integer" | "number" | "boolean" | "object" | "array" | "null";
  properties?: Record<string, JsonSchema>;
  required?: string[];
  additionalProperties?: boolean | JsonSchema;
  propertyNames?: JsonSchema;
  items?: JsonSchema;
  minItems?: number;
  maxItems?: number;
  minLength?: number;
  maxLength?: number;
  pattern?: string;
  format?: string;
  enum?: readonly (string | number | boolean | null)[];
  anyOf?: JsonSchema[];
  minimum?: number;
  maximum?: number;
  default?: unknown;
}

export function jsonSchemaOf(schema: z.ZodType): JsonSchema {
  return z.toJSONSchema(schema, { io: "input", unrepresentable: "any" }) as JsonSchema;
}

/**
 * Overrides by path: "name", "conditions.from_domains[]" (array items), "metadata{}" (record values),
 * "metadata{key}" (record keys).
 */
export type Hints = Record<string, fc.Arbitrary<unknown>>;

const MAX_GENERATED_LENGTH = 40;
const MAX_GENERATED_ITEMS = 4;

export function schemaArbitrary(schema: JsonSchema, hints: Hints = {}, path = ""): fc.Arbitrary<unknown> {
  const hint = hints[path];
  if (hint) return hint;
  if (schema.enum) return fc.constantFrom(...schema.enum);
  if (schema.anyOf) return fc.oneof(...schema.anyOf.map((s) => schemaArbitrary(s, hints, path)));
  switch (schema.type) {
    case "string":
      return stringArbitrary(schema);
    case "integer":
      return fc.integer({ min: Math.max(schema.minimum ?? -1_000_000, -2_147_483_648), max: Math.min(schema.maximum ?? 1_000_000, 2_147_483_647) });
    case "number":
      return fc.oneof(fc.integer(), fc.double({ noNaN: true, noDefaultInfinity: true, min: -1e12, max: 1e12 }));
    case "boolean":
      return fc.boolean();
    case "null":
      return fc.constant(null);
    case "array":
      return fc.array(schemaArbitrary(schema.items ?? {}, hints, `${path}[]`), {
        minLength: schema.minItems ?? 0,
        maxLength: Math.max(schema.minItems ?? 0, Math.min(schema.maxItems ?? MAX_GENERATED_ITEMS, MAX_GENERATED_ITEMS)),
      });
    case "object":
      return objectArbitrary(schema, hints, path);
    default:
      return fc.jsonValue({ maxDepth: 2 });
  }
}

function objectArbitrary(schema: JsonSchema, hints: Hints, path: string): fc.Arbitrary<unknown> {
  const properties = Object.entries(schema.properties ?? {});
  if (properties.length > 0) {
    const model = Object.fromEntries(properties.map(([key, s]) => [key, schemaArbitrary(s, hints, path ? `${path}.${key}` : key)]));
    return fc.record(model, { requiredKeys: schema.required ?? [], noNullPrototype: true });
  }
  if (typeof schema.additionalProperties === "object") {
    const key = (hints[`${path}{key}`] as fc.Arbitrary<string> | undefined) ?? (schema.propertyNames ? (stringArbitrary(schema.propertyNames) as fc.Arbitrary<string>) : fc.string({ minLength: 1, maxLength: 20 }));
    return fc.dictionary(key, schemaArbitrary(schema.additionalProperties, hints, `${path}{}`), { maxKeys: MAX_GENERATED_ITEMS, noNullPrototype: true });
  }
  return fc.constant({});
}

function stringArbitrary(schema: JsonSchema): fc.Arbitrary<string> {
  const min = schema.minLength ?? 0;
  const max = schema.maxLength ?? Number.MAX_SAFE_INTEGER;
  const fits = (v: string) => v.length >= min && v.length <= max;
  switch (schema.format) {
    case "uuid":
      return fc.uuid({ version: 4 });
    case "date-time":
      return isoDate.map((d) => d.toISOString());
    case "date":
      return isoDate.map((d) => d.toISOString().slice(0, 10));
    case "uri":
      return fc.webUrl().filter(fits);
    case "email":
      return emailAddressArbitrary;
  }
  if (schema.pattern) return fc.stringMatching(new RegExp(schema.pattern)).filter(fits);
  // Printable text, never blank (most text fields trim and refuse blank), on one line (headers and subjects).
  const upper = Math.max(Math.max(min, 1), Math.min(max, MAX_GENERATED_LENGTH));
  return fc
    .string({ unit: fc.oneof({ weight: 3, arbitrary: fc.constantFrom(..."abcdefghijklmnopqrstuvwxyz0123456789 -_.") }, { weight: 1, arbitrary: fc.string({ unit: "grapheme", minLength: 1, maxLength: 1 }) }), minLength: Math.max(min, 1), maxLength: upper })
    .map((v) => v.replace(/[\r\n\u0085\u2028\u2029]/g, " "))
    .map((v) => (v.trim() === "" ? `x${v}` : v))
    .filter(fits);
}

/** Every date a four-digit ISO year can write (fast-check leans towards the ends of the range). */
const isoDate = fc.date({ min: new Date("0000-01-01T00:00:00Z"), max: new Date("9999-12-31T23:59:59Z"), noInvalidDate: true });

/** Addresses zod's email check accepts (fast-check's RFC addresses include forms it refuses). */
export const emailAddressArbitrary: fc.Arbitrary<string> = fc
  .tuple(fc.stringMatching(/^[a-z0-9][a-z0-9._+-]{0,18}[a-z0-9]$/).filter((l) => !l.includes("..")), fc.constantFrom("example.com", "example.org", "Mail.Example.net", "sub.domain.test.io"), fc.boolean())
  .map(([local, domain, upper]) => `${upper ? local.toUpperCase() : local}@${domain}`);
