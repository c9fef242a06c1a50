/**
 * Provider connection rows read as JSON inside another statement (the delivery's email read carries the
 * tenant's enabled connections as one json value: enabledConnectionsSql), revived into the same
 * ProviderConnection objects Prisma would return. Every column is listed in CONNECTION_COLUMNS with how it
 * comes back in row_to_json, so a column added to the model fails the type check until it is placed here.
 */
import { Prisma, type ProviderConnection } from "../../db";

/**
 * How a column comes back in row_to_json, derived from its Prisma type so that a wrong entry fails the type
 * check: "timestamp" for DateTime (a timestamp(3) without zone, UTC by the app's convention, which JSON gives
 * without its Z); "value" for what JSON carries as Prisma does (strings, enums, numbers, booleans, Json);
 * never for a type JSON cannot carry faithfully (BigInt, Decimal, Bytes): read such a model with Prisma.
 */
type ColumnKind<T> = [NonNullable<T>] extends [Date] ? "timestamp" : [NonNullable<T>] extends [bigint | Prisma.Decimal | Uint8Array] ? never : "value";

const CONNECTION_COLUMNS: { [K in keyof ProviderConnection]-?: ColumnKind<ProviderConnection[K]> } = {
  id: "value",
  tenantId: "value",
  provider: "value",
  displayName: "value",
  priority: "value",
  weight: "value",
  enabled: "value",
  credentialsEncrypted: "value",
  credentialsHint: "value",
  settings: "value",
  verificationStatus: "value",
  verificationMessage: "value",
  verifiedAt: "timestamp",
  circuitState: "value",
  consecutiveFailures: "value",
  circuitOpenedAt: "timestamp",
  circuitRetryAt: "timestamp",
  circuitProbeStartedAt: "timestamp",
  lastFailureAt: "timestamp",
  lastFailureReason: "value",
  lastSuccessAt: "timestamp",
  eventsSecretsEncrypted: "value",
  lastEventAt: "timestamp",
  createdAt: "timestamp",
  updatedAt: "timestamp",
};

const TIMESTAMP_COLUMNS = Object.entries(CONNECTION_COLUMNS)
  .filter(([, kind]) => kind === "timestamp")
  .map(([name]) => name);

/**
 * The tenant's enabled connections an email may be sent through: all of them, or only those its own routing
 * lists (`routing`: a uuid[] expression, empty or NULL for none). One json array (row_to_json of each row),
 * as a scalar subquery for the enclosing statement. Column names are the model's (no @map on this model).
 */
export function enabledConnectionsSql(tenantId: Prisma.Sql, routing: Prisma.Sql): Prisma.Sql {
  return Prisma.sql`(
    SELECT coalesce(json_agg(row_to_json(c)), '[]'::json) FROM "ProviderConnection" c
    WHERE c."tenantId" = ${tenantId} AND c."enabled"
      AND (coalesce(cardinality(${routing}), 0) = 0 OR c."id" = ANY(${routing}))
  )`;
}

export function connectionFromJson(row: Record<string, unknown>): ProviderConnection {
  const revived: Record<string, unknown> = { ...row };
  for (const name of TIMESTAMP_COLUMNS) {
    const value = row[name];
    revived[name] = typeof value === "string" ? new Date(/[Zz]|[+-]\d\d:?\d\d$/.test(value) ? value : `${value}Z`) : (value ?? null);
  }
  return revived as unknown as ProviderConnection;
}
