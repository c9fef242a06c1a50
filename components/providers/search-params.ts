/** The providers pages' URL state, parsed alike by the server page (prefetch) and the client (nuqs). */
import { createLoader, parseAsInteger, parseAsStringLiteral } from "nuqs/server";
import { PROVIDER_NAMES } from "@/server/providers/types";

export const providerListParams = { page: parseAsInteger.withDefault(1) };
export const loadProviderListParams = createLoader(providerListParams);

/** The connect page: which provider's form is open (none: the chooser). */
export const connectParams = { provider: parseAsStringLiteral(PROVIDER_NAMES) };
export const loadConnectParams = createLoader(connectParams);

export const PROVIDERS_PER_PAGE = 25;

/** The list procedure's input for the URL's state (a page below 1 is the first). */
export function providerListInput({ page }: { page: number }) {
  return { page: Math.max(1, page), per_page: PROVIDERS_PER_PAGE };
}
