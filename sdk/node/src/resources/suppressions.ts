import type { HttpClient } from "../http.js";
import type { PageParams } from "../pagination.js";
import type { Suppression, SuppressionReason } from "../types.js";
import { Resource } from "./resource.js";

export interface CreateSuppressionParams {
  email: string;
  /** Default "manual". */
  reason?: SuppressionReason;
  note?: string;
}

export interface ListSuppressionsParams extends PageParams {
  reason?: SuppressionReason;
  email?: string;
}

export class Suppressions extends Resource<Suppression, ListSuppressionsParams> {
  constructor(http: HttpClient) {
    super(http, "/suppressions");
  }

  /** POST /suppressions: an address already suppressed is returned as it is. */
  create(params: CreateSuppressionParams): Promise<Suppression> {
    return this.call<Suppression>("POST", "", params);
  }

  /** DELETE /suppressions/:id: sending to the address is allowed again. */
  delete(id: string): Promise<void> {
    return this.remove(id);
  }
}
