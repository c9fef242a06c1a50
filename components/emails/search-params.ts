import { createLoader, createParser, parseAsInteger, parseAsString, parseAsStringLiteral, type inferParserType } from "nuqs/server";
import { MAX_PER_PAGE } from "@/server/lib/pagination";
import { EMAIL_STATUSES } from "@/server/services/emails/schemas";

/** A calendar day as the date inputs give it (2026-03-22); anything else in the URL is no filter. */
const parseAsDay = createParser({
  parse: (value) => (isDay(value) ? value : null),
  serialize: (value: string) => value,
});

/** A real day (no 2026-02-31) in the years the list accepts. */
function isDay(value: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(value) || value < "1970") return false;
  const date = new Date(`${value}T00:00:00Z`);
  return !Number.isNaN(date.getTime()) && date.toISOString().slice(0, 10) === value;
}

export const TEST_FILTERS = ["true", "false"] as const;
export const DEFAULT_PER_PAGE = 25;
export const PER_PAGE_OPTIONS = [25, 50, 100] as const;
/** Past any real list, and a safe integer (a longer number in the URL would be refused as not whole). */
const MAX_PAGE = 1_000_000;

/**
 * The emails list's URL state (?status=bounced&recipient=alice&from=2026-03-01&to=2026-03-22&test=false&page=2),
 * the REST list's filters by their REST names, parsed the same way by the page (server) and the table (client).
 */
export const emailSearchParams = {
  status: parseAsStringLiteral(EMAIL_STATUSES),
  recipient: parseAsString.withDefault(""),
  from: parseAsDay,
  to: parseAsDay,
  test: parseAsStringLiteral(TEST_FILTERS),
  page: parseAsInteger.withDefault(1),
  per_page: parseAsInteger.withDefault(DEFAULT_PER_PAGE),
};

export type EmailSearch = inferParserType<typeof emailSearchParams>;

export const loadEmailSearchParams = createLoader(emailSearchParams);

/** The filters only (what "Clear filters" resets), without the page. */
export const FILTER_KEYS = ["status", "recipient", "from", "to", "test"] as const satisfies readonly (keyof EmailSearch)[];

/** What "Clear filters" writes: no filter, the first page (the page size stays). */
export const CLEARED_FILTERS = { status: null, recipient: null, from: null, to: null, test: null, page: null };

export function hasFilters(search: EmailSearch): boolean {
  return FILTER_KEYS.some((key) => Boolean(search[key]));
}

/** Whether a list input filters (anything beyond its page). */
export function isFiltered(input: ReturnType<typeof emailListInput>): boolean {
  return FILTER_KEYS.some((key) => key in input);
}

/** emails.list's input for the URL's state: empty filters left out, the page and its size brought into range. */
export function emailListInput(search: EmailSearch) {
  const recipient = search.recipient.replace(/\p{Cc}/gu, "").trim();
  const [from, to] = search.from && search.to && search.from > search.to ? [search.to, search.from] : [search.from, search.to];
  return {
    page: Math.min(MAX_PAGE, Math.max(1, search.page)),
    per_page: Math.min(MAX_PER_PAGE, Math.max(1, search.per_page)),
    ...(search.status ? { status: search.status } : {}),
    ...(recipient ? { recipient: recipient.slice(0, 254) } : {}),
    // A range written backwards (by hand, in the URL) is the same range.
    ...(from ? { from } : {}),
    ...(to ? { to } : {}),
    ...(search.test ? { test: search.test } : {}),
  };
}
