import { TRPCClientError } from "@trpc/client";

interface ErrorData {
  code?: string;
  errors?: string[];
  fieldErrors?: Record<string, string[]>;
  retryAfter?: number;
}

function errorData(error: unknown): ErrorData | undefined {
  return error instanceof TRPCClientError ? (error.data as ErrorData | undefined) : undefined;
}

/** A sentence for a person: the server's message for expected errors, a generic one for the rest. */
export function errorMessage(error: unknown): string {
  const data = errorData(error);
  if (data?.code === "TOO_MANY_REQUESTS") return `Too many requests. Try again in ${data.retryAfter ?? 60} seconds.`;
  if (data?.code === "UNAUTHORIZED") return "Your session has ended. Sign in again.";
  if (data?.code === "FORBIDDEN") return error instanceof Error ? error.message : "You don't have permission to do that.";
  if (data?.code === "INTERNAL_SERVER_ERROR" || !(error instanceof Error)) return "Something went wrong on our side. Try again.";
  if (error instanceof TRPCClientError && !data) return "The server could not be reached. Check your connection and try again.";
  return error.message;
}

/** The server's validation sentences by form field ("name", "conditions.tags"), if it was a validation error. */
export function fieldErrors(error: unknown): Record<string, string[]> {
  return errorData(error)?.fieldErrors ?? {};
}

export function errorCode(error: unknown): string | undefined {
  return errorData(error)?.code;
}
