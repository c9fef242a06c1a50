import type { HttpClient } from "../http.js";
import type { Metrics, Usage } from "../types.js";

export class Analytics {
  constructor(private readonly http: HttpClient) {}

  /** GET /analytics/metrics: totals, rates and daily counts over the last 7, 30 or 90 UTC days. */
  async metrics(params: { period?: "7d" | "30d" | "90d"; test?: boolean } = {}): Promise<Metrics> {
    return (await this.http.request<Metrics>({ method: "GET", path: "/analytics/metrics", query: params })).data;
  }

  /** GET /analytics/usage: per UTC day and provider, between `from` and `to` (YYYY-MM-DD). */
  async usage(params: { from?: string; to?: string; test?: boolean } = {}): Promise<Usage> {
    return (await this.http.request<Usage>({ method: "GET", path: "/analytics/usage", query: params })).data;
  }
}
