import { createLoader, parseAsInteger } from "nuqs/server";

/** The API keys list's URL state (?page=2), read the same way by the page (server) and the table (client). */
export const apiKeySearchParams = {
  page: parseAsInteger.withDefault(1),
};

export const loadApiKeySearchParams = createLoader(apiKeySearchParams);

export const API_KEYS_PER_PAGE = 25;

/** The list procedure's input for the URL's state (a page below 1 is the first). */
export function apiKeyListInput({ page }: { page: number }) {
  return { page: Math.max(1, page), per_page: API_KEYS_PER_PAGE };
}
