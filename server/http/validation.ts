/** Turns zod issues into the readable sentences of a 422 body: {"errors": ["to_email is required", …]}. */
import type { z } from "zod";

export function formatIssues(issues: readonly z.core.$ZodIssue[]): string[] {
  return issues.map(formatIssue);
}

function formatIssue(issue: z.core.$ZodIssue): string {
  const field = issue.path.map(String).join(".");
  if (issue.code === "unrecognized_keys") {
    const keys = issue.keys.map((k) => (field ? `${field}.${k}` : k));
    return `Unknown field${keys.length > 1 ? "s" : ""}: ${keys.join(", ")}`;
  }
  if (issue.code === "invalid_type" && issue.input === undefined) return `${field || "value"} is required`;
  // A record's key failed its own schema: its message says why ("names may not override …").
  if ((issue.code === "invalid_key" || issue.code === "invalid_element") && issue.issues[0]) {
    const inner = issue.issues[0].message;
    return /^[a-z]/.test(inner) ? `${field} ${inner}` : `${field}: ${inner}`;
  }
  if (!field) return issue.message;
  // Messages written in the schemas start lower-case and read after the field name ("to_email must be …").
  return /^[a-z]/.test(issue.message) ? `${field} ${issue.message}` : `${field}: ${issue.message}`;
}
