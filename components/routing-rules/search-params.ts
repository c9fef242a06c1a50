/** The routing rules list's URL state, parsed alike by the server page (prefetch) and the client (nuqs). */
import { createLoader, parseAsInteger } from "nuqs/server";

export const ruleListParams = { page: parseAsInteger.withDefault(1) };
export const loadRuleListParams = createLoader(ruleListParams);

export const RULES_PER_PAGE = 25;

/** The list procedure's input for the URL's state (a page below 1 is the first). */
export function ruleListInput({ page }: { page: number }) {
  return { page: Math.max(1, page), per_page: RULES_PER_PAGE };
}
