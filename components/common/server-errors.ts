import type { FieldValues, Path, UseFormSetError } from "react-hook-form";
import { errorMessage, fieldErrors } from "./error-message";

/**
 * Puts the server's field errors next to the form's inputs. Errors for fields the form does not have are
 * returned as one sentence for a <FormError> (together with a non-validation error's message).
 */
export function applyServerErrors<T extends FieldValues>(error: unknown, setError: UseFormSetError<T>, fields: readonly Path<T>[]): string | null {
  const byField = fieldErrors(error);
  const rest: string[] = [];
  for (const [field, messages] of Object.entries(byField)) {
    if ((fields as readonly string[]).includes(field)) setError(field as Path<T>, { type: "server", message: messages.join(" ") });
    else rest.push(...messages);
  }
  if (Object.keys(byField).length === 0) return errorMessage(error);
  return rest.length ? rest.join(" ") : null;
}
