import type { HttpClient, RequestSpec } from "../http.js";
import { listPage, paginate, type Page, type PageParams } from "../pagination.js";

/** `/<id>` (and further segments), each escaped: an id never changes the path it is put in. */
export function at(id: string, ...rest: string[]): string {
  return [id, ...rest].map((s) => `/${encodeURIComponent(s)}`).join("");
}

/**
 * A collection below /api/v1 (`base`, e.g. "/domains") of `T`s, listed with filters `P`: every collection
 * has `list` (one page) and `listAll` (every item, page after page); the rest is per resource.
 */
export abstract class Resource<T, P extends PageParams = PageParams> {
  constructor(
    protected readonly http: HttpClient,
    private readonly base: string,
  ) {}

  /** One page (newest first unless the resource says otherwise) with its pagination numbers. */
  list(params: P = {} as P): Promise<Page<T>> {
    return this.page<T>({ ...params });
  }

  /** Every item from `params.page` (default 1) on: `for await (const item of resource.listAll(filters))`. */
  listAll(params: P = {} as P): AsyncGenerator<T, void, undefined> {
    return paginate((page) => this.list({ ...params, page }), params.page);
  }

  protected async call<R = T>(method: RequestSpec["method"], sub = "", body?: unknown): Promise<R> {
    return (await this.http.request<R>({ method, path: `${this.base}${sub}`, body })).data;
  }

  protected page<R>(params: PageParams, sub = ""): Promise<Page<R>> {
    return listPage<R>(this.http, `${this.base}${sub}`, params);
  }

  protected async remove(id: string): Promise<void> {
    await this.call("DELETE", at(id));
  }
}
