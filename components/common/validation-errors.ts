import type { FieldValues, Path, UseFormSetError } from "react-hook-form";
import { TRPCClientError } from "@trpc/client";
import { errorMessage, fieldErrors } from "./error-message";

/** The form field a server path belongs to: itself, or the longest field it lies under ("tags.0" → "tags"). */
function owningField(path: string, fields: readonly string[]): string | undefined {
  let best: string | undefined;
  for (const field of fields) {
    if ((path === field || path.startsWith(`${field}.`)) && (best === undefined || field.length > best.length)) best = field;
  }
  return best;
}

/**
 * Puts the server's errors next to the form's inputs: zod field errors by path (a path under a field, such as
 * "tags.0", goes to that field), and the rules a service checks after the shape (AppError validation: no
 * field paths, only the REST 422's sentences, which name the field first: "api_key is required for
 * sendgrid", "providers.0.connection_id is not one of your provider connections"). What names no field of
 * the form is returned as one sentence for a <FormError>, as is a non-validation error's message.
 */
export function applyValidationErrors<T extends FieldValues>(error: unknown, setError: UseFormSetError<T>, fields: readonly Path<T>[]): string | null {
  const byPath = fieldErrors(error);
  const sentences = error instanceof TRPCClientError ? ((error.data as { errors?: string[] } | undefined)?.errors ?? []) : [];
  const entries: [string, string][] =
    Object.keys(byPath).length > 0
      ? Object.entries(byPath).flatMap(([path, messages]) => messages.map((m): [string, string] => [path, m]))
      : sentences.map((sentence): [string, string] => [sentence.split(/[\s(]/, 1)[0] ?? "", sentence]);
  if (entries.length === 0) return errorMessage(error);
  const grouped = new Map<string, string[]>();
  const rest: string[] = [];
  for (const [path, message] of entries) {
    const field = owningField(path, fields);
    if (field === undefined) rest.push(message);
    else grouped.set(field, [...(grouped.get(field) ?? []), message]);
  }
  for (const [field, messages] of grouped) setError(field as Path<T>, { type: "server", message: messages.join(" ") });
  return rest.length > 0 ? rest.join(" ") : null;
}
