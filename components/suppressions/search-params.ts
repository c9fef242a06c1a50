import { createLoader, parseAsInteger, parseAsString, parseAsStringLiteral } from "nuqs/server";
import { SUPPRESSION_REASONS } from "@/server/services/suppressions/schemas";

/**
 * The suppression list's URL state (?reason=bounce&email=example.com&page=2), read the same way by the
 * page (server) and the list (client), so a reload or a shared link shows the same rows.
 */
export const suppressionSearchParams = {
  reason: parseAsStringLiteral(SUPPRESSION_REASONS),
  email: parseAsString,
  page: parseAsInteger.withDefault(1),
};

export const loadSuppressionSearchParams = createLoader(suppressionSearchParams);

export const SUPPRESSIONS_PER_PAGE = 25;

export type SuppressionFilters = { reason: (typeof SUPPRESSION_REASONS)[number] | null; email: string | null };

/** The list procedure's input: the REST list's filters (reason, email as a partial match) and the page. */
export function suppressionListInput({ reason, email, page }: SuppressionFilters & { page: number }) {
  const search = email?.trim().slice(0, 254);
  return { page: Math.max(1, page), per_page: SUPPRESSIONS_PER_PAGE, ...(reason ? { reason } : {}), ...(search ? { email: search } : {}) };
}
