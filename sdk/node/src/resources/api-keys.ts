import type { HttpClient } from "../http.js";
import type { ApiKey, CreatedApiKey } from "../types.js";
import { at, Resource } from "./resource.js";

export interface CreateApiKeyParams {
  name: string;
  /** "test" keys send to the sandbox only and cannot change configuration. Default "live". */
  mode?: "live" | "test";
}

export class ApiKeys extends Resource<ApiKey> {
  constructor(http: HttpClient) {
    super(http, "/api_keys");
  }

  /** POST /api_keys: the raw key is in this answer only, as `key` (and `raw_key`). */
  async create(params: CreateApiKeyParams): Promise<CreatedApiKey> {
    const data = await this.call<Omit<CreatedApiKey, "key">>("POST", "", params);
    return { ...data, key: data.raw_key };
  }

  /** POST /api_keys/:id/revoke: refused from the next request on. */
  revoke(id: string): Promise<ApiKey> {
    return this.call<ApiKey>("POST", at(id, "revoke"));
  }

  /** DELETE /api_keys/:id: gone for good. */
  delete(id: string): Promise<void> {
    return this.remove(id);
  }
}
