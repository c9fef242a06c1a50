import { createLoader, parseAsInteger } from "nuqs/server";

/** The domains list's URL state (?page=2), read the same way by the page (server) and the table (client). */
export const domainSearchParams = {
  page: parseAsInteger.withDefault(1),
};

export const loadDomainSearchParams = createLoader(domainSearchParams);

export const DOMAINS_PER_PAGE = 25;

/** The list procedure's input for the URL's state (a page below 1 is the first). */
export function domainListInput({ page }: { page: number }) {
  return { page: Math.max(1, page), per_page: DOMAINS_PER_PAGE };
}
