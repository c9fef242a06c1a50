/**
 * Lists answer one page: the items, and the page numbers from the API's X-Total-Count, X-Page and
 * X-Per-Page headers. `paginate` walks every page from the one asked for, one request per page.
 */
import type { ApiResponse, HttpClient, QueryValue } from "./http.js";

export interface Pagination {
  page: number;
  perPage: number;
  total: number;
  totalPages: number;
}

export interface Page<T> {
  data: T[];
  pagination: Pagination;
}

export interface PageParams {
  /** From 1 (default 1). */
  page?: number;
  /** 1 to 100 (default 25). */
  perPage?: number;
}

export function toPage<T>(response: ApiResponse<T[]>): Page<T> {
  const data = Array.isArray(response.data) ? response.data : [];
  const perPage = headerNumber(response.headers, "x-per-page") ?? data.length;
  const total = headerNumber(response.headers, "x-total-count") ?? data.length;
  return {
    data,
    pagination: { page: headerNumber(response.headers, "x-page") ?? 1, perPage, total, totalPages: perPage > 0 ? Math.ceil(total / perPage) : 0 },
  };
}

/** One page of `path`: `params` as query (perPage sent as per_page). */
export async function listPage<T>(http: HttpClient, path: string, params: PageParams = {}): Promise<Page<T>> {
  const { perPage, ...rest } = params as PageParams & Record<string, QueryValue>;
  return toPage(await http.request<T[]>({ method: "GET", path, query: { ...rest, per_page: perPage } }));
}

/** Every item from `params.page` (default 1) on, fetching each next page when the previous one is used up. */
export async function* paginate<T>(fetchPage: (page: number) => Promise<Page<T>>, firstPage = 1): AsyncGenerator<T, void, undefined> {
  for (let page = firstPage; ; page++) {
    const { data, pagination } = await fetchPage(page);
    yield* data;
    if (data.length === 0 || page >= pagination.totalPages) return;
  }
}

function headerNumber(headers: Headers, name: string): number | undefined {
  const value = headers.get(name);
  return value !== null && /^\d+$/.test(value) ? Number(value) : undefined;
}
